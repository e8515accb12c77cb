package io.ember.command;

import io.ember.client.Client;
import io.ember.engine.Database;
import io.ember.engine.Engine;
import io.ember.engine.KeyTable;
import io.ember.pubsub.KeyspaceEvents;
import io.ember.type.ValueType;
import io.ember.type.Values;
import io.ember.util.Bytes;
import io.ember.util.Glob;

/**
 * Type-agnostic keyspace commands (db.c): DEL, UNLINK, EXISTS, TYPE, RENAME, RENAMENX, KEYS,
 * RANDOMKEY, MOVE, COPY, TOUCH, DBSIZE, FLUSHDB, FLUSHALL, SWAPDB. SCAN, OBJECT and the expiry
 * commands live in their own classes and are registered from here.
 *
 * <p>Each command looks keys up the way Redis's code does (read, write or no-touch lookup),
 * because that choice decides LRU/LFU updates, hit/miss statistics and lazy expiry.
 *
 * <p>Keyspace events (GENERIC class) as db.c fires them: del, rename_from/rename_to,
 * move_from/move_to, copy_to, each before the reply; "new" comes from the database layer.
 * FLUSHDB, FLUSHALL and SWAPDB fire nothing in Redis 7.0.
 */
public final class KeyspaceCommands {
    private KeyspaceCommands() {}

    static void register(CommandTable t) {
        t.add("del", KeyspaceCommands::del);
        t.add("unlink", KeyspaceCommands::del);
        t.add("exists", KeyspaceCommands::exists);
        t.add("type", KeyspaceCommands::type);
        t.add("rename", KeyspaceCommands::rename);
        t.add("renamenx", KeyspaceCommands::renamenx);
        t.add("keys", KeyspaceCommands::keys);
        t.add("randomkey", KeyspaceCommands::randomkey);
        t.add("move", KeyspaceCommands::move);
        t.add("copy", KeyspaceCommands::copy);
        t.add("touch", KeyspaceCommands::touch);
        t.add("dbsize", KeyspaceCommands::dbsize);
        t.add("flushdb", KeyspaceCommands::flushdb);
        t.add("flushall", KeyspaceCommands::flushall);
        t.add("swapdb", KeyspaceCommands::swapdb);
        ScanCommand.register(t);
        ObjectCommand.register(t);
        ExpireCommands.register(t);
    }

    static final String SAME_OBJECT = "ERR source and destination objects are the same";

    /**
     * DEL and UNLINK: an expired key is reclaimed first and then counts as absent. Freeing is
     * the garbage collector's job, so UNLINK's "free in the background" is what DEL does too.
     */
    static void del(Client c, byte[][] argv, int argc) {
        Database db = c.db;
        long deleted = 0;
        for (int i = 1; i < argc; i++) {
            if (db.delete(argv[i])) {
                KeyEvents.del(c, argv[i]);
                c.engine.dirty++;
                deleted++;
            }
        }
        c.reply.integer(deleted);
    }

    /** EXISTS counts every argument that exists, repeated keys included. */
    static void exists(Client c, byte[][] argv, int argc) {
        long n = 0;
        for (int i = 1; i < argc; i++) {
            if (c.db.lookupReadNoTouch(argv[i]) != 0) n++;
        }
        c.reply.integer(n);
    }

    static void type(Client c, byte[][] argv, int argc) {
        int ref = c.db.lookupReadNoTouch(argv[1]);
        c.reply.simple(ref == 0 ? "none" : ValueType.typeName(c.db.type(ref)));
    }

    static void rename(Client c, byte[][] argv, int argc) {
        renameGeneric(c, argv[1], argv[2], false);
    }

    static void renamenx(Client c, byte[][] argv, int argc) {
        renameGeneric(c, argv[1], argv[2], true);
    }

