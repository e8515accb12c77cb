package io.ember.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.JedisTestBase;
import io.ember.testing.RawConnection;
import io.ember.testing.RedisServerProcess;
import io.ember.type.Quicklist;
import io.ember.type.ValueType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.args.ListPosition;
import redis.clients.jedis.params.LPosParams;
import redis.clients.jedis.util.KeyValue;

/**
 * Every list command and its error replies through Jedis, the dirty counter, WATCH invalidation
 * by every write command, and the memory of long lists next to redis-server's.
 */
class ListCommandsTest extends JedisTestBase {
    @BeforeAll
    static void start() {
        startServer("--enable-debug-command", "yes");
    }

    @BeforeEach
    void flush() {
        j.flushAll();
    }

    private Object raw(String cmd, String... args) {
        return j.sendCommand(Protocol.Command.valueOf(cmd.toUpperCase()), args);
    }

    private static long dirty() {
        return EngineProbe.dirty(server);
    }

    @Test
    void pushesCreateQuicklistsAndCountChanges() {
        long d0 = dirty();
        assertEquals(3, j.rpush("l", "a", "b", "c"));
        assertEquals(5, j.lpush("l", "y", "x"));
        assertEquals(d0 + 5, dirty());
        assertEquals(List.of("x", "y", "a", "b", "c"), j.lrange("l", 0, -1));
        assertEquals("quicklist", j.objectEncoding("l"));
        assertEquals("list", j.type("l"));
        assertEquals(0, j.lpushx("missing", "a"));
        assertEquals(0, j.rpushx("missing", "a", "b"));
        assertFalse(j.exists("missing"));
        assertEquals(6, j.lpushx("l", "w"));
        assertEquals(8, j.rpushx("l", "d", "e"));
        j.set("s", "v");
        for (Executable e : List.<Executable>of(() -> j.lpush("s", "a"), () -> j.rpush("s", "a"), () -> j.lpushx("s", "a"),
                () -> j.rpushx("s", "a"))) {
            assertError(WRONGTYPE, e);
        }
        byte[] binary = {0, (byte) 0xff, '\r', '\n', 'x'};
        j.rpush("bin".getBytes(), binary, "123".getBytes(), "-9223372036854775808".getBytes());
        List<byte[]> got = j.lrange("bin".getBytes(), 0, -1);
        assertTrue(java.util.Arrays.equals(binary, got.get(0)));
        assertEquals("-9223372036854775808", new String(got.get(2), StandardCharsets.UTF_8));
    }

    @Test
    void popsWithAndWithoutCount() {
        j.rpush("l", "1", "2", "3", "4", "5");
        assertEquals("1", j.lpop("l"));
        assertEquals("5", j.rpop("l"));
        assertEquals(List.of("2", "3"), j.lpop("l", 2));
        assertEquals(List.of("4"), j.rpop("l", 10));
        assertFalse(j.exists("l"), "an emptied list is deleted");
        assertNull(j.lpop("l"));
        assertNull(j.lpop("l", 2), "count on a missing key: a null array");
        j.rpush("l", "a", "b", "c");
        assertEquals(List.of(), j.lpop("l", 0));
        assertEquals(List.of("c", "b"), j.rpop("l", 2), "RPOP count replies from the tail");
        assertError("ERR value is out of range, must be positive", () -> j.lpop("l", -1));
        assertError("ERR value is out of range, must be positive", () -> raw("lpop", "l", "x"));
        assertError("ERR wrong number of arguments for 'lpop' command", () -> raw("lpop", "l", "1", "2"));
        assertError("ERR wrong number of arguments for 'rpop' command", () -> raw("rpop"));
        j.set("s", "v");
        assertError(WRONGTYPE, () -> j.lpop("s"));
        assertError(WRONGTYPE, () -> j.rpop("s", 1));
    }

