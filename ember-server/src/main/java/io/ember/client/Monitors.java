package io.ember.client;

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
        sb.append(source.conn == null ? "embedded" : source.conn.peerAddress()).append(']');
        for (int i = 0; i < argc; i++) {
            sb.append(' ');
            appendRepr(sb, argv[i]);
        }
        String line = sb.toString();
        for (Client m : clients) {
            m.reply.simple(line);
            m.engine.markPendingWrite(m);
        }
    }

    /** Quoted representation of a binary string, as sdscatrepr. */
    public static void appendRepr(StringBuilder sb, byte[] s) {
        sb.append('"');
        for (byte b : s) {
            int c = b & 0xff;
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 7 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                default -> {
                    if (c >= 32 && c < 127) sb.append((char) c);
                    else sb.append(String.format("\\x%02x", c));
                }
            }
        }
        sb.append('"');
    }
}
