package io.ember.command;

import io.ember.client.Client;
import io.ember.engine.Database;
import io.ember.engine.KeyTable;
import io.ember.type.SetValue;
import io.ember.type.SetView;
import io.ember.type.SkipList;
import io.ember.type.ValueType;
import io.ember.type.ZSetValue;
import io.ember.util.Bytes;
import io.ember.util.Doubles;
import java.util.Arrays;
import java.util.Comparator;

/**
 * ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD (t_zset.c
 * zunionInterDiffGenericCommand). Inputs may be sorted sets or plain sets (read through
 * {@link SetView}, every member scored 1); a missing key is an empty input. Union and
 * intersection visit the inputs from the smallest up (a stable sort, as glibc's qsort), so sums
 * of weighted scores are added in Redis's order and give the same doubles. The result is built
 * as a skiplist ordered by (score, member); a stored result small enough becomes a listpack.
 */
final class SortedSetAlgebraCommands {
    private SortedSetAlgebraCommands() {}

    static void register(CommandTable t) {
        t.add("zunion", SortedSetAlgebraCommands::zunion);
        t.add("zinter", SortedSetAlgebraCommands::zinter);
        t.add("zdiff", SortedSetAlgebraCommands::zdiff);
        t.add("zunionstore", SortedSetAlgebraCommands::zunionstore);
        t.add("zinterstore", SortedSetAlgebraCommands::zinterstore);
        t.add("zdiffstore", SortedSetAlgebraCommands::zdiffstore);
        t.add("zintercard", SortedSetAlgebraCommands::zintercard);
    }

    /** ZUNION numkeys key [key ...] [WEIGHTS w ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]. */
    static void zunion(Client c, byte[][] argv, int argc) {
        generic(c, argv, argc, null, 1, UNION, false, "zunion");
    }

    static void zinter(Client c, byte[][] argv, int argc) {
        generic(c, argv, argc, null, 1, INTER, false, "zinter");
    }

    /** ZDIFF numkeys key [key ...] [WITHSCORES] (no WEIGHTS or AGGREGATE). */
    static void zdiff(Client c, byte[][] argv, int argc) {
        generic(c, argv, argc, null, 1, DIFF, false, "zdiff");
    }

    /** ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS w ...] [AGGREGATE SUM|MIN|MAX]. */
    static void zunionstore(Client c, byte[][] argv, int argc) {
        generic(c, argv, argc, argv[1], 2, UNION, false, "zunionstore");
    }

    static void zinterstore(Client c, byte[][] argv, int argc) {
        generic(c, argv, argc, argv[1], 2, INTER, false, "zinterstore");
    }

    static void zdiffstore(Client c, byte[][] argv, int argc) {
        generic(c, argv, argc, argv[1], 2, DIFF, false, "zdiffstore");
    }

    /** ZINTERCARD numkeys key [key ...] [LIMIT limit]: the size of the intersection, counting stops at LIMIT. */
    static void zintercard(Client c, byte[][] argv, int argc) {
        generic(c, argv, argc, null, 1, INTER, true, "zintercard");
    }

    private static final int UNION = 0, INTER = 1, DIFF = 2;
    private static final int SUM = 0, MIN = 1, MAX = 2;
    private static final Comparator<Source> BY_LENGTH = Comparator.comparingLong(Source::length);

    /** One input: a sorted set, a set, or nothing (missing key). */
    private static final class Source {
        /** The stored value: the same key given twice is the same object. */
        final Object stored;
        /** A ZSetValue view, a SetView, or null. */
        final Object value;
        double weight = 1;

        Source(Object stored, int type) {
            this.stored = stored;
            // An intset is stored as a bare byte[]: read sets through SetValue.view.
            this.value = stored == null ? null : type == ValueType.ZSET ? ZSetValue.of(stored) : SetValue.view(stored);
        }

        long length() {
            if (value instanceof ZSetValue z) return z.length();
            if (value instanceof SetView s) return s.size();
            return 0;
        }

        /** zuiFind: the member's score (1 in a set), NaN when absent. */
        double find(byte[] member) {
            if (value instanceof ZSetValue z) return z.score(member);
            if (value instanceof SetView s) return s.contains(member) ? 1 : Double.NaN;
            return Double.NaN;
        }

        /** Every member with its score, into {@code out} (cleared first). */
        void collect(Elements out) {
            out.size = 0;
            if (value instanceof ZSetValue z) {
                for (ZSetValue.Cursor cur = z.first(); cur.valid(); cur.step(false)) out.add(cur.member(), cur.score());
            } else if (value instanceof SetView s) {
                s.forEachMember(m -> out.add(m.clone(), 1));
            }
        }
    }

