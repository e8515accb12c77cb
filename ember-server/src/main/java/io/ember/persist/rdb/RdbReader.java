package io.ember.persist.rdb;

import io.ember.config.ServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads an RDB file item by item (rdbLoadRio): the header, then AUX, SELECTDB, RESIZEDB, the
 * per-key EXPIRETIME(_MS) / IDLE / FREQ prefixes and the keys, up to EOF and the CRC64 check.
 * {@link #next} reads one item so the engine can interleave loading with other work later;
 * {@link #load} reads everything.
 */
public final class RdbReader {
    private final RdbInput in;
    private final RdbValueReader values;
    private final int databases;
    private final boolean verifyChecksum;
    private int version = -1;
    private int db;
    private boolean done;
    private long keys;
    /** Stored checksum: 0 when the file was saved without one (or version < 5). */
    private long storedChecksum;

    public RdbReader(RdbInput in, ServerConfig config) {
        this.in = in;
        this.values = new RdbValueReader(config);
        this.databases = config.databases;
        this.verifyChecksum = config.rdbChecksum;
    }

    public int version() {
        return version;
    }

    public long keysRead() {
        return keys;
    }

    public long storedChecksum() {
        return storedChecksum;
    }

    public RdbInput input() {
        return in;
    }

    /** The "REDIS" magic and the 4-digit version. */
    public int readHeader() throws IOException {
        byte[] head = new byte[9];
        for (int i = 0; i < 9; i++) {
            if (in.atEnd()) throw in.error("File too short for an RDB header");
            head[i] = (byte) in.readByte();
        }
        for (int i = 0; i < 5; i++) {
            if (head[i] != Rdb.MAGIC[i]) throw new RdbFormatException("Wrong signature trying to load DB from file", 0);
        }
        int v = 0;
        for (int i = 5; i < 9; i++) {
            if (head[i] < '0' || head[i] > '9') throw new RdbFormatException("Wrong signature trying to load DB from file", 0);
            v = v * 10 + (head[i] - '0');
        }
        if (v < 1 || v > Rdb.MAX_READ_VERSION) throw new RdbFormatException("Can't handle RDB format version " + v, 5);
        version = v;
        return v;
    }

    /** Reads everything into {@code target}. */
    public void load(RdbLoadTarget target) throws IOException {
        while (next(target)) {
            // one item per iteration
        }
    }

    /**
     * Reads the next item (an opcode, or one key with its prefixes) and hands it to {@code target}.
     * Returns false once EOF and the checksum have been read.
     */
    public boolean next(RdbLoadTarget target) throws IOException {
        if (done) return false;
        if (version < 0) readHeader();
        long expireAt = 0;
        long idle = -1;
        int freq = -1;
        while (true) {
            long at = in.offset();
            int type = in.readByte();
            switch (type) {
                case Rdb.OPCODE_EXPIRETIME:
                    expireAt = (in.readIntLE() & 0xffffffffL) * 1000;
                    continue;
                case Rdb.OPCODE_EXPIRETIME_MS:
                    expireAt = in.readLongLE();
                    continue;
                case Rdb.OPCODE_FREQ:
                    freq = in.readByte();
                    continue;
                case Rdb.OPCODE_IDLE:
                    idle = in.readLength();
                    continue;
                case Rdb.OPCODE_EOF:
                    finish();
                    return false;
                case Rdb.OPCODE_SELECTDB: {
                    long n = in.readLength();
                    if (n >= databases) {
                        throw new RdbFormatException("Data file was created with a Redis server configured to handle more than "
                                + databases + " databases (SELECTDB " + n + ")", at);
                    }
                    db = (int) n;
                    target.selectDb(db, at);
                    return true;
                }
                case Rdb.OPCODE_RESIZEDB: {
                    long k = in.readLength();
                    long e = in.readLength();
                    target.resizeDb(db, k, e);
                    return true;
                }
                case Rdb.OPCODE_AUX: {
                    String name = in.readText();
                    byte[] value = in.readString();
                    target.aux(name, value);
                    return true;
                }
                case Rdb.OPCODE_MODULE_AUX:
                    throw new RdbFormatException("Module auxiliary data is not supported", at);
                case Rdb.OPCODE_FUNCTION:
                    throw new RdbFormatException("Pre-GA function format not supported", at);
                case Rdb.OPCODE_FUNCTION2:
                    target.function(in.readString(), at);
                    return true;
                default:
                    if (!RdbValueReader.isValueType(type)) throw new RdbFormatException("Unknown RDB type or opcode " + type, at);
                    byte[] key = in.readString();
                    RdbValue value = values.read(type, in);
                    keys++;
                    // An empty collection is skipped as Redis does ("empty keys skipped").
                    if (value != null) target.key(db, key, value, expireAt, idle, freq, at);
                    return true;
            }
        }
    }

    /** After EOF: the 8-byte checksum (version 5 and later), checked unless it is 0 or rdbchecksum is off. */
    private void finish() throws IOException {
        done = true;
        if (version < 5) return;
        long expected = in.crc();
        long at = in.offset();
        storedChecksum = in.readLongLE();
        if (verifyChecksum && storedChecksum != 0 && storedChecksum != expected) {
            throw new RdbFormatException(String.format("Wrong RDB checksum expected: (%x) got: (%x)", storedChecksum, expected), at);
        }
    }

    /** Aux values are text for the fields Ember interprets. */
    public static String text(byte[] v) {
        return new String(v, StandardCharsets.ISO_8859_1);
    }
}
