package io.ember.persist.rdb;

import io.ember.type.Listpack;
import io.ember.type.StreamGroup;
import io.ember.type.StreamId;
import io.ember.type.StreamValue;
import io.ember.type.ValueType;
import io.ember.util.Numbers;
import java.io.IOException;

/**
 * Reads the three stream layouts as Redis's rdbLoadObject does: STREAM_LISTPACKS (15, RDB 9: no
 * first ID, max deleted ID, entries added nor entries read, derived as 7.0 derives them),
 * STREAM_LISTPACKS_2 (19, Redis 7.0) and STREAM_LISTPACKS_3 (21, Redis 7.2: a consumer active time
 * after the seen time, which 7.0 has no use for and Ember skips).
 *
 * <p>Everything is checked whatever sanitize-dump-payload says, as for the other types: each node's
 * listpack and its stream layout (streamValidateListpackIntegrity), plus what Ember's stream relies
 * on — entry IDs increasing across nodes, live/deleted counts matching the entries' flags, the
 * stream length matching the live entries, the last ID not below an entry — and the consumer
 * groups' consistency (no duplicate group, consumer or PEL entry, each consumer PEL ID present in
 * the group PEL and owned by one consumer, no group PEL entry left without a consumer). A
 * violation is an {@link RdbFormatException}; the partly built stream is dropped.
 */
final class StreamRdbReader {
    private StreamRdbReader() {}

    private static final String BAD_LISTPACK = "Stream listpack integrity check failed.";

    static RdbValue read(int type, RdbInput in) throws IOException {
        long at = in.offset();
        try {
            return readStream(type, in);
        } catch (IllegalArgumentException e) {
            throw new RdbFormatException("Stream integrity check failed: " + e.getMessage(), at);
        }
    }

    private static RdbValue readStream(int type, RdbInput in) throws IOException {
        StreamValue.Builder b = new StreamValue.Builder();
        long nodes = in.readCount();
        for (long i = 0; i < nodes; i++) {
            long at = in.offset();
            byte[] key = in.readString();
            if (key.length != 16) throw new RdbFormatException("Stream node key entry is not the size of a stream ID", at);
            at = in.offset();
            byte[] lp = in.readString();
            if (!Listpack.isValid(lp)) throw new RdbFormatException(BAD_LISTPACK, at);
            if (Listpack.first(lp) < 0) throw new RdbFormatException("Empty listpack inside stream", at);
            readNode(b, decodeId(key, 0), lp, at);
        }
        long at = in.offset();
        long length = in.readUnsignedLength();
        if (length != b.length()) {
            throw new RdbFormatException("Stream length " + Long.toUnsignedString(length) + " does not match its "
                    + b.length() + " entries", at);
        }
        StreamId lastId = readId(in);
        StreamId maxDeleted = StreamId.MIN;
        long entriesAdded = length;
        if (type != Rdb.TYPE_STREAM_LISTPACKS) {
            readId(in); // the first entry's ID: Ember finds it from the entries
            maxDeleted = readId(in);
            entriesAdded = in.readUnsignedLength();
        }
        StreamValue s = b.build(lastId, maxDeleted, entriesAdded);
        long groups = in.readCount();
        for (long i = 0; i < groups; i++) readGroup(type, in, s);
        return new RdbValue(s, ValueType.STREAM, ValueType.ENC_STREAM);
    }

    // ---- nodes ----------------------------------------------------------------------------------

    /** Walks a node's listpack (already a valid listpack) and feeds its entries to the builder. */
    private static void readNode(StreamValue.Builder b, StreamId master, byte[] lp, long at) throws RdbFormatException {
        Walk w = new Walk(lp, at);
        long live = w.integer(), deleted = w.integer(), masterFields = w.integer();
        if (live < 0 || deleted < 0 || masterFields < 0 || masterFields > w.left()) throw w.bad();
        byte[][] fields = new byte[(int) masterFields][];
        for (int i = 0; i < masterFields; i++) fields[i] = w.string();
        if (w.integer() != 0) throw w.bad();
        b.startNode(master, fields);
        long seenLive = 0, seenDeleted = 0;
        while (w.p >= 0) {
            long flags = w.integer();
            long ms = master.ms + w.integer(), seq = master.seq + w.integer(); // unsigned wrap, as Redis's uint64 sums
            boolean same = (flags & StreamRdbWriter.FLAG_SAMEFIELDS) != 0;
            long n = same ? masterFields : w.integer();
            if (n < 0 || (same ? n : 2 * n) > w.left()) throw w.bad(); // before allocating for them
            byte[][] fv = new byte[(int) (2 * n)][];
            for (int i = 0; i < n; i++) {
                fv[2 * i] = same ? fields[i] : w.string();
                fv[2 * i + 1] = w.string();
            }
            if (w.integer() != (same ? n + 3 : 2 * n + 4)) throw w.bad(); // lp-count
            boolean isDeleted = (flags & StreamRdbWriter.FLAG_DELETED) != 0;
            if (isDeleted) seenDeleted++;
            else seenLive++;
            b.entry(new StreamId(ms, seq), isDeleted, fv, 0, fv.length);
        }
        if (seenLive != live || seenDeleted != deleted) throw w.bad();
    }

