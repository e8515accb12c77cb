package io.ember.command;

import io.ember.client.Client;
import io.ember.engine.Database;
import io.ember.pubsub.KeyspaceEvents;
import io.ember.type.SkipList;
import io.ember.type.ValueType;
import io.ember.type.ZDict;
import io.ember.type.ZRange;
import io.ember.type.ZSetValue;
import io.ember.util.Bytes;
import io.ember.util.Doubles;
import io.ember.util.Glob;

/**
 * Sorted set commands (t_zset.c), part one: adding, removing and reading single members, counts
 * and ZSCAN. The value is {@link ZSetValue} (listpack or skiplist encoded). The other parts:
 * {@link SortedSetRangeCommands} (ZRANGE and its variants, ZREMRANGEBY*),
 * {@link SortedSetPopCommands} (ZPOPMIN/MAX, ZMPOP and the blocking pops, ZRANDMEMBER) and
 * {@link SortedSetAlgebraCommands} (ZUNION/ZINTER/ZDIFF, their STORE forms, ZINTERCARD).
 *
 * <p>Writes change the value in place, then {@link #written} records what Redis records: the
 * encoding for OBJECT ENCODING, the WATCH signal, the dirty counter, deletion of a set that
 * became empty, and the keyspace events (the command's own, then "del" for a deleted key).
 */
public final class SortedSetCommands {
    private SortedSetCommands() {}

    static void register(CommandTable t) {
        t.add("zadd", SortedSetCommands::zadd);
        t.add("zincrby", SortedSetCommands::zincrby);
        t.add("zrem", SortedSetCommands::zrem);
        t.add("zcard", SortedSetCommands::zcard);
        t.add("zscore", SortedSetCommands::zscore);
        t.add("zmscore", SortedSetCommands::zmscore);
        t.add("zrank", SortedSetCommands::zrank);
        t.add("zrevrank", SortedSetCommands::zrevrank);
        t.add("zcount", SortedSetCommands::zcount);
        t.add("zlexcount", SortedSetCommands::zlexcount);
        t.add("zscan", SortedSetCommands::zscan);
        SortedSetRangeCommands.register(t);
        SortedSetPopCommands.register(t);
        SortedSetAlgebraCommands.register(t);
    }

    static final String NAN_RESULT = "ERR resulting score is not a number (NaN)";
    static final String NOT_FLOAT_RANGE = "ERR min or max is not a float";
    static final String NOT_LEX_RANGE = "ERR min or max not valid string range item";

    // ---- shared helpers ---------------------------------------------------------------------------

    /** The sorted set at {@code ref}, or null after replying WRONGTYPE. */
    static ZSetValue zsetOrWrongType(Client c, Database db, int ref) {
        if (db.type(ref) != ValueType.ZSET) {
            c.reply.error(Errors.WRONGTYPE);
            return null;
        }
        return ZSetValue.of(db.value(ref));
    }

    /**
     * After {@code changes} changes to the set at {@code ref}: store its new value (a listpack is
     * a new array after each change), record a conversion, delete the key if the set is now
     * empty, signal WATCH and count the changes as dirty. Fires {@code event} (unless null: the
     * caller fires it at its own moment) and then "del" when the key was deleted, as Redis's
     * write commands do. Returns true when the key was deleted.
     */
    static boolean written(Client c, Database db, int ref, byte[] key, ZSetValue z, long changes, String event) {
        if (changes == 0) return false;
        c.engine.dirty += changes;
        if (event != null) KeyEvents.fire(c, KeyspaceEvents.ZSET, event, key);
        if (z.length() == 0) {
            db.delete(key);
            KeyEvents.del(c, key);
            return true;
        }
        db.replace(ref, z.stored(), ValueType.ZSET, z.encoding()); // keeps TTL and LRU, signals WATCH
        return false;
    }



    static long maxEntries(Client c) {
        return c.engine.config.zsetMaxListpackEntries;
    }

    static long maxValue(Client c) {
        return c.engine.config.zsetMaxListpackValue;
    }

