package io.ember.type;

import io.ember.engine.KeyTable;
import io.ember.util.Numbers;
import java.util.Arrays;

/**
 * The value of a hash key (t_hash.c), in one of Redis's two encodings:
 * <ul>
 * <li><b>listpack</b>: field, value, field, value... in one {@link Listpack} {@code byte[]}, in
 *     insertion order, while the hash has at most {@code hash-max-listpack-entries} fields and no
 *     field or value longer than {@code hash-max-listpack-value} bytes;</li>
 * <li><b>hashtable</b>: a {@link KeyTable} mapping field to value ({@code byte[]}), reached once
 *     a write passes either limit. As in Redis a hash never converts back.</li>
 * </ul>
 * The object is a single reference to one or the other, so a small hash costs its listpack
 * plus this 24-byte wrapper. The listpack array may be changed in place (a value replaced by one
 * of the same encoded size) or replaced by a new array; callers must not keep it across writes.
 * Values stored in the table are never modified in place.
 *
 * <p>Single-threaded like everything the engine owns.
 */
public final class HashValue implements Values.Duplicable {
    /** Redis's LISTPACK_MAX_SAFETY_SIZE: a listpack is converted before it could pass 1 GB. */
    private static final long LISTPACK_MAX_SAFETY_SIZE = 1L << 30;

    /** {@code byte[]} listpack or {@link KeyTable} field -> value. */
    private Object data;

    private HashValue(Object data) {
        this.data = data;
    }

    /** An empty listpack-encoded hash (createHashObject). */
    public static HashValue create() {
        return new HashValue(Listpack.empty());
    }

    /** A listpack-encoded hash over {@code lp} (field/value pairs), e.g. read from an RDB file. */
    public static HashValue ofListpack(byte[] lp) {
        return new HashValue(lp);
    }

    public boolean isListpack() {
        return data instanceof byte[];
    }

    /** ValueType.ENC_LISTPACK or ValueType.ENC_HT, what OBJECT ENCODING reports. */
    public int encoding() {
        return data instanceof byte[] ? ValueType.ENC_LISTPACK : ValueType.ENC_HT;
    }

    /** The listpack (null when hashtable-encoded). Valid until the next write. */
    public byte[] listpack() {
        return data instanceof byte[] lp ? lp : null;
    }

    /** The field -> value table (null when listpack-encoded). */
    public KeyTable table() {
        return data instanceof KeyTable t ? t : null;
    }

    /** Number of fields. */
    public int size() {
        return data instanceof byte[] lp ? Listpack.size(lp) / 2 : ((KeyTable) data).size();
    }

    // ---- reads ---------------------------------------------------------------------------------

    /**
     * Offset in {@link #listpack()} of the field entry equal to {@code field}, or -1 (lpFind with
     * skip 1). Integer entries compare by value, as Redis's lpCompare does.
     */
    public static int findField(byte[] lp, byte[] field) {
        boolean asInt = field.length <= Numbers.MAX_LONG_CHARS && Numbers.isLong(field);
        long iv = asInt ? Numbers.parseLong(field) : 0;
        int p = Listpack.first(lp);
        while (p >= 0) {
            if (Listpack.isInt(lp, p)) {
                if (asInt && Listpack.intValue(lp, p) == iv) return p;
            } else if (Listpack.stringLength(lp, p) == field.length) {
                int s = Listpack.stringStart(lp, p);
                if (Arrays.equals(lp, s, s + field.length, field, 0, field.length)) return p;
            }
            p = Listpack.next(lp, Listpack.next(lp, p)); // skip the value
        }
        return -1;
    }

    /** The value of {@code field} (a new array when listpack-encoded), or null. */
    public byte[] get(byte[] field) {
        if (data instanceof byte[] lp) {
            int p = findField(lp, field);
            return p < 0 ? null : Listpack.get(lp, Listpack.next(lp, p));
        }
        KeyTable t = (KeyTable) data;
        int r = t.find(field);
        return r == 0 ? null : (byte[]) t.value(r);
    }

    public boolean exists(byte[] field) {
        if (data instanceof byte[] lp) return findField(lp, field) >= 0;
        return ((KeyTable) data).find(field) != 0;
    }

