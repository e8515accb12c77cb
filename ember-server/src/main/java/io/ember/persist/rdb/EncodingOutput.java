package io.ember.persist.rdb;

import io.ember.util.Numbers;

/**
 * An {@link RdbOutput} that encodes strings as it goes, the way Redis's rdbSaveRawString does:
 * <ol>
 * <li>a canonical integer of at most 11 characters that fits 32 bits becomes INT8/16/32;</li>
 * <li>with compression on, a string longer than 20 bytes becomes an LZF block (0xC3, compressed
 *     length, original length, data) when that saves at least 4 bytes;</li>
 * <li>anything else is its length and its bytes.</li>
 * </ol>
 * Subclasses say where the bytes go ({@link RdbFileOutput}, {@link ByteArrayRdbOutput}). One
 * {@link LzfCompressor} (Redis's exact LZF choices) and one compression buffer serve every
 * string written through an output, so a save allocates nothing per string. Not thread-safe: one output per writer thread.
 */
public abstract class EncodingOutput extends RdbOutput {
    /** rdbSaveRawString tries the integer encodings only for strings this short. */
    private static final int INT_ENCODING_MAX_LEN = 11;
    /** ... and LZF only for strings longer than this ("unable to compress even aaaaaaaaaaaaaaaaaa"). */
    private static final int LZF_MIN_LEN = 21;
    /** rdbSaveLzfStringObject wants at least this many bytes saved. */
    private static final int LZF_MIN_SAVING = 4;
    /** A compression buffer bigger than this is dropped after use, not kept for the next string. */
    private static final int KEEP_SCRATCH_MAX = 1 << 20;

    private boolean compression;
    private LzfCompressor lzf;
    private byte[] scratch;

    protected EncodingOutput(boolean compression) {
        this.compression = compression;
    }

    /** rdbcompression may change between two payloads written through one reused output. */
    public void setCompression(boolean on) {
        compression = on;
    }

    @Override
    public final void writeString(byte[] b, int off, int len) {
        if (len <= INT_ENCODING_MAX_LEN && Numbers.isLong(b, off, len)) {
            long v = Numbers.parseLong(b, off, len);
            if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                writeEncodedInt((int) v);
                return;
            }
        }
        if (compression && len >= LZF_MIN_LEN && writeLzf(b, off, len)) return;
        writeLength(len);
        if (len > 0) write(b, off, len);
    }

    /** rdbEncodeInteger: the smallest of INT8, INT16, INT32 that holds v, little-endian. */
    private void writeEncodedInt(int v) {
        if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            write(0xC0 | Rdb.ENC_INT8);
            write(v & 0xff);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            write(0xC0 | Rdb.ENC_INT16);
            write(v & 0xff);
            write((v >>> 8) & 0xff);
        } else {
            write(0xC0 | Rdb.ENC_INT32);
            writeIntLE(v);
        }
    }

    /** Writes the LZF form and returns true, or writes nothing and returns false when it does not pay. */
    private boolean writeLzf(byte[] b, int off, int len) {
        int outLen = len - LZF_MIN_SAVING; // rdbSaveLzfStringObject's limit
        byte[] out = scratch;
        if (out == null || out.length < outLen + 2) out = new byte[Math.max(outLen + 2, 256)];
        if (lzf == null) lzf = new LzfCompressor();
        int n = lzf.compress(b, off, len, out, outLen);
        scratch = out.length <= KEEP_SCRATCH_MAX ? out : null;
        if (n == 0) return false;
        write(0xC0 | Rdb.ENC_LZF);
        writeLength(n);
        writeLength(len);
        write(out, 0, n);
        return true;
    }
}
