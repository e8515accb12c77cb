package io.ember.persist.rdb;

import static io.ember.persist.rdb.RdbWriteDataset.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.RedisServerProcess;
import io.ember.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Files written by Ember's SAVE are files redis-server 7.0 accepts: redis-check-rdb passes them,
 * and a redis-server started on a copy holds exactly Ember's dataset (every type and encoding,
 * TTLs, several databases), with compression and checksums on or off. Also: the file is no larger
 * than Redis's own for the same data, and IDLE/FREQ records follow the maxmemory-policy.
 */
class RdbWriteCompatibilityTest {
    private static final String CHECK_RDB = "/usr/bin/redis-check-rdb";

    @Test
    void savedFileLoadsIntoRedisWithTheSameContents() throws Exception {
        try (TestServer ember = TestServer.start("--enable-debug-command", "yes"); Jedis e = ember.jedis()) {
            RdbWriteDataset.build(e);
            long before = e.lastsave();
            assertEquals("OK", e.save());
            assertTrue(e.lastsave() >= before);
            Path file = ember.dir().resolve("dump.rdb");
            byte[] bytes = Files.readAllBytes(file);
            assertEquals("REDIS0010", new String(bytes, 0, 9));
            // The trailer is the CRC64 of everything before it, little-endian.
            long crc = Crc64.update(0, bytes, 0, bytes.length - 8);
            assertEquals(crc, littleEndianLong(bytes, bytes.length - 8));
            // Compression on: the 5000 'a' string is stored as LZF, not verbatim.
            assertFalse(contains(bytes, b("a".repeat(5000))));
            checkRdb(file);
            assertLoadsIntoRedis(file, e);
            assertFalse(Files.exists(ember.dir().resolve("temp-" + ProcessHandle.current().pid() + ".rdb")));
        }
    }

    @Test
    void withoutCompression() throws Exception {
        try (TestServer ember = TestServer.start("--enable-debug-command", "yes", "--rdbcompression", "no"); Jedis e = ember.jedis()) {
            RdbWriteDataset.build(e);
            assertEquals("OK", e.save());
            Path file = ember.dir().resolve("dump.rdb");
            assertTrue(contains(Files.readAllBytes(file), b("a".repeat(5000))));
            checkRdb(file);
            assertLoadsIntoRedis(file, e);
        }
    }

    @Test
    void withoutChecksum() throws Exception {
        try (TestServer ember = TestServer.start("--enable-debug-command", "yes", "--rdbchecksum", "no"); Jedis e = ember.jedis()) {
            RdbWriteDataset.build(e);
            assertEquals("OK", e.save());
            Path file = ember.dir().resolve("dump.rdb");
            byte[] bytes = Files.readAllBytes(file);
            assertEquals(0L, littleEndianLong(bytes, bytes.length - 8));
            assertEquals(0xFF, bytes[bytes.length - 9] & 0xff); // EOF opcode before it
            checkRdb(file);
            assertLoadsIntoRedis(file, e);
        }
    }

    /** The same dataset saved by redis-server and by Ember: Ember's file is no larger. */
    @Test
    void fileIsNoLargerThanRedis() throws Exception {
        try (TestServer ember = TestServer.start("--enable-debug-command", "yes"); Jedis e = ember.jedis();
                RedisServerProcess redis = RedisServerProcess.start(); Jedis r = new Jedis("127.0.0.1", redis.port(), 10_000)) {
            RdbWriteDataset.build(e);
            RdbWriteDataset.build(r);
            RdbWriteDataset.assertSameContents(r, e);
            assertEquals("OK", e.save());
            assertEquals("OK", r.save());
            long emberSize = Files.size(ember.dir().resolve("dump.rdb"));
            long redisSize = Files.size(redis.dir().resolve("dump.rdb"));
            System.out.println("RDB size for the compatibility dataset: Ember " + emberSize + " bytes, redis-server "
                    + redisSize + " bytes");
            assertTrue(emberSize <= redisSize, "Ember " + emberSize + " > Redis " + redisSize);
            Files.delete(redis.dir().resolve("dump.rdb")); // the reference server leaves its dir behind
        }
    }

    /** LFU policies store each key's counter (FREQ), LRU policies its idle time (IDLE); Redis restores them. */
    @Test
    void accessInformationFollowsThePolicy() throws Exception {
        try (TestServer ember = TestServer.start("--maxmemory-policy", "allkeys-lfu"); Jedis e = ember.jedis()) {
            e.set("hot", "v");
            e.set("cold", "v");
            for (int i = 0; i < 200; i++) e.get("hot");
            long hot = e.objectFreq("hot");
            assertTrue(hot > 5, "counter grew: " + hot);
            assertEquals("OK", e.save());
            Path copy = copyDump(ember.dir().resolve("dump.rdb"));
            try (RedisServerProcess redis = RedisServerProcess.start("--dir", copy.toString(), "--maxmemory-policy", "allkeys-lfu");
                    Jedis r = connect(redis)) {
                assertEquals(hot, r.objectFreq("hot"));
                assertEquals(e.objectFreq("cold"), r.objectFreq("cold"));
            } finally {
                TestServer.deleteTree(copy);
            }
        }
        try (TestServer ember = TestServer.start("--maxmemory-policy", "allkeys-lru"); Jedis e = ember.jedis()) {
            e.set("old", "v");
            TimeUnit.MILLISECONDS.sleep(2100);
            e.set("new", "v");
            assertEquals("OK", e.save());
            Path copy = copyDump(ember.dir().resolve("dump.rdb"));
            try (RedisServerProcess redis = RedisServerProcess.start("--dir", copy.toString(), "--maxmemory-policy", "allkeys-lru");
                    Jedis r = connect(redis)) {
                long idle = r.objectIdletime("old");
                assertTrue(idle >= 2 && idle <= 4, "idle time restored: " + idle);
                assertTrue(r.objectIdletime("new") <= 1);
            } finally {
                TestServer.deleteTree(copy);
            }
        }
    }

    // ---- helpers ----

    /** Starts redis-server on a copy of {@code file} and compares its dataset with Ember's. */
    private static void assertLoadsIntoRedis(Path file, Jedis ember) throws IOException {
        Path copy = copyDump(file);
        try (RedisServerProcess redis = RedisServerProcess.start("--dir", copy.toString()); Jedis r = connect(redis)) {
            int keys = RdbWriteDataset.assertSameContents(ember, r);
            assertTrue(keys > 60, "compared " + keys + " keys");
        } finally {
            TestServer.deleteTree(copy);
        }
    }

    private static Path copyDump(Path file) throws IOException {
        Path dir = Files.createTempDirectory("ember-rdb-copy");
        Files.copy(file, dir.resolve("dump.rdb"));
        return dir;
    }

    /** A connection once the server has finished loading (-LOADING until then). */
    static Jedis connect(RedisServerProcess redis) {
        Jedis r = new Jedis("127.0.0.1", redis.port(), 10_000);
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            try {
                r.ping();
                return r;
            } catch (JedisDataException ex) {
                if (!ex.getMessage().startsWith("LOADING") || System.currentTimeMillis() > deadline) throw ex;
            }
        }
    }

    static void checkRdb(Path file) throws Exception {
        Process p = new ProcessBuilder(CHECK_RDB, file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("RDB looks OK"), out);
    }

    static long littleEndianLong(byte[] b, int off) {
        long v = 0;
        for (int i = 7; i >= 0; i--) v = (v << 8) | (b[off + i] & 0xff);
        return v;
    }

    static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int k = 0; k < needle.length; k++) if (hay[i + k] != needle[k]) continue outer;
            return true;
        }
        return false;
    }
}
