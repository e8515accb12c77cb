package io.ember.persist.rdb;

import io.ember.Version;
import io.ember.engine.Database;
import io.ember.engine.Engine;
import io.ember.engine.EvictionClock;
import io.ember.engine.KeyTable;
import io.ember.type.ValueType;
import io.ember.util.Numbers;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.LockSupport;

/**
 * An RDB file, piece by piece, as Redis 7.0's rdbSaveRio writes it: {@link #writeHeader} (magic,
 * version, aux fields), per non-empty database {@link #writeDbHeader} (SELECTDB, RESIZEDB), per key
 * {@link #writeEntry} (expire, IDLE or FREQ, type, key, value), and {@link #writeEof} (EOF and the
 * CRC64). The pieces are separately callable so a point-in-time snapshot can produce the same
 * stream from its own copy of the data; {@link #writeSnapshot} is the whole file from the live
 * keyspace, for SAVE on the engine thread.
 *
 * <p>An instance fixes, at construction, what rdbSaveKeyValuePair reads from the server for each
 * key: whether the maxmemory-policy is LRU (IDLE records) or LFU (FREQ records), and
 * rdb-key-save-delay (which SAVE's {@link #writeSnapshot} sleeps after each key).
 */
public final class RdbWriter {
    private final EvictionClock evictionClock;
    private final boolean saveLru;
    private final boolean saveLfu;
    private final int keySaveDelayMicros;

    public RdbWriter(Engine engine) {
        this.evictionClock = engine.evictionClock;
        this.saveLru = engine.config.lruPolicy();
        this.saveLfu = engine.config.lfuPolicy();
        this.keySaveDelayMicros = engine.config.rdbKeySaveDelay;
    }

    /** "REDIS0010" and the aux fields of rdbSaveInfoAuxFields (no replication info, no AOF preamble). */
    public static void writeHeader(RdbOutput out, long ctimeSeconds, long usedMemory) {
        writeHeader(out, ctimeSeconds, usedMemory, false);
    }

    /** The header; {@code aofBase} marks the base file of an AOF (RDBFLAGS_AOF_PREAMBLE: aof-base 1). */
    public static void writeHeader(RdbOutput out, long ctimeSeconds, long usedMemory, boolean aofBase) {
        byte[] magic = ("REDIS" + String.format("%04d", Rdb.VERSION)).getBytes(StandardCharsets.US_ASCII);
        out.write(magic, 0, magic.length);
        writeAux(out, "redis-ver", Version.REDIS_VERSION);
        writeAux(out, "redis-bits", 64);
        writeAux(out, "ctime", ctimeSeconds);
        writeAux(out, "used-mem", usedMemory);
        writeAux(out, "aof-base", aofBase ? 1 : 0);
    }

    public static void writeAux(RdbOutput out, String key, String value) {
        out.write(Rdb.OPCODE_AUX);
        out.writeString(key.getBytes(StandardCharsets.UTF_8));
        out.writeString(value.getBytes(StandardCharsets.UTF_8));
    }

    /** An integer aux value is its decimal text, so small ones end up integer-encoded. */
    public static void writeAux(RdbOutput out, String key, long value) {
        out.write(Rdb.OPCODE_AUX);
        out.writeString(key.getBytes(StandardCharsets.UTF_8));
        out.writeString(Numbers.toBytes(value));
    }

    /**
     * The function libraries (rdbSaveFunctions): FUNCTION2 and the library's code for each, after
     * the header and before the databases, as Redis 7.0 writes them.
     */
    public static void writeFunctions(RdbOutput out, java.util.List<byte[]> libraryCodes) {
        for (byte[] code : libraryCodes) {
            out.write(Rdb.OPCODE_FUNCTION2);
            out.writeString(code);
        }
    }

    /** SELECTDB and RESIZEDB (the sizing hints a loader uses to presize its tables). */
    public static void writeDbHeader(RdbOutput out, int db, long keys, long keysWithExpire) {
        out.write(Rdb.OPCODE_SELECTDB);
        out.writeLength(db);
        out.write(Rdb.OPCODE_RESIZEDB);
        out.writeLength(keys);
        out.writeLength(keysWithExpire);
    }

    /**
     * One key (rdbSaveKeyValuePair): EXPIRETIME_MS when {@code expireAtMs} is not 0 (Ember's "no
     * TTL"), IDLE or FREQ by policy from the access bits of {@code meta}, the type byte, the key
     * and the value. (rdb-key-save-delay is slept by the caller: SAVE after each key, BGSAVE on its
     * writer thread, never on the engine thread in between.)
     */
    public void writeEntry(RdbOutput out, byte[] key, Object value, int meta, long expireAtMs) {
        if (expireAtMs != 0) {
            out.write(Rdb.OPCODE_EXPIRETIME_MS);
            out.writeLongLE(expireAtMs);
        }
        if (saveLru) {
            out.write(Rdb.OPCODE_IDLE);
            out.writeLength(evictionClock.idleMillis(ValueType.lru(meta)) / 1000);
        }
        if (saveLfu) {
            out.write(Rdb.OPCODE_FREQ);
            out.write(evictionClock.decayedCounter(ValueType.lru(meta)));
        }
        int type = ValueType.type(meta);
        out.write(RdbValueWriter.rdbType(type, ValueType.encoding(meta), value));
        out.writeString(key);
        RdbValueWriter.writeValue(out, type, value);
    }

    /** debugDelay: a negative delay sleeps 1 µs with probability 1/|delay| (short average sleeps). */
    private static void keySaveDelay(int micros) {
        if (micros < 0) micros = java.util.concurrent.ThreadLocalRandom.current().nextInt(-micros) == 0 ? 1 : 0;
        if (micros > 0) LockSupport.parkNanos(micros * 1000L);
    }

    /** EOF and the CRC64 of everything before it, little-endian (0 with rdbchecksum no). */
    public static void writeEof(RdbFileOutput out) {
        out.write(Rdb.OPCODE_EOF);
        out.writeLongLE(out.checksum());
    }

    /** The whole file from the live keyspace (SAVE: on the engine thread, which it blocks). */
    public void writeSnapshot(RdbFileOutput out, Engine engine) {
        writeSnapshot(out, engine, false);
    }

    /** The whole file; {@code aofBase} for the base of an AOF. */
    public void writeSnapshot(RdbFileOutput out, Engine engine, boolean aofBase) {
        writeHeader(out, System.currentTimeMillis() / 1000, engine.usedMemory(), aofBase);
        writeFunctions(out, engine.scripting.functions.codes());
        for (int i = 0; i < engine.dbCount(); i++) {
            Database db = engine.db(i);
            KeyTable t = db.table();
            if (t.size() == 0) continue;
            writeDbHeader(out, i, t.size(), t.expiresCount());
            for (int r = 1, limit = t.slotLimit(); r <= limit; r++) {
                if (!t.live(r)) continue;
                writeEntry(out, t.key(r), t.value(r), t.meta(r), t.expireAt(r));
                if (keySaveDelayMicros != 0) keySaveDelay(keySaveDelayMicros);
            }
        }
        writeEof(out);
    }
}
