package io.ember.persist.rdb;

/**
 * CRC-64/Jones as Redis computes it (crc64.c): the RDB trailer and the DUMP payload footer.
 * Reflected, polynomial 0xad93d23594c935a9, initial value 0, no final xor;
 * {@code update(0, "123456789")} is 0xe9c6d914c4b8d9ca. Slicing-by-8 tables: eight bytes per step.
 */
public final class Crc64 {
    private Crc64() {}

    /** The Jones polynomial, bit-reversed for the reflected algorithm. */
    private static final long POLY_REFLECTED = Long.reverse(0xad93d23594c935a9L);
    private static final long[][] TABLES = new long[8][256];

    static {
        for (int i = 0; i < 256; i++) {
            long c = i;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? (c >>> 1) ^ POLY_REFLECTED : c >>> 1;
            TABLES[0][i] = c;
        }
        for (int i = 0; i < 256; i++) {
            long c = TABLES[0][i];
            for (int t = 1; t < 8; t++) {
                c = TABLES[0][(int) c & 0xff] ^ (c >>> 8);
                TABLES[t][i] = c;
            }
        }
    }

    /** Continues {@code crc} over {@code len} bytes of {@code b} from {@code off}. */
    public static long update(long crc, byte[] b, int off, int len) {
        long[] t0 = TABLES[0], t1 = TABLES[1], t2 = TABLES[2], t3 = TABLES[3];
        long[] t4 = TABLES[4], t5 = TABLES[5], t6 = TABLES[6], t7 = TABLES[7];
        int i = off, end = off + len;
        for (; i + 8 <= end; i += 8) {
            long x = crc
                    ^ ((b[i] & 0xffL) | (b[i + 1] & 0xffL) << 8 | (b[i + 2] & 0xffL) << 16 | (b[i + 3] & 0xffL) << 24
                    | (b[i + 4] & 0xffL) << 32 | (b[i + 5] & 0xffL) << 40 | (b[i + 6] & 0xffL) << 48
                    | (b[i + 7] & 0xffL) << 56);
            crc = t7[(int) x & 0xff] ^ t6[(int) (x >>> 8) & 0xff] ^ t5[(int) (x >>> 16) & 0xff]
                    ^ t4[(int) (x >>> 24) & 0xff] ^ t3[(int) (x >>> 32) & 0xff] ^ t2[(int) (x >>> 40) & 0xff]
                    ^ t1[(int) (x >>> 48) & 0xff] ^ t0[(int) (x >>> 56) & 0xff];
        }
        for (; i < end; i++) crc = t0[(int) (crc ^ b[i]) & 0xff] ^ (crc >>> 8);
        return crc;
    }

    public static long update(long crc, int b) {
        return TABLES[0][(int) (crc ^ b) & 0xff] ^ (crc >>> 8);
    }
}
