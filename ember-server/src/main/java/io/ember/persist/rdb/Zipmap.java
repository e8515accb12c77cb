package io.ember.persist.rdb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decoder for the zipmap, the small-hash encoding of RDB files written before Redis 2.6
 * (zipmap.c). Layout: {@code zmlen} (1 byte; 254 = unknown), then per pair: key length, key,
 * value length, a "free" byte, value, that many unused bytes; 0xFF ends it. A length is one byte
 * below 254, or 254 followed by a 4-byte little-endian length.
 */
final class Zipmap {
    private Zipmap() {}

    private static final int BIGLEN = 254;
    private static final int END = 255;

    /**
     * Field, value, field, value... after checking the whole structure as zipmapValidateIntegrity
     * does (bounds, count, terminator, not empty). Null when anything is wrong.
     */
    static List<byte[]> entries(byte[] zm) {
        int size = zm.length;
        if (size < 2 || (zm[size - 1] & 0xff) != END) return null;
        int declared = zm[0] & 0xff;
        List<byte[]> out = new ArrayList<>();
        int p = 1;
        while ((zm[p] & 0xff) != END) {
            // key
            long[] lenAt = length(zm, p);
            if (lenAt == null) return null;
            p = (int) lenAt[1];
            if (lenAt[0] > size - 1 - p) return null;
            out.add(Arrays.copyOfRange(zm, p, p + (int) lenAt[0]));
            p += (int) lenAt[0];
            // value
            lenAt = length(zm, p);
            if (lenAt == null) return null;
            p = (int) lenAt[1];
            if (p >= size - 1) return null;
            int free = zm[p++] & 0xff;
            if (lenAt[0] + free > size - 1 - p) return null;
            out.add(Arrays.copyOfRange(zm, p, p + (int) lenAt[0]));
            p += (int) lenAt[0] + free;
            if (p >= size) return null;
        }
        if (p != size - 1 || out.isEmpty()) return null;
        if (declared < BIGLEN && declared != out.size() / 2) return null;
        return out;
    }

    /** {length, offset after it}, or null when it runs past the end. */
    private static long[] length(byte[] zm, int p) {
        int size = zm.length;
        if (p >= size - 1) return null;
        int b = zm[p] & 0xff;
        if (b < BIGLEN) return new long[] {b, p + 1};
        if (b == END || p + 5 > size - 1) return null;
        long v = (zm[p + 1] & 0xffL) | (zm[p + 2] & 0xffL) << 8 | (zm[p + 3] & 0xffL) << 16 | (zm[p + 4] & 0xffL) << 24;
        return new long[] {v, p + 5};
    }
}
