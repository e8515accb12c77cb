package io.ember.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.engine.Database;
import io.ember.testing.JedisTestBase;
import io.ember.testing.RawConnection;
import io.ember.type.SetValue;
import io.ember.type.SetView;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** Every set command through Jedis, with encodings, TTLs, the dirty counter and WATCH checked. */
class SetCommandsTest extends JedisTestBase {
    @BeforeAll
    static void start() {
        startServer();
    }

    @BeforeEach
    void reset() {
        j.flushAll();
        j.configSet("set-max-intset-entries", "512");
    }

    private Object raw(String cmd, String... args) {
        return j.sendCommand(Protocol.Command.valueOf(cmd), args);
    }

    private static Set<String> set(String... members) {
        return new HashSet<>(Arrays.asList(members));
    }

    private static String enc(String key) {
        return EngineProbe.encoding(server, key);
    }

    @Test
    void saddCreatesIntsetsAndConvertsToHashtable() {
        assertEquals(3, j.sadd("a", "3", "1", "2", "1"));
        assertEquals("intset", enc("a"));
        assertEquals(0, j.sadd("a", "2"));
        assertEquals(1, j.sadd("a", "x"));
        assertEquals("hashtable", enc("a"));
        assertEquals(set("1", "2", "3", "x"), j.smembers("a"));
        assertEquals(1, j.srem("a", "x"));
        assertEquals("hashtable", enc("a"), "never converted back");
        // Non-canonical integers are strings.
        for (String s : List.of("01", "-0", "+1", " 1", "1.0", "9223372036854775808", "")) {
            j.del("n");
            j.sadd("n", "5", s);
            assertEquals("hashtable", enc("n"), s);
        }
        j.sadd("n2", "-9223372036854775808", "9223372036854775807");
        assertEquals("intset", enc("n2"));
        // The threshold.
        j.configSet("set-max-intset-entries", "3");
        j.sadd("t", "1", "2", "3");
        assertEquals("intset", enc("t"));
        j.sadd("t", "4");
        assertEquals("hashtable", enc("t"));
        j.configSet("set-max-intset-entries", "0");
        j.sadd("z", "1");
        assertEquals("hashtable", enc("z"));
        j.set("str", "x");
        assertError(WRONGTYPE, () -> j.sadd("str", "1"));
        assertError("ERR wrong number of arguments for 'sadd' command", () -> raw("SADD", "a"));
    }

    @Test
    void sremDeletesTheKeyWithItsLastMember() {
        j.sadd("a", "1", "2", "x");
        assertEquals(0, j.srem("nokey", "1"));
        assertEquals(2, j.srem("a", "1", "1", "x", "nope"));
        assertEquals(set("2"), j.smembers("a"));
        assertEquals(1, j.srem("a", "2", "3"));
        assertFalse(j.exists("a"));
        j.set("str", "x");
        assertError(WRONGTYPE, () -> j.srem("str", "1"));
    }

    @Test
    void membershipAndCardinality() {
        j.sadd("a", "1", "2", "70000");
        j.sadd("h", "a", "b", "1");
        assertTrue(j.sismember("a", "70000"));
        assertFalse(j.sismember("a", "070000"));
        assertFalse(j.sismember("a", "x"));
        assertTrue(j.sismember("h", "a"));
        assertTrue(j.sismember("h", "1"));
        assertFalse(j.sismember("nokey", "1"));
        assertEquals(List.of(true, false, true), j.smismember("h", "a", "c", "1"));
        assertEquals(List.of(false, false), j.smismember("nokey", "a", "b"));
        assertEquals(3, j.scard("a"));
        assertEquals(0, j.scard("nokey"));
        j.set("str", "x");
        assertError(WRONGTYPE, () -> j.sismember("str", "1"));
        assertError(WRONGTYPE, () -> j.smismember("str", "1"));
        assertError(WRONGTYPE, () -> j.scard("str"));
        assertError(WRONGTYPE, () -> j.smembers("str"));
        assertEquals(Set.of(), j.smembers("nokey"));
    }

