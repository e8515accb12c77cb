package io.ember.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;

/**
 * The optimistic-lock pattern from the WATCH article: read a counter under WATCH, compute the new
 * value in the client, write it in MULTI/EXEC, retry when EXEC returns null. With 8 clients
 * racing, every increment must land exactly once.
 */
class OptimisticLockConcurrencyTest {
    static final int CLIENTS = 8;
    static final int INCREMENTS_PER_CLIENT = 500;

    @Test
    void eightClientsRetryingWatchedIncrementsEndWithTheExactTotal() throws Exception {
        try (TestServer server = TestServer.start()) {
            try (Jedis j = server.jedis()) {
                j.set("counter", "0");
            }
            AtomicLong aborted = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                done.add(pool.submit(() -> {
                    try (Jedis j = server.jedis()) {
                        for (int n = 0; n < INCREMENTS_PER_CLIENT; n++) {
                            while (true) {
                                j.watch("counter");
                                long value = Long.parseLong(j.get("counter"));
                                Transaction tx = j.multi();
                                tx.set("counter", Long.toString(value + 1));
                                if (tx.exec() != null) break;
                                aborted.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get(120, TimeUnit.SECONDS);
            pool.shutdown();
            try (Jedis j = server.jedis()) {
                assertEquals(Long.toString(CLIENTS * INCREMENTS_PER_CLIENT), j.get("counter"));
            }
            // Contention must actually have happened, or the test proved nothing about WATCH.
            System.out.println("aborted transactions (retried): " + aborted.get());
            org.junit.jupiter.api.Assertions.assertTrue(aborted.get() > 0, "no EXEC was ever aborted");
        }
    }
}
