package io.ember.util;

import java.math.BigInteger;

/**
 * The x87 80-bit "long double" that Redis uses for INCRBYFLOAT, emulated exactly so that Ember
 * prints the same digits: 64-bit mantissa, exponents down to the subnormal 2^-16445, every
 * operation rounded to nearest, ties to even.
 *
 * <p>Three operations are needed: {@link #parse} (glibc {@code strtold} with the checks of
 * Redis's {@code string2ld}), {@link #add} (one long double addition) and {@link #toHuman}
 * ({@code "%.17Lf"} with trailing zeros removed, Redis's {@code ld2string} LD_STR_HUMAN). Values
 * are exact binary fractions {@code ±mantissa * 2^exponent}, computed with BigInteger.
 */
public final class LongDouble {
    /** Exponent of the least significant mantissa bit of the smallest subnormal, 2^-16445. */
    static final int MIN_EXP = -16445;
    /** Every finite value is below 2^MAX_BITS (LDBL_MAX = (2^64 - 1) * 2^16320). */
    static final int MAX_BITS = 16384;
    static final int MANTISSA_BITS = 64;
    /** Redis's MAX_LONG_DOUBLE_CHARS: longer strings are not parsed. */
    public static final int MAX_CHARS = 5 * 1024;

    private static final BigInteger TEN_POW_17 = BigInteger.TEN.pow(17);
    private static final BigInteger TEN_POW_18 = BigInteger.TEN.pow(18);

    public static final LongDouble POSITIVE_INFINITY = new LongDouble(false, BigInteger.ZERO, 0, true);
    public static final LongDouble NEGATIVE_INFINITY = new LongDouble(true, BigInteger.ZERO, 0, true);
    /** Marks a parse that overflowed or underflowed to zero (strtold's ERANGE cases Redis rejects). */
    private static final LongDouble OUT_OF_RANGE = new LongDouble(false, BigInteger.ZERO, 0, false);

    private final boolean negative;
    /** At most 64 bits; zero for ±0 and for the infinities. */
    private final BigInteger mantissa;
    private final int exponent;
    private final boolean infinite;

    private LongDouble(boolean negative, BigInteger mantissa, int exponent, boolean infinite) {
        this.negative = negative;
        this.mantissa = mantissa;
        this.exponent = exponent;
        this.infinite = infinite;
    }

    public static LongDouble of(long v) {
        // Every long fits in the 64-bit mantissa: the conversion is exact, as (long double)ll is.
        BigInteger m = BigInteger.valueOf(v).abs();
        return new LongDouble(v < 0, m, 0, false);
    }

    public boolean isInfinite() {
        return infinite;
    }

    public boolean isZero() {
        return !infinite && mantissa.signum() == 0;
    }

    /** Exponent of the mantissa's lowest bit: the value is ±mantissa * 2^exponent. */
    int exponent() {
        return exponent;
    }

    BigInteger mantissa() {
        return mantissa;
    }

    /** The exact value as a BigDecimal (tests); infinities throw. */
    java.math.BigDecimal toBigDecimal() {
        if (infinite) throw new ArithmeticException("infinite");
        java.math.BigDecimal d = exponent >= 0
                ? new java.math.BigDecimal(mantissa.shiftLeft(exponent))
                : new java.math.BigDecimal(mantissa.multiply(BigInteger.valueOf(5).pow(-exponent)), -exponent);
        return negative ? d.negate() : d;
    }

    // ---- parsing (string2ld) ------------------------------------------------------------------

    /**
     * Parses like Redis's string2ld: the whole string must be one strtold number (no spaces, no
     * NUL), shorter than {@link #MAX_CHARS}; NaN, overflow to infinity and underflow to zero are
     * rejected. "inf"/"infinity" are accepted. Returns null when Redis would reply "not a valid
     * float".
     */
    public static LongDouble parse(byte[] s) {
        return parse(s, 0, s.length);
    }

    public static LongDouble parse(byte[] s, int off, int len) {
        if (len == 0 || len >= MAX_CHARS) return null;
        int i = off, end = off + len;
        boolean neg = false;
        if (s[i] == '+' || s[i] == '-') {
            neg = s[i] == '-';
            i++;
        }
        if (i == end) return null;
        LongDouble r;
        int c = s[i] | 0x20;
        if (c == 'i') {
            r = parseInfinity(s, i, end, neg);
        } else if (s[i] == '0' && i + 1 < end && (s[i + 1] | 0x20) == 'x') {
            r = parseHex(s, i + 2, end, neg);
        } else {
            r = parseDecimal(s, i, end, neg);
        }
        return r == OUT_OF_RANGE ? null : r;
    }

    private static LongDouble parseInfinity(byte[] s, int i, int end, boolean neg) {
        int n = end - i;
        if (n != 3 && n != 8) return null;
        String word = n == 3 ? "inf" : "infinity";
        for (int k = 0; k < n; k++) {
            if ((s[i + k] | 0x20) != word.charAt(k)) return null;
        }
        return neg ? NEGATIVE_INFINITY : POSITIVE_INFINITY;
    }

