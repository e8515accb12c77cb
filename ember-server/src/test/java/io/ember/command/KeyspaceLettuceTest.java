package io.ember.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.LettuceClients;
import io.lettuce.core.CopyArgs;
import io.lettuce.core.ExpireArgs;
import io.lettuce.core.FlushMode;
import io.lettuce.core.KeyScanArgs;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolVersion;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The keyspace commands through Lettuce, in RESP2 and RESP3 (null, status and array shapes). */
class KeyspaceLettuceTest {
    static LettuceClients lettuce;

    @BeforeAll
    static void start() {
        lettuce = LettuceClients.start();
    }

    @AfterAll
    static void stop() {
        lettuce.close();
    }

    /** Each test has its own connection (it SELECTs, WATCHes) on an emptied server. */
    private static StatefulRedisConnection<String, String> connect(ProtocolVersion protocol) {
        StatefulRedisConnection<String, String> c = lettuce.connect(protocol);
        c.sync().flushall();
        return c;
    }

    private static String error(Runnable r) {
        return assertThrows(RedisCommandExecutionException.class, r::run).getMessage();
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void basicKeyCommands(ProtocolVersion protocol) {
        try (StatefulRedisConnection<String, String> conn = connect(protocol)) {
            RedisCommands<String, String> r = conn.sync();
            r.set("a", "1");
            r.set("b", "hello");
            assertEquals(2L, r.exists("a", "b", "nokey"));
            assertEquals("string", r.type("a"));
            assertEquals("none", r.type("nokey"));
            assertEquals(Set.of("a", "b"), new HashSet<>(r.keys("*")));
            assertEquals(2L, r.dbsize());
            assertEquals(2L, r.touch("a", "b", "nokey"));
            assertEquals("OK", r.rename("a", "c"));
            assertFalse(r.renamenx("c", "b"));
            assertTrue(r.renamenx("c", "d"));
            assertEquals("ERR no such key", error(() -> r.rename("nokey", "x")));
            assertTrue(r.move("d", 1));
            assertFalse(r.move("nokey", 1));
            assertTrue(r.copy("b", "b2"));
            assertTrue(r.copy("b", "b", CopyArgs.Builder.destinationDb(2)));
            assertFalse(r.copy("b", "b2"));
            assertTrue(r.copy("b", "b2", CopyArgs.Builder.replace(true)));
            assertEquals(2L, r.del("b", "b2", "nokey"));
            assertEquals(0L, r.unlink("nokey"));
            assertNull(r.randomkey(), "a null in RESP2 and RESP3");
            r.select(1);
            assertEquals("d", r.randomkey());
            assertEquals("OK", r.swapdb(1, 2));
            assertEquals("hello", r.get("b"));
            assertEquals("OK", r.flushdb(FlushMode.ASYNC));
            assertEquals("OK", r.flushall(FlushMode.SYNC));
            assertEquals(0L, r.dbsize());
        }
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void expiryCommands(ProtocolVersion protocol) {
        try (StatefulRedisConnection<String, String> conn = connect(protocol)) {
            RedisCommands<String, String> r = conn.sync();
            r.set("k", "v");
            assertEquals(-1L, r.ttl("k"));
            assertEquals(-2L, r.ttl("nokey"));
            assertFalse(r.expire("k", 100, ExpireArgs.Builder.xx()));
            assertFalse(r.expire("k", 100, ExpireArgs.Builder.gt()));
            assertTrue(r.expire("k", 100, ExpireArgs.Builder.nx()));
            assertTrue(r.expire("k", 200, ExpireArgs.Builder.gt()));
            assertTrue(r.expire("k", 150, ExpireArgs.Builder.lt()));
            assertEquals(150L, r.ttl("k"));
            assertTrue(r.pexpire("k", 150_500));
            long pttl = r.pttl("k");
            assertTrue(pttl > 150_000 && pttl <= 150_500, "pttl " + pttl);
            long at = System.currentTimeMillis() / 1000 + 500;
            assertTrue(r.expireat("k", at));
            assertEquals(at, r.expiretime("k"));
            assertTrue(r.pexpireat("k", at * 1000 + 7));
            assertEquals(at * 1000 + 7, r.pexpiretime("k"));
            assertTrue(r.persist("k"));
            assertFalse(r.persist("k"));
            assertEquals(-1L, r.expiretime("k"));
            assertEquals(-2L, r.pexpiretime("nokey"));
            assertFalse(r.expire("nokey", 10));
            assertTrue(r.expire("k", -1), "a time in the past deletes");
            assertEquals(0L, r.exists("k"));
            assertEquals("ERR GT and LT options at the same time are not compatible",
                    error(() -> r.dispatch(CommandType.EXPIRE, new IntegerOutput<>(StringCodec.UTF8),
                            new CommandArgs<>(StringCodec.UTF8).addKey("k").add(1).add("GT").add("LT"))));
        }
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void scanWithLettuceCursors(ProtocolVersion protocol) {
        try (StatefulRedisConnection<String, String> conn = connect(protocol)) {
            RedisCommands<String, String> r = conn.sync();
            for (int i = 0; i < 500; i++) r.set((i % 5 == 0 ? "five:" : "other:") + i, "v");
            Set<String> all = new HashSet<>();
            KeyScanCursor<String> cursor = r.scan(ScanArgs.Builder.limit(37));
            all.addAll(cursor.getKeys());
            while (!cursor.isFinished()) {
                cursor = r.scan(cursor, ScanArgs.Builder.limit(37));
                all.addAll(cursor.getKeys());
            }
            assertEquals(500, all.size());

            Set<String> fives = new HashSet<>();
            ScanCursor c = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = r.scan(c, KeyScanArgs.Builder.matches("five:*").limit(50));
                fives.addAll(page.getKeys());
                c = page;
            } while (!c.isFinished());
            assertEquals(100, fives.size());

            KeyScanCursor<String> strings = r.scan(ScanCursor.INITIAL, KeyScanArgs.Builder.type("string").limit(1000));
            assertEquals(500, strings.getKeys().size());
            assertTrue(strings.isFinished());
            assertEquals("ERR invalid cursor", error(() -> r.scan(ScanCursor.of("nope"))));
        }
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void objectSubcommands(ProtocolVersion protocol) {
        try (StatefulRedisConnection<String, String> conn = connect(protocol)) {
            RedisCommands<String, String> r = conn.sync();
            r.set("n", "42");
            r.set("s", "short");
            r.set("long", "y".repeat(100));
            assertEquals("int", r.objectEncoding("n"));
            assertEquals("embstr", r.objectEncoding("s"));
            assertEquals("raw", r.objectEncoding("long"));
            assertNull(r.objectEncoding("nokey"));
            assertEquals(2147483647L, r.objectRefcount("n"));
            assertEquals(1L, r.objectRefcount("s"));
            assertTrue(r.objectIdletime("s") <= 1);
            assertNull(r.objectIdletime("nokey"));
            assertTrue(error(() -> r.objectFreq("s")).startsWith("ERR An LFU maxmemory policy is not selected"));
            List<Object> help = r.dispatch(CommandType.OBJECT, new ArrayOutput<>(StringCodec.UTF8),
                    new CommandArgs<>(StringCodec.UTF8).add("HELP"));
            assertEquals(15, help.size());
            assertEquals("HELP", help.get(13));
        }
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void typeRepliesAStatus(ProtocolVersion protocol) {
        try (StatefulRedisConnection<String, String> conn = connect(protocol)) {
            RedisCommands<String, String> r = conn.sync();
            r.set("k", "v");
            String type = r.dispatch(CommandType.TYPE, new StatusOutput<>(StringCodec.UTF8),
                    new CommandArgs<>(StringCodec.UTF8).addKey("k"));
            assertEquals("string", type);
        }
    }

    @Test
    void watchedKeyInvalidatedBySwapdbAndFlush() {
        try (StatefulRedisConnection<String, String> a = connect(ProtocolVersion.RESP3);
             StatefulRedisConnection<String, String> b = lettuce.connect(ProtocolVersion.RESP3)) {
            RedisCommands<String, String> r = a.sync();
            r.set("w", "1");
            r.watch("w");
            b.sync().swapdb(0, 3);
            r.multi();
            r.get("w");
            TransactionResult tx = r.exec();
            assertTrue(tx.wasDiscarded(), "the watched key left with SWAPDB");
            r.select(3);
            r.watch("w");
            b.sync().flushall();
            r.multi();
            r.get("w");
            assertTrue(r.exec().wasDiscarded(), "the watched key was flushed");
        }
    }

    @Test
    void shortTtlsExpireOnAccess() throws InterruptedException {
        try (StatefulRedisConnection<String, String> conn = connect(ProtocolVersion.RESP3)) {
            RedisCommands<String, String> r = conn.sync();
            r.set("k", "v", SetArgs.Builder.px(20));
            r.set("keep", "v");
            Thread.sleep(40);
            assertEquals(List.of("keep"), r.keys("*"));
            assertEquals(0L, r.exists("k"));
            assertEquals(-2L, r.pttl("k"));
            assertEquals(1L, r.dbsize());
        }
    }
}
