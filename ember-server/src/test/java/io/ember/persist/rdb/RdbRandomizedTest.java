package io.ember.persist.rdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.RedisServerProcess;
import io.ember.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ListPosition;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * A random history of writes (fixed seed, bounded) run on Ember and on redis-server, so values end
 * in the odd shapes real use leaves (quicklists after inserts and removals, hashes and sets that
 * grew past a limit then shrank, integers turned strings). Then: a redis-server loading Ember's
 * file ends in exactly the state redis-server reaches by reloading its own (DEBUG RELOAD), strict
 * encodings included, and Ember's file is no larger.
 */
class RdbRandomizedTest {
    private static final int OPS = 4000;

    @Test
    void redisLoadsEmberFileAsItsOwn() throws Exception {
        try (TestServer ember = TestServer.start("--enable-debug-command", "yes", "--list-max-listpack-size", "8");
                Jedis e = ember.jedis();
                RedisServerProcess redis = RedisServerProcess.start("--list-max-listpack-size", "8");
                Jedis r = new Jedis("127.0.0.1", redis.port(), 10_000)) {
            Random rnd = new Random(5150);
            for (int i = 0; i < OPS; i++) {
                int db = rnd.nextInt(4) == 0 ? 3 : 0;
                long seed = rnd.nextLong();
                apply(e, db, new Random(seed));
                apply(r, db, new Random(seed));
            }
            RdbWriteDataset.assertSameContents(r, e); // the same history gives the same data

            assertEquals("OK", e.save());
            assertEquals("OK", r.save());
            long emberSize = Files.size(ember.dir().resolve("dump.rdb"));
            long redisSize = Files.size(redis.dir().resolve("dump.rdb"));
            System.out.println("RDB size after the random history: Ember " + emberSize + ", redis-server " + redisSize);
            assertTrue(emberSize <= redisSize, "Ember " + emberSize + " > Redis " + redisSize);

            assertEquals("OK", new String((byte[]) r.sendCommand(RdbWriteDataset.DEBUG, RdbWriteDataset.b("RELOAD"))));
            Path copy = Files.createTempDirectory("ember-rdb-random");
            Files.copy(ember.dir().resolve("dump.rdb"), copy.resolve("dump.rdb"));
            try (RedisServerProcess loaded = RedisServerProcess.start("--dir", copy.toString(), "--list-max-listpack-size", "8");
                    Jedis l = RdbWriteCompatibilityTest.connect(loaded)) {
                int keys = RdbWriteDataset.assertSameContents(r, l, true);
                assertTrue(keys > 40, "compared " + keys + " keys");
            } finally {
                TestServer.deleteTree(copy);
                Files.deleteIfExists(redis.dir().resolve("dump.rdb")); // the reference server leaves its dir behind
            }
        }
    }

    /** One random write; the same Random state gives the same command on both servers. */
    private static void apply(Jedis j, int db, Random rnd) {
        j.select(db);
        int k = rnd.nextInt(8);
        String v = value(rnd);
        try {
            switch (rnd.nextInt(22)) {
                case 0 -> j.set("s" + k, v);
                case 1 -> j.append("s" + k, v);
                case 2 -> j.incrBy("n" + k, rnd.nextInt(200_000) - 100_000);
                case 3 -> j.setrange("s" + k, rnd.nextInt(30), v);
                case 4, 5 -> j.rpush("l" + k, v, value(rnd));
                case 6 -> j.lpush("l" + k, v);
                case 7 -> j.linsert("l" + k, rnd.nextBoolean() ? ListPosition.BEFORE : ListPosition.AFTER, element(j, "l" + k, rnd.nextInt(5)), v);
                case 8 -> j.lrem("l" + k, rnd.nextInt(3) - 1, element(j, "l" + k, rnd.nextInt(20)));
                case 9 -> j.ltrim("l" + k, rnd.nextInt(3), -1 - rnd.nextInt(3));
                case 10, 11 -> j.sadd("t" + k, rnd.nextInt(3) == 0 ? v : Integer.toString(rnd.nextInt(2000)));
                case 12 -> j.srem("t" + k, Integer.toString(rnd.nextInt(2000)), v);
                case 13, 14 -> j.zadd("z" + k, rnd.nextInt(50) / 4.0, v);
                case 15 -> j.zrem("z" + k, v);
                case 16 -> j.zremrangeByRank("z" + k, 0, rnd.nextInt(10));
                case 17, 18 -> j.hset("h" + k, "f" + rnd.nextInt(300), v);
                case 19 -> j.hdel("h" + k, "f" + rnd.nextInt(300));
                case 20 -> j.pexpire(new String[] {"s", "l", "t", "z", "h"}[rnd.nextInt(5)] + k, 100_000 + rnd.nextInt(1_000_000));
                default -> j.persist("l" + k);
            }
        } catch (JedisDataException ex) {
            // WRONGTYPE or not-an-integer: the same error on both servers, nothing written
        }
    }

    /** The list's element at {@code index}, or "x" (found nowhere) past its end. */
    private static String element(Jedis j, String key, int index) {
        String e = j.lindex(key, index);
        return e == null ? "x" : e;
    }

    /** Mostly short values, some integers, a few long enough to leave the compact encodings or compress. */
    private static String value(Random rnd) {
        int shape = rnd.nextInt(20);
        if (shape < 8) return "v" + rnd.nextInt(500);
        if (shape < 13) return Integer.toString(rnd.nextInt(100_000) - 50_000);
        if (shape < 15) return Long.toString(rnd.nextLong());
        if (shape < 17) return "";
        if (shape < 19) return "w".repeat(60 + rnd.nextInt(40));
        return "abc".repeat(rnd.nextInt(3000));
    }
}
