package io.ember.pubsub;

import io.ember.testing.Differential;
import io.ember.testing.RawConnection;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A RESP3 connection to each server of a {@link Differential} that is subscribed to every
 * keyspace and keyevent channel and runs commands itself. On such a connection the pushes a
 * command causes and its reply arrive in one stream, so comparing that stream byte for byte
 * shows whether each event comes before or after the reply exactly as in Redis (SET: events
 * then +OK; GETSET, EXPIRE: reply then events). Notifications must be enabled by the caller.
 */
final class OwnEventsResp3 implements AutoCloseable {
    /** PING's argument, echoed back as a bulk string: the end of one command's stream. */
    private static final String FENCE = "own-events-fence";
    private static final byte[] FENCE_REPLY = ("$" + FENCE.length() + "\r\n" + FENCE + "\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);

    private final RawConnection redis;
    private final RawConnection ember;
    private final List<String> divergences = new ArrayList<>();

    OwnEventsResp3(Differential d) {
        redis = d.redis().raw();
        ember = d.ember().raw();
        for (RawConnection c : new RawConnection[] {redis, ember}) {
            c.call("hello", "3");
            c.call("psubscribe", "__key*__:*");
        }
    }

    /** Runs {@code cmd} on both and compares everything received up to the fence. */
    void run(String... cmd) {
        byte[] expected = exchange(redis, cmd), actual = exchange(ember, cmd);
        if (!Arrays.equals(expected, actual)) {
            divergences.add(String.join(" ", cmd) + "\n    redis: " + Differential.show(expected)
                    + "\n    ember: " + Differential.show(actual));
        }
    }

    private static byte[] exchange(RawConnection c, String... cmd) {
        c.send(RawConnection.encode(RawConnection.args(cmd)));
        c.send(RawConnection.encode(RawConnection.args("ping", FENCE)));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < 10_000; i++) {
            byte[] r = c.readReply();
            if (Arrays.equals(r, FENCE_REPLY)) break;
            all.writeBytes(r);
        }
        return all.toByteArray();
    }

    void assertNoDivergence() {
        if (divergences.isEmpty()) return;
        StringBuilder sb = new StringBuilder(divergences.size() + " divergence(s) on a RESP3 connection receiving its own events:\n");
        for (String d : divergences.subList(0, Math.min(30, divergences.size()))) sb.append("  ").append(d).append('\n');
        throw new AssertionError(sb.toString());
    }

    @Override
    public void close() {
        redis.close();
        ember.close();
    }
}
