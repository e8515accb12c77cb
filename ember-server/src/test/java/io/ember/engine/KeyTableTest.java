package io.ember.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Unit tests of the key table: chaining, incremental rehash both ways, SCAN, random keys, TTL pages. */
class KeyTableTest {

    private static byte[] k(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** A member table (link and meta per slot), or a database's (also size and stored hash). */
    private static KeyTable table(boolean database) {
        return database ? KeyTable.forDatabase() : new KeyTable();
    }

    /** Drives any pending rehash to completion, as the cron would. */
    private static void settle(KeyTable t) {
        while (t.rehashing()) t.rehashStep(100);
    }

    @ParameterizedTest(name = "database table: {0}")
    @ValueSource(booleans = {false, true})
    void insertFindDeleteThroughGrowAndShrink(boolean database) {
        KeyTable t = table(database);
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            int r = t.insert(k("key:" + i), "v" + i, i);
            assertEquals(r, t.find(k("key:" + i)));
            if (i % 997 == 0) { // spot-check earlier keys while a resize is in progress
                for (int j = 0; j <= i; j += 101) assertEquals("v" + j, t.value(t.find(k("key:" + j))));
            }
        }
        assertEquals(n, t.size());
        for (int i = 0; i < n; i++) {
            int r = t.find(k("key:" + i));
            assertNotEquals(0, r, "key:" + i);
            assertEquals("key:" + i, s(t.key(r)));
            assertEquals("v" + i, t.value(r));
            assertEquals(i, t.meta(r));
        }
        assertEquals(0, t.find(k("absent")));
        assertEquals(0, t.delete(k("absent")));

        // Delete 95%: the table must shrink (cron) and everything left must stay reachable.
        settle(t);
        int bucketsBefore = t.bucketCount();
        for (int i = 0; i < n; i++) {
            if (i % 20 != 0) assertNotEquals(0, t.delete(k("key:" + i)));
        }
        assertEquals(n / 20, t.size());
        t.shrinkIfSparse();
        assertTrue(t.rehashing(), "a sparse table starts shrinking");
        // Operations during the shrink see every key, whichever table it is in.
        for (int i = 0; i < n; i += 20) assertEquals("v" + i, t.value(t.find(k("key:" + i))));
        settle(t);
        assertTrue(t.bucketCount() < bucketsBefore / 8, "buckets after shrink: " + t.bucketCount());
        for (int i = 0; i < n; i++) {
            assertEquals(i % 20 == 0, t.find(k("key:" + i)) != 0, "key:" + i);
        }
    }

    @ParameterizedTest(name = "database table: {0}")
    @ValueSource(booleans = {false, true})
    void randomOperationsAgreeWithAHashMap(boolean database) {
        Random rnd = new Random(42);
        KeyTable t = table(database);
        Map<String, Integer> model = new HashMap<>();
        for (int step = 0; step < 200_000; step++) {
            String key = "k" + rnd.nextInt(step < 100_000 ? 5000 : 300); // grow, then mostly shrink
            int op = rnd.nextInt(10);
            if (op < 5) {
                int r = t.find(k(key));
                if (model.containsKey(key)) {
                    assertNotEquals(0, r);
                    if (database) assertEquals(model.get(key) + 1, t.size(r), "the size kept with " + key);
                    t.setMeta(r, step);
                    if (database) t.setSize(r, step + 1);
                    model.put(key, step);
                } else {
                    assertEquals(0, r);
                    r = t.insert(k(key), key, step);
                    assertEquals(0, t.size(r), "a new or reused slot starts without a size");
                    if (database) t.setSize(r, step + 1);
                    model.put(key, step);
                }
            } else if (op < 9) {
                int r = t.delete(k(key));
                assertEquals(model.remove(key) != null, r != 0, key);
            } else {
                t.shrinkIfSparse();
                t.rehashStep(1 + rnd.nextInt(3));
            }
            assertEquals(model.size(), t.size());
        }
        for (Map.Entry<String, Integer> e : model.entrySet()) {
            int r = t.find(k(e.getKey()));
            assertEquals(e.getKey(), t.value(r));
            assertEquals(e.getValue(), t.meta(r));
        }
        // Walking all slots finds exactly the live entries.
        Set<String> live = new HashSet<>();
        for (int r = 1; r <= t.slotLimit(); r++) if (t.live(r)) live.add(s(t.key(r)));
        assertEquals(model.keySet(), live);
    }

