package io.ember.persist.aof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.FreePort;
import io.ember.testing.RedisServerProcess;
import io.ember.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * How an AOF is replayed: the same hand-written incremental file loaded by redis-server 7.0.15 and
 * by Ember gives the same dataset (SELECT inside MULTI/EXEC, keys whose TTL passed before the
 * restart are not expired while later commands of the file still touch them); clients get
 * -LOADING while a long AOF loads.
 */
class AofReplayTest {
    @TempDir
    Path dir;

    private static String cmd(String... args) {
        StringBuilder sb = new StringBuilder("*" + args.length + "\r\n");
        for (String a : args) sb.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        return sb.toString();
    }

    /** DUMP of a set {a}, taken from redis-server (Latin-1 so the bytes pass through cmd()). */
    private static String restorePayload() {
        try (RedisServerProcess redis = RedisServerProcess.start(); Jedis j = new Jedis("127.0.0.1", redis.port())) {
            j.sadd("s", "a");
            return new String(j.dump("s"), StandardCharsets.ISO_8859_1);
        }
    }

    private void writeSet(String incr) throws Exception {
        TestServer.deleteTree(dir.resolve("appendonlydir"));
        try (TestServer s = TestServer.start("--dir", dir.toString(), "--appendonly", "yes")) {
            // the base and an empty incr file
        }
        Files.writeString(dir.resolve("appendonlydir/appendonly.aof.1.incr.aof"), incr, StandardCharsets.ISO_8859_1);
    }

    @Test
    void sameDatasetAsRedis() throws Exception {
        String incr = cmd("SELECT", "0") + cmd("SET", "k", "1", "PXAT", "1000") + cmd("INCR", "k")
                + cmd("SET", "keep", "1") + cmd("PEXPIREAT", "keep", "4102444800000")
                + cmd("MULTI") + cmd("SET", "t1", "a") + cmd("SELECT", "2") + cmd("SET", "t2", "b") + cmd("EXEC")
                + cmd("SET", "x", "in-db-2") + cmd("SELECT", "0") + cmd("INCRBYFLOAT", "f", "1.5")
                // A time already past does not delete the key during the load (checkAlreadyExpired):
                // the later command still finds it, and it expires once the load is over.
                + cmd("SET", "e", "v") + cmd("PEXPIREAT", "e", "1000") + cmd("APPEND", "e", "x")
                + cmd("SET", "g", "v") + cmd("GETEX", "g", "PXAT", "1000") + cmd("APPEND", "g", "x")
                + cmd("RESTORE", "r", "1000", restorePayload(), "ABSTTL") + cmd("SADD", "r", "m");
        writeSet(incr);
        Path copy = Files.createTempDirectory("ember-aof-replay");
        try {
            Files.createDirectories(copy.resolve("appendonlydir"));
            try (var files = Files.list(dir.resolve("appendonlydir"))) {
                for (Path p : files.toList()) Files.copy(p, copy.resolve("appendonlydir").resolve(p.getFileName()));
            }
            String expected;
            try (RedisServerProcess redis = RedisServerProcess.start("--dir", copy.toString(), "--appendonly", "yes");
                 Jedis j = new Jedis("127.0.0.1", redis.port())) {
                expected = AofCompatibilityTest.digest(redis.port());
                assertFalse(j.exists("k"));
            }
            try (TestServer s = TestServer.start("--dir", dir.toString(), "--appendonly", "yes",
                    "--enable-debug-command", "yes"); Jedis j = s.jedis()) {
                assertFalse(j.exists("k"), "expired: its INCR during the load must not revive it without a TTL");
                assertEquals(0L, j.exists("e", "g", "r"), "past times set during the load expire afterwards");
                assertEquals("1", j.get("keep"));
                j.select(2);
                assertEquals("in-db-2", j.get("x"));
                assertEquals(expected, AofCompatibilityTest.digest(s.port()));
            }
        } finally {
            TestServer.deleteTree(copy);
        }
    }

    @Test
    void clientsGetLoadingWhileTheAofLoads() throws Exception {
        StringBuilder incr = new StringBuilder(cmd("SELECT", "0"));
        for (int i = 0; i < 300; i++) incr.append(cmd("SET", "key" + i, "v" + i));
        writeSet(incr.toString());
        int port = FreePort.find();
        CompletableFuture<TestServer> started = CompletableFuture.supplyAsync(() -> TestServer.start("--dir",
                dir.toString(), "--appendonly", "yes", "--port", Integer.toString(port), "--key-load-delay", "5000"));
        try {
            boolean sawLoading = false;
            long deadline = System.currentTimeMillis() + 10_000;
            while (!started.isDone() && System.currentTimeMillis() < deadline) {
                try (Jedis j = new Jedis("127.0.0.1", port, 2000)) {
                    String info = j.info("persistence");
                    if (info.contains("\nloading:1")) {
                        long base = Files.size(dir.resolve("appendonlydir/appendonly.aof.1.base.rdb"));
                        assertTrue(info.contains("loading_total_bytes:" + (base + incr.length())), info);
                        var e = org.junit.jupiter.api.Assertions.assertThrows(
                                redis.clients.jedis.exceptions.JedisDataException.class, () -> j.get("key1"));
                        assertEquals("LOADING Redis is loading the dataset in memory", e.getMessage());
                        sawLoading = true;
                        break;
                    }
                } catch (redis.clients.jedis.exceptions.JedisConnectionException e) {
                    Thread.sleep(10); // not listening yet
                }
            }
            assertTrue(sawLoading, "-LOADING seen during the load");
        } finally {
            try (TestServer s = started.get(); Jedis j = s.jedis()) {
                assertEquals("v299", j.get("key299"));
            }
        }
    }
}
