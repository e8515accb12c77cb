package io.ember.command;

import io.ember.client.Client;
import io.ember.engine.Database;
import io.ember.pubsub.KeyspaceEvents;
import io.ember.type.HyperLogLog;
import io.ember.type.ValueType;
import java.util.Random;

/**
 * HyperLogLog commands (hyperloglog.c of Redis 7.0): PFADD, PFCOUNT, PFMERGE, PFDEBUG,
 * PFSELFTEST. An HLL is a string value holding Redis's exact bytes ({@link HyperLogLog}), so GET,
 * DUMP or replication of the key show what Redis would.
 *
 * <p>Like the bitmap commands, these change the key's array in place when its length stays the
 * same (register updates, the cached cardinality) and store a new array otherwise; every write
 * turns the encoding "raw", as dbUnshareStringValue does.
 */
public final class HyperLogLogCommands {
    private HyperLogLogCommands() {}

    static void register(CommandTable t) {
        t.add("pfadd", HyperLogLogCommands::pfadd);
        t.add("pfcount", HyperLogLogCommands::pfcount);
        t.add("pfmerge", HyperLogLogCommands::pfmerge);
        t.add("pfdebug", HyperLogLogCommands::pfdebug);
        t.add("pfselftest", HyperLogLogCommands::pfselftest);
    }

    static final String INVALID = "INVALIDOBJ Corrupted HLL object detected";
    private static final String NOT_HLL = "WRONGTYPE Key is not a valid HyperLogLog string value.";

    /**
     * isHLLObjectOrReply: the key's bytes when it holds a string that looks like an HLL; null after
     * replying WRONGTYPE (another type, or a string that is not an HLL).
     */
    private static byte[] hllOrReply(Client c, Database db, int ref) {
        byte[] v = StringCommands.stringOrWrongType(c, db, ref);
        if (v == null) return null;
        if (db.encoding(ref) == ValueType.ENC_INT || !HyperLogLog.looksValid(v)) {
            c.reply.error(NOT_HLL);
            return null;
        }
        return v;
    }

    /** Stores the HLL's bytes back if they moved to a new array (quietly: the caller signals). */
    private static void store(Database db, int ref, byte[] old, HyperLogLog h) {
        byte[] now = h.bytes();
        if (now != old) db.replaceQuietly(ref, now);
        db.setEncoding(ref, ValueType.ENC_RAW);
    }

    /** PFADD key [element ...]: 1 if a register changed (or the key was created), else 0. */
    static void pfadd(Client c, byte[][] argv, int argc) {
        Database db = c.db;
        byte[] key = argv[1];
        int ref = db.lookupWrite(key);
        int updated = 0;
        byte[] old;
        if (ref == 0) {
            old = HyperLogLog.create();
            ref = db.add(key, old, ValueType.STRING, ValueType.ENC_RAW);
            updated++;
        } else {
            old = hllOrReply(c, db, ref);
            if (old == null) return;
        }
        HyperLogLog h = new HyperLogLog(old);
        long sparseMax = c.engine.config.hllSparseMaxBytes;
        for (int j = 2; j < argc; j++) {
            int r = h.add(argv[j], sparseMax);
            if (r == 1) updated++;
            else if (r < 0) {
                store(db, ref, old, h); // what changed before the corruption was met stays, as in Redis
                c.reply.error(INVALID);
                return;
            }
        }
        if (updated > 0) h.invalidateCache();
        store(db, ref, old, h);
        if (updated > 0) {
            db.signalModified(key);
            KeyEvents.fire(c, KeyspaceEvents.STRING, "pfadd", key);
            c.engine.dirty += updated;
        }
        c.reply.integer(updated > 0 ? 1 : 0);
    }

    /**
     * PFCOUNT key [key ...]: one key answers from (and refreshes) its cached cardinality, which
     * counts as a write (dirty, WATCH) but fires no event; several keys count their union without
     * changing them.
     */
    static void pfcount(Client c, byte[][] argv, int argc) {
        Database db = c.db;
        if (argc > 2) {
            byte[] max = new byte[HyperLogLog.REGISTERS];
            for (int j = 1; j < argc; j++) {
                int ref = db.lookupRead(argv[j]);
                if (ref == 0) continue;
                byte[] v = hllOrReply(c, db, ref);
                if (v == null) return;
                if (!new HyperLogLog(v).mergeInto(max)) {
                    c.reply.error(INVALID);
                    return;
                }
            }
            c.reply.integer(HyperLogLog.countRaw(max));
            return;
        }
        int ref = db.lookupRead(argv[1]);
        if (ref == 0) {
            c.reply.integer(0);
            return;
        }
        byte[] v = hllOrReply(c, db, ref);
        if (v == null) return;
        db.setEncoding(ref, ValueType.ENC_RAW);
        HyperLogLog h = new HyperLogLog(v);
        long card;
        if (h.cacheValid()) {
            card = h.cachedCount();
        } else {
            card = h.count();
            if (card < 0) {
                c.reply.error(INVALID);
                return;
            }
            h.setCachedCount(card);
            db.signalModified(argv[1]);
            c.engine.dirty++;
        }
        c.reply.integer(card);
    }