    /** addReplyDouble: "%.17g" (inf as "inf"), a bulk string in RESP2 and a double in RESP3. */
    static void replyScore(Client c, double score) {
        byte[] buf = new byte[Doubles.MAX_CHARS];
        c.reply.doubleFormatted(buf, 0, Doubles.format17g(score, buf, 0));
    }

    /** zslParseRange with Redis's error reply; null after replying. */
    static ZRange.Score scoreRangeOrReply(Client c, byte[] min, byte[] max) {
        ZRange.Score r = ZRange.Score.parse(min, max);
        if (r == null) c.reply.error(NOT_FLOAT_RANGE);
        return r;
    }

    /** zslParseLexRange with Redis's error reply; null after replying. */
    static ZRange.Lex lexRangeOrReply(Client c, byte[] min, byte[] max) {
        ZRange.Lex r = ZRange.Lex.parse(min, max);
        if (r == null) c.reply.error(NOT_LEX_RANGE);
        return r;
    }

    // ---- ZADD / ZINCRBY ---------------------------------------------------------------------------

    /** ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]. */
    static void zadd(Client c, byte[][] argv, int argc) {
        zaddGeneric(c, argv, argc, 0);
    }

    /** ZINCRBY key increment member: ZADD INCR (its options are parsed too, as in Redis). */
    static void zincrby(Client c, byte[][] argv, int argc) {
        zaddGeneric(c, argv, argc, ZSetValue.IN_INCR);
    }

    /** zaddGenericCommand: every score is parsed before anything changes. */
    private static void zaddGeneric(Client c, byte[][] argv, int argc, int flags) {
        boolean ch = false;
        int scoreIdx = 2;
        for (; scoreIdx < argc; scoreIdx++) {
            byte[] o = argv[scoreIdx];
            if (Bytes.eqIgnoreCase(o, "nx")) flags |= ZSetValue.IN_NX;
            else if (Bytes.eqIgnoreCase(o, "xx")) flags |= ZSetValue.IN_XX;
            else if (Bytes.eqIgnoreCase(o, "ch")) ch = true;
            else if (Bytes.eqIgnoreCase(o, "incr")) flags |= ZSetValue.IN_INCR;
            else if (Bytes.eqIgnoreCase(o, "gt")) flags |= ZSetValue.IN_GT;
            else if (Bytes.eqIgnoreCase(o, "lt")) flags |= ZSetValue.IN_LT;
            else break;
        }
        boolean incr = (flags & ZSetValue.IN_INCR) != 0, nx = (flags & ZSetValue.IN_NX) != 0;
        boolean xx = (flags & ZSetValue.IN_XX) != 0, gt = (flags & ZSetValue.IN_GT) != 0;
        boolean lt = (flags & ZSetValue.IN_LT) != 0;
        int elements = argc - scoreIdx;
        if (elements % 2 != 0 || elements == 0) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        elements /= 2;
        if (nx && xx) {
            c.reply.error("ERR XX and NX options at the same time are not compatible");
            return;
        }
        if ((gt && nx) || (lt && nx) || (gt && lt)) {
            c.reply.error("ERR GT, LT, and/or NX options at the same time are not compatible");
            return;
        }
        if (incr && elements > 1) {
            c.reply.error("ERR INCR option supports a single increment-element pair");
            return;
        }
        double[] scores = new double[elements];
        for (int j = 0; j < elements; j++) {
            scores[j] = Doubles.parseStrict(argv[scoreIdx + 2 * j]);
            if (scores[j] != scores[j]) {
                c.reply.error(Errors.NOT_FLOAT);
                return;
            }
        }
        Database db = c.db;
        byte[] key = argv[1];
        int ref = db.lookupWrite(key);
        ZSetValue z;
        if (ref != 0) {
            z = zsetOrWrongType(c, db, ref);
            if (z == null) return;
        } else {
            if (xx) { // no key and XX: nothing to do
                if (incr) c.reply.nullBulk();
                else c.reply.integer(0);
                return;
            }
            z = ZSetValue.create(1, argv[scoreIdx + 1].length, maxEntries(c), maxValue(c));
            ref = db.add(key, z.stored(), ValueType.ZSET, z.encoding());
        }
        long added = 0, updated = 0, processed = 0;
        double newScore = 0;
        for (int j = 0; j < elements; j++) {
            byte[] member = argv[scoreIdx + 1 + 2 * j];
            double before = incr ? z.score(member) : Double.NaN;
            int r = z.add(scores[j], member, flags, maxEntries(c), maxValue(c));
            if (r == ZSetValue.NAN) {
                c.reply.error(NAN_RESULT);
                written(c, db, ref, key, z, added + updated, null);
                if (added + updated > 0) KeyEvents.fire(c, KeyspaceEvents.ZSET, incr ? "zincr" : "zadd", key);
                return;
            }
            if ((r & ZSetValue.ADDED) != 0) added++;
            if ((r & ZSetValue.UPDATED) != 0) updated++;
            if ((r & ZSetValue.NOP) == 0) {
                processed++;
                newScore = before == before ? before + scores[j] : scores[j];
            }
        }
        written(c, db, ref, key, z, added + updated, null);
        if (incr) {
            if (processed > 0) replyScore(c, newScore);
            else c.reply.nullBulk();
        } else {
            c.reply.integer(ch ? added + updated : added);
        }
        // After the reply, as Redis; ZINCRBY and ZADD INCR fire "zincr". Nothing when nothing changed.
        if (added + updated > 0) KeyEvents.fire(c, KeyspaceEvents.ZSET, incr ? "zincr" : "zadd", key);
    }

