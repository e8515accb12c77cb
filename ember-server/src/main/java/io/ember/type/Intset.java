package io.ember.type;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Redis's intset, byte for byte (intset.c): the compact encoding of a set whose members are all
 * integers. Keeping Redis's layout means the array can go into an RDB file or DUMP payload
 * (type 11) unchanged.
 *
 * <pre>
 *   encoding (uint32 LE): 2, 4 or 8 = bytes per value
 *   length   (uint32 LE): number of values
 *   values:  sorted ascending, no duplicates, each little-endian in {@code encoding} bytes
 * </pre>
 *
 * The width is the smallest that holds every value ever added: adding a value that does not fit
 * rewrites every value in the wider encoding ("upgrade"); removing never narrows it, as in Redis.
 *
 * <p>An intset is a plain {@code byte[]} of exactly {@code 8 + encoding * length} bytes. Adding or
 * removing returns a new array (the old one is left unchanged), or the same array when nothing
 * changed. Reads never allocate.
 */
public final class Intset {
    private Intset() {}

    public static final int HEADER_SIZE = 8;
    public static final int ENC_INT16 = 2, ENC_INT32 = 4, ENC_INT64 = 8;

    private static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** A new empty intset (16-bit encoding, as intsetNew). */
    public static byte[] empty() {
        byte[] is = new byte[HEADER_SIZE];
        is[0] = ENC_INT16;
        return is;
    }

    /** Bytes per value of the set's current encoding: 2, 4 or 8. */
    public static int encoding(byte[] is) {
        return (int) I32.get(is, 0);
    }

    public static int length(byte[] is) {
        return (int) I32.get(is, 4);
    }

    /** The smallest encoding that holds v (_intsetValueEncoding). */
    public static int encodingFor(long v) {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) return ENC_INT64;
        if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) return ENC_INT32;
        return ENC_INT16;
    }

    /** The value at position {@code pos} (0-based, ascending order). */
    public static long get(byte[] is, int pos) {
        return read(is, encoding(is), pos);
    }

    private static long read(byte[] is, int enc, int pos) {
        int off = HEADER_SIZE + pos * enc;
        return switch (enc) {
            case ENC_INT16 -> (short) I16.get(is, off);
            case ENC_INT32 -> (int) I32.get(is, off);
            default -> (long) I64.get(is, off);
        };
    }

    private static void write(byte[] is, int enc, int pos, long v) {
        int off = HEADER_SIZE + pos * enc;
        switch (enc) {
            case ENC_INT16 -> I16.set(is, off, (short) v);
            case ENC_INT32 -> I32.set(is, off, (int) v);
            default -> I64.set(is, off, v);
        }
    }

    /**
     * Binary search (intsetSearch): the position of v, or {@code -(insertion point) - 1} when it
     * is absent. Values outside the encoding's range are absent without searching.
     */
    public static int search(byte[] is, long v) {
        int enc = encoding(is);
        int n = length(is);
        if (n == 0) return -1;
        if (encodingFor(v) > enc) return v < 0 ? -1 : -n - 1;
        if (v > read(is, enc, n - 1)) return -n - 1;
        if (v < read(is, enc, 0)) return -1;
        int lo = 0, hi = n - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long cur = read(is, enc, mid);
            if (cur < v) lo = mid + 1;
            else if (cur > v) hi = mid - 1;
            else return mid;
        }
        return -lo - 1;
    }

    public static boolean contains(byte[] is, long v) {
        return search(is, v) >= 0;
    }

    /** Adds v (intsetAdd): a new array holding it, or {@code is} itself when v was already there. */
    public static byte[] add(byte[] is, long v) {
        int enc = encoding(is);
        int n = length(is);
        int needed = encodingFor(v);
        if (needed > enc) return upgradeAndAdd(is, enc, n, needed, v);
        int pos = search(is, v);
        if (pos >= 0) return is;
        pos = -pos - 1;
        byte[] r = new byte[HEADER_SIZE + (n + 1) * enc];
        System.arraycopy(is, 0, r, 0, HEADER_SIZE + pos * enc);
        System.arraycopy(is, HEADER_SIZE + pos * enc, r, HEADER_SIZE + (pos + 1) * enc, (n - pos) * enc);
        write(r, enc, pos, v);
        I32.set(r, 4, n + 1);
        return r;
    }

    /**
     * Rewrites every value in the wider encoding and adds v, which is beyond every current value
     * (it did not fit the old width), so it goes first when negative and last otherwise.
     */
    private static byte[] upgradeAndAdd(byte[] is, int enc, int n, int newEnc, long v) {
        byte[] r = new byte[HEADER_SIZE + (n + 1) * newEnc];
        int shift = v < 0 ? 1 : 0;
        for (int i = 0; i < n; i++) write(r, newEnc, i + shift, read(is, enc, i));
        write(r, newEnc, v < 0 ? 0 : n, v);
        I32.set(r, 0, newEnc);
        I32.set(r, 4, n + 1);
        return r;
    }

    /** Removes v (intsetRemove): a new array without it, or {@code is} itself when v was absent. */
    public static byte[] remove(byte[] is, long v) {
        int pos = search(is, v);
        if (pos < 0) return is;
        int enc = encoding(is);
        int n = length(is);
        byte[] r = new byte[HEADER_SIZE + (n - 1) * enc];
        System.arraycopy(is, 0, r, 0, HEADER_SIZE + pos * enc);
        System.arraycopy(is, HEADER_SIZE + (pos + 1) * enc, r, HEADER_SIZE + pos * enc, (n - pos - 1) * enc);
        I32.set(r, 4, n - 1);
        return r;
    }

    /** Size of the blob as Redis counts it (intsetBlobLen): what an RDB file stores. */
    public static int blobLength(byte[] is) {
        return HEADER_SIZE + encoding(is) * length(is);
    }

    /**
     * True when {@code is} is a well-formed intset (intsetValidateIntegrity with deep checking):
     * known encoding, size matching the length, values strictly ascending. For data read from
     * files or DUMP payloads.
     */
    public static boolean isValid(byte[] is) {
        if (is.length < HEADER_SIZE) return false;
        int enc = encoding(is);
        if (enc != ENC_INT16 && enc != ENC_INT32 && enc != ENC_INT64) return false;
        long n = length(is) & 0xffffffffL;
        if (n == 0 || HEADER_SIZE + n * enc != is.length) return false;
        for (int i = 1; i < n; i++) {
            if (read(is, enc, i - 1) >= read(is, enc, i)) return false;
        }
        return true;
    }
}
