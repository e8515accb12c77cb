package io.ember.type;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A stream (t_stream.c): entries ordered by ID, each a flat list of field, value, field,
 * value...; the stream's counters (last generated ID, max deleted ID, entries added); and its
 * consumer groups.
 *
 * <p>Entries are packed into nodes as Redis packs them into listpacks: a node starts at its first
 * entry's ID (the "master ID", its key in {@link #nodes}) and takes new entries until it holds
 * {@link #NODE_MAX_ENTRIES} entries, deleted ones included, or {@link #NODE_MAX_BYTES} bytes.
 * An entry is stored in its node's byte array as: a flags byte (1 = deleted), the ms delta
 * from the master ID and the sequence number as unsigned varints, the number of strings, then
 * each string as a varint length and its bytes; so an entry costs its strings plus a few bytes.
 * XDEL only flags an entry, and a node goes away when its last live entry does, as in Redis.
 * Node boundaries also matter for behaviour: approximate trimming (~) removes whole nodes only.
 */
public final class StreamValue implements Values.Duplicable {
    /** Redis's stream-node-max-entries and stream-node-max-bytes defaults. */
    public static final int NODE_MAX_ENTRIES = 100;
    public static final int NODE_MAX_BYTES = 4096;

    private static final byte DELETED = 1;

    /** A node (one listpack in Redis). */
    public static final class Node {
        final StreamId master;
        byte[] buf;
        int used;
        public int live;
        public int deleted;
        /** The last ID added to the node, deleted or not (what lpGetEdgeStreamID reads). */
        public StreamId lastEver;

        Node(StreamId master, int capacity) {
            this.master = master;
            this.buf = new byte[capacity];
        }

        Node copy() {
            Node n = new Node(master, 0);
            n.buf = java.util.Arrays.copyOf(buf, used);
            n.used = used;
            n.live = live;
            n.deleted = deleted;
            n.lastEver = lastEver;
            return n;
        }
    }

    public final TreeMap<StreamId, Node> nodes = new TreeMap<>();
    private long length;
    public StreamId lastId = StreamId.MIN;
    public StreamId maxDeletedId = StreamId.MIN;
    /** All entries ever added (entries_added). */
    public long entriesAdded;
    /** Consumer groups by name (byte order, as Redis's rax). */
    public final TreeMap<byte[], StreamGroup> groups = new TreeMap<>(Arrays::compareUnsigned);
    /** The first live entry's ID, null when it must be looked up again. */
    private StreamId firstCache;

    public long length() {
        return length;
    }

    /** The first live entry's ID, 0-0 when empty (s->first_id). */
    public StreamId firstId() {
        if (length == 0) return StreamId.MIN;
        if (firstCache == null) {
            Cursor c = range(StreamId.MIN, StreamId.MAX, false);
            firstCache = c.next() ? c.id() : StreamId.MIN;
        }
        return firstCache;
    }

    /**
     * The first entry's ID counting deleted ones (streamGetEdgeID without skipping tombstones):
     * the first node's master ID; the maximum ID when the stream is empty.
     */
    public StreamId firstIdWithTombstones() {
        return nodes.isEmpty() ? StreamId.MAX : nodes.firstKey();
    }

    /** The last live entry's ID (streamLastValidID), 0-0 when empty. */
    public StreamId lastEntryId() {
        Cursor c = range(StreamId.MIN, StreamId.MAX, true);
        return c.next() ? c.id() : StreamId.MIN;
    }

    /** Appends an entry whose ID is greater than {@link #lastId} (checked by the caller). */
    public void append(StreamId id, byte[][] fv, int from, int to) {
        int bytes = 1 + varLen(id.ms) + 10 + varLen(to - from);
        for (int i = from; i < to; i++) bytes += varLen(fv[i].length) + fv[i].length;
        Map.Entry<StreamId, Node> tail = nodes.lastEntry();
        Node n = tail == null ? null : tail.getValue();
        if (n == null || n.used + bytes >= NODE_MAX_BYTES || n.live + n.deleted >= NODE_MAX_ENTRIES) {
            if (n != null && n.buf.length > n.used) { // the full node never grows again: drop its slack
                heapBytes -= n.buf.length - n.used;
                n.buf = Arrays.copyOf(n.buf, n.used);
            }
            n = new Node(id, Math.max(64, bytes));
            nodes.put(id, n);
            heapBytes += NODE_OVERHEAD + n.buf.length;
        }
        if (n.buf.length - n.used < bytes) {
            int grown = Math.max(n.used + bytes, n.buf.length * 2);
            heapBytes += grown - n.buf.length;
            n.buf = Arrays.copyOf(n.buf, grown);
        }
        byte[] b = n.buf;
        int p = n.used;
        b[p++] = 0;
        p = putVar(b, p, id.ms - n.master.ms);
        p = putVar(b, p, id.seq);
        p = putVar(b, p, to - from);
        for (int i = from; i < to; i++) {
            p = putVar(b, p, fv[i].length);
            System.arraycopy(fv[i], 0, b, p, fv[i].length);
            p += fv[i].length;
        }
        n.used = p;
        n.live++;
        n.lastEver = id;
        if (length++ == 0) firstCache = id;
        lastId = id;
        entriesAdded++;
    }

    private static int varLen(long v) {
        int n = 1;
        while ((v >>>= 7) != 0) n++;
        return n;
    }

    private static int putVar(byte[] b, int p, long v) {
        while ((v & ~0x7FL) != 0) {
            b[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[p++] = (byte) v;
        return p;
    }

    /**
     * Live entries with IDs in [start, end], ascending or descending. Reading an entry's strings
     * needs no copy: {@link #buf()} with {@link #stringAt}/{@link #stringLength}.
     */
    public final class Cursor {
        private final StreamId start, end;
        private final boolean rev;
        private final java.util.Iterator<Node> it;
        private Node node;
        private int[] offsets = new int[16];
        private int count, i;
        private StreamId id;
        private int strings, at, p;
        /** Offset in the node of the current entry (for deletion). */
        private int entryOffset;

        Cursor(StreamId start, StreamId end, boolean rev) {
            this.start = start;
            this.end = end;
            this.rev = rev;
            if (start.compareTo(end) > 0) {
                it = java.util.Collections.emptyIterator();
            } else if (rev) {
                it = nodes.headMap(end, true).descendingMap().values().iterator();
            } else {
                StreamId from = nodes.floorKey(start);
                it = (from == null ? nodes : nodes.tailMap(from, true)).values().iterator();
            }
        }

        public boolean next() {
            while (true) {
                if (node == null || i == count) {
                    if (!it.hasNext()) return false;
                    load(it.next());
                    continue;
                }
                int off = offsets[rev ? count - 1 - i : i];
                i++;
                if (node.buf[off] == DELETED) continue;
                decode(off);
                if (!rev) {
                    if (id.compareTo(start) < 0) continue;
                    if (id.compareTo(end) > 0) return false;
                } else {
                    if (id.compareTo(end) > 0) continue;
                    if (id.compareTo(start) < 0) return false;
                }
                return true;
            }
        }

        private void load(Node n) {
            node = n;
            count = 0;
            i = 0;
            for (int off = 0; off < n.used; ) {
                if (count == offsets.length) offsets = Arrays.copyOf(offsets, count * 2);
                offsets[count++] = off;
                decode(off);
                for (int s = 0; s < strings; s++) skipString();
                off = p;
            }
        }

        private long var() {
            long v = 0;
            int shift = 0;
            byte[] b = node.buf;
            while (true) {
                byte x = b[p++];
                v |= (long) (x & 0x7F) << shift;
                if (x >= 0) return v;
                shift += 7;
            }
        }

        private void decode(int off) {
            entryOffset = off;
            p = off + 1;
            long ms = node.master.ms + var();
            long seq = var();
            id = new StreamId(ms, seq);
            strings = (int) var();
            at = p;
        }

        private void skipString() {
            int len = (int) var();
            p += len;
        }

        public StreamId id() {
            return id;
        }

        /** The number of strings (fields and values) of the entry. */
        public int strings() {
            return strings;
        }

        public byte[] buf() {
            return node.buf;
        }

        /** Walks the entry's strings in order: call {@link #nextString} then read offset/length. */
        public void rewind() {
            p = at;
        }

        private int strOff, strLen;

        public void nextString() {
            strLen = (int) var();
            strOff = p;
            p += strLen;
        }

        public int stringAt() {
            return strOff;
        }

        public int stringLength() {
            return strLen;
        }

        /** The entry's strings as arrays (for callers that keep them). */
        public byte[][] copyStrings() {
            byte[][] out = new byte[strings][];
            rewind();
            for (int s = 0; s < strings; s++) {
                nextString();
                out[s] = Arrays.copyOfRange(node.buf, strOff, strOff + strLen);
            }
            return out;
        }

        Node node() {
            return node;
        }

        int entryOffset() {
            return entryOffset;
        }
    }

    public Cursor range(StreamId start, StreamId end, boolean rev) {
        return new Cursor(start, end, rev);
    }

    /** The live entry with this ID, as a cursor positioned on it, or null. */
    public Cursor find(StreamId id) {
        Cursor c = range(id, id, false);
        return c.next() ? c : null;
    }

    public boolean contains(StreamId id) {
        return find(id) != null;
    }

    /** XDEL of one ID: true if a live entry was flagged deleted. */
    public boolean delete(StreamId id) {
        Cursor c = find(id);
        if (c == null) return false;
        deleteAt(c.node(), c.entryOffset());
        if (id.equals(firstCache)) firstCache = null;
        return true;
    }

    private void removeNode(Node n) {
        nodes.remove(n.master);
        heapBytes -= NODE_OVERHEAD + n.buf.length;
    }

    private void deleteAt(Node n, int offset) {
        length--;
        if (n.live == 1) {
            removeNode(n);
        } else {
            n.buf[offset] = DELETED;
            n.live--;
            n.deleted++;
        }
    }

    /**
     * streamTrim: MAXLEN (minId null) or MINID trimming from the head. Whole nodes are removed
     * while they fit the bound; {@code approx} stops at the first node that cannot go as a whole,
     * otherwise entries are deleted from inside that node. {@code limit} (0 = none) caps the
     * entries removed, counting whole nodes. Returns the number of entries removed.
     */
    public long trim(long maxLen, StreamId minId, boolean approx, long limit) {
        long removed = 0;
        while (!nodes.isEmpty()) {
            if (minId == null && length <= maxLen) break;
            Node n = nodes.firstEntry().getValue();
            if (limit != 0 && removed + n.live > limit) break;
            boolean removeNode = minId == null ? length - n.live >= maxLen : n.lastEver.compareTo(minId) < 0;
            if (removeNode) {
                removed += n.live;
                length -= n.live;
                removeNode(n);
                continue;
            }
            if (approx) break;
            // Within the node: flag entries deleted (its live count may reach 0, as in Redis).
            Cursor c = range(n.master, n.lastEver, false);
            while (c.next() && c.node() == n) {
                if (minId == null ? length <= maxLen : c.id().compareTo(minId) >= 0) break;
                n.buf[c.entryOffset()] = DELETED;
                n.live--;
                n.deleted++;
                length--;
                removed++;
            }
            break;
        }
        if (removed > 0) firstCache = null;
        return removed;
    }

    // ---- consumer group counters (entries read, lag), as 7.0 estimates them ----

    /** The "entries read" value for an unknown position (SCG_INVALID_ENTRIES_READ). */
    public static final long INVALID_ENTRIES_READ = -1;

    /** streamRangeHasTombstones: whether a deleted entry may lie in [start, end] (null end: open). */
    public boolean rangeHasTombstones(StreamId start, StreamId end) {
        if (length() == 0 || maxDeletedId.isZero()) return false;
        if (firstId().compareTo(maxDeletedId) > 0) return false;
        return start.compareTo(maxDeletedId) <= 0 && (end == null || maxDeletedId.compareTo(end) <= 0);
    }

    /** streamEstimateDistanceFromFirstEverEntry: the entries-read counter of {@code id}, or -1. */
    public long estimateDistanceFromFirstEverEntry(StreamId id) {
        if (entriesAdded == 0) return 0;
        if (length() == 0 && id.compareTo(lastId) < 1) return entriesAdded;
        int cmpLast = id.compareTo(lastId);
        if (cmpLast == 0) return entriesAdded;
        if (cmpLast > 0) return INVALID_ENTRIES_READ;
        int cmpFirst = id.compareTo(firstId());
        if (maxDeletedId.isZero() || maxDeletedId.compareTo(firstId()) < 0) {
            if (cmpFirst < 0) return entriesAdded - length();
            if (cmpFirst == 0) return entriesAdded - length() + 1;
        }
        return INVALID_ENTRIES_READ;
    }

    /** streamReplyWithCGLag's value: the group's lag, or -1 when it cannot be known. */
    public long lag(StreamGroup g) {
        if (entriesAdded == 0) return 0;
        if (g.entriesRead != INVALID_ENTRIES_READ && !rangeHasTombstones(g.lastId, null)) return entriesAdded - g.entriesRead;
        long read = estimateDistanceFromFirstEverEntry(g.lastId);
        return read == INVALID_ENTRIES_READ ? -1 : entriesAdded - read;
    }

    /** A group delivered {@code id} past its last ID: advance it and its entries-read counter. */
    public void advanceGroup(StreamGroup g, StreamId id) {
        if (g.entriesRead != INVALID_ENTRIES_READ && !rangeHasTombstones(id, null)) g.entriesRead++;
        else if (entriesAdded != 0) g.entriesRead = estimateDistanceFromFirstEverEntry(id);
        g.lastId = id;
    }

    @Override
    public Object duplicate() {
        StreamValue s = new StreamValue();
        for (Map.Entry<StreamId, Node> e : nodes.entrySet()) {
            Node n = e.getValue().copy();
            s.nodes.put(e.getKey(), n);
            s.heapBytes += NODE_OVERHEAD + n.buf.length;
        }
        s.length = length;
        s.lastId = lastId;
        s.maxDeletedId = maxDeletedId;
        s.entriesAdded = entriesAdded;
        s.firstCache = firstCache;
        for (Map.Entry<byte[], StreamGroup> e : groups.entrySet()) s.groups.put(e.getKey(), e.getValue().duplicate());
        return s;
    }

    /** Per node: its tree map entry, master ID, Node object and array header. */
    private static final int NODE_OVERHEAD = 40 + 24 + 48 + 16;
    /** Heap bytes of the nodes, kept up to date so the estimate is O(1) in the entries. */
    private long heapBytes;

    /** Rough heap bytes for MEMORY USAGE and maxmemory (groups are counted per group). */
    public long memoryBytes() {
        long b = 96 + heapBytes;
        for (StreamGroup g : groups.values()) b += g.memoryBytes();
        return b;
    }
}