    // ---- ZREM, ZCARD, ZSCORE, ZMSCORE, ZRANK ------------------------------------------------------

    /** ZREM key member [member ...]: the number removed; an emptied set is deleted at once. */
    static void zrem(Client c, byte[][] argv, int argc) {
        Database db = c.db;
        int ref = db.lookupWrite(argv[1]);
        if (ref == 0) {
            c.reply.integer(0);
            return;
        }
        ZSetValue z = zsetOrWrongType(c, db, ref);
        if (z == null) return;
        long deleted = 0;
        for (int j = 2; j < argc; j++) {
            if (z.delete(argv[j])) deleted++;
            if (z.length() == 0) break;
        }
        written(c, db, ref, argv[1], z, deleted, "zrem");
        c.reply.integer(deleted);
    }

    static void zcard(Client c, byte[][] argv, int argc) {
        Database db = c.db;
        int ref = db.lookupRead(argv[1]);
        if (ref == 0) {
            c.reply.integer(0);
            return;
        }
        ZSetValue z = zsetOrWrongType(c, db, ref);
        if (z != null) c.reply.integer(z.length());
    }

    static void zscore(Client c, byte[][] argv, int argc) {
        Database db = c.db;
        int ref = db.lookupRead(argv[1]);
        if (ref == 0) {
            c.reply.nullBulk();
            return;
        }
        ZSetValue z = zsetOrWrongType(c, db, ref);
        if (z == null) return;
        double s = z.score(argv[2]);
        if (s != s) c.reply.nullBulk();
        else replyScore(c, s);
    }

    /** ZMSCORE key member [member ...]: a missing key answers like an empty set. */
    static void zmscore(Client c, byte[][] argv, int argc) {
        Database db = c.db;
        int ref = db.lookupRead(argv[1]);
        ZSetValue z = null;
        if (ref != 0) {
            z = zsetOrWrongType(c, db, ref);
            if (z == null) return;
        }
        c.reply.arrayHeader(argc - 2);
        for (int j = 2; j < argc; j++) {
            double s = z == null ? Double.NaN : z.score(argv[j]);
            if (s != s) c.reply.nullBulk();
            else replyScore(c, s);
        }
    }

    static void zrank(Client c, byte[][] argv, int argc) {
        rank(c, argv, false);
    }

    static void zrevrank(Client c, byte[][] argv, int argc) {
        rank(c, argv, true);
    }

    private static void rank(Client c, byte[][] argv, boolean reverse) {
        Database db = c.db;
        int ref = db.lookupRead(argv[1]);
        if (ref == 0) {
            c.reply.nullBulk();
            return;
        }
        ZSetValue z = zsetOrWrongType(c, db, ref);
        if (z == null) return;
        long rank = z.rank(argv[2], reverse);
        if (rank >= 0) c.reply.integer(rank);
        else c.reply.nullBulk();
    }

