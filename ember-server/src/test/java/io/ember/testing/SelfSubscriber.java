package io.ember.testing;

import io.ember.testing.Differential.Mode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A RESP3 connection on each server of a {@link Differential}, subscribed to every keyspace and
 * keyevent channel, that runs commands itself. It exists because only such a client sees
 * whether each event comes before or after the reply (SET: events, then +OK; GETSET, EXPIRE: the
 * reply, then events; ZPOPMIN: the push inside the reply): the pushes and the reply share one
 * stream. {@link NotificationCheck}'s separate subscriber sees only the events' order.
 *
 * <p>Everything each server sends up to a PING fence is compared byte for byte; differences are
 * recorded as divergences of the {@link Differential}.
 */
public final class SelfSubscriber implements AutoCloseable {
    /** PING's argument, echoed back as a bulk string: the end of one command's output. */
    private static final String FENCE = "self-subscriber-fence";
    private static final byte[] FENCE_REPLY = ("$" + FENCE.length() + "\r\n" + FENCE + "\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] FENCE_REQUEST = RawConnection.encode(RawConnection.args("ping", FENCE));

    private final Differential d;
    private final RawConnection redis, ember;
    private boolean inMulti;

    /** Sets notify-keyspace-events to {@code classes} on both servers and subscribes. */
    public SelfSubscriber(Differential d, String classes) {
        this.d = d;
        d.check("config", "set", "notify-keyspace-events", classes);
        redis = d.redis().raw();
        ember = d.ember().raw();
        compare(Mode.TYPE_ONLY, "hello 3", redis.call("hello", "3"), ember.call("hello", "3")); // client ids differ
        compare(Mode.EXACT, "psubscribe", redis.call("psubscribe", "__key*__:*"), ember.call("psubscribe", "__key*__:*"));
    }

    /**
     * Runs {@code cmd} on both and compares all they send for it: its reply with the pushes of
     * its own events wherever they fall, and those of clients it served. Inside MULTI only the
     * reply (PING would be queued there); EXEC's output covers the block.
     */
    public void run(String... cmd) {
        if (cmd[0].equalsIgnoreCase("multi")) inMulti = true;
        else if (cmd[0].equalsIgnoreCase("exec") || cmd[0].equalsIgnoreCase("discard")) inMulti = false;
        byte[] req = RawConnection.encode(RawConnection.args(cmd));
        compare(Mode.EXACT, String.join(" ", cmd), exchange(redis, req), exchange(ember, req));
    }

    /**
     * Sends {@code req}; once its first reply or push has come (the command ran: no pipelining),
     * sends the fence and returns everything received before the fence's reply.
     */
    private byte[] exchange(RawConnection c, byte[] req) {
        c.send(req);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(c.readReply());
        if (inMulti) return all.toByteArray();
        c.send(FENCE_REQUEST);
        for (int i = 0; i < 10_000; i++) {
            byte[] r = c.readReply();
            if (Arrays.equals(r, FENCE_REPLY)) break;
            all.writeBytes(r);
        }
        return all.toByteArray();
    }

    private void compare(Mode mode, String what, byte[] expected, byte[] actual) {
        if (!Differential.same(mode, expected, actual)) {
            d.divergences().add(what + " (on a connection subscribed to its own events)\n    redis: "
                    + Differential.show(expected) + "\n    ember: " + Differential.show(actual));
        }
    }

    @Override
    public void close() {
        redis.close();
        ember.close();
    }
}
