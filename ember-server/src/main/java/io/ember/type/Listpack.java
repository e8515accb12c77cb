package io.ember.type;

import io.ember.util.Numbers;
import java.util.Arrays;

/**
 * Redis's listpack, byte for byte: the compact encoding of small hashes and sorted sets and of
 * each node of a list's quicklist. Using Redis's own layout means the same bytes can later be
 * written to and read from RDB files and DUMP payloads without conversion.
 *
 * <pre>
 *   header:  total bytes (uint32 LE) | number of elements (uint16 LE, 65535 = unknown)
 *   entries: [encoding + data][backlen]   backlen = size of encoding + data, written backwards
 *   end:     0xFF
 * </pre>
 *
 * An element that is the canonical decimal form of a 64-bit integer is stored as an integer in
 * the smallest of the 7/13/16/24/32/64-bit encodings; anything else as a string with a 6, 12 or
 * 32-bit length.
 *
 * <p>A listpack is a plain {@code byte[]} of exactly {@code totalBytes} bytes; entries are
 * addressed by their offset. Mutations return a new array (offsets of entries before the
 * change stay valid). Methods here never allocate except for the arrays they return.
 */
public final class Listpack {
    private Listpack() {}

    public static final int HEADER_SIZE = 6;
    private static final int EOF = 0xFF;
    private static final int NUMELE_UNKNOWN = 65535;

    private static final int ENC_7BIT_UINT = 0x00, ENC_6BIT_STR = 0x80, ENC_13BIT_INT = 0xC0, ENC_12BIT_STR = 0xE0;
    private static final int ENC_32BIT_STR = 0xF0, ENC_16BIT_INT = 0xF1, ENC_24BIT_INT = 0xF2, ENC_32BIT_INT = 0xF3,
            ENC_64BIT_INT = 0xF4;

    private static final byte[] EMPTY = {7, 0, 0, 0, 0, 0, (byte) EOF};

    public static byte[] empty() {
        return EMPTY.clone();
    }

    // ---- header ----

    public static int totalBytes(byte[] lp) {
        return (lp[0] & 0xff) | (lp[1] & 0xff) << 8 | (lp[2] & 0xff) << 16 | (lp[3] & 0xff) << 24;
    }

    private static void setTotalBytes(byte[] lp, int n) {
        lp[0] = (byte) n;
        lp[1] = (byte) (n >>> 8);
        lp[2] = (byte) (n >>> 16);
        lp[3] = (byte) (n >>> 24);
    }

    /** Number of elements (counted by walking when the header says "unknown", as Redis does). */
    public static int size(byte[] lp) {
        int n = (lp[4] & 0xff) | (lp[5] & 0xff) << 8;
        if (n != NUMELE_UNKNOWN) return n;
        int count = 0;
        for (int p = first(lp); p >= 0; p = next(lp, p)) count++;
        return count;
    }

    private static void setSize(byte[] lp, int n) {
        int stored = n >= NUMELE_UNKNOWN ? NUMELE_UNKNOWN : n;
        lp[4] = (byte) stored;
        lp[5] = (byte) (stored >>> 8);
    }

    // ---- navigation ----

    /** Offset of the first entry, or -1 when empty. */
    public static int first(byte[] lp) {
        return (lp[HEADER_SIZE] & 0xff) == EOF ? -1 : HEADER_SIZE;
    }

    /** Offset of the last entry, or -1 when empty. */
    public static int last(byte[] lp) {
        int eof = totalBytes(lp) - 1;
        return eof == HEADER_SIZE ? -1 : prevOffset(lp, eof);
    }

    /** Offset of the entry after {@code p}, or -1 after the last one. */
    public static int next(byte[] lp, int p) {
        int q = p + entrySize(lp, p);
        return (lp[q] & 0xff) == EOF ? -1 : q;
    }

    /** Offset of the entry before {@code p}, or -1 before the first one. */
    public static int prev(byte[] lp, int p) {
        return p == HEADER_SIZE ? -1 : prevOffset(lp, p);
    }

    /** The entry whose backlen ends right before {@code p}. */
    private static int prevOffset(byte[] lp, int p) {
        int q = p - 1;
        long len = 0;
        int shift = 0;
        while (true) {
            int b = lp[q] & 0xff;
            len |= (long) (b & 127) << shift;
            if ((b & 128) == 0) break;
            shift += 7;
            q--;
        }
        return (int) (q - len);
    }

