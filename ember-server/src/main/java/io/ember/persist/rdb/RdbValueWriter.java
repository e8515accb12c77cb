package io.ember.persist.rdb;

import io.ember.engine.KeyTable;
import io.ember.type.HashValue;
import io.ember.type.Intset;
import io.ember.type.Listpack;
import io.ember.type.Quicklist;
import io.ember.type.SetValue;
import io.ember.type.StreamValue;
import io.ember.type.ValueType;
import io.ember.type.ZSetValue;

/**
 * The RDB form of one value, as Redis 7.0's rdbSaveObjectType and rdbSaveObject write it. Ember's
 * listpacks and intsets are Redis's bytes, so the compact encodings are stored as they are, one
 * RDB string each; streams are converted node by node ({@link StreamRdbWriter}). Everything goes
 * through an {@link RdbOutput}, so SAVE, DUMP and BGSAVE share it.
 */
public final class RdbValueWriter {
    private RdbValueWriter() {}

    /** The RDB type byte of a value of this type and encoding (rdbSaveObjectType). */
    public static int rdbType(int type, int encoding, Object value) {
        return switch (type) {
            case ValueType.STRING -> Rdb.TYPE_STRING;
            case ValueType.LIST -> Rdb.TYPE_LIST_QUICKLIST_2;
            case ValueType.SET -> value instanceof byte[] ? Rdb.TYPE_SET_INTSET : Rdb.TYPE_SET;
            case ValueType.ZSET -> value instanceof byte[] ? Rdb.TYPE_ZSET_LISTPACK : Rdb.TYPE_ZSET_2;
            case ValueType.HASH -> value instanceof byte[] ? Rdb.TYPE_HASH_LISTPACK : Rdb.TYPE_HASH;
            case ValueType.STREAM -> Rdb.TYPE_STREAM_LISTPACKS_2;
            default -> throw new IllegalArgumentException("no RDB form for values of type " + ValueType.typeName(type));
        };
    }

    /** The value's serialization after its type byte (rdbSaveObject). */
    public static void writeValue(RdbOutput out, int type, Object value) {
        switch (type) {
            case ValueType.STRING -> out.writeString((byte[]) value);
            case ValueType.LIST -> writeList(out, (Quicklist) value);
            case ValueType.SET -> writeSet(out, value);
            case ValueType.ZSET -> writeZset(out, value);
            case ValueType.HASH -> writeHash(out, value);
            case ValueType.STREAM -> StreamRdbWriter.write(out, (StreamValue) value);
            default -> throw new IllegalArgumentException("no RDB form for values of type " + ValueType.typeName(type));
        }
    }

    /**
     * QUICKLIST_2: the node count, then per node its container and its listpack as one string.
     * Ember's nodes are all packed: Redis 7.0 makes plain nodes only for elements of 1 GB or more
     * (packed_threshold), which Ember's proto-max-bulk-len limit does not let through.
     */
    private static void writeList(RdbOutput out, Quicklist list) {
        int n = list.nodeCount();
        out.writeLength(n);
        for (int i = 0; i < n; i++) {
            byte[] lp = list.node(i);
            out.writeLength(Rdb.QUICKLIST_NODE_PACKED);
            out.writeString(lp, 0, Listpack.totalBytes(lp)); // the node may have spare room past its EOF
        }
    }

    /** SET_INTSET: the intset blob. SET: the member count, then the members. */
    private static void writeSet(RdbOutput out, Object set) {
        if (set instanceof byte[] is) {
            out.writeString(is, 0, Intset.blobLength(is));
            return;
        }
        KeyTable t = ((SetValue) set).table();
        out.writeLength(t.size());
        for (int r = 1, limit = t.slotLimit(); r <= limit; r++) {
            if (t.live(r)) out.writeString(t.key(r));
        }
    }

    /**
     * ZSET_LISTPACK: the listpack. ZSET_2: the length, then member and binary score from the
     * highest member to the lowest, so that loading, which inserts each at the head, is O(1) per
     * member (Redis writes from the skiplist's tail for that reason).
     */
    private static void writeZset(RdbOutput out, Object stored) {
        if (stored instanceof byte[] lp) {
            out.writeString(lp, 0, Listpack.totalBytes(lp));
            return;
        }
        ZSetValue z = (ZSetValue) stored;
        out.writeLength(z.length());
        for (ZSetValue.Cursor c = z.last(); c.valid(); c.step(true)) {
            out.writeString(c.member());
            out.writeBinaryDouble(c.score());
        }
    }

    /** HASH_LISTPACK: the listpack. HASH: the field count, then field, value pairs. */
    private static void writeHash(RdbOutput out, Object h) {
        if (h instanceof byte[] lp) {
            out.writeString(lp, 0, Listpack.totalBytes(lp));
            return;
        }
        KeyTable t = HashValue.table(h);
        out.writeLength(t.size());
        for (int r = 1, limit = t.slotLimit(); r <= limit; r++) {
            if (!t.live(r)) continue;
            out.writeString(t.key(r));
            out.writeString((byte[]) t.value(r));
        }
    }
}
