package io.ember.persist.rdb;

import io.ember.type.Listpack;
import io.ember.type.StreamGroup;
import io.ember.type.StreamId;
import io.ember.type.StreamValue;
import java.util.Arrays;
import java.util.Map;

/**
 * A stream as Redis 7.0's rdbSaveObject writes RDB_TYPE_STREAM_LISTPACKS_2: the nodes as (master
 * ID, listpack) pairs, the stream's counters, then the consumer groups with their PELs and
 * consumers. Ember's nodes have their own packing (see StreamValue), so each node is converted to
 * the listpack Redis would hold for it (see {@link #nodeListpack}).
 */
final class StreamRdbWriter {
    private StreamRdbWriter() {}

    /** Entry flags inside a stream listpack (t_stream.c STREAM_ITEM_FLAG_*). */
    static final int FLAG_DELETED = 1;
    static final int FLAG_SAMEFIELDS = 2;

    static void write(RdbOutput out, StreamValue s) {
        byte[] id = new byte[16];
        Listpack.Builder lp = new Listpack.Builder();
        out.writeLength(s.nodes.size());
        for (StreamValue.Node n : s.nodes.values()) {
            encodeId(n.master(), id);
            out.writeString(id, 0, 16);
            int len = nodeListpack(lp.reset(), s, n);
            out.writeString(lp.array(), 0, len);
        }
        out.writeLength(s.length());
        writeId(out, s.lastId);
        writeId(out, s.firstId());
        writeId(out, s.maxDeletedId);
        out.writeLength(s.entriesAdded);
        out.writeLength(s.groups.size());
        for (Map.Entry<byte[], StreamGroup> e : s.groups.entrySet()) {
            StreamGroup g = e.getValue();
            out.writeString(e.getKey());
            writeId(out, g.lastId);
            out.writeLength(g.entriesRead); // -1 (unknown) is written as 2^64 - 1, as Redis's uint64 cast
            // The group PEL with each NACK's delivery time and count...
            out.writeLength(g.pel.size());
            for (Map.Entry<StreamId, StreamGroup.Nack> p : g.pel.entrySet()) {
                encodeId(p.getKey(), id);
                out.write(id, 0, 16);
                out.writeLongLE(p.getValue().deliveryTime);
                out.writeLength(p.getValue().deliveryCount);
            }
            // ...then each consumer with only the IDs of its PEL, resolved against the group's when loading.
            out.writeLength(g.consumers.size());
            for (StreamGroup.Consumer c : g.consumers.values()) {
                out.writeString(c.name);
                out.writeLongLE(c.seenTime);
                out.writeLength(c.pel.size());
                for (StreamId pid : c.pel.keySet()) {
                    encodeId(pid, id);
                    out.write(id, 0, 16);
                }
            }
        }
    }

    private static void writeId(RdbOutput out, StreamId id) {
        out.writeLength(id.ms);
        out.writeLength(id.seq);
    }

    /** streamEncodeID: the ID as a 128-bit big-endian number (the rax key, PEL IDs). */
    static void encodeId(StreamId id, byte[] out) {
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (id.ms >>> (56 - 8 * i));
            out[8 + i] = (byte) (id.seq >>> (56 - 8 * i));
        }
    }

    /**
     * The node as a Redis stream listpack, built as streamAppendItem would have built it: the
     * master entry (live count, deleted count, the first entry's fields, 0), then per entry its
     * flags, ms and seq deltas from the master ID, its fields unless they are the master's
     * (SAMEFIELDS), its values, and the number of listpack elements it took (lp-count).
     * Returns the listpack's length in {@code lp}'s array.
     */
    static int nodeListpack(Listpack.Builder lp, StreamValue s, StreamValue.Node n) {
        StreamValue.Cursor c = s.entriesOf(n);
        if (!c.next()) throw new IllegalStateException("empty stream node " + n.master());
        byte[] b = c.buf(); // the node's array: stable while the node is read
        int masterFields = c.strings() / 2;
        int[] fieldOff = new int[masterFields], fieldLen = new int[masterFields];
        lp.addInt(n.live);
        lp.addInt(n.deleted);
        lp.addInt(masterFields);
        c.rewind();
        for (int i = 0; i < masterFields; i++) {
            c.nextString();
            fieldOff[i] = c.stringAt();
            fieldLen[i] = c.stringLength();
            lp.add(b, fieldOff[i], fieldLen[i]);
            c.nextString();
        }
        lp.addInt(0);
        StreamId master = n.master();
        do {
            int fields = c.strings() / 2;
            boolean same = fields == masterFields;
            c.rewind();
            for (int i = 0; same && i < fields; i++) {
                c.nextString();
                same = Arrays.equals(b, c.stringAt(), c.stringAt() + c.stringLength(),
                        b, fieldOff[i], fieldOff[i] + fieldLen[i]);
                c.nextString();
            }
            StreamId id = c.id();
            lp.addInt((c.deleted() ? FLAG_DELETED : 0) | (same ? FLAG_SAMEFIELDS : 0));
            lp.addInt(id.ms - master.ms);
            lp.addInt(id.seq - master.seq);
            if (!same) lp.addInt(fields);
            c.rewind();
            for (int i = 0; i < fields; i++) {
                c.nextString();
                if (!same) lp.add(b, c.stringAt(), c.stringLength());
                c.nextString();
                lp.add(b, c.stringAt(), c.stringLength());
            }
            lp.addInt(same ? fields + 3 : 2L * fields + 4);
        } while (c.next());
        return lp.finish();
    }
}
