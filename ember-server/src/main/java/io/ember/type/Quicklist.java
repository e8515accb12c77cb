package io.ember.type;

import java.util.Arrays;

/**
 * A list value: Redis 7.0's quicklist, a sequence of {@link Listpack} nodes. Nodes are split,
 * filled and merged by the rules of quicklist.c (7.0), so a list holds the same nodes of the same
 * bytes as on redis-server (DEBUG OBJECT's ql_nodes and ql_uncompressed_size agree):
 * <ul>
 * <li>a push goes into the end node if {@code node bytes + element length + 8} stays within the
 *     node limit, else into a new node;</li>
 * <li>LINSERT into a full node goes into the neighbour (at the node's edge) or a new node, or
 *     splits the node and then tries to merge the nodes around the split;</li>
 * <li>pops, LREM, LTRIM delete entries and drop nodes that become empty, never merge;</li>
 * <li>LSET replaces in place, whatever the new size.</li>
 * </ul>
 * The node limit ({@code list-max-listpack-size}, fixed when the list is created) is a byte size
 * for -1..-5 (4 KB..64 KB) or an entry count for positive values (with 8 KB as a safety limit).
 * Compression (list-compress-depth) is not implemented.
 *
 * <p>Storage: the node listpacks sit in an array with free slots at both ends (pushes at either
 * end are amortized O(1) even with one element per node), with a parallel array of node entry
 * counts so index lookups skip whole nodes without touching their bytes. The head and tail nodes
 * may carry spare capacity after their EOF byte so pushes and pops at the ends work in place;
 * every other node is an exact-size array (interior nodes never change by a push).
 */
public final class Quicklist implements Values.Duplicable {
    private static final int[] OPTIMIZATION_LEVEL = {4096, 8192, 16384, 32768, 65536};
    /** Byte limit of a node when the fill is an entry count. */
    private static final int SIZE_SAFETY_LIMIT = 8192;
    /** quicklist.c's over-estimate of an entry's header and backlen when checking room. */
    private static final int SIZE_ESTIMATE_OVERHEAD = 8;
    private static final int FILL_MAX = (1 << 15) - 1;
    private static final int EOF = 0xFF;
    private static final int HDR = Listpack.HEADER_SIZE;

    private final int fill;
    private byte[][] nodes;
    private int[] counts;
    /** Array slot of node 0; nodes occupy [first, first + len). */
    private int first;
    private int len;
    private long count;
    /** Sum of the node arrays' lengths (their allocated bytes). */
    private long nodeBytes;

    /** An empty list whose nodes follow {@code fill} (list-max-listpack-size, clamped as Redis does). */
    public Quicklist(int fill) {
        this.fill = Math.max(-5, Math.min(FILL_MAX, fill));
        this.nodes = new byte[1][];
        this.counts = new int[1];
    }

    public long size() {
        return count;
    }

    /** The fill this list was created with (DEBUG OBJECT ql_listpack_max). */
    public int fill() {
        return fill;
    }

    public int nodeCount() {
        return len;
    }

    /** The listpack of node {@code i} (may have spare bytes after its EOF: use its header). */
    public byte[] node(int i) {
        return nodes[first + i];
    }

    public int nodeEntries(int i) {
        return counts[first + i];
    }

    /** Sum of the nodes' listpack sizes (DEBUG OBJECT ql_uncompressed_size). */
    public long listpackBytes() {
        long n = 0;
        for (int i = 0; i < len; i++) n += Listpack.totalBytes(node(i));
        return n;
    }

    /** Heap bytes of this value (object headers, arrays with their spare room), for memory reports. */
    public long heapBytes() {
        long n = 40 + align(16 + 4L * nodes.length) + align(16 + 4L * counts.length);
        for (int i = 0; i < len; i++) n += align(16 + node(i).length);
        return n;
    }

    private static long align(long n) {
        return (n + 7) & ~7L;
    }

    // ---- pushes and pops ----------------------------------------------------------------------

    public void pushHead(byte[] value) {
        if (allowInsert(0, value.length)) {
            prependInPlace(0, value);
        } else {
            insertNode(0, Listpack.prepend(Listpack.empty(), value), 1);
        }
        count++;
    }

    public void pushTail(byte[] value) {
        if (allowInsert(len - 1, value.length)) {
            appendInPlace(len - 1, value);
        } else {
            insertNode(len, Listpack.append(Listpack.empty(), value), 1);
        }
        count++;
    }

