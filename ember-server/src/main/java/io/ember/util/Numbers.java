package io.ember.util;

/**
 * Strict number parsing and formatting with Redis's rules (util.c): no spaces, no '+', no
 * leading zeros, no "-0", and overflow is an error rather than a wrap-around.
 */
public final class Numbers {
    /** Returned by the parse methods' callers to signal "not a number"; never a valid result flag. */
    private Numbers() {}

    /** Digits of Long.MIN_VALUE, the longest canonical long. */
    public static final int MAX_LONG_CHARS = 20;

    /** True when {@code b} is the canonical decimal form of a 64-bit signed integer. */
    public static boolean isLong(byte[] b) {
        return isLong(b, 0, b.length);
    }

    public static boolean isLong(byte[] b, int off, int len) {
        if (len == 0 || len > MAX_LONG_CHARS) return false;
        int i = off, end = off + len;
        boolean negative = false;
        if (b[i] == '-') {
            negative = true;
            if (++i == end) return false;
        }
        if (b[i] == '0') return len == 1; // "0" only; "-0", "01" are not canonical
        if (b[i] < '1' || b[i] > '9') return false;
        long v = 0; // accumulate negatively so Long.MIN_VALUE fits
        for (; i < end; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) return false;
            if (v < (Long.MIN_VALUE + d) / 10) return false;
            v = v * 10 - d;
            if (v > 0) return false;
        }
        return negative || v != Long.MIN_VALUE;
    }

    /** Parses a canonical long; call {@link #isLong} first, or catch NumberFormatException. */
    public static long parseLong(byte[] b) {
        return parseLong(b, 0, b.length);
    }

    public static long parseLong(byte[] b, int off, int len) {
        if (!isLong(b, off, len)) throw new NumberFormatException();
        int i = off, end = off + len;
        boolean negative = b[i] == '-';
        if (negative) i++;
        long v = 0;
        for (; i < end; i++) v = v * 10 - (b[i] - '0');
        return negative ? v : -v;
    }

    /** Number of characters of the decimal form of v. */
    public static int digits(long v) {
        if (v == Long.MIN_VALUE) return 20;
        int n = 1;
        if (v < 0) {
            n++;
            v = -v;
        }
        while (v >= 10) {
            v /= 10;
            n++;
        }
        return n;
    }

    public static byte[] toBytes(long v) {
        int n = digits(v);
        byte[] out = new byte[n];
        writeDigits(v, out, n);
        return out;
    }

    /** Writes the decimal form of v ending at {@code end} (exclusive) in {@code out}. */
    public static void writeDigits(long v, byte[] out, int end) {
        int i = end;
        if (v == Long.MIN_VALUE) {
            byte[] m = Bytes.ascii("-9223372036854775808");
            System.arraycopy(m, 0, out, end - 20, 20);
            return;
        }
        boolean negative = v < 0;
        if (negative) v = -v;
        do {
            out[--i] = (byte) ('0' + (v % 10));
            v /= 10;
        } while (v != 0);
        if (negative) out[--i] = '-';
    }
}