    @Test
    void smoveMovesOneMember() {
        j.sadd("src", "1", "2");
        j.sadd("dst", "x");
        assertEquals(1, j.smove("src", "dst", "1"));
        assertEquals(set("2"), j.smembers("src"));
        assertEquals(set("x", "1"), j.smembers("dst"));
        assertEquals(0, j.smove("src", "dst", "nope"));
        assertEquals(0, j.smove("nokey", "dst", "1"));
        assertEquals(1, j.smove("src", "src", "2"));
        assertEquals(0, j.smove("src", "src", "3"));
        assertEquals(1, j.smove("src", "fresh", "2")); // the source goes, the destination appears
        assertFalse(j.exists("src"));
        assertEquals("intset", enc("fresh"));
        j.sadd("dst", "2");
        assertEquals(1, j.smove("fresh", "dst", "2")); // already there: only removed from the source
        assertEquals(set("x", "1", "2"), j.smembers("dst"));
        j.set("str", "x");
        j.sadd("s", "1");
        assertError(WRONGTYPE, () -> j.smove("str", "s", "1"));
        assertError(WRONGTYPE, () -> j.smove("s", "str", "1"));
        assertError(WRONGTYPE, () -> j.smove("s", "str", "nomember"));
        assertEquals(0, j.smove("nokey", "str", "1"));
    }