    /**
     * Appends a whole node as it is (quicklistAppendListpack, used when loading RDB quicklists):
     * the node keeps its entries even if it is larger than the fill allows, as in Redis.
     * {@code lp} must be a valid, non-empty, exact-size listpack.
     */
    public void appendNode(byte[] lp) {
        int n = Listpack.size(lp);
        insertNode(len, lp, n);
        count += n;
    }

    /** Removes and returns the first element, or null when empty. */
    public byte[] popHead() {
        if (len == 0) return null;
        byte[] lp = node(0);
        byte[] v = Listpack.get(lp, HDR);
        int n = counts[first];
        if (n == 1) {
            removeNode(0);
        } else {
            int total = Listpack.totalBytes(lp);
            int next = Listpack.next(lp, HDR);
            System.arraycopy(lp, next, lp, HDR, total - next);
            setHeader(lp, total - (next - HDR), n - 1);
            counts[first] = n - 1;
            shrinkIfSparse(0);
        }
        count--;
        return v;
    }

    /** Removes and returns the last element, or null when empty. */
    public byte[] popTail() {
        if (len == 0) return null;
        int k = len - 1;
        byte[] lp = node(k);
        int p = Listpack.last(lp);
        byte[] v = Listpack.get(lp, p);
        int n = counts[first + k];
        if (n == 1) {
            removeNode(k);
        } else {
            lp[p] = (byte) EOF;
            setHeader(lp, p + 1, n - 1);
            counts[first + k] = n - 1;
            shrinkIfSparse(k);
        }
        count--;
        return v;
    }

    // ---- index access -------------------------------------------------------------------------

    /** A cursor on the element at {@code index} (negative from the tail), or null when out of range. */
    public Cursor cursorAt(long index, boolean forward) {
        if (index < 0) index += count;
        if (index < 0 || index >= count) return null;
        int k;
        long acc;
        if (index <= (count - 1) / 2) { // walk from the nearer end, skipping whole nodes
            k = 0;
            acc = 0;
            while (acc + counts[first + k] <= index) acc += counts[first + k++];
        } else {
            k = len - 1;
            acc = count - counts[first + k];
            while (acc > index) acc -= counts[first + --k];
        }
        int at = (int) (index - acc);
        return new Cursor(k, Listpack.seek(node(k), at), at, forward);
    }

    /** The element at {@code index} (negative from the tail), or null. */
    public byte[] get(long index) {
        Cursor c = cursorAt(index, true);
        return c == null ? null : c.value();
    }

    /** LSET: replaces the element at {@code index} in place (no split, as in 7.0). False if out of range. */
    public boolean set(long index, byte[] value) {
        Cursor c = cursorAt(index, true);
        if (c == null) return false;
        setNode(c.node, Listpack.replace(node(c.node), c.offset, value), counts[first + c.node]);
        return true;
    }

    /**
     * quicklistDelRange: deletes {@code n} elements from {@code start} (negative from the tail),
     * clamped to the list; nodes that become empty are dropped, nothing is merged.
     */
    public void deleteRange(long start, long n) {
        if (n <= 0) return;
        long extent = n;
        if (start >= 0 && extent > count - start) extent = count - start;
        else if (start < 0 && extent > -start) extent = -start;
        Cursor c = cursorAt(start, true);
        if (c == null) return;
        int k = c.node;
        int offset = c.index;
        while (extent > 0) {
            int nodeCount = counts[first + k];
            long del;
            if (offset == 0 && extent >= nodeCount) {
                del = nodeCount;
            } else if (extent + offset >= nodeCount) {
                del = nodeCount - offset;
            } else {
                del = extent;
            }
            if (del == nodeCount) {
                removeNode(k); // the next node slides into slot k
            } else {
                byte[] lp = node(k);
                setNode(k, Listpack.deleteRange(lp, Listpack.seek(lp, offset), (int) del), nodeCount - (int) del);
                k++;
            }
            count -= del;
            extent -= del;
            offset = 0;
        }
    }

    // ---- insertion in the middle (LINSERT) ----------------------------------------------------

