package io.ember.persist.rdb;

import com.ning.compress.lzf.ChunkDecoder;
import com.ning.compress.lzf.LZFException;
import com.ning.compress.lzf.impl.VanillaChunkDecoder;

/**
 * Raw LZF blocks as RDB stores compressed strings: decompression through compress-lzf's block
 * decoder without its chunk headers (the "vanilla" decoder: the Unsafe-based one prints
 * deprecation warnings on recent JDKs). Compression is {@link LzfCompressor}, which reproduces
 * liblzf's exact choices so files and DUMP payloads are byte-identical with Redis's.
 */
public final class Lzf {
    private Lzf() {}

    private static final ChunkDecoder DECODER = new VanillaChunkDecoder();

    /** A worst-case output buffer size for compressing {@code len} bytes. */
    public static int maxCompressedLength(int len) {
        return len + (len >> 5) + 16;
    }

    /**
     * Decompresses a block that must expand to exactly {@code out.length} bytes. It trusts its
     * input: callers turn runtime exceptions from a corrupt block into format errors.
     */
    public static void decompress(byte[] in, int off, int len, byte[] out) throws LZFException {
        DECODER.decodeChunk(in, off, out, 0, out.length);
    }
}