    @Test
    void rangeIndexLengthAndSet() {
        j.rpush("l", "a", "b", "c", "d", "e");
        assertEquals(List.of("b", "c", "d"), j.lrange("l", 1, 3));
        assertEquals(List.of("d", "e"), j.lrange("l", -2, 100));
        assertEquals(List.of(), j.lrange("l", 3, 1));
        assertEquals(List.of(), j.lrange("l", 5, 10));
        assertEquals(List.of("a", "b", "c", "d", "e"), j.lrange("l", -100, -1));
        assertEquals(List.of(), j.lrange("missing", 0, -1));
        assertError("ERR value is not an integer or out of range", () -> raw("lrange", "l", "x", "1"));
        assertEquals(5, j.llen("l"));
        assertEquals(0, j.llen("missing"));
        assertEquals("a", j.lindex("l", 0));
        assertEquals("e", j.lindex("l", -1));
        assertNull(j.lindex("l", 5));
        assertNull(j.lindex("l", -6));
        assertNull(raw("lindex", "missing", "x"), "the key is looked up before the index is parsed");
        assertError("ERR value is not an integer or out of range", () -> raw("lindex", "l", "x"));
        assertEquals("OK", j.lset("l", 1, "B"));
        assertEquals("OK", j.lset("l", -1, "E"));
        assertEquals(List.of("a", "B", "c", "d", "E"), j.lrange("l", 0, -1));
        assertError("ERR index out of range", () -> j.lset("l", 5, "x"));
        assertError("ERR no such key", () -> j.lset("missing", 0, "x"));
        assertError("ERR value is not an integer or out of range", () -> raw("lset", "l", "x", "y"));
        j.set("s", "v");
        for (Executable e : List.<Executable>of(() -> j.lrange("s", 0, 1), () -> j.llen("s"), () -> j.lindex("s", 0),
                () -> j.lset("s", 0, "x"))) {
            assertError(WRONGTYPE, e);
        }
    }

    @Test
    void insertRemoveTrim() {
        j.rpush("l", "a", "b", "a", "c", "1");
        assertEquals(6, j.linsert("l", ListPosition.BEFORE, "a", "x"));
        assertEquals(7, j.linsert("l", ListPosition.AFTER, "c", "y"));
        assertEquals(8, j.linsert("l", ListPosition.AFTER, "1", "after-int"));
        assertEquals(-1, j.linsert("l", ListPosition.AFTER, "01", "z"), "integers compare by value only for canonical text");
        assertEquals(0, j.linsert("missing", ListPosition.AFTER, "a", "z"));
        assertError("ERR syntax error", () -> raw("linsert", "l", "middle", "a", "z"));
        assertEquals(List.of("x", "a", "b", "a", "c", "y", "1", "after-int"), j.lrange("l", 0, -1));
        assertEquals(1, j.lrem("l", -1, "a"));
        assertEquals(List.of("x", "a", "b", "c", "y", "1", "after-int"), j.lrange("l", 0, -1));
        j.rpush("l", "b", "b");
        assertEquals(2, j.lrem("l", 2, "b"));
        assertEquals(1, j.lrem("l", 0, "b"));
        assertEquals(0, j.lrem("l", 0, "nothing"));
        assertEquals(0, j.lrem("missing", 0, "a"));
        assertError("ERR value is not an integer or out of range", () -> raw("lrem", "l", "x", "a"));
        assertEquals("OK", j.ltrim("l", 1, -2));
        assertEquals(List.of("a", "c", "y", "1"), j.lrange("l", 0, -1));
        assertEquals("OK", j.ltrim("missing", 0, 1));
        assertError("ERR value is not an integer or out of range", () -> raw("ltrim", "l", "0", "x"));
        assertEquals("OK", j.ltrim("l", 2, 1));
        assertFalse(j.exists("l"), "trimming to nothing deletes the key");
        j.rpush("one", "v");
        assertEquals(1, j.lrem("one", 1, "v"));
        assertFalse(j.exists("one"));
        j.set("s", "v");
        for (Executable e : List.<Executable>of(() -> j.linsert("s", ListPosition.AFTER, "a", "b"), () -> j.lrem("s", 0, "a"),
                () -> j.ltrim("s", 0, 1))) {
            assertError(WRONGTYPE, e);
        }
    }