    /**
     * Inserts {@code value} before or after the cursor's element, as quicklist.c's _quicklistInsert
     * does. The cursor must not be used afterwards.
     */
    public void insert(Cursor at, byte[] value, boolean after) {
        int k = at.node;
        int idx = at.index;
        int sz = value.length;
        boolean full = !allowInsert(k, sz);
        boolean atTail = after && idx == counts[first + k] - 1;
        boolean atHead = !after && idx == 0;
        boolean availNext = atTail && allowInsert(k + 1, sz);
        boolean availPrev = atHead && allowInsert(k - 1, sz);
        byte[] lp = node(k);
        if (!full) {
            byte[] out = after ? Listpack.insertAfter(lp, at.offset, value) : Listpack.insertBefore(lp, at.offset, value);
            setNode(k, out, counts[first + k] + 1);
        } else if (availNext) {
            setNode(k + 1, Listpack.prepend(node(k + 1), value), counts[first + k + 1] + 1);
        } else if (availPrev) {
            setNode(k - 1, Listpack.append(node(k - 1), value), counts[first + k - 1] + 1);
        } else if (atTail || atHead) {
            insertNode(after ? k + 1 : k, Listpack.prepend(Listpack.empty(), value), 1);
        } else {
            splitAndInsert(k, idx, value, after);
        }
        count++;
    }

    /**
     * _quicklistSplitNode + insert: with {@code after} the node keeps [0, idx] and a new node
     * after it gets the value then (idx, end]; otherwise a new node before it gets [0, idx) then
     * the value, and the node keeps [idx, end]. Then the nodes around the original are merged.
     */
    private void splitAndInsert(int k, int idx, byte[] value, boolean after) {
        byte[] lp = node(k);
        int n = counts[first + k];
        if (after) {
            byte[] keep = Listpack.deleteRange(lp, Listpack.seek(lp, idx + 1), n - idx - 1);
            byte[] moved = Listpack.prepend(Listpack.deleteRange(lp, HDR, idx + 1), value);
            setNode(k, keep, idx + 1);
            insertNode(k + 1, moved, n - idx);
            mergeAround(k);
        } else {
            byte[] moved = Listpack.append(Listpack.deleteRange(lp, Listpack.seek(lp, idx), n - idx), value);
            byte[] keep = Listpack.deleteRange(lp, HDR, idx);
            setNode(k, keep, n - idx);
            insertNode(k, moved, idx + 1);
            mergeAround(k + 1);
        }
    }

    /**
     * _quicklistMergeNodes: try to merge (prev-prev, prev), (next, next-next), (prev, center) and
     * then the result with its next node, each when the merged node would respect the fill.
     */
    private void mergeAround(int c) {
        if (c >= 2 && allowMerge(c - 2, c - 1)) {
            mergeWithNext(c - 2);
            c--;
        }
        if (c + 2 < len && allowMerge(c + 1, c + 2)) mergeWithNext(c + 1);
        int target = c;
        if (c >= 1 && allowMerge(c - 1, c)) {
            mergeWithNext(c - 1);
            target = c - 1;
        }
        if (target + 1 < len && allowMerge(target, target + 1)) mergeWithNext(target);
    }

    /** Concatenates node k+1 into node k (lpMerge) and drops node k+1. */
    private void mergeWithNext(int k) {
        byte[] a = node(k), b = node(k + 1);
        int ta = Listpack.totalBytes(a), tb = Listpack.totalBytes(b);
        byte[] out = new byte[ta + tb - HDR - 1];
        System.arraycopy(a, 0, out, 0, ta - 1);
        System.arraycopy(b, HDR, out, ta - 1, tb - HDR);
        int n = counts[first + k] + counts[first + k + 1];
        setHeader(out, out.length, n);
        setNode(k, out, n);
        removeNode(k + 1);
    }

    // ---- node limits (quicklist.c) ------------------------------------------------------------

    /** _quicklistNodeAllowInsert: may an element of {@code sz} bytes go into node k? */
    private boolean allowInsert(int k, int sz) {
        if (k < 0 || k >= len) return false;
        long newSz = (long) Listpack.totalBytes(node(k)) + sz + SIZE_ESTIMATE_OVERHEAD;
        if (fill < 0) return newSz <= OPTIMIZATION_LEVEL[-fill - 1];
        return newSz <= SIZE_SAFETY_LIMIT && counts[first + k] < fill;
    }

    /** _quicklistNodeAllowMerge (7.0 still subtracts the 11 bytes of a ziplist header). */
    private boolean allowMerge(int a, int b) {
        long mergeSz = (long) Listpack.totalBytes(node(a)) + Listpack.totalBytes(node(b)) - 11;
        if (fill < 0) return mergeSz <= OPTIMIZATION_LEVEL[-fill - 1];
        return mergeSz <= SIZE_SAFETY_LIMIT && counts[first + a] + counts[first + b] <= fill;
    }

    /** Largest size a node reaches by pushes: spare capacity beyond it would never be used. */
    private int nodeByteLimit() {
        return fill < 0 ? OPTIMIZATION_LEVEL[-fill - 1] : SIZE_SAFETY_LIMIT;
    }

    // ---- in-place edits of the end nodes ------------------------------------------------------

