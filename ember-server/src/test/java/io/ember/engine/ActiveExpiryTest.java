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
}
