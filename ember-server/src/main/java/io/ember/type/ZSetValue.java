package io.ember.type;

import io.ember.resp.Reply;
import io.ember.util.Doubles;
import io.ember.util.Numbers;

/**
 * A sorted set value (t_zset.c's zset object) in one of Redis's two encodings:
 * <ul>
 * <li><b>listpack</b> ({@link ZListpack}): one {@code byte[]} of member/score pairs in order,
 * while the set has at most {@code zset-max-listpack-entries} members of at most
 * {@code zset-max-listpack-value} bytes;</li>
 * <li><b>skiplist</b>: a {@link SkipList} (order and ranks) plus a {@link ZDict} from member to
 * skiplist node (O(1) score lookups, and ZSCAN with SCAN's cursor guarantees).</li>
 * </ul>
 * Conversion is one way (listpack to skiplist), on write, as in Redis.
 *
 * <p>What the keyspace stores ({@link #stored}) is the listpack {@code byte[]} itself for a small
 * set — no wrapper object, which keeps 100,000 small sets within Redis's memory — and this object
 * for a skiplist. Commands work on {@link #of}, a short-lived view of a listpack or the stored
 * skiplist object, and store {@link #stored} back after changing it.
 *
 * <p>Scores are never NaN, so NaN doubles as "absent" in {@link #score}.
 */
public final class ZSetValue implements Values.Duplicable {
    /** zsetAdd input flags (ZADD_IN_*). */
    public static final int IN_INCR = 1, IN_NX = 2, IN_XX = 4, IN_GT = 8, IN_LT = 16;
    /** zsetAdd results (ZADD_OUT_*). */
    public static final int ADDED = 1, UPDATED = 2, NOP = 4, NAN = 8;

    /** lpSafeToAdd's limit: a listpack never grows past 1 GB. */
    private static final long LISTPACK_SAFETY_SIZE = 1L << 30;

    private byte[] lp;
    private SkipList zsl;
    private ZDict dict;

    private ZSetValue() {}

    /**
     * Estimated heap bytes: a skiplist node (header, score, links, span) and its member array per
     * member, plus the dict's buckets. Listpack-encoded sets are stored as their bare array.
     */
    public long memoryBytes() {
        if (lp != null) return 16 + lp.length;
        return 48 + (long) zsl.length() * (72 + 16) + zsl.memberBytes() + 8L * dict.buckets();
    }

    /** The set behind a stored value: a view of a listpack {@code byte[]}, or the skiplist object. */
    public static ZSetValue of(Object stored) {
        if (stored instanceof ZSetValue z) return z;
        ZSetValue z = new ZSetValue();
        z.lp = (byte[]) stored;
        return z;
    }

    /** What the keyspace holds for this set: the listpack array, or this object once a skiplist. */
    public Object stored() {
        return lp != null ? lp : this;
    }

    private static ZSetValue newListpack() {
        ZSetValue z = new ZSetValue();
        z.lp = Listpack.empty();
        return z;
    }

    public static ZSetValue newSkiplist() {
        ZSetValue z = new ZSetValue();
        z.zsl = new SkipList();
        z.dict = new ZDict();
        return z;
    }

    /**
     * An empty set in the encoding Redis creates for {@code size} members whose longest is
     * {@code maxLength} bytes (createZsetListpackObject or createZsetObject).
     */
    public static ZSetValue create(long size, long maxLength, long maxEntries, long maxValue) {
        return size > maxEntries || maxLength > maxValue || maxEntries == 0 ? newSkiplist() : newListpack();
    }

    public boolean isListpack() {
        return lp != null;
    }

    /** The OBJECT ENCODING code. */
    public int encoding() {
        return lp != null ? ValueType.ENC_LISTPACK : ValueType.ENC_SKIPLIST;
    }

    public int length() {
        return lp != null ? ZListpack.length(lp) : zsl.length();
    }

    /** The member's score, or NaN when it is not in the set. */
    public double score(byte[] member) {
        if (lp != null) {
            int eptr = ZListpack.find(lp, member);
            return eptr < 0 ? Double.NaN : ZListpack.score(lp, Listpack.next(lp, eptr));
        }
        SkipList.Node n = dict.find(member);
        return n == null ? Double.NaN : n.score;
    }