    private void appendInPlace(int k, byte[] value) {
        byte[] entry = Listpack.encode(value);
        byte[] lp = node(k);
        int total = Listpack.totalBytes(lp);
        int needed = total + entry.length;
        if (lp.length < needed) lp = grow(lp, total, needed);
        System.arraycopy(entry, 0, lp, total - 1, entry.length);
        lp[needed - 1] = (byte) EOF;
        int n = counts[first + k] + 1;
        setHeader(lp, needed, n);
        put(first + k, lp);
        counts[first + k] = n;
    }

    private void prependInPlace(int k, byte[] value) {
        byte[] entry = Listpack.encode(value);
        byte[] lp = node(k);
        int total = Listpack.totalBytes(lp);
        int needed = total + entry.length;
        if (lp.length < needed) lp = grow(lp, total, needed);
        System.arraycopy(lp, HDR, lp, HDR + entry.length, total - HDR);
        System.arraycopy(entry, 0, lp, HDR, entry.length);
        int n = counts[first + k] + 1;
        setHeader(lp, needed, n);
        put(first + k, lp);
        counts[first + k] = n;
    }

    /** A larger copy of an end node: half as much again, up to the node limit. */
    private byte[] grow(byte[] lp, int used, int needed) {
        int cap = Math.max(needed, Math.min(used + (used >> 1) + 16, nodeByteLimit()));
        return Arrays.copyOf(lp, cap);
    }

    /** After a pop: give back spare room once it is more than the bytes in use. */
    private void shrinkIfSparse(int k) {
        byte[] lp = node(k);
        int total = Listpack.totalBytes(lp);
        if (lp.length - total > 64 && lp.length > 2 * total) put(first + k, Arrays.copyOf(lp, total));
    }

    private void trimToSize(int k) {
        if (k < 0 || k >= len) return;
        byte[] lp = node(k);
        int total = Listpack.totalBytes(lp);
        if (lp.length != total) put(first + k, Arrays.copyOf(lp, total));
    }

    private static void setHeader(byte[] lp, int total, int n) {
        lp[0] = (byte) total;
        lp[1] = (byte) (total >>> 8);
        lp[2] = (byte) (total >>> 16);
        lp[3] = (byte) (total >>> 24);
        int stored = Math.min(n, 65535); // 65535: "unknown", counted by walking
        lp[4] = (byte) stored;
        lp[5] = (byte) (stored >>> 8);
    }

    // ---- the node array -----------------------------------------------------------------------

    private void setNode(int k, byte[] lp, int n) {
        put(first + k, lp);
        counts[first + k] = n;
    }

    /** Stores a node array, keeping {@link #nodeBytes} in step. */
    private void put(int index, byte[] lp) {
        byte[] old = nodes[index];
        nodeBytes += lp.length - (old == null ? 0 : old.length);
        nodes[index] = lp;
    }

    /**
     * Estimated heap bytes of the list: this object, the node and count arrays, and every node's
     * listpack array (allocated length plus its array header). O(1).
     */
    public long memoryBytes() {
        return 64 + 16 + 8L * nodes.length + 16 + 4L * counts.length + nodeBytes + 16L * len;
    }

    /** Inserts a node at position i (0..len); its neighbours become exact-size arrays. */
    private void insertNode(int i, byte[] lp, int n) {
        makeRoom(i);
        len++;
        setNode(i, lp, n);
        trimToSize(i - 1);
        trimToSize(i + 1);
    }

    /** Frees the slot of position i, shifting the cheaper side or reallocating centered. */
    private void makeRoom(int i) {
        int cap = nodes.length;
        if (i == 0 && first > 0) {
            first--;
            return;
        }
        if (i == len && first + len < cap) return;
        if (i != 0 && i != len) {
            if (first + len < cap) {
                System.arraycopy(nodes, first + i, nodes, first + i + 1, len - i);
                System.arraycopy(counts, first + i, counts, first + i + 1, len - i);
                return;
            }
            if (first > 0) {
                System.arraycopy(nodes, first, nodes, first - 1, i);
                System.arraycopy(counts, first, counts, first - 1, i);
                first--;
                return;
            }
        }
        int newCap = len + 1 > cap / 2 ? Math.max(4, cap * 2) : cap;
        relocate(newCap, i);
    }

