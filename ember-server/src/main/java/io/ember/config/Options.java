package io.ember.config;

import io.ember.util.Numbers;
import io.ember.util.SplitArgs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Builders for the standard option kinds of Redis's config.c (bool, integer, memory, enum, flag
 * set, string), with its parsing rules, error texts and CONFIG REWRITE formatting.
 */
final class Options {
    private Options() {}

    interface BoolSetter { void set(boolean v) throws ConfigException; }
    interface LongSetter { void set(long v) throws ConfigException; }
    interface IntSetter { void set(int v) throws ConfigException; }
    interface StringSetter { void set(String v) throws ConfigException; }

    /** An extra check after the syntax is valid: returns the error text, or null when acceptable. */
    interface BoolCheck { String check(boolean v); }
    interface LongCheck { String check(long v); }

    // ---- bool ("yes" / "no") ----

    static ConfigOption bool(String name, boolean def, int flags, BooleanSupplier get, BoolSetter set) {
        return bool(name, List.of(), def, flags, get, set, null);
    }

    static ConfigOption bool(String name, List<String> aliases, boolean def, int flags, BooleanSupplier get,
                             BoolSetter set, BoolCheck check) {
        return new ConfigOption(name, aliases, flags) {
            @Override public String get() { return get.getAsBoolean() ? "yes" : "no"; }
            @Override public String defaultValue() { return def ? "yes" : "no"; }
            @Override public Applier parse(List<String> args, boolean startup) throws ConfigException {
                boolean v = parseBool(one(args));
                String problem = check == null ? null : check.check(v);
                if (problem != null) throw new ConfigException(problem);
                if (v == get.getAsBoolean()) return Applier.NONE;
                return () -> set.set(v);
            }
        };
    }

    static boolean parseBool(String s) throws ConfigException {
        if (s.equalsIgnoreCase("yes")) return true;
        if (s.equalsIgnoreCase("no")) return false;
        throw new ConfigException("argument must be 'yes' or 'no'");
    }

    // ---- integers and memory sizes ----

    /** A signed integer option; {@code memory} accepts unit suffixes (1k, 1kb, 1m, 1mb, 1g, 1gb). */
    static ConfigOption number(String name, List<String> aliases, long min, long max, long def, boolean memory,
                               int flags, LongSupplier get, LongSetter set) {
        return number(name, aliases, min, max, def, memory, flags, get, set, null);
    }

    static ConfigOption number(String name, List<String> aliases, long min, long max, long def, boolean memory,
                               int flags, LongSupplier get, LongSetter set, LongCheck check) {
        return new ConfigOption(name, aliases, flags) {
            @Override public String get() { return Long.toString(get.getAsLong()); }
            @Override public String defaultValue() { return Long.toString(def); }
            @Override public Applier parse(List<String> args, boolean startup) throws ConfigException {
                long v = parseNumber(one(args), memory);
                // the "not supported yet" checks come first: they apply to any size (maxmemory)
                String problem = check == null ? null : check.check(v);
                if (problem != null) throw new ConfigException(problem);
                if (v < min || v > max) {
                    throw new ConfigException("argument must be between " + min + " and " + max + " inclusive");
                }
                if (v == get.getAsLong()) return Applier.NONE;
                return () -> set.set(v);
            }
            @Override protected String rewriteValue() {
                return memory ? formatMemory(get.getAsLong()) : get();
            }
        };
    }

    static long parseNumber(String s, boolean memory) throws ConfigException {
        if (memory) {
            long v = parseMemory(s);
            if (v == -1) throw new ConfigException("argument must be a memory value");
            return v; // TOO_LARGE fails the caller's bounds check, as in Redis
        }
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        if (!Numbers.isLong(b)) throw new ConfigException("argument couldn't be parsed into an integer");
        return Numbers.parseLong(b);
    }

    /** parseMemory's answer for a valid size beyond a long (up to 2^64-1, as Redis accepts). */
    static final long TOO_LARGE = Long.MIN_VALUE;

    /**
     * Parses a memory size as Redis 7.0's memtoull: digits then an optional unit, k/m/g powers
     * of 1000, kb/mb/gb powers of 1024, b bytes, case-insensitive ("1gb", "100MB", "5k", "123").
     * Missing digits read as 0. Like memtoull, the digits saturate at 2^64-1 and the unit
     * multiplication wraps around 2^64. Returns -1 when invalid, {@link #TOO_LARGE} when the
     * (unsigned) result does not fit a long: it then fails the bounds check, as in Redis.
     */
    static long parseMemory(String s) {
        int end = 0;
        while (end < s.length() && s.charAt(end) >= '0' && s.charAt(end) <= '9') end++;
        long mul = switch (s.substring(end).toLowerCase(Locale.ROOT)) {
            case "", "b" -> 1;
            case "k" -> 1000;
            case "kb" -> 1024;
            case "m" -> 1000L * 1000;
            case "mb" -> 1024L * 1024;
            case "g" -> 1000L * 1000 * 1000;
            case "gb" -> 1024L * 1024 * 1024;
            default -> -1;
        };
        if (mul < 0 || end >= 128) return -1;
        if (end == 0) return 0;
        long digits;
        try {
            digits = Long.parseUnsignedLong(s.substring(0, end));
        } catch (NumberFormatException e) {
            digits = -1L; // 2^64-1: strtoull saturates
        }
        long v = digits * mul; // wraps modulo 2^64, as the C multiplication
        return v < 0 ? TOO_LARGE : v;
    }