    /**
     * zsetAdd: adds or updates one member under ZADD's flags and returns the ZADD_OUT_* result
     * ({@link #NAN} when INCR produced NaN; nothing changed then). A listpack turns into a
     * skiplist first when the new member would cross a threshold.
     */
    public int add(double score, byte[] member, int flags, long maxEntries, long maxValue) {
        if (score != score) return NAN;
        boolean incr = (flags & IN_INCR) != 0, nx = (flags & IN_NX) != 0, xx = (flags & IN_XX) != 0;
        boolean gt = (flags & IN_GT) != 0, lt = (flags & IN_LT) != 0;
        if (lp != null) {
            int eptr = ZListpack.find(lp, member);
            if (eptr >= 0) {
                if (nx) return NOP;
                double cur = ZListpack.score(lp, Listpack.next(lp, eptr));
                if (incr) {
                    score += cur;
                    if (score != score) return NAN;
                }
                if ((lt && score >= cur) || (gt && score <= cur)) return NOP;
                if (score != cur) {
                    lp = ZListpack.insert(ZListpack.delete(lp, eptr), member, score);
                    return UPDATED;
                }
                return 0;
            }
            if (xx) return NOP;
            if (ZListpack.length(lp) + 1 > maxEntries || member.length > maxValue
                    || (long) lp.length + member.length > LISTPACK_SAFETY_SIZE) {
                convertToSkiplist();
            } else {
                lp = ZListpack.insert(lp, member, score);
                return ADDED;
            }
        }
        SkipList.Node node = dict.find(member);
        if (node != null) {
            if (nx) return NOP;
            double cur = node.score;
            if (incr) {
                score += cur;
                if (score != score) return NAN;
            }
            if ((lt && score >= cur) || (gt && score <= cur)) return NOP;
            if (score != cur) {
                zsl.updateScore(node, score);
                return UPDATED;
            }
            return 0;
        }
        if (xx) return NOP;
        dict.insert(zsl.insert(score, member));
        return ADDED;
    }

    /** zsetDel: removes the member; false when absent. */
    public boolean delete(byte[] member) {
        if (lp != null) {
            int eptr = ZListpack.find(lp, member);
            if (eptr < 0) return false;
            lp = ZListpack.delete(lp, eptr);
            return true;
        }
        SkipList.Node node = dict.remove(member);
        if (node == null) return false;
        zsl.delete(node);
        return true;
    }

    /** zsetRank: 0-based rank from the lowest (or from the highest when reverse), -1 when absent. */
    public long rank(byte[] member, boolean reverse) {
        int n = length();
        if (lp != null) {
            int eptr = ZListpack.find(lp, member);
            if (eptr < 0) return -1;
            long rank = 0;
            for (int p = Listpack.first(lp); p != eptr; p = Listpack.next(lp, Listpack.next(lp, p))) rank++;
            return reverse ? n - 1 - rank : rank;
        }
        SkipList.Node node = dict.find(member);
        if (node == null) return -1;
        long rank = zsl.rank(node);
        return reverse ? n - rank : rank - 1;
    }

    /** zsetConvert to skiplist: every pair moves into a skiplist node and the dict. */
    public void convertToSkiplist() {
        if (lp == null) return;
        SkipList list = new SkipList();
        ZDict table = new ZDict();
        for (int eptr = Listpack.first(lp); eptr >= 0; ) {
            int sptr = Listpack.next(lp, eptr);
            table.insert(list.insert(ZListpack.score(lp, sptr), Listpack.get(lp, eptr)));
            eptr = Listpack.next(lp, sptr);
        }
        lp = null;
        zsl = list;
        dict = table;
    }

    /**
     * zsetConvertToListpackIfNeeded: a skiplist small enough for a listpack becomes one (results
     * of ZUNIONSTORE and friends, built as skiplists, are stored as Redis would store them).
     */
    public void convertToListpackIfSmall(long maxEntries, long maxValue) {
        if (lp != null || zsl.length() > maxEntries) return;
        long total = 0;
        for (SkipList.Node n = zsl.first(); n != null; n = n.next()) {
            if (n.ele.length > maxValue) return;
            total += n.ele.length;
        }
        if (total > LISTPACK_SAFETY_SIZE) return;
        byte[] out = Listpack.empty();
        for (SkipList.Node n = zsl.first(); n != null; n = n.next()) {
            out = Listpack.insertPair(out, Listpack.totalBytes(out) - 1, n.ele, ZListpack.scoreText(n.score));
        }
        lp = out;
        zsl = null;
        dict = null;
    }

    // ---- ranges -------------------------------------------------------------------------------

