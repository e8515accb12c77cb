package io.ember.persist.rdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.RawConnection;
import io.ember.testing.RedisServerProcess;
import io.ember.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * redis-server 7.0 builds a dataset with every type and encoding it writes, SAVEs it, and Ember
 * started on a copy of the file must hold the same contents: per key type, encoding, TTL and value
 * digest, and the dataset's DEBUG DIGEST. Keys that expired between SAVE and start-up are skipped.
 */
class RdbLoadCompatibilityTest {

    /** Saves redis's dataset and starts Ember on a copy of dump.rdb (extra Ember options after). */
    static TestServer emberOnCopyOf(RedisServerProcess redis, Path dir, String... args) throws Exception {
        try (RawConnection c = redis.raw()) {
            assertEquals("+OK\r\n", new String(c.call("SAVE"), StandardCharsets.ISO_8859_1));
        }
        Files.copy(redis.dir().resolve("dump.rdb"), dir.resolve("dump.rdb"), StandardCopyOption.REPLACE_EXISTING);
        String[] all = new String[args.length + 4];
        all[0] = "--dir";
        all[1] = dir.toString();
        all[2] = "--enable-debug-command";
        all[3] = "yes";
        System.arraycopy(args, 0, all, 4, args.length);
        return TestServer.start(all);
    }

    private void roundTrip(String... redisArgs) throws Exception {
        Path dir = Files.createTempDirectory("ember-rdbload");
        try (RedisServerProcess redis = RedisServerProcess.start(redisArgs); Jedis j = new Jedis("127.0.0.1", redis.port())) {
            RdbDataset.populate(j, 42);
            List<String> soon = RdbDataset.aboutToExpire(j, 300);
            try (RawConnection rc = redis.raw()) {
                rc.call("SAVE");
            }
            Thread.sleep(500);
            for (String k : soon) assertTrue(!j.exists(k), k); // lazily expired on redis too
            try (TestServer ember = emberOnCopyOf(redis, dir);
                 RawConnection r = redis.raw(); RawConnection e = ember.raw()) {
                RdbDataset.assertSameDataset(r, e, true);
                for (String k : soon) assertEquals(":0\r\n", new String(e.call("EXISTS", k), StandardCharsets.ISO_8859_1));
                String info = new String(e.call("INFO", "stats"), StandardCharsets.ISO_8859_1);
                assertTrue(info.contains("expired_keys:0"), "skipped keys are not counted as expired: " + info);
            }
        } finally {
            TestServer.deleteTree(dir);
        }
    }

    @Test
    void everyTypeAndEncodingLoadsIdentically() throws Exception {
        roundTrip();
    }

    @Test
    void uncompressedFileLoadsIdentically() throws Exception {
        roundTrip("--rdbcompression", "no");
    }

    @Test
    void lfuCountersAndIdleTimesAreRestored() throws Exception {
        Path dir = Files.createTempDirectory("ember-rdbload");
        // LFU: a counter raised by reads (log factor 0: +1 per access) travels in FREQ.
        try (RedisServerProcess redis = RedisServerProcess.start("--maxmemory-policy", "allkeys-lfu", "--lfu-log-factor", "0");
             Jedis j = new Jedis("127.0.0.1", redis.port())) {
            j.set("hot", "v");
            j.set("cold", "v");
            for (int i = 0; i < 40; i++) j.get("hot");
            long hot = j.objectFreq("hot");
            assertTrue(hot > 20, "redis counter " + hot);
            try (TestServer ember = emberOnCopyOf(redis, dir, "--maxmemory-policy", "allkeys-lfu");
                 Jedis e = new Jedis("127.0.0.1", ember.port())) {
                assertEquals(hot, e.objectFreq("hot"));
                assertEquals(j.objectFreq("cold"), e.objectFreq("cold"));
            }
        }
        // LRU: the idle time travels in IDLE (RESTORE ... IDLETIME sets it on redis without waiting).
        try (RedisServerProcess redis = RedisServerProcess.start("--maxmemory-policy", "allkeys-lru");
             Jedis j = new Jedis("127.0.0.1", redis.port())) {
            j.set("k", "v");
            byte[] payload = j.dump("k");
            j.del("k");
            j.restore(RdbDataset.b("k"), 0, payload, new redis.clients.jedis.params.RestoreParams().idleTime(5000));
            try (TestServer ember = emberOnCopyOf(redis, dir, "--maxmemory-policy", "allkeys-lru");
                 Jedis e = new Jedis("127.0.0.1", ember.port())) {
                long idle = e.objectIdletime("k");
                assertTrue(idle >= 5000 && idle < 5010, "idle " + idle);
            }
        } finally {
            TestServer.deleteTree(dir);
        }
    }
}
