package io.ember.script;

/**
 * The `#!lua flags=...` first line of an EVAL script (evalExtractShebangFlags). A script without
 * it runs in compatibility mode: writes decided command by command, OOM checked at the first
 * denyoom command.
 */
record Shebang(int flags, int length) {
    static final int NO_WRITES = 1, ALLOW_OOM = 1 << 1, ALLOW_STALE = 1 << 2, NO_CLUSTER = 1 << 3,
            ALLOW_CROSS_SLOT = 1 << 4, EVAL_COMPAT_MODE = 1 << 5;

    /** Thrown with Redis's error text (without the ERR code). */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /** The flags and the length of the shebang line (without its line feed: line numbers stay). */
    static Shebang parse(byte[] body) throws Invalid {
        if (body.length < 2 || body[0] != '#' || body[1] != '!') return new Shebang(EVAL_COMPAT_MODE, 0);
        int end = 0;
        while (end < body.length && body[end] != '\n') end++;
        String line = new String(body, 0, end, java.nio.charset.StandardCharsets.ISO_8859_1);
        String[] parts = line.split(" ", -1);
        if (!parts[0].equals("#!lua")) throw new Invalid("Unexpected engine in script shebang: " + parts[0]);
        int flags = 0;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            if (p.isEmpty()) continue;
            if (!p.startsWith("flags=")) throw new Invalid("Unknown lua shebang option: " + p);
            for (String f : p.substring(6).split(",", -1)) {
                if (f.isEmpty()) continue;
                int flag = flag(f, false);
                if (flag == 0) throw new Invalid("Unexpected flag in script shebang: " + f);
                flags |= flag;
            }
        }
        return new Shebang(flags, end);
    }

    /** Redis's scripts_flags_def, in its order (FUNCTION LIST shows flags in this order). */
    static final String[] NAMES = {"no-writes", "allow-oom", "allow-stale", "no-cluster", "allow-cross-slot-keys"};
    static final int[] FLAGS = {NO_WRITES, ALLOW_OOM, ALLOW_STALE, NO_CLUSTER, ALLOW_CROSS_SLOT};

    /**
     * The flag named {@code name}, 0 when unknown. The shebang compares case-sensitively,
     * redis.register_function's flags table case-insensitively (strcmp vs strcasecmp in Redis).
     */
    static int flag(String name, boolean ignoreCase) {
        for (int i = 0; i < NAMES.length; i++) {
            if (ignoreCase ? NAMES[i].equalsIgnoreCase(name) : NAMES[i].equals(name)) return FLAGS[i];
        }
        return 0;
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }
}