    /** ZCOUNT / ZLEXCOUNT: members inside the range. */
    public long count(ZRange r) {
        if (lp != null) {
            long n = 0;
            for (int eptr = ZListpack.firstInRange(lp, r); eptr >= 0; ) {
                int sptr = Listpack.next(lp, eptr);
                if (!r.lteMax(lp, eptr, sptr)) break;
                n++;
                eptr = Listpack.next(lp, sptr);
            }
            return n;
        }
        SkipList.Node first = zsl.firstInRange(r);
        if (first == null) return 0;
        SkipList.Node last = zsl.lastInRange(r);
        return last == null ? 0 : zsl.rank(last) - zsl.rank(first) + 1;
    }

    /** ZREMRANGEBYSCORE / ZREMRANGEBYLEX: removes the members inside the range; returns how many. */
    public long deleteRange(ZRange r) {
        if (lp != null) {
            int first = ZListpack.firstInRange(lp, r);
            if (first < 0) return 0;
            int n = 0;
            for (int eptr = first; eptr >= 0; ) {
                int sptr = Listpack.next(lp, eptr);
                if (!r.lteMax(lp, eptr, sptr)) break;
                n++;
                eptr = Listpack.next(lp, sptr);
            }
            lp = Listpack.deleteRange(lp, first, 2 * n);
            return n;
        }
        long n = zsl.deleteRange(r, dict);
        dict.shrinkIfSparse();
        return n;
    }

    /** ZREMRANGEBYRANK: removes 0-based ranks [start, end] (already clamped); returns how many. */
    public long deleteRangeByRank(long start, long end) {
        if (lp != null) {
            int eptr = Listpack.seek(lp, 2 * start);
            lp = Listpack.deleteRange(lp, eptr, (int) (2 * (end - start + 1)));
            return end - start + 1;
        }
        long n = zsl.deleteRangeByRank(start + 1, end + 1, dict);
        dict.shrinkIfSparse();
        return n;
    }

    // ---- iteration ----------------------------------------------------------------------------

    /** A cursor on the lowest member (invalid when empty). */
    public Cursor first() {
        Cursor c = new Cursor();
        if (lp != null) c.eptr = Listpack.first(lp);
        else c.node = zsl.first();
        return c;
    }

    /** A cursor on the highest member. */
    public Cursor last() {
        Cursor c = new Cursor();
        if (lp != null) {
            int sptr = Listpack.last(lp);
            c.eptr = sptr < 0 ? -1 : Listpack.prev(lp, sptr);
        } else {
            c.node = zsl.last();
        }
        return c;
    }

    /** A cursor on the member of 0-based {@code rank} from the lowest (invalid when out of range). */
    public Cursor atRank(long rank) {
        Cursor c = new Cursor();
        if (rank < 0 || rank >= length()) return c;
        if (lp != null) c.eptr = Listpack.seek(lp, 2 * rank);
        else c.node = zsl.byRank(rank + 1);
        return c;
    }

    /** A cursor on the lowest (or highest, when reverse) member inside the range. */
    public Cursor inRange(ZRange r, boolean reverse) {
        Cursor c = new Cursor();
        if (lp != null) c.eptr = reverse ? ZListpack.lastInRange(lp, r) : ZListpack.firstInRange(lp, r);
        else c.node = reverse ? zsl.lastInRange(r) : zsl.firstInRange(r);
        return c;
    }

    /**
     * Moves a valid cursor {@code n} members on (towards the highest, or the lowest when
     * reverse); O(log n) on a skiplist. The cursor becomes invalid past the end.
     */
    public void skip(Cursor c, long n, boolean reverse) {
        if (n <= 0 || !c.valid()) return;
        if (lp == null && n > 16) {
            long rank = zsl.rank(c.node) + (reverse ? -n : n);
            c.node = rank < 1 ? null : zsl.byRank(rank);
            return;
        }
        while (n-- > 0 && c.valid()) c.step(reverse);
    }

    /**
     * A position in this set, for reading only: invalid once the set changes. Member and score
     * are read in place; replies copy them without intermediate arrays where possible.
     */
    public final class Cursor {
        private int eptr = -1;
        private SkipList.Node node;
        private final byte[] scratch = new byte[Doubles.MAX_CHARS];

        private Cursor() {}

        public boolean valid() {
            return lp != null ? eptr >= 0 : node != null;
        }

        /** To the next member up (or down, when reverse). */
        public void step(boolean reverse) {
            if (lp != null) {
                if (reverse) {
                    int prevScore = Listpack.prev(lp, eptr);
                    eptr = prevScore < 0 ? -1 : Listpack.prev(lp, prevScore);
                } else {
                    int next = Listpack.next(lp, Listpack.next(lp, eptr));
                    eptr = next;
                }
            } else {
                node = reverse ? node.backward : node.next0;
            }
        }