    @Test
    void positions() {
        j.rpush("l", "a", "b", "c", "1", "2", "3", "c", "c");
        assertEquals(2, j.lpos("l", "c"));
        assertEquals(6, j.lpos("l", "c", LPosParams.lPosParams().rank(2)));
        assertEquals(7, j.lpos("l", "c", LPosParams.lPosParams().rank(-1)));
        assertNull(j.lpos("l", "c", LPosParams.lPosParams().maxlen(2)));
        assertEquals(List.of(2L, 6L, 7L), j.lpos("l", "c", LPosParams.lPosParams(), 0));
        assertEquals(List.of(7L, 6L), j.lpos("l", "c", LPosParams.lPosParams().rank(-1), 2));
        assertEquals(List.of(6L), j.lpos("l", "c", LPosParams.lPosParams().rank(2).maxlen(7), 0));
        assertEquals(List.of(), j.lpos("l", "zz", LPosParams.lPosParams(), 1));
        assertNull(j.lpos("missing", "a"));
        assertEquals(List.of(), j.lpos("missing", "a", LPosParams.lPosParams(), 1));
        assertEquals(3, j.lpos("l", "1"));
        assertError("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative "
                + "to start from the end of the list", () -> raw("lpos", "l", "a", "RANK", "0"));
        assertError("ERR COUNT can't be negative", () -> raw("lpos", "l", "a", "COUNT", "-1"));
        assertError("ERR MAXLEN can't be negative", () -> raw("lpos", "l", "a", "MAXLEN", "-1"));
        assertError("ERR value is not an integer or out of range", () -> raw("lpos", "l", "a", "RANK", "x"));
        assertError("ERR syntax error", () -> raw("lpos", "l", "a", "RANK"));
        assertError("ERR syntax error", () -> raw("lpos", "l", "a", "FOO", "1"));
        j.set("s", "v");
        assertError(WRONGTYPE, () -> j.lpos("s", "a"));
    }

    @Test
    void movesBetweenLists() {
        j.rpush("src", "1", "2", "3");
        assertEquals("1", j.lmove("src", "dst", ListDirection.LEFT, ListDirection.RIGHT));
        assertEquals("3", j.rpoplpush("src", "dst"));
        assertEquals(List.of("3", "1"), j.lrange("dst", 0, -1));
        assertEquals("2", j.lmove("src", "dst", ListDirection.RIGHT, ListDirection.LEFT));
        assertFalse(j.exists("src"));
        assertEquals("1", j.lmove("dst", "dst", ListDirection.RIGHT, ListDirection.LEFT), "rotation");
        assertEquals(List.of("1", "2", "3"), j.lrange("dst", 0, -1));
        assertNull(j.lmove("missing", "dst", ListDirection.LEFT, ListDirection.LEFT));
        assertNull(j.rpoplpush("missing", "dst"));
        j.set("s", "v");
        assertError(WRONGTYPE, () -> j.lmove("dst", "s", ListDirection.LEFT, ListDirection.LEFT));
        assertEquals(3, j.llen("dst"), "nothing is popped when the destination has the wrong type");
        assertError(WRONGTYPE, () -> j.rpoplpush("s", "dst"));
        assertError("ERR syntax error", () -> raw("lmove", "dst", "x", "UP", "LEFT"));
        assertError("ERR syntax error", () -> raw("lmove", "dst", "x", "LEFT", "DOWN"));
    }

    @Test
    void multiPops() {
        j.rpush("b", "1", "2", "3");
        KeyValue<String, List<String>> r = j.lmpop(ListDirection.LEFT, "a", "b");
        assertEquals("b", r.getKey());
        assertEquals(List.of("1"), r.getValue());
        r = j.lmpop(ListDirection.RIGHT, 5, "a", "b");
        assertEquals(List.of("3", "2"), r.getValue());
        assertFalse(j.exists("b"));
        assertNull(j.lmpop(ListDirection.LEFT, "a", "b"));
        assertError("ERR numkeys should be greater than 0", () -> raw("lmpop", "0", "a", "LEFT"));
        assertError("ERR numkeys should be greater than 0", () -> raw("lmpop", "x", "a", "LEFT"));
        assertError("ERR syntax error", () -> raw("lmpop", "2", "a", "LEFT"));
        assertError("ERR syntax error", () -> raw("lmpop", "1", "a", "UP"));
        assertError("ERR count should be greater than 0", () -> raw("lmpop", "1", "a", "LEFT", "COUNT", "0"));
        assertError("ERR syntax error", () -> raw("lmpop", "1", "a", "LEFT", "COUNT", "1", "COUNT", "2"));
        assertError("ERR timeout is not a float or out of range", () -> raw("blmpop", "x", "1", "a", "LEFT"));
        assertError("ERR timeout is negative", () -> raw("blmpop", "-1", "1", "a", "LEFT"));
        assertError("ERR numkeys should be greater than 0", () -> raw("blmpop", "x", "0", "a", "LEFT"));
        j.set("s", "v");
        assertError(WRONGTYPE, () -> j.lmpop(ListDirection.LEFT, "a", "s"));
    }

