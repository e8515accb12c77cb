package io.ember.memory;

import io.ember.engine.KeyTable;
import io.ember.type.HashValue;
import io.ember.type.Quicklist;
import io.ember.type.SetValue;
import io.ember.type.ZSetValue;

/**
 * The estimate of what a key and its value cost on the heap, computed in O(1) from sizes the
 * value types keep up to date, for used_memory, maxmemory and MEMORY USAGE. It counts object
 * headers and array headers as a 64-bit JVM without compressed references lays them out (ZGC):
 * 16 bytes per array header, 8 per reference.
 *
 * <p>It is an estimate of live data, not a measurement: padding, the key table's spare buckets
 * and slot pages are approximated, and objects shared between keys are counted for each.
 * {@code MemoryEstimateTest} checks it against the heap the JVM actually retains.
 */
public final class MemoryEstimate {
    private MemoryEstimate() {}

    /** A key table entry: key, value and next references, meta word, and its bucket share. */
    static final int SLOT_BYTES = 8 + 8 + 4 + 4 + 4 + 4;
    /** An array's header. */
    static final int ARRAY_HEADER = 16;

    /** The whole entry: slot, key array, TTL word if any, and the value. */
    public static int entryBytes(byte[] key, Object value, boolean hasTtl) {
        long bytes = SLOT_BYTES + ARRAY_HEADER + align(key.length) + (hasTtl ? 8 : 0) + valueBytes(value);
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }

    /** A value of any type, in O(1). */
    public static long valueBytes(Object value) {
        if (value instanceof byte[] b) return ARRAY_HEADER + align(b.length); // strings, listpacks, intsets
        if (value instanceof Quicklist q) return q.memoryBytes();
        if (value instanceof ZSetValue z) return z.memoryBytes();
        if (value instanceof HashValue.Table t) return 16 + tableBytes(t.map, true);
        if (value instanceof SetValue s) return 16 + tableBytes(s.table(), false);
        if (value instanceof io.ember.type.StreamValue s) return s.memoryBytes();
        return 16; // anything else is a small object (a boxed integer)
    }

    /** A hash's or set's own key table: slots, buckets, and the field (and value) arrays. */
    private static long tableBytes(KeyTable t, boolean withValues) {
        long entries = t.size();
        long arrays = entries * (withValues ? 2 * ARRAY_HEADER : ARRAY_HEADER);
        return 96 + entries * SLOT_BYTES + 4L * t.bucketCount() + arrays + t.payloadBytes();
    }

    private static long align(long n) {
        return (n + 7) & ~7L;
    }
}
