package io.ember.persist.rdb;

import io.ember.util.Numbers;
import java.util.ArrayList;
import java.util.List;

/**
 * Decoder for the ziplist, the compact encoding of small lists, hashes and sorted sets in RDB
 * versions before 10 (Redis's ziplist.c, replaced by listpacks in 7.0). Only reading is needed:
 * Redis 7.0 converts every ziplist it loads.
 *
 * <p>Layout: {@code zlbytes u32, zltail u32, zllen u16} (little-endian), entries, 0xFF. An entry is
 * {@code prevlen} (1 byte, or 0xFE + u32), an encoding ({@code 00llllll}, {@code 01llllll llllllll}
 * big-endian, {@code 10xxxxxx} + u32 big-endian for strings; 0xC0 int16, 0xD0 int32, 0xE0 int64,
 * 0xF0 int24, 0xFE int8, 0xF1..0xFD the immediates 0..12), then the payload (integers little-endian).
 */
final class Ziplist {
    private Ziplist() {}

    private static final int HEADER = 10;
    private static final int END = 0xFF;

    /**
     * Every entry (integers as their decimal text), after checking the whole structure as
     * ziplistValidateIntegrity does with deep validation: sizes, prevlen chain, tail offset,
     * count and terminator. Null when anything is wrong.
     */
    static List<byte[]> entries(byte[] zl) {
        int size = zl.length;
        if (size < HEADER + 1 || u32(zl, 0) != size || (zl[size - 1] & 0xff) != END) return null;
        long tail = u32(zl, 4);
        int declared = (zl[8] & 0xff) | (zl[9] & 0xff) << 8;
        List<byte[]> out = new ArrayList<>();
        int p = HEADER;
        int prevSize = 0;
        int lastEntry = HEADER;
        while (p < size - 1) {
            int start = p;
            int prevlen;
            int first = zl[p] & 0xff;
            if (first < 254) {
                prevlen = first;
                p += 1;
            } else if (first == 254) {
                if (p + 5 > size - 1) return null;
                long v = u32(zl, p + 1);
                if (v > Integer.MAX_VALUE) return null;
                prevlen = (int) v;
                p += 5;
            } else {
                return null;
            }
            if (prevlen != prevSize) return null;
            if (p >= size - 1) return null;
            int enc = zl[p] & 0xff;
            byte[] value;
            if (enc < 0xC0) {
                long len;
                int kind = enc >>> 6;
                if (kind == 0) {
                    len = enc & 0x3F;
                    p += 1;
                } else if (kind == 1) {
                    if (p + 2 > size - 1) return null;
                    len = (enc & 0x3F) << 8 | (zl[p + 1] & 0xff);
                    p += 2;
                } else {
                    if (p + 5 > size - 1) return null;
                    len = u32be(zl, p + 1);
                    p += 5;
                }
                if (len > size - 1 - p) return null;
                value = java.util.Arrays.copyOfRange(zl, p, p + (int) len);
                p += (int) len;
            } else {
                int n;
                switch (enc) {
                    case 0xC0 -> n = 2;
                    case 0xD0 -> n = 4;
                    case 0xE0 -> n = 8;
                    case 0xF0 -> n = 3;
                    case 0xFE -> n = 1;
                    default -> {
                        if (enc < 0xF1 || enc > 0xFD) return null;
                        n = 0;
                    }
                }
                p += 1;
                if (n > size - 1 - p) return null;
                long v;
                if (n == 0) {
                    v = (enc & 0x0F) - 1;
                } else {
                    v = 0;
                    for (int i = n - 1; i >= 0; i--) v = v << 8 | (zl[p + i] & 0xff);
                    int shift = 64 - 8 * n; // sign-extend
                    v = v << shift >> shift;
                }
                p += n;
                value = Numbers.toBytes(v);
            }
            out.add(value);
            prevSize = p - start;
            lastEntry = start;
        }
        if (p != size - 1 || tail != lastEntry) return null;
        if (declared != 0xFFFF && declared != out.size()) return null;
        return out;
    }

    private static long u32(byte[] b, int at) {
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
    }

    private static long u32be(byte[] b, int at) {
        return (b[at] & 0xffL) << 24 | (b[at + 1] & 0xffL) << 16 | (b[at + 2] & 0xffL) << 8 | (b[at + 3] & 0xffL);
    }
}