    /** Copies the nodes into new arrays of {@code newCap}, centered, leaving slot i free (-1: none). */
    private void relocate(int newCap, int gap) {
        int used = gap >= 0 ? len + 1 : len;
        int newFirst = (newCap - used) / 2;
        byte[][] nn = new byte[newCap][];
        int[] nc = new int[newCap];
        if (gap < 0) {
            System.arraycopy(nodes, first, nn, newFirst, len);
            System.arraycopy(counts, first, nc, newFirst, len);
        } else {
            System.arraycopy(nodes, first, nn, newFirst, gap);
            System.arraycopy(counts, first, nc, newFirst, gap);
            System.arraycopy(nodes, first + gap, nn, newFirst + gap + 1, len - gap);
            System.arraycopy(counts, first + gap, nc, newFirst + gap + 1, len - gap);
        }
        nodes = nn;
        counts = nc;
        first = newFirst;
    }

    private void removeNode(int i) {
        nodeBytes -= nodes[first + i].length;
        if (i == 0) {
            nodes[first] = null;
            first++;
        } else if (i == len - 1) {
            nodes[first + i] = null;
        } else if (i < len / 2) {
            System.arraycopy(nodes, first, nodes, first + 1, i);
            System.arraycopy(counts, first, counts, first + 1, i);
            nodes[first] = null;
            first++;
        } else {
            System.arraycopy(nodes, first + i + 1, nodes, first + i, len - i - 1);
            System.arraycopy(counts, first + i + 1, counts, first + i, len - i - 1);
            nodes[first + len - 1] = null;
        }
        len--;
        if (len == 0) first = nodes.length / 2;
        else if (nodes.length > 16 && len < nodes.length / 4) relocate(nodes.length / 2, -1);
    }

    // ---- copying ------------------------------------------------------------------------------

    @Override
    public Quicklist duplicate() {
        Quicklist q = new Quicklist(fill);
        q.nodes = new byte[Math.max(1, len)][];
        q.counts = new int[Math.max(1, len)];
        for (int i = 0; i < len; i++) {
            byte[] lp = node(i);
            q.nodes[i] = Arrays.copyOf(lp, Listpack.totalBytes(lp));
            q.nodeBytes += q.nodes[i].length;
            q.counts[i] = counts[first + i];
        }
        q.len = len;
        q.count = count;
        return q;
    }

    /**
     * A position in the list, moving head-to-tail ({@code forward}) or tail-to-head. Valid until
     * the list changes other than through {@link #delete}.
     */
    public final class Cursor {
        private int node;
        /** Byte offset of the current entry in its node, -1 once past the end. */
        private int offset;
        /** Index of the current entry within its node. */
        private int index;
        private final boolean forward;

        private Cursor(int node, int offset, int index, boolean forward) {
            this.node = node;
            this.offset = offset;
            this.index = index;
            this.forward = forward;
        }

        public boolean valid() {
            return offset >= 0;
        }

        /** The current entry's listpack and offset, for reading it without a copy. */
        public byte[] listpack() {
            return Quicklist.this.node(node);
        }

        public int offset() {
            return offset;
        }

        public byte[] value() {
            return Listpack.get(listpack(), offset);
        }

        public boolean matches(byte[] s) {
            return Listpack.equals(listpack(), offset, s);
        }

        public void next() {
            byte[] lp = listpack();
            if (forward) {
                int q = Listpack.next(lp, offset);
                if (q >= 0) {
                    offset = q;
                    index++;
                } else {
                    enterNode(node + 1);
                }
            } else {
                int q = Listpack.prev(lp, offset);
                if (q >= 0) {
                    offset = q;
                    index--;
                } else {
                    enterNode(node - 1);
                }
            }
        }

        /** Moves to the first (forward) or last entry of node k, or past the end. */
        private void enterNode(int k) {
            node = k;
            if (k < 0 || k >= len) {
                offset = -1;
            } else if (forward) {
                offset = HDR;
                index = 0;
            } else {
                offset = Listpack.last(Quicklist.this.node(k));
                index = counts[first + k] - 1;
            }
        }

        /**
         * Deletes the current element and moves on to the next one in the cursor's direction
         * (quicklistDelEntry); a node left empty is dropped.
         */
        public void delete() {
            int n = counts[first + node];
            count--;
            if (n == 1) {
                removeNode(node);
                enterNode(forward ? node : node - 1);
                return;
            }
            byte[] lp = listpack();
            int prev = forward ? -1 : Listpack.prev(lp, offset);
            byte[] out = Listpack.delete(lp, offset);
            setNode(node, out, n - 1);
            if (forward) {
                if ((out[offset] & 0xff) == EOF) enterNode(node + 1);
            } else if (prev >= 0) {
                offset = prev;
                index--;
            } else {
                enterNode(node - 1);
            }
        }
    }
}