    /** [digits][.digits][e[+-]digits], at least one digit, consuming everything. */
    private static LongDouble parseDecimal(byte[] s, int i, int end, boolean neg) {
        BigInteger big = null;
        long small = 0;
        int smallDigits = 0;
        int significant = 0; // digits after leading zeros
        int digits = 0;
        int fractionDigits = 0;
        boolean dot = false;
        for (; i < end; i++) {
            int b = s[i];
            if (b == '.') {
                if (dot) return null;
                dot = true;
                continue;
            }
            if (b < '0' || b > '9') break;
            digits++;
            if (dot) fractionDigits++;
            int d = b - '0';
            if (significant == 0 && d == 0) continue;
            significant++;
            small = small * 10 + d;
            if (++smallDigits == 18) { // flush before a long overflows
                big = big == null ? BigInteger.valueOf(small) : big.multiply(TEN_POW_18).add(BigInteger.valueOf(small));
                small = 0;
                smallDigits = 0;
            }
        }
        if (digits == 0) return null;
        long exp = 0;
        if (i < end) {
            if ((s[i] | 0x20) != 'e') return null;
            long[] e = parseExponent(s, i + 1, end);
            if (e == null) return null;
            exp = e[0];
        }
        BigInteger d;
        if (big == null) d = BigInteger.valueOf(small);
        else d = smallDigits == 0 ? big : big.multiply(BigInteger.TEN.pow(smallDigits)).add(BigInteger.valueOf(small));
        if (d.signum() == 0) return new LongDouble(neg, BigInteger.ZERO, 0, false);
        long x = exp - fractionDigits; // value = d * 10^x, d has `significant` digits
        // 10^(significant-1+x) <= value < 10^(significant+x); LDBL_MAX ~ 1.19e4932 and half the
        // smallest subnormal ~ 1.82e-4951 bound the range that needs exact arithmetic.
        if (significant - 1 + x > 4932) return OUT_OF_RANGE;
        if (significant + x < -4951) return OUT_OF_RANGE;
        if (x >= 0) return round(neg, d.multiply(BigInteger.TEN.pow((int) x)), 0, false);
        BigInteger p = BigInteger.TEN.pow((int) -x);
        // Scale so the quotient has 65..67 bits (or stops at the subnormal limit), leaving room to
        // round with the remainder as sticky bit.
        int e = d.bitLength() - p.bitLength() - (MANTISSA_BITS + 2);
        if (e < MIN_EXP - 2) e = MIN_EXP - 2;
        BigInteger num = e < 0 ? d.shiftLeft(-e) : d;
        BigInteger den = e > 0 ? p.shiftLeft(e) : p;
        BigInteger[] qr = num.divideAndRemainder(den);
        return round(neg, qr[0], e, qr[1].signum() != 0);
    }

    /** 0x already consumed: hexdigits[.hexdigits][p[+-]digits], at least one hex digit. */
    private static LongDouble parseHex(byte[] s, int i, int end, boolean neg) {
        int start = i;
        int digits = 0, fractionDigits = 0;
        boolean dot = false;
        StringBuilder hex = new StringBuilder();
        for (; i < end; i++) {
            int b = s[i];
            if (b == '.') {
                if (dot) return null;
                dot = true;
                continue;
            }
            if (Character.digit(b, 16) < 0) break;
            digits++;
            if (dot) fractionDigits++;
            if (hex.length() > 0 || b != '0') hex.append((char) b);
        }
        if (digits == 0) return null; // "0x" alone: strtold stops after the 0, so not all is consumed
        long exp = 0;
        if (i < end) {
            if ((s[i] | 0x20) != 'p') return null;
            long[] e = parseExponent(s, i + 1, end);
            if (e == null) return null;
            exp = e[0];
        }
        if (hex.length() == 0) return new LongDouble(neg, BigInteger.ZERO, 0, false);
        BigInteger h = new BigInteger(hex.toString(), 16);
        long e = exp - 4L * fractionDigits;
        long top = h.bitLength() + e; // value < 2^top
        if (top > MAX_BITS) return OUT_OF_RANGE;
        if (top <= MIN_EXP - 1) return OUT_OF_RANGE; // below half the smallest subnormal
        return round(neg, h, (int) e, false);
    }

    /** [+-]digits to the end; saturates far beyond any exponent that matters. Null if malformed. */
    private static long[] parseExponent(byte[] s, int i, int end) {
        boolean neg = false;
        if (i < end && (s[i] == '+' || s[i] == '-')) {
            neg = s[i] == '-';
            i++;
        }
        if (i == end) return null;
        long v = 0;
        for (; i < end; i++) {
            int d = s[i] - '0';
            if (d < 0 || d > 9) return null;
            if (v < 1_000_000_000L) v = v * 10 + d;
        }
        return new long[] {neg ? -v : v};
    }