    /** RENAME/RENAMENX: the entry (value, meta word and TTL) moves to the new name. */
    private static void renameGeneric(Client c, byte[] src, byte[] dst, boolean nx) {
        Database db = c.db;
        int ref = db.lookupWrite(src);
        if (ref == 0) {
            c.reply.error(Errors.NO_SUCH_KEY);
            return;
        }
        if (Bytes.equals(src, dst)) {
            if (nx) c.reply.integer(0);
            else c.reply.ok();
            return;
        }
        Object value = db.value(ref);
        int meta = db.table().meta(ref);
        long expireAt = db.expireAt(ref);
        if (db.lookupWrite(dst) != 0) {
            if (nx) {
                c.reply.integer(0);
                return;
            }
            db.delete(dst);
        }
        db.addWithMeta(dst, value, meta, expireAt);
        db.delete(src);
        KeyEvents.fire(c, KeyspaceEvents.GENERIC, "rename_from", src);
        KeyEvents.fire(c, KeyspaceEvents.GENERIC, "rename_to", dst);
        c.engine.dirty++;
        if (nx) c.reply.integer(1);
        else c.reply.ok();
    }

    /** KEYS pattern: every logically live key that matches; expired keys are skipped, not reclaimed. */
    static void keys(Client c, byte[][] argv, int argc) {
        byte[] pattern = argv[1];
        boolean all = pattern.length == 1 && pattern[0] == '*';
        Database db = c.db;
        KeyTable table = db.table();
        int handle = c.reply.deferLength();
        long n = 0;
        int limit = table.slotLimit();
        for (int ref = 1; ref <= limit; ref++) {
            if (!table.live(ref)) continue;
            byte[] key = table.key(ref);
            if ((all || Glob.matches(pattern, key, false)) && !db.expired(ref)) {
                c.reply.bulk(key);
                n++;
            }
        }
        c.reply.setDeferredArray(handle, n);
    }

    /** RANDOMKEY: expired keys drawn on the way are reclaimed and another one is drawn. */
    static void randomkey(Client c, byte[][] argv, int argc) {
        Database db = c.db;
        while (true) {
            int ref = db.table().randomRef();
            if (ref == 0) {
                c.reply.nullBulk();
                return;
            }
            if (db.expired(ref)) {
                db.deleteExpired(ref);
                continue;
            }
            c.reply.bulk(db.key(ref));
            return;
        }
    }

    /** The database named by a DB index argument, or null after replying with the error. */
    private static Database dbArgument(Client c, byte[] arg) {
        long id = Args.intOrReply(c, arg, null);
        if (id == Args.INVALID) return null;
        if (id < 0 || id >= c.engine.dbCount()) {
            c.reply.error(Errors.DB_OUT_OF_RANGE);
            return null;
        }
        return c.engine.db((int) id);
    }

    /** MOVE key db: the entry keeps its TTL and LRU/LFU bits; 0 when the target has the key. */
    static void move(Client c, byte[][] argv, int argc) {
        Database src = c.db;
        Database dst = dbArgument(c, argv[2]);
        if (dst == null) return;
        if (src == dst) {
            c.reply.error(SAME_OBJECT);
            return;
        }
        int ref = src.lookupWrite(argv[1]);
        if (ref == 0 || dst.lookupWrite(argv[1]) != 0) {
            c.reply.integer(0);
            return;
        }
        src.moveTo(ref, dst);
        KeyEvents.fire(c, KeyspaceEvents.GENERIC, "move_from", argv[1]);
        KeyEvents.fireIn(c, dst, KeyspaceEvents.GENERIC, "move_to", argv[1]);
        c.engine.dirty++;
        c.reply.integer(1);
    }

