package io.ember.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.TestServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.args.SortedSetOption;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.ZAddParams;
import redis.clients.jedis.params.ZParams;
import redis.clients.jedis.params.ZRangeParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.Tuple;
import redis.clients.jedis.util.KeyValue;

/** Every sorted set command through Jedis, with its error replies, on both encodings. */
class SortedSetCommandsTest {
    static TestServer server;
    static Jedis jedis;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        jedis = server.jedis();
    }

    @AfterAll
    static void stop() {
        jedis.close();
        server.close();
    }

    @BeforeEach
    void clean() {
        jedis.flushAll();
        jedis.configSet("zset-max-listpack-entries", "128");
        jedis.configSet("zset-max-listpack-value", "64");
    }

    private static void error(String message, Executable call) {
        JedisDataException e = assertThrows(JedisDataException.class, call);
        assertEquals(message, e.getMessage());
    }

    private static Map<String, Double> scores(Object... pairs) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) m.put((String) pairs[i], ((Number) pairs[i + 1]).doubleValue());
        return m;
    }

    private static List<String> members(List<Tuple> tuples) {
        return tuples.stream().map(Tuple::getElement).toList();
    }

    @Test
    void addScoreIncrAndRemove() {
        assertEquals(3, jedis.zadd("z", scores("a", 1, "b", 2, "c", 3)));
        assertEquals("listpack", jedis.objectEncoding("z"));
        assertEquals(0, jedis.zadd("z", 5, "a", ZAddParams.zAddParams().nx()));
        assertEquals(1, jedis.zadd("z", scores("a", 5, "zz", 5), ZAddParams.zAddParams().xx().ch()));
        assertEquals(1, jedis.zadd("z", scores("a", 9, "b", 1), ZAddParams.zAddParams().gt().ch()));
        assertEquals(9.0, jedis.zscore("z", "a"));
        assertEquals(11.5, jedis.zincrby("z", 2.5, "a"));
        assertEquals(12.5, jedis.zaddIncr("z", 1, "a", ZAddParams.zAddParams()));
        assertNull(jedis.zaddIncr("z", -1, "a", ZAddParams.zAddParams().gt()));
        assertNull(jedis.zscore("z", "nosuch"));
        assertEquals(java.util.Arrays.asList(12.5, null, 3.0), jedis.zmscore("z", "a", "nosuch", "c"));
        assertEquals(3, jedis.zcard("z"));
        assertEquals(2, jedis.zrem("z", "a", "nosuch", "b"));
        assertEquals(1, jedis.zcard("z"));
        assertEquals(1, jedis.zrem("z", "c"));
        assertEquals(0, jedis.exists("z") ? 1 : 0, "an emptied set is deleted");
        assertEquals(Double.POSITIVE_INFINITY, jedis.zincrby("inf", Double.POSITIVE_INFINITY, "m"));
        error("ERR resulting score is not a number (NaN)", () -> jedis.zincrby("inf", Double.NEGATIVE_INFINITY, "m"));
        error("ERR XX and NX options at the same time are not compatible",
                () -> jedis.sendCommand(Protocol.Command.ZADD, "z", "nx", "xx", "1", "a"));
        error("ERR GT, LT, and/or NX options at the same time are not compatible",
                () -> jedis.sendCommand(Protocol.Command.ZADD, "z", "gt", "lt", "1", "a"));
        error("ERR INCR option supports a single increment-element pair",
                () -> jedis.sendCommand(Protocol.Command.ZADD, "z", "incr", "1", "a", "2", "b"));
        error("ERR value is not a valid float", () -> jedis.sendCommand(Protocol.Command.ZADD, "z", "nan", "a"));
        error("ERR syntax error", () -> jedis.sendCommand(Protocol.Command.ZADD, "z", "1", "a", "2"));
        jedis.set("str", "x");
        error("WRONGTYPE Operation against a key holding the wrong kind of value", () -> jedis.zadd("str", 1, "a"));
        error("WRONGTYPE Operation against a key holding the wrong kind of value", () -> jedis.zscore("str", "a"));
    }

    @Test
    void ranksRangesAndCounts() {
        jedis.zadd("z", scores("a", 1, "b", 2, "c", 3, "d", 4, "e", 5));
        assertEquals(1L, jedis.zrank("z", "b"));
        assertEquals(3L, jedis.zrevrank("z", "b"));
        assertNull(jedis.zrank("z", "nosuch"));
        assertEquals(List.of("b", "c", "d"), jedis.zrange("z", 1, 3));
        assertEquals(List.of("e", "d"), jedis.zrevrange("z", 0, 1));
        assertEquals(List.of(new Tuple("a", 1.0), new Tuple("b", 2.0)), jedis.zrangeWithScores("z", 0, 1));
        assertEquals(List.of("b", "c"), jedis.zrangeByScore("z", "(1", "3"));
        assertEquals(List.of("c", "b"), jedis.zrevrangeByScore("z", "3", "(1"));
        assertEquals(List.of("c", "d"), jedis.zrangeByScore("z", "-inf", "+inf", 2, 2));
        assertEquals(List.of("c"), jedis.zrange("z", ZRangeParams.zrangeByScoreParams(2, 4).limit(1, 1)));
        assertEquals(List.of("d", "c"), jedis.zrange("z", ZRangeParams.zrangeByScoreParams(4, 2).rev().limit(0, 2)));
        assertEquals(3, jedis.zcount("z", "(1", "4"));
        assertEquals(5, jedis.zlexcount("z", "-", "+"));
        assertEquals(List.of("b", "c"), jedis.zrangeByLex("z", "[b", "(d"));
        assertEquals(List.of("d", "c"), jedis.zrevrangeByLex("z", "[d", "(b"));
        assertEquals(2, jedis.zrangestore("dst", "z", ZRangeParams.zrangeByScoreParams(2, 3)));
        assertEquals(List.of("b", "c"), jedis.zrange("dst", 0, -1));
        assertEquals(0, jedis.zrangestore("dst", "z", ZRangeParams.zrangeParams(3, 1)));
        assertTrue(!jedis.exists("dst"));
        error("ERR min or max is not a float", () -> jedis.zcount("z", "a", "b"));
        error("ERR min or max not valid string range item", () -> jedis.zlexcount("z", "a", "b"));
        error("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
                () -> jedis.sendCommand(Protocol.Command.ZRANGE, "z", "0", "1", "limit", "0", "1"));
        error("ERR syntax error, WITHSCORES not supported in combination with BYLEX",
                () -> jedis.sendCommand(Protocol.Command.ZRANGE, "z", "-", "+", "bylex", "withscores"));
        error("ERR value is not an integer or out of range", () -> jedis.sendCommand(Protocol.Command.ZRANGE, "z", "x", "1"));
        assertEquals(2, jedis.zremrangeByRank("z", 0, 1));
        assertEquals(1, jedis.zremrangeByScore("z", "3", "3"));
        assertEquals(1, jedis.zremrangeByLex("z", "[d", "[d"));
        assertEquals(List.of("e"), jedis.zrange("z", 0, -1));
    }

    @Test
    void popsAndRandomMembers() {
        jedis.zadd("z", scores("a", 1, "b", 2, "c", 3, "d", 4));
        assertEquals(new Tuple("a", 1.0), jedis.zpopmin("z"));
        assertEquals(List.of(new Tuple("d", 4.0), new Tuple("c", 3.0)), jedis.zpopmax("z", 2));
        KeyValue<String, List<Tuple>> popped = jedis.zmpop(SortedSetOption.MIN, "nokey", "z");
        assertEquals("z", popped.getKey());
        assertEquals(List.of(new Tuple("b", 2.0)), popped.getValue());
        assertNull(jedis.zmpop(SortedSetOption.MAX, "z"));
        error("ERR value is out of range, must be positive", () -> jedis.sendCommand(Protocol.Command.ZPOPMIN, "z", "-1"));
        error("ERR numkeys should be greater than 0", () -> jedis.sendCommand(Protocol.Command.ZMPOP, "0", "z", "min"));
        error("ERR count should be greater than 0",
                () -> jedis.sendCommand(Protocol.Command.ZMPOP, "1", "z", "min", "count", "0"));
        jedis.zadd("r", scores("x", 1, "y", 2, "z", 3));
        assertTrue(Set.of("x", "y", "z").contains(jedis.zrandmember("r")));
        assertEquals(List.of("z", "y", "x"), jedis.zrandmember("r", 10));
        assertEquals(2, Set.copyOf(jedis.zrandmember("r", 2)).size());
        assertEquals(7, jedis.zrandmember("r", -7).size());
        List<Tuple> withScores = jedis.zrandmemberWithScores("r", -4);
        for (Tuple t : withScores) assertEquals(jedis.zscore("r", t.getElement()), t.getScore());
        error("ERR value is out of range", () -> jedis.sendCommand(Protocol.Command.ZRANDMEMBER, "r",
                "4611686018427387904", "withscores"));
    }

    @Test
    void blockingPops() throws Exception {
        jedis.zadd("b", 1, "a");
        KeyValue<String, Tuple> now = jedis.bzpopmin(1, "none", "b");
        assertEquals("b", now.getKey());
        assertEquals(new Tuple("a", 1.0), now.getValue());
        assertNull(jedis.bzpopmax(0.05, "none"));
        try (Jedis other = server.jedis()) {
            CompletableFuture<KeyValue<String, List<Tuple>>> waiting =
                    CompletableFuture.supplyAsync(() -> other.bzmpop(5, SortedSetOption.MAX, 2, "w1", "w2"));
            long deadline = System.currentTimeMillis() + 5000;
            while (!jedis.clientList().contains("cmd=bzmpop") && System.currentTimeMillis() < deadline) Thread.sleep(5);
            jedis.zadd("w2", scores("p", 1, "q", 2, "r", 3));
            KeyValue<String, List<Tuple>> got = waiting.get(5, TimeUnit.SECONDS);
            assertEquals("w2", got.getKey());
            assertEquals(List.of(new Tuple("r", 3.0), new Tuple("q", 2.0)), got.getValue());
        }
        error("ERR timeout is negative", () -> jedis.sendCommand(Protocol.Command.BZPOPMIN, "b", "-1"));
        error("ERR timeout is not a float or out of range", () -> jedis.sendCommand(Protocol.Command.BZPOPMIN, "b", "x"));
    }

    @Test
    void unionInterDiff() {
        jedis.zadd("u1", scores("a", 1, "b", 2, "c", 3));
        jedis.zadd("u2", scores("b", 10, "c", 20, "d", 30));
        assertEquals(List.of("a", "b", "c", "d"), jedis.zunion(new ZParams(), "u1", "u2"));
        assertEquals(List.of(new Tuple("a", 2.0), new Tuple("b", 9.0), new Tuple("d", 15.0), new Tuple("c", 16.0)),
                jedis.zunionWithScores(new ZParams().weights(2, 0.5), "u1", "u2"));
        assertEquals(List.of(new Tuple("b", 10.0), new Tuple("c", 20.0)),
                jedis.zinterWithScores(new ZParams().aggregate(ZParams.Aggregate.MAX), "u1", "u2"));
        assertEquals(List.of(new Tuple("a", 1.0)), jedis.zdiffWithScores("u1", "u2"));
        assertEquals(4, jedis.zunionstore("dst", "u1", "u2"));
        assertEquals(2, jedis.zinterstore("dst", new ZParams().aggregate(ZParams.Aggregate.MIN), "u1", "u2"));
        assertEquals(List.of(new Tuple("b", 2.0), new Tuple("c", 3.0)), jedis.zrangeWithScores("dst", 0, -1));
        assertEquals(1, jedis.zdiffstore("dst", "u1", "u2"));
        assertEquals(2, jedis.zintercard("u1", "u2"));
        assertEquals(1, jedis.zintercard(1, "u1", "u2"));
        assertEquals(0, jedis.zinterstore("dst", "u1", "nokey"));
        assertTrue(!jedis.exists("dst"));
        error("ERR at least 1 input key is needed for 'zunionstore' command",
                () -> jedis.sendCommand(Protocol.Command.ZUNIONSTORE, "d", "0", "u1"));
        error("ERR weight value is not a float", () -> jedis.sendCommand(Protocol.Command.ZUNION, "1", "u1", "weights", "x"));
        error("ERR LIMIT can't be negative", () -> jedis.sendCommand(Protocol.Command.ZINTERCARD, "1", "u1", "limit", "-1"));
        error("ERR syntax error", () -> jedis.sendCommand(Protocol.Command.ZDIFF, "1", "u1", "weights", "1"));
    }

    @Test
    void scanAndEncodings() {
        jedis.configSet("zset-max-listpack-entries", "16");
        for (int i = 0; i < 16; i++) jedis.zadd("s", i, "m" + i);
        assertEquals("listpack", jedis.objectEncoding("s"));
        ScanResult<Tuple> all = jedis.zscan("s", "0");
        assertEquals("0", all.getCursor());
        assertEquals(16, all.getResult().size());
        jedis.zadd("s", 16, "m16");
        assertEquals("skiplist", jedis.objectEncoding("s"));
        java.util.Set<String> seen = new java.util.HashSet<>();
        String cursor = "0";
        do {
            ScanResult<Tuple> page = jedis.zscan("s", cursor, new ScanParams().count(3).match("m1*"));
            for (Tuple t : page.getResult()) {
                seen.add(t.getElement());
                assertEquals(jedis.zscore("s", t.getElement()), t.getScore());
            }
            cursor = page.getCursor();
        } while (!cursor.equals("0"));
        assertEquals(Set.of("m1", "m10", "m11", "m12", "m13", "m14", "m15", "m16"), seen);
        jedis.zrem("s", "m0", "m1", "m2");
        assertEquals("skiplist", jedis.objectEncoding("s"), "never converted back");
        jedis.configSet("zset-max-listpack-value", "4");
        jedis.zadd("long", 1, "abcdefgh");
        assertEquals("skiplist", jedis.objectEncoding("long"), "a member above the value limit");
        error("ERR invalid cursor", () -> jedis.zscan("s", "x"));
        jedis.copy("s", "s2", false);
        assertEquals(jedis.zrangeWithScores("s", 0, -1), jedis.zrangeWithScores("s2", 0, -1));
        assertEquals("skiplist", jedis.objectEncoding("s2"));
        assertEquals("zset", jedis.type("s2"));
    }
}