    /** A growable list of (member, score). */
    private static final class Elements {
        byte[][] members = new byte[16][];
        double[] scores = new double[16];
        int size;

        void add(byte[] m, double s) {
            if (size == members.length) {
                members = Arrays.copyOf(members, size * 2);
                scores = Arrays.copyOf(scores, size * 2);
            }
            members[size] = m;
            scores[size++] = s;
        }
    }

    private static void generic(Client c, byte[][] argv, int argc, byte[] dst, int numkeysIdx, int op,
                                boolean cardinalityOnly, String name) {
        long[] num = new long[1];
        if (!Args.longOrReply(c, argv[numkeysIdx], null, num)) return;
        long setnum = num[0];
        if (setnum < 1) {
            c.reply.error("ERR at least 1 input key is needed for '" + name + "' command");
            return;
        }
        if (setnum > argc - (numkeysIdx + 1)) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        Database db = c.db;
        Source[] src = new Source[(int) setnum];
        int j = numkeysIdx + 1;
        for (int i = 0; i < setnum; i++, j++) {
            int ref = db.lookupRead(argv[j]);
            Object v = null;
            int type = -1;
            if (ref != 0) {
                type = db.type(ref);
                if (type != ValueType.ZSET && type != ValueType.SET) {
                    c.reply.error(Errors.WRONGTYPE);
                    return;
                }
                v = db.value(ref);
            }
            src[i] = new Source(v, type);
        }
        int aggregate = SUM;
        boolean withScores = false;
        long limit = 0;
        while (j < argc) {
            int remaining = argc - j;
            byte[] o = argv[j];
            if (op != DIFF && !cardinalityOnly && remaining >= setnum + 1 && Bytes.eqIgnoreCase(o, "weights")) {
                j++;
                for (int i = 0; i < setnum; i++, j++) {
                    double w = Doubles.parseStrict(argv[j]);
                    if (w != w) {
                        c.reply.error("ERR weight value is not a float");
                        return;
                    }
                    src[i].weight = w;
                }
            } else if (op != DIFF && !cardinalityOnly && remaining >= 2 && Bytes.eqIgnoreCase(o, "aggregate")) {
                byte[] a = argv[j + 1];
                if (Bytes.eqIgnoreCase(a, "sum")) aggregate = SUM;
                else if (Bytes.eqIgnoreCase(a, "min")) aggregate = MIN;
                else if (Bytes.eqIgnoreCase(a, "max")) aggregate = MAX;
                else {
                    c.reply.error(Errors.SYNTAX);
                    return;
                }
                j += 2;
            } else if (dst == null && !cardinalityOnly && Bytes.eqIgnoreCase(o, "withscores")) {
                j++;
                withScores = true;
            } else if (cardinalityOnly && remaining >= 2 && Bytes.eqIgnoreCase(o, "limit")) {
                if (!Args.rangeLongOrReply(c, argv[j + 1], 0, Long.MAX_VALUE, "LIMIT can't be negative", num)) return;
                limit = num[0];
                j += 2;
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
        if (op != DIFF) Arrays.sort(src, BY_LENGTH); // stable

        SkipList result = new SkipList();
        if (op == INTER) {
            long cardinality = inter(src, aggregate, cardinalityOnly, limit, result);
            if (cardinalityOnly) {
                c.reply.integer(cardinality);
                return;
            }
        } else if (op == UNION) {
            union(src, aggregate, result);
        } else {
            diff(src, result);
        }
        if (dst != null) {
            store(c, dst, result, name);
            return;
        }
        boolean nested = withScores && c.reply.resp3();
        c.reply.arrayHeader(withScores && !nested ? 2L * result.length() : result.length());
        byte[] buf = new byte[Doubles.MAX_CHARS];
        for (SkipList.Node n = result.first(); n != null; n = n.next()) {
            if (nested) c.reply.arrayHeader(2);
            c.reply.bulk(n.member());
            if (withScores) c.reply.doubleFormatted(buf, 0, Doubles.format17g(n.score(), buf, 0));
        }
    }

    /** zunionInterAggregate: SUM turns inf + -inf into 0; MIN and MAX keep the target on NaN. */
    private static double aggregate(double target, double val, int aggregate) {
        if (aggregate == SUM) {
            double r = target + val;
            return r != r ? 0.0 : r;
        }
        if (aggregate == MIN) return val < target ? val : target;
        return val > target ? val : target;
    }

    /** Members of every input; returns how many (up to {@code limit} when counting only). */
    private static long inter(Source[] src, int agg, boolean countOnly, long limit, SkipList result) {
        if (src[0].length() == 0) return 0;
        Elements first = new Elements();
        src[0].collect(first);
        long cardinality = 0;
        for (int e = first.size - 1; e >= 0; e--) { // Redis walks the first input from its tail
            byte[] member = first.members[e];
            double s0 = first.scores[e];
            double score = src[0].weight * s0;
            if (score != score) score = 0;
            int j = 1;
            for (; j < src.length; j++) {
                double value;
                if (src[j].stored == src[0].stored) {
                    value = s0 * src[j].weight;
                } else {
                    value = src[j].find(member);
                    if (value != value) break;
                    value *= src[j].weight;
                }
                score = aggregate(score, value, agg);
            }
            if (j < src.length) continue;
            if (countOnly) {
                cardinality++;
                if (limit != 0 && cardinality >= limit) break;
            } else {
                result.insert(score, member);
            }
        }
        return cardinality;
    }

    /** Every member of any input, scores aggregated in input order. */
    private static void union(Source[] src, int agg, SkipList result) {
        ScoreMap acc = new ScoreMap();
        Elements els = new Elements();
        for (Source s : src) {
            if (s.length() == 0) continue;
            s.collect(els);
            for (int e = els.size - 1; e >= 0; e--) {
                double score = s.weight * els.scores[e];
                if (score != score) score = 0;
                int slot = acc.slot(els.members[e]);
                if (slot < 0) acc.put(~slot, els.members[e], score);
                else acc.scores[slot] = aggregate(acc.scores[slot], score, agg);
            }
        }
        for (int i = 0; i < acc.size; i++) result.insert(acc.scores[i], acc.members[i]);
    }

    /** Members of the first input found in no other, with their first-input scores. */
    private static void diff(Source[] src, SkipList result) {
        if (src[0].length() == 0) return;
        for (int j = 1; j < src.length; j++) {
            if (src[j].stored == src[0].stored) return; // the same key twice: nothing is left
        }
        Elements first = new Elements();
        src[0].collect(first);
        for (int e = 0; e < first.size; e++) {
            boolean elsewhere = false;
            for (int j = 1; j < src.length && !elsewhere; j++) {
                double s = src[j].find(first.members[e]);
                elsewhere = s == s;
            }
            if (!elsewhere) result.insert(first.scores[e], first.members[e]);
        }
    }

    /**
     * The result at dst (a listpack when small enough, as zsetConvertToListpackIfNeeded), or dst
     * deleted; {@code event} is the command's name (zunionstore, zinterstore, zdiffstore).
     */
    private static void store(Client c, byte[] dst, SkipList result, String event) {
        long maxEntries = SortedSetCommands.maxEntries(c), maxValue = SortedSetCommands.maxValue(c);
        ZSetValue z = ZSetValue.newSkiplist();
        for (SkipList.Node n = result.first(); n != null; n = n.next()) {
            z.add(n.score(), n.member(), 0, Long.MAX_VALUE, Long.MAX_VALUE);
        }
        z.convertToListpackIfSmall(maxEntries, maxValue);
        SortedSetRangeCommands.store(c, dst, z, z.length(), event);
    }

    /**
     * The union's accumulator: member to score by open addressing (no per-member objects), entries
     * kept in insertion order in parallel arrays.
     */
    private static final class ScoreMap {
        byte[][] members = new byte[16][];
        double[] scores = new double[16];
        int size;
        private int[] table = new int[32]; // index + 1, 0 = empty

        /** The member's index, or ~(table slot) where it would go. */
        int slot(byte[] m) {
            int mask = table.length - 1;
            int h = (int) KeyTable.hash(m) & mask;
            while (table[h] != 0) {
                int i = table[h] - 1;
                if (Arrays.equals(members[i], m)) return i;
                h = (h + 1) & mask;
            }
            return ~h;
        }

        void put(int tableSlot, byte[] m, double score) {
            if (size == members.length) {
                members = Arrays.copyOf(members, size * 2);
                scores = Arrays.copyOf(scores, size * 2);
            }
            members[size] = m;
            scores[size] = score;
            table[tableSlot] = ++size;
            if (size * 2 > table.length) rehash();
        }

        private void rehash() {
            table = new int[table.length * 2];
            int mask = table.length - 1;
            for (int i = 0; i < size; i++) {
                int h = (int) KeyTable.hash(members[i]) & mask;
                while (table[h] != 0) h = (h + 1) & mask;
                table[h] = i + 1;
            }
        }
    }
}
