package io.ember.type;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.engine.KeyTable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hash value operations on both encodings, the conversion rules, and COPY's duplicate. */
class HashValueTest {
    private static final long ENTRIES = 128, VALUE = 64;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    private static Object set(Object h, String f, String v) {
        return HashValue.set(h, b(f), b(v), ENTRIES, VALUE);
    }

    /** Field/value pairs in the listpack's order. */
    private static List<String> listpackPairs(byte[] lp) {
        List<String> out = new ArrayList<>();
        for (int p = Listpack.first(lp); p >= 0; p = Listpack.next(lp, p)) out.add(s(Listpack.get(lp, p)));
        return out;
    }

    private static Map<String, String> tableContents(KeyTable t) {
        Map<String, String> out = new HashMap<>();
        for (int r = 1; r <= t.slotLimit(); r++) if (t.live(r)) out.put(s(t.key(r)), s((byte[]) t.value(r)));
        return out;
    }

    @Test
    void listpackKeepsInsertionOrderAndReplacesValuesWhereTheyStand() {
        Object h = HashValue.create();
        assertEquals(0, HashValue.size(h));
        h = set(h, "b", "1");
        h = set(h, "a", "hello");
        h = set(h, "10", "x");
        assertEquals(3, HashValue.size(h));
        h = set(h, "b", "a longer value");
        h = set(h, "a", "12345");
        assertEquals(3, HashValue.size(h));
        assertEquals(List.of("b", "a longer value", "a", "12345", "10", "x"), listpackPairs((byte[]) h));
        assertEquals("12345", s(HashValue.get(h, b("a"))));
        assertEquals(5, HashValue.valueLength(h, b("a")));
        assertEquals(-1, HashValue.valueLength(h, b("zz")));
        assertTrue(Listpack.isValid((byte[]) h));
        assertEquals(ValueType.ENC_LISTPACK, HashValue.encoding(h));
    }

    @Test
    void sameSizeReplacementHappensInPlace() {
        Object h = set(set(HashValue.create(), "f", "abc"), "g", "7");
        byte[] before = (byte[]) h;
        Object after = set(h, "f", "xyz");
        assertSame(before, after, "a value of the same encoded size overwrites the entry");
        after = set(after, "g", "9");
        assertSame(before, after);
        assertEquals(List.of("f", "xyz", "g", "9"), listpackPairs((byte[]) after));
        Object longer = set(after, "f", "abcd");
        assertNotSame(before, longer);
        assertEquals(List.of("f", "abcd", "g", "9"), listpackPairs((byte[]) longer));
        assertTrue(Listpack.isValid((byte[]) longer));
    }

    @Test
    void integerFieldsMatchByValueOnlyInCanonicalForm() {
        Object h = set(set(set(HashValue.create(), "1", "one"), "01", "zero-one"), "-5", "minus");
        assertEquals("one", s(HashValue.get(h, b("1"))));
        assertEquals("zero-one", s(HashValue.get(h, b("01"))));
        assertEquals("minus", s(HashValue.get(h, b("-5"))));
        assertNull(HashValue.get(h, b("+1")));
        assertNull(HashValue.get(h, b("1 ")));
        assertFalse(HashValue.exists(h, b("-05")));
        // A value is never mistaken for a field.
        assertFalse(HashValue.exists(h, b("one")));
        assertEquals(3, HashValue.size(h));
    }

    @Test
    void convertsAfterAddingPastTheEntryLimit() {
        Object h = HashValue.create();
        for (int i = 0; i < 4; i++) h = HashValue.set(h, b("f" + i), b("v" + i), 4, VALUE);
        assertInstanceOf(byte[].class, h);
        h = HashValue.set(h, b("f0"), b("updated"), 4, VALUE); // an update does not grow it
        assertInstanceOf(byte[].class, h);
        h = HashValue.set(h, b("f4"), b("v4"), 4, VALUE);
        assertInstanceOf(HashValue.Table.class, h);
        assertEquals(ValueType.ENC_HT, HashValue.encoding(h));
        assertEquals(Map.of("f0", "updated", "f1", "v1", "f2", "v2", "f3", "v3", "f4", "v4"),
                tableContents(HashValue.table(h)));
        assertNull(HashValue.listpack(h));
    }

    @Test
    void anUpdateConvertsWhenTheLimitWasLowered() {
        Object h = HashValue.create();
        for (int i = 0; i < 4; i++) h = HashValue.set(h, b("f" + i), b("v" + i), 4, VALUE);
        assertInstanceOf(byte[].class, HashValue.set(h, b("f0"), b("w"), 4, VALUE));
        h = HashValue.set(h, b("f0"), b("x"), 3, VALUE); // CONFIG SET hash-max-listpack-entries 3
        assertInstanceOf(HashValue.Table.class, h);
        assertEquals("x", s(HashValue.get(h, b("f0"))));
    }

    @Test
    void convertsBeforeWritingAFieldOrValueLongerThanTheValueLimit() {
        Object h = set(HashValue.create(), "a", "1");
        Object same = HashValue.set(h, b("b"), b("x".repeat(64)), ENTRIES, 64);
        assertInstanceOf(byte[].class, same, "64 bytes is within a 64-byte limit");
        Object converted = HashValue.set(same, b("c"), b("x".repeat(65)), ENTRIES, 64);
        assertInstanceOf(HashValue.Table.class, converted);
        Object byField = HashValue.set(set(HashValue.create(), "a", "1"), b("f".repeat(65)), b("1"), ENTRIES, 64);
        assertInstanceOf(HashValue.Table.class, byField);
        assertEquals("1", s(HashValue.get(byField, b("a"))));
    }

