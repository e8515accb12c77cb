package io.ember.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** Builders for the standard option kinds (bool, numeric, memory, enum, string), as config.c has. */
final class Options {
    private Options() {}

    interface BoolSetter { void set(boolean v) throws ConfigException; }
    interface LongSetter { void set(long v) throws ConfigException; }
    interface StringSetter { void set(String v) throws ConfigException; }

    static ConfigOption bool(String name, boolean def, int flags, BooleanSupplier get, BoolSetter set) {
        return new ConfigOption(name, List.of(), flags) {
            @Override public String get() { return get.getAsBoolean() ? "yes" : "no"; }
            @Override public String defaultValue() { return def ? "yes" : "no"; }
            @Override public Applier parse(List<String> args, boolean startup) throws ConfigException {
                boolean v = parseBool(one(args));
                return () -> set.set(v);
            }
        };
    }

    static boolean parseBool(String s) throws ConfigException {
        if (s.equalsIgnoreCase("yes")) return true;
        if (s.equalsIgnoreCase("no")) return false;
        throw new ConfigException("argument must be 'yes' or 'no'");
    }

    /** A signed integer option; {@code memory} accepts unit suffixes (1k, 1kb, 1m, 1mb, 1g, 1gb). */
    static ConfigOption number(String name, List<String> aliases, long min, long max, long def, boolean memory,
                               int flags, LongSupplier get, LongSetter set) {
        return new ConfigOption(name, aliases, flags) {
            @Override public String get() { return Long.toString(get.getAsLong()); }
            @Override public String defaultValue() { return Long.toString(def); }
            @Override public Applier parse(List<String> args, boolean startup) throws ConfigException {
                String s = one(args);
                long v;
                if (memory) {
                    v = parseMemory(s);
                    if (v < 0) throw new ConfigException("argument must be a memory value");
                } else {
                    try {
                        v = parseStrictLong(s);
                    } catch (NumberFormatException e) {
                        throw new ConfigException("argument couldn't be parsed into an integer");
                    }
                }
                if (v < min || v > max) {
                    throw new ConfigException("argument must be between " + min + " and " + max + " inclusive");
                }
                return () -> set.set(v);
            }
            @Override public List<String> rewriteValues() {
                return List.of(memory ? formatMemory(get.getAsLong()) : get());
            }
        };
    }

    static ConfigOption enumeration(String name, List<String> values, String def, int flags,
                                    Supplier<String> get, StringSetter set) {
        return new ConfigOption(name, List.of(), flags) {
            @Override public String get() { return get.get(); }
            @Override public String defaultValue() { return def; }
            @Override public Applier parse(List<String> args, boolean startup) throws ConfigException {
                String s = one(args).toLowerCase(Locale.ROOT);
                if (!values.contains(s)) {
                    throw new ConfigException("argument(s) must be one of the following: " + String.join(", ", values));
                }
                return () -> set.set(s);
            }
        };
    }

    static ConfigOption string(String name, String def, int flags, Supplier<String> get, StringSetter set) {
        return new ConfigOption(name, List.of(), flags) {
            @Override public String get() { return get.get(); }
            @Override public String defaultValue() { return def; }
            @Override public Applier parse(List<String> args, boolean startup) throws ConfigException {
                String s = one(args);
                return () -> set.set(s);
            }
        };
    }

    static String one(List<String> args) throws ConfigException {
        if (args.size() != 1) throw new ConfigException("wrong number of arguments");
        return args.get(0);
    }

    static long parseStrictLong(String s) {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        return io.ember.util.Numbers.parseLong(b);
    }

    /**
     * Parses "1gb", "100mb", "5k", "123" (memtoull): k/m/g are powers of 1000, kb/mb/gb of 1024,
     * case-insensitive. Returns -1 when invalid.
     */
    static long parseMemory(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        long mul = 1;
        String digits = lower;
        String[][] units = {{"kb", "1024"}, {"mb", "1048576"}, {"gb", "1073741824"},
                            {"k", "1000"}, {"m", "1000000"}, {"g", "1000000000"}, {"b", "1"}};
        for (String[] u : units) {
            if (lower.endsWith(u[0])) {
                mul = Long.parseLong(u[1]);
                digits = lower.substring(0, lower.length() - u[0].length());
                break;
            }
        }
        if (digits.isEmpty() || digits.length() > 20) return -1;
        for (int i = 0; i < digits.length(); i++) {
            if (!Character.isDigit(digits.charAt(i))) return -1;
        }
        try {
            return Math.multiplyExact(Long.parseLong(digits), mul);
        } catch (ArithmeticException | NumberFormatException e) {
            return -1;
        }
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

    static List<String> list(String... s) {
        return Arrays.asList(s);
    }
}