    /**
     * Rounds {@code q * 2^e} (plus a nonzero remainder below its last bit when {@code sticky}) to
     * a long double: 64 significant bits, no bit below 2^MIN_EXP, ties to even. Overflow gives
     * OUT_OF_RANGE (the caller decides what an infinity means), as does a nonzero value that
     * rounds to zero.
     */
    private static LongDouble round(boolean neg, BigInteger q, int e, boolean sticky) {
        int bits = q.bitLength();
        if (bits == 0) return sticky ? OUT_OF_RANGE : new LongDouble(neg, BigInteger.ZERO, 0, false);
        int shift = Math.max(bits - MANTISSA_BITS, MIN_EXP - e);
        BigInteger m = q;
        if (shift > 0) {
            m = q.shiftRight(shift);
            boolean half = q.testBit(shift - 1);
            boolean rest = sticky || q.getLowestSetBit() < shift - 1;
            if (half && (rest || m.testBit(0))) {
                m = m.add(BigInteger.ONE);
                if (m.bitLength() > MANTISSA_BITS) {
                    m = m.shiftRight(1);
                    shift++;
                }
            }
            e += shift;
        }
        if (m.signum() == 0) return OUT_OF_RANGE;
        if ((long) m.bitLength() + e > MAX_BITS) return OUT_OF_RANGE;
        return new LongDouble(neg, m, e, false);
    }

    // ---- arithmetic -----------------------------------------------------------------------------

    /**
     * {@code this + other} as one x87 addition. Returns null when the result is NaN or infinite,
     * which INCRBYFLOAT refuses.
     */
    public LongDouble add(LongDouble other) {
        if (infinite || other.infinite) return null; // inf + x is inf or NaN
        int e = Math.min(exponent, other.exponent);
        BigInteger a = mantissa.shiftLeft(exponent - e);
        BigInteger b = other.mantissa.shiftLeft(other.exponent - e);
        if (negative) a = a.negate();
        if (other.negative) b = b.negate();
        BigInteger sum = a.add(b);
        if (sum.signum() == 0) {
            // x + (-x) is +0 in round-to-nearest; -0 + -0 stays -0. Either prints as "0".
            return new LongDouble(negative && other.negative, BigInteger.ZERO, 0, false);
        }
        LongDouble r = round(sum.signum() < 0, sum.abs(), e, false);
        return r == OUT_OF_RANGE ? null : r; // an exact nonzero sum cannot round to zero: overflow
    }

    /**
     * {@code (long long)(this * factor)}: one x87 multiplication (rounded to a 64-bit mantissa),
     * then conversion truncating toward zero; a result that does not fit (or an infinity) gives
     * the x87 "integer indefinite" Long.MIN_VALUE, as C does on x86. Blocking commands turn
     * their seconds argument into milliseconds this way (getTimeoutFromObjectOrReply).
     */
    public long timesTruncated(long factor) {
        if (infinite) return Long.MIN_VALUE;
        BigInteger q = mantissa.multiply(BigInteger.valueOf(factor).abs());
        boolean neg = negative ^ (factor < 0);
        LongDouble p = round(neg, q, exponent, false);
        if (p == OUT_OF_RANGE) return q.signum() == 0 ? 0 : Long.MIN_VALUE;
        BigInteger whole = p.exponent >= 0 ? p.mantissa.shiftLeft(p.exponent) : p.mantissa.shiftRight(-p.exponent);
        if (whole.bitLength() > 63) return Long.MIN_VALUE;
        return neg ? -whole.longValue() : whole.longValue();
    }

    // ---- formatting (ld2string LD_STR_HUMAN) ----------------------------------------------------

    /**
     * {@code "%.17Lf"} (exact decimal expansion rounded half-even at 17 decimals, as glibc prints)
     * with trailing zeros and a trailing dot removed, and "-0" printed as "0".
     */
    public byte[] toHuman() {
        if (infinite) return Bytes.ascii(negative ? "-inf" : "inf");
        if (exponent >= 0) { // an integer: "%.17Lf" prints it with zero decimals, all stripped
            if (mantissa.signum() == 0) return new byte[] {'0'};
            return Bytes.ascii((negative ? "-" : "") + mantissa.shiftLeft(exponent));
        }
        // round(|value| * 10^17), half to even, from the exact product mantissa * 10^17 / 2^s
        int s = -exponent;
        BigInteger t = mantissa.multiply(TEN_POW_17);
        BigInteger scaled = t.shiftRight(s);
        if (t.testBit(s - 1) && (t.getLowestSetBit() < s - 1 || scaled.testBit(0))) {
            scaled = scaled.add(BigInteger.ONE);
        }
        if (scaled.signum() == 0) return new byte[] {'0'};
        BigInteger[] parts = scaled.divideAndRemainder(TEN_POW_17);
        String whole = parts[0].toString();
        long frac = parts[1].longValue();
        StringBuilder sb = new StringBuilder(whole.length() + 19);
        if (negative) sb.append('-');
        sb.append(whole);
        if (frac != 0) {
            String f = Long.toString(frac);
            sb.append('.');
            for (int k = f.length(); k < 17; k++) sb.append('0');
            int last = f.length();
            while (f.charAt(last - 1) == '0') last--;
            sb.append(f, 0, last);
        }
        return Bytes.ascii(sb.toString());
    }

    @Override
    public String toString() {
        return Bytes.latin1(toHuman());
    }
}
