package io.ember.script;

/** Redis's rand48 (redisSrand48/redisLrand48), behind math.random so sequences match Redis's. */
final class Rand48 {
    private long x;

    /** The unseeded state of Redis's rand.c (X2 X1 X0 = 0x1234 0xABCD 0x330E). */
    Rand48() {
        x = 0x1234_ABCD_330EL;
    }

    void seed(int seed) {
        x = (((long) seed) << 16 | 0x330E) & 0xFFFF_FFFF_FFFFL;
    }

    /** The next value in [0, 2^31). */
    int next() {
        x = (x * 0x5DEECE66DL + 0xB) & 0xFFFF_FFFF_FFFFL;
        return (int) (x >>> 17);
    }
}
