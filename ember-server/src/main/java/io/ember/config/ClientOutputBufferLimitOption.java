package io.ember.config;

import java.util.List;

/**
 * "client-output-buffer-limit <class> <hard> <soft> <soft-seconds> [...]": per client class
 * (normal, replica — spelled "slave" when printed — and pubsub) the output a client may have
 * pending before it is disconnected: at once past the hard limit, or after staying past the soft
 * limit for more than soft-seconds. 0 disables a limit. Parsed, printed and rewritten as Redis.
 */
final class ClientOutputBufferLimitOption extends ConfigOption {
    private static final String[] CLASS_NAMES = {"normal", "slave", "pubsub"};
    static final long[][] DEFAULTS = {{0, 0, 0}, {256L << 20, 64L << 20, 60}, {32L << 20, 8L << 20, 60}};

    private final ServerConfig config;

    ClientOutputBufferLimitOption(ServerConfig config) {
        super("client-output-buffer-limit", List.of(), MULTI_ARG);
        this.config = config;
    }

    @Override
    public String get() {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < CLASS_NAMES.length; c++) {
            long[] l = config.clientOutputBufferLimits[c];
            if (c > 0) sb.append(' ');
            sb.append(CLASS_NAMES[c]).append(' ').append(l[0]).append(' ').append(l[1]).append(' ').append(l[2]);
        }
        return sb.toString();
    }

    @Override
    public String defaultValue() {
        return "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60";
    }

    /** getClientTypeByName without "master", which has no limits of its own. */
    private static int classOf(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "normal" -> 0;
            case "slave", "replica" -> 1;
            case "pubsub" -> 2;
            default -> -1;
        };
    }

    @Override
    public Applier parse(List<String> args, boolean startup) throws ConfigException {
        if (args.size() % 4 != 0) { // an empty value is accepted and changes nothing, as in Redis
            throw new ConfigException("Wrong number of arguments in buffer limit configuration.");
        }
        // Every group is checked before any is applied: the whole value is taken or refused.
        for (int j = 0; j < args.size(); j++) {
            if (j % 4 == 0) {
                if (classOf(args.get(j)) < 0) {
                    throw new ConfigException("Invalid client class specified in buffer limit configuration.");
                }
            } else if (Options.parseMemory(args.get(j)) < 0 && Options.parseMemory(args.get(j)) != Options.TOO_LARGE) {
                throw new ConfigException("Error in hard, soft or soft_seconds setting in buffer limit configuration.");
            }
        }
        long[][] next = new long[3][];
        for (int c = 0; c < 3; c++) next[c] = config.clientOutputBufferLimits[c].clone();
        for (int j = 0; j < args.size(); j += 4) {
            long[] l = next[classOf(args.get(j))];
            l[0] = Options.parseMemory(args.get(j + 1));
            l[1] = Options.parseMemory(args.get(j + 2));
            l[2] = leadingLong(args.get(j + 3));
        }
        return () -> config.clientOutputBufferLimits = next;
    }

    /** strtoll of the leading digits ("60" → 60, "1k" → 1): what Redis reads soft-seconds with. */
    private static long leadingLong(String s) {
        int end = 0;
        while (end < s.length() && Character.isDigit(s.charAt(end))) end++;
        if (end == 0) return 0;
        try {
            return Long.parseLong(s.substring(0, end));
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** One line per class that differs from its default, memory in the largest exact unit. */
    @Override
    public void rewrite(ConfigRewrite rw) {
        for (int c = 0; c < CLASS_NAMES.length; c++) {
            long[] l = config.clientOutputBufferLimits[c];
            boolean isDefault = java.util.Arrays.equals(l, DEFAULTS[c]);
            rw.line(name(), name() + " " + CLASS_NAMES[c] + " " + Options.formatMemory(l[0]) + " "
                    + Options.formatMemory(l[1]) + " " + l[2], !isDefault);
        }
        rw.markProcessed(name());
    }
}
