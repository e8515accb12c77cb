package io.ember.persist.aof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.Await;
import io.ember.testing.RedisServerProcess;
import io.ember.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;

/**
 * AOF directories move both ways between Ember and redis-server 7.0.15: one written by Redis
 * (base in RDB or command format after BGREWRITEAOF, then an incremental file, several
 * databases, MULTI/EXEC, TTLs) loads into Ember with the same DEBUG DIGEST; one written by Ember
 * passes redis-check-aof and loads into Redis with the same DEBUG DIGEST.
 */
class AofCompatibilityTest {
    @TempDir
    Path dir;

    /** Writes of every type, in two databases, with a transaction and TTLs. */
    static void writeDataset(Jedis j, int round) {
        String p = "r" + round + ":";
        j.set(p + "str", "value");
        j.set(p + "int", "12345");
        j.incrBy(p + "int", 10);
        j.append(p + "str", "-more");
        j.setex(p + "ttl", 100_000, "v");
        j.rpush(p + "list", "a", "b", "c", "d");
        j.lpop(p + "list");
        j.lpush(p + "list", "z");
        j.hset(p + "hash", Map.of("f1", "v1", "f2", "v2"));
        j.hincrBy(p + "hash", "n", 5);
        j.sadd(p + "set", "x", "y", "z", "1");
        j.srem(p + "set", "y");
        j.sadd(p + "intset", "1", "2", "3");
        j.zadd(p + "zset", Map.of("a", 1.0, "b", 2.5, "c", -3.0));
        j.zincrby(p + "zset", 1.5, "a");
        for (int i = 0; i < 200; i++) j.sadd(p + "bigset", "member" + i);
        j.set(p + "gone", "x");
        j.del(p + "gone");
        j.expire(p + "list", 50_000);
        var tx = j.multi();
        tx.incr(p + "txcounter");
        tx.rpush(p + "txlist", "1", "2");
        tx.set(p + "txstr", "s");
        tx.exec();
        j.select(5);
        j.set(p + "db5", "five");
        j.hset(p + "db5hash", "k", "v");
        j.select(0);
        j.set(p + "bin", "\u0000\r\n\u00ff");
    }

    static String digest(int port) {
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            return new String((byte[]) j.sendCommand(() -> "DEBUG".getBytes(StandardCharsets.US_ASCII),
                    "DIGEST".getBytes(StandardCharsets.US_ASCII)), StandardCharsets.UTF_8);
        }
    }

    private static void bgrewriteaof(Jedis j) throws InterruptedException {
        j.bgrewriteaof();
        Await.until(() -> {
            String info = j.info("persistence");
            return info.contains("aof_rewrite_in_progress:0") && info.contains("aof_rewrite_scheduled:0");
        }, "BGREWRITEAOF on redis-server", 20);
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "no"})
    void redisDirectoryLoadsIntoEmber(String preamble) throws Exception {
        String expected;
        try (RedisServerProcess redis = RedisServerProcess.start("--dir", dir.toString(), "--appendonly", "yes",
                "--aof-use-rdb-preamble", preamble); Jedis j = new Jedis("127.0.0.1", redis.port())) {
            writeDataset(j, 1);
            bgrewriteaof(j);
            writeDataset(j, 2); // into the new incremental file
            expected = digest(redis.port());
        }
        String manifest = Files.readString(dir.resolve("appendonlydir/appendonly.aof.manifest"));
        assertTrue(manifest.contains(preamble.equals("yes") ? ".base.rdb" : ".base.aof"), manifest);
        try (TestServer ember = TestServer.start("--dir", dir.toString(), "--appendonly", "yes",
                "--enable-debug-command", "yes"); Jedis j = ember.jedis()) {
            assertEquals(expected, digest(ember.port()));
            assertEquals("12355", j.get("r2:int"));
            assertEquals(List.of("z", "b", "c", "d"), j.lrange("r1:list", 0, -1));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"no", "yes"})
    void emberDirectoryLoadsIntoRedis(String timestamps) throws Exception {
        String expected;
        try (TestServer ember = TestServer.start("--dir", dir.toString(), "--appendonly", "yes",
                "--aof-timestamp-enabled", timestamps, "--enable-debug-command", "yes"); Jedis j = ember.jedis()) {
            writeDataset(j, 1);
            writeDataset(j, 2);
            expected = digest(ember.port());
        }
        Path manifest = dir.resolve("appendonlydir/appendonly.aof.manifest");
        String check = run(dir, "/usr/bin/redis-check-aof", manifest.toString());
        assertTrue(check.contains("All AOF files and manifest are valid"), check);
        if (timestamps.equals("yes")) {
            assertTrue(Files.readString(dir.resolve("appendonlydir/appendonly.aof.1.incr.aof"),
                    StandardCharsets.ISO_8859_1).startsWith("#TS:"));
        }
        try (RedisServerProcess redis = RedisServerProcess.start("--dir", dir.toString(), "--appendonly", "yes")) {
            assertEquals(expected, digest(redis.port()));
        }
    }

    @Test
    void emberCommandBaseLoadsIntoRedis() throws Exception {
        // aof-use-rdb-preamble no: the base Ember creates is a command file (empty), as Redis's
        try (TestServer ember = TestServer.start("--dir", dir.toString(), "--appendonly", "yes",
                "--aof-use-rdb-preamble", "no", "--enable-debug-command", "yes"); Jedis j = ember.jedis()) {
            writeDataset(j, 1);
        }
        assertTrue(Files.exists(dir.resolve("appendonlydir/appendonly.aof.1.base.aof")));
        String check = run(dir, "/usr/bin/redis-check-aof", dir.resolve("appendonlydir/appendonly.aof.manifest").toString());
        assertTrue(check.contains("All AOF files and manifest are valid"), check);
    }

    /** INFO persistence has the same fields, in the same order, as redis-server's with the AOF on. */
    @Test
    void infoPersistenceFieldsMatchRedis() throws Exception {
        Path redisDir = Files.createDirectory(dir.resolve("redis"));
        Path emberDir = Files.createDirectory(dir.resolve("ember"));
        List<String> expected;
        try (RedisServerProcess redis = RedisServerProcess.start("--dir", redisDir.toString(), "--appendonly", "yes");
             Jedis j = new Jedis("127.0.0.1", redis.port())) {
            j.set("k", "v");
            expected = fieldNames(j.info("persistence"));
        }
        try (TestServer ember = TestServer.start("--dir", emberDir.toString(), "--appendonly", "yes"); Jedis j = ember.jedis()) {
            j.set("k", "v");
            String info = j.info("persistence");
            assertEquals(expected, fieldNames(info));
            assertTrue(info.contains("aof_enabled:1\r\n") && info.contains("aof_last_write_status:ok\r\n"), info);
        }
    }

    private static List<String> fieldNames(String info) {
        List<String> names = new ArrayList<>();
        for (String line : info.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) names.add(line.substring(0, colon));
        }
        return names;
    }

    static String run(Path cwd, String... cmd) throws Exception {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(cmd))).directory(cwd.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return out + "\n(exit " + p.exitValue() + ")";
    }
}
