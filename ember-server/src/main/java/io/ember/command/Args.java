package io.ember.command;

import io.ember.client.Client;
import io.ember.util.Numbers;

/**
 * Numeric arguments parsed and range-checked with Redis's replies (getLongFromObjectOrReply,
 * getIntFromObjectOrReply). Each method returns {@link #INVALID} after replying with the error.
 */
final class Args {
    private Args() {}

    /** Outside the int range, so it can never be a parsed int. */
    static final long INVALID = Long.MIN_VALUE;

    /**
     * A 32-bit signed integer argument. {@code msg} replaces both error texts when given (as
     * SWAPDB's "invalid first DB index"); otherwise Redis's generic texts are used.
     */
    static long intOrReply(Client c, byte[] arg, String msg) {
        if (!Numbers.isLong(arg)) {
            c.reply.error(msg != null ? "ERR " + msg : Errors.NOT_INTEGER);
            return INVALID;
        }
        long v = Numbers.parseLong(arg);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            c.reply.error(msg != null ? "ERR " + msg
                    : "ERR value is out of range, value must between -2147483648 and 2147483647");
            return INVALID;
        }
        return v;
    }

    /**
     * A 64-bit signed integer argument (getLongFromObjectOrReply). {@code msg} replaces the
     * generic error text when given ("ERR " is prefixed). Every long is a valid value, so the
     * result goes to {@code out[0]}; returns false after replying.
     */
    static boolean longOrReply(Client c, byte[] arg, String msg, long[] out) {
        if (!Numbers.isLong(arg)) {
            c.reply.error(msg != null ? "ERR " + msg : Errors.NOT_INTEGER);
            return false;
        }
        out[0] = Numbers.parseLong(arg);
        return true;
    }

    /**
     * getRangeLongFromObjectOrReply: an integer in [min, max]; {@code msg} (if given) is the
     * error for both a non-integer and a value out of range, else Redis's generic texts.
     * Returns false after replying.
     */
    static boolean rangeLongOrReply(Client c, byte[] arg, long min, long max, String msg, long[] out) {
        if (!longOrReply(c, arg, msg, out)) return false;
        if (out[0] < min || out[0] > max) {
            c.reply.error(msg != null ? "ERR " + msg
                    : "ERR value is out of range, value must between " + min + " and " + max);
            return false;
        }
        return true;
    }
}
