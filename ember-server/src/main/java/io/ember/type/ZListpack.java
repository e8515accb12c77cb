package io.ember.type;

import io.ember.util.Doubles;
import io.ember.util.Numbers;

/**
 * The listpack encoding of a small sorted set (t_zset.c's zzl* functions): member and score
 * entries alternate, ordered by score then member bytes. A score is stored as Redis 7.0 stores
 * it ({@link #scoreText}: integral scores as listpack integers, others as text), so the bytes
 * are identical to Redis's. A stored text, and an integer below 2^53, is also exactly what
 * {@code "%.17g"} prints for the score, so replies copy it without parsing.
 *
 * <p>Entries are addressed by offset: {@code eptr} is a member entry, {@code sptr} the score
 * entry after it.
 */
final class ZListpack {
    private ZListpack() {}

    static int length(byte[] lp) {
        return Listpack.size(lp) / 2;
    }

    /** zzlGetScore: the score entry at sptr. */
    static double score(byte[] lp, int sptr) {
        if (Listpack.isInt(lp, sptr)) return Listpack.intValue(lp, sptr);
        return Doubles.parseStored(lp, Listpack.stringStart(lp, sptr), Listpack.stringLength(lp, sptr));
    }

    /** zzlCompareElements: the member at eptr against s, as memcmp then length. */
    static int compareMember(byte[] lp, int eptr, byte[] s) {
        if (Listpack.isInt(lp, eptr)) {
            byte[] digits = Numbers.toBytes(Listpack.intValue(lp, eptr));
            return SkipList.compare(digits, s);
        }
        int start = Listpack.stringStart(lp, eptr), len = Listpack.stringLength(lp, eptr);
        int n = Math.min(len, s.length);
        int c = java.util.Arrays.compareUnsigned(lp, start, start + n, s, 0, n);
        return c != 0 ? c : len - s.length;
    }

    /** zzlFind: the member's entry offset, or -1. */
    static int find(byte[] lp, byte[] member) {
        int first = Listpack.first(lp);
        return first < 0 ? -1 : Listpack.find(lp, first, member, 1);
    }

    /**
     * The entry zzlInsertAt stores for a score: an integral score in [-2^62, 2^62] as that
     * integer (double2ll; so -0 is stored as 0), anything else as d2string's text.
     */
    static byte[] scoreText(double score) {
        if (score >= -4611686018427387904.0 && score <= 4611686018427387904.0 && score == (double) (long) score) {
            return Numbers.toBytes((long) score);
        }
        return Doubles.d2string(score);
    }

    /** zzlInsert: adds a member known to be absent at its place by (score, member). */
    static byte[] insert(byte[] lp, byte[] member, double score) {
        int eptr = Listpack.first(lp);
        while (eptr >= 0) {
            int sptr = Listpack.next(lp, eptr);
            double s = score(lp, sptr);
            if (s > score || (s == score && compareMember(lp, eptr, member) > 0)) break;
            eptr = Listpack.next(lp, sptr);
        }
        return Listpack.insertPair(lp, eptr < 0 ? Listpack.totalBytes(lp) - 1 : eptr, member, scoreText(score));
    }

    /** zzlDelete: removes the pair whose member is at eptr. */
    static byte[] delete(byte[] lp, int eptr) {
        return Listpack.deleteRange(lp, eptr, 2);
    }

    /**
     * zzlIsInRange / zzlIsInLexRange: the range is not always empty, the last pair is at or above
     * the minimum and the first at or below the maximum. (With mixed scores a lex range is not
     * contiguous, so this early test changes answers; it must be Redis's.)
     */
    private static boolean mayIntersect(byte[] lp, ZRange r) {
        if (r.alwaysEmpty()) return false;
        int sptr = Listpack.last(lp);
        if (sptr < 0 || !r.gteMin(lp, Listpack.prev(lp, sptr), sptr)) return false;
        int eptr = Listpack.first(lp);
        return r.lteMax(lp, eptr, Listpack.next(lp, eptr));
    }

    /** zzlFirstInRange / zzlFirstInLexRange: the first member entry in range, or -1. */
    static int firstInRange(byte[] lp, ZRange r) {
        if (!mayIntersect(lp, r)) return -1;
        for (int eptr = Listpack.first(lp); eptr >= 0; ) {
            int sptr = Listpack.next(lp, eptr);
            if (r.gteMin(lp, eptr, sptr)) return r.lteMax(lp, eptr, sptr) ? eptr : -1;
            eptr = Listpack.next(lp, sptr);
        }
        return -1;
    }

    /** zzlLastInRange / zzlLastInLexRange: the last member entry in range, or -1. */
    static int lastInRange(byte[] lp, ZRange r) {
        if (!mayIntersect(lp, r)) return -1;
        int sptr = Listpack.last(lp);
        while (sptr >= 0) {
            int eptr = Listpack.prev(lp, sptr);
            if (r.lteMax(lp, eptr, sptr)) return r.gteMin(lp, eptr, sptr) ? eptr : -1;
            sptr = Listpack.prev(lp, eptr);
        }
        return -1;
    }
}
