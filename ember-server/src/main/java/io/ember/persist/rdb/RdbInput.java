package io.ember.persist.rdb;

import com.ning.compress.lzf.LZFException;
import io.ember.util.Numbers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The reading side of the RDB format: lengths, strings (raw, integer, LZF), little-endian
 * integers and both double encodings, from a stream (files, read through a 64 KB buffer) or a
 * byte array (RESTORE payloads). Keeps the byte offset for error messages and the running CRC64
 * of everything consumed.
 *
 * <p>Every malformed input throws {@link RdbFormatException}: declared lengths are checked against
 * what remains when that is known (arrays, files), and strings of unknown-size streams are grown
 * gradually, so a corrupt length never becomes a huge allocation.
 */
public final class RdbInput {
    private static final int BUFFER = 64 * 1024;
    /** Largest string Ember accepts (Java arrays stop at 2^31 - a few). */
    private static final long MAX_STRING = Integer.MAX_VALUE - 64;
    /** An LZF block expands at most about 132 times (a 2-3 byte back reference copies up to 264 bytes). */
    private static final long LZF_MAX_RATIO = 133;

    private final InputStream in;
    private byte[] buf;
    private int pos;
    private int limit;
    /** Offset of buf[0] in the input. */
    private long base;
    /** Total input size, or -1 when unknown. */
    private final long size;
    private long crc;
    /** buf[crcFrom, pos) is consumed but not yet in {@link #crc}. */
    private int crcFrom;

    private RdbInput(InputStream in, byte[] buf, int pos, int limit, long size) {
        this.in = in;
        this.buf = buf;
        this.pos = pos;
        this.limit = limit;
        this.size = size;
        this.crcFrom = pos;
        this.base = -pos;
    }

    /** Reads {@code len} bytes of {@code b} from {@code off} (offsets reported from 0). */
    public static RdbInput of(byte[] b, int off, int len) {
        return new RdbInput(null, b, off, off + len, len);
    }

    /** Reads a stream of {@code size} bytes (-1: unknown). */
    public static RdbInput of(InputStream in, long size) {
        return new RdbInput(in, new byte[BUFFER], 0, 0, size);
    }

    /** Byte offset of the next byte to read. */
    public long offset() {
        return base + pos;
    }

    /** CRC64 of every byte consumed so far. */
    public long crc() {
        if (pos > crcFrom) {
            crc = Crc64.update(crc, buf, crcFrom, pos - crcFrom);
            crcFrom = pos;
        }
        return crc;
    }

    /** Bytes left in the input, or -1 when the size is not known. */
    public long remaining() {
        return size < 0 ? -1 : size - offset();
    }

    /** True when every byte has been consumed (a stream of unknown size is probed). */
    public boolean atEnd() throws IOException {
        return limit == pos && !fill(1);
    }

    public RdbFormatException error(String reason) {
        return new RdbFormatException(reason, offset());
    }

    // ---- buffer management ----------------------------------------------------------------------

    /** Makes at least {@code n} (<= BUFFER) bytes available from pos; false at end of input. */
    private boolean fill(int n) throws IOException {
        if (limit - pos >= n) return true;
        if (in == null) return false;
        crc();
        int keep = limit - pos;
        System.arraycopy(buf, pos, buf, 0, keep);
        base += pos;
        pos = 0;
        crcFrom = 0;
        limit = keep;
        while (limit < n) {
            int r = in.read(buf, limit, buf.length - limit);
            if (r < 0) return false;
            limit += r;
        }
        return true;
    }

    private void need(int n) throws IOException {
        if (!fill(n)) throw error("Unexpected end of data (truncated input)");
    }

    // ---- primitives ---------------------------------------------------------------------------

    public int readByte() throws IOException {
        need(1);
        return buf[pos++] & 0xff;
    }

    /** 4 bytes little-endian. */
    public int readIntLE() throws IOException {
        need(4);
        int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8 | (buf[pos + 2] & 0xff) << 16 | (buf[pos + 3] & 0xff) << 24;
        pos += 4;
        return v;
    }

    /** 8 bytes little-endian. */
    public long readLongLE() throws IOException {
        need(8); // a truncated value is reported at its start
        long lo = readIntLE() & 0xffffffffL;
        long hi = readIntLE() & 0xffffffffL;
        return lo | hi << 32;
    }

    private long readIntBE() throws IOException {
        need(4);
        long v = (buf[pos] & 0xffL) << 24 | (buf[pos + 1] & 0xff) << 16 | (buf[pos + 2] & 0xff) << 8 | (buf[pos + 3] & 0xff);
        pos += 4;
        return v;
    }

    /** Exactly {@code n} bytes, checked against what remains; grown gradually for unknown-size streams. */
    public byte[] readBytes(long n) throws IOException {
        if (n < 0 || n > MAX_STRING) throw error("Impossible string length " + n);
        long left = remaining();
        if (left >= 0 && n > left) throw error("String of " + n + " bytes but only " + left + " left (truncated input)");
        byte[] out = new byte[(int) (left >= 0 ? n : Math.min(n, BUFFER))];
        int done = 0;
        while (done < n) {
            if (!fill(1)) throw error("Unexpected end of data (truncated input)");
            if (done == out.length) out = Arrays.copyOf(out, (int) Math.min(n, (long) out.length * 2));
            int k = Math.min(limit - pos, out.length - done);
            System.arraycopy(buf, pos, out, done, k);
            pos += k;
            done += k;
        }
        return out;
    }

