package io.ember.persist.aof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Restart round trips with appendonly yes: what was written before a clean stop is there after
 * the restart, under each appendfsync policy; the directory has Redis 7.0's layout.
 */
class AofRoundTripTest {
    @TempDir
    Path dir;

    private TestServer start(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("--dir", dir.toString(), "--appendonly", "yes",
                "--enable-debug-command", "yes"));
        args.addAll(List.of(extra));
        return TestServer.start(args.toArray(String[]::new));
    }

    @ParameterizedTest
    @ValueSource(strings = {"always", "everysec", "no"})
    void restartKeepsData(String policy) throws Exception {
        String digest;
        try (TestServer s = start("--appendfsync", policy); Jedis j = s.jedis()) {
            j.set("a", "1");
            j.incr("counter");
            j.incr("counter");
            j.rpush("list", "x", "y", "z");
            j.hset("h", "f", "v");
            j.sadd("s", "m1", "m2");
            j.zadd("z", 1.5, "one");
            j.select(3);
            j.set("in3", "three");
            j.pexpire("in3", 1_000_000);
            j.select(0);
            j.del("a");
            j.set("b", "2");
            j.getSet("b", "3");
            var tx = j.multi();
            tx.incr("counter");
            tx.lpush("list", "w");
            tx.exec();
            digest = digest(s);
        }
        Path aofDir = dir.resolve("appendonlydir");
        assertTrue(Files.isRegularFile(aofDir.resolve("appendonly.aof.1.base.rdb")));
        assertTrue(Files.isRegularFile(aofDir.resolve("appendonly.aof.1.incr.aof")));
        assertEquals("file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n",
                Files.readString(aofDir.resolve("appendonly.aof.manifest")));
        try (TestServer s = start("--appendfsync", policy); Jedis j = s.jedis()) {
            assertEquals("3", j.get("counter"));
            assertEquals(List.of("w", "x", "y", "z"), j.lrange("list", 0, -1));
            assertEquals("3", j.get("b"));
            j.select(3);
            assertEquals("three", j.get("in3"));
            assertTrue(j.pttl("in3") > 900_000);
            assertEquals(digest, digest(s));
        }
    }

    static String digest(TestServer s) {
        try (var raw = s.raw()) {
            return new String(raw.call("DEBUG", "DIGEST"));
        }
    }

    @Test
    void infoReportsTheAof() throws Exception {
        try (TestServer s = start(); Jedis j = s.jedis()) {
            j.set("k", "v");
            String info = j.info("persistence");
            assertTrue(info.contains("aof_enabled:1"), info);
            assertTrue(info.contains("aof_last_write_status:ok"), info);
            assertTrue(info.contains("aof_delayed_fsync:0"), info);
            assertTrue(info.contains("aof_base_size:"), info);
        }
    }

    /**
     * When a reply arrives, its write is already in the file — for network and embedded clients,
     * and for pipelines: the engine writes the AOF before any reply leaves (Redis's beforeSleep
     * order), under always fsynced too, so a process crash loses no acknowledged write. (Under no,
     * unlike everysec, no background fsync can postpone a write, so the check is exact.)
     */
    @ParameterizedTest
    @ValueSource(strings = {"always", "no"})
    void theWriteIsInTheFileBeforeTheReply(String policy) throws Exception {
        try (TestServer s = start("--appendfsync", policy); Jedis j = s.jedis();
             var embedded = s.server().embeddedClient()) {
            Path incr = dir.resolve("appendonlydir/appendonly.aof.1.incr.aof");
            for (int i = 0; i < 100; i++) {
                j.set("net" + i, "v");
                assertTrue(Files.readString(incr).contains("\r\nnet" + i + "\r\n"), "net" + i);
                embedded.call("SET", "emb" + i, "v");
                assertTrue(Files.readString(incr).contains("\r\nemb" + i + "\r\n"), "emb" + i);
            }
            var p = j.pipelined();
            for (int i = 0; i < 500; i++) p.incr("piped");
            p.sync();
            assertTrue(Files.readString(incr).split("piped", -1).length - 1 >= 500);
            assertEquals("500", j.get("piped"));
        }
    }
}
