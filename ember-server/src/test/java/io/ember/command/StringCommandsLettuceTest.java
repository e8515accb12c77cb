package io.ember.command;

import static io.ember.testing.LettuceClients.WRONGTYPE;
import static io.ember.testing.LettuceClients.assertError;
import static io.ember.testing.LettuceClients.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.LettuceClients;
import io.lettuce.core.GetExArgs;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LcsArgs;
import io.lettuce.core.SetArgs;
import io.lettuce.core.StringMatchResult;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.ProtocolVersion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The string commands through Lettuce, once over RESP2 and once over RESP3. */
class StringCommandsLettuceTest {
    static LettuceClients lettuce;

    @BeforeAll
    static void start() {
        lettuce = LettuceClients.start();
    }

    @AfterAll
    static void stop() {
        lettuce.close();
    }

    /** TTL in seconds, read inside the engine (TTL itself belongs to another command family). */
    private static long ttl(String key) {
        long pttl = EngineProbe.pttl(lettuce.server(), key);
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

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void setFamily(ProtocolVersion v) {
        RedisCommands<String, String> r = lettuce.redis(v);
        String a = key(v, "set:a"), b = key(v, "set:b");
        assertEquals("OK", r.set(a, "1"));
        assertEquals("1", r.get(a));
        assertNull(r.get(key(v, "set:none")));
        assertNull(r.set(a, "2", SetArgs.Builder.nx()));
        assertEquals("OK", r.set(a, "2", SetArgs.Builder.xx().ex(100)));
        assertTrue(ttl(a) > 90);
        assertEquals("OK", r.set(a, "3", SetArgs.Builder.keepttl()));
        assertTrue(ttl(a) > 90);
        assertEquals("3", r.setGet(a, "4"));
        assertEquals(-1, ttl(a));
        assertNull(r.setGet(b, "x", SetArgs.Builder.nx()));
        assertEquals("x", r.get(b));
        assertTrue(r.setnx(key(v, "set:nx"), "1"));
        assertFalse(r.setnx(key(v, "set:nx"), "2"));
        assertEquals("OK", r.setex(key(v, "set:ex"), 100, "v"));
        assertEquals("OK", r.psetex(key(v, "set:pex"), 100_000, "v"));
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
        RedisCommands<String, String> r = lettuce.redis(v);
        String a = key(v, "getex:a");
        r.set(a, "v");
        assertEquals("v", r.getex(a, GetExArgs.Builder.ex(100)));
        assertTrue(ttl(a) > 90);
        assertEquals("v", r.getex(a, GetExArgs.Builder.persist()));
        assertEquals(-1, ttl(a));
        assertEquals("v", r.getex(a, GetExArgs.Builder.pxAt(System.currentTimeMillis() + 100_000)));
        assertTrue(EngineProbe.pttl(lettuce.server(), a) > 90_000);
        assertEquals("v", r.getex(a, GetExArgs.Builder.exAt(1)));
        assertNull(r.get(a));
        assertNull(r.getex(a, GetExArgs.Builder.ex(10)));
        r.set(a, "v");
        assertError("ERR invalid expire time in 'getex' command", () -> r.getex(a, GetExArgs.Builder.ex(-1)));
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void multiKey(ProtocolVersion v) {
        RedisCommands<String, String> r = lettuce.redis(v);
        Map<String, String> m = new LinkedHashMap<>();
        m.put(key(v, "m:a"), "1");
        m.put(key(v, "m:b"), "2");
        assertEquals("OK", r.mset(m));
        List<KeyValue<String, String>> got = r.mget(key(v, "m:a"), key(v, "m:none"), key(v, "m:b"));
        assertEquals("1", got.get(0).getValue());
        assertFalse(got.get(1).hasValue());
        assertEquals("2", got.get(2).getValue());
        assertFalse(r.msetnx(Map.of(key(v, "m:a"), "x", key(v, "m:c"), "y")));
        assertTrue(r.msetnx(Map.of(key(v, "m:c"), "x", key(v, "m:d"), "y")));
        assertEquals("y", r.get(key(v, "m:d")));
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void editsAndRanges(ProtocolVersion v) {
        RedisCommands<String, String> r = lettuce.redis(v);
        String a = key(v, "ed:a");
        assertEquals(5, r.append(a, "Hello"));
        assertEquals(11, r.append(a, " World"));
        assertEquals(11, r.strlen(a));
        assertEquals(0, r.strlen(key(v, "ed:none")));
        assertEquals("World", r.getrange(a, -5, -1));
        assertEquals("", r.getrange(a, 20, 30));
        assertEquals(11, r.setrange(a, 6, "Redis"));
        assertEquals("Hello Redis", r.get(a));
        assertEquals(3, r.setrange(key(v, "ed:b"), 2, "x"));
        assertEquals("\0\0x", r.get(key(v, "ed:b")));
        assertError("ERR offset is out of range", () -> r.setrange(a, -1, "x"));
        String substr = r.dispatch(SUBSTR, new io.lettuce.core.output.ValueOutput<>(StringCodec.UTF8),
                new CommandArgs<>(StringCodec.UTF8).addKey(a).add(0).add(4));
        assertEquals("Hello", substr);
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void counters(ProtocolVersion v) {
        RedisCommands<String, String> r = lettuce.redis(v);
        String n = key(v, "cnt:n"), f = key(v, "cnt:f");
        assertEquals(1, r.incr(n));
        assertEquals(6, r.incrby(n, 5));
        assertEquals(5, r.decr(n));
        assertEquals(-5, r.decrby(n, 10));
        r.set(key(v, "cnt:text"), "abc");
        assertError("ERR value is not an integer or out of range", () -> r.incr(key(v, "cnt:text")));
        r.set(key(v, "cnt:max"), Long.toString(Long.MAX_VALUE));
        assertError("ERR increment or decrement would overflow", () -> r.incr(key(v, "cnt:max")));
        assertEquals(10.5, r.incrbyfloat(f, 10.5));
        assertEquals(10.6, r.incrbyfloat(f, 0.1));
        assertEquals("10.6", r.get(f));
        assertError("ERR value is not a valid float", () -> r.incrbyfloat(key(v, "cnt:text"), 1));
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void lcs(ProtocolVersion v) {
        RedisCommands<String, String> r = lettuce.redis(v);
        String a = key(v, "lcs:a"), b = key(v, "lcs:b");
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
        RedisCommands<String, String> r = lettuce.redis(v);
        String l = key(v, "wt:list");
        EngineProbe.putList(lettuce.server(), l);
        assertError(WRONGTYPE, () -> r.get(l));
        assertError(WRONGTYPE, () -> r.getex(l, GetExArgs.Builder.persist()));
        assertError(WRONGTYPE, () -> r.append(l, "x"));
        assertError(WRONGTYPE, () -> r.incrbyfloat(l, 1));
        assertError(WRONGTYPE, () -> r.setrange(l, 0, "x"));
        assertError("ERR The specified keys must contain string values", () -> r.lcs(new LcsArgs().by(l, l)));
        assertNull(r.mget(l).get(0).getValueOrElse(null));
        // Proves the connection still works and the list was untouched by the failed commands.
        assertEquals("PONG", r.dispatch(CommandType.PING, new StatusOutput<>(StringCodec.UTF8)));
        assertEquals("quicklist", EngineProbe.encoding(lettuce.server(), l));
    }
}
