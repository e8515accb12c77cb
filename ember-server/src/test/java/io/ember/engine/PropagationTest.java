package io.ember.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;

/**
 * The propagation core seen from a listener on a real server: which commands reach it, in which
 * database, and when MULTI/EXEC wraps them. (What each command is rewritten to is checked against
 * Redis's own AOF by the AOF tests.)
 */
class PropagationTest {
    static TestServer server;
    static final List<String> fed = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        Engine e = server.server().engine();
        e.loop().submit(() -> e.propagation.addListener((db, argv, argc) -> {
            StringBuilder sb = new StringBuilder().append(db).append(':');
            for (int i = 0; i < argc; i++) sb.append(i == 0 ? "" : " ").append(new String(argv[i], StandardCharsets.UTF_8));
            synchronized (fed) {
                fed.add(sb.toString());
            }
        })).get();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void clear() {
        try (Jedis j = server.jedis()) {
            j.flushAll();
        }
        synchronized (fed) {
            fed.clear();
        }
    }

    private static List<String> fed() {
        synchronized (fed) {
            return List.copyOf(fed);
        }
    }

    @Test
    void writesThatChangeDataArePropagatedReadsAndNoOpsAreNot() {
        try (Jedis j = server.jedis()) {
            j.set("a", "1");
            j.get("a");
            j.del("missing");
            j.select(3);
            j.incr("n");
        }
        assertEquals(List.of("0:SET a 1", "3:INCR n"), fed());
    }

    @Test
    void execWrapsItsWritesInMultiExecAndIsNotPropagatedItself() {
        try (Jedis j = server.jedis()) {
            Transaction t = j.multi();
            t.set("x", "1");
            t.get("x");
            t.incr("y");
            t.exec();
            t = j.multi();
            t.set("only", "1");
            t.exec();
        }
        assertEquals(List.of("0:MULTI", "0:SET x 1", "0:INCR y", "0:EXEC", "0:SET only 1"), fed());
    }

    private static void setActiveExpire(boolean on) throws Exception {
        Engine e = server.server().engine();
        e.loop().submit(() -> e.activeExpireEnabled = on).get();
    }

    @Test
    void lazyExpiryPropagatesADelBeforeTheCommandThatFoundTheKeyExpired() throws Exception {
        try (Jedis j = server.jedis()) {
            setActiveExpire(false);
            try {
                j.psetex("k", 1, "v");
                Thread.sleep(20);
                j.set("k", "new");
            } finally {
                setActiveExpire(true);
            }
        }
        List<String> fed = fed();
        // PSETEX goes out as SET PXAT <absolute ms> (checked against Redis's AOF in io.ember.propagation)
        org.junit.jupiter.api.Assertions.assertTrue(fed.get(0).startsWith("0:SET k v PXAT "), fed.toString());
        assertEquals(List.of("0:MULTI", "0:DEL k", "0:SET k new", "0:EXEC"), fed.subList(1, fed.size()));
    }
}
