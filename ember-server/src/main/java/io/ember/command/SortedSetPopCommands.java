package io.ember.command;

import io.ember.client.Client;
import io.ember.engine.Blocking;
import io.ember.engine.Database;
import io.ember.pubsub.KeyspaceEvents;
import io.ember.type.ValueType;
import io.ember.type.ZSetValue;
import io.ember.util.Bytes;
import io.ember.util.Numbers;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Popping the lowest or highest members (t_zset.c genericZpopCommand and its callers): ZPOPMIN,
 * ZPOPMAX, ZMPOP and the blocking BZPOPMIN, BZPOPMAX, BZMPOP (parked through
 * {@link Blocking}: when a sorted set is created under a key they wait for, their command runs
 * again). Also ZRANDMEMBER, the other command that picks members rather than ranges.
 */
final class SortedSetPopCommands {
    private SortedSetPopCommands() {}

    static void register(CommandTable t) {
        t.add("zpopmin", SortedSetPopCommands::zpopmin);
        t.add("zpopmax", SortedSetPopCommands::zpopmax);
        t.add("zmpop", SortedSetPopCommands::zmpop);
        t.add("bzpopmin", SortedSetPopCommands::bzpopmin);
        t.add("bzpopmax", SortedSetPopCommands::bzpopmax);
        t.add("bzmpop", SortedSetPopCommands::bzmpop);
        t.add("zrandmember", SortedSetPopCommands::zrandmember);
    }

    static void zpopmin(Client c, byte[][] argv, int argc) {
        zpop(c, argv, argc, false);
    }

    static void zpopmax(Client c, byte[][] argv, int argc) {
        zpop(c, argv, argc, true);
    }

    /** ZPOPMIN|ZPOPMAX key [count]: flat pairs, nested [member, score] in RESP3 when COUNT is given. */
    private static void zpop(Client c, byte[][] argv, int argc, boolean max) {
        if (argc > 3) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        long count = -1;
        if (argc == 3) {
            long[] num = new long[1];
            if (!Args.rangeLongOrReply(c, argv[2], 0, Long.MAX_VALUE, "value is out of range, must be positive", num)) {
                return;
            }
            count = num[0];
        }
        boolean nested = c.reply.resp3() && count != -1;
        pop(c, argv, 1, 1, max, false, count, nested, false);
    }

    /**
     * genericZpopCommand: pops up to {@code count} (-1: one, plain reply) from the first existing
     * key among argv[first..first+keys), which must be a sorted set. {@code emitKey} prefixes the
     * key name (BZPOP*, ZMPOP); {@code nested} makes each pair an array; {@code nullWhenEmpty}
     * answers a null array instead of an empty one when no key exists.
     */
    static void pop(Client c, byte[][] argv, int first, int keys, boolean max, boolean emitKey, long count,
                    boolean nested, boolean nullWhenEmpty) {
        Database db = c.db;
        int ref = 0;
        byte[] key = null;
        for (int i = first; i < first + keys; i++) {
            key = argv[i];
            ref = db.lookupWrite(key);
            if (ref != 0) break;
        }
        if (ref == 0) {
            if (nullWhenEmpty) c.reply.nullArray();
            else c.reply.emptyArray();
            return;
        }
        ZSetValue z = SortedSetCommands.zsetOrWrongType(c, db, ref);
        if (z == null) return;
        if (count == 0) {
            c.reply.emptyArray();
            return;
        }
        boolean single = count == -1;
        if (single) count = 1;
        long n = Math.min(count, z.length());
        // ZMPOP and the blocking pops go out as ZPOPMIN/ZPOPMAX key [number popped]
        if (emitKey && Rewrites.on(c)) {
            byte[] name = max ? ZPOPMAX : ZPOPMIN;
            if (single) Rewrites.as(c, name, key);
            else Rewrites.as(c, name, key, Numbers.toBytes(n));
        }
        if (!nested && !emitKey) {
            c.reply.arrayHeader(n * 2);
        } else if (nested && !emitKey) {
            c.reply.arrayHeader(n);
        } else if (!nested) {
            c.reply.arrayHeader(n * 2 + 1);
            c.reply.bulk(key);
        } else {
            c.reply.arrayHeader(2);
            c.reply.bulk(key);
            c.reply.arrayHeader(n);
        }
        for (long i = 0; i < n; i++) {
            ZSetValue.Cursor cur = max ? z.last() : z.first();
            // Redis fires the event once, after removing the first member and before replying it
            // (so in RESP3 a subscribed caller gets the push inside the reply, as from Redis 7.0).
            if (i == 0) KeyEvents.fire(c, KeyspaceEvents.ZSET, max ? "zpopmax" : "zpopmin", key);
            if (nested) c.reply.arrayHeader(2);
            cur.replyMember(c.reply);
            cur.replyScore(c.reply);
            z.delete(cur);
        }
        SortedSetCommands.written(c, db, ref, key, z, n, null); // "del" if it emptied the set
    }

