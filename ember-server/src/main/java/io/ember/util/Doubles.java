package io.ember.util;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * Doubles the way Redis reads and prints them (sorted set scores, weights).
 *
 * <p>Parsing follows glibc's {@code strtod} exactly — decimal and hex forms, "inf"/"infinity",
 * correctly rounded — under the two sets of checks Redis puts around it:
 * <ul>
 * <li>{@link #parseStrict} is {@code string2d} (ZADD scores, ZINCRBY, WEIGHTS): the whole string,
 * no leading space, no NaN, and no overflow to infinity or underflow to zero;</li>
 * <li>{@link #parseRange} is the bare {@code strtod} of {@code zslParseRange} (ZRANGEBYSCORE min
 * and max): leading spaces are skipped, the C string ends at the first NUL, an empty string is 0,
 * overflow gives infinity; only trailing garbage and NaN are refused.</li>
 * </ul>
 * Both return NaN for "not a valid float", which is never a valid result.
 *
 * <p>Java's {@code Double.parseDouble} would not do: it takes "1d", "Infinity", spaces around,
 * and refuses "inf" and hex without a 'p'. Common forms (up to 19 significant digits) are
 * converted without allocating: the exact fast path for small exponents, otherwise the
 * Eisel–Lemire algorithm with a 128-bit table of powers of five; longer inputs and hex fall
 * back to the JDK's correctly rounded conversion.
 *
 * <p>Printing is C's {@code "%.17g"} (Redis 7.0's addReplyDouble and the score digests): the
 * exact binary value rounded half-to-even to 17 significant digits, trailing zeros removed.
 * {@link #d2string} is Redis's d2string, the text a score is stored as in a listpack.
 */
public final class Doubles {
    private Doubles() {}

    /** Longest text {@link #format17g} and {@link #d2string} write ("-2.2250738585072014e-308"). */
    public static final int MAX_CHARS = 24;

    // ---- parsing ------------------------------------------------------------------------------

    /** string2d: the whole array must be one strtod number; NaN when Redis says "not a valid float". */
    public static double parseStrict(byte[] s) {
        return parseStrict(s, 0, s.length);
    }

    public static double parseStrict(byte[] s, int off, int len) {
        if (len == 0 || isSpace(s[off])) return Double.NaN;
        return parse(s, off, off + len, true);
    }

    /**
     * strtod as zslParseRange calls it, on the C string starting at {@code off}: NaN when the text
     * is not entirely one number (after optional leading white space) or is a NaN.
     */
    public static double parseRange(byte[] s, int off) {
        int end = off;
        while (end < s.length && s[end] != 0) end++;
        int i = off;
        while (i < end && isSpace(s[i])) i++;
        double v = parse(s, i, end, false);
        // strtod made no conversion: it points back at the start, fine only for an empty string.
        if (v != v && !numberStart(s, i, end)) return off == end ? 0.0 : Double.NaN;
        return v;
    }

    /**
     * strtod of exactly {@code len} bytes with no further checks (zzlStrtod: a score stored as
     * text in a listpack); out of range gives infinity or zero. NaN when not a number.
     */
    public static double parseStored(byte[] s, int off, int len) {
        return parse(s, off, off + len, false);
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    /** Whether strtod would convert something at i (so a NaN from parse is a real refusal). */
    private static boolean numberStart(byte[] s, int i, int end) {
        if (i < end && (s[i] == '+' || s[i] == '-')) i++;
        if (i >= end) return false;
        int c = s[i] | 0x20;
        if (c == 'i' || c == 'n') return true;
        if (s[i] >= '0' && s[i] <= '9') return true;
        return s[i] == '.' && i + 1 < end && s[i + 1] >= '0' && s[i + 1] <= '9';
    }

    /**
     * One strtod number spanning exactly [i, end). {@code strict} adds string2d's refusal of
     * overflow and of underflow to zero. NaN when refused.
     */
    private static double parse(byte[] s, int i, int end, boolean strict) {
        if (i >= end) return Double.NaN;
        boolean neg = false;
        if (s[i] == '+' || s[i] == '-') {
            neg = s[i] == '-';
            i++;
        }
        if (i >= end) return Double.NaN;
        int c = s[i] | 0x20;
        if (c == 'i') return parseInfinity(s, i, end, neg);
        if (c == 'n') return Double.NaN; // "nan", "nan(...)": NaN is refused in every case
        if (s[i] == '0' && i + 1 < end && (s[i + 1] | 0x20) == 'x' && hexStart(s, i + 2, end)) {
            return parseHex(s, i + 2, end, neg, strict);
        }
        return parseDecimal(s, i, end, neg, strict);
    }

    private static double parseInfinity(byte[] s, int i, int end, boolean neg) {
        int n = end - i;
        if (n != 3 && n != 8) return Double.NaN;
        String word = n == 3 ? "inf" : "infinity";
        for (int k = 0; k < n; k++) {
            if ((s[i + k] | 0x20) != word.charAt(k)) return Double.NaN;
        }
        return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    private static boolean hexStart(byte[] s, int i, int end) {
        if (i < end && hexDigit(s[i]) >= 0) return true;
        return i + 1 < end && s[i] == '.' && hexDigit(s[i + 1]) >= 0;
    }

    private static int hexDigit(byte b) {
        if (b >= '0' && b <= '9') return b - '0';
        int l = b | 0x20;
        return l >= 'a' && l <= 'f' ? l - 'a' + 10 : -1;
    }

    /** Exact powers of ten representable as doubles (the fast path's multipliers). */
    private static final double[] P10 = new double[23];

    static {
        double p = 1;
        for (int k = 0; k < P10.length; k++, p *= 10) P10[k] = p;
    }

    private static double parseDecimal(byte[] s, int start, int end, boolean neg, boolean strict) {
        int i = start;
        long w = 0; // the first 19 significant digits
        int kept = 0;
        boolean truncated = false; // a nonzero digit beyond the 19th
        long exp10 = 0;
        boolean dot = false;
        int digits = 0;
        for (; i < end; i++) {
            byte b = s[i];
            if (b == '.') {
                if (dot) break;
                dot = true;
                continue;
            }
            if (b < '0' || b > '9') break;
            digits++;
            int d = b - '0';
            if (kept == 0 && d == 0) {
                if (dot) exp10--;
                continue;
            }
            if (kept < 19) {
                w = w * 10 + d;
                kept++;
                if (dot) exp10--;
            } else {
                if (d != 0) truncated = true;
                if (!dot) exp10++;
            }
        }
        if (digits == 0) return Double.NaN;
        if (i < end && (s[i] | 0x20) == 'e') {
            int j = i + 1;
            boolean eneg = false;
            if (j < end && (s[j] == '+' || s[j] == '-')) {
                eneg = s[j] == '-';
                j++;
            }
            if (j < end && s[j] >= '0' && s[j] <= '9') {
                long e = 0;
                for (; j < end && s[j] >= '0' && s[j] <= '9'; j++) {
                    if (e < 1_000_000_000L) e = e * 10 + (s[j] - '0');
                }
                exp10 += eneg ? -e : e;
                i = j;
            }
        }
        if (i != end) return Double.NaN; // trailing garbage: strtod stops before it
        if (w == 0) return neg ? -0.0 : 0.0;
        double v;
        if (truncated) {
            v = slowDecimal(s, start, end);
        } else if (w >= 0 && w < (1L << 53) && exp10 >= -22 && exp10 <= 22) { // w is unsigned
            v = exp10 < 0 ? w / P10[(int) -exp10] : w * P10[(int) exp10];
        } else if (exp10 < SMALLEST_POW10) {
            v = 0;
        } else if (exp10 > LARGEST_POW10) {
            v = Double.POSITIVE_INFINITY;
        } else {
            v = eiselLemire(w, (int) exp10);
        }
        if (strict && (v == 0 || Double.isInfinite(v))) return Double.NaN; // ERANGE
        return neg ? -v : v;
    }

    /** More than 19 significant digits: the JDK's correctly rounded conversion (positive text). */
    private static double slowDecimal(byte[] s, int start, int end) {
        return Double.parseDouble(new String(s, start, end - start, StandardCharsets.ISO_8859_1));
    }

    /** 0x already consumed and at least one hex digit follows: [hex][.hex][p[+-]digits]. */
    private static double parseHex(byte[] s, int i, int end, boolean neg, boolean strict) {
        StringBuilder whole = new StringBuilder(), frac = new StringBuilder();
        boolean dot = false;
        for (; i < end; i++) {
            if (s[i] == '.') {
                if (dot) break;
                dot = true;
                continue;
            }
            if (hexDigit(s[i]) < 0) break;
            (dot ? frac : whole).append((char) s[i]);
        }
        long exp = 0;
        if (i < end && (s[i] | 0x20) == 'p') {
            int j = i + 1;
            boolean eneg = false;
            if (j < end && (s[j] == '+' || s[j] == '-')) {
                eneg = s[j] == '-';
                j++;
            }
            if (j < end && s[j] >= '0' && s[j] <= '9') {
                for (; j < end && s[j] >= '0' && s[j] <= '9'; j++) {
                    if (exp < 1_000_000_000L) exp = exp * 10 + (s[j] - '0');
                }
                if (eneg) exp = -exp;
                i = j;
            }
        }
        if (i != end) return Double.NaN;
        boolean zero = true;
        for (int k = 0; k < whole.length() && zero; k++) zero = whole.charAt(k) == '0';
        for (int k = 0; k < frac.length() && zero; k++) zero = frac.charAt(k) == '0';
        if (zero) return neg ? -0.0 : 0.0;
        // Java's hex syntax needs a 'p' exponent; beyond ±100000 nothing changes the result.
        exp = Math.max(-100_000, Math.min(100_000, exp));
        double v = Double.parseDouble("0x" + whole + "." + frac + "p" + exp);
        if (strict && (v == 0 || Double.isInfinite(v))) return Double.NaN;
        return neg ? -v : v;
    }

    // ---- Eisel–Lemire -------------------------------------------------------------------------

    private static final int SMALLEST_POW10 = -342, LARGEST_POW10 = 308;
    /** For each q in [-342, 308]: 5^q normalized to 128 bits (high word, low word), as fast_float. */
    private static final long[] POW5_128 = new long[2 * (LARGEST_POW10 - SMALLEST_POW10 + 1)];

    static {
        BigInteger five = BigInteger.valueOf(5);
        for (int q = SMALLEST_POW10; q <= LARGEST_POW10; q++) {
            BigInteger c;
            if (q >= 0) {
                BigInteger p = five.pow(q);
                int bits = p.bitLength();
                c = bits <= 128 ? p.shiftLeft(128 - bits) : p.shiftRight(bits - 128);
            } else {
                BigInteger p = five.pow(-q);
                int z = p.bitLength();
                int b = q >= -27 ? z + 127 : 2 * z + 128;
                c = BigInteger.ONE.shiftLeft(b).divide(p).add(BigInteger.ONE);
                if (c.bitLength() > 128) c = c.shiftRight(c.bitLength() - 128);
            }
            int idx = 2 * (q - SMALLEST_POW10);
            POW5_128[idx] = c.shiftRight(64).longValue();
            POW5_128[idx + 1] = c.longValue();
        }
    }

    /** w * 10^q correctly rounded, for w in [1, 10^19) and q in [-342, 308] (positive result). */
    private static double eiselLemire(long w, int q) {
        int lz = Long.numberOfLeadingZeros(w);
        w <<= lz;
        int idx = 2 * (q - SMALLEST_POW10);
        long hi = Math.unsignedMultiplyHigh(w, POW5_128[idx]);
        long lo = w * POW5_128[idx];
        if ((hi & 0x1FF) == 0x1FF) { // not enough precision yet: add the next 64 bits
            long hi2 = Math.unsignedMultiplyHigh(w, POW5_128[idx + 1]);
            lo += hi2;
            if (Long.compareUnsigned(hi2, lo) > 0) hi++;
        }
        int upperbit = (int) (hi >>> 63);
        int shift = upperbit + 9;
        long mantissa = hi >>> shift;
        int power2 = (((152170 + 65536) * q) >> 16) + 63 + upperbit - lz + 1023;
        if (power2 <= 0) { // subnormal or zero
            if (-power2 + 1 >= 64) return 0;
            mantissa >>>= -power2 + 1;
            mantissa += mantissa & 1;
            mantissa >>>= 1;
            power2 = mantissa < (1L << 52) ? 0 : 1;
            return Double.longBitsToDouble(mantissa | ((long) power2 << 52));
        }
        // Exactly halfway between two doubles (only possible for small q): round to even.
        if (Long.compareUnsigned(lo, 1) <= 0 && q >= -4 && q <= 23 && (mantissa & 3) == 1
                && (mantissa << shift) == hi) {
            mantissa &= ~1L;
        }
        mantissa += mantissa & 1;
        mantissa >>>= 1;
        if (mantissa >= (2L << 52)) {
            mantissa = 1L << 52;
            power2++;
        }
        mantissa &= ~(1L << 52);
        if (power2 >= 0x7FF) return Double.POSITIVE_INFINITY;
        return Double.longBitsToDouble(mantissa | ((long) power2 << 52));
    }

    // ---- printing -----------------------------------------------------------------------------

    private static final long[] POW10 = new long[19];
    private static final long TEN17 = 100_000_000_000_000_000L, TEN16 = TEN17 / 10;

    static {
        long p = 1;
        for (int k = 0; k < POW10.length; k++, p *= 10) POW10[k] = p;
    }

    /** C's {@code "%.17g"} (inf as "inf", as Redis prints it) into buf at off; returns the length. */
    public static int format17g(double d, byte[] buf, int off) {
        if (d != d) return ascii("nan", buf, off);
        if (Double.isInfinite(d)) return ascii(d > 0 ? "inf" : "-inf", buf, off);
        int p = off;
        if (Double.doubleToRawLongBits(d) < 0) {
            buf[p++] = '-';
            d = -d;
        }
        if (d == 0) {
            buf[p++] = '0';
            return p - off;
        }
        // 17 significant digits N (10^16 <= N < 10^17) and exponent X: the value is ~ N * 10^(X-16)
        long packed = seventeenDigits(d);
        long digits;
        int x;
        if (packed >= 0) {
            digits = packed >>> 6;
            x = (int) (packed & 63) - EXP_BIAS;
        } else {
            BigDecimal r = new BigDecimal(d).round(new MathContext(17, RoundingMode.HALF_EVEN));
            int prec = r.precision();
            digits = r.unscaledValue().longValueExact() * POW10[17 - prec];
            x = prec - r.scale() - 1;
        }
        return p - off + writeG(digits, x, buf, p);
    }

    /** seventeenDigits packs N above 6 bits holding X + EXP_BIAS. */
    private static final int EXP_BIAS = 8;

    /**
     * The 17 significant digits N of d > 0 rounded half to even and its decimal exponent X,
     * packed as (N << 6) | (X + EXP_BIAS); -1 when d is outside the fast range [1e-5, 2^63).
     */
    private static long seventeenDigits(double d) {
        long bits = Double.doubleToRawLongBits(d);
        int be = (int) (bits >>> 52) & 0x7FF;
        if (be == 0) return -1; // subnormal
        long m = (bits & ((1L << 52) - 1)) | (1L << 52);
        int e2 = be - 1075; // d = m * 2^e2
        if (e2 >= 0) {
            if (e2 > 10) return -1; // >= 2^63
            long v = m << e2;
            int nd = Numbers.digits(v);
            if (nd <= 17) return pack(v * POW10[17 - nd], nd - 1);
            long div = POW10[nd - 17];
            long n = v / div, rem = v % div;
            long half = div / 2;
            if (rem > half || (rem == half && (n & 1) == 1)) n++;
            return n == TEN17 ? pack(TEN16, nd) : pack(n, nd - 1);
        }
        int q = -e2;
        int x = (int) Math.floor(Math.log10(d)); // may be off by one: corrected below
        for (int attempt = 0; attempt < 3; attempt++) {
            int p = 16 - x;
            if (p < 0 || p > 21) return -1;
            // P = m * 10^p as a 128-bit number (hi, lo)
            long hi, lo;
            if (p <= 18) {
                hi = Math.unsignedMultiplyHigh(m, POW10[p]);
                lo = m * POW10[p];
            } else {
                long h = Math.unsignedMultiplyHigh(m, POW10[18]);
                long l = m * POW10[18];
                long k = POW10[p - 18];
                lo = l * k;
                hi = h * k + Math.unsignedMultiplyHigh(l, k);
            }
            // T = P >> q; the bits shifted out decide the rounding
            long t;
            boolean halfBit, rest;
            if (q >= 128) return -1;
            if (q >= 64) {
                int s = q - 64;
                t = s == 0 ? hi : hi >>> s;
                halfBit = s == 0 ? lo < 0 : ((hi >>> (s - 1)) & 1) != 0;
                rest = s == 0 ? (lo << 1) != 0 : (lo != 0 || (hi & ((1L << (s - 1)) - 1)) != 0);
            } else {
                if ((hi >>> q) != 0) { // T >= 2^64: the exponent estimate was low
                    x++;
                    continue;
                }
                t = (lo >>> q) | (hi << (64 - q));
                halfBit = ((lo >>> (q - 1)) & 1) != 0;
                rest = q > 1 && (lo & ((1L << (q - 1)) - 1)) != 0;
            }
            if (t < 0 || t >= TEN17) {
                x++;
                continue;
            }
            if (t < TEN16) {
                x--;
                continue;
            }
            if (halfBit && (rest || (t & 1) == 1)) t++;
            return t == TEN17 ? pack(TEN16, x + 1) : pack(t, x);
        }
        return -1;
    }

    private static long pack(long n, int x) {
        return (n << 6) | (x + EXP_BIAS);
    }

    /**
     * %g layout of N (17 digits) * 10^(X-16): fixed for -4 <= X < 17, else d.ddde±XX; trailing
     * zeros trimmed. The digits are written once in place and moved around the decimal point.
     */
    private static int writeG(long n, int x, byte[] buf, int off) {
        int last = 16; // index of the last significant digit
        while (last > 0 && n % 10 == 0) {
            n /= 10;
            last--;
        }
        int count = last + 1;
        if (x < -4 || x >= 17) {
            Numbers.writeDigits(n, buf, off + 1 + count);
            buf[off] = buf[off + 1];
            int p = off + 1;
            if (count > 1) {
                buf[p] = '.';
                p += count;
            }
            buf[p++] = 'e';
            int ax = x;
            if (ax < 0) {
                buf[p++] = '-';
                ax = -ax;
            } else {
                buf[p++] = '+';
            }
            if (ax < 10) buf[p++] = '0';
            int nd = Numbers.digits(ax);
            Numbers.writeDigits(ax, buf, p + nd);
            return p + nd - off;
        }
        if (x >= 0) {
            if (count <= x + 1) { // an integer: the digits, then zeros up to the units
                Numbers.writeDigits(n, buf, off + count);
                for (int k = count; k <= x; k++) buf[off + k] = '0';
                return x + 1;
            }
            Numbers.writeDigits(n, buf, off + 1 + count);
            System.arraycopy(buf, off + 1, buf, off, x + 1);
            buf[off + x + 1] = '.';
            return count + 1;
        }
        int zeros = -x - 1;
        buf[off] = '0';
        buf[off + 1] = '.';
        for (int k = 0; k < zeros; k++) buf[off + 2 + k] = '0';
        Numbers.writeDigits(n, buf, off + 2 + zeros + count);
        return 2 + zeros + count;
    }

    public static byte[] format17g(double d) {
        byte[] buf = new byte[MAX_CHARS];
        int n = format17g(d, buf, 0);
        return java.util.Arrays.copyOf(buf, n);
    }

    /**
     * Redis's d2string, the text of a score stored in a listpack: integers strictly between
     * -(2^52 - 1) and 2^52 in decimal (so -0 becomes "0"), anything else as {@code "%.17g"}.
     */
    public static int d2string(double d, byte[] buf, int off) {
        if (d > -4503599627370495.0 && d < 4503599627370496.0 && d == (double) (long) d) {
            long v = (long) d;
            int n = Numbers.digits(v);
            Numbers.writeDigits(v, buf, off + n);
            return n;
        }
        return format17g(d, buf, off);
    }

    public static byte[] d2string(double d) {
        byte[] buf = new byte[MAX_CHARS];
        return java.util.Arrays.copyOf(buf, d2string(d, buf, 0));
    }

    private static int ascii(String s, byte[] buf, int off) {
        for (int k = 0; k < s.length(); k++) buf[off + k] = (byte) s.charAt(k);
        return s.length();
    }
}
