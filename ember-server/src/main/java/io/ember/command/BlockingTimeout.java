package io.ember.command;

import io.ember.client.Client;
import io.ember.util.LongDouble;

/**
 * The timeout argument of blocking commands in seconds (getTimeoutFromObjectOrReply with
 * UNIT_SECONDS, Redis 7.0): parsed as a long double (string2ld), multiplied by 1000 and
 * truncated as C does; negative is refused, 0 waits forever, anything else becomes an absolute
 * unix time in ms. As in 7.0 an absurd timeout that overflows when added to "now" is not
 * checked; it waits forever (the engine's Blocking treats deadlines <= 0 as none).
 */
final class BlockingTimeout {
    private BlockingTimeout() {}

    /** Returned after an error reply; never a deadline. */
    static final long INVALID = Long.MIN_VALUE;

    /** The absolute deadline in unix ms (0 = forever), or {@link #INVALID} after replying. */
    static long parse(Client c, byte[] arg) {
        LongDouble v = LongDouble.parse(arg);
        if (v == null) {
            c.reply.error("ERR timeout is not a float or out of range");
            return INVALID;
        }
        long ms = v.timesTruncated(1000);
        if (ms < 0) {
            c.reply.error("ERR timeout is negative");
            return INVALID;
        }
        return ms == 0 ? 0 : ms + c.engine.nowMs(); // may wrap negative, as in C
    }
}