    /** Length of the value of {@code field} (digits of an integer entry), or -1 when absent. */
    public int valueLength(byte[] field) {
        if (data instanceof byte[] lp) {
            int p = findField(lp, field);
            return p < 0 ? -1 : Listpack.elementLength(lp, Listpack.next(lp, p));
        }
        KeyTable t = (KeyTable) data;
        int r = t.find(field);
        return r == 0 ? -1 : ((byte[]) t.value(r)).length;
    }

    // ---- writes --------------------------------------------------------------------------------

    /**
     * hashTypeTryConversion: before a write of the arguments {@code argv[from..to]} (fields and
     * values), converts to a hashtable if any of them is longer than {@code maxValue} or the
     * listpack could pass the 1 GB safety limit.
     */
    public void tryConversion(byte[][] argv, int from, int to, long maxValue) {
        if (!(data instanceof byte[] lp)) return;
        long sum = 0;
        for (int i = from; i <= to; i++) {
            if (argv[i].length > maxValue) {
                convertToTable();
                return;
            }
            sum += argv[i].length;
        }
        if (Listpack.totalBytes(lp) + sum > LISTPACK_MAX_SAFETY_SIZE) convertToTable();
    }

    /**
     * hashTypeSet: sets {@code field} to {@code value}; returns true if the field existed (its
     * value was replaced where it stands), false if it was added at the end. A listpack is
     * converted first when the field or value is longer than {@code maxValue} (HINCRBY's
     * results), and after adding when the hash has more than {@code maxEntries} fields. The
     * arrays are stored as given (hashtable) and must not be modified afterwards.
     */
    public boolean set(byte[] field, byte[] value, long maxEntries, long maxValue) {
        if (data instanceof byte[] && (field.length > maxValue || value.length > maxValue)) convertToTable();
        if (data instanceof byte[] lp) {
            int p = findField(lp, field);
            if (p >= 0) {
                replaceEntry(lp, Listpack.next(lp, p), value);
                return true;
            }
            data = Listpack.append(Listpack.append(lp, field), value);
            if (size() > maxEntries) convertToTable();
            return false;
        }
        KeyTable t = (KeyTable) data;
        int r = t.find(field);
        if (r != 0) {
            t.setValue(r, value);
            return true;
        }
        t.insert(field, value, 0);
        return false;
    }

    /** Replaces the entry at p: in place when the new encoding has the same size (lpReplace). */
    private void replaceEntry(byte[] lp, int p, byte[] value) {
        int q = Listpack.next(lp, p);
        int oldSize = (q < 0 ? Listpack.totalBytes(lp) - 1 : q) - p;
        if (Listpack.encodedEntrySize(value) == oldSize) {
            byte[] entry = Listpack.encode(value);
            System.arraycopy(entry, 0, lp, p, oldSize);
        } else {
            data = Listpack.replace(lp, p, value);
        }
    }

    /** hashTypeDelete: removes {@code field}; returns whether it was there. */
    public boolean delete(byte[] field) {
        if (data instanceof byte[] lp) {
            int p = findField(lp, field);
            if (p < 0) return false;
            data = Listpack.deleteRange(lp, p, 2);
            return true;
        }
        KeyTable t = (KeyTable) data;
        if (t.delete(field) == 0) return false;
        t.shrinkIfSparse(); // Redis checks htNeedsResize after every delete
        return true;
    }

    /** hashTypeConvertListpack: moves every pair into a new table. */
    private void convertToTable() {
        byte[] lp = (byte[]) data;
        KeyTable t = new KeyTable();
        int p = Listpack.first(lp);
        while (p >= 0) {
            int v = Listpack.next(lp, p);
            t.insert(Listpack.get(lp, p), Listpack.get(lp, v), 0);
            p = Listpack.next(lp, v);
        }
        data = t;
    }

    /** hashTypeDup: same encoding, no array shared with this value. */
    @Override
    public Object duplicate() {
        if (data instanceof byte[] lp) return new HashValue(lp.clone());
        KeyTable src = (KeyTable) data, dst = new KeyTable();
        for (int r = 1, limit = src.slotLimit(); r <= limit; r++) {
            if (src.live(r)) dst.insert(src.key(r).clone(), ((byte[]) src.value(r)).clone(), 0);
        }
        return new HashValue(dst);
    }
}
