package io.ember.type;

import io.ember.engine.KeyTable;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Redis's zskiplist (t_zset.c): nodes ordered by (score, member bytes), each level's forward
 * link carrying the number of nodes it jumps over (its span), so a node's rank and the node at
 * a rank are both found in O(log n), like the score and lex range bounds. Level k is reached
 * with probability 1/4^k, at most 32 levels, as in Redis.
 *
 * <p>Ranks here are 1-based, as zslGetRank's; members are compared as unsigned bytes with the
 * shorter prefix first (sdscmp). Member arrays are never modified, so they may be shared with
 * the dict and with results of other commands.
 */
public final class SkipList {
    static final int MAX_LEVEL = 32;

    /** One member: its score, the way back, and per level the next node and the span to it. */
    public static final class Node {
        final byte[] ele;
        double score;
        Node backward;
        final Node[] forward;
        final int[] span;

        Node(int level, double score, byte[] ele) {
            this.ele = ele;
            this.score = score;
            this.forward = new Node[level];
            this.span = new int[level];
        }

        public byte[] member() {
            return ele;
        }

        public double score() {
            return score;
        }

        /** The next node in ascending order, or null at the tail. */
        public Node next() {
            return forward[0];
        }

        /** The previous node, or null at the head. */
        public Node prev() {
            return backward;
        }
    }

    private final Node header = new Node(MAX_LEVEL, 0, null);
    private Node tail;
    private int length;
    private int level = 1;

    public int length() {
        return length;
    }

    public Node first() {
        return header.forward[0];
    }

    public Node last() {
        return tail;
    }

    /** sdscmp: unsigned bytes, then length. */
    static int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    /** Whether node x sorts before (score, ele). */
    private static boolean before(Node x, double score, byte[] ele) {
        return x.score < score || (x.score == score && compare(x.ele, ele) < 0);
    }

    /** zslRandomLevel: each further level with probability 1/4. */
    private static int randomLevel() {
        int bits = ThreadLocalRandom.current().nextInt();
        int lvl = 1;
        // two random bits per level: all zero (probability 1/4) means one level more
        while ((bits & 3) == 0 && lvl < 16) {
            lvl++;
            bits >>>= 2;
        }
        if (lvl == 16) { // astronomically rare: continue with fresh bits up to MAX_LEVEL
            while (lvl < MAX_LEVEL && (ThreadLocalRandom.current().nextInt() & 3) == 0) lvl++;
        }
        return lvl;
    }

