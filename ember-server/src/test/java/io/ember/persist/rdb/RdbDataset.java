package io.ember.persist.rdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.Differential;
import io.ember.testing.RawConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import redis.clients.jedis.Jedis;

/**
 * A dataset with every type and every encoding redis-server 7.0 writes, small and large, binary
 * keys and values, compressible strings, TTLs and several databases — and the key-by-key
 * comparison of two servers holding it (type, encoding, TTL, DEBUG DIGEST-VALUE, DEBUG DIGEST).
 */
final class RdbDataset {
    private RdbDataset() {}

    static final int[] DBS = {0, 1, 9};

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] random(Random r, int n) {
        byte[] out = new byte[n];
        r.nextBytes(out);
        return out;
    }

    /** Fills databases 0, 1 and 9 of {@code j}. */
    static void populate(Jedis j, long seed) {
        Random r = new Random(seed);
        j.select(0);
        // strings: the integer encodings of RDB strings, embstr/raw, LZF, binary, empty
        j.set("s:int8", "-7");
        j.set("s:int16", "1234");
        j.set("s:int32", "-2147483648");
        j.set("s:long", "9223372036854775807");
        j.set("s:notcanonical", "007");
        j.set("s:embstr", "hello world");
        j.set("s:empty", "");
        j.set(b("s:bin"), random(r, 300));
        j.set("s:lzf", "abcdefgh".repeat(500));
        j.set(new byte[] {0, 1, 2, (byte) 0xff, '\r', '\n'}, new byte[] {(byte) 0x80, 0, 'x'});
        // lists: one node, many nodes, compressible elements, binary, integers
        j.rpush("l:small", "a", "1", "-100", "hello", "");
        for (int i = 0; i < 3000; i++) j.rpush(b("l:big"), i % 3 == 0 ? b(Integer.toString(i)) : random(r, 1 + r.nextInt(40)));
        for (int i = 0; i < 50; i++) j.lpush("l:lzf", "repeat-me-".repeat(30) + i);
        j.rpush(b("l:huge-elements"), random(r, 9000), random(r, 20000), b("x"));
        // sets: intset (16/32/64-bit), intset above the limit, hashtable of strings
        j.sadd("set:i16", "1", "2", "3", "-5");
        j.sadd("set:i64", "1", "9223372036854775807", "-9223372036854775808");
        for (int i = 0; i < 700; i++) j.sadd("set:many-ints", Integer.toString(i * 7));
        for (int i = 0; i < 100; i++) j.sadd(b("set:strings"), random(r, 1 + r.nextInt(20)));
        j.sadd("set:mixed", "1", "two", "3");
        // sorted sets: listpack, skiplist by count, skiplist by member length, special scores
        j.zadd("z:lp", 1.5, "a");
        j.zadd("z:lp", -3, "b");
        j.zadd("z:lp", 1e300, "c");
        j.zadd("z:lp", Double.POSITIVE_INFINITY, "inf");
        j.zadd("z:lp", Double.NEGATIVE_INFINITY, "-inf");
        j.zadd("z:lp", 0.1, "12345");
        for (int i = 0; i < 300; i++) j.zadd(b("z:sl"), r.nextGaussian() * 1000, random(r, 1 + r.nextInt(30)));
        j.zadd("z:long-member", 2, "m".repeat(100));
        j.zadd("z:long-member", 1, "short");
        // hashes: listpack, hashtable by count, hashtable by value length, binary
        for (int i = 0; i < 10; i++) j.hset("h:lp", "f" + i, i % 2 == 0 ? Integer.toString(i * 1000) : "v" + i);
        for (int i = 0; i < 700; i++) j.hset(b("h:ht"), random(r, 1 + r.nextInt(10)), random(r, r.nextInt(30)));
        j.hset("h:long-value", "f", "v".repeat(100));
        j.hset("h:lzf", "f", "compress ".repeat(100));
        // streams: tombstones, two nodes, a consumer group with pending entries and consumers
        redis.clients.jedis.commands.ProtocolCommand x = () -> b("XADD");
        for (int i = 1; i <= 120; i++) j.sendCommand(x, "x:stream", i + "-0", "f", "v" + i, "n", Integer.toString(i * 3));
        j.sendCommand(() -> b("XDEL"), "x:stream", "3-0", "50-0");
        j.sendCommand(() -> b("XGROUP"), "CREATE", "x:stream", "g", "0");
        j.sendCommand(() -> b("XREADGROUP"), "GROUP", "g", "alice", "COUNT", "4", "STREAMS", "x:stream", ">");
        j.sendCommand(() -> b("XREADGROUP"), "GROUP", "g", "bob", "COUNT", "3", "STREAMS", "x:stream", ">");
        j.sendCommand(() -> b("XACK"), "x:stream", "g", "1-0");
        j.sendCommand(x, "x:empty-stream", "1-0", "f", "v");
        j.sendCommand(() -> b("XDEL"), "x:empty-stream", "1-0");
        // TTLs
        j.psetex("s:ttl", 100_000, "with a ttl");
        j.rpush("l:ttl", "x");
        j.expire("l:ttl", 50_000);
        j.hset("h:ttl", "a", "b");
        j.pexpireAt("h:ttl", System.currentTimeMillis() + 3_600_000);

        j.select(1);
        j.set("db1:str", "one");
        j.sadd("db1:set", "x", "y");
        j.zadd("db1:z", 1, "a");
        j.expire("db1:str", 1000);

        j.select(9);
        j.hset("db9:hash", "k", "v");
        j.rpush("db9:list", "1", "2", "3");
        j.set("s:int8", "same key name as in db 0");
        j.select(0);
    }

    /** Keys made to expire {@code ms} after this call, which a loader must skip once they have. */
    static List<String> aboutToExpire(Jedis j, long ms) {
        List<String> keys = List.of("soon:str", "soon:set");
        j.select(0);
        j.set("soon:str", "bye");
        j.sadd("soon:set", "a");
        for (String k : keys) j.pexpire(k, ms);
        return keys;
    }

    static String show(byte[] reply) {
        return Differential.show(reply);
    }

    /** Same keys, types, encodings, TTLs (within 2 s), values (DIGEST-VALUE) and dataset digest. */
    static void assertSameDataset(RawConnection redis, RawConnection ember, boolean compareEncodings) {
        for (int db : DBS) {
            assertEquals(show(redis.call("SELECT", "" + db)), show(ember.call("SELECT", "" + db)));
            assertEquals(show(redis.call("DBSIZE")), show(ember.call("DBSIZE")), "DBSIZE of db " + db);
            List<byte[]> keys = keys(redis);
            for (byte[] key : keys) {
                String name = show(key);
                assertEquals(show(redis.callBytes(b("TYPE"), key)), show(ember.callBytes(b("TYPE"), key)), "TYPE " + name);
                if (compareEncodings) {
                    assertEquals(show(redis.callBytes(b("OBJECT"), b("ENCODING"), key)),
                            show(ember.callBytes(b("OBJECT"), b("ENCODING"), key)), "OBJECT ENCODING " + name);
                }
                assertEquals(show(redis.callBytes(b("DEBUG"), b("DIGEST-VALUE"), key)),
                        show(ember.callBytes(b("DEBUG"), b("DIGEST-VALUE"), key)), "value of " + name);
                long rt = pttl(redis.callBytes(b("PTTL"), key));
                long et = pttl(ember.callBytes(b("PTTL"), key));
                assertTrue(rt < 0 ? et == rt : Math.abs(rt - et) < 2000, "PTTL of " + name + ": " + rt + " vs " + et);
            }
        }
        assertEquals(show(redis.call("DEBUG", "DIGEST")), show(ember.call("DEBUG", "DIGEST")), "DEBUG DIGEST");
        redis.call("SELECT", "0");
        ember.call("SELECT", "0");
    }

    private static long pttl(byte[] reply) {
        String s = new String(reply, StandardCharsets.ISO_8859_1).trim();
        return Long.parseLong(s.substring(1));
    }

    /** Every key of the selected database, through KEYS * on a raw connection. */
    static List<byte[]> keys(RawConnection c) {
        var v = (io.ember.resp.RespValue.Array) c.callValue("KEYS", "*");
        List<byte[]> out = new ArrayList<>();
        for (var e : v.items()) out.add(((io.ember.resp.RespValue.Bulk) e).value());
        return out;
    }
}
