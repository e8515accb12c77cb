package io.ember.geo;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * C's {@code "%.<n>f"} of a double as glibc prints it — the exact binary value rounded half to
 * even at n decimals — for the geo replies: distances ({@code "%.4f"}), coordinates (Redis's
 * {@code "%.17Lf"} with trailing zeros removed, ld2string LD_STR_HUMAN; a double converts to
 * long double exactly, so the digits are those of the double) and the {@code "%f"} of the
 * invalid-coordinates error. Values whose scaled magnitude fits in 64 bits (every coordinate and
 * distance) are converted with one 128-bit product and no allocation besides the output.
 */
public final class FixedPoint {
    private FixedPoint() {}

    private static final long[] POW10 = new long[19];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) POW10[i] = POW10[i - 1] * 10;
    }

    /** Longest output of the fast path: sign, 20 digits, dot, 17 decimals. */
    public static final int MAX_FAST_CHARS = 40;

    /** {@code "%.<decimals>f"} (decimals 0..17) into a new array. */
    public static byte[] format(double v, int decimals) {
        byte[] buf = new byte[MAX_FAST_CHARS];
        int n = format(v, decimals, false, buf);
        if (n < 0) return slow(v, decimals, false);
        return java.util.Arrays.copyOf(buf, n);
    }

    /** ld2string LD_STR_HUMAN: "%.17Lf", trailing zeros and dot removed, "-0" as "0". */
    public static byte[] human(double v) {
        byte[] buf = new byte[MAX_FAST_CHARS];
        int n = format(v, 17, true, buf);
        if (n < 0) return slow(v, 17, true);
        return java.util.Arrays.copyOf(buf, n);
    }

    /**
     * Writes the text into {@code buf} (at least {@link #MAX_FAST_CHARS}) and returns its
     * length, or -1 when the value needs the slow path (huge, infinite or NaN).
     */
    public static int format(double v, int decimals, boolean human, byte[] buf) {
        if (v != v || Double.isInfinite(v)) return -1;
        long bits = Double.doubleToRawLongBits(v);
        boolean negative = bits < 0;
        double a = Math.abs(v);
        long p10 = POW10[decimals];
        if (a * p10 >= 1.8e19) return -1;
        long q;
        if (a == 0) {
            q = 0;
        } else {
            int exp = (int) ((bits >>> 52) & 0x7ff);
            long m = bits & 0xFFFFFFFFFFFFFL;
            int e;
            if (exp == 0) {
                e = -1074;
            } else {
                m |= 1L << 52;
                e = exp - 1075;
            }
            if (e >= 0) {
                q = (m << e) * p10; // a < 1.8e19 / p10, so no overflow
            } else {
                q = scaleRound(m, p10, -e);
            }
        }
        long whole = Long.divideUnsigned(q, p10);
        long frac = Long.remainderUnsigned(q, p10);
        int n = 0;
        if (negative && !(human && q == 0)) buf[n++] = '-';
        n = writeUnsigned(whole, buf, n);
        if (decimals > 0) {
            int dot = n;
            buf[n++] = '.';
            for (int i = decimals - 1; i >= 0; i--) {
                buf[n + i] = (byte) ('0' + frac % 10);
                frac /= 10;
            }
            n += decimals;
            if (human) {
                while (buf[n - 1] == '0') n--;
                if (n - 1 == dot) n--;
            }
        }
        return n;
    }

    /** round_half_even(m * p10 / 2^s) for s >= 1, the product taken in 128 bits. */
    private static long scaleRound(long m, long p10, int s) {
        long hi = Math.multiplyHigh(m, p10), lo = m * p10;
        if (s >= 128) return 0; // the product is below 2^127: under one half
        long q;
        int cmp; // remainder compared with one half
        if (s < 64) {
            q = (hi << (64 - s)) | (lo >>> s);
            long rem = lo & ((1L << s) - 1);
            cmp = Long.compareUnsigned(rem, 1L << (s - 1));
        } else if (s == 64) {
            q = hi;
            cmp = Long.compareUnsigned(lo, Long.MIN_VALUE);
        } else {
            q = hi >>> (s - 64);
            long remHi = hi & ((1L << (s - 64)) - 1);
            cmp = Long.compareUnsigned(remHi, 1L << (s - 65));
            if (cmp == 0) cmp = lo != 0 ? 1 : 0;
        }
        if (cmp > 0 || (cmp == 0 && (q & 1) != 0)) q++;
        return q;
    }

    private static int writeUnsigned(long v, byte[] buf, int n) {
        String s = Long.toUnsignedString(v);
        for (int i = 0; i < s.length(); i++) buf[n++] = (byte) s.charAt(i);
        return n;
    }

    /** Exact decimal through BigDecimal, for values the fast path declines. */
    static byte[] slow(double v, int decimals, boolean human) {
        boolean negative = Double.doubleToRawLongBits(v) < 0;
        String s;
        if (v != v) {
            s = negative ? "-nan" : "nan";
        } else if (Double.isInfinite(v)) {
            s = negative ? "-inf" : "inf";
        } else {
            s = new BigDecimal(Math.abs(v)).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
            if (human && s.indexOf('.') >= 0) {
                int end = s.length();
                while (s.charAt(end - 1) == '0') end--;
                if (s.charAt(end - 1) == '.') end--;
                s = s.substring(0, end);
            }
            if (negative && !(human && s.equals("0"))) s = "-" + s;
        }
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
