package io.ember.command;

import io.ember.client.Client;
import io.ember.engine.Database;
import io.ember.pubsub.KeyspaceEvents;
import io.ember.type.ValueType;
import io.ember.type.ZRange;
import io.ember.type.ZSetValue;
import io.ember.util.Bytes;

/**
 * ZRANGE and its older forms (ZREVRANGE, ZRANGEBYSCORE, ZREVRANGEBYSCORE, ZRANGEBYLEX,
 * ZREVRANGEBYLEX), ZRANGESTORE, and ZREMRANGEBYRANK/SCORE/LEX (t_zset.c zrangeGenericCommand
 * and zremrangeGenericCommand). One parser and three walks (by rank, score, lex) feed either the
 * client's reply or the destination set of ZRANGESTORE, as Redis's result handlers do.
 *
 * <p>LIMIT's offset walks member by member in Redis; on a skiplist it jumps by rank here (same
 * result, O(log n)). A negative offset yields nothing and a negative count means no limit, as
 * in Redis.
 */
final class SortedSetRangeCommands {
    private SortedSetRangeCommands() {}

    static void register(CommandTable t) {
        t.add("zrange", SortedSetRangeCommands::zrange);
        t.add("zrangestore", SortedSetRangeCommands::zrangestore);
        t.add("zrevrange", SortedSetRangeCommands::zrevrange);
        t.add("zrangebyscore", SortedSetRangeCommands::zrangebyscore);
        t.add("zrevrangebyscore", SortedSetRangeCommands::zrevrangebyscore);
        t.add("zrangebylex", SortedSetRangeCommands::zrangebylex);
        t.add("zrevrangebylex", SortedSetRangeCommands::zrevrangebylex);
        t.add("zremrangebyrank", SortedSetRangeCommands::zremrangebyrank);
        t.add("zremrangebyscore", SortedSetRangeCommands::zremrangebyscore);
        t.add("zremrangebylex", SortedSetRangeCommands::zremrangebylex);
    }

    private static final int AUTO = 0, RANK = 1, SCORE = 2, LEX = 3;
    private static final int DIR_AUTO = 0, FORWARD = 1, REVERSE = 2;

    static void zrange(Client c, byte[][] argv, int argc) {
        range(c, argv, argc, 1, false, AUTO, DIR_AUTO);
    }

    /** ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]. */
    static void zrangestore(Client c, byte[][] argv, int argc) {
        range(c, argv, argc, 2, true, AUTO, DIR_AUTO);
    }

    static void zrevrange(Client c, byte[][] argv, int argc) {
        range(c, argv, argc, 1, false, RANK, REVERSE);
    }

    static void zrangebyscore(Client c, byte[][] argv, int argc) {
        range(c, argv, argc, 1, false, SCORE, FORWARD);
    }

    static void zrevrangebyscore(Client c, byte[][] argv, int argc) {
        range(c, argv, argc, 1, false, SCORE, REVERSE);
    }

    static void zrangebylex(Client c, byte[][] argv, int argc) {
        range(c, argv, argc, 1, false, LEX, FORWARD);
    }

    static void zrevrangebylex(Client c, byte[][] argv, int argc) {
        range(c, argv, argc, 1, false, LEX, REVERSE);
    }

