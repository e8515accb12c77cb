package io.ember.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.TestServer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * maxmemory and the eight policies, checked for what users rely on, statistically where the
 * policy is an approximation: recently read keys survive allkeys-lru, frequently read keys
 * survive allkeys-lfu, volatile-* never touch keys without a TTL, volatile-ttl takes the nearest
 * expiries first, noeviction refuses writes but serves reads and DEL; used_memory stays at
 * maxmemory under a sustained write load; evictions are counted and notified.
 */
class EvictionTest {
    private static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";
    private static final String VALUE = "v".repeat(100);

    private static long usedMemory(Jedis j) {
        return infoField(j, "memory", "used_memory");
    }

    private static long infoField(Jedis j, String section, String field) {
        for (String line : j.info(section).split("\r\n")) {
            if (line.startsWith(field + ":")) return Long.parseLong(line.substring(field.length() + 1));
        }
        throw new AssertionError("no " + field);
    }

    private static void load(Jedis j, String prefix, int n, long ttlSeconds) {
        Pipeline p = j.pipelined();
        for (int i = 0; i < n; i++) {
            if (ttlSeconds > 0) p.setex(prefix + i, ttlSeconds + i, VALUE);
            else p.set(prefix + i, VALUE);
        }
        p.sync();
    }

    private static int survivors(Jedis j, String prefix, int from, int to) {
        Pipeline p = j.pipelined();
        var replies = new java.util.ArrayList<redis.clients.jedis.Response<Boolean>>();
        for (int i = from; i < to; i++) replies.add(p.exists(prefix + i));
        p.sync();
        int n = 0;
        for (var r : replies) if (r.get()) n++;
        return n;
    }

    /** Fills past the limit with new keys (each write first evicts what is needed). */
    private static void pressure(Jedis j, String prefix, int n) {
        load(j, prefix, n, 0);
    }

    @Test
    void noevictionRefusesWritesButServesReadsAndDel() {
        try (TestServer s = TestServer.start(); Jedis j = s.jedis()) {
            load(j, "k", 2000, 0);
            j.configSet("maxmemory", Long.toString(usedMemory(j) + 50_000));
            JedisDataException e = assertThrows(JedisDataException.class, () -> {
                for (int i = 0; i < 10_000; i++) j.set("more" + i, VALUE);
            });
            assertEquals(OOM, e.getMessage());
            assertEquals(VALUE, j.get("k1"), "reads are served");
            assertThrows(JedisDataException.class, () -> j.lpush("list", "x"), "every denyoom write is refused");
            j.del("k1", "k2", "k3"); // DEL is not denyoom and frees memory
            for (int i = 0; i < 2000; i++) j.del("k" + i);
            assertEquals("OK", j.set("after", "delete"));
            assertEquals(0, infoField(j, "stats", "evicted_keys"));
            j.configSet("maxmemory", "0");
        }
    }

    @Test
    void allkeysLruKeepsRecentlyReadKeys() throws InterruptedException {
        try (TestServer s = TestServer.start(); Jedis j = s.jedis()) {
            j.configSet("maxmemory-policy", "allkeys-lru");
            load(j, "k", 10_000, 0);
            Thread.sleep(2_100); // the LRU clock counts seconds, as Redis's
            Pipeline p = j.pipelined();
            for (int i = 0; i < 5_000; i++) p.get("k" + i); // the first half is recently used
            p.sync();
            j.configSet("maxmemory", Long.toString(usedMemory(j)));
            pressure(j, "new", 4_000);
            int hot = survivors(j, "k", 0, 5_000), cold = survivors(j, "k", 5_000, 10_000);
            assertTrue(hot > 4_500 && cold < hot / 2, "recently read kept: " + hot + ", others: " + cold);
            assertTrue(infoField(j, "stats", "evicted_keys") >= 3_000);
        }
    }

    @Test
    void allkeysLfuKeepsFrequentlyReadKeys() {
        try (TestServer s = TestServer.start(); Jedis j = s.jedis()) {
            j.configSet("maxmemory-policy", "allkeys-lfu");
            j.configSet("lfu-log-factor", "0"); // every access counts, so the test is short
            load(j, "k", 10_000, 0);
            Pipeline p = j.pipelined();
            for (int round = 0; round < 20; round++) for (int i = 0; i < 2_000; i++) p.get("k" + i);
            p.sync();
            j.configSet("maxmemory", Long.toString(usedMemory(j)));
            pressure(j, "new", 4_000);
            int frequent = survivors(j, "k", 0, 2_000), rare = survivors(j, "k", 2_000, 10_000);
            assertTrue(frequent > 1_900, "frequently read kept: " + frequent + " of 2000");
            assertTrue(rare < 8_000 * 0.7, "rarely read evicted: " + rare + " of 8000 left");
        }
    }

