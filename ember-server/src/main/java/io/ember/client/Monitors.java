package io.ember.client;

import io.ember.util.SplitArgs;
import java.util.ArrayList;
import java.util.List;

/** Clients in MONITOR mode and the feed of executed commands they receive (replicationFeedMonitors). */
public final class Monitors {
    private final List<Client> clients = new ArrayList<>();

    public boolean isEmpty() {
        return clients.isEmpty();
    }

    public void add(Client c) {
        c.monitor = true;
        clients.add(c);
    }

    public void remove(Client c) {
        clients.remove(c);
    }

    public int size() {
        return clients.size();
    }

    /** Sends {@code +<unix time with µs> [<db> <addr>] "arg" ...} to every monitor. */
    public void feed(Client source, byte[][] argv, int argc) {
        long micros = source.engine.clock.currentMicros();
        StringBuilder sb = new StringBuilder(64);
        sb.append(micros / 1_000_000).append('.');
        String frac = Long.toString(micros % 1_000_000);
        sb.append("000000", frac.length(), 6).append(frac);
        sb.append(" [").append(source.db.id).append(' ');
        sb.append(source.conn == null ? "embedded" : source.conn.monitorAddress()).append(']');
        long redacted = redactedArgs(argv, argc);
        for (int i = 0; i < argc; i++) {
            sb.append(' ');
            if (i < 64 && (redacted & (1L << i)) != 0) sb.append("\"(redacted)\"");
            else SplitArgs.appendRepr(sb, argv[i]);
        }
        String line = sb.toString();
        for (Client m : clients) {
            m.reply.simple(line);
            m.engine.markPendingWrite(m);
        }
    }

    /**
     * Bit mask of the arguments Redis hides from monitors (redactClientCommandArgument): the
     * credentials of AUTH, HELLO ... AUTH and MIGRATE ... AUTH/AUTH2, wherever the command's own
     * parsing would have reached them before replying.
     */
    static long redactedArgs(byte[][] argv, int argc) {
        byte[] name = argv[0];
        long mask = 0;
        if (eq(name, "auth")) {
            if (argc <= 3) mask = argc == 3 ? 0b110 : 0b10;
        } else if (eq(name, "hello") && argc >= 2) {
            if (!io.ember.util.Numbers.isLong(argv[1])) return 0;
            long ver = io.ember.util.Numbers.parseLong(argv[1]);
            if (ver < 2 || ver > 3) return 0;
            for (int j = 2; j < argc && j < 62; j++) {
                int more = argc - 1 - j;
                if (eq(argv[j], "auth") && more >= 2) {
                    mask |= 3L << (j + 1);
                    j += 2;
                } else if (eq(argv[j], "setname") && more >= 1) {
                    j++;
                } else {
                    break;
                }
            }
        } else if (eq(name, "migrate")) {
            for (int j = 6; j < argc && j < 62; j++) {
                int more = argc - 1 - j;
                if (eq(argv[j], "auth") && more >= 1) {
                    mask |= 1L << ++j;
                } else if (eq(argv[j], "auth2") && more >= 2) {
                    mask |= 3L << (j + 1);
                    j += 2;
                } else if (!eq(argv[j], "copy") && !eq(argv[j], "replace")) {
                    break; // KEYS ends the options; anything else is MIGRATE's syntax error
                }
            }
        }
        return mask;
    }

    private static boolean eq(byte[] arg, String lower) {
        return io.ember.util.Bytes.eqIgnoreCase(arg, lower);
    }
}
