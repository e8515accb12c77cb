package io.ember.persist.rdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Crc64LzfTest {
    @Test
    void crc64MatchesRedisCheckValue() {
        byte[] b = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0xe9c6d914c4b8d9caL, Crc64.update(0, b, 0, b.length));
        long c = 0;
        for (byte x : b) c = Crc64.update(c, x);
        assertEquals(0xe9c6d914c4b8d9caL, c);
    }

    @Test
    void crc64SlicedEqualsBytewiseAtEveryLengthAndOffset() {
        Random rnd = new Random(7);
        byte[] b = new byte[300];
        rnd.nextBytes(b);
        for (int off = 0; off < 9; off++) {
            for (int len = 0; len + off <= b.length; len += 13) {
                long bytewise = 5;
                for (int i = off; i < off + len; i++) bytewise = Crc64.update(bytewise, b[i]);
                assertEquals(bytewise, Crc64.update(5, b, off, len), "off " + off + " len " + len);
            }
        }
    }

    @Test
    void lzfRoundTripsAndRefusesWhatDoesNotShrink() throws Exception {
        LzfCompressor lzf = new LzfCompressor();
        byte[] text = "abcabcabcabcabcabcabcabcabcabcabcabc-hello-hello-hello-hello".repeat(50)
                .getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[Lzf.maxCompressedLength(text.length)];
        int n = lzf.compress(text, 0, text.length, out, text.length - 4);
        assertTrue(n > 0 && n < text.length / 4, "compressed to " + n);
        byte[] back = new byte[text.length];
        Lzf.decompress(out, 0, n, back);
        assertArrayEquals(text, back);

        byte[] noise = new byte[200];
        new Random(1).nextBytes(noise);
        assertEquals(0, lzf.compress(noise, 0, noise.length, new byte[Lzf.maxCompressedLength(200)], 196));
    }
}
