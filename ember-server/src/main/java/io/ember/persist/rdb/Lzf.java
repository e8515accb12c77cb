package io.ember.persist.rdb;

import com.ning.compress.lzf.ChunkDecoder;
import com.ning.compress.lzf.LZFException;
import com.ning.compress.lzf.impl.VanillaChunkDecoder;
import com.ning.compress.lzf.impl.VanillaChunkEncoder;

/**
 * Raw LZF blocks as RDB stores compressed strings (Redis's lzf_compress/lzf_decompress), through
 * compress-lzf's block codec without its chunk headers. The "vanilla" codecs are used because the
 * Unsafe-based ones print deprecation warnings on recent JDKs. An encoder keeps a hash table, so
 * each thread that compresses holds its own {@code Lzf}.
 */
public final class Lzf {
    private final Encoder encoder = new Encoder();

    /** compress-lzf keeps its raw block compressor protected: this subclass exposes it. */
    private static final class Encoder extends VanillaChunkEncoder {
        Encoder() {
            super(0xFFFF);
        }

        int compressBlock(byte[] in, int off, int len, byte[] out) {
            return tryCompress(in, off, off + len, out, 0);
        }
    }
    private static final ChunkDecoder DECODER = new VanillaChunkDecoder();

    /**
     * Compresses {@code len} bytes into {@code out} (from 0); returns the compressed length, or 0
     * when the result would not be shorter than {@code maxOut} bytes (the caller then stores the
     * string uncompressed, as Redis does when lzf_compress fails).
     */
    public int compress(byte[] in, int off, int len, byte[] out, int maxOut) {
        if (out.length < len + (len >> 5) + 16) throw new IllegalArgumentException("output buffer too small");
        int n = encoder.compressBlock(in, off, len, out);
        return n > 0 && n < maxOut ? n : 0;
    }

    /** A worst-case output buffer size for {@link #compress} of {@code len} bytes. */
    public static int maxCompressedLength(int len) {
        return len + (len >> 5) + 16;
    }

    /** Decompresses a block that must expand to exactly {@code out.length} bytes. */
    public static void decompress(byte[] in, int off, int len, byte[] out) throws LZFException {
        DECODER.decodeChunk(in, off, out, 0, out.length);
    }
}