    // ---- ZCOUNT, ZLEXCOUNT ------------------------------------------------------------------------

    /** ZCOUNT key min max: the range is parsed before the key is looked at. */
    static void zcount(Client c, byte[][] argv, int argc) {
        ZRange r = scoreRangeOrReply(c, argv[2], argv[3]);
        if (r != null) count(c, argv[1], r);
    }

    static void zlexcount(Client c, byte[][] argv, int argc) {
        ZRange r = lexRangeOrReply(c, argv[2], argv[3]);
        if (r != null) count(c, argv[1], r);
    }

    private static void count(Client c, byte[] key, ZRange r) {
        Database db = c.db;
        int ref = db.lookupRead(key);
        if (ref == 0) {
            c.reply.integer(0);
            return;
        }
        ZSetValue z = zsetOrWrongType(c, db, ref);
        if (z != null) c.reply.integer(z.count(r));
    }

    // ---- ZSCAN ------------------------------------------------------------------------------------

    /**
     * ZSCAN key cursor [MATCH pattern] [COUNT count]: a listpack is returned whole with cursor 0
     * (scores as stored); a skiplist is scanned through its dict with SCAN's reverse-binary cursor
     * (scores printed "%.17g"). Options are parsed only once the key exists, as in Redis.
     */
    static void zscan(Client c, byte[][] argv, int argc) {
        ScanCommand.Options o = new ScanCommand.Options();
        if (!o.parseCursor(c, argv[2])) return;
        Database db = c.db;
        int ref = db.lookupRead(argv[1]);
        if (ref == 0) {
            c.reply.arrayHeader(2);
            c.reply.bulk(ZERO);
            c.reply.emptyArray();
            return;
        }
        ZSetValue z = zsetOrWrongType(c, db, ref);
        if (z == null || !o.parseOptions(c, argv, argc, 3, false)) return;
        if (z.isListpack()) {
            replyListpackScan(c, z, o);
            return;
        }
        ScanCollector found = new ScanCollector(o.count);
        long cursor = o.cursor;
        long maxIterations = o.count * 10; // as Redis: a sparse dict cannot stall the engine
        do {
            cursor = z.scanDict(cursor, found);
        } while (cursor != 0 && maxIterations-- != 0 && found.size < o.count);
        int kept = 0;
        for (int i = 0; i < found.size; i++) {
            if (o.pattern != null && !Glob.matches(o.pattern, found.nodes[i].member(), false)) continue;
            found.nodes[kept++] = found.nodes[i];
        }
        c.reply.arrayHeader(2);
        c.reply.bulkLong(cursor);
        c.reply.arrayHeader(2L * kept);
        byte[] buf = new byte[Doubles.MAX_CHARS];
        for (int i = 0; i < kept; i++) {
            c.reply.bulk(found.nodes[i].member());
            c.reply.bulk(buf, 0, Doubles.format17g(found.nodes[i].score(), buf, 0));
        }
    }

    /** A listpack-encoded set answers in one call: every pair (member, score as stored), cursor 0. */
    private static void replyListpackScan(Client c, ZSetValue z, ScanCommand.Options o) {
        c.reply.arrayHeader(2);
        c.reply.bulk(ZERO);
        int header = c.reply.deferLength();
        long n = 0;
        for (ZSetValue.Cursor cur = z.first(); cur.valid(); cur.step(false)) {
            if (o.pattern != null && !Glob.matches(o.pattern, cur.member(), false)) continue;
            cur.replyMember(c.reply);
            cur.replyScoreText(c.reply);
            n += 2;
        }
        c.reply.setDeferredArray(header, n);
    }

    /** Collects the skiplist nodes of the dict buckets a scan step visits. */
    private static final class ScanCollector implements ZDict.Visitor {
        SkipList.Node[] nodes;
        int size;

        ScanCollector(long count) {
            this.nodes = new SkipList.Node[(int) Math.min(count + 8, 64)];
        }

        @Override
        public void visit(SkipList.Node n) {
            if (size == nodes.length) nodes = java.util.Arrays.copyOf(nodes, size * 2);
            nodes[size++] = n;
        }
    }

    private static final byte[] ZERO = {'0'};
}
