package io.ember.command;

import static io.ember.testing.LettuceClients.WRONGTYPE;
import static io.ember.testing.LettuceClients.assertError;
import static io.ember.testing.LettuceClients.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.LettuceClients;
import io.lettuce.core.KeyValue;
import io.lettuce.core.MapScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolVersion;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The hash commands through Lettuce, once over RESP2 and once over RESP3 (maps, nested pairs). */
class HashLettuceTest {
    static LettuceClients lettuce;

    @BeforeAll
    static void start() {
        lettuce = LettuceClients.start();
    }

    @AfterAll
    static void stop() {
        lettuce.close();
    }

    private static Map<String, String> pairs(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void setAndGet(ProtocolVersion v) {
        RedisCommands<String, String> r = lettuce.redis(v);
        String h = key(v, "h");
        assertTrue(r.hset(h, "a", "1"));
        assertFalse(r.hset(h, "a", "2"));
        assertEquals(2L, r.hset(h, pairs("b", "x", "c", "y", "a", "3")));
        assertEquals("OK", r.hmset(h, pairs("d", "4")));
        assertTrue(r.hsetnx(h, "e", "5"));
        assertFalse(r.hsetnx(h, "e", "6"));
        assertEquals("3", r.hget(h, "a"));
        assertNull(r.hget(h, "zz"));
        assertNull(r.hget(key(v, "none"), "a"));
        assertEquals(List.of(KeyValue.just("a", "3"), KeyValue.empty("zz"), KeyValue.just("e", "5")), r.hmget(h, "a", "zz", "e"));
        assertEquals(5L, r.hlen(h));
        assertEquals(1L, r.hstrlen(h, "b"));
        assertTrue(r.hexists(h, "d"));
        assertFalse(r.hexists(h, "zz"));
        Map<String, String> all = r.hgetall(h);
        assertEquals(pairs("a", "3", "b", "x", "c", "y", "d", "4", "e", "5"), all);
        assertEquals(List.of("a", "b", "c", "d", "e"), r.hkeys(h));
        assertEquals(List.of("3", "x", "y", "4", "5"), r.hvals(h));
        assertEquals(Map.of(), r.hgetall(key(v, "none")));
        assertEquals(List.of(), r.hkeys(key(v, "none")));
        assertEquals(2L, r.hdel(h, "a", "b", "zz"));
        assertEquals(3L, r.hdel(h, "c", "d", "e"));
        assertEquals(0L, r.exists(h));
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void increments(ProtocolVersion v) {
        RedisCommands<String, String> r = lettuce.redis(v);
        String h = key(v, "incr");
        assertEquals(10L, r.hincrby(h, "n", 10));
        assertEquals(7L, r.hincrby(h, "n", -3));
        assertEquals(7.5, r.hincrbyfloat(h, "n", 0.5));
        assertEquals("7.5", r.hget(h, "n"));
        assertError("ERR hash value is not an integer", () -> r.hincrby(h, "n", 1));
        r.hset(h, "m", String.valueOf(Long.MAX_VALUE));
        assertError("ERR increment or decrement would overflow", () -> r.hincrby(h, "m", 1));
        r.hset(h, "s", "abc");
        assertError("ERR hash value is not a float", () -> r.hincrbyfloat(h, "s", 1));
        assertError("ERR value is NaN or Infinity", () -> r.hincrbyfloat(h, "n", Double.POSITIVE_INFINITY));
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void hrandfield(ProtocolVersion v) {
        RedisCommands<String, String> r = lettuce.redis(v);
        for (String name : List.of("rand", "randbig")) {
            String h = key(v, name);
            Map<String, String> content = new HashMap<>();
            int n = name.equals("rand") ? 6 : 700;
            for (int i = 0; i < n; i++) content.put("f" + i, "v" + i);
            r.hset(h, content);
            assertEquals(name.equals("rand") ? "listpack" : "hashtable", EngineProbe.encoding(lettuce.server(), h));
            assertTrue(content.containsKey(r.hrandfield(h)));
            KeyValue<String, String> one = r.hrandfieldWithvalues(h);
            assertEquals(content.get(one.getKey()), one.getValue());
            List<String> distinct = r.hrandfield(h, 4);
            assertEquals(4, new HashSet<>(distinct).size());
            assertEquals(50, r.hrandfield(h, -50).size());
            for (long count : new long[] {3, -30, 1000}) {
                List<KeyValue<String, String>> kvs = r.hrandfieldWithvalues(h, count);
                assertEquals(count < 0 ? -count : Math.min(count, n), kvs.size());
                for (KeyValue<String, String> kv : kvs) assertEquals(content.get(kv.getKey()), kv.getValue());
            }
        }
        assertNull(r.hrandfield(key(v, "none")));
        assertEquals(List.of(), r.hrandfieldWithvalues(key(v, "none"), 3));
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void hscan(ProtocolVersion v) {
        RedisCommands<String, String> r = lettuce.redis(v);
        String small = key(v, "scan"), big = key(v, "scanbig");
        r.hset(small, pairs("a", "1", "b", "2"));
        MapScanCursor<String, String> c = r.hscan(small);
        assertTrue(c.isFinished());
        assertEquals(pairs("a", "1", "b", "2"), c.getMap());
        Map<String, String> content = new HashMap<>();
        for (int i = 0; i < 1000; i++) content.put("f" + i, "v" + i);
        r.hset(big, content);
        Map<String, String> seen = new HashMap<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            c = r.hscan(big, cursor, ScanArgs.Builder.limit(30));
            seen.putAll(c.getMap());
            cursor = c;
        } while (!c.isFinished());
        assertEquals(content, seen);
        c = r.hscan(big, ScanCursor.INITIAL, ScanArgs.Builder.matches("f99*").limit(10_000));
        assertEquals(Set.of("f99", "f990", "f991", "f992", "f993", "f994", "f995", "f996", "f997", "f998", "f999"),
                c.getMap().keySet());
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void errors(ProtocolVersion v) {
        RedisCommands<String, String> r = lettuce.redis(v);
        String s = key(v, "str");
        r.set(s, "x");
        assertError(WRONGTYPE, () -> r.hget(s, "a"));
        assertError(WRONGTYPE, () -> r.hset(s, "a", "b"));
        assertError(WRONGTYPE, () -> r.hgetall(s));
        assertError(WRONGTYPE, () -> r.hrandfieldWithvalues(s, 2));
        assertError(WRONGTYPE, () -> r.hscan(s));
        CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8).addKey(key(v, "h")).add("f");
        assertError("ERR wrong number of arguments for 'hset' command",
                () -> r.dispatch(CommandType.HSET, new IntegerOutput<>(StringCodec.UTF8), args));
        CommandArgs<String, String> odd = new CommandArgs<>(StringCodec.UTF8).addKey(key(v, "h")).add("f").add("v").add("g");
        assertError("ERR wrong number of arguments for 'hset' command",
                () -> r.dispatch(CommandType.HSET, new IntegerOutput<>(StringCodec.UTF8), odd));
        CommandArgs<String, String> rand = new CommandArgs<>(StringCodec.UTF8).addKey(s).add("1").add("nope");
        assertError("ERR syntax error", () -> r.dispatch(CommandType.HRANDFIELD, new ArrayOutput<>(StringCodec.UTF8), rand));
        assertError("ERR value is out of range", () -> r.hrandfieldWithvalues(s, Long.MAX_VALUE));
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void transactions(ProtocolVersion v) {
        RedisCommands<String, String> r = lettuce.redis(v);
        String h = key(v, "tx");
        r.multi();
        r.hset(h, pairs("a", "1", "b", "2"));
        r.hgetall(h);
        r.hincrby(h, "a", 5);
        TransactionResult res = r.exec();
        assertEquals(2L, (Long) res.get(0));
        assertEquals(pairs("a", "1", "b", "2"), res.get(1));
        assertEquals(6L, (Long) res.get(2));
    }
}
