package io.ember.command;

import static io.ember.testing.LettuceClients.WRONGTYPE;
import static io.ember.testing.LettuceClients.assertError;
import static io.ember.testing.LettuceClients.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.LettuceClients;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ValueScanCursor;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolVersion;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The set commands through Lettuce, once over RESP2 and once over RESP3 (where set replies are '~'). */
class SetLettuceTest {
    static LettuceClients lettuce;

    @BeforeAll
    static void start() {
        lettuce = LettuceClients.start();
    }

    @AfterAll
    static void stop() {
        lettuce.close();
    }

    private static Set<String> set(String... members) {
        return new HashSet<>(Arrays.asList(members));
    }

    /** Sends any command and returns its reply decoded as Lettuce's generic output (errors throw). */
    private static List<Object> raw(RedisCommands<String, String> r, CommandType type, String... args) {
        CommandArgs<String, String> a = new CommandArgs<>(StringCodec.UTF8);
        for (String s : args) a.add(s);
        return r.dispatch(type, new ArrayOutput<>(StringCodec.UTF8), a);
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void addRemoveAndMembership(ProtocolVersion v) {
        RedisCommands<String, String> r = lettuce.redis(v);
        String a = key(v, "a"), str = key(v, "str"), none = key(v, "none");
        r.del(a);
        assertEquals(3, r.sadd(a, "1", "2", "x", "1"));
        assertEquals(set("1", "2", "x"), r.smembers(a));
        assertEquals(Set.of(), r.smembers(none));
        assertTrue(r.sismember(a, "x"));
        assertFalse(r.sismember(a, "y"));
        assertEquals(List.of(true, false), r.smismember(a, "2", "3"));
        assertEquals(3, r.scard(a));
        assertEquals(0, r.scard(none));
        assertEquals(2, r.srem(a, "1", "x", "nope"));
        assertEquals(1, r.srem(a, "2"));
        assertEquals(0, r.exists(a));
        r.set(str, "v");
        assertError(WRONGTYPE, () -> r.sadd(str, "1"));
        assertError(WRONGTYPE, () -> r.srem(str, "1"));
        assertError(WRONGTYPE, () -> r.smembers(str));
        assertError(WRONGTYPE, () -> r.sismember(str, "1"));
        assertError(WRONGTYPE, () -> r.smismember(str, "1"));
        assertError(WRONGTYPE, () -> r.scard(str));
        assertError("ERR wrong number of arguments for 'sadd' command", () -> raw(r, CommandType.SADD, a));
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void moveAndRandomMembers(ProtocolVersion v) {
        RedisCommands<String, String> r = lettuce.redis(v);
        String a = key(v, "ma"), b = key(v, "mb"), str = key(v, "mstr"), none = key(v, "mnone");
        r.del(a, b);
        r.sadd(a, "1", "2", "3", "4", "5", "6");
        assertTrue(r.smove(a, b, "1"));
        assertFalse(r.smove(a, b, "1"));
        assertFalse(r.smove(none, b, "1"));
        assertEquals(set("1"), r.smembers(b));
        Set<String> all = set("2", "3", "4", "5", "6");
        assertTrue(all.contains(r.srandmember(a)));
        List<String> three = r.srandmember(a, 3);
        assertEquals(3, new HashSet<>(three).size());
        assertTrue(all.containsAll(three));
        assertEquals(8, r.srandmember(a, -8).size());
        assertEquals(all, new HashSet<>(r.srandmember(a, 50)));
        assertNull(r.srandmember(none));
        assertEquals(List.of(), r.srandmember(none, 2));
        String popped = r.spop(a);
        assertTrue(all.contains(popped));
        Set<String> two = r.spop(a, 2);
        assertEquals(2, two.size());
        assertFalse(two.contains(popped));
        assertEquals(2, r.spop(a, 10).size());
        assertEquals(0, r.exists(a));
        assertNull(r.spop(none));
        assertEquals(Set.of(), r.spop(none, 2));
        r.set(str, "v");
        assertError(WRONGTYPE, () -> r.smove(str, b, "1"));
        assertError(WRONGTYPE, () -> r.smove(b, str, "1"));
        assertError(WRONGTYPE, () -> r.spop(str));
        assertError(WRONGTYPE, () -> r.spop(str, 2));
        assertError(WRONGTYPE, () -> r.srandmember(str));
        assertError(WRONGTYPE, () -> r.srandmember(str, 2));
        assertError("ERR value is out of range, must be positive", () -> r.spop(b, -1));
        assertError("ERR value is out of range, must be positive", () -> raw(r, CommandType.SPOP, b, "x"));
        assertError("ERR syntax error", () -> raw(r, CommandType.SPOP, b, "1", "2"));
        assertError("ERR syntax error", () -> raw(r, CommandType.SRANDMEMBER, b, "1", "2"));
        assertError("ERR value is not an integer or out of range", () -> raw(r, CommandType.SRANDMEMBER, b, "x"));
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void algebra(ProtocolVersion v) {
        RedisCommands<String, String> r = lettuce.redis(v);
        String a = key(v, "{x}a"), b = key(v, "{x}b"), dst = key(v, "{x}dst"), str = key(v, "{x}str"), none = key(v, "{x}none");
        r.del(a, b, dst);
        r.sadd(a, "1", "2", "3", "x");
        r.sadd(b, "2", "3", "4");
        assertEquals(set("2", "3"), r.sinter(a, b));
        assertEquals(Set.of(), r.sinter(a, none));
        assertEquals(set("1", "2", "3", "4", "x"), r.sunion(a, b, none));
        assertEquals(set("1", "x"), r.sdiff(a, b));
        assertEquals(2, r.sintercard(a, b));
        assertEquals(1, r.sintercard(1, a, b));
        assertEquals(2, r.sinterstore(dst, a, b));
        assertEquals(set("2", "3"), r.smembers(dst));
        assertEquals(5, r.sunionstore(dst, a, b));
        assertEquals(2, r.sdiffstore(dst, a, b));
        assertEquals(0, r.sinterstore(dst, a, none));
        assertEquals(0, r.exists(dst));
        r.set(str, "v");
        assertError(WRONGTYPE, () -> r.sinter(a, str));
        assertError(WRONGTYPE, () -> r.sunion(str));
        assertError(WRONGTYPE, () -> r.sdiff(none, str));
        assertError(WRONGTYPE, () -> r.sinterstore(dst, str));
        assertError(WRONGTYPE, () -> r.sunionstore(dst, str));
        assertError(WRONGTYPE, () -> r.sdiffstore(dst, a, str));
        assertError(WRONGTYPE, () -> r.sintercard(none, str));
        assertError("ERR numkeys should be greater than 0", () -> raw(r, CommandType.SINTERCARD, "0", a));
        assertError("ERR Number of keys can't be greater than number of args", () -> raw(r, CommandType.SINTERCARD, "3", a));
        assertError("ERR LIMIT can't be negative", () -> raw(r, CommandType.SINTERCARD, "1", a, "LIMIT", "-2"));
        assertError("ERR syntax error", () -> raw(r, CommandType.SINTERCARD, "1", a, "LIMITS", "2"));
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void sscan(ProtocolVersion v) {
        RedisCommands<String, String> r = lettuce.redis(v);
        String i = key(v, "si"), h = key(v, "sh"), str = key(v, "sstr");
        r.del(i, h);
        r.sadd(i, "3", "1", "2");
        ValueScanCursor<String> c = r.sscan(i, ScanCursor.INITIAL, ScanArgs.Builder.limit(1));
        assertTrue(c.isFinished());
        assertEquals(List.of("1", "2", "3"), c.getValues());
        Set<String> expected = new HashSet<>();
        for (int n = 0; n < 300; n++) expected.add("m" + n);
        r.sadd(h, expected.toArray(String[]::new));
        Set<String> seen = new HashSet<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            ValueScanCursor<String> page = r.sscan(h, cursor, ScanArgs.Builder.limit(20).match("m*"));
            seen.addAll(page.getValues());
            cursor = page;
        } while (!cursor.isFinished());
        assertEquals(expected, seen);
        r.set(str, "v");
        assertError(WRONGTYPE, () -> r.sscan(str));
        assertError("ERR invalid cursor", () -> r.sscan(i, ScanCursor.of("x")));
        assertError("ERR syntax error", () -> r.sscan(i, ScanCursor.INITIAL, ScanArgs.Builder.limit(0)));
    }
}
