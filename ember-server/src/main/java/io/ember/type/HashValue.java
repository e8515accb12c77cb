package io.ember.type;

import io.ember.engine.KeyTable;
import io.ember.util.Numbers;
import java.util.Arrays;

/**
 * The hash type (t_hash.c's hashType* functions). A hash value, as stored in the keyspace, is
 * one of Redis's two encodings:
 * <ul>
 * <li><b>listpack</b>: a plain {@code byte[]} {@link Listpack} holding field, value, field,
 *     value... in insertion order, while the hash has at most {@code hash-max-listpack-entries}
 *     fields and no field or value longer than {@code hash-max-listpack-value} bytes;</li>
 * <li><b>hashtable</b>: a {@link Table}, a {@link KeyTable} mapping field to value
 *     ({@code byte[]}), reached once a write passes either limit. A hash never converts back.</li>
 * </ul>
 * A small hash is thus exactly its listpack array, with no wrapper object: 100,000 hashes of ten
 * short fields take about as much heap as Redis's memory (see docs/hashes.md).
 *
 * <p>The methods take the stored value ({@code Object h}). Writes return the value to store back
 * (a listpack changes size by copying into a new array; a conversion returns a Table); the caller
 * must store it and drop the old reference. A listpack value replaced by one of the same encoded
 * size is overwritten in place. Arrays stored in a Table are never modified.
 */
public final class HashValue {
    private HashValue() {}

    /** Redis's LISTPACK_MAX_SAFETY_SIZE: a listpack is converted before it could pass 1 GB. */
    private static final long LISTPACK_MAX_SAFETY_SIZE = 1L << 30;

    /** The hashtable encoding: field -> value. Exists as a class so COPY can duplicate it. */
    public static final class Table implements Values.Duplicable {
        public final KeyTable map = new KeyTable();

        /** hashTypeDup: a new table with copies of every field and value. */
        @Override
        public Object duplicate() {
            Table copy = new Table();
            for (int r = 1, limit = map.slotLimit(); r <= limit; r++) {
                if (map.live(r)) copy.map.insert(map.key(r).clone(), ((byte[]) map.value(r)).clone(), 0);
            }
            return copy;
        }
    }

    /** An empty listpack-encoded hash (createHashObject). */
    public static byte[] create() {
        return Listpack.empty();
    }

    /** ValueType.ENC_LISTPACK or ValueType.ENC_HT: what OBJECT ENCODING reports. */
    public static int encoding(Object h) {
        return h instanceof byte[] ? ValueType.ENC_LISTPACK : ValueType.ENC_HT;
    }

    /** The listpack of a listpack-encoded hash, null for a table. Valid until the next write. */
    public static byte[] listpack(Object h) {
        return h instanceof byte[] lp ? lp : null;
    }

    /** The field -> value table of a hashtable-encoded hash, null for a listpack. */
    public static KeyTable table(Object h) {
        return h instanceof Table t ? t.map : null;
    }

    /** Number of fields. */
    public static int size(Object h) {
        return h instanceof byte[] lp ? Listpack.size(lp) / 2 : ((Table) h).map.size();
    }

    // ---- reads ---------------------------------------------------------------------------------

    /**
     * Offset of the field entry equal to {@code field} in a listpack hash, or -1 (lpFind with
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
    public static byte[] get(Object h, byte[] field) {
        if (h instanceof byte[] lp) {
            int p = findField(lp, field);
            return p < 0 ? null : Listpack.get(lp, Listpack.next(lp, p));
        }
        KeyTable t = ((Table) h).map;
        int r = t.find(field);
        return r == 0 ? null : (byte[]) t.value(r);
    }

    public static boolean exists(Object h, byte[] field) {
        if (h instanceof byte[] lp) return findField(lp, field) >= 0;
        return ((Table) h).map.find(field) != 0;
    }

    /** Length of the value of {@code field} (digits of an integer entry), or -1 when absent. */
    public static int valueLength(Object h, byte[] field) {
        if (h instanceof byte[] lp) {
            int p = findField(lp, field);
            return p < 0 ? -1 : Listpack.elementLength(lp, Listpack.next(lp, p));
        }
        KeyTable t = ((Table) h).map;
        int r = t.find(field);
        return r == 0 ? -1 : ((byte[]) t.value(r)).length;
    }