    @Test
    void tryConversionLooksAtEveryArgumentBeforeAnyWrite() {
        byte[][] argv = {b("hset"), b("k"), b("f"), b("v"), b("g"), b("y".repeat(10))};
        Object h = set(HashValue.create(), "a", "1");
        assertSame(h, HashValue.tryConversion(h, argv, 2, 5, 10));
        Object t = HashValue.tryConversion(h, argv, 2, 5, 9);
        assertInstanceOf(HashValue.Table.class, t);
        assertEquals("1", s(HashValue.get(t, b("a"))));
        assertSame(t, HashValue.tryConversion(t, argv, 2, 5, 0), "a table never converts back");
    }

    @Test
    void deleteFromBothEncodings() {
        Object h = set(set(set(HashValue.create(), "a", "1"), "b", "2"), "c", "3");
        Object same = HashValue.delete(h, b("zz"));
        assertSame(h, same);
        h = HashValue.delete(h, b("b"));
        assertEquals(List.of("a", "1", "c", "3"), listpackPairs((byte[]) h));
        h = HashValue.delete(HashValue.delete(h, b("a")), b("c"));
        assertEquals(0, HashValue.size(h));
        assertTrue(Listpack.isValid((byte[]) h));

        Object t = HashValue.toTable((byte[]) set(set(HashValue.create(), "a", "1"), "b", "2"));
        t = HashValue.delete(t, b("a"));
        assertEquals(1, HashValue.size(t));
        assertFalse(HashValue.exists(t, b("a")));
        assertTrue(HashValue.exists(t, b("b")));
    }

    @Test
    void tableShrinksAsFieldsAreDeleted() {
        Object t = HashValue.toTable(HashValue.create());
        for (int i = 0; i < 1000; i++) t = set(t, "f" + i, "v" + i);
        KeyTable map = HashValue.table(t);
        while (map.rehashing()) map.rehashStep(100);
        int grown = map.bucketCount();
        for (int i = 0; i < 990; i++) t = HashValue.delete(t, b("f" + i));
        while (map.rehashing()) map.rehashStep(100);
        assertTrue(map.bucketCount() <= grown / 8, map.bucketCount() + " buckets left of " + grown);
        t = HashValue.delete(t, b("f990")); // once the shrink is done, the next delete shrinks again
        while (map.rehashing()) map.rehashStep(100);
        assertEquals(16, map.bucketCount());
        assertEquals(9, HashValue.size(t));
        assertEquals("v995", s(HashValue.get(t, b("f995"))));
    }

    @Test
    void duplicatesShareNothing() {
        Object lp = set(set(HashValue.create(), "a", "1"), "b", "2");
        byte[] copy = (byte[]) Values.duplicate(ValueType.HASH, lp);
        assertArrayEquals((byte[]) lp, copy);
        set(lp, "a", "9"); // in place in the original
        assertEquals("1", s(HashValue.get(copy, b("a"))));

        Object t = HashValue.toTable((byte[]) set(set(HashValue.create(), "a", "1"), "b", "2"));
        Object tc = Values.duplicate(ValueType.HASH, t);
        assertInstanceOf(HashValue.Table.class, tc);
        set(t, "a", "changed");
        HashValue.delete(t, b("b"));
        assertEquals(Map.of("a", "1", "b", "2"), tableContents(HashValue.table(tc)));
        byte[] va = HashValue.get(t, b("a"));
        assertNotSame(va, HashValue.get(tc, b("a")));
    }

    /** Random operations on both encodings agree with a LinkedHashMap (exactly in order for listpacks). */
    @Test
    void randomOperationsMatchAMap() {
        Random rnd = new Random(7);
        for (int round = 0; round < 20; round++) {
            long entries = 1 + rnd.nextInt(40), value = 1 + rnd.nextInt(12);
            Object h = HashValue.create();
            Map<String, String> model = new LinkedHashMap<>();
            boolean converted = false;
            for (int i = 0; i < 400; i++) {
                String f = rnd.nextInt(4) == 0 ? Integer.toString(rnd.nextInt(50) - 10) : "f" + rnd.nextInt(50);
                if (rnd.nextInt(3) == 0) {
                    h = HashValue.delete(h, b(f));
                    model.remove(f);
                } else {
                    String v = rnd.nextBoolean() ? Long.toString(rnd.nextLong() >> rnd.nextInt(64)) : "v".repeat(rnd.nextInt(14));
                    boolean tooLong = f.length() > value || v.length() > value;
                    h = HashValue.set(h, b(f), b(v), entries, value);
                    model.put(f, v);
                    converted |= tooLong || model.size() > entries;
                }
                assertEquals(converted ? ValueType.ENC_HT : ValueType.ENC_LISTPACK, HashValue.encoding(h));
                assertEquals(model.size(), HashValue.size(h));
            }
            if (h instanceof byte[] lp) {
                assertTrue(Listpack.isValid(lp));
                List<String> expected = new ArrayList<>();
                model.forEach((k, v) -> {
                    expected.add(k);
                    expected.add(v);
                });
                assertEquals(expected, listpackPairs(lp));
            } else {
                assertEquals(model, tableContents(HashValue.table(h)));
            }
            for (Map.Entry<String, String> e : model.entrySet()) {
                assertEquals(e.getValue(), s(HashValue.get(h, b(e.getKey()))));
                assertEquals(e.getValue().length(), HashValue.valueLength(h, b(e.getKey())));
            }
        }
    }
}