    /** A cursor over a node's listpack elements; running out of elements is a format error. */
    private static final class Walk {
        final byte[] lp;
        final long at;
        final int total;
        int p, index;

        Walk(byte[] lp, long at) {
            this.lp = lp;
            this.at = at;
            this.total = Listpack.size(lp);
            this.p = Listpack.first(lp);
        }

        RdbFormatException bad() {
            return new RdbFormatException(BAD_LISTPACK, at);
        }

        int left() {
            return total - index;
        }

        private int take() throws RdbFormatException {
            if (p < 0) throw bad();
            int q = p;
            p = Listpack.next(lp, p);
            index++;
            return q;
        }

        byte[] string() throws RdbFormatException {
            return Listpack.get(lp, take());
        }

        /** lpGetIntegerIfValid: an integer entry, or a string that is a canonical 64-bit integer. */
        long integer() throws RdbFormatException {
            int q = take();
            if (Listpack.isInt(lp, q)) return Listpack.intValue(lp, q);
            int off = Listpack.stringStart(lp, q), len = Listpack.stringLength(lp, q);
            if (!Numbers.isLong(lp, off, len)) throw bad();
            return Numbers.parseLong(lp, off, len);
        }
    }

    // ---- consumer groups ------------------------------------------------------------------------

    private static void readGroup(int type, RdbInput in, StreamValue s) throws IOException {
        long at = in.offset();
        byte[] name = in.readString();
        StreamId lastId = readId(in);
        long entriesRead = type == Rdb.TYPE_STREAM_LISTPACKS ? s.estimateDistanceFromFirstEverEntry(lastId)
                : in.readUnsignedLength();
        if (s.groups.containsKey(name)) {
            throw new RdbFormatException("Duplicated consumer group name " + RdbReader.text(name), at);
        }
        StreamGroup g = new StreamGroup(lastId, entriesRead);
        s.groups.put(name, g);
        long pel = in.readCount();
        for (long i = 0; i < pel; i++) {
            at = in.offset();
            StreamId id = readRawId(in);
            long deliveryTime = in.readLongLE();
            long deliveryCount = in.readUnsignedLength();
            if (g.pel.putIfAbsent(id, new StreamGroup.Nack(null, deliveryTime, deliveryCount)) != null) {
                throw new RdbFormatException("Duplicated global PEL entry loading stream consumer group", at);
            }
        }
        long consumers = in.readCount();
        for (long i = 0; i < consumers; i++) {
            at = in.offset();
            byte[] cname = in.readString();
            if (g.consumers.containsKey(cname)) throw new RdbFormatException("Duplicate stream consumer detected.", at);
            StreamGroup.Consumer c = new StreamGroup.Consumer(cname, in.readLongLE());
            g.consumers.put(cname, c);
            if (type == Rdb.TYPE_STREAM_LISTPACKS_3) in.readLongLE(); // active time (7.2)
            long owned = in.readCount();
            for (long j = 0; j < owned; j++) {
                at = in.offset();
                StreamId id = readRawId(in);
                StreamGroup.Nack nack = g.pel.get(id);
                if (nack == null) throw new RdbFormatException("Consumer entry not found in group global PEL", at);
                if (nack.consumer != null) {
                    throw new RdbFormatException("Duplicated consumer PEL entry loading a stream consumer group", at);
                }
                nack.consumer = c;
                c.pel.put(id, nack);
            }
        }
        for (StreamGroup.Nack n : g.pel.values()) {
            if (n.consumer == null) throw new RdbFormatException("Stream CG PEL entry without consumer", in.offset());
        }
    }

    // ---- IDs ----------------------------------------------------------------------------------

    /** An ID as two RDB lengths (ms, seq). */
    private static StreamId readId(RdbInput in) throws IOException {
        long ms = in.readUnsignedLength();
        return new StreamId(ms, in.readUnsignedLength());
    }

    /** An ID as 16 raw big-endian bytes (PEL entries). */
    private static StreamId readRawId(RdbInput in) throws IOException {
        return decodeId(in.readBytes(16), 0);
    }

    static StreamId decodeId(byte[] b, int off) {
        long ms = 0, seq = 0;
        for (int i = 0; i < 8; i++) {
            ms = ms << 8 | (b[off + i] & 0xff);
            seq = seq << 8 | (b[off + 8 + i] & 0xff);
        }
        return new StreamId(ms, seq);
    }
}