    private static final byte[] ZPOPMIN = Bytes.ascii("ZPOPMIN"), ZPOPMAX = Bytes.ascii("ZPOPMAX");

    /** ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]. */
    static void zmpop(Client c, byte[][] argv, int argc) {
        mpop(c, argv, argc, 1, false);
    }

    /** BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]. */
    static void bzmpop(Client c, byte[][] argv, int argc) {
        mpop(c, argv, argc, 2, true);
    }

    /** zmpopGenericCommand: numkeys, MIN|MAX, COUNT; the timeout (if blocking) only after them. */
    private static void mpop(Client c, byte[][] argv, int argc, int numkeysIdx, boolean blocking) {
        long[] num = new long[1];
        if (!Args.rangeLongOrReply(c, argv[numkeysIdx], 1, Long.MAX_VALUE, "numkeys should be greater than 0", num)) {
            return;
        }
        long numkeys = num[0];
        long whereIdx = numkeysIdx + numkeys + 1; // numkeys < argc here, so this cannot overflow
        if (numkeys >= argc || whereIdx >= argc) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        boolean max;
        byte[] where = argv[(int) whereIdx];
        if (Bytes.eqIgnoreCase(where, "min")) {
            max = false;
        } else if (Bytes.eqIgnoreCase(where, "max")) {
            max = true;
        } else {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        long count = -1;
        for (int j = (int) whereIdx + 1; j < argc; j++) {
            boolean more = argc - 1 - j > 0;
            if (count == -1 && Bytes.eqIgnoreCase(argv[j], "count") && more) {
                j++;
                if (!Args.rangeLongOrReply(c, argv[j], 1, Long.MAX_VALUE, "count should be greater than 0", num)) return;
                count = num[0];
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
        if (count == -1) count = 1;
        if (blocking) blockingPop(c, argv, argc, numkeysIdx + 1, (int) numkeys, max, 1, count, true, true);
        else pop(c, argv, numkeysIdx + 1, (int) numkeys, max, true, count, true, true);
    }

    static void bzpopmin(Client c, byte[][] argv, int argc) {
        blockingPop(c, argv, argc, 1, argc - 2, false, argc - 1, -1, false, false);
    }

    static void bzpopmax(Client c, byte[][] argv, int argc) {
        blockingPop(c, argv, argc, 1, argc - 2, true, argc - 1, -1, false, false);
    }

    /**
     * blockingGenericZpopCommand: pops from the first non-empty sorted set among the keys, else
     * parks the client until one is created or the timeout passes (null array), or answers the
     * null array at once when it may not block (inside MULTI). When the command runs again for a
     * parked client it is served only from the key that became ready, and only if that key now
     * holds a sorted set (as Redis serves waiters of the ready key); otherwise it keeps waiting.
     */
    private static void blockingPop(Client c, byte[][] argv, int argc, int first, int keys, boolean max,
                                    int timeoutIdx, long count, boolean nested, boolean nullWhenEmpty) {
        long deadline = BlockingTimeout.parse(c, argv[timeoutIdx]);
        if (deadline == BlockingTimeout.INVALID) return;
        Database db = c.db;
        Blocking blocking = c.engine.blocking;
        byte[] ready = blocking.readyKey(c);
        for (int i = first; i < first + keys; i++) {
            if (ready != null && !java.util.Arrays.equals(argv[i], ready)) continue;
            int ref = db.lookupWrite(argv[i]);
            if (ref == 0) continue;
            if (db.type(ref) != ValueType.ZSET) {
                if (ready != null) break; // another type took the key: keep waiting
                c.reply.error(Errors.WRONGTYPE);
                return;
            }
            pop(c, argv, i, 1, max, true, count, nested, nullWhenEmpty);
            if (ready != null) c.engine.propagation.force(); // a woken pop is always propagated
            return;
        }
        if (!blocking.canBlock(c)) {
            c.reply.nullArray();
            return;
        }
        blocking.block(c, db, argv, first, keys, deadline, argv, argc, Blocking.TimeoutReply.NULL_ARRAY);
    }

    // ---- ZRANDMEMBER ------------------------------------------------------------------------------

    /** ZRANDMEMBER key [count [WITHSCORES]]. */
    static void zrandmember(Client c, byte[][] argv, int argc) {
        if (argc >= 3) {
            zrandmemberWithCount(c, argv, argc);
            return;
        }
        Database db = c.db;
        int ref = db.lookupRead(argv[1]);
        if (ref == 0) {
            c.reply.nullBulk();
            return;
        }
        ZSetValue z = SortedSetCommands.zsetOrWrongType(c, db, ref);
        if (z == null) return;
        z.atRank(ThreadLocalRandom.current().nextInt(z.length())).replyMember(c.reply);
    }

    /**
     * zrandmemberWithCountCommand: a negative count allows repeats (count picks); a count at least
     * the size returns the whole set, highest first (Redis iterates from the tail); otherwise
     * count distinct members. The count is checked before the key is looked up.
     */
    private static void zrandmemberWithCount(Client c, byte[][] argv, int argc) {
        long[] num = new long[1];
        if (!Args.rangeLongOrReply(c, argv[2], -Long.MAX_VALUE, Long.MAX_VALUE, null, num)) return;
        long l = num[0];
        boolean withScores = false;
        if (argc > 4 || (argc == 4 && !Bytes.eqIgnoreCase(argv[3], "withscores"))) {
            c.reply.error(Errors.SYNTAX);
            return;
        } else if (argc == 4) {
            withScores = true;
            if (l < -Long.MAX_VALUE / 2 || l > Long.MAX_VALUE / 2) {
                c.reply.error("ERR value is out of range");
                return;
            }
        }
        Database db = c.db;
        int ref = db.lookupRead(argv[1]);
        if (ref == 0) {
            c.reply.emptyArray();
            return;
        }
        ZSetValue z = SortedSetCommands.zsetOrWrongType(c, db, ref);
        if (z == null) return;
        boolean unique = l >= 0;
        long count = unique ? l : -l;
        if (count == 0) {
            c.reply.emptyArray();
            return;
        }
        int size = z.length();
        boolean nested = withScores && c.reply.resp3();
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        if (!unique || count == 1) { // independent picks
            c.reply.arrayHeader(withScores && !nested ? 2 * count : count);
            for (long i = 0; i < count; i++) emitRandom(c, z.atRank(rnd.nextInt(size)), withScores, nested);
            return;
        }
        if (count >= size) { // the whole set, from the highest down
            c.reply.arrayHeader(withScores && !nested ? 2L * size : size);
            for (ZSetValue.Cursor cur = z.last(); cur.valid(); cur.step(true)) emitRandom(c, cur, withScores, nested);
            return;
        }
        c.reply.arrayHeader(withScores && !nested ? 2 * count : count);
        if (count * 3 > size) { // selection sampling in one pass, in set order
            long needed = count;
            int i = 0;
            for (ZSetValue.Cursor cur = z.first(); needed > 0; cur.step(false), i++) {
                if (rnd.nextLong(size - i) < needed) {
                    emitRandom(c, cur, withScores, nested);
                    needed--;
                }
            }
            return;
        }
        // few members of a large set: distinct random ranks
        int[] picked = new int[Integer.highestOneBit((int) count * 4 - 1) << 1];
        java.util.Arrays.fill(picked, -1);
        int mask = picked.length - 1;
        for (long got = 0; got < count; ) {
            int rank = rnd.nextInt(size);
            int h = (rank * 0x9E3779B1) & mask;
            while (picked[h] != -1 && picked[h] != rank) h = (h + 1) & mask;
            if (picked[h] == rank) continue;
            picked[h] = rank;
            got++;
            emitRandom(c, z.atRank(rank), withScores, nested);
        }
    }

    private static void emitRandom(Client c, ZSetValue.Cursor cur, boolean withScores, boolean nested) {
        if (nested) c.reply.arrayHeader(2);
        cur.replyMember(c.reply);
        if (withScores) cur.replyScore(c.reply);
    }
}
