package io.ember.persist.rdb;

import java.io.IOException;

/**
 * The DUMP / RESTORE payload: one serialized value (type byte + value), then the RDB version as
 * 2 bytes little-endian and the CRC64 of everything before the CRC, 8 bytes little-endian
 * (createDumpPayload / verifyDumpPayload in Redis's cluster.c).
 */
public final class DumpPayload {
    private DumpPayload() {}

    private static final int FOOTER = 10;

    /** verifyDumpPayload: long enough, a version Ember (7.0) knows, and the right checksum. */
    public static boolean verify(byte[] p) {
        if (p.length < FOOTER) return false;
        int f = p.length - FOOTER;
        int version = (p[f] & 0xff) | (p[f + 1] & 0xff) << 8;
        if (version > Rdb.VERSION) return false;
        long crc = Crc64.update(0, p, 0, p.length - 8);
        long stored = 0;
        for (int i = 7; i >= 0; i--) stored = stored << 8 | (p[f + 2 + i] & 0xff);
        return crc == stored;
    }

    /** rdbIsObjectType for 7.0 (RDB 10): the type bytes a payload may start with. */
    private static boolean isObjectType(int t) {
        return (t >= 0 && t <= 7) || (t >= 9 && t <= 19);
    }

    /**
     * Decodes the value of a verified payload; null when it is an empty collection (which RESTORE
     * refuses as Redis does). Throws RdbFormatException for anything malformed.
     */
    public static RdbValue decode(byte[] p, RdbValueReader reader) throws IOException {
        RdbInput in = RdbInput.of(p, 0, p.length - FOOTER);
        int type = in.readByte();
        if (!isObjectType(type)) throw new RdbFormatException("Unknown object type " + type, 0);
        return reader.read(type, in);
    }
}
