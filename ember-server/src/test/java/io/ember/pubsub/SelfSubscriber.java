package io.ember.pubsub;

import io.ember.testing.Differential;
import io.ember.testing.Differential.Mode;
import java.nio.charset.StandardCharsets;

/**
 * A RESP3 connection (on redis-server and on Ember) subscribed to its own keyspace events: the
 * pushes land in the same stream as the replies, so comparing that stream shows whether each
 * notification is published before or after the command's reply, as Redis does it.
 * {@link io.ember.testing.NotificationCheck} (a separate subscriber) only sees the events' order.
 */
final class SelfSubscriber {
    private final Differential d;
    private final int conn;
    private boolean inMulti;

    SelfSubscriber(Differential d, String classes) {
        this.d = d;
        d.check("config", "set", "notify-keyspace-events", classes);
        conn = d.newConnection();
        d.on(conn, Mode.TYPE_ONLY, "hello", "3"); // the client id in HELLO's reply differs
        d.on(conn, Mode.EXACT, "psubscribe", "__key*__:*");
    }

    /**
     * Runs {@code cmd} on the subscribed connection and compares everything it receives up to a
     * PING fence (none inside MULTI, where PING would be queued: EXEC's fence covers the block).
     */
    void run(String... cmd) {
        d.on(conn, Mode.EXACT, cmd);
        if (cmd[0].equalsIgnoreCase("multi")) inMulti = true;
        else if (cmd[0].equalsIgnoreCase("exec") || cmd[0].equalsIgnoreCase("discard")) inMulti = false;
        if (inMulti) return;
        byte[] r = d.on(conn, Mode.EXACT, "ping");
        for (int i = 0; i < 10_000 && !"+PONG\r\n".equals(new String(r, StandardCharsets.ISO_8859_1)); i++) {
            r = d.next(conn, Mode.EXACT, "reply or push after " + String.join(" ", cmd));
        }
    }
}