    @Test
    void slotsAreReusedWithoutTheirOldTtl() {
        KeyTable t = new KeyTable();
        int r = t.insert(k("a"), "x", 0);
        t.setExpireAt(r, 12345);
        assertEquals(1, t.expiresCount());
        t.delete(k("a"));
        assertEquals(0, t.expiresCount());
        int r2 = t.insert(k("b"), "y", 0);
        assertEquals(r, r2, "the freed slot is reused");
        assertEquals(0, t.expireAt(r2), "a reused slot starts without TTL");
    }

    @Test
    void expiryPagesAreAllocatedOnlyWhereKeysHaveTtls() {
        KeyTable t = new KeyTable();
        int n = 5000; // about five pages of 1024 slots
        int[] refs = new int[n];
        for (int i = 0; i < n; i++) refs[i] = t.insert(k("key:" + i), "v", 0);
        assertEquals(0, t.expirePages(), "no TTL, no expiry page");
        t.setExpireAt(refs[10], 1000);
        t.setExpireAt(refs[4000], 2000);
        assertEquals(2, t.expirePages());
        assertEquals(2, t.expiresCount());
        assertEquals(1000, t.expireAt(refs[10]));
        assertEquals(2000, t.expireAt(refs[4000]));
        assertEquals(0, t.expireAt(refs[11]));
        t.setExpireAt(refs[10], 1500); // overwrite does not count twice
        assertEquals(2, t.expiresCount());
        t.setExpireAt(refs[10], 0);
        assertEquals(1, t.expirePages(), "the page is dropped with its last TTL");
        t.delete(k("key:4000"));
        assertEquals(0, t.expirePages());
        assertEquals(0, t.expiresCount());
    }

    @Test
    void nextExpirySlotSkipsPagesWithoutTtls() {
        KeyTable t = new KeyTable();
        int[] refs = new int[5000];
        for (int i = 0; i < refs.length; i++) refs[i] = t.insert(k("key:" + i), "v", 0);
        assertEquals(0, t.nextRefWithExpire(1, 100_000));
        t.setExpireAt(refs[3000], 99);
        t.setExpireAt(refs[3001], 98);
        assertEquals(refs[3000], t.nextRefWithExpire(1, 100_000));
        assertEquals(refs[3001], t.nextRefWithExpire(refs[3000] + 1, 100_000));
        assertEquals(0, t.nextRefWithExpire(refs[3001] + 1, 100_000));
        // The slot budget bounds the walk: a negative answer is "nothing yet, go on from -answer".
        // Pages 0 and 1 hold no TTL and are skipped whole; page 2 starts at ref 2049.
        int r = t.nextRefWithExpire(1, 10);
        assertEquals(-(2049 + 10), r);
        int walks = 1;
        while (r < 0) {
            r = t.nextRefWithExpire(-r, 10);
            walks++;
        }
        assertEquals(refs[3000], r);
        assertEquals((3000 - 2048) / 10 + 1, walks); // 952 slots without TTL, then the hit
    }

