package io.ember.command;

import io.ember.client.Client;
import io.ember.engine.Database;
import io.ember.pubsub.KeyspaceEvents;
import io.ember.type.HashValue;
import io.ember.type.Quicklist;
import io.ember.type.SetValue;
import io.ember.type.ValueType;
import io.ember.type.ZSetValue;
import io.ember.util.Bytes;
import io.ember.util.Doubles;
import io.ember.util.Numbers;
import io.ember.util.PartialQuickSort;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * SORT and SORT_RO (Redis's sort.c): sorts the elements of a list, set or sorted set numerically
 * or lexicographically (ALPHA), optionally by the values of other keys (BY pattern, with
 * {@code *} replaced by the element and {@code ->field} reading a hash field), returning them or
 * the values of GET patterns, or storing the result as a list (STORE).
 */
final class SortCommand {
    private SortCommand() {}

    static void register(CommandTable t) {
        t.add("sort", SortCommand::sort);
        t.add("sort_ro", SortCommand::sortRo);
    }

    static void sort(Client c, byte[][] argv, int argc) {
        sort(c, argv, argc, false);
    }

    static void sortRo(Client c, byte[][] argv, int argc) {
        sort(c, argv, argc, true);
    }

    /** One element being sorted, with what it is compared by. */
    private static final class Item {
        final byte[] element;
        double score;
        /** The BY value compared in ALPHA mode (null: the key or field does not exist). */
        byte[] by;

        Item(byte[] element) {
            this.element = element;
        }
    }

    static void sort(Client c, byte[][] argv, int argc, boolean readOnly) {
        Database db = c.db;
        int ref = db.lookupRead(argv[1]);
        int type = ref == 0 ? ValueType.LIST : db.type(ref);
        boolean desc = false, alpha = false, dontsort = false;
        long limitStart = 0, limitCount = -1;
        byte[] sortBy = null, store = null;
        List<byte[]> gets = new ArrayList<>();
        for (int j = 2; j < argc; j++) {
            int left = argc - j - 1;
            byte[] opt = argv[j];
            if (Bytes.eqIgnoreCase(opt, "asc")) {
                desc = false;
            } else if (Bytes.eqIgnoreCase(opt, "desc")) {
                desc = true;
            } else if (Bytes.eqIgnoreCase(opt, "alpha")) {
                alpha = true;
            } else if (Bytes.eqIgnoreCase(opt, "limit") && left >= 2) {
                if (!Numbers.isLong(argv[j + 1]) || !Numbers.isLong(argv[j + 2])) {
                    c.reply.error(Errors.NOT_INTEGER);
                    return;
                }
                limitStart = Numbers.parseLong(argv[j + 1]);
                limitCount = Numbers.parseLong(argv[j + 2]);
                j += 2;
            } else if (!readOnly && Bytes.eqIgnoreCase(opt, "store") && left >= 1) {
                store = argv[++j];
            } else if (Bytes.eqIgnoreCase(opt, "by") && left >= 1) {
                sortBy = argv[++j];
                // A pattern without '*' is constant: nothing to sort by (C string, stops at NUL).
                if (indexOf(sortBy, (byte) '*') < 0) dontsort = true;
            } else if (Bytes.eqIgnoreCase(opt, "get") && left >= 1) {
                gets.add(argv[++j]);
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
        if (type != ValueType.LIST && type != ValueType.SET && type != ValueType.ZSET) {
            c.reply.error(Errors.WRONGTYPE); // after the syntax checks, as Redis 7.0 replies
            return;
        }
        // A set has no order of its own: with STORE the result must still be deterministic.
        if (dontsort && type == ValueType.SET && store != null) {
            dontsort = false;
            alpha = true;
            sortBy = null;
        }
        if (type == ValueType.ZSET && ref != 0) toSkiplist(db, ref); // as Redis's SORT does (zsetConvert)

        long size = ref == 0 ? 0 : length(db, ref, type);
        long start = limitStart < 0 ? 0 : limitStart;
        long end = limitCount < 0 ? size - 1 : start + limitCount - 1;
        if (start >= size) {
            start = size - 1;
            end = size - 2;
        }
        if (end >= size) end = size - 1;

        List<Item> items = load(db, ref, type, dontsort, desc, start, end);
        if (dontsort && (type == ValueType.LIST || type == ValueType.ZSET) && ref != 0) {
            end -= start; // load() took only the range
            start = 0;
        }
        boolean conversionError = false;
        if (!dontsort) {
            for (Item it : items) {
                byte[] by = sortBy == null ? it.element : lookupByPattern(db, sortBy, it.element);
                if (by == null) continue;
                if (alpha) {
                    if (sortBy != null) it.by = by;
                } else {
                    double v = Doubles.parseRange(by, 0);
                    if (Double.isNaN(v) || isRangeError(by, v)) conversionError = true;
                    else it.score = v;
                }
            }
            sortItems(items, new SortOrder(alpha, sortBy != null, store != null, desc), sortBy != null, start, end);
        }
        if (conversionError) {
            c.reply.error("ERR One or more scores can't be converted into double");
            return;
        }
        long outputLen = gets.isEmpty() ? end - start + 1 : gets.size() * (end - start + 1);
        if (store == null) {
            c.reply.arrayHeader(Math.max(0, outputLen));
            for (long j = start; j <= end; j++) {
                Item it = items.get((int) j);
                if (gets.isEmpty()) c.reply.bulk(it.element);
                for (byte[] get : gets) {
                    byte[] v = lookupByPattern(db, get, it.element);
                    if (v == null) c.reply.nullBulk();
                    else c.reply.bulk(v);
                }
            }
            return;
        }
        Quicklist result = new Quicklist(c.engine.config.listMaxListpackSize);
        for (long j = start; j <= end; j++) {
            Item it = items.get((int) j);
            if (gets.isEmpty()) result.pushTail(it.element);
            for (byte[] get : gets) {
                byte[] v = lookupByPattern(db, get, it.element);
                result.pushTail(v == null ? Bytes.EMPTY : v);
            }
        }
        // STORE fires "sortstore" (list class), or "del" when an empty result removed the key.
        if (outputLen > 0) {
            db.set(store, result, ValueType.LIST, ValueType.ENC_QUICKLIST, false);
            KeyEvents.fire(c, KeyspaceEvents.LIST, "sortstore", store);
            c.engine.dirty += outputLen;
        } else if (db.delete(store)) {
            KeyEvents.del(c, store);
            c.engine.dirty++;
        }
        c.reply.integer(Math.max(0, outputLen));
    }

    private static long length(Database db, int ref, int type) {
        Object v = db.value(ref);
        return switch (type) {
            case ValueType.LIST -> ((Quicklist) v).size();
            case ValueType.SET -> SetValue.view(v).size();
            default -> ZSetValue.of(v).length();
        };
    }

    private static void toSkiplist(Database db, int ref) {
        ZSetValue z = ZSetValue.of(db.value(ref));
        if (!z.isListpack()) return;
        z.convertToSkiplist();
        db.table().setValue(ref, z.stored());
        db.setEncoding(ref, ValueType.ENC_SKIPLIST);
    }

    /**
     * The elements to sort. Lists and sorted sets that need no sorting are read only in the
     * LIMIT range, in their own order (reversed by DESC), as Redis does.
     */
    private static List<Item> load(Database db, int ref, int type, boolean dontsort, boolean desc, long start, long end) {
        List<Item> items = new ArrayList<>();
        if (ref == 0) return items;
        Object v = db.value(ref);
        if (type == ValueType.LIST) {
            Quicklist list = (Quicklist) v;
            if (dontsort) {
                if (end < start) return items;
                long n = end - start + 1;
                long from = desc ? list.size() - start - 1 : start;
                for (Quicklist.Cursor cur = list.cursorAt(from, !desc); cur != null && cur.valid() && n-- > 0; cur.next()) {
                    items.add(new Item(cur.value()));
                }
            } else {
                for (Quicklist.Cursor cur = list.cursorAt(0, true); cur != null && cur.valid(); cur.next()) {
                    items.add(new Item(cur.value()));
                }
            }
        } else if (type == ValueType.SET) {
            SetValue.view(v).forEachMember(m -> items.add(new Item(m)));
        } else {
            ZSetValue z = ZSetValue.of(v);
            if (dontsort) {
                if (end < start) return items;
                long n = end - start + 1;
                ZSetValue.Cursor cur = z.atRank(desc ? z.length() - 1 - start : start);
                for (; cur.valid() && n-- > 0; cur.step(desc)) items.add(new Item(cur.member()));
            } else {
                for (ZSetValue.Cursor cur = z.first(); cur.valid(); cur.step(false)) items.add(new Item(cur.member()));
            }
        }
        return items;
    }

    /** sortCompare: by score (ties by element), or by bytes (ALPHA), BY values first when given. */
    /**
     * Sorts as Redis does: a full sort is glibc's qsort, a merge sort (stable, like List.sort);
     * BY with a LIMIT narrower than the whole is pqsort, whose order of ties only pqsort gives.
     */
    private static void sortItems(List<Item> items, SortOrder order, boolean byPattern, long start, long end) {
        if (byPattern && (start != 0 || end != items.size() - 1)) {
            Item[] a = items.toArray(new Item[0]);
            PartialQuickSort.sort(a, a.length, order, start, end);
            for (int i = 0; i < a.length; i++) items.set(i, a[i]);
        } else {
            items.sort(order);
        }
    }

    /** Redis's sortCompare. */
    private record SortOrder(boolean alpha, boolean byPattern, boolean store, boolean desc) implements Comparator<Item> {
        @Override
        public int compare(Item a, Item b) {
            int cmp;
            if (!alpha) {
                cmp = Double.compare(a.score, b.score);
                if (a.score == b.score) cmp = compareBinary(a.element, b.element); // also -0.0 == 0.0
            } else if (byPattern) {
                // No tie-break here in Redis: equal or missing BY values keep the sort's own order.
                if (a.by == null || b.by == null) cmp = a.by == b.by ? 0 : a.by == null ? -1 : 1;
                else cmp = store ? compareBinary(a.by, b.by) : compareCString(a.by, b.by);
            } else {
                cmp = store ? compareBinary(a.element, b.element) : compareCString(a.element, b.element);
            }
            return desc ? -cmp : cmp;
        }
    }

    /** memcmp of the common prefix, then the shorter first (compareStringObjects). */
    private static int compareBinary(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    /**
     * strcoll in the C locale, which Ember assumes (strcmp: unsigned bytes up to the first NUL).
     * Redis uses the collation of its process locale; run the reference server with LC_ALL=C.
     */
    private static int compareCString(byte[] a, byte[] b) {
        int la = cLength(a), lb = cLength(b);
        return Arrays.compareUnsigned(a, 0, la, b, 0, lb);
    }

    private static int cLength(byte[] s) {
        int n = indexOf(s, (byte) 0);
        return n < 0 ? s.length : n;
    }

    private static int indexOf(byte[] s, byte b) {
        for (int i = 0; i < s.length; i++) {
            if (s[i] == b) return i;
            if (s[i] == 0) return -1;
        }
        return -1;
    }

    /** strtod's ERANGE: the text overflowed to infinity or underflowed (but is not a zero). */
    private static boolean isRangeError(byte[] text, double v) {
        if (Double.isInfinite(v)) {
            String s = Bytes.latin1(text).trim().toLowerCase(java.util.Locale.ROOT);
            return !(s.contains("inf"));
        }
        if (v == 0.0 || Math.abs(v) < Double.MIN_NORMAL) {
            for (byte b : text) {
                if (b >= '1' && b <= '9') return true; // a non-zero number that rounded to (sub)zero
                if (b == 'e' || b == 'E' || b == 'p' || b == 'P') break;
            }
        }
        return false;
    }

    /**
     * lookupKeyByPattern: "#" is the element itself; otherwise the first '*' is replaced by the
     * element, and a "->field" after it reads that hash field. Null when missing or of the wrong
     * type (a pattern without '*' looks nothing up).
     */
    static byte[] lookupByPattern(Database db, byte[] pattern, byte[] element) {
        int plen = cLength(pattern);
        if (plen == 1 && pattern[0] == '#') return element;
        int star = indexOf(pattern, (byte) '*');
        if (star < 0) return null;
        int arrow = -1;
        for (int i = star + 1; i + 1 < plen; i++) {
            if (pattern[i] == '-' && pattern[i + 1] == '>') {
                arrow = i;
                break;
            }
        }
        if (arrow >= 0 && arrow + 2 >= plen) arrow = -1; // "->" at the very end is part of the key
        int keyEnd = arrow >= 0 ? arrow : plen;
        byte[] key = new byte[star + element.length + (keyEnd - star - 1)];
        System.arraycopy(pattern, 0, key, 0, star);
        System.arraycopy(element, 0, key, star, element.length);
        System.arraycopy(pattern, star + 1, key, star + element.length, keyEnd - star - 1);
        int ref = db.lookupRead(key);
        if (ref == 0) return null;
        if (arrow >= 0) {
            if (db.type(ref) != ValueType.HASH) return null;
            return HashValue.get(db.value(ref), Arrays.copyOfRange(pattern, arrow + 2, plen));
        }
        return db.type(ref) == ValueType.STRING ? (byte[]) db.value(ref) : null;
    }
}