    /** Offset of the element at {@code index} (negative counts from the end), or -1 out of range. */
    public static int seek(byte[] lp, long index) {
        int n = size(lp);
        if (index < 0) index += n;
        if (index < 0 || index >= n) return -1;
        if (index <= n / 2) {
            int p = first(lp);
            for (long i = 0; i < index; i++) p = next(lp, p);
            return p;
        }
        int p = last(lp);
        for (long i = n - 1; i > index; i--) p = prev(lp, p);
        return p;
    }

    // ---- entry decoding ----

    /** Size of encoding + data of the entry at p (without its backlen). */
    private static int encodedSize(byte[] lp, int p) {
        int b = lp[p] & 0xff;
        if ((b & 0x80) == ENC_7BIT_UINT) return 1;
        if ((b & 0xC0) == ENC_6BIT_STR) return 1 + (b & 0x3F);
        if ((b & 0xE0) == ENC_13BIT_INT) return 2;
        if ((b & 0xF0) == ENC_12BIT_STR) return 2 + (((b & 0x0F) << 8) | (lp[p + 1] & 0xff));
        return switch (b) {
            case ENC_16BIT_INT -> 3;
            case ENC_24BIT_INT -> 4;
            case ENC_32BIT_INT -> 5;
            case ENC_64BIT_INT -> 9;
            case ENC_32BIT_STR -> 5 + readInt32(lp, p + 1);
            default -> throw new IllegalStateException("corrupt listpack entry encoding " + b);
        };
    }

    /** Whole size of the entry at p, backlen included. */
    private static int entrySize(byte[] lp, int p) {
        int enc = encodedSize(lp, p);
        return enc + backlenSize(enc);
    }

    public static boolean isInt(byte[] lp, int p) {
        int b = lp[p] & 0xff;
        return (b & 0x80) == ENC_7BIT_UINT || (b & 0xE0) == ENC_13BIT_INT
                || (b >= ENC_16BIT_INT && b <= ENC_64BIT_INT);
    }

    /** The integer value of an integer entry (check {@link #isInt} first). */
    public static long intValue(byte[] lp, int p) {
        int b = lp[p] & 0xff;
        if ((b & 0x80) == ENC_7BIT_UINT) return b;
        if ((b & 0xE0) == ENC_13BIT_INT) {
            int v = ((b & 0x1F) << 8) | (lp[p + 1] & 0xff);
            return v >= 1 << 12 ? v - (1 << 13) : v;
        }
        return switch (b) {
            case ENC_16BIT_INT -> (short) ((lp[p + 1] & 0xff) | (lp[p + 2] & 0xff) << 8);
            case ENC_24BIT_INT -> ((lp[p + 1] & 0xff) | (lp[p + 2] & 0xff) << 8 | lp[p + 3] << 16);
            case ENC_32BIT_INT -> readInt32(lp, p + 1);
            case ENC_64BIT_INT -> (readInt32(lp, p + 1) & 0xffffffffL) | ((long) readInt32(lp, p + 5) << 32);
            default -> throw new IllegalStateException("not an integer entry");
        };
    }

    /** Offset of a string entry's bytes (check !{@link #isInt} first). */
    public static int stringStart(byte[] lp, int p) {
        int b = lp[p] & 0xff;
        if ((b & 0xC0) == ENC_6BIT_STR) return p + 1;
        if ((b & 0xF0) == ENC_12BIT_STR) return p + 2;
        return p + 5;
    }

    /** Length of a string entry's bytes (check !{@link #isInt} first). */
    public static int stringLength(byte[] lp, int p) {
        int b = lp[p] & 0xff;
        if ((b & 0xC0) == ENC_6BIT_STR) return b & 0x3F;
        if ((b & 0xF0) == ENC_12BIT_STR) return ((b & 0x0F) << 8) | (lp[p + 1] & 0xff);
        return readInt32(lp, p + 1);
    }

    /** The element's bytes; an integer entry is returned in decimal, as Redis's lpGet does. */
    public static byte[] get(byte[] lp, int p) {
        if (isInt(lp, p)) return Numbers.toBytes(intValue(lp, p));
        int start = stringStart(lp, p);
        return Arrays.copyOfRange(lp, start, start + stringLength(lp, p));
    }

