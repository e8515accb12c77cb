package io.ember.pubsub;

import io.ember.testing.Differential;
import io.ember.testing.Differential.Mode;
import io.ember.testing.RawConnection;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * What the set and sorted set notification tests need beyond {@link io.ember.testing.NotificationCheck}:
 * a RESP3 connection subscribed to the events its own commands fire (so the pushes and the
 * reply share one stream and their relative order is compared byte for byte), and raw client
 * pairs for commands that block (their reply is read only after another client served them).
 */
final class NotificationPairs {
    private NotificationPairs() {}

    private static final byte[] PONG = "+PONG\r\n".getBytes(StandardCharsets.ISO_8859_1);

    /**
     * Opens a connection pair speaking RESP3 and subscribed to every keyspace and keyevent
     * channel; returns its index in {@code d}.
     */
    static int subscribedResp3(Differential d) {
        int conn = d.newConnection();
        d.on(conn, Mode.TYPE_ONLY, "hello", "3"); // the client id in HELLO's reply differs
        d.on(conn, Mode.EXACT, "psubscribe", "__key*__:*");
        return conn;
    }

    /**
     * Runs {@code cmd} on a connection from {@link #subscribedResp3}, then PING, and compares
     * everything both servers send up to the PONG in lockstep: the reply with the pushes of its
     * own events wherever they fall, before, inside or after it.
     */
    static void runSubscribed(Differential d, int conn, String... cmd) {
        d.on(conn, Mode.EXACT, cmd);
        byte[] r = d.on(conn, Mode.EXACT, "ping");
        for (int i = 0; i < 1000 && !Arrays.equals(r, PONG); i++) r = d.next(conn, Mode.EXACT, "reply or push");
    }

    /** One client on each server, for a command that blocks. */
    static final class Pair implements AutoCloseable {
        private final Differential d;
        final RawConnection redis, ember;

        Pair(Differential d) {
            this.d = d;
            this.redis = d.redis().raw();
            this.ember = d.ember().raw();
        }

        /** Sends without reading (the command may block). */
        void send(String... args) {
            byte[] req = RawConnection.encode(RawConnection.args(args));
            redis.send(req);
            ember.send(req);
        }

        /** Reads one reply from each; a difference is recorded as a divergence of {@code d}. */
        void read(String what) {
            byte[] r = redis.readReply(), e = ember.readReply();
            if (!Arrays.equals(r, e)) {
                d.divergences().add("(" + what + ")\n    redis: " + Differential.show(r) + "\n    ember: " + Differential.show(e));
            }
        }

        void call(String... args) {
            send(args);
            read(String.join(" ", args));
        }

        @Override
        public void close() {
            redis.close();
            ember.close();
        }
    }

    /** Waits until both servers count {@code n} blocked clients (INFO clients). */
    static void awaitBlocked(Differential d, int n) {
        long deadline = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < deadline) {
            if (blocked(d.redis().raw()) == n && blocked(d.ember().raw()) == n) return;
            try {
                TimeUnit.MILLISECONDS.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("clients did not block: redis " + blocked(d.redis().raw()) + ", ember "
                + blocked(d.ember().raw()));
    }

    private static long blocked(RawConnection c) {
        try (c) {
            String info = new String(c.call("info", "clients"), StandardCharsets.ISO_8859_1);
            int i = info.indexOf("blocked_clients:") + "blocked_clients:".length();
            return Long.parseLong(info.substring(i, info.indexOf('\r', i)));
        }
    }
}
