package io.ember.testing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One client on each server of a {@link Differential}, for a command that blocks: it is sent
 * without waiting, and its reply is read once another client has served it. Differences are
 * recorded as divergences of the {@link Differential}.
 */
public final class BlockingPair implements AutoCloseable {
    private final Differential d;
    private final RawConnection redis, ember;

    public BlockingPair(Differential d) {
        this.d = d;
        this.redis = d.redis().raw();
        this.ember = d.ember().raw();
    }

    /** Sends without reading (the command may block). */
    public void send(String... args) {
        byte[] req = RawConnection.encode(RawConnection.args(args));
        redis.send(req);
        ember.send(req);
    }

    /** Reads the next reply or push from each and compares them; {@code what} names it in reports. */
    public void read(String what) {
        byte[] r = redis.readReply(), e = ember.readReply();
        if (!Arrays.equals(r, e)) {
            d.divergences().add("(" + what + ")\n    redis: " + Differential.show(r) + "\n    ember: " + Differential.show(e));
        }
    }

    /** Reads the next reply from each without comparing (HELLO's, whose client ids differ). */
    public void skip() {
        redis.readReply();
        ember.readReply();
    }

    /** Sends and compares the reply: for commands that do not block. */
    public void call(String... args) {
        send(args);
        read(String.join(" ", args));
    }

    /** Waits until both servers count {@code n} blocked clients (INFO clients). */
    public static void awaitBlocked(Differential d, int n) {
        try (RawConnection r = d.redis().raw(); RawConnection e = d.ember().raw()) {
            long deadline = System.currentTimeMillis() + 5000;
            while (blocked(r) != n || blocked(e) != n) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("expected " + n + " blocked clients: redis " + blocked(r) + ", ember " + blocked(e));
                }
                Thread.sleep(5);
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    private static int blocked(RawConnection c) {
        String info = new String(c.call("info", "clients"), StandardCharsets.ISO_8859_1);
        int at = info.indexOf("blocked_clients:") + "blocked_clients:".length();
        return Integer.parseInt(info.substring(at, info.indexOf('\r', at)));
    }

    @Override
    public void close() {
        redis.close();
        ember.close();
    }
}
