package io.ember.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.TestServer;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.params.SetParams;

/** The cron reclaims expired keys nobody reads, within its time budget, unless switched off. */
class ActiveExpiryTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start("--hz", "50");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Engine engine() {
        return server.server().engine();
    }

    static <T> T onEngine(Callable<T> task) {
        try {
            return engine().loop().submit(task).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void reset() {
        onEngine(() -> engine().activeExpireEnabled = true);
        try (Jedis j = server.jedis()) {
            j.flushAll();
        }
    }

    private static void fill(Jedis j, int db, int volatileKeys, int persistentKeys, long ttlMs) {
        j.select(db);
        Pipeline p = j.pipelined();
        for (int i = 0; i < volatileKeys; i++) p.set("v:" + i, "x", SetParams.setParams().px(ttlMs));
        for (int i = 0; i < persistentKeys; i++) p.set("p:" + i, "x");
        p.sync();
    }

    private static long waitForDbSize(Jedis j, long expected, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        long size;
        while ((size = j.dbSize()) != expected && System.currentTimeMillis() < deadline) Thread.sleep(20);
        return size;
    }

    @Test
    void untouchedExpiredKeysAreReclaimedInEveryDatabase() throws InterruptedException {
        try (Jedis j = server.jedis()) {
            long expiredBefore = onEngine(() -> engine().stats.expiredKeys);
            fill(j, 0, 5000, 3000, 50);
            fill(j, 7, 300, 10, 50);
            j.select(0);
            assertEquals(3000, waitForDbSize(j, 3000, 5000), "only the keys without TTL stay");
            j.select(7);
            assertEquals(10, waitForDbSize(j, 10, 5000));
            assertEquals(expiredBefore + 5300, (long) onEngine(() -> engine().stats.expiredKeys));
        }
    }

    @Test
    void keysWithFutureTtlsStayAndFeedTheAverageTtl() throws InterruptedException {
        try (Jedis j = server.jedis()) {
            fill(j, 2, 500, 0, 100_000);
            Thread.sleep(300);
            assertEquals(500, j.dbSize());
            long avg = onEngine(() -> engine().db(2).avgTtl);
            assertTrue(avg > 90_000 && avg <= 100_000, "avg_ttl " + avg);
        }
    }

    @Test
    void switchedOffItLeavesExpiredKeysToLazyExpiry() throws InterruptedException {
        onEngine(() -> engine().activeExpireEnabled = false);
        try (Jedis j = server.jedis()) {
            fill(j, 0, 200, 0, 20);
            Thread.sleep(300);
            assertEquals(200, j.dbSize());
            onEngine(() -> engine().activeExpireEnabled = true);
            assertEquals(0, waitForDbSize(j, 0, 5000));
        }
    }

    @Test
    void aRunStopsWhenItsTimeBudgetIsSpent() throws InterruptedException {
        onEngine(() -> engine().activeExpireEnabled = false);
        try (Jedis j = server.jedis()) {
            fill(j, 0, 20_000, 0, 10);
            Thread.sleep(50);
            long capBefore = onEngine(() -> engine().stats.expiredTimeCapReached);
            boolean finished = onEngine(() -> engine().activeExpiry.run(0));
            assertFalse(finished);
            assertEquals(capBefore + 1, (long) onEngine(() -> engine().stats.expiredTimeCapReached));
            long left = j.dbSize();
            assertTrue(left >= 20_000 - ActiveExpiry.KEYS_PER_LOOP && left < 20_000,
                    "a zero budget still does one batch, and only one: " + left);
            // Successive runs resume where the previous one stopped and finish the job.
            int runs = 0;
            while (!onEngine(() -> engine().activeExpiry.run(50_000_000L)) && runs < 1000) runs++;
            assertEquals(0, j.dbSize());
        }
    }

    /** The figure, on a server with the default hz 10: nothing reads these keys again. */
    @Test
    void aHundredThousandKeysWith100msTtlsAreGoneWithinSeconds() throws InterruptedException {
        try (TestServer fresh = TestServer.start(); Jedis j = fresh.jedis()) {
            Pipeline p = j.pipelined();
            for (int i = 0; i < 100_000; i++) p.set("t:" + i, "x", SetParams.setParams().px(100));
            p.sync();
            long start = System.nanoTime();
            assertEquals(0, waitForDbSize(j, 0, 10_000));
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertTrue(seconds < 5, "took " + seconds + " s");
            String stats = j.info("stats");
            assertTrue(stats.contains("expired_keys:100000"), stats);
            assertTrue(!stats.contains("expire_cycle_cpu_milliseconds:0\r"), "the cycles' time is counted");
        }
    }

    /**
     * While a quarter of the dataset expires, GETs of the other keys keep being served: the
     * cycle works in bounded steps (25 ms per cron tick at hz 10, 1 ms fast cycles between), so
     * no request waits behind the whole backlog of expired keys.
     */
    @Test
    void getsKeepBeingServedWhileAQuarterOfTheKeysExpire() throws InterruptedException {
        try (TestServer fresh = TestServer.start(); Jedis j = fresh.jedis(); Jedis loader = fresh.jedis()) {
            Pipeline p = loader.pipelined();
            for (int i = 0; i < 300_000; i++) p.set("keep:" + i, "v");
            for (int i = 0; i < 100_000; i++) p.set("gone:" + i, "v", SetParams.setParams().px(200));
            p.sync();
            long[] baseline = getLatencies(j, 2_000);
            Thread.sleep(200); // the TTLs pass: the cycle now has 100,000 keys to reclaim
            long[] during = getLatencies(j, 4_000);
            long p99Base = baseline[baseline.length * 99 / 100], p99During = during[during.length * 99 / 100];
            assertTrue(p99During < 50_000_000L,
                    "p99 GET latency while expiring: " + p99During / 1000 + " µs (before: " + p99Base / 1000 + " µs)");
            assertEquals(300_000, waitForDbSize(j, 300_000, 10_000));
            double stale = Double.parseDouble(j.info("stats").split("expired_stale_perc:")[1].split("\r")[0]);
            assertTrue(stale > 0, "the stale estimate saw the expired keys: " + stale);
        }
    }

    private static long[] getLatencies(Jedis j, int n) {
        long[] lat = new long[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            j.get("keep:" + (i * 7919 % 300_000));
            lat[i] = System.nanoTime() - t;
        }
        java.util.Arrays.sort(lat);
        return lat;
    }
}