    // ---- writes (each returns the value to store) ----------------------------------------------

    /**
     * hashTypeTryConversion: before writing the arguments {@code argv[from..to]} (fields and
     * values), converts a listpack to a table if any of them is longer than {@code maxValue} or
     * the listpack could pass the 1 GB safety limit.
     */
    public static Object tryConversion(Object h, byte[][] argv, int from, int to, long maxValue) {
        if (!(h instanceof byte[] lp)) return h;
        long sum = 0;
        for (int i = from; i <= to; i++) {
            if (argv[i].length > maxValue) return toTable(lp);
            sum += argv[i].length;
        }
        return Listpack.totalBytes(lp) + sum > LISTPACK_MAX_SAFETY_SIZE ? toTable(lp) : h;
    }

    /**
     * hashTypeSet: sets {@code field} to {@code value}. An existing field keeps its place (its
     * value is replaced); a new one goes at the end. A listpack is converted first when the field
     * or the value is longer than {@code maxValue} (HINCRBY's results are checked here), and
     * afterwards when the hash has more than {@code maxEntries} fields. Compare {@link #size} before
     * and after to learn whether the field was added. The arrays are kept as given by a Table.
     */
    public static Object set(Object h, byte[] field, byte[] value, long maxEntries, long maxValue) {
        if (h instanceof byte[] lp && (field.length > maxValue || value.length > maxValue)) h = toTable(lp);
        if (h instanceof byte[] lp) {
            int p = findField(lp, field);
            if (p >= 0) lp = replaceEntry(lp, Listpack.next(lp, p), value);
            else lp = Listpack.appendPair(lp, field, value);
            // Checked after an update too: the limit may have been lowered since (CONFIG SET).
            return Listpack.size(lp) / 2 > maxEntries ? toTable(lp) : lp;
        }
        KeyTable t = ((Table) h).map;
        int r = t.find(field);
        if (r != 0) t.setValue(r, value);
        else t.insert(field, value, 0);
        return h;
    }

    /** Replaces the entry at p (lpReplace): in place when the new encoding has the same size. */
    private static byte[] replaceEntry(byte[] lp, int p, byte[] value) {
        int q = Listpack.next(lp, p);
        int oldSize = (q < 0 ? Listpack.totalBytes(lp) - 1 : q) - p;
        if (Listpack.encodedEntrySize(value) != oldSize) return Listpack.replace(lp, p, value);
        byte[] entry = Listpack.encode(value);
        System.arraycopy(entry, 0, lp, p, oldSize);
        return lp;
    }

    /**
     * hashTypeDelete: removes {@code field} if present (compare {@link #size} to learn whether it
     * was). The caller deletes a hash left empty.
     */
    public static Object delete(Object h, byte[] field) {
        if (h instanceof byte[] lp) {
            int p = findField(lp, field);
            return p < 0 ? lp : Listpack.deleteRange(lp, p, 2);
        }
        KeyTable t = ((Table) h).map;
        if (t.delete(field) != 0) t.shrinkIfSparse(); // Redis checks htNeedsResize after every delete
        return h;
    }

    /** hashTypeConvertListpack: every pair moved into a new table, in listpack order. */
    static Table toTable(byte[] lp) {
        Table table = new Table();
        int p = Listpack.first(lp);
        while (p >= 0) {
            int v = Listpack.next(lp, p);
            table.map.insert(Listpack.get(lp, p), Listpack.get(lp, v), 0);
            p = Listpack.next(lp, v);
        }
        return table;
    }
}
