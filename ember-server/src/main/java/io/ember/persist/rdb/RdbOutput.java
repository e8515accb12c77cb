package io.ember.persist.rdb;

/**
 * Where RDB bytes go. Value serialization ({@code RdbValueWriter}) is written once against this
 * class and reused by every producer: SAVE writes through an encoding output straight to a file,
 * DUMP into a byte array, and BGSAVE into a staging buffer on the engine thread whose strings are
 * encoded (integer form, LZF) later on the writer thread — which is why strings have their own
 * method instead of being written as bytes.
 *
 * <p>All multi-byte helpers are expressed with {@link #write(int)} and {@link #write(byte[], int, int)}.
 */
public abstract class RdbOutput {
    /** One raw byte. */
    public abstract void write(int b);

    /** Raw bytes, written as they are. */
    public abstract void write(byte[] b, int off, int len);

    /**
     * An RDB string as rdbSaveRawString writes it: the integer encodings when the bytes are a
     * canonical integer that fits 32 bits, LZF when compression is on and pays, else length + bytes.
     * The bytes may be modified by the caller after the call returns.
     */
    public abstract void writeString(byte[] b, int off, int len);

    public final void writeString(byte[] b) {
        writeString(b, 0, b.length);
    }

    /**
     * RDB length encoding (6, 14, 32 or 64 bits). {@code len} is unsigned, as rdbSaveLen's uint64_t:
     * stream IDs and counters use all 64 bits (an entries-read of -1 is written as 2^64 - 1).
     */
    public final void writeLength(long len) {
        if (len >= 0 && len < (1 << 6)) {
            write((int) len);
        } else if (len >= 0 && len < (1 << 14)) {
            write((int) ((len >>> 8) | 0x40));
            write((int) (len & 0xff));
        } else if (len >= 0 && len <= 0xffffffffL) {
            write(Rdb.LEN_32BIT);
            writeIntBigEndian((int) len);
        } else {
            write(Rdb.LEN_64BIT);
            writeIntBigEndian((int) (len >>> 32));
            writeIntBigEndian((int) len);
        }
    }

    private void writeIntBigEndian(int v) {
        write(v >>> 24);
        write((v >>> 16) & 0xff);
        write((v >>> 8) & 0xff);
        write(v & 0xff);
    }

    /** 8 bytes little-endian (expire times in ms, binary doubles' bits). */
    public final void writeLongLE(long v) {
        for (int i = 0; i < 8; i++) write((int) (v >>> (8 * i)) & 0xff);
    }

    /** 4 bytes little-endian. */
    public final void writeIntLE(int v) {
        for (int i = 0; i < 4; i++) write((v >>> (8 * i)) & 0xff);
    }

    /** A double as RDB_TYPE_ZSET_2 stores scores: the IEEE 754 bits, little-endian. */
    public final void writeBinaryDouble(double d) {
        writeLongLE(Double.doubleToRawLongBits(d));
    }
}
