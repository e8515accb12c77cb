package io.ember.persist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.FreePort;
import io.ember.testing.TestServer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Loading at start-up happens while clients can connect: commands that need data get -LOADING,
 * INFO says loading:1 with progress, and once loaded everything is there.
 */
class LoadingTest {
    @TempDir
    Path dir;

    @Test
    void clientsGetLoadingErrorsUntilTheDumpIsLoaded() throws Exception {
        try (TestServer s = TestServer.start("--dir", dir.toString()); Jedis j = s.jedis()) {
            Pipeline p = j.pipelined();
            for (int i = 0; i < 3000; i++) p.set("k" + i, "v" + i);
            p.sync();
            assertEquals("OK", j.save());
        }
        int port = FreePort.find();
        // 1 ms per key: three seconds of loading.
        CompletableFuture<TestServer> starting = CompletableFuture.supplyAsync(() -> TestServer.start(
                "--dir", dir.toString(), "--port", Integer.toString(port), "--key-load-delay", "1000"));
        try (Jedis j = connectWhenListening(port)) {
            JedisDataException e = assertThrows(JedisDataException.class, () -> j.get("k1"));
            assertEquals("LOADING Redis is loading the dataset in memory", e.getMessage());
            assertThrows(JedisDataException.class, j::ping);
            String info = j.info("persistence");
            assertTrue(info.contains("loading:1"), info);
            assertTrue(info.contains("loading_total_bytes:"), info);
            try (TestServer s = starting.get(60, TimeUnit.SECONDS)) {
                assertEquals("PONG", j.ping());
                assertEquals("v2999", j.get("k2999"));
                assertEquals(3000, j.dbSize());
                info = j.info("persistence");
                assertTrue(info.contains("loading:0") && info.contains("rdb_last_load_keys_loaded:3000"), info);
            }
        }
    }

    private static Jedis connectWhenListening(int port) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            try {
                Jedis j = new Jedis("127.0.0.1", port, 10_000);
                j.info("server");
                return j;
            } catch (RuntimeException e) {
                if (System.currentTimeMillis() > deadline) throw e;
                Thread.sleep(5);
            }
        }
    }
}