    /** Length of the element as a string (digits of an integer entry). */
    public static int elementLength(byte[] lp, int p) {
        return isInt(lp, p) ? Numbers.digits(intValue(lp, p)) : stringLength(lp, p);
    }

    /** Whether the element at p equals {@code s} (lpCompare): integers compare by value. */
    public static boolean equals(byte[] lp, int p, byte[] s) {
        if (isInt(lp, p)) {
            return s.length <= Numbers.MAX_LONG_CHARS && Numbers.isLong(s) && Numbers.parseLong(s) == intValue(lp, p);
        }
        int len = stringLength(lp, p);
        if (len != s.length) return false;
        int start = stringStart(lp, p);
        return Arrays.equals(lp, start, start + len, s, 0, len);
    }

    /**
     * First element equal to {@code s} from p on, looking at every {@code skip + 1}-th entry
     * (skip 1: the fields of field/value pairs). Returns its offset or -1.
     */
    public static int find(byte[] lp, int p, byte[] s, int skip) {
        int skipped = 0;
        while (p >= 0) {
            if (skipped == 0) {
                if (equals(lp, p, s)) return p;
                skipped = skip;
            } else {
                skipped--;
            }
            p = next(lp, p);
        }
        return -1;
    }

    // ---- mutation ----

    /** Appends an element at the end. */
    public static byte[] append(byte[] lp, byte[] s) {
        return insertAt(lp, totalBytes(lp) - 1, s);
    }

    /**
     * Appends two elements at the end with a single copy of the listpack (a hash's field and
     * value, a sorted set's member and score).
     */
    public static byte[] appendPair(byte[] lp, byte[] a, byte[] b) {
        byte[] ea = encode(a), eb = encode(b);
        int total = totalBytes(lp), eof = total - 1;
        byte[] out = new byte[total + ea.length + eb.length];
        System.arraycopy(lp, 0, out, 0, eof);
        System.arraycopy(ea, 0, out, eof, ea.length);
        System.arraycopy(eb, 0, out, eof + ea.length, eb.length);
        out[out.length - 1] = (byte) EOF;
        setTotalBytes(out, out.length);
        int n = (lp[4] & 0xff) | (lp[5] & 0xff) << 8;
        setSize(out, n == NUMELE_UNKNOWN ? size(out) : n + 2);
        return out;
    }

    /** Inserts an element at the head. */
    public static byte[] prepend(byte[] lp, byte[] s) {
        return insertAt(lp, HEADER_SIZE, s);
    }

    /** Inserts an element before the entry at {@code p} (or at the end when p is the EOF offset). */
    public static byte[] insertBefore(byte[] lp, int p, byte[] s) {
        return insertAt(lp, p, s);
    }

    /** Inserts an element after the entry at {@code p}. */
    public static byte[] insertAfter(byte[] lp, int p, byte[] s) {
        return insertAt(lp, p + entrySize(lp, p), s);
    }

    /**
     * Inserts two elements (a member and its score, a field and its value) before the entry at
     * {@code p}, or at the end when p is the EOF offset ({@code totalBytes(lp) - 1}), with one
     * copy of the listpack.
     */
    public static byte[] insertPair(byte[] lp, int p, byte[] a, byte[] b) {
        byte[] ea = encode(a), eb = encode(b);
        int total = totalBytes(lp);
        byte[] out = new byte[total + ea.length + eb.length];
        System.arraycopy(lp, 0, out, 0, p);
        System.arraycopy(ea, 0, out, p, ea.length);
        System.arraycopy(eb, 0, out, p + ea.length, eb.length);
        System.arraycopy(lp, p, out, p + ea.length + eb.length, total - p);
        setTotalBytes(out, out.length);
        int n = (lp[4] & 0xff) | (lp[5] & 0xff) << 8;
        setSize(out, n == NUMELE_UNKNOWN ? size(out) : n + 2);
        return out;
    }

