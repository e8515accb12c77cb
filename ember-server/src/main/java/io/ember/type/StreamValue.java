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
 * {@code stream-node-max-entries} entries, deleted ones included, or would pass
 * {@code stream-node-max-bytes} — counted as the bytes of the listpack Redis would have built
 * ({@link Node#lpBytes}), so nodes split exactly where Redis's do. Node boundaries matter for
 * behaviour: approximate trimming (~) removes whole nodes only, XINFO reports the node count.
 *
 * <p>A node's byte array starts with its master fields (the first entry's field names: a varint
 * count, then each as a varint length and its bytes). Each entry follows as: a flags byte
 * (1 = deleted, 2 = same fields as the master), the ms delta from the master ID and the sequence
 * number as unsigned varints, then either only the values (same fields) or the number of
 * strings and every field and value, each string a varint length and its bytes. Entries that
 * repeat the master's fields — the common case — cost their values plus three bytes. XDEL only
 * flags an entry, and a node goes away when its last live entry does, as in Redis.
 *
 * <p>The RDB code reads nodes with {@link #entriesOf} (deleted entries included) and rebuilds a
 * stream with its node boundaries through {@link Builder}.
 */
public final class StreamValue implements Values.Duplicable {
    /** Redis's stream-node-max-entries and stream-node-max-bytes defaults. */
    public static final int NODE_MAX_ENTRIES = 100;
    public static final int NODE_MAX_BYTES = 4096;
    /** STREAM_LISTPACK_MAX_SIZE: the byte bound when stream-node-max-bytes is 0 (or larger). */
    private static final long LISTPACK_MAX_SIZE = 1L << 30;

    private static final byte DELETED = 1;
    private static final byte SAME_FIELDS = 2;

    /** A node (one listpack in Redis). */
    public static final class Node {
        final StreamId master;
        byte[] buf;
        int used;
        public int live;
        public int deleted;
        /** The last ID added to the node, deleted or not (what lpGetEdgeStreamID reads). */
        public StreamId lastEver;
        /** Where the entries start (after the master fields). */
        int entriesStart;
        /** Listpack bytes of the master fields and of the entries, as Redis encodes them. */
        long lpMasterBytes, lpEntryBytes;

        /**
         * The size of the listpack Redis would hold for this node: header and end byte, the
         * live and deleted counters, the master fields and terminator, the entries.
         */
        public long lpBytes() {
            return 7 + Listpack.encodedIntSize(live) + Listpack.encodedIntSize(deleted) + lpMasterBytes + lpEntryBytes;
        }

        Node(StreamId master, int capacity) {
            this.master = master;
            this.buf = new byte[capacity];
        }

        /** The node's key: the ID its entries' deltas are relative to (the first entry's ID). */
        public StreamId master() {
            return master;
        }

        Node copy() {
            Node n = new Node(master, 0);
            n.buf = java.util.Arrays.copyOf(buf, used);
            n.used = used;
            n.live = live;
            n.deleted = deleted;
            n.lastEver = lastEver;
            n.entriesStart = entriesStart;
            n.lpMasterBytes = lpMasterBytes;
            n.lpEntryBytes = lpEntryBytes;
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

    /** Appends an entry whose ID is greater than {@link #lastId}, with Redis's default node limits. */
    public void append(StreamId id, byte[][] fv, int from, int to) {
        append(id, fv, from, to, NODE_MAX_BYTES, NODE_MAX_ENTRIES);
    }

    /**
     * Appends an entry whose ID is greater than {@link #lastId} (checked by the caller): field,
     * value pairs {@code fv[from..to)}. A new node starts when the tail node holds
     * {@code maxEntries} entries (0: no limit) or its listpack bytes plus the entry's string bytes
     * reach {@code maxBytes} (0: no limit), as streamAppendItem decides.
     */
    public void append(StreamId id, byte[][] fv, int from, int to, long maxBytes, long maxEntries) {
        int fields = (to - from) / 2;
        long stringBytes = 0;
        for (int i = from; i < to; i++) stringBytes += fv[i].length;
        if (maxBytes <= 0 || maxBytes > LISTPACK_MAX_SIZE) maxBytes = LISTPACK_MAX_SIZE;
        Map.Entry<StreamId, Node> tail = nodes.lastEntry();
        Node n = tail == null ? null : tail.getValue();
        if (n == null || n.lpBytes() + stringBytes >= maxBytes
                || maxEntries > 0 && n.live + n.deleted >= maxEntries) {
            n = newNode(id, fv, from, to);
        }
        heapBytes += putEntry(n, id, (byte) 0, fv, from, to);
        n.live++;
        if (length++ == 0) firstCache = id;
        lastId = id;
        entriesAdded++;
    }

    /**
     * Writes an entry at the end of node n (flags 0 or DELETED; SAME_FIELDS is added when its
     * fields are the master's) and counts its listpack bytes. Returns how much n's array grew.
     */
    private static int putEntry(Node n, StreamId id, byte flags, byte[][] fv, int from, int to) {
        int fields = (to - from) / 2;
        boolean same = sameFields(n, fv, from, to);
        if (same) flags |= SAME_FIELDS;
        int bytes = 1 + varLen(id.ms - n.master.ms) + varLen(id.seq) + (same ? 0 : varLen(to - from));
        for (int i = from; i < to; i += same ? 2 : 1) {
            if (same) bytes += varLen(fv[i + 1].length) + fv[i + 1].length;
            else bytes += varLen(fv[i].length) + fv[i].length;
        }
        int grew = ensureRoom(n, bytes);
        byte[] b = n.buf;
        int p = n.used;
        b[p++] = flags;
        p = putVar(b, p, id.ms - n.master.ms);
        p = putVar(b, p, id.seq);
        long lp = Listpack.encodedIntSize(flags) + Listpack.encodedIntSize(id.ms - n.master.ms)
                + Listpack.encodedIntSize(id.seq - n.master.seq);
        if (!same) {
            p = putVar(b, p, to - from);
            lp += Listpack.encodedIntSize(fields);
        }
        for (int i = from; i < to; i++) {
            if (same && ((i - from) & 1) == 0) continue; // the master has the field
            p = putVar(b, p, fv[i].length);
            System.arraycopy(fv[i], 0, b, p, fv[i].length);
            p += fv[i].length;
            lp += Listpack.encodedEntrySize(fv[i]);
        }
        n.used = p;
        n.lpEntryBytes += lp + Listpack.encodedIntSize(same ? fields + 3 : 2L * fields + 4); // lp-count
        n.lastEver = id;
        return grew;
    }

    /** Starts a node at {@code id} whose master fields are this entry's field names. */
    private Node newNode(StreamId id, byte[][] fv, int from, int to) {
        Map.Entry<StreamId, Node> tail = nodes.lastEntry();
        if (tail != null) { // the full node never grows again: drop its slack
            Node full = tail.getValue();
            if (full.buf.length > full.used) {
                heapBytes -= full.buf.length - full.used;
                full.buf = Arrays.copyOf(full.buf, full.used);
            }
        }
        Node n = createNode(id, fv, from, to);
        nodes.put(id, n);
        heapBytes += NODE_OVERHEAD + n.buf.length;
        return n;
    }

    /** A node keyed {@code id} holding only its master fields: the field names of fv[from, to). */
    private static Node createNode(StreamId id, byte[][] fv, int from, int to) {
        int fields = (to - from) / 2;
        int bytes = varLen(fields);
        long lp = Listpack.encodedIntSize(fields) + Listpack.encodedIntSize(0); // count, terminator
        for (int i = from; i < to; i += 2) {
            bytes += varLen(fv[i].length) + fv[i].length;
            lp += Listpack.encodedEntrySize(fv[i]);
        }
        Node n = new Node(id, Math.max(64, bytes * 2 + 16));
        int p = putVar(n.buf, 0, fields);
        for (int i = from; i < to; i += 2) {
            p = putVar(n.buf, p, fv[i].length);
            System.arraycopy(fv[i], 0, n.buf, p, fv[i].length);
            p += fv[i].length;
        }
        n.used = p;
        n.entriesStart = p;
        n.lpMasterBytes = lp;
        return n;
    }

    /** Whether the entry's field names are the node's master fields, in order (no allocation: every XADD asks). */
    private static boolean sameFields(Node n, byte[][] fv, int from, int to) {
        byte[] b = n.buf;
        long fields = varAt(b, 0);
        if (fields != (to - from) / 2) return false;
        int p = varLen(fields);
        for (int i = from; i < to; i += 2) {
            int len = (int) varAt(b, p);
            p += varLen(len); // varints are written minimal, so their length follows from the value
            if (len != fv[i].length || !Arrays.equals(b, p, p + len, fv[i], 0, len)) return false;
            p += len;
        }
        return true;
    }

    /** Grows n's array for {@code bytes} more; returns by how much it grew. */
    private static int ensureRoom(Node n, int bytes) {
        if (n.buf.length - n.used >= bytes) return 0;
        int grown = Math.max(n.used + bytes, n.buf.length * 2);
        int grew = grown - n.buf.length;
        n.buf = Arrays.copyOf(n.buf, grown);
        return grew;
    }

    /** The unsigned varint at {@code p}. */
    private static long varAt(byte[] b, int p) {
        long v = 0;
        int shift = 0;
        while (true) {
            byte x = b[p++];
            v |= (long) (x & 0x7F) << shift;
            if (x >= 0) return v;
            shift += 7;
        }
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
        /** The current node's master fields (offsets and lengths in its buffer). */
        private int[] masterOff = new int[8], masterLen = new int[8];
        private int masterCount;
        /** Every entry of one node, deleted ones included ({@link #entriesOf}). */
        private final boolean raw;
        /** The current entry repeats the master's fields; which string nextString reads next. */
        private boolean same;
        private int stringIndex;
        /** Offset in the node of the current entry (for deletion). */
        private int entryOffset;

        Cursor(Node only) {
            this.start = StreamId.MIN;
            this.end = StreamId.MAX;
            this.rev = false;
            this.raw = true;
            this.it = java.util.List.of(only).iterator();
        }

        Cursor(StreamId start, StreamId end, boolean rev) {
            this.start = start;
            this.end = end;
            this.rev = rev;
            this.raw = false;
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
                if ((node.buf[off] & DELETED) != 0 && !raw) continue;
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
            p = 0;
            masterCount = (int) var();
            if (masterCount > masterOff.length) {
                masterOff = new int[masterCount];
                masterLen = new int[masterCount];
            }
            for (int f = 0; f < masterCount; f++) {
                masterLen[f] = (int) var();
                masterOff[f] = p;
                p += masterLen[f];
            }
            for (int off = n.entriesStart; off < n.used; ) {
                if (count == offsets.length) offsets = Arrays.copyOf(offsets, count * 2);
                offsets[count++] = off;
                decode(off);
                for (int s = same ? strings / 2 : strings; s > 0; s--) skipString();
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
            same = (node.buf[off] & SAME_FIELDS) != 0;
            p = off + 1;
            long ms = node.master.ms + var();
            long seq = var();
            id = new StreamId(ms, seq);
            strings = same ? 2 * masterCount : (int) var();
            at = p;
            stringIndex = 0;
        }

        private void skipString() {
            int len = (int) var();
            p += len;
        }

        public StreamId id() {
            return id;
        }

        /** Whether the current entry is flagged deleted (only an {@link #entriesOf} cursor shows those). */
        public boolean deleted() {
            return (node.buf[entryOffset] & DELETED) != 0;
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
            stringIndex = 0;
        }

        private int strOff, strLen;

        public void nextString() {
            if (same && (stringIndex & 1) == 0) {
                strOff = masterOff[stringIndex >> 1];
                strLen = masterLen[stringIndex >> 1];
            } else {
                strLen = (int) var();
                strOff = p;
                p += strLen;
            }
            stringIndex++;
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

    /** Every entry of node n in order, deleted ones included: what an RDB node holds. */
    public Cursor entriesOf(Node n) {
        return new Cursor(n);
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
            n.buf[offset] |= DELETED;
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
                n.buf[c.entryOffset()] |= DELETED;
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

    /**
     * Rebuilds a stream from a serialized form (an RDB value) keeping its node boundaries:
     * {@link #startNode} with the node's key and master fields, {@link #entry} for each of its
     * entries in ID order, deleted ones included, and finally {@link #build} with the stream's
     * counters. Anything that would break this class's invariants (IDs not increasing across the
     * stream, an entry before its node's key, an empty node, a last ID below an entry) throws
     * IllegalArgumentException, which a loader reports as a format error; the half-built stream
     * is then simply dropped.
     */
    public static final class Builder {
        private final StreamValue s = new StreamValue();
        private Node node;
        private StreamId last;
        private boolean built;

        /** A node keyed {@code master}; {@code masterFields} are the field names entries may share. */
        public void startNode(StreamId master, byte[][] masterFields) {
            endNode();
            if (last != null && master.compareTo(last) <= 0) {
                throw new IllegalArgumentException("stream node " + master + " does not follow entry " + last);
            }
            byte[][] fv = new byte[2 * masterFields.length][];
            for (int i = 0; i < masterFields.length; i++) fv[2 * i] = masterFields[i];
            node = createNode(master, fv, 0, fv.length);
        }

        /** An entry of the current node: fv[from, to) are its field, value, field, value... */
        public void entry(StreamId id, boolean deleted, byte[][] fv, int from, int to) {
            if (node == null || built) throw new IllegalStateException("entry outside a node");
            if (id.compareTo(node.master) < 0) throw new IllegalArgumentException("stream entry " + id + " before its node " + node.master);
            if (last != null && id.compareTo(last) <= 0) throw new IllegalArgumentException("stream entry " + id + " does not follow " + last);
            putEntry(node, id, deleted ? DELETED : 0, fv, from, to);
            if (deleted) {
                node.deleted++;
            } else {
                node.live++;
                s.length++;
            }
            last = id;
        }

        private void endNode() {
            if (node == null) return;
            if (node.used == node.entriesStart) throw new IllegalArgumentException("empty stream node " + node.master);
            node.buf = Arrays.copyOf(node.buf, node.used);
            s.nodes.put(node.master, node);
            s.heapBytes += NODE_OVERHEAD + node.buf.length;
            node = null;
        }

        /** Live entries so far. */
        public long length() {
            return s.length;
        }

        /** The stream, with its last generated ID, max deleted ID and entries-added counter. */
        public StreamValue build(StreamId lastId, StreamId maxDeletedId, long entriesAdded) {
            endNode();
            if (last != null && lastId.compareTo(last) < 0) {
                throw new IllegalArgumentException("stream last ID " + lastId + " below entry " + last);
            }
            if (Long.compareUnsigned(entriesAdded, s.length) < 0) {
                throw new IllegalArgumentException("stream entries-added " + entriesAdded + " below its length " + s.length);
            }
            built = true;
            s.lastId = lastId;
            s.maxDeletedId = maxDeletedId;
            s.entriesAdded = entriesAdded;
            return s;
        }
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