    @Test
    void volatilePoliciesNeverEvictKeysWithoutTtl() {
        for (String policy : new String[] {"volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"}) {
            try (TestServer s = TestServer.start(); Jedis j = s.jedis()) {
                j.configSet("maxmemory-policy", policy);
                load(j, "persistent", 3_000, 0);
                load(j, "volatile", 3_000, 1_000);
                j.configSet("maxmemory", Long.toString(usedMemory(j)));
                pressure(j, "new", 2_000); // no TTL: only volatile keys can make room
                assertEquals(3_000, survivors(j, "persistent", 0, 3_000), policy);
                assertTrue(survivors(j, "volatile", 0, 3_000) < 1_500, policy);
                // With no volatile key left, writes are refused.
                JedisDataException e = assertThrows(JedisDataException.class, () -> {
                    for (int i = 0; i < 10_000; i++) j.set("more" + i, VALUE);
                }, policy);
                assertTrue(e.getMessage().startsWith("OOM"), e.getMessage());
                assertEquals(3_000, survivors(j, "persistent", 0, 3_000), policy);
            }
        }
    }

    @Test
    void volatileTtlEvictsTheNearestExpiriesFirst() {
        try (TestServer s = TestServer.start(); Jedis j = s.jedis()) {
            j.configSet("maxmemory-policy", "volatile-ttl");
            load(j, "t", 8_000, 1_000); // TTL 1000 + i seconds: the lower i, the sooner it expires
            j.configSet("maxmemory", Long.toString(usedMemory(j)));
            pressure(j, "new", 2_000);
            int soonest = survivors(j, "t", 0, 2_000), latest = survivors(j, "t", 6_000, 8_000);
            assertTrue(soonest < 1_000 && latest > 1_900, "soonest kept " + soonest + ", latest kept " + latest);
        }
    }

    @Test
    void randomPoliciesStayWithinTheLimit() {
        for (String policy : new String[] {"allkeys-random", "volatile-random"}) {
            try (TestServer s = TestServer.start(); Jedis j = s.jedis()) {
                j.configSet("maxmemory-policy", policy);
                load(j, "v", 5_000, 1_000);
                long max = usedMemory(j);
                j.configSet("maxmemory", Long.toString(max));
                pressure(j, policy.startsWith("allkeys") ? "new" : "n", 1); // one write over the limit
                load(j, "w", 3_000, 1_000);
                assertTrue(usedMemory(j) <= max + 1_000, policy + ": " + usedMemory(j) + " > " + max);
                assertTrue(infoField(j, "stats", "evicted_keys") > 2_000, policy);
            }
        }
    }

    @Test
    void usedMemoryStaysAtMaxmemoryUnderASustainedWriteLoad() {
        try (TestServer s = TestServer.start(); Jedis j = s.jedis(); Jedis watcher = s.jedis()) {
            j.configSet("maxmemory-policy", "allkeys-lru");
            j.configSet("maxmemory", "4mb");
            long max = 4L << 20, highest = 0;
            for (int batch = 0; batch < 50; batch++) {
                load(j, "b" + batch + ":", 1_000, 0); // 50,000 keys of ~200 bytes: 2.5× the limit
                highest = Math.max(highest, usedMemory(watcher));
            }
            assertTrue(highest <= max * 1.03, "used_memory peaked at " + highest + " for maxmemory " + max);
            assertTrue(usedMemory(watcher) >= max * 0.9, "and stays near it: " + usedMemory(watcher));
        }
    }

    @Test
    void evictedKeysAreNotified() throws Exception {
        try (TestServer s = TestServer.start(); Jedis j = s.jedis(); Jedis sub = s.jedis()) {
            j.configSet("notify-keyspace-events", "Ee");
            BlockingQueue<String> evicted = new LinkedBlockingQueue<>();
            JedisPubSub listener = new JedisPubSub() {
                @Override
                public void onMessage(String channel, String message) {
                    evicted.add(message);
                }
            };
            Thread t = new Thread(() -> sub.subscribe(listener, "__keyevent@0__:evicted"));
            t.start();
            while (j.pubsubNumSub("__keyevent@0__:evicted").get("__keyevent@0__:evicted") == 0) Thread.sleep(10);
            j.configSet("maxmemory-policy", "allkeys-random");
            load(j, "k", 1_000, 0);
            j.configSet("maxmemory", Long.toString(usedMemory(j)));
            pressure(j, "new", 100);
            String first = evicted.poll(5, TimeUnit.SECONDS);
            assertTrue(first != null && (first.startsWith("k") || first.startsWith("new")), "evicted: " + first);
            long evictedKeys = infoField(j, "stats", "evicted_keys");
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (evicted.size() + 1L < evictedKeys && System.nanoTime() < deadline) Thread.sleep(10);
            assertEquals(evictedKeys, evicted.size() + 1L, "one event per evicted key");
            listener.unsubscribe();
            t.join(5_000);
        }
    }
}