    /** Memory values as CONFIG REWRITE writes them: the largest exact unit (rewriteConfigFormatMemory). */
    static String formatMemory(long bytes) {
        if (bytes != 0) {
            if (bytes % (1L << 30) == 0) return bytes / (1L << 30) + "gb";
            if (bytes % (1L << 20) == 0) return bytes / (1L << 20) + "mb";
            if (bytes % 1024 == 0) return bytes / 1024 + "kb";
        }
        return Long.toString(bytes);
    }

    // ---- enumerations ----

    /** One value out of a fixed list, matched case-insensitively; CONFIG GET shows the list's spelling. */
    static ConfigOption enumeration(String name, List<String> values, String def, int flags,
                                    Supplier<String> get, StringSetter set) {
        return new ConfigOption(name, List.of(), flags) {
            @Override public String get() { return get.get(); }
            @Override public String defaultValue() { return def; }
            @Override public Applier parse(List<String> args, boolean startup) throws ConfigException {
                String s = enumValue(values, one(args));
                if (s.equals(get.get())) return Applier.NONE;
                return () -> set.set(s);
            }
        };
    }

    private static String enumValue(List<String> values, String arg) throws ConfigException {
        for (String v : values) {
            if (v.equalsIgnoreCase(arg)) return v;
        }
        throw new ConfigException("argument(s) must be one of the following: " + String.join(", ", values));
    }

    /**
     * A set of flags given as several words (shutdown-on-sigterm "nosave now"): value i of the
     * list is bit i-1, the first value ("default") is no bit at all. {@code check} vets the result.
     */
    static ConfigOption flags(String name, List<String> values, int flags, IntSupplier get, IntSetter set,
                              LongCheck check) {
        return new ConfigOption(name, List.of(), flags | ConfigOption.MULTI_ARG) {
            @Override public String get() { return flagNames(values, get.getAsInt()); }
            @Override public String defaultValue() { return values.get(0); }
            @Override public Applier parse(List<String> args, boolean startup) throws ConfigException {
                if (args.isEmpty()) throw new ConfigException(
                        "argument(s) must be one of the following: " + String.join(", ", values));
                int bits = 0;
                for (String a : args) {
                    int i = values.indexOf(enumValue(values, a));
                    if (i > 0) bits |= 1 << (i - 1);
                }
                String problem = check.check(bits);
                if (problem != null) throw new ConfigException(problem);
                int v = bits;
                if (v == get.getAsInt()) return Applier.NONE;
                return () -> set.set(v);
            }
        };
    }

    private static String flagNames(List<String> values, int bits) {
        if (bits == 0) return values.get(0);
        List<String> names = new ArrayList<>();
        for (int i = 1; i < values.size(); i++) {
            if ((bits & (1 << (i - 1))) != 0) names.add(values.get(i));
        }
        return String.join(" ", names);
    }

    // ---- strings ----

    /** A string option whose empty value is a real value (logfile ""), written back as such. */
    static ConfigOption string(String name, String def, int flags, Supplier<String> get, StringSetter set) {
        return string(name, def, false, flags, get, set);
    }

    /**
     * A string option. With {@code emptyIsUnset} an empty value means "not set" (pidfile,
     * requirepass): CONFIG REWRITE then removes the directive instead of writing "".
     */
    static ConfigOption string(String name, String def, boolean emptyIsUnset, int flags, Supplier<String> get,
                               StringSetter set) {
        return string(name, def, emptyIsUnset, flags, get, set, v -> null);
    }

    /** A string option whose values are checked: {@code check} returns the error text, or null. */
    static ConfigOption string(String name, String def, boolean emptyIsUnset, int flags, Supplier<String> get,
                               StringSetter set, Function<String, String> check) {
        return new ConfigOption(name, List.of(), flags) {
            @Override public String get() { return get.get(); }
            @Override public String defaultValue() { return def; }
            @Override public Applier parse(List<String> args, boolean startup) throws ConfigException {
                String s = one(args);
                String error = check.apply(s);
                if (error != null) throw new ConfigException(error);
                if (s.equals(get.get())) return Applier.NONE;
                return () -> set.set(s);
            }
            @Override public void rewrite(ConfigRewrite rw) {
                String v = get.get();
                if (emptyIsUnset && v.isEmpty()) {
                    rw.markProcessed(name());
                    return;
                }
                rw.line(name(), name() + " " + SplitArgs.repr(v), !v.equals(def));
            }
        };
    }

    static String one(List<String> args) throws ConfigException {
        if (args.size() != 1) throw new ConfigException("wrong number of arguments");
        return args.get(0);
    }
}
