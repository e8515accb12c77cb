package io.ember.command;

import static io.ember.testing.LettuceClients.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ember.testing.LettuceClients;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LMPopArgs;
import io.lettuce.core.LMoveArgs;
import io.lettuce.core.LPosArgs;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolVersion;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The list commands through Lettuce, once over RESP2 and once over RESP3 (nulls and nested arrays decode in both). */
class ListLettuceTest {
    static LettuceClients lettuce;

    @BeforeAll
    static void start() {
        lettuce = LettuceClients.start();
    }

    @AfterAll
    static void stop() {
        lettuce.close();
    }

    /** This class's keys are not prefixed: each test starts from an empty server. */
    private static RedisCommands<String, String> redis(ProtocolVersion v) {
        RedisCommands<String, String> r = lettuce.redis(v);
        r.flushall();
        return r;
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void pushPopRangeIndex(ProtocolVersion v) {
        RedisCommands<String, String> r = redis(v);
        assertEquals(3, r.rpush("l", "a", "b", "c"));
        assertEquals(4, r.lpush("l", "z"));
        assertEquals(0, r.lpushx("none", "x"));
        assertEquals(5, r.rpushx("l", "d"));
        assertEquals(List.of("z", "a", "b", "c", "d"), r.lrange("l", 0, -1));
        assertEquals(List.of(), r.lrange("none", 0, -1));
        assertEquals(5, r.llen("l"));
        assertEquals("b", r.lindex("l", 2));
        assertNull(r.lindex("l", 99));
        assertEquals("OK", r.lset("l", 0, "Z"));
        assertEquals("Z", r.lpop("l"));
        assertEquals("d", r.rpop("l"));
        assertEquals(List.of("a", "b"), r.lpop("l", 2));
        assertEquals(List.of("c"), r.rpop("l", 5));
        assertNull(r.lpop("l"));
        assertNull(r.rpop("l"));
        assertEquals(List.of(), r.lpop("l", 2), "a null array decodes as empty for a list reply");
        r.set("s", "v");
        assertError("WRONGTYPE Operation against a key holding the wrong kind of value", () -> r.lpush("s", "x"));
        assertError("ERR no such key", () -> r.lset("none", 0, "x"));
        assertError("ERR index out of range", () -> {
            r.rpush("l", "x");
            r.lset("l", 3, "y");
        });
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void insertRemoveTrimPositions(ProtocolVersion v) {
        RedisCommands<String, String> r = redis(v);
        r.rpush("l", "a", "b", "c", "b");
        assertEquals(5, r.linsert("l", true, "b", "x"));
        assertEquals(6, r.linsert("l", false, "c", "y"));
        assertEquals(-1, r.linsert("l", false, "nothing", "y"));
        assertEquals(0, r.linsert("none", false, "a", "y"));
        assertEquals(List.of("a", "x", "b", "c", "y", "b"), r.lrange("l", 0, -1));
        assertEquals(1, r.lpos("l", "x"));
        assertEquals(5, r.lpos("l", "b", LPosArgs.Builder.rank(-1)));
        assertEquals(List.of(2L, 5L), r.lpos("l", "b", 0));
        assertEquals(List.of(5L), r.lpos("l", "b", 1, LPosArgs.Builder.rank(2)));
        assertNull(r.lpos("l", "nothing"));
        assertEquals(List.of(), r.lpos("none", "a", 3));
        assertEquals(2, r.lrem("l", 0, "b"));
        assertEquals("OK", r.ltrim("l", 1, 2));
        assertEquals(List.of("x", "c"), r.lrange("l", 0, -1));
        assertError("ERR COUNT can't be negative", () -> r.lpos("l", "x", -1));
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void movesAndMultiPops(ProtocolVersion v) {
        RedisCommands<String, String> r = redis(v);
        r.rpush("a", "1", "2", "3", "4");
        assertEquals("1", r.lmove("a", "b", LMoveArgs.Builder.leftRight()));
        assertEquals("4", r.rpoplpush("a", "b"));
        assertEquals(List.of("4", "1"), r.lrange("b", 0, -1));
        assertNull(r.lmove("none", "b", LMoveArgs.Builder.rightLeft()));
        KeyValue<String, List<String>> kv = r.lmpop(LMPopArgs.Builder.right().count(5), "none", "a");
        assertEquals("a", kv.getKey());
        assertEquals(List.of("3", "2"), kv.getValue());
        assertNull(r.lmpop(LMPopArgs.Builder.left(), "none", "a"));
        // Lettuce refuses COUNT 0 itself: send the raw command to see the server's error
        assertError("ERR count should be greater than 0", () -> r.dispatch(CommandType.LMPOP,
                new StatusOutput<>(StringCodec.UTF8),
                new CommandArgs<>(StringCodec.UTF8).add(1).addKey("a").add("LEFT").add("COUNT").add(0)));
        assertError("ERR timeout is negative", () -> r.dispatch(CommandType.BLPOP, new StatusOutput<>(StringCodec.UTF8),
                new CommandArgs<>(StringCodec.UTF8).addKey("a").add(-1)));
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void blockingCommandsServeWaitAndTimeOut(ProtocolVersion v) throws Exception {
        RedisCommands<String, String> r = redis(v);
        RedisCommands<String, String> pusher = lettuce.connect(v).sync();
        r.rpush("k", "a", "b", "c");
        assertEquals(KeyValue.just("k", "a"), r.blpop(1, "none", "k"));
        assertEquals(KeyValue.just("k", "c"), r.brpop(1.0, "k"));
        assertEquals("b", r.blmove("k", "d", LMoveArgs.Builder.leftLeft(), 1));
        assertNull(r.blpop(0.05, "k"), "a timed-out BLPOP is a null");
        assertNull(r.brpoplpush(0.05, "k", "d"), "and so is BRPOPLPUSH's null array");
        assertNull(r.blmove("k", "d", LMoveArgs.Builder.leftLeft(), 0.05));
        assertNull(r.blmpop(0.05, LMPopArgs.Builder.left(), "k"));

        // a real wait: the future completes once another connection pushes
        RedisFuture<KeyValue<String, List<String>>> waiting =
                lettuce.connection(v).async().blmpop(5, LMPopArgs.Builder.right().count(2), "q1", "q2");
        awaitBlocked(pusher, 1);
        assertFalse(waiting.isDone());
        pusher.rpush("q2", "x", "y", "z");
        KeyValue<String, List<String>> got = waiting.get(5, TimeUnit.SECONDS);
        assertEquals("q2", got.getKey());
        assertEquals(List.of("z", "y"), got.getValue());

        RedisFuture<String> move = lettuce.connection(v).async().brpoplpush(5, "src", "dst");
        awaitBlocked(pusher, 1);
        pusher.lpush("src", "job");
        assertEquals("job", move.get(5, TimeUnit.SECONDS));
        assertEquals(List.of("job"), pusher.lrange("dst", 0, -1));

        r.multi();
        r.blpop(0, "none");
        r.blmove("none", "x", LMoveArgs.Builder.leftLeft(), 0);
        TransactionResult tx = r.exec();
        assertNull(tx.get(0));
        assertNull(tx.get(1));
    }

    private static void awaitBlocked(RedisCommands<String, String> r, int n) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (!r.info("clients").contains("blocked_clients:" + n + "\r\n")) {
            if (System.currentTimeMillis() > deadline) throw new AssertionError("no blocked client");
            Thread.sleep(5);
        }
    }
}
