package io.ember.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.TestServer;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.GetExArgs;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LcsArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.SetArgs;
import io.lettuce.core.StringMatchResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.ProtocolVersion;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.function.Executable;

/** The string commands through Lettuce, once over RESP2 and once over RESP3. */
class StringCommandsLettuceTest {
    static TestServer server;
    static final Map<ProtocolVersion, RedisClient> clients = new EnumMap<>(ProtocolVersion.class);
    static final Map<ProtocolVersion, StatefulRedisConnection<String, String>> connections = new EnumMap<>(ProtocolVersion.class);

    @BeforeAll
    static void start() {
        server = TestServer.start();
        for (ProtocolVersion v : List.of(ProtocolVersion.RESP2, ProtocolVersion.RESP3)) {
            RedisClient client = RedisClient.create(server.uri());
            client.setOptions(ClientOptions.builder().protocolVersion(v).build());
            clients.put(v, client);
            connections.put(v, client.connect());
        }
    }

    @AfterAll
    static void stop() {
        connections.values().forEach(StatefulRedisConnection::close);
        clients.values().forEach(RedisClient::shutdown);
        server.close();
    }

    private static RedisCommands<String, String> redis(ProtocolVersion v) {
        return connections.get(v).sync();
    }

    /** Keys are prefixed with the protocol so the two runs do not see each other's keys. */
    private static String k(ProtocolVersion v, String name) {
        return v.name() + ":" + name;
    }

    private static void assertError(String message, Executable call) {
        RedisCommandExecutionException e = assertThrows(RedisCommandExecutionException.class, call);
        assertEquals(message, e.getMessage());
    }

    /** TTL in seconds, read inside the engine (TTL itself belongs to another command family). */
    private static long ttl(String key) {
        long pttl = EngineProbe.pttl(server, key);
        return pttl < 0 ? pttl : pttl / 1000;
    }

    /** Lettuce has no SUBSTR keyword; a protocol keyword is just its bytes. */
    private static final ProtocolKeyword SUBSTR = new ProtocolKeyword() {
        @Override
        public byte[] getBytes() {
            return "SUBSTR".getBytes();
        }

        @Override
        public String toString() {
            return "SUBSTR";
        }
    };