    @Test
    void spopRemovesRandomMembers() {
        j.sadd("a", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
        Set<String> all = new HashSet<>(j.smembers("a"));
        String one = j.spop("a");
        assertTrue(all.contains(one));
        assertEquals(9, j.scard("a"));
        Set<String> few = j.spop("a", 2); // extraction
        assertEquals(2, few.size());
        assertTrue(all.containsAll(few));
        assertFalse(few.contains(one));
        Set<String> most = j.spop("a", 6); // builds the set of what stays
        assertEquals(6, most.size());
        assertEquals(1, j.scard("a"));
        Set<String> seen = new HashSet<>(most);
        seen.addAll(few);
        seen.add(one);
        seen.addAll(j.smembers("a"));
        assertEquals(all, seen, "every member popped once or still there");
        assertEquals(j.smembers("a"), j.spop("a", 5));
        assertFalse(j.exists("a"));
        assertNull(j.spop("nokey"));
        assertEquals(Set.of(), j.spop("nokey", 3));
        j.sadd("b", "x");
        assertEquals(Set.of(), j.spop("b", 0));
        assertEquals("x", j.spop("b"));
        assertFalse(j.exists("b"));
        j.set("str", "x");
        assertError(WRONGTYPE, () -> j.spop("str"));
        assertError(WRONGTYPE, () -> j.spop("str", 1));
        assertError("ERR value is out of range, must be positive", () -> raw("SPOP", "str", "-1"));
        assertError("ERR value is out of range, must be positive", () -> raw("SPOP", "b", "abc"));
        assertError("ERR syntax error", () -> raw("SPOP", "b", "1", "2"));
    }

    @Test
    void spopKeepsTheTtlAndMayLeaveAnIntset() {
        j.configSet("set-max-intset-entries", "4");
        for (int i = 0; i < 30; i++) j.sadd("h", Integer.toString(i));
        j.expire("h", 1000);
        assertEquals("hashtable", enc("h"));
        j.spop("h", 28); // Redis rebuilds the two that stay, which fit an intset
        assertEquals("intset", enc("h"));
        assertTrue(EngineProbe.pttl(server, "h") > 990_000);
        j.spop("h", 1);
        assertTrue(EngineProbe.pttl(server, "h") > 990_000);
    }

    @Test
    void srandmemberCountCases() {
        for (String enc : List.of("intset", "hashtable")) {
            j.del("a");
            for (int i = 0; i < 100; i++) j.sadd("a", enc.equals("intset") ? Integer.toString(i) : "m" + i);
            assertEquals(enc, enc("a"));
            Set<String> all = j.smembers("a");
            assertTrue(all.contains(j.srandmember("a")));
            for (int count : new int[] {1, 5, 40, 99, 100, 1000}) {
                List<String> got = j.srandmember("a", count);
                assertEquals(Math.min(count, 100), got.size(), "count " + count);
                assertEquals(got.size(), new HashSet<>(got).size(), "distinct");
                assertTrue(all.containsAll(got));
            }
            List<String> repeated = j.srandmember("a", -300);
            assertEquals(300, repeated.size());
            assertTrue(all.containsAll(repeated));
            assertTrue(new HashSet<>(repeated).size() < 300, "repetitions allowed");
            assertEquals(List.of(), j.srandmember("a", 0));
            assertEquals(100, j.scard("a"), "nothing removed");
        }
        j.sadd("one", "x");
        assertEquals(List.of("x", "x", "x"), j.srandmember("one", -3));
        assertNull(j.srandmember("nokey"));
        assertEquals(List.of(), j.srandmember("nokey", 3));
        j.set("str", "x");
        assertError(WRONGTYPE, () -> j.srandmember("str"));
        assertError(WRONGTYPE, () -> j.srandmember("str", 2));
        assertError("ERR value is not an integer or out of range", () -> raw("SRANDMEMBER", "one", "x"));
        assertError("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
                () -> raw("SRANDMEMBER", "one", "-9223372036854775808"));
        assertError("ERR syntax error", () -> raw("SRANDMEMBER", "one", "1", "2"));
    }

    @Test
    void intersectionUnionDifference() {
        j.sadd("a", "1", "2", "3", "4");
        j.sadd("b", "3", "4", "5");
        j.sadd("c", "4", "x");
        assertEquals(set("3", "4"), j.sinter("a", "b"));
        assertEquals(set("4"), j.sinter("a", "b", "c"));
        assertEquals(Set.of(), j.sinter("a", "nokey"));
        assertEquals(set("1", "2", "3", "4", "5", "x"), j.sunion("a", "b", "c", "nokey"));
        assertEquals(set("1", "2"), j.sdiff("a", "b", "c"));
        assertEquals(Set.of(), j.sdiff("a", "a"));
        assertEquals(Set.of(), j.sdiff("nokey", "a"));
        assertEquals(set("x"), j.sdiff("c", "a"));
        assertEquals(2, j.sintercard("a", "b"));
        assertEquals(1, j.sintercard(1, "a", "b"));
        assertEquals(0, j.sintercard("a", "nokey"));
        assertEquals(2, j.sinterstore("dst", "a", "b"));
        assertEquals(set("3", "4"), j.smembers("dst"));
        assertEquals("intset", enc("dst"));
        assertEquals(6, j.sunionstore("dst", "a", "b", "c"));
        assertEquals("hashtable", enc("dst"));
        assertEquals(2, j.sdiffstore("dst", "a", "b"));
        assertEquals("intset", enc("dst"));
        // An empty result deletes the destination, whatever it was.
        j.set("dst", "string");
        assertEquals(0, j.sinterstore("dst", "a", "nokey"));
        assertFalse(j.exists("dst"));
        j.set("dst", "string");
        assertEquals(0, j.sdiffstore("dst", "a", "a"));
        assertFalse(j.exists("dst"));
        // The destination's TTL is dropped, its type replaced.
        j.set("dst", "string");
        j.expire("dst", 100);
        assertEquals(4, j.sunionstore("dst", "a"));
        assertEquals("set", j.type("dst"));
        assertEquals(-1, EngineProbe.pttl(server, "dst"));
        j.set("str", "x");
        for (Executable e : new Executable[] {() -> j.sinter("a", "str"), () -> j.sinter("nokey", "str"),
            () -> j.sunion("str"), () -> j.sdiff("nokey", "str"), () -> j.sinterstore("d", "a", "str"),
            () -> j.sunionstore("d", "str"), () -> j.sdiffstore("d", "a", "str"), () -> j.sintercard("nokey", "str")}) {
            assertError(WRONGTYPE, e);
        }
        assertError("ERR numkeys should be greater than 0", () -> raw("SINTERCARD", "0", "a"));
        assertError("ERR numkeys should be greater than 0", () -> raw("SINTERCARD", "x", "a"));
        assertError("ERR Number of keys can't be greater than number of args", () -> raw("SINTERCARD", "2", "a"));
        assertError("ERR LIMIT can't be negative", () -> raw("SINTERCARD", "1", "a", "LIMIT", "-1"));
        assertError("ERR LIMIT can't be negative", () -> raw("SINTERCARD", "1", "str", "LIMIT", "x"));
        assertError("ERR syntax error", () -> raw("SINTERCARD", "1", "a", "LIMIT"));
        assertError("ERR syntax error", () -> raw("SINTERCARD", "1", "a", "b"));
        assertEquals(4L, raw("SINTERCARD", "1", "a", "LIMIT", "0"));
    }

    @Test
    void sscanWalksBothEncodings() {
        j.sadd("i", "3", "1", "2");
        ScanResult<String> r = j.sscan("i", "12345", new ScanParams().count(1)); // intsets come whole
        assertEquals("0", r.getCursor());
        assertEquals(List.of("1", "2", "3"), r.getResult());
        assertEquals(List.of("2"), j.sscan("i", "0", new ScanParams().match("2")).getResult());
        Set<String> expected = new TreeSet<>();
        for (int i = 0; i < 1000; i++) expected.add("m" + i);
        j.sadd("h", expected.toArray(String[]::new));
        Set<String> seen = new TreeSet<>();
        String cursor = "0";
        int calls = 0;
        do {
            ScanResult<String> page = j.sscan("h", cursor, new ScanParams().count(10));
            seen.addAll(page.getResult());
            cursor = page.getCursor();
            calls++;
        } while (!cursor.equals("0"));
        assertEquals(expected, seen);
        assertTrue(calls > 10, "a hashtable is walked in steps");
        assertEquals(List.of(), j.sscan("nokey", "0").getResult());
        j.set("str", "x");
        assertError(WRONGTYPE, () -> j.sscan("str", "0"));
        assertError("ERR invalid cursor", () -> raw("SSCAN", "str", "x"));
        assertError("ERR syntax error", () -> raw("SSCAN", "i", "0", "COUNT", "0"));
        assertError("ERR syntax error", () -> raw("SSCAN", "i", "0", "TYPE", "set"));
        assertError("ERR value is not an integer or out of range", () -> raw("SSCAN", "i", "0", "COUNT", "x"));
    }

    @Test
    void dirtyCountsAsRedis() {
        long d0 = EngineProbe.dirty(server);
        j.sadd("a", "1", "2", "3", "1"); // 3
        j.sadd("a", "1");                // 0
        j.srem("a", "3", "9");           // 1
        j.smove("a", "b", "1");          // 2: removed and added
        j.sadd("c", "2");                // 1
        j.smove("a", "c", "2");          // 1: already in c; a is deleted
        j.spop("c");                     // 1
        j.sadd("d", "1", "2", "3", "4"); // 4
        j.spop("d", 10);                 // 4: the set's size
        j.sunionstore("e", "b");         // 1
        j.sinterstore("e", "nokey");     // 1: deleted
        j.sinterstore("e", "nokey");     // 0
        assertEquals(3 + 1 + 2 + 1 + 1 + 1 + 4 + 4 + 1 + 1, EngineProbe.dirty(server) - d0);
    }

    @Test
    void writesInvalidateWatch() {
        String[][] writes = {
            {"SADD", "w", "9"}, {"SREM", "w", "1"}, {"SMOVE", "w", "w2", "1"}, {"SMOVE", "w2", "w", "5"},
            {"SPOP", "w"}, {"SPOP", "w", "1"}, {"SPOP", "w", "10"}, {"SINTERSTORE", "w", "w", "w2"},
            {"SUNIONSTORE", "w", "w2"}, {"SDIFFSTORE", "w", "w", "w2"}, {"SDIFFSTORE", "w", "w", "w"},
            {"SINTERSTORE", "w", "nokey"}, {"SUNIONSTORE", "w", "nokey"},
        };
        try (Jedis other = server.jedis()) {
            for (String[] w : writes) {
                j.del("w", "w2");
                j.sadd("w", "1", "2", "3");
                j.sadd("w2", "3", "5");
                j.watch("w");
                other.sendCommand(Protocol.Command.valueOf(w[0]), Arrays.copyOfRange(w, 1, w.length));
                Transaction tx = j.multi();
                tx.scard("w");
                assertNull(tx.exec(), String.join(" ", w) + " must invalidate WATCH");
            }
            // Writes that change nothing leave it alone (as in Redis).
            String[][] noops = {
                {"SADD", "w", "1"}, {"SREM", "w", "9"}, {"SMOVE", "w", "w2", "9"}, {"SMOVE", "w2", "w", "3"},
                {"SPOP", "w", "0"}, {"SMOVE", "w", "w", "1"}, {"SINTERSTORE", "nokey2", "nokey"},
            };
            for (String[] w : noops) {
                j.del("w", "w2");
                j.sadd("w", "1", "2", "3");
                j.sadd("w2", "3", "5");
                j.watch("w");
                other.sendCommand(Protocol.Command.valueOf(w[0]), Arrays.copyOfRange(w, 1, w.length));
                Transaction tx = j.multi();
                tx.scard("w");
                assertEquals(List.of(3L), tx.exec(), String.join(" ", w) + " must not invalidate WATCH");
            }
        }
    }

    @Test
    void copyDuplicatesBothEncodings() {
        j.sadd("i", "1", "2");
        j.sadd("h", "a", "b");
        assertTrue(j.copy("i", "i2", false));
        assertTrue(j.copy("h", "h2", false));
        assertEquals("intset", enc("i2"));
        assertEquals("hashtable", enc("h2"));
        j.sadd("i", "3");
        j.sadd("h", "c");
        j.srem("i2", "1");
        assertEquals(set("1", "2", "3"), j.smembers("i"));
        assertEquals(set("2"), j.smembers("i2"));
        assertEquals(set("a", "b", "c"), j.smembers("h"));
        assertEquals(set("a", "b"), j.smembers("h2"));
    }

    /** Other families read sets through SetValue.view, whatever the encoding. */
    @Test
    void setViewReadsBothEncodings() {
        j.sadd("i", "1", "-2", "70000");
        j.sadd("h", "a", "1");
        for (String key : List.of("i", "h")) {
            List<String> visited = new ArrayList<>();
            long size = EngineProbe.onEngine(server, () -> {
                Database db = server.server().engine().db(0);
                SetView v = SetValue.view(db.value(db.lookupRead(EngineProbe.bytes(key))));
                assertTrue(v.contains(EngineProbe.bytes("1")));
                assertFalse(v.contains(EngineProbe.bytes("01")));
                v.forEachMember(m -> visited.add(new String(m, StandardCharsets.UTF_8)));
                return v.size();
            });
            assertEquals(j.scard(key), size);
            assertEquals(j.smembers(key), new HashSet<>(visited));
        }
    }

    /**
     * A set of small integers is one array of Redis's size (8 + 2 per member) and nothing else,
     * which is what keeps 100,000 such sets within Redis's memory.
     */
    @Test
    void smallIntegerSetsAreOneBareIntset() {
        j.sadd("ten", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
        Object value = EngineProbe.onEngine(server, () -> {
            Database db = server.server().engine().db(0);
            return db.value(db.lookupRead(EngineProbe.bytes("ten")));
        });
        byte[] is = assertInstanceOf(byte[].class, value);
        assertEquals(28, is.length);
    }

    @Test
    void smembersRepliesASetInResp3() {
        j.sadd("a", "2", "1");
        try (RawConnection c = server.raw()) {
            c.call("HELLO", "3");
            assertEquals("~2\r\n$1\r\n1\r\n$1\r\n2\r\n", new String(c.call("SMEMBERS", "a"), StandardCharsets.UTF_8));
            assertEquals("~0\r\n", new String(c.call("SINTER", "a", "nokey"), StandardCharsets.UTF_8));
            assertEquals("*2\r\n$1\r\n1\r\n$1\r\n2\r\n", new String(c.call("SRANDMEMBER", "a", "5"), StandardCharsets.UTF_8));
            assertEquals("~0\r\n", new String(c.call("SPOP", "a", "0"), StandardCharsets.UTF_8));
        }
    }

    @Test
    void everySetCommandIsRegistered() {
        for (String name : List.of("sadd", "srem", "smembers", "sismember", "smismember", "scard", "spop", "srandmember",
                "smove", "sinter", "sintercard", "sinterstore", "sunion", "sunionstore", "sdiff", "sdiffstore", "sscan")) {
            assertTrue(server.server().engine().commands.lookup(name.getBytes()) != null, name);
        }
    }
}