    @Test
    void blockingCommandsServeAvailableDataAndFailFastInsideMulti() {
        j.rpush("k", "a", "b", "c", "d", "e");
        assertEquals(List.of("k", "a"), j.blpop(1, "none", "k"));
        assertEquals(List.of("k", "e"), j.brpop(1, "k"));
        assertEquals("b", j.blmove("k", "d", ListDirection.LEFT, ListDirection.LEFT, 1));
        assertEquals("d", j.brpoplpush("k", "d", 1));
        KeyValue<String, List<String>> r = j.blmpop(1, ListDirection.LEFT, 3, "k");
        assertEquals(List.of("c"), r.getValue());
        assertNull(j.blpop(0.05, "k"));
        assertNull(j.blmove("k", "d", ListDirection.LEFT, ListDirection.LEFT, 0.05));
        assertError("ERR timeout is not a float or out of range", () -> raw("blpop", "k", "x"));
        assertError("ERR timeout is negative", () -> raw("brpop", "k", "-1"));
        j.set("s", "v");
        assertError(WRONGTYPE, () -> j.blpop(1, "s"));
        assertError(WRONGTYPE, () -> j.blmove("s", "d", ListDirection.LEFT, ListDirection.LEFT, 1));
        Transaction t = j.multi();
        t.blpop(0, "none");
        t.brpoplpush("none", "x", 0);
        t.blmpop(0, ListDirection.LEFT, "none");
        List<Object> out = t.exec();
        assertEquals(3, out.size());
        assertNull(out.get(0));
        assertNull(out.get(1));
        assertNull(out.get(2));
    }

    @Test
    void debugObjectDigestAndCopy() {
        j.configSet("list-max-listpack-size", "2");
        j.rpush("l", "a", "b", "c", "1", "2");
        j.configSet("list-max-listpack-size", "-2");
        String info;
        try (RawConnection c = server.raw()) {
            info = new String(c.call("debug", "object", "l"), StandardCharsets.UTF_8).trim();
            assertTrue(new String(c.call("debug", "digest-value", "l"), StandardCharsets.UTF_8).startsWith("*1\r\n+"));
        }
        assertTrue(info.contains(" encoding:quicklist serializedlength:41 "), info); // as redis-server
        assertTrue(info.endsWith(" ql_nodes:3 ql_avg_node:1.67 ql_listpack_max:2 ql_compressed:0 ql_uncompressed_size:34"),
                info);
        assertTrue(j.copy("l", "c", false));
        j.rpush("c", "more");
        assertEquals(5, j.llen("l"));
        assertEquals(6, j.llen("c"));
    }

    // ---- WATCH ------------------------------------------------------------------------------------

    /** Runs {@code write} from another client between WATCH and EXEC; returns whether EXEC was aborted. */
    private boolean aborts(String key, Consumer<Jedis> setup, Consumer<Jedis> write) {
        try (Jedis other = server.jedis()) {
            j.del(key, "dst", "s");
            setup.accept(other);
            j.watch(key);
            write.accept(other);
            Transaction t = j.multi();
            t.set("tx", "1");
            return t.exec() == null;
        }
    }

