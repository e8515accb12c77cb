package io.ember.type;

import io.ember.engine.KeyTable;
import java.util.Arrays;

/**
 * The dict of a skiplist-encoded sorted set: member to skiplist node, chained through the nodes
 * themselves (Redis's dictEntry folded into zskiplistNode), so a member costs one link field
 * and one bucket slot. Like Redis's dict and {@link KeyTable}: power-of-two tables, incremental
 * rehashing (two tables during a resize, each operation moves a bucket, so a resize never
 * stalls the engine), and the reverse-binary SCAN cursor, which visits every member present for
 * the whole scan at least once across resizes. Hashing is {@link KeyTable#hash}.
 */
public final class ZDict {
    private static final SkipList.Node[] EMPTY = new SkipList.Node[0];
    private static final int INITIAL = 4;
    /** Shrink when fewer members than 1/10 of the buckets (HASHTABLE_MIN_FILL). */
    private static final int MIN_FILL = 10;

    private SkipList.Node[] t0 = EMPTY;
    private SkipList.Node[] t1;

    /** Bucket slots allocated (memory estimate). */
    public int buckets() {
        return t0.length + (t1 == null ? 0 : t1.length);
    }
    private int rehashIndex = -1;
    private int size;

    int size() {
        return size;
    }

    SkipList.Node find(byte[] member) {
        if (size == 0) return null;
        if (t1 != null) rehashStep();
        long h = KeyTable.hash(member);
        SkipList.Node n = chainFind(t0, h, member);
        if (n == null && t1 != null) n = chainFind(t1, h, member);
        return n;
    }

    private static SkipList.Node chainFind(SkipList.Node[] t, long h, byte[] member) {
        if (t.length == 0) return null;
        for (SkipList.Node n = t[(int) h & (t.length - 1)]; n != null; n = n.chain) {
            if (Arrays.equals(n.ele, member)) return n;
        }
        return null;
    }

    /** Adds a node whose member is known to be absent. */
    void insert(SkipList.Node node) {
        if (t1 != null) rehashStep();
        else if (size >= t0.length) startResize(Math.max(INITIAL, t0.length * 2));
        SkipList.Node[] t = t1 != null ? t1 : t0;
        int b = (int) KeyTable.hash(node.ele) & (t.length - 1);
        node.chain = t[b];
        t[b] = node;
        size++;
    }

    /** Removes the member; returns its node, or null when absent. */
    SkipList.Node remove(byte[] member) {
        if (size == 0) return null;
        if (t1 != null) rehashStep();
        long h = KeyTable.hash(member);
        SkipList.Node n = chainRemove(t0, h, member);
        if (n == null && t1 != null) n = chainRemove(t1, h, member);
        if (n != null) size--;
        return n;
    }

    private static SkipList.Node chainRemove(SkipList.Node[] t, long h, byte[] member) {
        if (t.length == 0) return null;
        int b = (int) h & (t.length - 1);
        SkipList.Node prev = null;
        for (SkipList.Node n = t[b]; n != null; prev = n, n = n.chain) {
            if (!Arrays.equals(n.ele, member)) continue;
            if (prev == null) t[b] = n.chain;
            else prev.chain = n.chain;
            n.chain = null;
            return n;
        }
        return null;
    }

    // ---- incremental rehash -------------------------------------------------------------------

    private void startResize(int buckets) {
        t1 = new SkipList.Node[buckets];
        rehashIndex = 0;
        if (size == 0) finishRehash();
    }

    /** Moves one non-empty bucket (visiting at most 10 empty ones) to the new table. */
    private void rehashStep() {
        int empty = 10;
        while (rehashIndex < t0.length && t0[rehashIndex] == null) {
            rehashIndex++;
            if (--empty == 0) break;
        }
        if (rehashIndex < t0.length && t0[rehashIndex] != null) {
            int mask = t1.length - 1;
            for (SkipList.Node n = t0[rehashIndex], next; n != null; n = next) {
                next = n.chain;
                int b = (int) KeyTable.hash(n.ele) & mask;
                n.chain = t1[b];
                t1[b] = n;
            }
            t0[rehashIndex++] = null;
        }
        if (rehashIndex >= t0.length) finishRehash();
    }

    private void finishRehash() {
        t0 = t1;
        t1 = null;
        rehashIndex = -1;
    }

    /** Starts a shrink when mostly empty (ZREMRANGEBY*, as Redis's htNeedsResize/dictResize). */
    void shrinkIfSparse() {
        if (t1 != null || t0.length <= INITIAL || (long) size * 100 / t0.length >= MIN_FILL) return;
        int target = INITIAL;
        while (target < size) target <<= 1;
        if (target < t0.length) startResize(target);
    }

    // ---- scan ---------------------------------------------------------------------------------

    public interface Visitor {
        void visit(SkipList.Node n);
    }

    /** One step of dictScan (see KeyTable#scan); returns the next cursor, 0 when done. */
    long scan(long cursor, Visitor visitor) {
        if (size == 0) return 0;
        long v = cursor;
        if (t1 == null) {
            long m0 = t0.length - 1;
            visitChain(t0[(int) (v & m0)], visitor);
            v |= ~m0;
            return Long.reverse(Long.reverse(v) + 1);
        }
        SkipList.Node[] small = t0, large = t1;
        if (small.length > large.length) {
            small = t1;
            large = t0;
        }
        long m0 = small.length - 1, m1 = large.length - 1;
        visitChain(small[(int) (v & m0)], visitor);
        do {
            visitChain(large[(int) (v & m1)], visitor);
            v |= ~m1;
            v = Long.reverse(Long.reverse(v) + 1);
        } while ((v & (m0 ^ m1)) != 0);
        return v;
    }

    private static void visitChain(SkipList.Node n, Visitor visitor) {
        for (SkipList.Node next; n != null; n = next) {
            next = n.chain;
            visitor.visit(n);
        }
    }
}