    /** zslInsert: adds a member known to be absent; returns its node. */
    public Node insert(double score, byte[] ele) {
        int newLevel = randomLevel();
        int levels = Math.max(level, newLevel);
        Node[] update = new Node[levels];
        int[] rank = new int[levels];
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            rank[i] = i == level - 1 ? 0 : rank[i + 1];
            while (x.forward[i] != null && before(x.forward[i], score, ele)) {
                rank[i] += x.span[i];
                x = x.forward[i];
            }
            update[i] = x;
        }
        if (newLevel > level) {
            for (int i = level; i < newLevel; i++) {
                rank[i] = 0;
                update[i] = header;
                header.span[i] = length;
            }
            level = newLevel;
        }
        x = new Node(newLevel, score, ele);
        for (int i = 0; i < newLevel; i++) {
            x.forward[i] = update[i].forward[i];
            update[i].forward[i] = x;
            x.span[i] = update[i].span[i] - (rank[0] - rank[i]);
            update[i].span[i] = rank[0] - rank[i] + 1;
        }
        for (int i = newLevel; i < level; i++) update[i].span[i]++;
        x.backward = update[0] == header ? null : update[0];
        if (x.forward[0] != null) x.forward[0].backward = x;
        else tail = x;
        length++;
        return x;
    }

    /** The nodes before (score, ele) at each level (the update vector of zslDelete). */
    private Node[] predecessors(double score, byte[] ele) {
        Node[] update = new Node[level];
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && before(x.forward[i], score, ele)) x = x.forward[i];
            update[i] = x;
        }
        return update;
    }

    /** zslDeleteNode: unlinks x given its predecessors. */
    private void unlink(Node x, Node[] update) {
        for (int i = 0; i < level; i++) {
            if (update[i].forward[i] == x) {
                update[i].span[i] += x.span[i] - 1;
                update[i].forward[i] = x.forward[i];
            } else {
                update[i].span[i]--;
            }
        }
        if (x.forward[0] != null) x.forward[0].backward = x.backward;
        else tail = x.backward;
        while (level > 1 && header.forward[level - 1] == null) level--;
        length--;
    }

    /** zslDelete: removes (score, ele); returns false when absent. */
    public boolean delete(double score, byte[] ele) {
        Node[] update = predecessors(score, ele);
        Node x = update[0].forward[0];
        if (x == null || x.score != score || compare(x.ele, ele) != 0) return false;
        unlink(x, update);
        return true;
    }

    /** Removes a node of this list (found through the dict). */
    public void delete(Node x) {
        unlink(x, predecessors(x.score, x.ele));
    }

    /**
     * zslUpdateScore: moves the existing node x to {@code newScore}. Updated in place when it
     * keeps its position, else removed and reinserted; returns the node now holding the member.
     */
    public Node updateScore(Node x, double newScore) {
        Node[] update = predecessors(x.score, x.ele);
        if ((x.backward == null || x.backward.score < newScore)
                && (x.forward[0] == null || x.forward[0].score > newScore)) {
            x.score = newScore;
            return x;
        }
        unlink(x, update);
        return insert(newScore, x.ele);
    }

    /** zslGetRank: 1-based rank of (score, ele), 0 when absent. */
    public long rank(double score, byte[] ele) {
        long rank = 0;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && (x.forward[i].score < score
                    || (x.forward[i].score == score && compare(x.forward[i].ele, ele) <= 0))) {
                rank += x.span[i];
                x = x.forward[i];
            }
            if (x.ele != null && x.score == score && compare(x.ele, ele) == 0) return rank;
        }
        return 0;
    }

    public long rank(Node n) {
        return rank(n.score, n.ele);
    }

    /** zslGetElementByRank: the node at 1-based {@code rank}, or null. */
    public Node byRank(long rank) {
        long traversed = 0;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && traversed + x.span[i] <= rank) {
                traversed += x.span[i];
                x = x.forward[i];
            }
            if (traversed == rank) return x == header ? null : x;
        }
        return null;
    }

    // ---- ranges -------------------------------------------------------------------------------

    /** zslIsInRange / zslIsInLexRange: whether any node can be in the range. */
    private boolean mayIntersect(ZRange r) {
        if (r.alwaysEmpty()) return false;
        if (tail == null || !r.gteMin(tail.score, tail.ele)) return false;
        Node x = header.forward[0];
        return x != null && r.lteMax(x.score, x.ele);
    }

    /** zslFirstInRange / zslFirstInLexRange: the lowest node in the range, or null. */
    public Node firstInRange(ZRange r) {
        if (!mayIntersect(r)) return null;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && !r.gteMin(x.forward[i].score, x.forward[i].ele)) x = x.forward[i];
        }
        x = x.forward[0];
        return r.lteMax(x.score, x.ele) ? x : null;
    }

    /** zslLastInRange / zslLastInLexRange: the highest node in the range, or null. */
    public Node lastInRange(ZRange r) {
        if (!mayIntersect(r)) return null;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && r.lteMax(x.forward[i].score, x.forward[i].ele)) x = x.forward[i];
        }
        return r.gteMin(x.score, x.ele) ? x : null;
    }

    /**
     * zslDeleteRangeByScore / ByLex: removes every node in the range, and its member from
     * {@code dict}; returns how many.
     */
    public long deleteRange(ZRange r, KeyTable dict) {
        Node[] update = new Node[level];
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && !r.gteMin(x.forward[i].score, x.forward[i].ele)) x = x.forward[i];
            update[i] = x;
        }
        x = x.forward[0];
        long n = 0;
        while (x != null && r.lteMax(x.score, x.ele)) {
            Node next = x.forward[0];
            unlink(x, update);
            dict.delete(x.ele);
            n++;
            x = next;
        }
        return n;
    }

    /** zslDeleteRangeByRank: removes 1-based ranks [start, end] (and from {@code dict}); returns how many. */
    public long deleteRangeByRank(long start, long end, KeyTable dict) {
        Node[] update = new Node[level];
        long traversed = 0;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && traversed + x.span[i] < start) {
                traversed += x.span[i];
                x = x.forward[i];
            }
            update[i] = x;
        }
        traversed++;
        x = x.forward[0];
        long n = 0;
        while (x != null && traversed <= end) {
            Node next = x.forward[0];
            unlink(x, update);
            dict.delete(x.ele);
            n++;
            traversed++;
            x = next;
        }
        return n;
    }

    /** Checks every link, span and back pointer (tests). Returns null when consistent, else what is wrong. */
    public String check() {
        int n = 0;
        Node prev = null;
        for (Node x = header.forward[0]; x != null; x = x.forward[0]) {
            n++;
            if (x.backward != prev) return "backward link of node " + n;
            if (prev != null && !before(prev, x.score, x.ele)) return "order at node " + n;
            prev = x;
        }
        if (n != length) return "length " + length + " but " + n + " nodes";
        if (tail != prev) return "tail";
        for (int i = 0; i < level; i++) {
            long pos = 0;
            Node x = header;
            while (x.forward[i] != null) {
                long target = rank(x.forward[i]);
                if (pos + x.span[i] != target) return "span at level " + i;
                pos = target;
                x = x.forward[i];
            }
        }
        for (int i = level; i < MAX_LEVEL; i++) if (header.forward[i] != null) return "level " + level;
        return null;
    }
}
