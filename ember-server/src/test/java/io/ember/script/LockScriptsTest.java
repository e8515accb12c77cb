package io.ember.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.TestServer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The distributed-lock article's two scripts through Jedis, and Redisson's RLock (built entirely
 * on EVAL/EVALSHA) against Ember: lock, tryLock with wait and lease, reentrancy, unlock, watchdog
 * renewal and forced unlock. Also the bad-input cases: errors, deep recursion, EVAL_RO writes.
 */
class LockScriptsTest {
    private static TestServer server;

    static final String ACQUIRE = "if redis.call('setnx', KEYS[1], ARGV[1]) == 1 then "
            + "redis.call('pexpire', KEYS[1], ARGV[2]) return 1 else return 0 end";
    static final String ACQUIRE_SET = "return redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])";
    static final String RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then "
            + "return redis.call('del', KEYS[1]) else return 0 end";

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void articleScripts() {
        try (Jedis j = server.jedis()) {
            assertEquals(1L, j.eval(ACQUIRE, List.of("lock:a"), List.of("owner1", "10000")));
            assertEquals(0L, j.eval(ACQUIRE, List.of("lock:a"), List.of("owner2", "10000")));
            assertTrue(j.pttl("lock:a") > 9000);
            assertEquals(0L, j.eval(RELEASE, List.of("lock:a"), List.of("owner2")));
            assertEquals("owner1", j.get("lock:a"));
            assertEquals(1L, j.eval(RELEASE, List.of("lock:a"), List.of("owner1")));
            assertFalse(j.exists("lock:a"));

            assertEquals("OK", j.eval(ACQUIRE_SET, List.of("lock:b"), List.of("t1", "5000")));
            assertNull(j.eval(ACQUIRE_SET, List.of("lock:b"), List.of("t2", "5000")));
            String sha = j.scriptLoad(RELEASE);
            assertEquals(0L, j.evalsha(sha, List.of("lock:b"), List.of("t2")));
            assertEquals(1L, j.evalsha(sha, List.of("lock:b"), List.of("t1")));
        }
    }

    @Test
    void redissonLock() throws Exception {
        Config config = new Config();
        config.setLockWatchdogTimeout(1500);
        config.useSingleServer().setAddress("redis://127.0.0.1:" + server.port()).setConnectionMinimumIdleSize(1)
                .setConnectionPoolSize(4).setSubscriptionConnectionMinimumIdleSize(1).setSubscriptionConnectionPoolSize(2);
        RedissonClient redisson = Redisson.create(config);
        try {
            RLock lock = redisson.getLock("redisson:lock");
            lock.lock();
            assertTrue(lock.isLocked());
            assertTrue(lock.isHeldByCurrentThread());
            lock.lock(); // reentrant
            assertEquals(2, lock.getHoldCount());
            lock.unlock();
            assertTrue(lock.isLocked());
            // the watchdog keeps renewing the 1.5 s lease while we hold it
            Thread.sleep(3000);
            assertTrue(lock.isLocked());
            assertTrue(lock.remainTimeToLive() > 0);
            // another thread cannot take it within its wait time
            Thread other = new Thread(() -> {
                try {
                    assertFalse(lock.tryLock(200, 1000, TimeUnit.MILLISECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            other.start();
            other.join();
            lock.unlock();
            assertFalse(lock.isLocked());

            // tryLock with wait and lease: the lease expires by itself
            assertTrue(lock.tryLock(1, 1, TimeUnit.SECONDS));
            long ttl = lock.remainTimeToLive();
            assertTrue(ttl > 0 && ttl <= 1000, "ttl " + ttl);
            Thread.sleep(1300);
            assertFalse(lock.isLocked());

            // a waiter gets the lock when the holder unlocks (pub/sub wake-up)
            lock.lock();
            boolean[] got = new boolean[1];
            Thread waiter = new Thread(() -> {
                try {
                    got[0] = lock.tryLock(5, 10, TimeUnit.SECONDS);
                    if (got[0]) lock.unlock();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            waiter.start();
            Thread.sleep(200);
            lock.unlock();
            waiter.join();
            assertTrue(got[0]);

            // forced unlock from a thread that does not hold it
            lock.lock();
            Thread forcer = new Thread(() -> assertTrue(lock.forceUnlock()));
            forcer.start();
            forcer.join();
            assertFalse(lock.isLocked());
        } finally {
            redisson.shutdown();
        }
    }

    @Test
    void badInputLeavesTheServerServing() {
        try (Jedis j = server.jedis()) {
            JedisDataException e = assertThrows(JedisDataException.class, () -> j.eval("return 1 +"));
            assertTrue(e.getMessage().startsWith("ERR Error compiling script (new function): user_script:1:"), e.getMessage());
            e = assertThrows(JedisDataException.class, () -> j.eval("local t = nil return t.x"));
            assertTrue(e.getMessage().startsWith("ERR user_script:1: attempt to index local 't' (a nil value)"), e.getMessage());
            e = assertThrows(JedisDataException.class, () -> j.eval("local function r(n) return 1 + r(n + 1) end return r(1)"));
            assertTrue(e.getMessage().contains("stack overflow"), e.getMessage());
            e = assertThrows(JedisDataException.class, () -> j.evalReadonly("return redis.call('set', KEYS[1], 'v')",
                    List.of("ro"), List.of()));
            assertTrue(e.getMessage().startsWith("ERR Write commands are not allowed from read-only scripts."), e.getMessage());
            assertFalse(j.exists("ro"));
            assertEquals("PONG", j.ping());
            assertEquals(3L, j.eval("return 3"));
        }
    }
}
