package io.ember.command;

import io.ember.client.Client;
import io.ember.util.LongDouble;

/**
 * The timeout argument of blocking commands in seconds (getTimeoutFromObjectOrReply with
 * UNIT_SECONDS, Redis 7.0): {@code (long long) ceill(strtold(arg) * 1000)} milliseconds, which
 * must not be negative (so 0.0001 is 1 ms and -0.0001 is 0). 0 waits forever; anything else
 * becomes an absolute unix time in ms (a sum that overflows also waits forever, as in 7.0).
 */
final class BlockingTimeout {
    private BlockingTimeout() {}

    /** Returned after an error reply; never a deadline. */
    static final long INVALID = -1;

    /** The absolute deadline in unix ms (0 = forever), or {@link #INVALID} after replying. */
    static long parse(Client c, byte[] arg) {
        LongDouble seconds = LongDouble.parse(arg);
        if (seconds == null) {
            c.reply.error("ERR timeout is not a float or out of range");
            return INVALID;
        }
        long ms = seconds.multiply(1000).toLongCeiling();
        if (ms < 0) {
            c.reply.error("ERR timeout is negative");
            return INVALID;
        }
        if (ms == 0) return 0;
        long deadline = ms + c.engine.nowMs();
        return deadline > 0 ? deadline : 0;
    }
}
