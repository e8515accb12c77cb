package io.ember.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.Await;
import io.ember.testing.TestServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.support.caching.CacheAccessor;
import io.lettuce.core.support.caching.CacheFrontend;
import io.lettuce.core.support.caching.ClientSideCaching;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Client-side caching as an application uses it: Lettuce's ClientSideCaching front end keeps
 * values in a local map and drops them when Ember's invalidation pushes arrive; the tracking
 * table stays within tracking-table-max-keys by invalidating keys.
 */
class ClientSideCachingTest {


    @Test
    void lettuceClientSideCacheSeesInvalidations() throws Exception {
        try (TestServer server = TestServer.start(); Jedis writer = server.jedis()) {
            RedisClient client = RedisClient.create(server.uri());
            try (StatefulRedisConnection<String, String> conn = client.connect()) { // RESP3 by default
                Map<String, String> local = new ConcurrentHashMap<>();
                CacheFrontend<String, String> cache =
                        ClientSideCaching.enable(CacheAccessor.forMap(local), conn, TrackingArgs.Builder.enabled());
                writer.set("product:1", "v1");
                assertEquals("v1", cache.get("product:1"));
                assertEquals("v1", local.get("product:1"), "kept locally after the first read");
                assertTrue(writer.clientList().contains("flags=t"), "the connection is tracking");

                writer.set("product:1", "v2");
                Await.until(() -> !local.containsKey("product:1"), "the invalidation reached the local cache", 5);
                assertEquals("v2", cache.get("product:1"));

                writer.del("product:1");
                Await.until(() -> !local.containsKey("product:1"), "DEL invalidates", 5);
                writer.set("product:1", "v3");
                assertEquals("v3", cache.get("product:1"));
                // (FLUSHALL sends a null invalidation, as Redis does — TrackingDifferentialTest —
                // which Lettuce's front end does not act on.)
                cache.close();
            } finally {
                client.shutdown();
            }
        }
    }

    @Test
    void theTrackingTableIsBoundedByTrackingTableMaxKeys() throws Exception {
        try (TestServer server = TestServer.start(); Jedis admin = server.jedis()) {
            admin.configSet("tracking-table-max-keys", "100");
            RedisClient client = RedisClient.create(server.uri());
            try (StatefulRedisConnection<String, String> conn = client.connect()) {
                Map<String, String> local = new ConcurrentHashMap<>();
                CacheFrontend<String, String> cache =
                        ClientSideCaching.enable(CacheAccessor.forMap(local), conn, TrackingArgs.Builder.enabled());
                for (int i = 0; i < 1000; i++) admin.set("k" + i, "v" + i);
                for (int i = 0; i < 1000; i++) cache.get("k" + i);
                // Over the limit, the server invalidates keys (the cron and each broadcast round
                // trim it) and the client drops them: both sides end at or under the limit.
                Await.until(() -> trackedKeys(admin) <= 100, "the table is trimmed to tracking-table-max-keys", 5);
                Await.until(() -> local.size() <= 110, "the client dropped what the server stopped tracking", 5);
                assertFalse(local.isEmpty());
                cache.close();
            } finally {
                client.shutdown();
            }
        }
    }

    private static long trackedKeys(Jedis j) {
        for (String line : j.info("stats").split("\r\n")) {
            if (line.startsWith("tracking_total_keys:")) return Long.parseLong(line.substring(20));
        }
        throw new AssertionError("no tracking_total_keys in INFO");
    }
}