    // ---- lengths ----------------------------------------------------------------------------------

    /** The result of {@link #readLengthOrEncoding}: a plain length, or an ENC_* string encoding. */
    private boolean lastWasEncoding;

    /** rdbLoadLen: a 6, 14, 32 or 64 bit length (an encoded-string marker is a format error). */
    public long readLength() throws IOException {
        long len = readLengthOrEncoding();
        if (lastWasEncoding) throw error("Unexpected string encoding where a length was expected");
        return len;
    }

    /**
     * rdbLoadLen for the values that use all 64 bits (stream ID parts, entries-added, entries-read,
     * delivery counts): the raw unsigned value, which may be negative as a Java long.
     */
    public long readUnsignedLength() throws IOException {
        long len = readLengthOrEncoding(true);
        if (lastWasEncoding) throw error("Unexpected string encoding where a length was expected");
        return len;
    }

    private long readLengthOrEncoding() throws IOException {
        return readLengthOrEncoding(false);
    }

    /** A length, or (when {@link #lastWasEncoding}) the string encoding in the low 6 bits. */
    private long readLengthOrEncoding(boolean unsigned) throws IOException {
        long at = offset();
        int b = readByte();
        lastWasEncoding = false;
        switch ((b & 0xC0) >> 6) {
            case Rdb.LEN_6BIT:
                return b & 0x3F;
            case Rdb.LEN_14BIT:
                return (b & 0x3F) << 8 | readByte();
            case Rdb.LEN_ENCVAL:
                lastWasEncoding = true;
                return b & 0x3F;
            default:
                if (b == Rdb.LEN_32BIT) return readIntBE();
                if (b == Rdb.LEN_64BIT) {
                    long v = readIntBE() << 32 | readIntBE();
                    if (v < 0 && !unsigned) throw new RdbFormatException("Impossible length " + Long.toUnsignedString(v), at);
                    return v;
                }
                throw new RdbFormatException("Unknown length encoding " + b, at);
        }
    }

    /** A length that counts elements still to be read: each takes at least one byte, so it cannot exceed what remains. */
    public long readCount() throws IOException {
        long at = offset();
        long n = readLength();
        long left = remaining();
        if (left >= 0 && n > left) throw new RdbFormatException("Length " + n + " exceeds the remaining " + left + " bytes", at);
        return n;
    }

    // ---- strings ------------------------------------------------------------------------------

    /** rdbGenericLoadStringObject: raw, integer-encoded (as its decimal text) or LZF-compressed. */
    public byte[] readString() throws IOException {
        long at = offset();
        long len = readLengthOrEncoding();
        if (!lastWasEncoding) return readBytes(len);
        switch ((int) len) {
            case Rdb.ENC_INT8:
                return Numbers.toBytes((byte) readByte());
            case Rdb.ENC_INT16: {
                int lo = readByte();
                return Numbers.toBytes((short) (lo | readByte() << 8));
            }
            case Rdb.ENC_INT32:
                return Numbers.toBytes(readIntLE());
            case Rdb.ENC_LZF:
                return readLzf();
            default:
                throw new RdbFormatException("Unknown RDB string encoding type " + len, at);
        }
    }

    private byte[] readLzf() throws IOException {
        long clen = readLength();
        long at = offset();
        long len = readLength();
        if (len == 0 || clen == 0 || len > MAX_STRING || len > clen * LZF_MAX_RATIO + 64) {
            throw new RdbFormatException("Invalid LZF compressed string (" + clen + " -> " + len + " bytes)", at);
        }
        byte[] packed = readBytes(clen);
        byte[] out = new byte[(int) len];
        try {
            // An exact-size input: a corrupt block that reads past its end fails instead of reading on.
            Lzf.decompress(packed, 0, packed.length, out);
        } catch (LZFException | RuntimeException e) {
            throw new RdbFormatException("Invalid LZF compressed string", at);
        }
        return out;
    }

    /** A string as text (AUX fields, module names); ISO-8859-1 keeps every byte. */
    public String readText() throws IOException {
        return new String(readString(), StandardCharsets.ISO_8859_1);
    }

    // ---- doubles ------------------------------------------------------------------------------

    /** RDB_TYPE_ZSET_2 scores: the IEEE 754 bits, little-endian. */
    public double readBinaryDouble() throws IOException {
        return Double.longBitsToDouble(readLongLE());
    }

    /** RDB_TYPE_ZSET scores: a length byte (253 nan, 254 +inf, 255 -inf) then that much "%.17g" text. */
    public double readStringDouble() throws IOException {
        long at = offset();
        int len = readByte();
        if (len == 253) return Double.NaN;
        if (len == 254) return Double.POSITIVE_INFINITY;
        if (len == 255) return Double.NEGATIVE_INFINITY;
        byte[] text = readBytes(len);
        for (byte c : text) {
            if (!((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E')) {
                throw new RdbFormatException("Invalid double value", at);
            }
        }
        try {
            return Double.parseDouble(new String(text, StandardCharsets.ISO_8859_1));
        } catch (NumberFormatException e) {
            throw new RdbFormatException("Invalid double value", at);
        }
    }
}
