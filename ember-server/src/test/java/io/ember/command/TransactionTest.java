package io.ember.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ember.testing.Differential;
import io.ember.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;

class TransactionTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void watchedKeyChangedByAnotherClientMakesExecReturnNull() {
        try (Jedis a = server.jedis(); Jedis b = server.jedis()) {
            a.set("balance", "100");
            a.watch("balance");
            b.set("balance", "50");
            Transaction tx = a.multi();
            tx.set("balance", "90");
            assertNull(tx.exec());
            assertEquals("50", a.get("balance"));
        }
    }

    @Test
    void unchangedWatchLetsExecRun() {
        try (Jedis a = server.jedis()) {
            a.set("k1", "1");
            a.watch("k1");
            Transaction tx = a.multi();
            tx.set("k1", "2");
            tx.get("k1");
            List<Object> r = tx.exec();
            assertEquals(List.of("OK", "2"), r);
        }
    }

    @Test
    void transactionsMatchRedis() {
        try (Differential d = new Differential()) {
            int other = d.newConnection();
            d.check("set", "x", "1");
            d.check("watch", "x");
            d.on(other, Differential.Mode.EXACT, "set", "x", "2");
            d.check("multi");
            d.check("set", "x", "3");
            d.check("exec");
            d.check("multi");
            d.check("set", "x");
            d.check("nosuchcommand");
            d.check("exec");
            d.check("multi");
            d.check("multi");
            d.check("watch", "x");
            d.check("discard");
            d.check("exec");
            d.check("discard");
            d.check("multi");
            d.check("set", "x", "5");
            d.check("get", "x");
            d.check("exec");
            d.assertNoDivergence();
        }
    }
}
