package io.ember.type;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A stream (t_stream.c): entries ordered by ID, each a flat array of field, value, field,
 * value...; the stream's counters (last generated ID, max deleted ID, entries added); and its
 * consumer groups.
 *
 * <p>Entries are grouped into nodes as Redis groups them into listpacks: a node starts at its
 * first entry's ID (the "master ID") and takes new entries until it holds
 * {@link #NODE_MAX_ENTRIES} entries, deleted ones included, or about {@link #NODE_MAX_BYTES}
 * bytes. Nodes matter for behaviour, not storage: approximate trimming (~) removes whole nodes
 * only, and XINFO reports their number, so both must match Redis. A node whose live entries are
 * all deleted by XDEL goes away, as in Redis.
 */
public final class StreamValue implements Values.Duplicable {
    /** Redis's stream-node-max-entries and stream-node-max-bytes defaults. */
    public static final int NODE_MAX_ENTRIES = 100;
    public static final int NODE_MAX_BYTES = 4096;

    /** A node (one listpack in Redis): counts of live and deleted entries, estimated bytes. */
    public static final class Node {
        public int live;
        public int deleted;
        int bytes;
        /** The last ID added to the node, deleted or not (what lpGetEdgeStreamID reads). */
        public StreamId lastEver;

        Node copy() {
            Node n = new Node();
            n.live = live;
            n.deleted = deleted;
            n.bytes = bytes;
            n.lastEver = lastEver;
            return n;
        }
    }

    public final TreeMap<StreamId, byte[][]> entries = new TreeMap<>();
    /** Master ID -> node; an entry belongs to the node with the greatest master ID <= its ID. */
    public final TreeMap<StreamId, Node> nodes = new TreeMap<>();
    public StreamId lastId = StreamId.MIN;
    public StreamId maxDeletedId = StreamId.MIN;
    /** All entries ever added (entries_added). */
    public long entriesAdded;
    /** Consumer groups by name (byte order, as Redis's rax). */
    public final TreeMap<byte[], StreamGroup> groups = new TreeMap<>(Arrays::compareUnsigned);

    public long length() {
        return entries.size();
    }

    /** The first live entry's ID, 0-0 when empty (s->first_id). */
    public StreamId firstId() {
        return entries.isEmpty() ? StreamId.MIN : entries.firstKey();
    }

    /** Appends an entry whose ID is greater than {@link #lastId} (checked by the caller). */
    public void append(StreamId id, byte[][] fieldsAndValues) {
        int bytes = entryBytes(fieldsAndValues);
        Map.Entry<StreamId, Node> tail = nodes.lastEntry();
        Node n = tail == null ? null : tail.getValue();
        if (n == null || n.bytes + bytes >= NODE_MAX_BYTES || n.live + n.deleted >= NODE_MAX_ENTRIES) {
            n = new Node();
            n.bytes = 16;
            nodes.put(id, n);
        }
        n.live++;
        n.bytes += bytes;
        n.lastEver = id;
        entries.put(id, fieldsAndValues);
        heapBytes += heapBytes(fieldsAndValues);
        lastId = id;
        entriesAdded++;
    }

    /** An estimate of the bytes an entry takes in a listpack (header, flags, ID deltas, strings). */
    private static int entryBytes(byte[][] fv) {
        int b = 8;
        for (byte[] s : fv) b += s.length + (s.length < 64 ? 2 : s.length < 4096 ? 3 : 10);
        return b;
    }

    /** XDEL of one ID: true if a live entry was removed. */
    public boolean delete(StreamId id) {
        byte[][] fv = entries.remove(id);
        if (fv == null) return false;
        heapBytes -= heapBytes(fv);
        Map.Entry<StreamId, Node> e = nodes.floorEntry(id);
        Node n = e.getValue();
        if (n.live == 1) {
            removeNodeEntries(e.getKey());
            nodes.remove(e.getKey());
        } else {
            n.live--;
            n.deleted++;
        }
        return true;
    }

    /** Drops what remains of a node's entries (none are live when this is called). */
    private void removeNodeEntries(StreamId master) {
        var it = nodeEntries(master).values().iterator();
        while (it.hasNext()) {
            heapBytes -= heapBytes(it.next());
            it.remove();
        }
    }

    /** The live entries of the node starting at {@code master}. */
    private java.util.NavigableMap<StreamId, byte[][]> nodeEntries(StreamId master) {
        StreamId next = nodes.higherKey(master);
        return next == null ? entries.tailMap(master, true) : entries.subMap(master, true, next, false);
    }

    /**
     * streamTrim: MAXLEN (minId null) or MINID trimming from the head. Whole nodes are removed
     * while they fit the bound; {@code approx} stops at the first node that cannot go as a whole,
     * otherwise entries are deleted from inside that node. {@code limit} (0 = none) caps the
     * entries removed, counting whole nodes. Returns the number of entries removed.
     */
    public long trim(long maxLen, StreamId minId, boolean approx, long limit) {
        long deleted = 0;
        while (!nodes.isEmpty()) {
            if (minId == null && length() <= maxLen) break;
            Map.Entry<StreamId, Node> e = nodes.firstEntry();
            Node n = e.getValue();
            if (limit != 0 && deleted + n.live > limit) break;
            boolean removeNode = minId == null ? length() - n.live >= maxLen : n.lastEver.compareTo(minId) < 0;
            if (removeNode) {
                deleted += n.live;
                removeNodeEntries(e.getKey());
                nodes.remove(e.getKey());
                continue;
            }
            if (approx) break;
            var it = nodeEntries(e.getKey()).entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<StreamId, byte[][]> en = it.next();
                if (minId == null ? length() <= maxLen : en.getKey().compareTo(minId) >= 0) break;
                heapBytes -= heapBytes(en.getValue());
                it.remove();
                n.live--;
                n.deleted++;
                deleted++;
            }
            break;
        }
        return deleted;
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
        s.entries.putAll(entries); // entries are never changed in place
        for (Map.Entry<StreamId, Node> e : nodes.entrySet()) s.nodes.put(e.getKey(), e.getValue().copy());
        s.lastId = lastId;
        s.maxDeletedId = maxDeletedId;
        s.entriesAdded = entriesAdded;
        s.heapBytes = heapBytes;
        for (Map.Entry<byte[], StreamGroup> e : groups.entrySet()) s.groups.put(e.getKey(), e.getValue().duplicate());
        return s;
    }

    /** Heap bytes of the entries (map node, ID, arrays), kept up to date so MEMORY USAGE is O(1). */
    private long heapBytes;

    private static long heapBytes(byte[][] fv) {
        long b = 40 + 32 + 16 + 8L * fv.length;
        for (byte[] s : fv) b += 16 + ((s.length + 7) & ~7);
        return b;
    }

    /** Rough heap bytes for MEMORY USAGE and maxmemory. */
    public long memoryBytes() {
        long b = 64 + nodes.size() * 80L + heapBytes;
        for (StreamGroup g : groups.values()) b += g.memoryBytes();
        return b;
    }
}
