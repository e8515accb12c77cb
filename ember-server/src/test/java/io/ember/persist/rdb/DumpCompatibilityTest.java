package io.ember.persist.rdb;

import static io.ember.persist.rdb.RdbWriteDataset.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.RedisServerProcess;
import io.ember.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.RestoreParams;

/**
 * DUMP payloads from Ember are payloads redis-server 7.0 RESTOREs to the same value, and, where
 * both servers hold a value in the same encoding with a deterministic order, the very bytes
 * Redis's own DUMP produces.
 */
class DumpCompatibilityTest {
    private static TestServer ember;
    private static RedisServerProcess redis;

    @BeforeAll
    static void start() {
        ember = TestServer.start("--enable-debug-command", "yes");
        redis = RedisServerProcess.start();
        try (Jedis e = ember.jedis(); Jedis r = redis()) {
            RdbWriteDataset.build(e);
            RdbWriteDataset.build(r);
        }
    }

    @AfterAll
    static void stop() {
        if (ember != null) ember.close();
        if (redis != null) redis.close();
    }

    private static Jedis redis() {
        return new Jedis("127.0.0.1", redis.port(), 10_000);
    }

    /** Every key of the dataset: Redis restores Ember's payload to the same value, type and encoding. */
    @Test
    void redisRestoresEveryPayload() {
        try (Jedis e = ember.jedis(); Jedis r = redis()) {
            int n = 0;
            for (int db : RdbWriteDataset.DBS) {
                e.select(db);
                r.select(db);
                for (byte[] key : e.keys(b("*"))) {
                    byte[] payload = e.dump(key);
                    byte[] target = concat(b("restored:"), key);
                    long ttl = Math.max(0, e.pttl(key)); // DIGEST-VALUE counts whether a key has a TTL
                    assertEquals("OK", r.restore(target, ttl, payload, RestoreParams.restoreParams().replace()), name(key));
                    assertEquals(RdbWriteDataset.digestValue(e, key), RdbWriteDataset.digestValue(r, target), name(key));
                    String type = e.type(key);
                    assertEquals(type, r.type(target), name(key));
                    if (!type.equals("string")) {
                        assertEquals(new String(e.objectEncoding(key)), new String(r.objectEncoding(target)), name(key));
                    }
                    r.del(target);
                    n++;
                }
            }
            assertTrue(n > 60, "restored " + n + " keys");
        }
    }

    /**
     * Payloads equal Redis's byte for byte (LZF blocks included), except for hashtable sets and
     * hashes, whose member order is their hash table's.
     */
    @Test
    void payloadsMatchRedisByteForByte() {
        try (Jedis e = ember.jedis(); Jedis r = redis()) {
            List<String> differ = new ArrayList<>();
            int same = 0;
            for (int db : RdbWriteDataset.DBS) {
                e.select(db);
                r.select(db);
                for (byte[] key : e.keys(b("*"))) {
                    String enc = new String(e.objectEncoding(key));
                    String type = e.type(key);
                    if (enc.equals("hashtable")) continue;
                    byte[] mine = e.dump(key), theirs = r.dump(key);
                    if (Arrays.equals(mine, theirs)) {
                        same++;
                    } else {
                        differ.add(name(key) + " " + type + "/" + enc + " ember " + mine.length + " redis " + theirs.length);
                    }
                }
            }
            System.out.println("DUMP payloads identical to Redis's: " + same + ", different: " + differ);
            assertEquals(List.of(), differ);
        }
    }

    @Test
    void missingKeyIsNil() {
        try (Jedis e = ember.jedis()) {
            assertNull(e.dump("no-such-key"));
        }
    }

    /** The trailer: RDB version 10 in two bytes, then the CRC64 of everything before it. */
    @Test
    void trailerHoldsVersionAndChecksum() {
        try (Jedis e = ember.jedis()) {
            byte[] p = e.dump("list:many");
            assertEquals(10, p[p.length - 10]);
            assertEquals(0, p[p.length - 9]);
            assertEquals(Crc64.update(0, p, 0, p.length - 8), RdbWriteCompatibilityTest.littleEndianLong(p, p.length - 8));
        }
    }

    /** rdbcompression applies to DUMP too; switching it at run time changes the next payload. */
    @Test
    void compressionFollowsTheConfig() {
        try (Jedis e = ember.jedis(); Jedis r = redis()) {
            byte[] compressed = e.dump("str:a5000");
            assertTrue(compressed.length < 100, "compressed: " + compressed.length);
            e.configSet("rdbcompression", "no");
            r.configSet("rdbcompression", "no");
            try {
                byte[] plain = e.dump("str:a5000");
                assertEquals(1 + 2 + 5000 + 10, plain.length);
                assertArrayEquals(r.dump("str:a5000"), plain);
                assertArrayEquals(r.dump("list:many"), e.dump("list:many"));
            } finally {
                e.configSet("rdbcompression", "yes");
                r.configSet("rdbcompression", "yes");
            }
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String name(byte[] key) {
        return new String(key, StandardCharsets.UTF_8);
    }
}