    @Test
    void everyListWriteInvalidatesWatch() {
        Consumer<Jedis> list = o -> o.rpush("w", "a", "b", "c", "a");
        Map<String, Consumer<Jedis>> writes = new java.util.LinkedHashMap<>();
        writes.put("lpush", o -> o.lpush("w", "x"));
        writes.put("rpush", o -> o.rpush("w", "x"));
        writes.put("lpushx", o -> o.lpushx("w", "x"));
        writes.put("rpushx", o -> o.rpushx("w", "x"));
        writes.put("lpop", o -> o.lpop("w"));
        writes.put("rpop", o -> o.rpop("w", 2));
        writes.put("lset", o -> o.lset("w", 0, "x"));
        writes.put("linsert", o -> o.linsert("w", ListPosition.BEFORE, "b", "x"));
        writes.put("lrem", o -> o.lrem("w", 0, "a"));
        writes.put("ltrim", o -> o.ltrim("w", 0, 0));
        writes.put("lmove (source)", o -> o.lmove("w", "dst", ListDirection.LEFT, ListDirection.LEFT));
        writes.put("lmove (destination)", o -> {
            o.rpush("dst", "v");
            o.lmove("dst", "w", ListDirection.LEFT, ListDirection.LEFT);
        });
        writes.put("rpoplpush", o -> o.rpoplpush("w", "w"));
        writes.put("lmpop", o -> o.lmpop(ListDirection.RIGHT, "none", "w"));
        writes.put("blpop", o -> o.blpop(1, "w"));
        writes.put("brpop", o -> o.brpop(1, "w"));
        writes.put("blmove", o -> o.blmove("w", "dst", ListDirection.LEFT, ListDirection.RIGHT, 1));
        writes.put("brpoplpush", o -> o.brpoplpush("w", "dst", 1));
        writes.put("blmpop", o -> o.blmpop(1, ListDirection.LEFT, 2, "w"));
        writes.put("del after lpop of the last", o -> o.lpop("w", 10));
        for (Map.Entry<String, Consumer<Jedis>> e : writes.entrySet()) {
            assertTrue(aborts("w", list, e.getValue()), e.getKey() + " must invalidate WATCH");
        }
        // a key created by a push onto a missing list, and by LMOVE's destination
        assertTrue(aborts("w", o -> { }, o -> o.rpush("w", "new")));
        assertTrue(aborts("w", o -> o.rpush("src", "v"), o -> o.lmove("src", "w", ListDirection.LEFT, ListDirection.LEFT)));
        // commands that change nothing leave the watch alone, as in Redis
        assertFalse(aborts("w", list, o -> o.lrem("w", 0, "nothing")));
        assertFalse(aborts("w", list, o -> o.linsert("w", ListPosition.BEFORE, "nothing", "x")));
        assertFalse(aborts("w", o -> { }, o -> o.lpushx("w", "x")));
        assertFalse(aborts("w", list, o -> o.lrange("w", 0, -1)));
        assertFalse(aborts("w", list, o -> o.lpop("w", 0)));
    }

    @Test
    void aServedBlockedClientInvalidatesWatchersOfItsKeys() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try (Jedis waiter = server.jedis(); Jedis other = server.jedis()) {
            var served = pool.submit(() -> waiter.blmove("q", "done", ListDirection.LEFT, ListDirection.LEFT, 5));
            while (!other.info("clients").contains("blocked_clients:1")) Thread.sleep(5);
            j.watch("done");
            other.rpush("q", "job");
            assertEquals("job", served.get());
            Transaction t = j.multi();
            t.set("tx", "1");
            assertNull(t.exec(), "the push the waiter made onto 'done' invalidates the watch");
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- memory -------------------------------------------------------------------------------

    /**
     * 10 lists of 100,000 short elements: Ember's heap for the values (listpack arrays and the
     * node tables, object headers included) against redis-server's used_memory growth for the
     * same data. Must stay within 1.2x.
     */
    @Test
    void longListsTakeNoMoreMemoryThanRedisAllows() {
        long redisBytes;
        try (RedisServerProcess redis = RedisServerProcess.start(); RawConnection r = redis.raw()) {
            long before = usedMemory(r);
            fill(r.socket().getPort());
            redisBytes = usedMemory(r) - before;
        }
        fill(server.port());
        long emberBytes = EngineProbe.onEngine(server, () -> {
            long n = 0;
            var db = server.server().engine().db(0);
            for (int i = 0; i < 10; i++) {
                int ref = db.peekRaw(("big:" + i).getBytes(StandardCharsets.UTF_8));
                assertEquals(ValueType.LIST, db.type(ref));
                n += ((Quicklist) db.value(ref)).heapBytes();
            }
            return n;
        });
        double ratio = (double) emberBytes / redisBytes;
        assertTrue(ratio <= 1.2, "Ember " + emberBytes + " bytes vs Redis " + redisBytes + " (" + ratio + ")");
        assertTrue(ratio > 0.5, "the measurement is plausible: " + ratio);
    }

    private static long usedMemory(RawConnection r) {
        String info = new String(r.call("info", "memory"), StandardCharsets.ISO_8859_1);
        int at = info.indexOf("used_memory:");
        return Long.parseLong(info.substring(at + 12, info.indexOf('\r', at)));
    }

    /** RPUSHes 10 x 100,000 elements "item:N" (N up to 6 digits) in batches of 1,000. */
    private static void fill(int port) {
        try (Jedis c = new Jedis("127.0.0.1", port, 30_000)) {
            Pipeline p = c.pipelined();
            for (int list = 0; list < 10; list++) {
                List<String> batch = new ArrayList<>(1000);
                for (int i = 0; i < 100_000; i++) {
                    batch.add("item:" + i);
                    if (batch.size() == 1000) {
                        p.rpush("big:" + list, batch.toArray(String[]::new));
                        batch.clear();
                    }
                }
            }
            p.sync();
        }
    }
}
