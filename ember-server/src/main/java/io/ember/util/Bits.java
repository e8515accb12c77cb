package io.ember.util;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Bit-level work on strings for the bitmap commands (bitops.c): population count, first set or
 * clear bit, BITOP's combinations and BITFIELD's integers. Bit 0 is the most significant bit of
 * byte 0, as in Redis. Whole 8-byte words are processed at once where the order of bits does not
 * matter (counts, AND/OR/XOR/NOT) or with a big-endian view where it does (first bit).
 */
public final class Bits {
    private Bits() {}

    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** Number of set bits in {@code p[off, off+n)} (redisPopcount). */
    public static long popcount(byte[] p, int off, int n) {
        long count = 0;
        int i = off, end = off + n;
        for (; i + 8 <= end; i += 8) count += Long.bitCount((long) LONG_LE.get(p, i));
        for (; i < end; i++) count += Integer.bitCount(p[i] & 0xff);
        return count;
    }

    /**
     * redisBitpos: the position (in bits, from {@code off}) of the first bit equal to {@code bit}
     * in {@code p[off, off+n)}. Not found: -1 when looking for a 1, {@code n*8} when looking for a
     * 0 (the string is considered padded with zeros on the right).
     */
    public static long bitpos(byte[] p, int off, int n, int bit) {
        int i = off, end = off + n;
        long skip = bit == 1 ? 0 : -1L; // a word made only of bits we are not looking for
        for (; i + 8 <= end; i += 8) {
            long w = (long) LONG_BE.get(p, i);
            if (w != skip) return (long) (i - off) * 8 + Long.numberOfLeadingZeros(bit == 1 ? w : ~w);
        }
        for (; i < end; i++) {
            int b = bit == 1 ? p[i] & 0xff : ~p[i] & 0xff;
            if (b != 0) return (long) (i - off) * 8 + Integer.numberOfLeadingZeros(b) - 24;
        }
        return bit == 1 ? -1 : (long) n * 8;
    }

    /** {@link #bitpos} of the single byte {@code b}. */
    public static int bitposByte(int b, int bit) {
        int x = (bit == 1 ? b : ~b) & 0xff;
        return x != 0 ? Integer.numberOfLeadingZeros(x) - 24 : bit == 1 ? -1 : 8;
    }

    public static final int AND = 0, OR = 1, XOR = 2, NOT = 3;

    /**
     * BITOP: combines {@code src} (null entries are missing keys, i.e. empty strings) into a new
     * array of {@code maxlen} bytes; shorter sources count as zero-padded.
     */
    public static byte[] bitop(int op, byte[][] src, int maxlen) {
        byte[] res = new byte[maxlen];
        int minlen = maxlen;
        for (byte[] s : src) minlen = Math.min(minlen, s == null ? 0 : s.length);
        int j = 0;
        if (op == NOT) {
            byte[] s = src[0];
            for (; j + 8 <= minlen; j += 8) LONG_LE.set(res, j, ~(long) LONG_LE.get(s, j));
            for (; j < maxlen; j++) res[j] = (byte) ~(j < s.length ? s[j] : 0);
            return res;
        }
        // Bytes every source has: whole words.
        for (; j + 8 <= minlen; j += 8) {
            long w = (long) LONG_LE.get(src[0], j);
            for (int k = 1; k < src.length; k++) {
                long x = (long) LONG_LE.get(src[k], j);
                w = op == AND ? w & x : op == OR ? w | x : w ^ x;
            }
            LONG_LE.set(res, j, w);
        }
        // The rest, byte by byte, missing bytes reading as zero.
        for (; j < maxlen; j++) {
            int out = byteAt(src[0], j);
            for (int k = 1; k < src.length; k++) {
                int x = byteAt(src[k], j);
                out = op == AND ? out & x : op == OR ? out | x : out ^ x;
            }
            res[j] = (byte) out;
        }
        return res;
    }

    private static int byteAt(byte[] s, int j) {
        return s != null && j < s.length ? s[j] & 0xff : 0;
    }

    // ---- BITFIELD integers ---------------------------------------------------------------------

    /** The unsigned {@code bits}-wide integer at bit {@code offset}; bytes past the end read as 0. */
    public static long getUnsigned(byte[] p, long offset, int bits) {
        long value = 0;
        for (int j = 0; j < bits; j++, offset++) {
            long idx = offset >>> 3;
            int bitval = idx < p.length ? (p[(int) idx] >> (7 - (int) (offset & 7))) & 1 : 0;
            value = (value << 1) | bitval;
        }
        return value;
    }

    /** The signed (two's complement) {@code bits}-wide integer at bit {@code offset}. */
    public static long getSigned(byte[] p, long offset, int bits) {
        long value = getUnsigned(p, offset, bits);
        if (bits < 64 && (value & (1L << (bits - 1))) != 0) value |= -1L << bits; // sign extension
        return value;
    }

    /** Writes the low {@code bits} bits of {@code value} at bit {@code offset} (inside {@code p}). */
    public static void set(byte[] p, long offset, int bits, long value) {
        for (int j = 0; j < bits; j++, offset++) {
            int bitval = (int) (value >>> (bits - 1 - j)) & 1;
            int idx = (int) (offset >>> 3);
            int shift = 7 - (int) (offset & 7);
            p[idx] = (byte) ((p[idx] & ~(1 << shift)) | (bitval << shift));
        }
    }

    public static final int WRAP = 0, SAT = 1, FAIL = 2;

    /**
     * checkUnsignedBitfieldOverflow: 0 when {@code value + incr} fits {@code bits} unsigned bits,
     * else 1 (too large) or -1 (below zero), with the value to store (wrapped or saturated) in
     * {@code limit[0]}. {@code value} is unsigned.
     */
    public static int unsignedOverflow(long value, long incr, int bits, int owtype, long[] limit) {
        long max = (1L << bits) - 1; // bits <= 63
        long maxincr = max - value;
        long minincr = -value;
        if (Long.compareUnsigned(value, max) > 0 || (incr > 0 && incr > maxincr)) {
            if (owtype == WRAP) limit[0] = (value + incr) & max;
            else if (owtype == SAT) limit[0] = max;
            return 1;
        } else if (incr < 0 && incr < minincr) {
            if (owtype == WRAP) limit[0] = (value + incr) & max;
            else if (owtype == SAT) limit[0] = 0;
            return -1;
        }
        return 0;
    }

    /** checkSignedBitfieldOverflow: the same for signed integers (arithmetic wraps as in C). */
    public static int signedOverflow(long value, long incr, int bits, int owtype, long[] limit) {
        long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        long min = -max - 1;
        long maxincr = max - value;
        long minincr = min - value;
        if (value > max || (bits != 64 && incr > maxincr) || (value >= 0 && incr > 0 && incr > maxincr)) {
            if (owtype == WRAP) limit[0] = wrapSigned(value, incr, bits);
            else if (owtype == SAT) limit[0] = max;
            return 1;
        } else if (value < min || (bits != 64 && incr < minincr) || (value < 0 && incr < 0 && incr < minincr)) {
            if (owtype == WRAP) limit[0] = wrapSigned(value, incr, bits);
            else if (owtype == SAT) limit[0] = min;
            return -1;
        }
        return 0;
    }

    private static long wrapSigned(long value, long incr, int bits) {
        long c = value + incr;
        if (bits < 64) {
            long mask = -1L << bits;
            c = (c & (1L << (bits - 1))) != 0 ? c | mask : c & ~mask;
        }
        return c;
    }
}
