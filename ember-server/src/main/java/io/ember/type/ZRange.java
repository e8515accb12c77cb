package io.ember.type;

import io.ember.util.Doubles;
import java.util.Arrays;

/**
 * An interval of a sorted set: by score (ZRANGEBYSCORE's {@code (1.5 +inf}) or by member
 * (ZRANGEBYLEX's {@code [a (b - +}), parsed exactly as zslParseRange / zslParseLexRange. Both
 * kinds answer the same two questions for a skiplist node or a listpack entry — is it at or
 * above the minimum, at or below the maximum — so the range walks are written once.
 */
public abstract sealed class ZRange permits ZRange.Score, ZRange.Lex {
    /** Whether no element can ever be inside (min above max, or equal with an exclusive end). */
    public abstract boolean alwaysEmpty();

    public abstract boolean gteMin(double score, byte[] member);

    public abstract boolean lteMax(double score, byte[] member);

    /** The same tests for the listpack entry pair at eptr (member) and sptr (score). */
    abstract boolean gteMin(byte[] lp, int eptr, int sptr);

    abstract boolean lteMax(byte[] lp, int eptr, int sptr);

    /** min/max by score; {@code (} makes an end exclusive. */
    public static final class Score extends ZRange {
        public final double min, max;
        public final boolean minex, maxex;

        public Score(double min, boolean minex, double max, boolean maxex) {
            this.min = min;
            this.minex = minex;
            this.max = max;
            this.maxex = maxex;
        }

        /**
         * zslParseRange: strtod after an optional '(' — leading spaces, "inf", overflow and an
         * empty string (0) are accepted, trailing garbage and NaN are not. Null on error.
         */
        public static Score parse(byte[] min, byte[] max) {
            boolean minex = min.length > 0 && min[0] == '(';
            boolean maxex = max.length > 0 && max[0] == '(';
            double lo = Doubles.parseRange(min, minex ? 1 : 0);
            double hi = Doubles.parseRange(max, maxex ? 1 : 0);
            if (lo != lo || hi != hi) return null;
            return new Score(lo, minex, hi, maxex);
        }

        @Override
        public boolean alwaysEmpty() {
            return min > max || (min == max && (minex || maxex));
        }

        @Override
        public boolean gteMin(double score, byte[] member) {
            return minex ? score > min : score >= min;
        }

        @Override
        public boolean lteMax(double score, byte[] member) {
            return maxex ? score < max : score <= max;
        }

        @Override
        boolean gteMin(byte[] lp, int eptr, int sptr) {
            return gteMin(ZListpack.score(lp, sptr), null);
        }

        @Override
        boolean lteMax(byte[] lp, int eptr, int sptr) {
            return lteMax(ZListpack.score(lp, sptr), null);
        }
    }

    /** min/max by member bytes: {@code [x} inclusive, {@code (x} exclusive, {@code -} and {@code +} the ends. */
    public static final class Lex extends ZRange {
        static final int MINUS = -1, VALUE = 0, PLUS = 1;
        final int minKind, maxKind;
        final byte[] min, max;
        final boolean minex, maxex;

        private Lex(int minKind, byte[] min, boolean minex, int maxKind, byte[] max, boolean maxex) {
            this.minKind = minKind;
            this.min = min;
            this.minex = minex;
            this.maxKind = maxKind;
            this.max = max;
            this.maxex = maxex;
        }

        /** zslParseLexRange; null when an item is not valid. */
        public static Lex parse(byte[] min, byte[] max) {
            int mk = kind(min), xk = kind(max);
            if (mk == Integer.MIN_VALUE || xk == Integer.MIN_VALUE) return null;
            return new Lex(mk, value(min, mk), mk != VALUE || min[0] == '(',
                    xk, value(max, xk), xk != VALUE || max[0] == '(');
        }

        /** zslParseLexRangeItem: the kind of an item, MIN_VALUE when invalid. "+" ends at a NUL as a C string does. */
        private static int kind(byte[] item) {
            if (item.length == 0) return Integer.MIN_VALUE;
            return switch (item[0]) {
                case '+' -> item.length == 1 || item[1] == 0 ? PLUS : Integer.MIN_VALUE;
                case '-' -> item.length == 1 || item[1] == 0 ? MINUS : Integer.MIN_VALUE;
                case '(', '[' -> VALUE;
                default -> Integer.MIN_VALUE;
            };
        }

        private static byte[] value(byte[] item, int kind) {
            return kind == VALUE ? Arrays.copyOfRange(item, 1, item.length) : null;
        }

        /** sdscmplex of a member against a bound of the given kind. */
        private static int cmp(byte[] member, int kind, byte[] bound) {
            if (kind == MINUS) return 1;
            if (kind == PLUS) return -1;
            return SkipList.compare(member, bound);
        }

        private static int cmpEntry(byte[] lp, int eptr, int kind, byte[] bound) {
            if (kind == MINUS) return 1;
            if (kind == PLUS) return -1;
            return ZListpack.compareMember(lp, eptr, bound);
        }

        @Override
        public boolean alwaysEmpty() {
            int c;
            if (minKind != VALUE && minKind == maxKind) c = 0;
            else if (minKind == MINUS || maxKind == PLUS) c = -1;
            else if (minKind == PLUS || maxKind == MINUS) c = 1;
            else c = SkipList.compare(min, max);
            return c > 0 || (c == 0 && (minex || maxex));
        }

        @Override
        public boolean gteMin(double score, byte[] member) {
            int c = cmp(member, minKind, min);
            return minex ? c > 0 : c >= 0;
        }

        @Override
        public boolean lteMax(double score, byte[] member) {
            int c = cmp(member, maxKind, max);
            return maxex ? c < 0 : c <= 0;
        }

        @Override
        boolean gteMin(byte[] lp, int eptr, int sptr) {
            int c = cmpEntry(lp, eptr, minKind, min);
            return minex ? c > 0 : c >= 0;
        }

        @Override
        boolean lteMax(byte[] lp, int eptr, int sptr) {
            int c = cmpEntry(lp, eptr, maxKind, max);
            return maxex ? c < 0 : c <= 0;
        }
    }
}
