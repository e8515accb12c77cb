package io.ember.geo;

/**
 * Redis's geohash arithmetic (geohash.c), bit for bit: a position is the interleaving of two
 * fixed-point offsets (latitude in the even bits, longitude in the odd bits) within the
 * EPSG:3857 limits, 26 bits each at full precision, so a member's sorted-set score is a 52-bit
 * integer. All arithmetic is on unsigned 64-bit words as in C ({@code >>>} for right shifts);
 * the conversions from double truncate like C's casts, so that even the edge values (latitude
 * exactly 85.05112878, whose offset overflows into bit 52) give Redis's scores.
 */
public final class GeoHash {
    private GeoHash() {}

    public static final double LONG_MIN = -180, LONG_MAX = 180;
    public static final double LAT_MIN = -85.05112878, LAT_MAX = 85.05112878;
    /** Bits per coordinate of a stored score (GEO_STEP_MAX). */
    public static final int STEP_MAX = 26;

    /**
     * geohashEncode: the interleaved bits of (longitude, latitude) at {@code step} bits per
     * coordinate within the given ranges, or -1 when a coordinate is outside them (or outside the
     * WGS84 limits, which Redis checks first).
     */
    public static long encode(double lonMin, double lonMax, double latMin, double latMax,
                              double longitude, double latitude, int step) {
        if (step > 32 || step == 0) return -1;
        if (longitude > LONG_MAX || longitude < LONG_MIN || latitude > LAT_MAX || latitude < LAT_MIN) return -1;
        if (latitude < latMin || latitude > latMax || longitude < lonMin || longitude > lonMax) return -1;
        double latOffset = (latitude - latMin) / (latMax - latMin);
        double longOffset = (longitude - lonMin) / (lonMax - lonMin);
        latOffset *= (double) (1L << step);
        longOffset *= (double) (1L << step);
        // (uint32_t) casts of values in [0, 2^32): truncation
        return interleave64((long) latOffset & 0xFFFFFFFFL, (long) longOffset & 0xFFFFFFFFL);
    }

    /** geohashEncodeWGS84: within the Web Mercator limits. */
    public static long encodeWGS84(double longitude, double latitude, int step) {
        return encode(LONG_MIN, LONG_MAX, LAT_MIN, LAT_MAX, longitude, latitude, step);
    }

    /** The 52-bit score of a position (GEOADD): full precision, already aligned. */
    public static long score(double longitude, double latitude) {
        return encodeWGS84(longitude, latitude, STEP_MAX);
    }

    /** geohashAlign52Bits: the hash's bits moved up to the top of a 52-bit score. */
    public static long align52(long bits, int step) {
        return bits << (52 - step * 2);
    }

    /**
     * geohashDecode: the cell of {@code bits} at {@code step} within the given ranges, written to
     * {@code area} as {lonMin, lonMax, latMin, latMax}. False for the zero hash (bits and step 0).
     */
    public static boolean decode(double lonMin, double lonMax, double latMin, double latMax,
                                 long bits, int step, double[] area) {
        if (bits == 0 && step == 0) return false;
        long sep = deinterleave64(bits); // [LAT][LONG]
        double latScale = latMax - latMin;
        double longScale = lonMax - lonMin;
        long ilato = sep & 0xFFFFFFFFL;
        long ilono = sep >>> 32;
        double div = (double) (1L << step);
        area[2] = latMin + (ilato * 1.0 / div) * latScale;
        area[3] = latMin + ((double) (ilato + 1) * 1.0 / div) * latScale;
        area[0] = lonMin + (ilono * 1.0 / div) * longScale;
        area[1] = lonMin + ((double) (ilono + 1) * 1.0 / div) * longScale;
        return true;
    }

    public static boolean decodeWGS84(long bits, int step, double[] area) {
        return decode(LONG_MIN, LONG_MAX, LAT_MIN, LAT_MAX, bits, step, area);
    }

    /**
     * decodeGeohash: the centre of a stored score's cell into {@code xy} (longitude, latitude),
     * clamped to the limits as geohashDecodeAreaToLongLat does. {@code area} is scratch (4).
     */
    public static void decodeScore(double score, double[] xy, double[] area) {
        long bits = toUint64(score);
        decodeWGS84(bits, STEP_MAX, area);
        double x = (area[0] + area[1]) / 2;
        if (x > LONG_MAX) x = LONG_MAX;
        if (x < LONG_MIN) x = LONG_MIN;
        double y = (area[2] + area[3]) / 2;
        if (y > LAT_MAX) y = LAT_MAX;
        if (y < LAT_MIN) y = LAT_MIN;
        xy[0] = x;
        xy[1] = y;
    }