    /**
     * The SCAN guarantee: a key present from the first to the last call is returned at least
     * once, while other keys are added (the table grows, maybe several times) and deleted (the
     * table shrinks) between calls, with rehashing in progress at arbitrary points.
     */
    @Test
    void scanReturnsEveryStableKeyWhileTheTableGrowsAndShrinks() {
        int totalGrows = 0, totalShrinks = 0;
        for (long seed = 1; seed <= 25; seed++) {
            Random rnd = new Random(seed);
            KeyTable t = new KeyTable();
            List<String> stable = new ArrayList<>();
            int stableCount = 50 + rnd.nextInt(500);
            for (int i = 0; i < stableCount; i++) {
                stable.add("stable:" + i);
                t.insert(k("stable:" + i), "s", 0);
            }
            List<String> transients = new ArrayList<>();
            int nextTransient = 0;
            if (rnd.nextBoolean()) { // start big so the scan sees shrinks early
                for (int i = 0; i < 5000; i++) {
                    transients.add("t:" + nextTransient);
                    t.insert(k("t:" + nextTransient++), "t", 0);
                }
            }
            Set<String> ever = new HashSet<>(stable);
            ever.addAll(transients);
            Set<String> seen = new HashSet<>();
            long cursor = 0;
            int calls = 0;
            int target = 0;
            int grows = 0, shrinks = 0;
            do {
                cursor = t.scan(cursor, r -> seen.add(s(t.key(r))));
                calls++;
                // Between calls, move the table towards a target size that swings between large
                // and small, so the scan lives through several grows and shrinks.
                if (calls % 25 == 1) target = rnd.nextBoolean() ? 2000 + rnd.nextInt(6000) : rnd.nextInt(100);
                int before = t.bucketCount();
                int step = 1 + rnd.nextInt(1500);
                for (int i = 0; i < step && transients.size() < target; i++) {
                    String key = "t:" + nextTransient++;
                    transients.add(key);
                    ever.add(key);
                    t.insert(k(key), "t", 0);
                }
                for (int i = 0; i < step && transients.size() > target; i++) {
                    String key = transients.remove(rnd.nextInt(transients.size()));
                    assertNotEquals(0, t.delete(k(key)));
                }
                if (rnd.nextInt(3) == 0) t.shrinkIfSparse();
                if (rnd.nextInt(3) == 0) t.rehashStep(1 + rnd.nextInt(50));
                if (t.bucketCount() > before) grows++;
                if (t.bucketCount() < before) shrinks++;
                assertTrue(calls < 200_000, "scan does not terminate");
            } while (cursor != 0);
            for (String key : stable) assertTrue(seen.contains(key), "seed " + seed + ": SCAN missed " + key);
            totalGrows += grows;
            totalShrinks += shrinks;
            for (String key : seen) assertTrue(ever.contains(key), "seed " + seed + ": SCAN returned unknown " + key);
        }
        // The scenario really exercised resizes in both directions during scans.
        assertTrue(totalGrows > 40 && totalShrinks > 40, "grows " + totalGrows + ", shrinks " + totalShrinks);
    }

    @Test
    void scanOfAStableTableReturnsEachKeyOnce() {
        KeyTable t = new KeyTable();
        for (int i = 0; i < 3000; i++) t.insert(k("x" + i), "v", 0);
        settle(t);
        List<String> seen = new ArrayList<>();
        long cursor = 0;
        do {
            cursor = t.scan(cursor, r -> seen.add(s(t.key(r))));
        } while (cursor != 0);
        assertEquals(3000, seen.size());
        assertEquals(3000, new HashSet<>(seen).size());
    }

    @Test
    void scanOfAnEmptyTableEndsAtOnce() {
        KeyTable t = new KeyTable();
        assertEquals(0, t.scan(0, r -> { throw new AssertionError(); }));
        assertEquals(0, t.scan(12345, r -> { throw new AssertionError(); }));
    }

    @Test
    void randomRefReturnsLiveEntriesAndCoversAllOfThem() {
        KeyTable t = new KeyTable();
        assertEquals(0, t.randomRef());
        for (int i = 0; i < 64; i++) t.insert(k("r" + i), "v", 0);
        // Insert more to force a resize, and sample while it is in progress.
        for (int i = 64; i < 130; i++) t.insert(k("r" + i), "v", 0);
        assertTrue(t.rehashing() || t.size() == 130);
        Set<String> drawn = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            int r = t.randomRef();
            assertTrue(t.live(r));
            drawn.add(s(t.key(r)));
        }
        assertEquals(130, drawn.size(), "every key can be drawn");
        for (int i = 0; i < 129; i++) t.delete(k("r" + i));
        for (int i = 0; i < 100; i++) assertSame(t.key(t.find(k("r129"))), t.key(t.randomRef()));
        t.delete(k("r129"));
        assertEquals(0, t.randomRef());
        assertFalse(t.live(1));
    }
}
