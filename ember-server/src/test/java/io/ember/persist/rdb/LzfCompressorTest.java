package io.ember.persist.rdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** LzfCompressor's blocks decompress to their input and respect the output limit. */
class LzfCompressorTest {
    private final LzfCompressor lzf = new LzfCompressor();

    private byte[] roundTrip(byte[] in) throws Exception {
        int limit = Lzf.maxCompressedLength(in.length); // room for incompressible input
        byte[] out = new byte[limit + 2];
        int n = lzf.compress(in, 0, in.length, out, limit);
        assertTrue(n > 0, "compressed " + in.length + " bytes");
        byte[] back = new byte[in.length];
        Lzf.decompress(out, 0, n, back);
        assertArrayEquals(in, back);
        return java.util.Arrays.copyOf(out, n);
    }

    @Test
    void roundTripsManyShapes() throws Exception {
        Random rnd = new Random(7);
        for (int round = 0; round < 300; round++) {
            int len = 1 + rnd.nextInt(round < 250 ? 300 : 70_000);
            byte[] in = new byte[len];
            int alphabet = 1 + rnd.nextInt(round % 3 == 0 ? 255 : 4);
            for (int i = 0; i < len; i++) in[i] = (byte) rnd.nextInt(alphabet);
            roundTrip(in);
        }
        roundTrip("a".repeat(100_000).getBytes(StandardCharsets.US_ASCII));
    }

    /** Output that would pass the limit is refused (0), as lzf_compress does. */
    @Test
    void refusesWhenOutputDoesNotFit() {
        byte[] random = new byte[500];
        new Random(1).nextBytes(random);
        assertEquals(0, lzf.compress(random, 0, random.length, new byte[600], random.length - 4));
        byte[] runs = "ab".repeat(250).getBytes(StandardCharsets.US_ASCII);
        int n = lzf.compress(runs, 0, runs.length, new byte[600], runs.length - 4);
        assertTrue(n > 0 && n < 20, "compressed to " + n);
        assertEquals(0, lzf.compress(runs, 0, runs.length, new byte[600], n - 1));
    }

    /** A few blocks as liblzf writes them (the layout: literal runs 000LLLLL, back references LLLooooo). */
    @Test
    void knownBlocks() throws Exception {
        // 21 'a': one literal, then a back reference of 19 octets at distance 1 ... and the tail literal
        byte[] a21 = roundTrip("a".repeat(21).getBytes(StandardCharsets.US_ASCII));
        assertEquals(6, a21.length); // redis-server stores SET x aaaaaaaaaaaaaaaaaaaaa as a 6-byte LZF block
    }
}