    /** Replaces the element at p. */
    public static byte[] replace(byte[] lp, int p, byte[] s) {
        byte[] entry = encode(s);
        int old = entrySize(lp, p);
        int total = totalBytes(lp);
        byte[] out = new byte[total - old + entry.length];
        System.arraycopy(lp, 0, out, 0, p);
        System.arraycopy(entry, 0, out, p, entry.length);
        System.arraycopy(lp, p + old, out, p + entry.length, total - p - old);
        setTotalBytes(out, out.length);
        return out;
    }

    /** Deletes the element at p. */
    public static byte[] delete(byte[] lp, int p) {
        return deleteRange(lp, p, 1);
    }

    /** Deletes {@code count} elements starting at p (fewer if the listpack ends first). */
    public static byte[] deleteRange(byte[] lp, int p, int count) {
        int end = p;
        int removed = 0;
        while (removed < count && (lp[end] & 0xff) != EOF) {
            end += entrySize(lp, end);
            removed++;
        }
        int total = totalBytes(lp);
        byte[] out = new byte[total - (end - p)];
        System.arraycopy(lp, 0, out, 0, p);
        System.arraycopy(lp, end, out, p, total - end);
        setTotalBytes(out, out.length);
        int n = (lp[4] & 0xff) | (lp[5] & 0xff) << 8;
        if (n != NUMELE_UNKNOWN) setSize(out, n - removed);
        else setSize(out, size(out));
        return out;
    }

    private static byte[] insertAt(byte[] lp, int at, byte[] s) {
        byte[] entry = encode(s);
        int total = totalBytes(lp);
        byte[] out = new byte[total + entry.length];
        System.arraycopy(lp, 0, out, 0, at);
        System.arraycopy(entry, 0, out, at, entry.length);
        System.arraycopy(lp, at, out, at + entry.length, total - at);
        setTotalBytes(out, out.length);
        int n = (lp[4] & 0xff) | (lp[5] & 0xff) << 8;
        setSize(out, n == NUMELE_UNKNOWN ? size(out) : n + 1);
        return out;
    }

    /** Bytes an element would take in a listpack (encoding, data and backlen). */
    public static int encodedEntrySize(byte[] s) {
        int enc = s.length <= Numbers.MAX_LONG_CHARS && Numbers.isLong(s) ? intEncodedSize(Numbers.parseLong(s))
                : stringEncodedSize(s.length);
        return enc + backlenSize(enc);
    }

    /** Bytes an integer element takes in a listpack (lpAppendInteger). */
    public static int encodedIntSize(long v) {
        int enc = intEncodedSize(v);
        return enc + backlenSize(enc);
    }

    /** One complete entry (encoding, data, backlen) for element s. */
    static byte[] encode(byte[] s) {
        if (s.length <= Numbers.MAX_LONG_CHARS && Numbers.isLong(s)) return encodeInt(Numbers.parseLong(s));
        int enc = stringEncodedSize(s.length);
        byte[] e = new byte[enc + backlenSize(enc)];
        putString(e, 0, s, 0, s.length);
        return e;
    }

    private static byte[] encodeInt(long v) {
        int enc = intEncodedSize(v);
        byte[] e = new byte[enc + backlenSize(enc)];
        putInt(e, 0, v);
        return e;
    }

    /** Writes the string entry of s[off, off + len) at e[at...] (room checked by the caller); returns its end. */
    private static int putString(byte[] e, int at, byte[] s, int off, int len) {
        int enc = stringEncodedSize(len);
        int hdr;
        if (len < 64) {
            e[at] = (byte) (ENC_6BIT_STR | len);
            hdr = 1;
        } else if (len < 4096) {
            e[at] = (byte) (ENC_12BIT_STR | (len >>> 8));
            e[at + 1] = (byte) len;
            hdr = 2;
        } else {
            e[at] = (byte) ENC_32BIT_STR;
            writeInt32(e, at + 1, len);
            hdr = 5;
        }
        System.arraycopy(s, off, e, at + hdr, len);
        writeBacklen(e, at + enc, enc);
        return at + enc + backlenSize(enc);
    }

