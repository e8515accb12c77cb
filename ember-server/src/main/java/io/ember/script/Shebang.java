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
                switch (f) {
                    case "no-writes" -> flags |= NO_WRITES;
                    case "allow-oom" -> flags |= ALLOW_OOM;
                    case "allow-stale" -> flags |= ALLOW_STALE;
                    case "no-cluster" -> flags |= NO_CLUSTER;
                    case "allow-cross-slot-keys" -> flags |= ALLOW_CROSS_SLOT;
                    case "" -> { }
                    default -> throw new Invalid("Unexpected flag in script shebang: " + f);
                }
            }
        }
        return new Shebang(flags, end);
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }
}