    private static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void setFamily(ProtocolVersion v) {
        RedisCommands<String, String> r = redis(v);
        String a = k(v, "set:a"), b = k(v, "set:b");
        assertEquals("OK", r.set(a, "1"));
        assertEquals("1", r.get(a));
        assertNull(r.get(k(v, "set:none")));
        assertNull(r.set(a, "2", SetArgs.Builder.nx()));
        assertEquals("OK", r.set(a, "2", SetArgs.Builder.xx().ex(100)));
        assertTrue(ttl(a) > 90);
        assertEquals("OK", r.set(a, "3", SetArgs.Builder.keepttl()));
        assertTrue(ttl(a) > 90);
        assertEquals("3", r.setGet(a, "4"));
        assertEquals(-1, ttl(a));
        assertNull(r.setGet(b, "x", SetArgs.Builder.nx()));
        assertEquals("x", r.get(b));
        assertTrue(r.setnx(k(v, "set:nx"), "1"));
        assertFalse(r.setnx(k(v, "set:nx"), "2"));
        assertEquals("OK", r.setex(k(v, "set:ex"), 100, "v"));
        assertEquals("OK", r.psetex(k(v, "set:pex"), 100_000, "v"));
        assertError("ERR invalid expire time in 'setex' command", () -> r.setex(a, 0, "v"));
        assertError("ERR syntax error", () -> r.set(a, "v", SetArgs.Builder.nx().xx()));
        assertError("ERR invalid expire time in 'set' command", () -> r.set(a, "v", SetArgs.Builder.px(0)));
        assertEquals("4", r.getset(a, "5"));
        assertEquals("5", r.getdel(a));
        assertNull(r.getdel(a));
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void getex(ProtocolVersion v) {
        RedisCommands<String, String> r = redis(v);
        String a = k(v, "getex:a");
        r.set(a, "v");
        assertEquals("v", r.getex(a, GetExArgs.Builder.ex(100)));
        assertTrue(ttl(a) > 90);
        assertEquals("v", r.getex(a, GetExArgs.Builder.persist()));
        assertEquals(-1, ttl(a));
        assertEquals("v", r.getex(a, GetExArgs.Builder.pxAt(System.currentTimeMillis() + 100_000)));
        assertTrue(EngineProbe.pttl(server, a) > 90_000);
        assertEquals("v", r.getex(a, GetExArgs.Builder.exAt(1)));
        assertNull(r.get(a));
        assertNull(r.getex(a, GetExArgs.Builder.ex(10)));
        r.set(a, "v");
        assertError("ERR invalid expire time in 'getex' command", () -> r.getex(a, GetExArgs.Builder.ex(-1)));
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void multiKey(ProtocolVersion v) {
        RedisCommands<String, String> r = redis(v);
        Map<String, String> m = new LinkedHashMap<>();
        m.put(k(v, "m:a"), "1");
        m.put(k(v, "m:b"), "2");
        assertEquals("OK", r.mset(m));
        List<KeyValue<String, String>> got = r.mget(k(v, "m:a"), k(v, "m:none"), k(v, "m:b"));
        assertEquals("1", got.get(0).getValue());
        assertFalse(got.get(1).hasValue());
        assertEquals("2", got.get(2).getValue());
        assertFalse(r.msetnx(Map.of(k(v, "m:a"), "x", k(v, "m:c"), "y")));
        assertTrue(r.msetnx(Map.of(k(v, "m:c"), "x", k(v, "m:d"), "y")));
        assertEquals("y", r.get(k(v, "m:d")));
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void editsAndRanges(ProtocolVersion v) {
        RedisCommands<String, String> r = redis(v);
        String a = k(v, "ed:a");
        assertEquals(5, r.append(a, "Hello"));
        assertEquals(11, r.append(a, " World"));
        assertEquals(11, r.strlen(a));
        assertEquals(0, r.strlen(k(v, "ed:none")));
        assertEquals("World", r.getrange(a, -5, -1));
        assertEquals("", r.getrange(a, 20, 30));
        assertEquals(11, r.setrange(a, 6, "Redis"));
        assertEquals("Hello Redis", r.get(a));
        assertEquals(3, r.setrange(k(v, "ed:b"), 2, "x"));
        assertEquals("\0\0x", r.get(k(v, "ed:b")));
        assertError("ERR offset is out of range", () -> r.setrange(a, -1, "x"));
        String substr = r.dispatch(SUBSTR, new io.lettuce.core.output.ValueOutput<>(StringCodec.UTF8),
                new CommandArgs<>(StringCodec.UTF8).addKey(a).add(0).add(4));
        assertEquals("Hello", substr);
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void counters(ProtocolVersion v) {
        RedisCommands<String, String> r = redis(v);
        String n = k(v, "cnt:n"), f = k(v, "cnt:f");
        assertEquals(1, r.incr(n));
        assertEquals(6, r.incrby(n, 5));
        assertEquals(5, r.decr(n));
        assertEquals(-5, r.decrby(n, 10));
        r.set(k(v, "cnt:text"), "abc");
        assertError("ERR value is not an integer or out of range", () -> r.incr(k(v, "cnt:text")));
        r.set(k(v, "cnt:max"), Long.toString(Long.MAX_VALUE));
        assertError("ERR increment or decrement would overflow", () -> r.incr(k(v, "cnt:max")));
        assertEquals(10.5, r.incrbyfloat(f, 10.5));
        assertEquals(10.6, r.incrbyfloat(f, 0.1));
        assertEquals("10.6", r.get(f));
        assertError("ERR value is not a valid float", () -> r.incrbyfloat(k(v, "cnt:text"), 1));
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void lcs(ProtocolVersion v) {
        RedisCommands<String, String> r = redis(v);
        String a = k(v, "lcs:a"), b = k(v, "lcs:b");
        r.set(a, "ohmytext");
        r.set(b, "mynewtext");
        assertEquals("mytext", r.lcs(new LcsArgs().by(a, b)).getMatchString());
        assertEquals(6, r.lcs(new LcsArgs().by(a, b).justLen()).getLen());
        // IDX is a map in RESP3 and a flat array in RESP2; Lettuce must read both the same way.
        StringMatchResult idx = r.lcs(new LcsArgs().by(a, b).withIdx().withMatchLen());
        assertEquals(6, idx.getLen());
        assertEquals(2, idx.getMatches().size());
        StringMatchResult.MatchedPosition m = idx.getMatches().get(0);
        assertEquals(List.of(4L, 7L, 5L, 8L, 4L),
                List.of(m.getA().getStart(), m.getA().getEnd(), m.getB().getStart(), m.getB().getEnd(), m.getMatchLen()));
        StringMatchResult min = r.lcs(new LcsArgs().by(a, b).withIdx().minMatchLen(3));
        assertEquals(1, min.getMatches().size());
        assertEquals(6, min.getLen());
        assertError("ERR If you want both the length and indexes, please just use IDX.",
                () -> r.lcs(new LcsArgs().by(a, b).withIdx().justLen()));
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void wrongType(ProtocolVersion v) {
        RedisCommands<String, String> r = redis(v);
        String l = k(v, "wt:list");
        EngineProbe.putList(server, l);
        assertError(WRONGTYPE, () -> r.get(l));
        assertError(WRONGTYPE, () -> r.getex(l, GetExArgs.Builder.persist()));
        assertError(WRONGTYPE, () -> r.append(l, "x"));
        assertError(WRONGTYPE, () -> r.incrbyfloat(l, 1));
        assertError(WRONGTYPE, () -> r.setrange(l, 0, "x"));
        assertError("ERR The specified keys must contain string values", () -> r.lcs(new LcsArgs().by(l, l)));
        assertNull(r.mget(l).get(0).getValueOrElse(null));
        // Proves the connection still works and the list was untouched by the failed commands.
        assertEquals("PONG", r.dispatch(CommandType.PING, new StatusOutput<>(StringCodec.UTF8)));
        assertEquals("quicklist", EngineProbe.encoding(server, l));
    }
}