    /** Writes the integer entry of v at e[at...] (room checked by the caller); returns its end. */
    private static int putInt(byte[] e, int at, long v) {
        int enc = intEncodedSize(v);
        if (enc == 1) {
            e[at] = (byte) v;
        } else if (enc == 2) {
            long u = v < 0 ? (1L << 13) + v : v;
            e[at] = (byte) (ENC_13BIT_INT | (u >>> 8));
            e[at + 1] = (byte) u;
        } else {
            e[at] = (byte) (enc == 3 ? ENC_16BIT_INT : enc == 4 ? ENC_24BIT_INT : enc == 5 ? ENC_32BIT_INT : ENC_64BIT_INT);
            for (int i = 1; i < enc; i++) e[at + i] = (byte) (v >>> (8 * (i - 1)));
        }
        writeBacklen(e, at + enc, enc);
        return at + enc + backlenSize(enc);
    }

    /**
     * Builds a listpack by appending to one growing buffer, for writers that produce a whole
     * listpack at once (a stream node in an RDB file) and would pay a copy per element with
     * {@link #append}. Elements are encoded as lpAppend does: a canonical 64-bit integer as an
     * integer, anything else as a string. Reusable: {@link #reset} starts a new listpack.
     */
    public static final class Builder {
        private byte[] buf = new byte[256];
        private int end = HEADER_SIZE;
        private int count;

        public Builder reset() {
            end = HEADER_SIZE;
            count = 0;
            return this;
        }

        private void room(int n) {
            if (buf.length - end < n) buf = Arrays.copyOf(buf, Math.max(end + n, buf.length * 2));
        }

        public void add(byte[] s, int off, int len) {
            if (len <= Numbers.MAX_LONG_CHARS && Numbers.isLong(s, off, len)) {
                addInt(Numbers.parseLong(s, off, len));
                return;
            }
            room(len + 10);
            end = putString(buf, end, s, off, len);
            count++;
        }

        public void add(byte[] s) {
            add(s, 0, s.length);
        }

        public void addInt(long v) {
            room(10);
            end = putInt(buf, end, v);
            count++;
        }

        /** Writes the EOF byte and the header; the listpack is {@link #array()}[0, returned length). */
        public int finish() {
            room(1);
            buf[end] = (byte) EOF;
            setTotalBytes(buf, end + 1);
            setSize(buf, count);
            return end + 1;
        }

        public byte[] array() {
            return buf;
        }
    }

    private static int intEncodedSize(long v) {
        if (v >= 0 && v <= 127) return 1;
        if (v >= -4096 && v <= 4095) return 2;
        if (v >= -32768 && v <= 32767) return 3;
        if (v >= -8388608 && v <= 8388607) return 4;
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) return 5;
        return 9;
    }

    private static int stringEncodedSize(int len) {
        if (len < 64) return 1 + len;
        if (len < 4096) return 2 + len;
        return 5 + len;
    }

    private static int backlenSize(long l) {
        if (l <= 127) return 1;
        if (l < 16383) return 2;
        if (l < 2097151) return 3;
        if (l < 268435455) return 4;
        return 5;
    }

    /** Writes backlen l at e[at...]: most significant group first, high bit on all but the first byte. */
    private static void writeBacklen(byte[] e, int at, long l) {
        int n = backlenSize(l);
        for (int i = 0; i < n; i++) {
            int shift = 7 * (n - 1 - i);
            int group = (int) ((l >>> shift) & 127);
            e[at + i] = (byte) (i == 0 ? group : group | 128);
        }
    }

    private static int readInt32(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    private static void writeInt32(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }

    /**
     * Checks that {@code lp} is a well-formed listpack (header, every entry, backlens, EOF,
     * element count) — for data read from files or DUMP payloads.
     */
    public static boolean isValid(byte[] lp) {
        if (lp.length < HEADER_SIZE + 1 || totalBytes(lp) != lp.length || (lp[lp.length - 1] & 0xff) != EOF) {
            return false;
        }
        int count = 0;
        int p = HEADER_SIZE;
        try {
            while ((lp[p] & 0xff) != EOF) {
                int enc = encodedSize(lp, p);
                int size = enc + backlenSize(enc);
                if (enc <= 0 || p + size >= lp.length) return false;
                if (prevOffset(lp, p + size) != p) return false;
                p += size;
                count++;
            }
        } catch (RuntimeException e) {
            return false;
        }
        int n = (lp[4] & 0xff) | (lp[5] & 0xff) << 8;
        return p == lp.length - 1 && (n == NUMELE_UNKNOWN || n == count);
    }
}
