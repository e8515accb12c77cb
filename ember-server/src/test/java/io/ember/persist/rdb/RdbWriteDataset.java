package io.ember.persist.rdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;

/**
 * A dataset covering every type and encoding the RDB writer handles, built by commands (so the
 * same calls produce the same data on Ember and on redis-server), and the key-by-key comparison
 * of two servers' contents.
 */
final class RdbWriteDataset {
    private RdbWriteDataset() {}

    /** Jedis has no DEBUG in its command enum. */
    static final ProtocolCommand DEBUG = () -> "DEBUG".getBytes(StandardCharsets.US_ASCII);

    /** Databases the dataset puts keys in. */
    static final int[] DBS = {0, 1, 7, 15};

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Builds the dataset (after FLUSHALL) through {@code j}; leaves it on database 0. */
    static void build(Jedis j) {
        Random rnd = new Random(20261122);
        j.flushAll();
        j.select(0);
        strings(j, rnd);
        lists(j, rnd);
        sets(j, rnd);
        zsets(j, rnd);
        hashes(j, rnd);
        streams(j);
        ttls(j);
        otherDatabases(j, rnd);
        j.select(0);
        assertEncodings(j);
    }

    /** The dataset is only as good as its coverage: each collection key is in the encoding its name says. */
    private static void assertEncodings(Jedis j) {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("list:many", "quicklist");
        expected.put("set:intset16", "intset");
        expected.put("set:intset64", "intset");
        expected.put("set:ht:str", "hashtable");
        expected.put("set:ht:ints", "hashtable");
        expected.put("zset:lp", "listpack");
        expected.put("zset:sl:count", "skiplist");
        expected.put("zset:sl:long", "skiplist");
        expected.put("hash:lp", "listpack");
        expected.put("hash:ht:count", "hashtable");
        expected.put("hash:ht:long", "hashtable");
        expected.put("str:int:127", "int");
        expected.put("str:text", "embstr");
        expected.put("str:a5000", "raw");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            assertEquals(e.getValue(), j.objectEncoding(e.getKey()), e.getKey());
        }
        String nodes = qlNodes(j, b("list:many"));
        assertTrue(Integer.parseInt(nodes.substring("ql_nodes:".length())) > 2, "list:many " + nodes);
        assertEquals("ql_nodes:4", qlNodes(j, b("list:big"))); // one node per element over 8 KB
    }

    private static void strings(Jedis j, Random rnd) {
        String[] ints = {"0", "1", "-1", "127", "-128", "128", "-129", "32767", "-32768", "32768", "-32769",
                "2147483647", "-2147483648", "2147483648", "-2147483649", "12345678901", "9223372036854775807",
                "-9223372036854775808"};
        for (String v : ints) j.set("str:int:" + v, v);
        String[] notInts = {"007", "-0", "+1", " 1", "1.5", "1e3", "99999999999999999999", "", "-"};
        for (int i = 0; i < notInts.length; i++) j.set("str:notint:" + i, notInts[i]);
        j.set("str:text", "hello world");
        j.set("str:a20", "a".repeat(20));
        j.set("str:a21", "a".repeat(21));
        j.set("str:a5000", "a".repeat(5000));
        j.set("str:words", "the quick brown fox jumps over the lazy dog ".repeat(50));
        j.set(b("str:random"), randomBytes(rnd, 600));
        j.set(b("str:randomsmall"), randomBytes(rnd, 30));
        j.set(new byte[] {0, (byte) 0xff, '\n', 'k'}, new byte[] {0, 1, 2, (byte) 0x80, '\r', '\n'});
        j.set(b("123"), b("integer-looking key"));
        j.set(b("-5"), b("7"));
        j.append("str:appended", "12");
        j.append("str:appended", "3"); // raw "123": RDB stores it integer-encoded
        j.setrange("str:setrange", 10, "x");
        j.set("str:big", "0123456789abcdef".repeat(4096));
    }

    private static void lists(Jedis j, Random rnd) {
        j.rpush(b("list:small"), b("a"), b(""), b("1"), b("-5"), b("12345678901"), new byte[] {0, (byte) 0xfe});
        List<byte[]> many = new ArrayList<>();
        for (int i = 0; i < 3000; i++) many.add(i % 3 == 0 ? b(Integer.toString(i * 7919)) : b("item-" + i));
        j.rpush(b("list:many"), many.toArray(new byte[0][]));
        for (int i = 0; i < 40; i++) j.linsert("list:many", redis.clients.jedis.args.ListPosition.BEFORE, "item-" + (1 + i * 70), "ins-" + i);
        for (int i = 0; i < 200; i++) j.lpush("list:many", "head-" + i);
        j.rpush(b("list:big"), b("x".repeat(10_000)), randomBytes(rnd, 9000), b("y".repeat(20_000)), b("z"));
        j.rpush("list:one", "only");
    }

    private static void sets(Jedis j, Random rnd) {
        List<String> small = new ArrayList<>();
        for (int i = 1; i <= 100; i++) small.add(Integer.toString(i * 3));
        j.sadd("set:intset16", small.toArray(new String[0]));
        j.sadd("set:intset64", "1099511627776", "-4611686018427387904", "5", "9223372036854775807");
        j.sadd("set:intset32", "100000", "-100000", "1");
        j.sadd(b("set:ht:str"), b("a"), b("b"), b(""), new byte[] {0, 1});
        List<String> big = new ArrayList<>();
        for (int i = 0; i < 1000; i++) big.add(Integer.toString(i));
        j.sadd("set:ht:ints", big.toArray(new String[0]));
        List<String> strs = new ArrayList<>();
        for (int i = 0; i < 300; i++) strs.add("member-" + rnd.nextInt(1_000_000));
        j.sadd("set:ht:many", strs.toArray(new String[0]));
    }

    private static void zsets(Jedis j, Random rnd) {
        Map<byte[], Double> lp = new LinkedHashMap<>();
        lp.put(b("one"), 1.0);
        lp.put(b("neg"), -2.5);
        lp.put(b("inf"), Double.POSITIVE_INFINITY);
        lp.put(b("-inf"), Double.NEGATIVE_INFINITY);
        lp.put(b("tenth"), 0.1);
        lp.put(b("huge"), 1e300);
        lp.put(b(""), 0.0);
        lp.put(b("42"), 42.0);
        j.zadd(b("zset:lp"), lp);
        j.zadd("zset:lp:ties", Map.of("b", 1.0, "a", 1.0, "c", 1.0));
        Map<String, Double> many = new HashMap<>();
        for (int i = 0; i < 300; i++) many.put("m" + i, (double) rnd.nextInt(100) + (i % 4) / 4.0);
        many.put("neginf", Double.NEGATIVE_INFINITY);
        many.put("", 3.0);
        j.zadd("zset:sl:count", many);
        j.zadd("zset:sl:long", Map.of("x".repeat(100), 1.5, "short", 2.0));
    }

    private static void hashes(Jedis j, Random rnd) {
        Map<byte[], byte[]> small = new LinkedHashMap<>(); // insertion order: the listpack is the same on both servers
        small.put(b("f1"), b("v1"));
        small.put(b(""), b(""));
        small.put(b("123"), b("456"));
        small.put(b("neg"), b("-70000"));
        small.put(new byte[] {0, (byte) 0xff}, randomBytes(rnd, 40));
        j.hset(b("hash:lp"), small);
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i < 600; i++) many.put("field-" + i, i % 2 == 0 ? Integer.toString(i * 1000) : "value-" + i);
        j.hset("hash:ht:count", many);
        j.hset("hash:ht:long", Map.of("f", "v".repeat(100), "g", "", "", "1"));
    }

    /**
     * Streams without consumer groups (which hold times): several nodes, tombstones, varying
     * fields, an entry above the node size. Entries stay small enough that nodes split on their
     * entry count (100): Ember measures the 4096-byte node limit on its own node encoding, not on
     * the listpack, so near that limit it may start a node one entry earlier than Redis does.
     */
    private static void streams(Jedis j) {
        ProtocolCommand xadd = () -> b("XADD");
        for (int i = 1; i <= 260; i++) {
            if (i % 7 == 0) j.sendCommand(xadd, "stream:nodes", i + "-" + i, "other", "o" + i);
            else j.sendCommand(xadd, "stream:nodes", i + "-" + i, "field", Integer.toString(i), "text", "t".repeat(i % 10));
        }
        j.sendCommand(() -> b("XDEL"), "stream:nodes", "1-1", "150-150", "260-260");
        j.sendCommand(xadd, "stream:big", "1-0", "big", "b".repeat(6000));
        j.sendCommand(xadd, "stream:big", "2-0", "big", "c".repeat(100));
    }

    private static void ttls(Jedis j) {
        j.pexpire("str:text", 100_000);
        j.pexpire("str:int:127", 5_000_000);
        j.pexpire("list:small", 500_000);
        j.pexpire("set:ht:str", 700_000);
        j.pexpire("set:intset16", 800_000);
        j.pexpire("zset:sl:count", 900_000);
        j.pexpire("zset:lp", 1_000_000);
        j.pexpire("hash:lp", 3_600_000);
        j.pexpireAt("hash:ht:count", 4_102_444_800_000L); // 2100-01-01
    }

    private static void otherDatabases(Jedis j, Random rnd) {
        j.select(1);
        j.set("db1:string", "in db 1");
        j.rpush("db1:list", "a", "b", "c");
        j.select(7);
        j.hset("db7:hash", Map.of("a", "1", "b", "2"));
        j.pexpire("db7:hash", 2_000_000);
        j.sadd("db7:set", "x", "y");
        j.select(15);
        j.zadd("db15:zset", Map.of("a", 1.0));
        j.set(b("db15:binary"), randomBytes(rnd, 100));
    }

    static byte[] randomBytes(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    // ---- comparison ----

    static String digest(Jedis j) {
        return new String((byte[]) j.sendCommand(DEBUG, b("DIGEST")), StandardCharsets.UTF_8);
    }

    static String digestValue(Jedis j, byte[] key) {
        Object r = j.sendCommand(DEBUG, b("DIGEST-VALUE"), key);
        return new String((byte[]) ((List<?>) r).get(0), StandardCharsets.UTF_8);
    }

    /** The ql_nodes field of DEBUG OBJECT for a list. */
    static String qlNodes(Jedis j, byte[] key) {
        String obj = new String((byte[]) j.sendCommand(DEBUG, b("OBJECT"), key), StandardCharsets.UTF_8);
        for (String f : obj.split(" ")) if (f.startsWith("ql_nodes:")) return f;
        throw new AssertionError("no ql_nodes in " + obj);
    }

    /**
     * Asserts that {@code actual} holds what {@code expected} holds: the whole-dataset digest, and
     * per key in every database its type, TTL (within a second), value digest and encoding
     * (strings excepted unless asked: raw/embstr/int is recomputed by loading, as on Redis).
     * Returns the number of keys compared.
     */
    static int assertSameContents(Jedis expected, Jedis actual) {
        return assertSameContents(expected, actual, false);
    }

    /** As above; {@code strictEncodings} also compares the encodings of strings. */
    static int assertSameContents(Jedis expected, Jedis actual, boolean strictEncodings) {
        assertEquals(digest(expected), digest(actual), "DEBUG DIGEST");
        int keys = 0;
        for (int db = 0; db < 16; db++) {
            expected.select(db);
            actual.select(db);
            List<byte[]> names = new ArrayList<>(expected.keys(b("*")));
            assertEquals(names.size(), actual.dbSize(), "keys in db " + db);
            for (byte[] key : names) {
                String what = "db " + db + " key " + Arrays.toString(key) + " (" + new String(key, StandardCharsets.UTF_8) + ")";
                String type = expected.type(key);
                assertEquals(type, actual.type(key), what + " type");
                assertEquals(digestValue(expected, key), digestValue(actual, key), what + " value");
                long ttlE = expected.pttl(key), ttlA = actual.pttl(key);
                if (ttlE < 0) assertEquals(ttlE, ttlA, what + " ttl");
                else assertTrue(Math.abs(ttlE - ttlA) <= 1000, what + " ttl " + ttlE + " vs " + ttlA);
                if (type.equals("list")) assertEquals(qlNodes(expected, key), qlNodes(actual, key), what + " quicklist nodes");
                if (strictEncodings || !type.equals("string")) {
                    assertEquals(new String(expected.objectEncoding(key)), new String(actual.objectEncoding(key)),
                            what + " encoding");
                }
                keys++;
            }
        }
        expected.select(0);
        actual.select(0);
        return keys;
    }
}
