package io.ember.command;

import io.ember.client.Client;
import io.ember.config.ServerConfig;
import io.ember.engine.Database;
import io.ember.engine.KeyTable;
import io.ember.pubsub.KeyspaceEvents;
import io.ember.type.HashValue;
import io.ember.type.Listpack;
import io.ember.type.ValueType;
import io.ember.util.Glob;
import io.ember.util.LongDouble;
import io.ember.util.Numbers;
import java.util.BitSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hash commands (t_hash.c). A hash value is a listpack {@code byte[]} while small and a
 * {@link HashValue.Table} (field -> value) once a write passes hash-max-listpack-entries/-value;
 * {@link HashValue} holds the operations. Each write stores the resulting value back with
 * {@link Database#replace} (which records the encoding for OBJECT ENCODING and signals WATCH) and
 * adds its changes to the dirty counter. A hash emptied by HDEL is deleted. Listpack entries are
 * replied straight from the listpack bytes.
 *
 * <p>Keyspace notifications as t_hash.c 7.0: HSET/HMSET/HSETNX fire "hset", HINCRBY "hincrby",
 * HINCRBYFLOAT "hincrbyfloat", each after its reply; HDEL fires "hdel" (and "del" when it empties
 * the hash) before its reply. Nothing fires when nothing changed. A created hash's "new" event
 * comes from {@link Database#add}.
 */
public final class HashCommands {
    private HashCommands() {}

    static void register(CommandTable t) {
        t.add("hset", HashCommands::hset);
        t.add("hmset", HashCommands::hmset);
        t.add("hsetnx", HashCommands::hsetnx);
        t.add("hget", HashCommands::hget);
        t.add("hmget", HashCommands::hmget);
        t.add("hdel", HashCommands::hdel);
        t.add("hlen", HashCommands::hlen);
        t.add("hstrlen", HashCommands::hstrlen);
        t.add("hexists", HashCommands::hexists);
        t.add("hkeys", HashCommands::hkeys);
        t.add("hvals", HashCommands::hvals);
        t.add("hgetall", HashCommands::hgetall);
        t.add("hincrby", HashCommands::hincrby);
        t.add("hincrbyfloat", HashCommands::hincrbyfloat);
        t.add("hrandfield", HashCommands::hrandfield);
        t.add("hscan", HashCommands::hscan);
    }

    // ---- lookups and replies -------------------------------------------------------------------

    /** The hash value at {@code ref}, or null after replying WRONGTYPE. */
    private static Object hashOrWrongType(Client c, int ref) {
        if (c.db.type(ref) != ValueType.HASH) {
            c.reply.error(Errors.WRONGTYPE);
            return null;
        }
        return c.db.value(ref);
    }

    /**
     * hashTypeLookupWriteOrCreate: the ref of the hash at {@code key}, created empty (listpack)
     * when absent; 0 after replying WRONGTYPE.
     */
    private static int lookupWriteOrCreate(Client c, byte[] key) {
        Database db = c.db;
        int ref = db.lookupWrite(key);
        if (ref == 0) return db.add(key, HashValue.create(), ValueType.HASH, ValueType.ENC_LISTPACK);
        if (db.type(ref) != ValueType.HASH) {
            c.reply.error(Errors.WRONGTYPE);
            return 0;
        }
        return ref;
    }

    /** After a write: store the value back (its encoding too; signals WATCH), count the changes. */
    private static void written(Client c, int ref, Object h, long changes) {
        c.db.replace(ref, h, ValueType.HASH, HashValue.encoding(h));
        c.engine.dirty += changes;
    }


    /** Replies the listpack element at p as a bulk string (integers in decimal). */
    private static void replyEntry(Client c, byte[] lp, int p) {
        if (Listpack.isInt(lp, p)) c.reply.bulkLong(Listpack.intValue(lp, p));
        else c.reply.bulk(lp, Listpack.stringStart(lp, p), Listpack.stringLength(lp, p));
    }

    /** The value of {@code field} as a bulk string, or a null. */
    private static void replyValue(Client c, Object h, byte[] field) {
        if (h instanceof byte[] lp) {
            int p = HashValue.findField(lp, field);
            if (p < 0) c.reply.nullBulk();
            else replyEntry(c, lp, Listpack.next(lp, p));
            return;
        }
        KeyTable t = HashValue.table(h);
        int r = t.find(field);
        if (r == 0) c.reply.nullBulk();
        else c.reply.bulk((byte[]) t.value(r));
    }

    // ---- writes --------------------------------------------------------------------------------

    /** HSET key field value [field value ...]: the number of fields added. */
    static void hset(Client c, byte[][] argv, int argc) {
        setPairs(c, argv, argc, false);
    }

    /** HMSET key field value [field value ...]: OK. */
    static void hmset(Client c, byte[][] argv, int argc) {
        setPairs(c, argv, argc, true);
    }

    private static void setPairs(Client c, byte[][] argv, int argc, boolean hmset) {
        if (argc % 2 == 1) {
            c.reply.error(Errors.wrongArgs(c.lastCommand));
            return;
        }
        int ref = lookupWriteOrCreate(c, argv[1]);
        if (ref == 0) return;
        Object h = c.db.value(ref);
        long before = HashValue.size(h);
        ServerConfig cfg = c.engine.config;
        // As Redis: every argument's length is checked before anything is inserted.
        h = HashValue.tryConversion(h, argv, 2, argc - 1, cfg.hashMaxListpackValue);
        for (int i = 2; i < argc; i += 2) {
            h = HashValue.set(h, argv[i], argv[i + 1], cfg.hashMaxListpackEntries, cfg.hashMaxListpackValue);
        }
        written(c, ref, h, (argc - 2) / 2);
        if (hmset) c.reply.ok();
        else c.reply.integer(HashValue.size(h) - before);
        KeyEvents.fire(c, KeyspaceEvents.HASH, "hset", argv[1]);
    }

    /** HSETNX key field value: 1 if the field was set, 0 if it existed. */
    static void hsetnx(Client c, byte[][] argv, int argc) {
        int ref = lookupWriteOrCreate(c, argv[1]);
        if (ref == 0) return;
        Object h = c.db.value(ref);
        if (HashValue.exists(h, argv[2])) {
            c.reply.integer(0);
            return;
        }
        ServerConfig cfg = c.engine.config;
        h = HashValue.tryConversion(h, argv, 2, 3, cfg.hashMaxListpackValue);
        h = HashValue.set(h, argv[2], argv[3], cfg.hashMaxListpackEntries, cfg.hashMaxListpackValue);
        written(c, ref, h, 1);
        c.reply.integer(1);
        KeyEvents.fire(c, KeyspaceEvents.HASH, "hset", argv[1]);
    }

    /** HDEL key field [field ...]: the number of fields removed; an emptied hash is deleted. */
    static void hdel(Client c, byte[][] argv, int argc) {
        Database db = c.db;
        int ref = db.lookupWrite(argv[1]);
        if (ref == 0) {
            c.reply.integer(0);
            return;
        }
        Object h = hashOrWrongType(c, ref);
        if (h == null) return;
        int size = HashValue.size(h);
        int deleted = 0;
        for (int j = 2; j < argc && size > 0; j++) {
            h = HashValue.delete(h, argv[j]);
            int now = HashValue.size(h);
            deleted += size - now;
            size = now;
        }
        if (size == 0) {
            db.delete(argv[1]);
            c.engine.dirty += deleted;
        } else if (deleted > 0) {
            written(c, ref, h, deleted);
        }
        if (deleted > 0) {
            KeyEvents.fire(c, KeyspaceEvents.HASH, "hdel", argv[1]);
            if (size == 0) KeyEvents.del(c, argv[1]);
        }
        c.reply.integer(deleted);
    }

    /** HINCRBY key field increment: the new value; the field must hold a 64-bit integer. */
    static void hincrby(Client c, byte[][] argv, int argc) {
        if (!Numbers.isLong(argv[3])) {
            c.reply.error(Errors.NOT_INTEGER);
            return;
        }
        long incr = Numbers.parseLong(argv[3]);
        int ref = lookupWriteOrCreate(c, argv[1]);
        if (ref == 0) return;
        Object h = c.db.value(ref);
        long value = 0;
        byte[] lp = HashValue.listpack(h);
        if (lp != null) {
            int p = HashValue.findField(lp, argv[2]);
            if (p >= 0) {
                p = Listpack.next(lp, p);
                if (Listpack.isInt(lp, p)) {
                    value = Listpack.intValue(lp, p);
                } else {
                    // A string entry is never a canonical integer, but parse as Redis does.
                    int s = Listpack.stringStart(lp, p), n = Listpack.stringLength(lp, p);
                    if (!Numbers.isLong(lp, s, n)) {
                        c.reply.error("ERR hash value is not an integer");
                        return;
                    }
                    value = Numbers.parseLong(lp, s, n);
                }
            }
        } else {
            byte[] old = HashValue.get(h, argv[2]);
            if (old != null) {
                if (!Numbers.isLong(old)) {
                    c.reply.error("ERR hash value is not an integer");
                    return;
                }
                value = Numbers.parseLong(old);
            }
        }
        if ((incr < 0 && value < 0 && incr < Long.MIN_VALUE - value)
                || (incr > 0 && value > 0 && incr > Long.MAX_VALUE - value)) {
            c.reply.error(Errors.OVERFLOW);
            return;
        }
        value += incr;
        ServerConfig cfg = c.engine.config;
        h = HashValue.set(h, argv[2], Numbers.toBytes(value), cfg.hashMaxListpackEntries, cfg.hashMaxListpackValue);
        written(c, ref, h, 1);
        c.reply.integer(value);
        KeyEvents.fire(c, KeyspaceEvents.HASH, "hincrby", argv[1]);
    }

    /**
     * HINCRBYFLOAT key field increment: Redis's long double sum, printed as "%.17Lf" without
     * trailing zeros; the result is stored as that text.
     */
    private static final byte[] HSET = io.ember.util.Bytes.ascii("HSET");

    static void hincrbyfloat(Client c, byte[][] argv, int argc) {
        LongDouble incr = LongDouble.parse(argv[3]);
        if (incr == null) {
            c.reply.error(Errors.NOT_FLOAT);
            return;
        }
        if (incr.isInfinite()) {
            c.reply.error("ERR value is NaN or Infinity");
            return;
        }
        int ref = lookupWriteOrCreate(c, argv[1]);
        if (ref == 0) return;
        Object h = c.db.value(ref);
        LongDouble value = LongDouble.of(0);
        byte[] lp = HashValue.listpack(h);
        if (lp != null) {
            int p = HashValue.findField(lp, argv[2]);
            if (p >= 0) {
                p = Listpack.next(lp, p);
                value = Listpack.isInt(lp, p) ? LongDouble.of(Listpack.intValue(lp, p))
                        : LongDouble.parse(lp, Listpack.stringStart(lp, p), Listpack.stringLength(lp, p));
            }
        } else {
            byte[] old = HashValue.get(h, argv[2]);
            if (old != null) value = LongDouble.parse(old);
        }
        if (value == null) {
            c.reply.error("ERR hash value is not a float");
            return;
        }
        LongDouble sum = value.add(incr);
        if (sum == null) {
            c.reply.error("ERR increment would produce NaN or Infinity");
            return;
        }
        byte[] nv = sum.toHuman();
        ServerConfig cfg = c.engine.config;
        h = HashValue.set(h, argv[2], nv, cfg.hashMaxListpackEntries, cfg.hashMaxListpackValue);
        written(c, ref, h, 1);
        c.reply.bulk(nv);
        KeyEvents.fire(c, KeyspaceEvents.HASH, "hincrbyfloat", argv[1]);
        // As HSET with the result, so float formatting cannot make a replayed value differ
        if (Rewrites.on(c)) Rewrites.as(c, HSET, argv[1], argv[2], nv);
    }

    // ---- reads ---------------------------------------------------------------------------------

    static void hget(Client c, byte[][] argv, int argc) {
        int ref = c.db.lookupRead(argv[1]);
        if (ref == 0) {
            c.reply.nullBulk();
            return;
        }
        Object h = hashOrWrongType(c, ref);
        if (h != null) replyValue(c, h, argv[2]);
    }

    /** HMGET key field [field ...]: a null for each missing field (all nulls for a missing key). */
    static void hmget(Client c, byte[][] argv, int argc) {
        int ref = c.db.lookupRead(argv[1]);
        Object h = null;
        if (ref != 0 && (h = hashOrWrongType(c, ref)) == null) return;
        c.reply.arrayHeader(argc - 2);
        for (int j = 2; j < argc; j++) {
            if (h == null) c.reply.nullBulk();
            else replyValue(c, h, argv[j]);
        }
    }

    static void hlen(Client c, byte[][] argv, int argc) {
        int ref = c.db.lookupRead(argv[1]);
        if (ref == 0) {
            c.reply.integer(0);
            return;
        }
        Object h = hashOrWrongType(c, ref);
        if (h != null) c.reply.integer(HashValue.size(h));
    }

    static void hstrlen(Client c, byte[][] argv, int argc) {
        int ref = c.db.lookupRead(argv[1]);
        if (ref == 0) {
            c.reply.integer(0);
            return;
        }
        Object h = hashOrWrongType(c, ref);
        if (h != null) c.reply.integer(Math.max(0, HashValue.valueLength(h, argv[2])));
    }

    static void hexists(Client c, byte[][] argv, int argc) {
        int ref = c.db.lookupRead(argv[1]);
        if (ref == 0) {
            c.reply.integer(0);
            return;
        }
        Object h = hashOrWrongType(c, ref);
        if (h != null) c.reply.integer(HashValue.exists(h, argv[2]) ? 1 : 0);
    }

    private static final int FIELDS = 1, VALUES = 2;

    static void hkeys(Client c, byte[][] argv, int argc) {
        getAll(c, argv[1], FIELDS);
    }

    static void hvals(Client c, byte[][] argv, int argc) {
        getAll(c, argv[1], VALUES);
    }

    static void hgetall(Client c, byte[][] argv, int argc) {
        getAll(c, argv[1], FIELDS | VALUES);
    }

    /**
     * genericHgetallCommand: fields and/or values in the encoding's order (insertion order for a
     * listpack, table order for a hashtable). Both together are a map in RESP3.
     */
    private static void getAll(Client c, byte[] key, int what) {
        boolean pairs = what == (FIELDS | VALUES);
        int ref = c.db.lookupRead(key);
        if (ref == 0) {
            if (pairs) c.reply.mapHeader(0);
            else c.reply.emptyArray();
            return;
        }
        Object h = hashOrWrongType(c, ref);
        if (h == null) return;
        int n = HashValue.size(h);
        if (pairs) c.reply.mapHeader(n);
        else c.reply.arrayHeader(n);
        byte[] lp = HashValue.listpack(h);
        if (lp != null) {
            for (int p = Listpack.first(lp); p >= 0; p = Listpack.next(lp, p)) {
                if ((what & FIELDS) != 0) replyEntry(c, lp, p);
                p = Listpack.next(lp, p);
                if ((what & VALUES) != 0) replyEntry(c, lp, p);
            }
            return;
        }
        KeyTable t = HashValue.table(h);
        for (int r = 1, limit = t.slotLimit(); r <= limit; r++) {
            if (!t.live(r)) continue;
            if ((what & FIELDS) != 0) c.reply.bulk(t.key(r));
            if ((what & VALUES) != 0) c.reply.bulk((byte[]) t.value(r));
        }
    }

    // ---- HRANDFIELD ----------------------------------------------------------------------------

    /**
     * HRANDFIELD key [count [WITHVALUES]]. Without a count: one random field or a null. With a
     * positive count: distinct fields (the whole hash when count >= its size); negative: -count
     * picks that may repeat. WITHVALUES pairs are flat in RESP2 and two-element arrays in RESP3.
     */
    static void hrandfield(Client c, byte[][] argv, int argc) {
        if (argc >= 3) {
            if (!Numbers.isLong(argv[2])) {
                c.reply.error(Errors.NOT_INTEGER);
                return;
            }
            long count = Numbers.parseLong(argv[2]);
            if (count == Long.MIN_VALUE) { // getRangeLongFromObjectOrReply(-LONG_MAX, LONG_MAX)
                c.reply.error("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
                return;
            }
            boolean withValues = false;
            if (argc > 4 || (argc == 4 && !ScanCommand.cStringEqualsIgnoreCase(argv[3], "withvalues"))) {
                c.reply.error(Errors.SYNTAX);
                return;
            } else if (argc == 4) {
                withValues = true;
                if (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2) { // the reply doubles the count
                    c.reply.error("ERR value is out of range");
                    return;
                }
            }
            randomWithCount(c, argv[1], count, withValues);
            return;
        }
        int ref = c.db.lookupRead(argv[1]);
        if (ref == 0) {
            c.reply.nullBulk();
            return;
        }
        Object h = hashOrWrongType(c, ref);
        if (h == null) return;
        byte[] lp = HashValue.listpack(h);
        if (lp != null) {
            replyEntry(c, lp, Listpack.seek(lp, 2L * ThreadLocalRandom.current().nextInt(HashValue.size(h))));
        } else {
            c.reply.bulk(HashValue.table(h).key(HashValue.table(h).randomRef()));
        }
    }

    /** hrandfieldWithCountCommand. */
    private static void randomWithCount(Client c, byte[] key, long l, boolean withValues) {
        int ref = c.db.lookupRead(key);
        if (ref == 0) {
            c.reply.emptyArray();
            return;
        }
        Object h = hashOrWrongType(c, ref);
        if (h == null) return;
        boolean unique = l >= 0;
        long count = unique ? l : -l;
        if (count == 0) {
            c.reply.emptyArray();
            return;
        }
        int size = HashValue.size(h);
        boolean nested = withValues && c.reply.resp3();
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        byte[] lp = HashValue.listpack(h);
        KeyTable t = HashValue.table(h);

        // Picks that may repeat (negative count), and a single pick.
        if (!unique || count == 1) {
            c.reply.arrayHeader(withValues && !nested ? count * 2 : count);
            int[] fields = lp != null ? fieldOffsets(lp, size) : null;
            for (long i = 0; i < count; i++) {
                if (nested) c.reply.arrayHeader(2);
                if (lp != null) replyPair(c, lp, fields[rnd.nextInt(size)], withValues);
                else replyPair(c, t, t.randomRef(), withValues);
            }
            return;
        }
        long replySize = Math.min(count, size);
        c.reply.arrayHeader(withValues && !nested ? replySize * 2 : replySize);

        // The whole hash, in its order.
        if (count >= size) {
            if (lp != null) {
                for (int p = Listpack.first(lp); p >= 0; p = Listpack.next(lp, Listpack.next(lp, p))) {
                    if (nested) c.reply.arrayHeader(2);
                    replyPair(c, lp, p, withValues);
                }
            } else {
                for (int r = 1, limit = t.slotLimit(); r <= limit; r++) {
                    if (!t.live(r)) continue;
                    if (nested) c.reply.arrayHeader(2);
                    replyPair(c, t, r, withValues);
                }
            }
            return;
        }

        // Distinct fields from a listpack: a uniform selection, kept in listpack order (as Redis's
        // lpRandomPairsUnique).
        if (lp != null) {
            long needed = count;
            int left = size;
            for (int p = Listpack.first(lp); p >= 0 && needed > 0; p = Listpack.next(lp, Listpack.next(lp, p)), left--) {
                if (rnd.nextInt(left) < needed) {
                    if (nested) c.reply.arrayHeader(2);
                    replyPair(c, lp, p, withValues);
                    needed--;
                }
            }
            return;
        }

        // Distinct fields from a table. Asking for most of it: shuffle the refs partially.
        if (count * 3 > size) {
            int[] refs = new int[size];
            int n = 0;
            for (int r = 1, limit = t.slotLimit(); r <= limit; r++) if (t.live(r)) refs[n++] = r;
            for (int i = 0; i < count; i++) {
                int j = i + rnd.nextInt(size - i);
                int r = refs[j];
                refs[j] = refs[i];
                refs[i] = r;
                if (nested) c.reply.arrayHeader(2);
                replyPair(c, t, r, withValues);
            }
            return;
        }
        // A small part of it: random picks, skipping repeats.
        BitSet seen = new BitSet(t.slotLimit() + 1);
        for (long added = 0; added < count; ) {
            int r = t.randomRef();
            if (seen.get(r)) continue;
            seen.set(r);
            added++;
            if (nested) c.reply.arrayHeader(2);
            replyPair(c, t, r, withValues);
        }
    }

    /** Offsets of the field entries of a listpack hash. */
    private static int[] fieldOffsets(byte[] lp, int size) {
        int[] out = new int[size];
        int i = 0;
        for (int p = Listpack.first(lp); p >= 0; p = Listpack.next(lp, Listpack.next(lp, p))) out[i++] = p;
        return out;
    }

    private static void replyPair(Client c, byte[] lp, int fieldOffset, boolean withValue) {
        replyEntry(c, lp, fieldOffset);
        if (withValue) replyEntry(c, lp, Listpack.next(lp, fieldOffset));
    }

    private static void replyPair(Client c, KeyTable t, int ref, boolean withValue) {
        c.reply.bulk(t.key(ref));
        if (withValue) c.reply.bulk((byte[]) t.value(ref));
    }

    // ---- HSCAN ---------------------------------------------------------------------------------

    /** Collects field/value pairs of the visited buckets. */
    private static final class PairCollector implements KeyTable.RefVisitor {
        private final KeyTable table;
        byte[][] items = new byte[32][];
        int size;

        PairCollector(KeyTable table) {
            this.table = table;
        }

        @Override
        public void visit(int ref) {
            if (size + 2 > items.length) items = java.util.Arrays.copyOf(items, items.length * 2);
            items[size++] = table.key(ref);
            items[size++] = (byte[]) table.value(ref);
        }
    }

    /**
     * HSCAN key cursor [MATCH pattern] [COUNT count] (scanGenericCommand). A listpack hash is
     * returned whole with cursor 0; a table is walked with {@link KeyTable#scan}'s cursor, until
     * COUNT elements (fields and values both count, as in Redis) or 10*COUNT buckets. MATCH
     * filters on the field and drops its value with it.
     */
    static void hscan(Client c, byte[][] argv, int argc) {
        ScanCommand.Options o = new ScanCommand.Options();
        if (!o.parseCursor(c, argv[2])) return;
        int ref = c.db.lookupRead(argv[1]);
        if (ref == 0) {
            replyScanHeader(c, 0);
            c.reply.emptyArray();
            return;
        }
        Object h = hashOrWrongType(c, ref);
        if (h == null || !o.parseOptions(c, argv, argc, 3, false)) return;
        byte[] lp = HashValue.listpack(h);
        if (lp != null) {
            replyScanHeader(c, 0);
            if (o.pattern == null) {
                c.reply.arrayHeader(2L * HashValue.size(h));
                for (int p = Listpack.first(lp); p >= 0; p = Listpack.next(lp, Listpack.next(lp, p))) {
                    replyPair(c, lp, p, true);
                }
                return;
            }
            int handle = c.reply.deferLength();
            int kept = 0;
            for (int p = Listpack.first(lp); p >= 0; p = Listpack.next(lp, Listpack.next(lp, p))) {
                if (!Glob.matches(o.pattern, Listpack.get(lp, p), false)) continue;
                replyPair(c, lp, p, true);
                kept += 2;
            }
            c.reply.setDeferredArray(handle, kept);
            return;
        }
        KeyTable t = HashValue.table(h);
        PairCollector found = new PairCollector(t);
        long cursor = o.cursor;
        long maxIterations = o.count * 10;
        do {
            cursor = t.scan(cursor, found);
        } while (cursor != 0 && maxIterations-- != 0 && found.size < o.count);
        int kept = 0;
        for (int i = 0; i < found.size; i += 2) {
            if (o.pattern != null && !Glob.matches(o.pattern, found.items[i], false)) continue;
            found.items[kept++] = found.items[i];
            found.items[kept++] = found.items[i + 1];
        }
        replyScanHeader(c, cursor);
        c.reply.arrayHeader(kept);
        for (int i = 0; i < kept; i++) c.reply.bulk(found.items[i]);
    }

    private static void replyScanHeader(Client c, long cursor) {
        c.reply.arrayHeader(2);
        c.reply.bulkLong(cursor); // printed as a signed long long, like SCAN
    }
}