    /** zrangeGenericCommand: options, then the range, then the key. */
    private static void range(Client c, byte[][] argv, int argc, int keyIdx, boolean store, int type, int dir) {
        boolean withScores = false;
        long offset = 0, limit = -1;
        long[] num = new long[1];
        for (int j = keyIdx + 3; j < argc; j++) {
            int left = argc - j - 1;
            byte[] o = argv[j];
            if (!store && Bytes.eqIgnoreCase(o, "withscores")) {
                withScores = true;
            } else if (Bytes.eqIgnoreCase(o, "limit") && left >= 2) {
                if (!Args.longOrReply(c, argv[j + 1], null, num)) return;
                offset = num[0];
                if (!Args.longOrReply(c, argv[j + 2], null, num)) return;
                limit = num[0];
                j += 2;
            } else if (dir == DIR_AUTO && Bytes.eqIgnoreCase(o, "rev")) {
                dir = REVERSE;
            } else if (type == AUTO && Bytes.eqIgnoreCase(o, "bylex")) {
                type = LEX;
            } else if (type == AUTO && Bytes.eqIgnoreCase(o, "byscore")) {
                type = SCORE;
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
        if (dir == DIR_AUTO) dir = FORWARD;
        if (type == AUTO) type = RANK;
        if (limit != -1 && type == RANK) {
            c.reply.error("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
            return;
        }
        if (withScores && type == LEX) {
            c.reply.error("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
            return;
        }
        boolean reverse = dir == REVERSE;
        byte[] min = argv[keyIdx + 1], max = argv[keyIdx + 2];
        if (reverse && type != RANK) { // the range is given as max, min
            byte[] t = min;
            min = max;
            max = t;
        }
        long start = 0, end = 0;
        ZRange range = null;
        if (type == RANK) {
            if (!Args.longOrReply(c, min, null, num)) return;
            start = num[0];
            if (!Args.longOrReply(c, max, null, num)) return;
            end = num[0];
        } else {
            range = type == SCORE ? SortedSetCommands.scoreRangeOrReply(c, min, max)
                    : SortedSetCommands.lexRangeOrReply(c, min, max);
            if (range == null) return;
        }
        Result out = store ? new StoreResult(c, argv[1]) : new ClientResult(c, withScores);
        Database db = c.db;
        int ref = db.lookupRead(argv[keyIdx]);
        if (ref == 0) {
            if (store) {
                out.begin(-1);
                out.end(0);
            } else {
                c.reply.emptyArray();
            }
            return;
        }
        ZSetValue z = SortedSetCommands.zsetOrWrongType(c, db, ref);
        if (z == null) return;
        if (type == RANK) byRank(out, z, start, end, reverse);
        else byRange(out, z, range, type == SCORE, offset, limit, reverse);
    }

    /** genericZrangebyrankCommand: indexes from the end when negative, clamped to the set. */
    private static void byRank(Result out, ZSetValue z, long start, long end, boolean reverse) {
        long llen = z.length();
        if (start < 0) start = llen + start;
        if (end < 0) end = llen + end;
        if (start < 0) start = 0;
        if (start > end || start >= llen) {
            out.begin(0);
            out.end(0);
            return;
        }
        if (end >= llen) end = llen - 1;
        long n = end - start + 1;
        out.begin(n);
        ZSetValue.Cursor cur = z.atRank(reverse ? llen - 1 - start : start);
        for (long i = 0; i < n; i++) {
            out.emit(cur);
            cur.step(reverse);
        }
        out.end(n);
    }

    /** genericZrangebyscoreCommand / genericZrangebylexCommand with LIMIT offset count. */
    private static void byRange(Result out, ZSetValue z, ZRange range, boolean byScore, long offset, long limit,
                                boolean reverse) {
        if (byScore && offset > 0 && offset >= z.length()) {
            out.begin(0);
            out.end(0);
            return;
        }
        out.begin(-1);
        ZSetValue.Cursor cur = z.inRange(range, reverse);
        if (offset < 0) { // Redis walks "while (offset--)" to the end of the set
            out.end(0);
            return;
        }
        z.skip(cur, offset, reverse);
        long n = 0;
        while (cur.valid() && limit-- != 0) {
            if (!cur.inside(range, reverse)) break;
            out.emit(cur);
            n++;
            cur.step(reverse);
        }
        out.end(n);
    }

    // ---- where results go -------------------------------------------------------------------------

    /** zrange_result_handler: begin (length, or -1 when not known yet), each member, end (count). */
    private abstract static class Result {
        abstract void begin(long length);

        abstract void emit(ZSetValue.Cursor cur);

        abstract void end(long count);
    }

    /** To the client: an array; WITHSCORES pairs flat in RESP2 and as [member, score] in RESP3. */
    private static final class ClientResult extends Result {
        private final Client c;
        private final boolean withScores;
        private final boolean nested;
        /** The deferred header's handle, when the length was not known at the start. */
        private int deferred = NOT_DEFERRED;
        private static final int NOT_DEFERRED = Integer.MIN_VALUE;

        ClientResult(Client c, boolean withScores) {
            this.c = c;
            this.withScores = withScores;
            this.nested = withScores && c.reply.resp3();
        }

        @Override
        void begin(long length) {
            if (length > 0) {
                c.reply.arrayHeader(withScores && !nested ? 2 * length : length);
            } else {
                deferred = c.reply.deferLength();
            }
        }

        @Override
        void emit(ZSetValue.Cursor cur) {
            if (nested) c.reply.arrayHeader(2);
            cur.replyMember(c.reply);
            if (withScores) cur.replyScore(c.reply);
        }

        @Override
        void end(long count) {
            if (deferred == NOT_DEFERRED) return;
            c.reply.setDeferredArray(deferred, withScores && !nested ? 2 * count : count);
        }
    }

    /** ZRANGESTORE: into a new set stored at dst (replacing any value), or dst deleted when empty. */
    private static final class StoreResult extends Result {
        private final Client c;
        private final byte[] dst;
        private ZSetValue z;

        StoreResult(Client c, byte[] dst) {
            this.c = c;
            this.dst = dst;
        }

        @Override
        void begin(long length) {
            z = ZSetValue.create(Math.max(0, length), 0, SortedSetCommands.maxEntries(c),
                    SortedSetCommands.maxValue(c));
        }

        @Override
        void emit(ZSetValue.Cursor cur) {
            z.add(cur.score(), cur.member(), 0, SortedSetCommands.maxEntries(c), SortedSetCommands.maxValue(c));
        }

        @Override
        void end(long count) {
            store(c, dst, z, count, "zrangestore");
        }
    }

    /**
     * Stores a computed set at dst (setKey: any old value and its TTL go), replies its size and
     * fires {@code event} on dst; an empty result deletes dst instead, replies 0 and fires "del"
     * if dst existed. Shared with ZUNIONSTORE and friends.
     */
    static void store(Client c, byte[] dst, ZSetValue z, long count, String event) {
        Database db = c.db;
        if (count > 0) {
            db.set(dst, z.stored(), ValueType.ZSET, z.encoding(), false);
            c.engine.dirty++;
            c.reply.integer(count);
            KeyEvents.fire(c, KeyspaceEvents.ZSET, event, dst);
        } else {
            c.reply.integer(0);
            if (db.delete(dst)) {
                c.engine.dirty++;
                KeyEvents.del(c, dst);
            }
        }
    }

    // ---- ZREMRANGEBYRANK / SCORE / LEX ------------------------------------------------------------

    static void zremrangebyrank(Client c, byte[][] argv, int argc) {
        long[] num = new long[1];
        if (!Args.longOrReply(c, argv[2], null, num)) return;
        long start = num[0];
        if (!Args.longOrReply(c, argv[3], null, num)) return;
        long end = num[0];
        Database db = c.db;
        int ref = db.lookupWrite(argv[1]);
        if (ref == 0) {
            c.reply.integer(0);
            return;
        }
        ZSetValue z = SortedSetCommands.zsetOrWrongType(c, db, ref);
        if (z == null) return;
        long llen = z.length();
        if (start < 0) start = llen + start;
        if (end < 0) end = llen + end;
        if (start < 0) start = 0;
        if (start > end || start >= llen) {
            c.reply.integer(0);
            return;
        }
        if (end >= llen) end = llen - 1;
        long deleted = z.deleteRangeByRank(start, end);
        SortedSetCommands.written(c, db, ref, argv[1], z, deleted, "zremrangebyrank");
        c.reply.integer(deleted);
    }

    static void zremrangebyscore(Client c, byte[][] argv, int argc) {
        ZRange r = SortedSetCommands.scoreRangeOrReply(c, argv[2], argv[3]);
        if (r != null) removeRange(c, argv[1], r, "zremrangebyscore");
    }

    static void zremrangebylex(Client c, byte[][] argv, int argc) {
        ZRange r = SortedSetCommands.lexRangeOrReply(c, argv[2], argv[3]);
        if (r != null) removeRange(c, argv[1], r, "zremrangebylex");
    }

    private static void removeRange(Client c, byte[] key, ZRange r, String event) {
        Database db = c.db;
        int ref = db.lookupWrite(key);
        if (ref == 0) {
            c.reply.integer(0);
            return;
        }
        ZSetValue z = SortedSetCommands.zsetOrWrongType(c, db, ref);
        if (z == null) return;
        long deleted = z.deleteRange(r);
        SortedSetCommands.written(c, db, ref, key, z, deleted, event);
        c.reply.integer(deleted);
    }
}