    /** PFMERGE destkey [sourcekey ...]: the union into destkey (created if missing; itself a source). */
    static void pfmerge(Client c, byte[][] argv, int argc) {
        Database db = c.db;
        byte[] max = new byte[HyperLogLog.REGISTERS];
        boolean useDense = false;
        for (int j = 1; j < argc; j++) {
            int ref = db.lookupRead(argv[j]);
            if (ref == 0) continue;
            byte[] v = hllOrReply(c, db, ref);
            if (v == null) return;
            HyperLogLog h = new HyperLogLog(v);
            if (h.encoding() == HyperLogLog.DENSE) useDense = true;
            if (!h.mergeInto(max)) {
                c.reply.error(INVALID);
                return;
            }
        }
        byte[] dest = argv[1];
        int ref = db.lookupWrite(dest);
        byte[] old;
        if (ref == 0) {
            old = HyperLogLog.create();
            ref = db.add(dest, old, ValueType.STRING, ValueType.ENC_RAW);
        } else {
            old = (byte[]) db.value(ref); // checked as a source above
        }
        HyperLogLog h = new HyperLogLog(old);
        if (useDense && !h.sparseToDense()) {
            c.reply.error(INVALID);
            return;
        }
        h.setAll(max, c.engine.config.hllSparseMaxBytes);
        h.invalidateCache();
        store(db, ref, old, h);
        db.signalModified(dest);
        KeyEvents.fire(c, KeyspaceEvents.STRING, "pfadd", dest); // Redis's event for PFMERGE too
        c.engine.dirty++;
        c.reply.ok();
    }

    /** PFDEBUG GETREG|DECODE|ENCODING|TODENSE key. GETREG and TODENSE turn a sparse HLL dense. */
    static void pfdebug(Client c, byte[][] argv, int argc) {
        Database db = c.db;
        String sub = new String(argv[1], java.nio.charset.StandardCharsets.ISO_8859_1);
        int ref = db.lookupWrite(argv[2]);
        if (ref == 0) {
            c.reply.error("ERR The specified key does not exist");
            return;
        }
        byte[] v = hllOrReply(c, db, ref);
        if (v == null) return;
        db.setEncoding(ref, ValueType.ENC_RAW);
        HyperLogLog h = new HyperLogLog(v);
        switch (sub.toLowerCase(java.util.Locale.ROOT)) {
            case "getreg" -> {
                if (h.encoding() == HyperLogLog.SPARSE) {
                    if (!h.sparseToDense()) {
                        c.reply.error(INVALID);
                        return;
                    }
                    store(db, ref, v, h);
                    c.engine.dirty++; // Redis forces propagation of the conversion, without a signal
                }
                c.reply.arrayHeader(HyperLogLog.REGISTERS);
                for (int j = 0; j < HyperLogLog.REGISTERS; j++) c.reply.integer(h.register(j));
            }
            case "decode" -> {
                if (h.encoding() != HyperLogLog.SPARSE) {
                    c.reply.error("ERR HLL encoding is not sparse");
                    return;
                }
                c.reply.bulk(h.decode());
            }
            case "encoding" -> c.reply.simple(h.encoding() == HyperLogLog.DENSE ? "dense" : "sparse");
            case "todense" -> {
                boolean converted = false;
                if (h.encoding() == HyperLogLog.SPARSE) {
                    if (!h.sparseToDense()) {
                        c.reply.error(INVALID);
                        return;
                    }
                    store(db, ref, v, h);
                    converted = true;
                    c.engine.dirty++;
                }
                c.reply.integer(converted ? 1 : 0);
            }
            default -> c.reply.error("ERR Unknown PFDEBUG subcommand '" + sub + "'");
        }
    }

    /** PFSELFTEST: Redis's self-test of the registers and the estimator (10^7 additions). */
    static void pfselftest(Client c, byte[][] argv, int argc) {
        String err = HyperLogLog.selfTest(c.engine.config.hllSparseMaxBytes, new Random());
        if (err == null) c.reply.ok();
        else c.reply.error(err);
    }
}
