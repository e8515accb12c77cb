package io.ember.type;

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

    /**
     * One member: its score, the way back, and per level the next node and the span to it. The
     * first three levels are fields of the node itself — a node of level 1, 2 or 3 is one object
     * of exactly its size ({@link Node}, {@link Node2}, {@link Node3}) — and only the rare higher
     * levels (1 node in 64) go to arrays. A descent then reads each next score from the node it
     * already holds, without a second load through an array, as Redis's inline level array does.
     */
    public static class Node {
        final byte[] ele;
        double score;
        Node backward;
        Node next0;
        int span0;
        /** The next node in the same bucket of the set's {@link ZDict}. */
        Node chain;

        Node(double score, byte[] ele) {
            this.ele = ele;
            this.score = score;
        }

        public byte[] member() {
            return ele;
        }

        public double score() {
            return score;
        }

        /** The next node in ascending order, or null at the tail. */
        public Node next() {
            return next0;
        }

        /** The previous node, or null at the head. */
        public Node prev() {
            return backward;
        }

        int level() {
            return 1;
        }
    }

    static class Node2 extends Node {
        Node next1;
        int span1;

        Node2(double score, byte[] ele) {
            super(score, ele);
        }

        @Override
        int level() {
            return 2;
        }
    }

    static class Node3 extends Node2 {
        Node next2;
        int span2;

        Node3(double score, byte[] ele) {
            super(score, ele);
        }

        @Override
        int level() {
            return 3;
        }
    }

    /** Four levels or more: levels 3 and up (index i - 3) in arrays. */
    static final class NodeN extends Node3 {
        final Node[] up;
        final int[] upSpan;

        NodeN(int level, double score, byte[] ele) {
            super(score, ele);
            up = new Node[level - 3];
            upSpan = new int[level - 3];
        }

        @Override
        int level() {
            return up.length + 3;
        }
    }

    private static Node newNode(int level, double score, byte[] ele) {
        return switch (level) {
            case 1 -> new Node(score, ele);
            case 2 -> new Node2(score, ele);
            case 3 -> new Node3(score, ele);
            default -> new NodeN(level, score, ele);
        };
    }

    private static Node fwd(Node x, int i) {
        return switch (i) {
            case 0 -> x.next0;
            case 1 -> ((Node2) x).next1;
            case 2 -> ((Node3) x).next2;
            default -> ((NodeN) x).up[i - 3];
        };
    }

    private static void setFwd(Node x, int i, Node n) {
        switch (i) {
            case 0 -> x.next0 = n;
            case 1 -> ((Node2) x).next1 = n;
            case 2 -> ((Node3) x).next2 = n;
            default -> ((NodeN) x).up[i - 3] = n;
        }
    }

    private static int span(Node x, int i) {
        return switch (i) {
            case 0 -> x.span0;
            case 1 -> ((Node2) x).span1;
            case 2 -> ((Node3) x).span2;
            default -> ((NodeN) x).upSpan[i - 3];
        };
    }

    private static void setSpan(Node x, int i, int v) {
        switch (i) {
            case 0 -> x.span0 = v;
            case 1 -> ((Node2) x).span1 = v;
            case 2 -> ((Node3) x).span2 = v;
            default -> ((NodeN) x).upSpan[i - 3] = v;
        }
    }

    private final Node header = newNode(MAX_LEVEL, 0, null);
    /** Sum of the linked members' lengths (memory estimate). */
    private long memberBytes;

    public long memberBytes() {
        return memberBytes;
    }
    private Node tail;
    private int length;
    private int level = 1;

    public int length() {
        return length;
    }

    public Node first() {
        return fwd(header, 0);
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
        return link(newNode(randomLevel(), score, ele));
    }

    /** Links node x (its level, score and member set, its links not) at its place. */
    private Node link(Node x) {
        double score = x.score;
        byte[] ele = x.ele;
        int newLevel = x.level();
        int levels = Math.max(level, newLevel);
        Node[] update = new Node[levels];
        int[] rank = new int[levels];
        Node p = header;
        for (int i = level - 1; i >= 0; i--) {
            rank[i] = i == level - 1 ? 0 : rank[i + 1];
            for (Node n; (n = fwd(p, i)) != null && before(n, score, ele); p = n) rank[i] += span(p, i);
            update[i] = p;
        }
        if (newLevel > level) {
            for (int i = level; i < newLevel; i++) {
                rank[i] = 0;
                update[i] = header;
                setSpan(header, i, length);
            }
            level = newLevel;
        }
        for (int i = 0; i < newLevel; i++) {
            setFwd(x, i, fwd(update[i], i));
            setFwd(update[i], i, x);
            setSpan(x, i, span(update[i], i) - (rank[0] - rank[i]));
            setSpan(update[i], i, rank[0] - rank[i] + 1);
        }
        for (int i = newLevel; i < level; i++) setSpan(update[i], i, span(update[i], i) + 1);
        x.backward = update[0] == header ? null : update[0];
        if (fwd(x, 0) != null) fwd(x, 0).backward = x;
        else tail = x;
        length++;
        memberBytes += x.ele.length;
        return x;
    }

    /** The nodes before (score, ele) at each level (the update vector of zslDelete). */
    private Node[] predecessors(double score, byte[] ele) {
        Node[] update = new Node[level];
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            for (Node n; (n = fwd(x, i)) != null && before(n, score, ele); ) x = n;
            update[i] = x;
        }
        return update;
    }

    /** zslDeleteNode: unlinks x given its predecessors. */
    private void unlink(Node x, Node[] update) {
        memberBytes -= x.ele.length;
        for (int i = 0; i < level; i++) {
            if (fwd(update[i], i) == x) {
                setSpan(update[i], i, span(update[i], i) + span(x, i) - 1);
                setFwd(update[i], i, fwd(x, i));
            } else {
                setSpan(update[i], i, span(update[i], i) - 1);
            }
        }
        if (fwd(x, 0) != null) fwd(x, 0).backward = x.backward;
        else tail = x.backward;
        while (level > 1 && fwd(header, level - 1) == null) level--;
        length--;
    }

    /** zslDelete: removes (score, ele); returns false when absent. */
    public boolean delete(double score, byte[] ele) {
        Node[] update = predecessors(score, ele);
        Node x = fwd(update[0], 0);
        if (x == null || x.score != score || compare(x.ele, ele) != 0) return false;
        unlink(x, update);
        return true;
    }

    /** Removes a node of this list (found through the dict). */
    public void delete(Node x) {
        unlink(x, predecessors(x.score, x.ele));
    }

    /**
     * zslUpdateScore: moves the existing node x to {@code newScore}: updated in place when it
     * keeps its position, else unlinked and linked again at its new place. Redis descends to x
     * before checking whether it stays put; its neighbours tell that without the descent, which
     * is only needed to unlink it. Redis allocates a new node (with a new random level) at the
     * new place; reusing x and its level keeps the dict's link valid and the levels just as random.
     */
    public void updateScore(Node x, double newScore) {
        if ((x.backward == null || x.backward.score < newScore)
                && (fwd(x, 0) == null || fwd(x, 0).score > newScore)) {
            x.score = newScore;
            return;
        }
        unlink(x, predecessors(x.score, x.ele));
        x.score = newScore;
        link(x);
    }

    /** zslGetRank: 1-based rank of (score, ele), 0 when absent. */
    public long rank(double score, byte[] ele) {
        long rank = 0;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            for (Node n; (n = fwd(x, i)) != null && (n.score < score || (n.score == score && compare(n.ele, ele) <= 0)); x = n) {
                rank += span(x, i);
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
            while (fwd(x, i) != null && traversed + span(x, i) <= rank) {
                traversed += span(x, i);
                x = fwd(x, i);
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
        Node x = fwd(header, 0);
        return x != null && r.lteMax(x.score, x.ele);
    }

    /** zslFirstInRange / zslFirstInLexRange: the lowest node in the range, or null. */
    public Node firstInRange(ZRange r) {
        if (!mayIntersect(r)) return null;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            for (Node n; (n = fwd(x, i)) != null && !r.gteMin(n.score, n.ele); ) x = n;
        }
        x = fwd(x, 0);
        return r.lteMax(x.score, x.ele) ? x : null;
    }

    /** zslLastInRange / zslLastInLexRange: the highest node in the range, or null. */
    public Node lastInRange(ZRange r) {
        if (!mayIntersect(r)) return null;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            for (Node n; (n = fwd(x, i)) != null && r.lteMax(n.score, n.ele); ) x = n;
        }
        return r.gteMin(x.score, x.ele) ? x : null;
    }

    /**
     * zslDeleteRangeByScore / ByLex: removes every node in the range, and its member from
     * {@code dict}; returns how many.
     */
    public long deleteRange(ZRange r, ZDict dict) {
        Node[] update = new Node[level];
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            for (Node n; (n = fwd(x, i)) != null && !r.gteMin(n.score, n.ele); ) x = n;
            update[i] = x;
        }
        x = fwd(x, 0);
        long n = 0;
        while (x != null && r.lteMax(x.score, x.ele)) {
            Node next = fwd(x, 0);
            unlink(x, update);
            dict.remove(x.ele);
            n++;
            x = next;
        }
        return n;
    }

    /** zslDeleteRangeByRank: removes 1-based ranks [start, end] (and from {@code dict}); returns how many. */
    public long deleteRangeByRank(long start, long end, ZDict dict) {
        Node[] update = new Node[level];
        long traversed = 0;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (fwd(x, i) != null && traversed + span(x, i) < start) {
                traversed += span(x, i);
                x = fwd(x, i);
            }
            update[i] = x;
        }
        traversed++;
        x = fwd(x, 0);
        long n = 0;
        while (x != null && traversed <= end) {
            Node next = fwd(x, 0);
            unlink(x, update);
            dict.remove(x.ele);
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
        for (Node x = fwd(header, 0); x != null; x = fwd(x, 0)) {
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
            while (fwd(x, i) != null) {
                long target = rank(fwd(x, i));
                if (pos + span(x, i) != target) return "span at level " + i;
                pos = target;
                x = fwd(x, i);
            }
        }
        for (int i = level; i < MAX_LEVEL; i++) if (fwd(header, i) != null) return "level " + level;
        return null;
    }
}