    /**
     * COPY source destination [DB db] [REPLACE]: a deep copy with a fresh LRU/LFU (Redis creates a
     * new object), the same encoding and the source's TTL.
     */
    static void copy(Client c, byte[][] argv, int argc) {
        Database src = c.db, dst = c.db;
        boolean replace = false;
        for (int j = 3; j < argc; j++) {
            if (Bytes.eqIgnoreCase(argv[j], "replace")) {
                replace = true;
            } else if (Bytes.eqIgnoreCase(argv[j], "db") && j + 1 < argc) {
                dst = dbArgument(c, argv[++j]);
                if (dst == null) return;
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
        byte[] key = argv[1], newKey = argv[2];
        if (src == dst && Bytes.equals(key, newKey)) {
            c.reply.error(SAME_OBJECT);
            return;
        }
        int ref = src.lookupRead(key);
        if (ref == 0) {
            c.reply.integer(0);
            return;
        }
        long expireAt = src.expireAt(ref);
        boolean delete = false;
        if (dst.lookupWrite(newKey) != 0) {
            if (!replace) {
                c.reply.integer(0);
                return;
            }
            delete = true;
        }
        int type = src.type(ref), enc = src.encoding(ref);
        Object copy = Values.duplicate(type, src.value(ref));
        if (delete) dst.delete(newKey);
        int nr = dst.add(newKey, copy, type, enc);
        if (expireAt != 0) dst.setExpireAt(nr, expireAt);
        KeyEvents.fireIn(c, dst, KeyspaceEvents.GENERIC, "copy_to", newKey);
        c.engine.dirty++;
        c.reply.integer(1);
    }

    /** TOUCH: a read lookup per key, which refreshes LRU/LFU and counts hits and misses. */
    static void touch(Client c, byte[][] argv, int argc) {
        long n = 0;
        for (int i = 1; i < argc; i++) {
            if (c.db.lookupRead(argv[i]) != 0) n++;
        }
        c.reply.integer(n);
    }

    /** DBSIZE counts entries, including expired ones not reclaimed yet, as Redis's dictSize does. */
    static void dbsize(Client c, byte[][] argv, int argc) {
        c.reply.integer(c.db.size());
    }

    /**
     * Parses FLUSHDB/FLUSHALL's optional ASYNC|SYNC (getFlushCommandFlags). Returns 1 for async,
     * 0 for sync, -1 after a syntax error.
     */
    private static int flushMode(Client c, byte[][] argv, int argc) {
        if (argc == 1) return c.engine.config.lazyfreeLazyUserFlush ? 1 : 0;
        if (argc == 2 && Bytes.eqIgnoreCase(argv[1], "sync")) return 0;
        if (argc == 2 && Bytes.eqIgnoreCase(argv[1], "async")) return 1;
        c.reply.error(Errors.SYNTAX);
        return -1;
    }

    /**
     * Empties one database. Dropping the table is O(1) on the engine thread either way; the
     * garbage collector frees the entries concurrently, so SYNC and ASYNC differ only in the
     * lazyfreed_objects statistic that Redis keeps for ASYNC.
     */
    private static long emptyDb(Database db, boolean async) {
        db.watches.touchAll(null); // while the keys are still there
        long removed = db.clear();
        if (async) db.engine().stats.lazyfreedObjects += removed;
        return removed;
    }

    static void flushdb(Client c, byte[][] argv, int argc) {
        int mode = flushMode(c, argv, argc);
        if (mode < 0) return;
        c.engine.dirty += emptyDb(c.db, mode == 1);
        c.engine.tracking.flushed();
        c.engine.propagation.force(); // propagated even when the database was empty
        c.reply.ok();
    }

    /** Empties every database as FLUSHALL does (WATCH and tracking told); returns the keys removed. */
    static long emptyAll(Engine e, boolean async) {
        long removed = 0;
        for (int i = 0; i < e.dbCount(); i++) removed += emptyDb(e.db(i), async);
        e.tracking.flushed();
        return removed;
    }

    static void flushall(Client c, byte[][] argv, int argc) {
        int mode = flushMode(c, argv, argc);
        if (mode < 0) return;
        Engine e = c.engine;
        e.dirty += emptyAll(e, mode == 1);
        e.propagation.force(); // propagated even when the server was empty
        // As Redis's flushAllDataAndResetRDB: a running BGSAVE is stopped and, with save points,
        // the now empty dataset is saved at once, so a restart does not bring the keys back.
        e.persistence.cancelBgsave();
        if (!e.config.saveParams.isEmpty()) e.persistence.saveForeground();
        c.reply.ok();
    }

    /** SWAPDB a b: watchers of keys present on either side see a change (touchAllWatchedKeysInDb). */
    static void swapdb(Client c, byte[][] argv, int argc) {
        long id1 = Args.intOrReply(c, argv[1], "invalid first DB index");
        if (id1 == Args.INVALID) return;
        long id2 = Args.intOrReply(c, argv[2], "invalid second DB index");
        if (id2 == Args.INVALID) return;
        Engine e = c.engine;
        if (id1 < 0 || id1 >= e.dbCount() || id2 < 0 || id2 >= e.dbCount()) {
            c.reply.error(Errors.DB_OUT_OF_RANGE);
            return;
        }
        if (id1 != id2) {
            Database a = e.db((int) id1), b = e.db((int) id2);
            a.watches.touchAll(b);
            b.watches.touchAll(a);
            a.swapWith(b);
        }
        e.dirty++;
        c.reply.ok();
    }
}