    /** C's (uint64_t) cast of a score (a geo score is a non-negative integer below 2^54). */
    static long toUint64(double d) {
        if (d >= 9.223372036854775807E18) return (long) (d - 9.223372036854775807E18) + Long.MIN_VALUE;
        return (long) d;
    }

    // ---- neighbours ---------------------------------------------------------------------------

    /** geohash_move_x: one cell east (d > 0) or west (d < 0), wrapping around. */
    public static long moveX(long bits, int step, int d) {
        if (d == 0) return bits;
        long x = bits & 0xaaaaaaaaaaaaaaaaL;
        long y = bits & 0x5555555555555555L;
        long zz = 0x5555555555555555L >>> (64 - step * 2);
        if (d > 0) {
            x = x + (zz + 1);
        } else {
            x = x | zz;
            x = x - (zz + 1);
        }
        x &= (0xaaaaaaaaaaaaaaaaL >>> (64 - step * 2));
        return x | y;
    }

    /** geohash_move_y: one cell north (d > 0) or south (d < 0). */
    public static long moveY(long bits, int step, int d) {
        if (d == 0) return bits;
        long x = bits & 0xaaaaaaaaaaaaaaaaL;
        long y = bits & 0x5555555555555555L;
        long zz = 0xaaaaaaaaaaaaaaaaL >>> (64 - step * 2);
        if (d > 0) {
            y = y + (zz + 1);
        } else {
            y = y | zz;
            y = y - (zz + 1);
        }
        y &= (0x5555555555555555L >>> (64 - step * 2));
        return x | y;
    }

    // ---- bit interleaving (graphics.stanford.edu bithacks, as geohash.c) ----------------------

    /** Bits of x in the even positions, bits of y in the odd ones; both below 2^32. */
    static long interleave64(long x, long y) {
        x = (x | (x << 16)) & 0x0000FFFF0000FFFFL;
        y = (y | (y << 16)) & 0x0000FFFF0000FFFFL;
        x = (x | (x << 8)) & 0x00FF00FF00FF00FFL;
        y = (y | (y << 8)) & 0x00FF00FF00FF00FFL;
        x = (x | (x << 4)) & 0x0F0F0F0F0F0F0F0FL;
        y = (y | (y << 4)) & 0x0F0F0F0F0F0F0F0FL;
        x = (x | (x << 2)) & 0x3333333333333333L;
        y = (y | (y << 2)) & 0x3333333333333333L;
        x = (x | (x << 1)) & 0x5555555555555555L;
        y = (y | (y << 1)) & 0x5555555555555555L;
        return x | (y << 1);
    }

    /** The reverse: even bits in the low word, odd bits in the high word. */
    static long deinterleave64(long interleaved) {
        long x = interleaved;
        long y = interleaved >>> 1;
        x = x & 0x5555555555555555L;
        y = y & 0x5555555555555555L;
        x = (x | (x >>> 1)) & 0x3333333333333333L;
        y = (y | (y >>> 1)) & 0x3333333333333333L;
        x = (x | (x >>> 2)) & 0x0F0F0F0F0F0F0F0FL;
        y = (y | (y >>> 2)) & 0x0F0F0F0F0F0F0F0FL;
        x = (x | (x >>> 4)) & 0x00FF00FF00FF00FFL;
        y = (y | (y >>> 4)) & 0x00FF00FF00FF00FFL;
        x = (x | (x >>> 8)) & 0x0000FFFF0000FFFFL;
        y = (y | (y >>> 8)) & 0x0000FFFF0000FFFFL;
        x = (x | (x >>> 16)) & 0x00000000FFFFFFFFL;
        y = (y | (y >>> 16)) & 0x00000000FFFFFFFFL;
        return x | (y << 32);
    }

    // ---- the standard geohash string (GEOHASH) ------------------------------------------------

    private static final byte[] ALPHABET = "0123456789bcdefghjkmnpqrstuvwxyz".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * The 11-character geohash of a stored score: the cell centre re-encoded with the standard
     * latitude range ±90 (Redis's own range is ±85.05), 52 bits, the last character always '0'.
     */
    public static byte[] toStandardString(double score) {
        double[] xy = new double[2], area = new double[4];
        decodeScore(score, xy, area);
        long bits = encode(-180, 180, -90, 90, xy[0], xy[1], STEP_MAX);
        if (bits < 0) bits = 0; // cannot happen for a decoded position; Redis would leave bits 0
        byte[] out = new byte[11];
        for (int i = 0; i < 10; i++) out[i] = ALPHABET[(int) ((bits >>> (52 - (i + 1) * 5)) & 0x1f)];
        out[10] = '0';
        return out;
    }
}
