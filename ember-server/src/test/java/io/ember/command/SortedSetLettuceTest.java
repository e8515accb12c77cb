package io.ember.command;

import static io.ember.testing.LettuceClients.assertError;
import static io.ember.testing.LettuceClients.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.LettuceClients;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScoredValueScanCursor;
import io.lettuce.core.ZAddArgs;
import io.lettuce.core.ZAggregateArgs;
import io.lettuce.core.ZPopArgs;
import io.lettuce.core.ZStoreArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolVersion;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The sorted set commands through Lettuce over RESP2 and RESP3: scores arrive as bulk strings in
 * one and as doubles in the other, WITHSCORES pairs flat in one and nested in the other, and
 * Lettuce must decode both into the same results.
 */
class SortedSetLettuceTest {
    static LettuceClients lettuce;

    @BeforeAll
    static void start() {
        lettuce = LettuceClients.start();
    }

    @AfterAll
    static void stop() {
        lettuce.close();
    }

    @SafeVarargs
    private static <T> List<ScoredValue<T>> sv(Object... pairs) {
        ScoredValue<T>[] out = new ScoredValue[pairs.length / 2];
        for (int i = 0; i < pairs.length; i += 2) {
            @SuppressWarnings("unchecked") T v = (T) pairs[i];
            out[i / 2] = ScoredValue.just(((Number) pairs[i + 1]).doubleValue(), v);
        }
        return Arrays.asList(out);
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void addReadAndScores(ProtocolVersion v) {
        RedisCommands<String, String> r = lettuce.redis(v);
        String z = key(v, "z");
        assertEquals(3L, r.zadd(z, 1.0, "a", 2.5, "b", 0.1, "c"));
        assertEquals(0.1, r.zscore(z, "c"));
        // Lettuce reads RESP2 scores with Double.parseDouble, which does not know Redis's "inf"
        if (v == ProtocolVersion.RESP3) assertEquals(Double.POSITIVE_INFINITY, r.zaddincr(z, Double.POSITIVE_INFINITY, "inf"));
        else r.zadd(z, Double.POSITIVE_INFINITY, "inf");
        assertEquals(4.5, r.zincrby(z, 2, "b"));
        assertNull(r.zaddincr(z, ZAddArgs.Builder.gt(), -1, "b"));
        assertEquals(1L, r.zadd(z, ZAddArgs.Builder.xx().ch(), 7.0, "a"));
        assertEquals(Arrays.asList(7.0, null), r.zmscore(z, "a", "none"));
        assertEquals(4L, r.zcard(z));
        assertEquals(2L, r.zrank(z, "a"));
        assertEquals(1L, r.zrevrank(z, "a"));
        assertEquals(sv("c", 0.1, "b", 4.5), r.zrangeWithScores(z, 0, 1));
        if (v == ProtocolVersion.RESP3) assertEquals(sv("inf", Double.POSITIVE_INFINITY, "a", 7.0), r.zrevrangeWithScores(z, 0, 1));
        assertEquals(sv("b", 4.5, "a", 7.0), r.zrangebyscoreWithScores(z, Range.create(1, 10)));
        assertEquals(List.of("a"), r.zrangebyscore(z, Range.create(1, 10), Limit.create(1, 5)));
        assertEquals(sv("a", 7.0, "b", 4.5), r.zrevrangebyscoreWithScores(z, Range.create(1, 10)));
        assertEquals(2L, r.zcount(z, Range.create(1, 10)));
        assertEquals(1L, r.zrem(z, "inf"));
        r.zadd(z, Double.POSITIVE_INFINITY, "a");
        assertError("ERR resulting score is not a number (NaN)", () -> r.zaddincr(z, Double.NEGATIVE_INFINITY, "a"));
        r.zadd(z, 7.0, "a");
        assertError("ERR min or max is not a float", () -> r.zcount(z, "a", "b"));
        r.set(key(v, "str"), "x");
        assertError("WRONGTYPE Operation against a key holding the wrong kind of value", () -> r.zcard(key(v, "str")));
        // a RESP3 double for every score form
        String s = key(v, "forms");
        r.zadd(s, 1e20, "big", -0.0, "negzero", 1.5e-5, "tiny", 123456789.123, "dec");
        assertEquals(1e20, r.zscore(s, "big"));
        assertEquals(1.5e-5, r.zscore(s, "tiny"));
        assertEquals(123456789.123, r.zscore(s, "dec"));
        assertEquals(0.0, r.zscore(s, "negzero"));
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void lexRangesAndRemovals(ProtocolVersion v) {
        RedisCommands<String, String> r = lettuce.redis(v);
        String z = key(v, "lex");
        r.zadd(z, 0.0, "a", 0.0, "b", 0.0, "c", 0.0, "d", 0.0, "e");
        assertEquals(List.of("b", "c"), r.zrangebylex(z, Range.from(Range.Boundary.including("b"), Range.Boundary.excluding("d"))));
        assertEquals(List.of("e", "d"), r.zrevrangebylex(z, Range.from(Range.Boundary.excluding("c"), Range.Boundary.unbounded()),
                Limit.create(0, 2)));
        assertEquals(5L, r.zlexcount(z, Range.unbounded()));
        assertEquals(2L, r.zrangestorebylex(key(v, "dst"), z, Range.from(Range.Boundary.including("a"), Range.Boundary.including("b")),
                Limit.unlimited()));
        assertEquals(3L, r.zrevrangestore(key(v, "dst"), z, Range.create(0L, 2L)));
        assertEquals(List.of("c", "d", "e"), r.zrange(key(v, "dst"), 0, -1));
        assertEquals(1L, r.zremrangebylex(z, Range.from(Range.Boundary.including("a"), Range.Boundary.including("a"))));
        assertEquals(1L, r.zremrangebyrank(z, 0, 0));
        assertEquals(3L, r.zremrangebyscore(z, Range.create(0, 0)));
        assertEquals(0L, r.zcard(z));
        assertError("ERR min or max not valid string range item", () -> r.zlexcount(z, "x", "y"));
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void popsAndRandom(ProtocolVersion v) {
        RedisCommands<String, String> r = lettuce.redis(v);
        String z = key(v, "pop");
        r.zadd(z, 1.0, "a", 2.0, "b", 3.0, "c", 4.0, "d", 5.0, "e");
        assertEquals(ScoredValue.just(1, "a"), r.zpopmin(z));
        assertEquals(sv("e", 5.0, "d", 4.0), r.zpopmax(z, 2));
        KeyValue<String, ScoredValue<String>> one = r.zmpop(ZPopArgs.Builder.min(), key(v, "none"), z);
        assertEquals(z, one.getKey());
        assertEquals(ScoredValue.just(2, "b"), one.getValue());
        KeyValue<String, ScoredValue<String>> blocked = r.bzpopmax(0.05, z);
        assertEquals(ScoredValue.just(3, "c"), blocked.getValue());
        assertNull(r.bzpopmin(0.05, z));
        r.zadd(z, 1.0, "x", 2.0, "y", 3.0, "w");
        KeyValue<String, List<ScoredValue<String>>> many = r.bzmpop(1.0, 2, ZPopArgs.Builder.max(), z);
        assertEquals(sv("w", 3.0, "y", 2.0), many.getValue());
        r.zadd(z, 9.0, "q");
        assertTrue(Set.of("x", "q").contains(r.zrandmember(z)));
        assertEquals(List.of("q", "x"), r.zrandmember(z, 5));
        List<ScoredValue<String>> withScores = r.zrandmemberWithScores(z, -3);
        assertEquals(3, withScores.size());
        for (ScoredValue<String> s : withScores) assertEquals(r.zscore(z, s.getValue()), s.getScore());
        assertError("ERR timeout is negative", () -> r.bzpopmin(-1, z));
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void algebraAndScan(ProtocolVersion v) {
        RedisCommands<String, String> r = lettuce.redis(v);
        String a = key(v, "u1"), b = key(v, "u2"), dst = key(v, "udst");
        r.zadd(a, 1.0, "a", 2.0, "b", 3.0, "c");
        r.zadd(b, 10.0, "b", 20.0, "c", 30.0, "d");
        assertEquals(List.of("a", "b", "c", "d"), r.zunion(a, b));
        assertEquals(sv("a", 1.0, "b", 12.0, "c", 23.0, "d", 30.0), r.zunionWithScores(a, b));
        assertEquals(sv("b", 2.0, "c", 3.0), r.zinterWithScores(ZAggregateArgs.Builder.min(), a, b));
        assertEquals(sv("a", 1.0), r.zdiffWithScores(a, b));
        assertEquals(2L, r.zintercard(a, b));
        assertEquals(4L, r.zunionstore(dst, ZStoreArgs.Builder.weights(1, 0), a, b));
        assertEquals(sv("d", 0.0, "a", 1.0, "b", 2.0, "c", 3.0), r.zrangeWithScores(dst, 0, -1));
        assertEquals(2L, r.zinterstore(dst, a, b));
        assertEquals(1L, r.zdiffstore(dst, a, b));
        ScoredValueScanCursor<String> page = r.zscan(a, ScanArgs.Builder.matches("[ab]"));
        assertEquals(sv("a", 1.0, "b", 2.0), page.getValues());
        assertTrue(page.isFinished());
        assertError("ERR weight value is not a float", () -> r.dispatch(CommandType.ZUNION, new StatusOutput<>(StringCodec.UTF8),
                new CommandArgs<>(StringCodec.UTF8).add(1).addKey(a).add("WEIGHTS").add("x")));
    }
}