        public double score() {
            return lp != null ? ZListpack.score(lp, Listpack.next(lp, eptr)) : node.score;
        }

        /** The member's bytes: the node's own array (never modified) or a copy out of the listpack. */
        public byte[] member() {
            return lp != null ? Listpack.get(lp, eptr) : node.ele;
        }

        public int memberLength() {
            return lp != null ? Listpack.elementLength(lp, eptr) : node.ele.length;
        }

        /** Whether the current member is inside the range's upper end (lower end when reverse). */
        public boolean inside(ZRange r, boolean reverse) {
            if (lp != null) {
                int sptr = Listpack.next(lp, eptr);
                return reverse ? r.gteMin(lp, eptr, sptr) : r.lteMax(lp, eptr, sptr);
            }
            return reverse ? r.gteMin(node.score, node.ele) : r.lteMax(node.score, node.ele);
        }

        public void replyMember(Reply reply) {
            if (lp == null) {
                reply.bulk(node.ele);
            } else if (Listpack.isInt(lp, eptr)) {
                reply.bulkLong(Listpack.intValue(lp, eptr));
            } else {
                reply.bulk(lp, Listpack.stringStart(lp, eptr), Listpack.stringLength(lp, eptr));
            }
        }

        /** The score as a bulk string (ZSCAN): the listpack's text as stored, else "%.17g". */
        public void replyScoreText(Reply reply) {
            if (lp == null) {
                reply.bulk(scratch, 0, Doubles.format17g(node.score, scratch, 0));
                return;
            }
            int sptr = Listpack.next(lp, eptr);
            if (Listpack.isInt(lp, sptr)) reply.bulkLong(Listpack.intValue(lp, sptr));
            else reply.bulk(lp, Listpack.stringStart(lp, sptr), Listpack.stringLength(lp, sptr));
        }

        /** The score as addReplyDouble sends it: a listpack's stored text is already "%.17g". */
        public void replyScore(Reply reply) {
            if (lp == null) {
                reply.doubleFormatted(scratch, 0, Doubles.format17g(node.score, scratch, 0));
                return;
            }
            int sptr = Listpack.next(lp, eptr);
            if (Listpack.isInt(lp, sptr)) {
                long v = Listpack.intValue(lp, sptr);
                if (v > -(1L << 53) && v < (1L << 53)) { // exact as a double: same digits as %.17g
                    int n = Numbers.digits(v);
                    Numbers.writeDigits(v, scratch, n);
                    reply.doubleFormatted(scratch, 0, n);
                } else {
                    reply.doubleFormatted(scratch, 0, Doubles.format17g((double) v, scratch, 0));
                }
            } else {
                reply.doubleFormatted(lp, Listpack.stringStart(lp, sptr), Listpack.stringLength(lp, sptr));
            }
        }
    }

    // ---- whole-set operations -----------------------------------------------------------------

    /** One ZSCAN step over a skiplist-encoded set's dict, with SCAN's cursor (see KeyTable#scan). */
    public long scanDict(long cursor, ZDict.Visitor visitor) {
        return dict.scan(cursor, visitor);
    }

    /** Removes the member under a valid cursor (pops); the cursor is then invalid. */
    public void delete(Cursor c) {
        if (lp != null) {
            lp = ZListpack.delete(lp, c.eptr);
            c.eptr = -1;
        } else {
            dict.remove(c.node.ele);
            zsl.delete(c.node);
            c.node = null;
        }
    }

    @Override
    public Object duplicate() {
        ZSetValue z = new ZSetValue();
        if (lp != null) {
            z.lp = lp.clone();
            return z;
        }
        z.zsl = new SkipList();
        z.dict = new ZDict();
        for (SkipList.Node n = zsl.first(); n != null; n = n.next()) z.dict.insert(z.zsl.insert(n.score, n.ele));
        return z;
    }

    /** Internal consistency (tests): null when the encoding's invariants hold. */
    public String check() {
        if (lp != null) return Listpack.isValid(lp) && Listpack.size(lp) % 2 == 0 ? null : "bad listpack";
        if (dict.size() != zsl.length()) return "dict size " + dict.size() + " vs skiplist " + zsl.length();
        for (SkipList.Node n = zsl.first(); n != null; n = n.next()) {
            if (dict.find(n.ele) != n) return "dict misses a node";
        }
        return zsl.check();
    }
}
