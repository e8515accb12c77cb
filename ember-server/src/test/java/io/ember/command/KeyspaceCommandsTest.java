package io.ember.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.engine.Database;
import io.ember.engine.Engine;
import io.ember.testing.JedisTestBase;
import io.ember.type.ValueType;
import io.ember.util.Bytes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.args.ExpiryOption;
import redis.clients.jedis.args.FlushMode;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;

/** The keyspace commands through Jedis: replies, errors, TTL handling, WATCH, statistics, dirty counter. */
class KeyspaceCommandsTest extends JedisTestBase {
    @BeforeAll
    static void start() {
        startServer();
    }

    @BeforeEach
    void reset() {
        j.flushAll();
        onEngine(() -> {
            engine().config.maxmemoryPolicy = "noeviction";
            engine().config.lazyfreeLazyUserFlush = false;
            // Expired keys must stay until a command reclaims them, for the DBSIZE assertions.
            engine().activeExpireEnabled = false;
            return null;
        });
    }

    static Engine engine() {
        return server.server().engine();
    }

    /** Runs on the engine thread, where engine state may be read and changed. */
    static <T> T onEngine(Callable<T> task) {
        try {
            return engine().loop().submit(task).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static long dirty() {
        return onEngine(() -> engine().dirty);
    }

    static String error(Runnable r) {
        return assertThrows(JedisDataException.class, r::run).getMessage();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sets a key that expires almost at once and waits until it has. */
    private void setExpired(String key) {
        j.set(key, "gone", SetParams.setParams().px(1));
        sleep(5);
    }

    // ---- DEL, UNLINK, EXISTS, TYPE ----

    @Test
    void delAndUnlinkCountOnlyKeysThatExist() {
        j.set("a", "1");
        j.set("b", "2");
        j.set("c", "3");
        long d0 = dirty();
        assertEquals(2, j.del("a", "b", "nokey", "a"));
        assertEquals(d0 + 2, dirty(), "one change per deleted key");
        assertEquals(1, j.unlink("c", "nokey"));
        assertEquals(0, j.dbSize());
        setExpired("e");
        assertEquals(0, j.del("e"), "an expired key is not deleted, it was already gone");
        assertEquals(0, j.dbSize());
    }

    @Test
    void existsCountsEveryArgumentIncludingRepeats() {
        j.set("a", "1");
        assertEquals(3, j.exists("a", "a", "nokey", "a"));
        assertTrue(j.exists("a"));
        setExpired("e");
        assertFalse(j.exists("e"));
    }

    @Test
    void typeNamesTheValueType() {
        j.set("s", "v");
        assertEquals("string", j.type("s"));
        assertEquals("none", j.type("nokey"));
    }

    // ---- RENAME, RENAMENX ----

    @Test
    void renameMovesValueAndTtl() {
        j.set("src", "v");
        j.expire("src", 100);
        j.set("dst", "old");
        long d0 = dirty();
        assertEquals("OK", j.rename("src", "dst"));
        assertEquals(d0 + 1, dirty());
        assertEquals("v", j.get("dst"));
        assertFalse(j.exists("src"));
        assertTrue(j.ttl("dst") > 95);
        // The destination's own TTL does not survive: a TTL-less source gives a TTL-less key.
        j.set("plain", "p");
        assertEquals("OK", j.rename("plain", "dst"));
        assertEquals(-1, j.ttl("dst"));
    }

    @Test
    void renameEdgeCases() {
        assertEquals("ERR no such key", error(() -> j.rename("nokey", "x")));
        assertEquals("ERR no such key", error(() -> j.renamenx("nokey", "x")));
        assertEquals("ERR no such key", error(() -> j.rename("nokey", "nokey")));
        j.set("a", "1");
        long d0 = dirty();
        assertEquals("OK", j.rename("a", "a"));
        assertEquals(0, j.renamenx("a", "a"));
        assertEquals(d0, dirty(), "renaming a key to itself changes nothing");
        j.set("b", "2");
        assertEquals(0, j.renamenx("a", "b"));
        assertEquals("2", j.get("b"));
        assertEquals(1, j.renamenx("a", "c"));
        assertEquals("1", j.get("c"));
        setExpired("e");
        assertEquals("ERR no such key", error(() -> j.rename("e", "f")));
        setExpired("e");
        assertEquals(1, j.renamenx("c", "e"), "an expired destination does not block RENAMENX");
    }

    @Test
    void renameKeepsTheLfuCounter() {
        onEngine(() -> engine().config.maxmemoryPolicy = "allkeys-lfu");
        j.set("k", "v");
        setLruBits("k", (int) (engine().nowMs() / 60000 & 65535) << 8 | 200);
        j.rename("k", "k2");
        assertTrue(j.objectFreq("k2") >= 200, "the entry, counter included, moved");
    }

    // ---- KEYS ----

    @Test
    void keysMatchesGlobPatternsAndSkipsExpiredKeysWithoutReclaimingThem() {
        for (String k : List.of("one", "two", "three", "four", "h\\llo", "a*b")) j.set(k, "x");
        assertEquals(Set.of("one", "two", "three", "four", "h\\llo", "a*b"), j.keys("*"));
        assertEquals(Set.of("two", "three"), j.keys("t*"));
        assertEquals(Set.of("one", "two", "a*b"), j.keys("???"));
        assertEquals(Set.of("four"), j.keys("[e-g]*"));
        assertEquals(Set.of("a*b"), j.keys("a\\*b"));
        assertEquals(Set.of(), j.keys("nomatch*"));
        setExpired("expired");
        assertFalse(j.keys("*").contains("expired"));
        assertEquals(7, j.dbSize(), "KEYS does not reclaim: DBSIZE still counts the expired key");
        assertFalse(j.exists("expired"));
        assertEquals(6, j.dbSize());
    }

    // ---- SCAN ----

    @Test
    void scanIteratesEveryKeyOnceOnAStableKeyspace() {
        Set<String> all = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            j.set("key:" + i, "v");
            all.add("key:" + i);
        }
        List<String> seen = new ArrayList<>();
        String cursor = "0";
        int calls = 0;
        do {
            ScanResult<String> r = j.scan(cursor, new ScanParams().count(50));
            seen.addAll(r.getResult());
            cursor = r.getCursor();
            calls++;
        } while (!cursor.equals("0"));
        assertEquals(1000, seen.size());
        assertEquals(all, new HashSet<>(seen));
        assertTrue(calls > 5 && calls < 100, "COUNT 50 bounds each reply: " + calls + " calls");
    }

    @Test
    void scanMatchCountAndType() {
        for (int i = 0; i < 200; i++) j.set((i % 2 == 0 ? "even:" : "odd:") + i, "v");
        Set<String> evens = scanAll(new ScanParams().match("even:*").count(30), null);
        assertEquals(100, evens.size());
        for (String k : evens) assertTrue(k.startsWith("even:"));
        assertEquals(200, scanAll(new ScanParams(), "string").size());
        assertEquals(200, scanAll(new ScanParams(), "STRING").size(), "type names compare case-insensitively");
        assertEquals(0, scanAll(new ScanParams(), "hash").size());
        assertEquals(0, scanAll(new ScanParams(), "nosuchtype").size());
        // COUNT is a hint of work, not an exact number: one call returns everything here.
        ScanResult<String> big = j.scan("0", new ScanParams().count(100_000));
        assertEquals("0", big.getCursor());
        assertEquals(200, big.getResult().size());
    }

    private Set<String> scanAll(ScanParams params, String type) {
        Set<String> seen = new HashSet<>();
        String cursor = "0";
        do {
            ScanResult<String> r = type == null ? j.scan(cursor, params) : j.scan(cursor, params, type);
            seen.addAll(r.getResult());
            cursor = r.getCursor();
        } while (!cursor.equals("0"));
        return seen;
    }

    @Test
    void scanReclaimsExpiredKeysItMeets() {
        j.set("live", "v");
        setExpired("dead");
        assertEquals(2, j.dbSize());
        assertEquals(Set.of("live"), scanAll(new ScanParams(), null));
        assertEquals(1, j.dbSize());
        // Redis quirk kept: with TYPE none the type check reclaims the key, then it passes as "none".
        setExpired("dead");
        assertEquals(Set.of("dead"), scanAll(new ScanParams(), "none"));
        assertEquals(1, j.dbSize());
    }

    @Test
    void scanArgumentErrors() {
        j.set("a", "1");
        assertEquals("ERR invalid cursor", error(() -> j.scan("abc")));
        assertEquals("ERR invalid cursor", error(() -> j.scan(" 0")));
        assertEquals("ERR invalid cursor", error(() -> j.scan("0 ")));
        assertEquals("ERR invalid cursor", error(() -> j.scan("18446744073709551616")));
        assertEquals("ERR invalid cursor", error(() -> j.scan("0x10")));
        assertEquals("0", j.scan("18446744073709551615").getCursor(), "cursors are unsigned 64-bit");
        assertEquals(List.of("a"), j.scan("").getResult(), "strtoul reads an empty cursor as 0");
        assertEquals(List.of("a"), j.scan("+0").getResult());
        assertEquals("ERR syntax error", error(() -> j.sendCommand(Protocol.Command.SCAN, "0", "count", "0")));
        assertEquals("ERR value is not an integer or out of range",
                error(() -> j.sendCommand(Protocol.Command.SCAN, "0", "count", "x")));
        assertEquals("ERR syntax error", error(() -> j.sendCommand(Protocol.Command.SCAN, "0", "match")));
        assertEquals("ERR syntax error", error(() -> j.sendCommand(Protocol.Command.SCAN, "0", "foo", "bar")));
    }

    /**
     * The SCAN guarantee through the server: keys present for the whole iteration are returned,
     * while thousands of other keys are added and deleted between calls (the table grows,
     * rehashes and, through the cron, shrinks).
     */
    @Test
    void scanGuaranteeHoldsWhileKeysAreAddedAndDeletedBetweenCalls() {
        Random rnd = new Random(7);
        Set<String> stable = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            j.set("stable:" + i, "v");
            stable.add("stable:" + i);
        }
        List<String> transients = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String cursor = "0";
        int next = 0, calls = 0;
        int grows = 0, shrinks = 0, lastBuckets = onEngine(() -> engine().db(0).table().bucketCount());
        do {
            ScanResult<String> r = j.scan(cursor, new ScanParams().count(20));
            seen.addAll(r.getResult());
            cursor = r.getCursor();
            calls++;
            boolean grow = (calls / 10) % 2 == 0;
            var p = j.pipelined();
            for (int i = 0; i < 200; i++) {
                if (grow) {
                    String k = "t:" + next++;
                    transients.add(k);
                    p.set(k, "x");
                } else if (!transients.isEmpty()) {
                    p.del(transients.remove(rnd.nextInt(transients.size())));
                }
            }
            p.sync();
            if (!grow && calls % 10 == 9) sleep(120); // let the cron shrink and rehash
            int buckets = onEngine(() -> engine().db(0).table().bucketCount());
            if (buckets > lastBuckets) grows++;
            if (buckets < lastBuckets) shrinks++;
            lastBuckets = buckets;
        } while (!cursor.equals("0") && calls < 10_000);
        assertEquals("0", cursor, "the iteration ends");
        assertTrue(grows >= 2 && shrinks >= 2, "the table resized during the scan: " + grows + " grows, "
                + shrinks + " shrinks in " + calls + " calls");
        for (String k : stable) assertTrue(seen.contains(k), "SCAN missed " + k);
    }

    // ---- RANDOMKEY ----

    @Test
    void randomkeyReturnsLiveKeysAndReclaimsExpiredOnes() {
        assertNull(j.randomKey());
        j.set("a", "1");
        j.set("b", "2");
        Set<String> drawn = new HashSet<>();
        for (int i = 0; i < 100; i++) drawn.add(j.randomKey());
        assertEquals(Set.of("a", "b"), drawn);
        j.flushAll();
        for (int i = 0; i < 20; i++) j.set("e" + i, "v", SetParams.setParams().px(1));
        sleep(5);
        assertNull(j.randomKey(), "only expired keys: every one drawn is reclaimed");
        assertEquals(0, j.dbSize());
    }

    // ---- MOVE, COPY ----

    @Test
    void moveKeepsTtlAndRefusesExistingTargets() {
        j.set("k", "v");
        j.expire("k", 100);
        long d0 = dirty();
        assertEquals(1, j.move("k", 1));
        assertEquals(d0 + 1, dirty());
        assertFalse(j.exists("k"));
        j.select(1);
        assertEquals("v", j.get("k"));
        assertTrue(j.ttl("k") > 95);
        j.set("other", "x");
        j.select(0);
        j.set("other", "y");
        assertEquals(0, j.move("other", 1));
        assertEquals("y", j.get("other"));
        assertEquals(0, j.move("nokey", 1));
        assertEquals("ERR source and destination objects are the same", error(() -> j.move("other", 0)));
        assertEquals("ERR DB index is out of range", error(() -> j.move("other", 16)));
        assertEquals("ERR DB index is out of range", error(() -> j.move("other", -1)));
        assertEquals("ERR value is not an integer or out of range",
                error(() -> j.sendCommand(Protocol.Command.MOVE, "other", "x")));
        assertEquals("ERR value is out of range, value must between -2147483648 and 2147483647",
                error(() -> j.sendCommand(Protocol.Command.MOVE, "other", "99999999999")));
    }

    @Test
    void copyDuplicatesTheValueAndKeepsTheTtl() {
        j.set("src", "hello world");
        j.pexpire("src", 100_000);
        long d0 = dirty();
        assertTrue(j.copy("src", "dst", false));
        assertEquals(d0 + 1, dirty());
        assertEquals("hello world", j.get("dst"));
        assertTrue(j.pttl("dst") > 90_000);
        assertEquals("embstr", j.objectEncoding("dst"));
        // A new byte[]: in-place string edits (APPEND, SETRANGE) of one must not show in the other.
        boolean distinct = onEngine(() -> {
            Database db = engine().db(0);
            return db.value(db.lookupReadNoTouch(Bytes.ascii("src"))) != db.value(db.lookupReadNoTouch(Bytes.ascii("dst")));
        });
        assertTrue(distinct);
        assertFalse(j.copy("src", "dst", false), "the destination exists");
        j.set("src", "new");
        assertTrue(j.copy("src", "dst", true), "REPLACE");
        assertEquals("new", j.get("dst"));
        assertEquals(-1, j.ttl("dst"), "REPLACE takes the source's (absent) TTL");
        assertTrue(j.copy("src", "src", 3, false), "same name in another database");
        j.select(3);
        assertEquals("new", j.get("src"));
        j.select(0);
        assertFalse(j.copy("nokey", "x", false));
    }

    @Test
    void copyErrors() {
        j.set("a", "1");
        assertEquals("ERR source and destination objects are the same", error(() -> j.copy("a", "a", false)));
        assertEquals("ERR source and destination objects are the same", error(() -> j.copy("a", "a", 0, true)));
        assertEquals("ERR DB index is out of range", error(() -> j.copy("a", "b", 16, false)));
        assertEquals("ERR syntax error", error(() -> j.sendCommand(Protocol.Command.COPY, "a", "b", "db")));
        assertEquals("ERR syntax error", error(() -> j.sendCommand(Protocol.Command.COPY, "a", "b", "foo")));
        assertEquals("ERR value is not an integer or out of range",
                error(() -> j.sendCommand(Protocol.Command.COPY, "a", "b", "db", "x")));
        assertEquals(1L, j.sendCommand(Protocol.Command.COPY, "a", "b", "replace", "replace"));
    }

    @Test
    void copyAndMoveRefreshTheIdleTime() {
        j.set("k", "v");
        setLruBits("k", lruClock() - 500);
        j.copy("k", "c", false);
        assertTrue(j.objectIdletime("c") < 5, "a copy is a new object");
        assertTrue(j.objectIdletime("k") < 5, "COPY reads the source, which touches it");
        setLruBits("k", lruClock() - 500);
        j.move("k", 1);
        j.select(1);
        assertTrue(j.objectIdletime("k") < 5, "MOVE's write lookup touches the key");
    }

    /** A stand-in for a future collection type: the key commands must handle it through the meta word. */
    static final class TestList implements io.ember.type.Values.Duplicable {
        final List<String> items;

        TestList(List<String> items) {
            this.items = new ArrayList<>(items);
        }

        @Override
        public Object duplicate() {
            return new TestList(items);
        }
    }

    @Test
    void typeAgnosticCommandsHandleOtherValueTypes() {
        TestList original = new TestList(List.of("a", "b"));
        onEngine(() -> engine().db(0).add(Bytes.ascii("list"), original, ValueType.LIST, ValueType.ENC_QUICKLIST));
        assertEquals("list", j.type("list"));
        assertEquals("quicklist", j.objectEncoding("list"));
        assertEquals(Set.of("list"), scanAll(new ScanParams(), "list"));
        assertEquals(Set.of(), scanAll(new ScanParams(), "string"));
        assertTrue(j.copy("list", "copy", false));
        assertEquals("list", j.type("copy"));
        assertEquals("quicklist", j.objectEncoding("copy"));
        Object copy = onEngine(() -> engine().db(0).value(engine().db(0).peekRaw(Bytes.ascii("copy"))));
        assertNotSame(original, copy, "COPY duplicates through Values.Duplicable");
        assertEquals(original.items, ((TestList) copy).items);
        assertEquals("OK", j.rename("copy", "renamed"));
        assertEquals(1, j.move("renamed", 2));
        j.select(2);
        assertEquals("list", j.type("renamed"));
        Object moved = onEngine(() -> engine().db(2).value(engine().db(2).peekRaw(Bytes.ascii("renamed"))));
        assertTrue(moved == copy, "RENAME and MOVE move the value itself");
    }

    // ---- TOUCH, OBJECT, LRU ----

    private static int lruClock() {
        return onEngine(() -> engine().evictionClock.lruClock());
    }

    /** Sets the 24 LRU/LFU bits of a key, to make idle time observable without sleeping. */
    private static void setLruBits(String key, int bits) {
        onEngine(() -> {
            Database db = engine().db(0);
            int ref = db.peekRaw(Bytes.ascii(key));
            db.table().setMeta(ref, ValueType.withLru(db.table().meta(ref), bits));
            return null;
        });
    }

    @Test
    void onlyTouchAndReadsRefreshTheIdleTime() {
        j.set("k", "v");
        setLruBits("k", lruClock() - 1000);
        j.type("k");
        j.exists("k");
        j.ttl("k");
        j.pttl("k");
        j.objectEncoding("k");
        j.objectRefcount("k");
        j.keys("*");
        j.scan("0");
        j.dbSize();
        long idle = j.objectIdletime("k");
        assertTrue(idle >= 999 && idle <= 1001, "no-touch lookups keep the idle time: " + idle);
        assertEquals(1, j.touch("k", "nokey"));
        assertTrue(j.objectIdletime("k") <= 1);
        setLruBits("k", lruClock() - 1000);
        j.get("k");
        assertTrue(j.objectIdletime("k") <= 1);
    }

    @Test
    void objectEncodingAndRefcount() {
        j.set("int", "1234");
        j.set("bigint", "123456789");
        j.set("neg", "-5");
        j.set("emb", "hello");
        j.set("raw", "x".repeat(45));
        assertEquals("int", j.objectEncoding("int"));
        assertEquals("int", j.objectEncoding("bigint"));
        assertEquals("embstr", j.objectEncoding("emb"));
        assertEquals("raw", j.objectEncoding("raw"));
        assertNull(j.objectEncoding("nokey"));
        assertEquals(2147483647L, j.objectRefcount("int"), "0..9999 are Redis's shared integers");
        assertEquals(1L, j.objectRefcount("bigint"));
        assertEquals(1L, j.objectRefcount("neg"));
        assertEquals(1L, j.objectRefcount("emb"));
        assertNull(j.objectRefcount("nokey"));
        onEngine(() -> engine().config.maxmemoryPolicy = "allkeys-lru");
        assertEquals(2147483647L, j.objectRefcount("int"), "without maxmemory integers stay shared");
    }

    @Test
    void objectFreqAndIdletimeDependOnThePolicy() {
        j.set("k", "v");
        assertEquals("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that "
                + "when switching between policies at runtime LRU and LFU data will take some time to adjust.",
                error(() -> j.objectFreq("k")));
        assertTrue(j.objectIdletime("k") >= 0);
        assertNull(j.objectFreq("nokey"), "a missing key is null before the policy check");
        onEngine(() -> engine().config.maxmemoryPolicy = "volatile-lfu");
        assertEquals("ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when "
                + "switching between policies at runtime LRU and LFU data will take some time to adjust.",
                error(() -> j.objectIdletime("k")));
        j.set("new", "v");
        assertEquals(5, j.objectFreq("new"), "LFU_INIT_VAL");
        for (int i = 0; i < 200; i++) j.get("new");
        assertTrue(j.objectFreq("new") > 5, "reads raise the counter");
        long f = j.objectFreq("new");
        j.type("new");
        j.exists("new");
        assertEquals(f, j.objectFreq("new"), "OBJECT/TYPE/EXISTS do not count as accesses");
    }

    @Test
    void objectHelpAndErrors() {
        List<byte[]> help = j.objectHelpBinary();
        assertEquals(15, help.size());
        assertEquals("OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", new String(help.get(0)));
        assertEquals("    Prints this help.", new String(help.get(14)));
        assertEquals("ERR unknown subcommand 'foo'. Try OBJECT HELP.",
                error(() -> j.sendCommand(Protocol.Command.OBJECT, "foo")));
        assertEquals("ERR wrong number of arguments for 'object|encoding' command",
                error(() -> j.sendCommand(Protocol.Command.OBJECT, "encoding")));
    }

    // ---- statistics ----

    @Test
    void lookupsCountHitsAndMissesAsRedisDoes() {
        j.set("a", "1");
        long[] before = stats();
        j.exists("a", "nokey"); // +1 hit, +1 miss
        j.type("a"); // +1 hit
        j.ttl("nokey"); // +1 miss
        j.touch("a"); // +1 hit
        j.objectEncoding("a"); // +1 hit
        j.copy("a", "b", false); // source read: +1 hit
        j.rename("b", "c"); // write lookups: nothing
        j.expire("c", 100);
        j.del("c");
        j.move("a", 1);
        j.keys("*");
        j.dbSize();
        long[] after = stats();
        assertEquals(5, after[0] - before[0], "hits");
        assertEquals(2, after[1] - before[1], "misses");
    }

    private static long[] stats() {
        return onEngine(() -> new long[] {engine().stats.keyspaceHits, engine().stats.keyspaceMisses});
    }

    // ---- DBSIZE, FLUSHDB, FLUSHALL, SWAPDB ----

    @Test
    void flushCommandsEmptyDatabasesAndCountChanges() {
        j.set("a", "1");
        j.set("b", "2");
        j.select(1);
        j.set("c", "3");
        long d0 = dirty();
        assertEquals("OK", j.flushDB());
        assertEquals(d0 + 1, dirty(), "FLUSHDB adds the number of keys removed");
        assertEquals(0, j.dbSize());
        j.select(0);
        assertEquals(2, j.dbSize());
        j.select(1);
        j.set("c", "3");
        d0 = dirty();
        assertEquals("OK", j.flushAll(FlushMode.SYNC));
        assertEquals(d0 + 3, dirty());
        assertEquals(0, j.dbSize());
        j.select(0);
        assertEquals(0, j.dbSize());
        d0 = dirty();
        j.flushAll();
        j.flushDB();
        assertEquals(d0, dirty(), "flushing empty databases changes nothing");
        assertEquals("ERR syntax error", error(() -> j.sendCommand(Protocol.Command.FLUSHDB, "foo")));
        assertEquals("ERR syntax error", error(() -> j.sendCommand(Protocol.Command.FLUSHALL, "async", "x")));
    }

    @Test
    void asyncFlushesCountLazyfreedObjects() {
        long before = onEngine(() -> engine().stats.lazyfreedObjects);
        j.set("a", "1");
        j.set("b", "1");
        j.flushDB(FlushMode.ASYNC);
        j.set("a", "1");
        j.flushAll(FlushMode.SYNC);
        j.set("a", "1");
        j.flushDB(); // lazyfree-lazy-user-flush no: sync
        onEngine(() -> engine().config.lazyfreeLazyUserFlush = true);
        j.set("a", "1");
        j.set("b", "1");
        j.set("c", "1");
        j.flushAll(); // now async
        assertEquals(before + 5, (long) onEngine(() -> engine().stats.lazyfreedObjects));
    }

    @Test
    void dbsizeCountsExpiredKeysUntilReclaimed() {
        j.set("a", "1");
        setExpired("e");
        assertEquals(2, j.dbSize());
        assertEquals(-2, j.ttl("e"));
        assertEquals(1, j.dbSize());
    }

    @Test
    void swapdbExchangesContents() {
        j.set("in0", "zero");
        j.select(1);
        j.set("in1", "one");
        j.expire("in1", 100);
        long d0 = dirty();
        assertEquals("OK", j.swapDB(0, 1));
        assertEquals(d0 + 1, dirty());
        assertEquals("zero", j.get("in0"), "this connection stays on db 1, which now holds db 0's keys");
        assertFalse(j.exists("in1"));
        j.select(0);
        assertEquals("one", j.get("in1"));
        assertTrue(j.ttl("in1") > 95);
        assertEquals("OK", j.swapDB(2, 2));
        assertEquals(d0 + 2, dirty());
        assertEquals("ERR DB index is out of range", error(() -> j.swapDB(0, 16)));
        assertEquals("ERR invalid first DB index", error(() -> j.sendCommand(Protocol.Command.SWAPDB, "x", "0")));
        assertEquals("ERR invalid second DB index", error(() -> j.sendCommand(Protocol.Command.SWAPDB, "0", "x")));
        assertEquals("ERR invalid first DB index",
                error(() -> j.sendCommand(Protocol.Command.SWAPDB, "99999999999", "0")));
    }

    // ---- WATCH invalidation ----

    @Test
    void flushdbFailsTransactionsWatchingExistingKeysOnly() {
        try (Jedis other = server.jedis()) {
            j.set("w", "1");
            j.watch("w");
            other.flushDB();
            Transaction tx = j.multi();
            tx.set("x", "1");
            assertNull(tx.exec(), "a watched key that existed was flushed");

            j.watch("absent");
            other.flushDB();
            tx = j.multi();
            tx.set("x", "1");
            assertEquals(List.of("OK"), tx.exec(), "flushing a key that did not exist changes nothing");
        }
    }

    @Test
    void flushallFailsTransactionsWatchingAnyDatabase() {
        try (Jedis other = server.jedis()) {
            j.select(5);
            j.set("w", "1");
            j.watch("w");
            other.flushAll();
            Transaction tx = j.multi();
            tx.set("x", "1");
            assertNull(tx.exec());
        }
    }

    @Test
    void swapdbFailsTransactionsWatchingKeysOnEitherSide() {
        try (Jedis other = server.jedis()) {
            other.select(1);
            other.set("w", "only in 1");
            j.watch("w"); // absent in db 0, but SWAPDB brings it in
            other.swapDB(0, 1);
            Transaction tx = j.multi();
            tx.get("w");
            assertNull(tx.exec());
        }
    }

    @Test
    void expiryCommandsInvalidateWatches() {
        try (Jedis other = server.jedis()) {
            j.set("w", "1");
            j.watch("w");
            other.expire("w", 100);
            Transaction tx = j.multi();
            tx.get("w");
            assertNull(tx.exec(), "EXPIRE is a change");
            j.watch("w");
            other.persist("w");
            tx = j.multi();
            tx.get("w");
            assertNull(tx.exec(), "PERSIST is a change");
            j.watch("w");
            other.rename("w", "w2");
            tx = j.multi();
            tx.get("w");
            assertNull(tx.exec(), "RENAME away is a change");
            j.watch("w");
            other.copy("w2", "w", false);
            tx = j.multi();
            tx.get("w");
            assertNull(tx.exec(), "COPY onto the key is a change");
            j.watch("w");
            assertEquals(1, other.expire("w", 100, ExpiryOption.NX), "the copy has no TTL, so NX applies");
            tx = j.multi();
            tx.get("w");
            assertNull(tx.exec(), "an expire that applied is a change");
        }
    }

    @Test
    void refusedExpiresDoNotInvalidateWatches() {
        try (Jedis other = server.jedis()) {
            j.set("w", "1");
            j.expire("w", 100);
            j.watch("w");
            other.expire("w", 200, ExpiryOption.NX);
            other.expire("w", 50, ExpiryOption.GT);
            other.expire("w", 500, ExpiryOption.LT);
            other.persist("nokey");
            Transaction tx = j.multi();
            tx.get("w");
            assertEquals(List.of("1"), tx.exec());
        }
    }

    // ---- EXPIRE family ----

    @Test
    void expireSetsTtlsInEveryUnit() {
        j.set("k", "v");
        long d0 = dirty();
        assertEquals(1, j.expire("k", 100));
        assertEquals(d0 + 1, dirty());
        assertEquals(100, j.ttl("k"));
        assertTrue(j.pttl("k") > 99_000 && j.pttl("k") <= 100_000);
        assertEquals(1, j.pexpire("k", 5800));
        assertEquals(6, j.ttl("k"), "seconds are rounded to nearest");
        long at = System.currentTimeMillis() / 1000 + 1000;
        assertEquals(1, j.expireAt("k", at));
        assertEquals(at, j.expireTime("k"));
        assertEquals(at * 1000, j.pexpireTime("k"));
        assertEquals(1, j.pexpireAt("k", at * 1000 + 123));
        assertEquals(at * 1000 + 123, j.pexpireTime("k"));
        assertEquals(at, j.expireTime("k"), "EXPIRETIME rounds too");
        assertEquals(0, j.expire("nokey", 100));
        assertEquals(-2, j.ttl("nokey"));
        assertEquals(-2, j.pttl("nokey"));
        assertEquals(-2, j.expireTime("nokey"));
        assertEquals(-2, j.pexpireTime("nokey"));
        j.set("plain", "v");
        assertEquals(-1, j.ttl("plain"));
        assertEquals(-1, j.pttl("plain"));
        assertEquals(-1, j.expireTime("plain"));
        assertEquals(-1, j.pexpireTime("plain"));
    }

    @Test
    void expireInThePastDeletesTheKey() {
        for (Runnable r : List.<Runnable>of(
                () -> assertEquals(1, j.expire("k", 0)),
                () -> assertEquals(1, j.expire("k", -100)),
                () -> assertEquals(1, j.pexpire("k", -1)),
                () -> assertEquals(1, j.expireAt("k", 1)),
                () -> assertEquals(1, j.pexpireAt("k", System.currentTimeMillis() - 10)))) {
            j.set("k", "v");
            long d0 = dirty();
            long expiredBefore = onEngine(() -> engine().stats.expiredKeys);
            r.run();
            assertFalse(j.exists("k"));
            assertEquals(d0 + 1, dirty());
            assertEquals(expiredBefore, (long) onEngine(() -> engine().stats.expiredKeys), "a DEL, not an expiry");
        }
    }

    @Test
    void expireOptionsNxXxGtLt() {
        j.set("k", "v");
        assertEquals(0, j.expire("k", 100, ExpiryOption.XX), "XX: no TTL yet");
        assertEquals(0, j.expire("k", 100, ExpiryOption.GT), "GT: no TTL counts as infinite");
        assertEquals(1, j.expire("k", 100, ExpiryOption.LT), "LT: anything is less than infinite");
        assertEquals(0, j.expire("k", 200, ExpiryOption.NX), "NX: already has a TTL");
        assertEquals(0, j.expire("k", 50, ExpiryOption.GT));
        assertEquals(1, j.expire("k", 200, ExpiryOption.GT));
        assertEquals(0, j.expire("k", 300, ExpiryOption.LT));
        assertEquals(1, j.expire("k", 150, ExpiryOption.LT));
        assertEquals(1, j.expire("k", 160, ExpiryOption.XX));
        assertEquals(160, j.ttl("k"));
        long at = System.currentTimeMillis() + 500_000;
        assertEquals(1, j.pexpireAt("k", at, ExpiryOption.GT));
        assertEquals(0, j.pexpireAt("k", at, ExpiryOption.GT), "equal is not greater");
        assertEquals(0, j.pexpireAt("k", at, ExpiryOption.LT), "nor less");
        assertEquals(1, j.persist("k"));
        assertEquals(1, j.expire("k", 10, ExpiryOption.NX));
        assertEquals(1, j.expire("k", -1, ExpiryOption.LT), "LT into the past deletes");
        assertFalse(j.exists("k"));
        assertEquals(0, j.expire("nokey", 10, ExpiryOption.NX));
    }

    @Test
    void expireArgumentErrors() {
        j.set("k", "v");
        assertEquals("ERR NX and XX, GT or LT options at the same time are not compatible",
                error(() -> j.sendCommand(Protocol.Command.EXPIRE, "k", "10", "nx", "xx")));
        assertEquals("ERR NX and XX, GT or LT options at the same time are not compatible",
                error(() -> j.sendCommand(Protocol.Command.EXPIRE, "k", "10", "nx", "gt")));
        assertEquals("ERR GT and LT options at the same time are not compatible",
                error(() -> j.sendCommand(Protocol.Command.EXPIRE, "k", "10", "gt", "lt")));
        assertEquals("ERR Unsupported option foo",
                error(() -> j.sendCommand(Protocol.Command.EXPIRE, "k", "abc", "foo")));
        assertEquals("ERR value is not an integer or out of range",
                error(() -> j.sendCommand(Protocol.Command.EXPIRE, "k", "abc")));
        assertEquals("ERR value is not an integer or out of range",
                error(() -> j.sendCommand(Protocol.Command.EXPIRE, "k", "1.5")));
        assertEquals("ERR invalid expire time in 'expire' command",
                error(() -> j.sendCommand(Protocol.Command.EXPIRE, "k", "9223372036854775")));
        assertEquals("ERR invalid expire time in 'expire' command",
                error(() -> j.sendCommand(Protocol.Command.EXPIRE, "k", "-9223372036854775808")));
        assertEquals("ERR invalid expire time in 'pexpire' command",
                error(() -> j.sendCommand(Protocol.Command.PEXPIRE, "k", "9223372036854775807")));
        assertEquals("ERR invalid expire time in 'expireat' command",
                error(() -> j.sendCommand(Protocol.Command.EXPIREAT, "k", "-9223372036854775808")));
        assertEquals("ERR invalid expire time in 'expire' command",
                error(() -> j.sendCommand(Protocol.Command.EXPIRE, "nokey", "99999999999999999")),
                "overflow is detected before the key is looked up");
        assertEquals(-1, j.ttl("k"), "errors leave the key alone");
    }

    @Test
    void extremeExpireTimesBehaveAsInRedis() {
        j.set("k", "v");
        assertEquals(1, j.pexpireAt("k", Long.MAX_VALUE));
        assertEquals(Long.MAX_VALUE, j.pexpireTime("k"));
        assertEquals(9223372036854776L, j.expireTime("k"), "Redis rounds without overflowing");
        assertTrue(j.ttl("k") > 9_000_000_000_000_000L / 1000);
    }

    @Test
    void persistRemovesTheTtl() {
        j.set("k", "v");
        assertEquals(0, j.persist("k"));
        assertEquals(0, j.persist("nokey"));
        j.expire("k", 100);
        long d0 = dirty();
        assertEquals(1, j.persist("k"));
        assertEquals(d0 + 1, dirty());
        assertEquals(-1, j.ttl("k"));
    }

    @Test
    void keysExpireLazilyOnAccess() {
        long expiredBefore = onEngine(() -> engine().stats.expiredKeys);
        j.set("k", "v", SetParams.setParams().px(30));
        assertEquals("v", j.get("k"));
        sleep(50);
        assertNull(j.get("k"));
        assertEquals(expiredBefore + 1, (long) onEngine(() -> engine().stats.expiredKeys));
        assertEquals(-2, j.pttl("k"));
    }

    @Test
    void keyCommandsInsideMultiExec() {
        j.set("a", "1");
        Transaction tx = j.multi();
        tx.rename("a", "b");
        tx.expire("b", 100);
        tx.ttl("b");
        tx.exists("a", "b");
        tx.type("b");
        List<Object> r = tx.exec();
        assertEquals(List.of("OK", 1L, 100L, 1L, "string"), r);
        assertArrayEquals(new byte[] {'1'}, j.get("b".getBytes()));
    }
}
