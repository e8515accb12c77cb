package io.ember.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.Differential;
import io.ember.testing.RawConnection;
import io.ember.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * BZPOPMIN, BZPOPMAX and BZMPOP: parked clients, woken by the creation of a sorted set in FIFO
 * order, timeouts, MULTI/EXEC (never blocks inside; a transaction wakes clients only once it has
 * run as a whole). Each scenario runs the same commands on redis-server and on Ember with raw
 * connections (a blocked command's reply is read only after the wake-up) and compares bytes.
 */
class SortedSetBlockingTest {
    static Differential d;

    @BeforeAll
    static void start() {
        d = new Differential();
    }

    @AfterAll
    static void stop() {
        d.close();
    }

    /** One client per server, opened for a scenario. */
    private static final class Pair implements AutoCloseable {
        final RawConnection redis = d.redis().raw(), ember = d.ember().raw();

        Pair resp3() {
            redis.call("hello", "3");
            ember.call("hello", "3");
            return this;
        }

        /** Sends without reading (the command may block). */
        void send(String... args) {
            byte[] req = RawConnection.encode(RawConnection.args(args));
            redis.send(req);
            ember.send(req);
        }

        /** Reads one reply from each and checks they are equal; returns Ember's. */
        String read() {
            byte[] r = redis.readReply(), e = ember.readReply();
            assertEquals(show(r), show(e));
            return show(e);
        }

        String call(String... args) {
            send(args);
            return read();
        }

        @Override
        public void close() {
            redis.close();
            ember.close();
        }
    }

    private static String show(byte[] b) {
        return Differential.show(b);
    }

    /** Waits until both servers count {@code n} blocked clients (INFO clients). */
    private static void awaitBlocked(int n) {
        long deadline = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < deadline) {
            if (blocked(d.redis().raw()) == n && blocked(d.ember().raw()) == n) return;
            sleep(5);
        }
        throw new AssertionError("clients did not block: redis " + blocked(d.redis().raw()) + ", ember " + blocked(d.ember().raw()));
    }

    private static long blocked(RawConnection c) {
        try (c) {
            String info = new String(c.call("info", "clients"), StandardCharsets.ISO_8859_1);
            int i = info.indexOf("blocked_clients:") + "blocked_clients:".length();
            return Long.parseLong(info.substring(i, info.indexOf('\r', i)));
        }
    }

    private static void sleep(long ms) {
        try {
            TimeUnit.MILLISECONDS.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void popsAtOnceWhenAMemberIsThere() {
        try (Pair a = new Pair(); Pair b = new Pair().resp3()) {
            a.call("zadd", "b:now", "1", "x", "2", "y", "3", "z");
            assertEquals("*3\\r\\n$5\\r\\nb:now\\r\\n$1\\r\\nx\\r\\n$1\\r\\n1\\r\\n", a.call("bzpopmin", "b:none", "b:now", "0"));
            a.call("bzpopmax", "b:now", "1");
            b.call("bzpopmin", "b:now", "0");
            a.call("zadd", "b:now", "1", "x", "2", "y", "3", "z");
            a.call("bzmpop", "0", "2", "b:none", "b:now", "max", "count", "2");
            b.call("bzmpop", "0", "1", "b:now", "min", "count", "5");
            a.call("exists", "b:now");
        }
    }

    @Test
    void blockedClientsAreServedInArrivalOrder() {
        try (Pair c1 = new Pair(); Pair c2 = new Pair().resp3(); Pair c3 = new Pair(); Pair w = new Pair()) {
            c1.send("bzpopmin", "b:fifo", "0");
            awaitBlocked(1);
            c2.send("bzpopmin", "b:other", "b:fifo", "0");
            awaitBlocked(2);
            c3.send("bzmpop", "0", "1", "b:fifo", "max", "count", "2");
            awaitBlocked(3);
            // Three members: the first client takes the lowest, the second the next, the third the last.
            w.call("zadd", "b:fifo", "1", "a", "2", "b", "3", "c");
            String r1 = c1.read(), r2 = c2.read(), r3 = c3.read();
            assertTrue(r1.contains("$1\\r\\na\\r\\n"), r1);
            assertTrue(r2.contains("$1\\r\\nb\\r\\n"), r2);
            assertTrue(r2.startsWith("*3"), r2);
            assertTrue(r3.contains("$1\\r\\nc\\r\\n"), r3);
            awaitBlocked(0);
            w.call("exists", "b:fifo");
        }
    }

    @Test
    void aSmallSetServesOnlyTheFirstWaiters() {
        try (Pair c1 = new Pair(); Pair c2 = new Pair(); Pair w = new Pair()) {
            c1.send("bzpopmax", "b:one", "0");
            awaitBlocked(1);
            c2.send("bzpopmax", "b:one", "0.3");
            awaitBlocked(2);
            w.call("zadd", "b:one", "5", "only");
            c1.read();
            c2.read(); // times out: null array
            awaitBlocked(0);
        }
    }

    @Test
    void timeoutsAnswerTheNullArray() {
        try (Pair a = new Pair(); Pair b = new Pair().resp3()) {
            long start = System.nanoTime();
            assertEquals("*-1\\r\\n", a.call("bzpopmin", "b:t", "0.2"));
            assertEquals("_\\r\\n", b.call("bzpopmax", "b:t1", "b:t2", "0.05"));
            assertEquals("*-1\\r\\n", a.call("bzmpop", "0.05", "2", "b:t1", "b:t2", "min"));
            assertEquals("_\\r\\n", b.call("bzmpop", "0.05", "1", "b:t1", "max", "count", "3"));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(200));
            // the timeout is parsed first, and checked as Redis does
            a.call("bzpopmin", "b:t", "-1");
            a.call("bzpopmin", "b:t", "abc");
            a.call("bzpopmin", "b:t", "inf");
            a.call("bzpopmin", "b:t", "1e300");
            a.call("bzmpop", "-1", "1", "b:t", "min");
            a.call("bzmpop", "0", "0", "b:t", "min"); // numkeys before the timeout
        }
    }

    @Test
    void insideMultiNothingBlocks() {
        try (Pair a = new Pair(); Pair b = new Pair().resp3()) {
            for (Pair p : List.of(a, b)) {
                p.call("multi");
                p.call("bzpopmin", "b:m", "0");
                p.call("bzmpop", "0", "1", "b:m", "min");
                p.call("zadd", "b:m", "1", "a");
                p.call("bzpopmax", "b:m", "0");
                p.call("exec");
            }
        }
    }

    @Test
    void aTransactionWakesClientsOnlyAfterExec() {
        try (Pair c1 = new Pair(); Pair c2 = new Pair(); Pair w = new Pair()) {
            c1.send("bzpopmin", "b:tx", "0");
            awaitBlocked(1);
            c2.send("bzpopmin", "b:tx", "0");
            awaitBlocked(2);
            w.call("multi");
            w.call("zadd", "b:tx", "1", "a", "2", "b", "3", "c");
            w.call("zrem", "b:tx", "a");
            w.call("zincrby", "b:tx", "10", "b");
            w.call("exec");
            // served with the state after EXEC: c (3), then b (12)
            assertTrue(c1.read().contains("$1\\r\\nc\\r\\n"));
            assertTrue(c2.read().contains("$1\\r\\nb\\r\\n"));
            w.call("exists", "b:tx");
        }
    }

    @Test
    void aTransactionThatEmptiesTheSetWakesNobody() {
        try (Pair c1 = new Pair(); Pair w = new Pair()) {
            c1.send("bzpopmax", "b:gone", "0");
            awaitBlocked(1);
            w.call("multi");
            w.call("zadd", "b:gone", "1", "a");
            w.call("zrem", "b:gone", "a");
            w.call("exec");
            sleep(50);
            awaitBlocked(1);
            w.call("zadd", "b:gone", "7", "late");
            c1.read();
        }
    }

    @Test
    void storeCommandsCreatingTheKeyWakeWaiters() {
        try (Pair c1 = new Pair(); Pair c2 = new Pair(); Pair w = new Pair()) {
            w.call("zadd", "b:src", "1", "a", "2", "b");
            c1.send("bzpopmin", "b:dst1", "0");
            c2.send("bzmpop", "0", "1", "b:dst2", "max", "count", "5");
            awaitBlocked(2);
            w.call("zunionstore", "b:dst1", "1", "b:src");
            c1.read();
            w.call("zrangestore", "b:dst2", "b:src", "0", "-1");
            c2.read();
        }
    }

    @Test
    void disconnectingWhileBlockedForgetsTheClient() {
        try (Pair w = new Pair()) {
            Pair c1 = new Pair();
            c1.send("bzpopmin", "b:dc", "0");
            awaitBlocked(1);
            c1.close();
            awaitBlocked(0);
            w.call("zadd", "b:dc", "1", "a");
            w.call("zcard", "b:dc");
        }
    }

    /** A key of another type created where a BZPOPMIN waits does not serve it (Redis serves only sorted sets). */
    @Test
    void anotherTypeAtTheKeyKeepsTheClientWaiting() {
        try (TestServer s = TestServer.start(); RawConnection c = s.raw(); RawConnection w = s.raw()) {
            c.send(RawConnection.encode(RawConnection.args("bzpopmin", "k", "0")));
            long deadline = System.currentTimeMillis() + 5000;
            while (EngineProbe.onEngine(s, () -> s.server().engine().blocking.blockedClients()) != 1) {
                assertTrue(System.currentTimeMillis() < deadline);
                sleep(5);
            }
            EngineProbe.putList(s, "k"); // creating a list signals the key
            assertArrayEquals(b("+list\r\n"), w.call("type", "k"));
            sleep(100);
            assertEquals(0, c.socket().getInputStream().available()); // still waiting, no reply
            assertEquals(1, (int) EngineProbe.onEngine(s, () -> s.server().engine().blocking.blockedClients()));
            w.call("del", "k");
            w.call("zadd", "k", "4", "m");
            c.socket().setSoTimeout(5000);
            assertArrayEquals(b("*3\r\n$1\r\nk\r\n$1\r\nm\r\n$1\r\n4\r\n"), c.readReply());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Many clients on several keys, members added in one pipeline: every client gets exactly one member. */
    @Test
    void manyClientsManyKeys() {
        List<Pair> clients = new ArrayList<>();
        try (Pair w = new Pair()) {
            for (int i = 0; i < 12; i++) {
                Pair p = new Pair();
                clients.add(p);
                p.send("bzpopmin", "b:k" + (i % 3), "b:k" + ((i + 1) % 3), "0");
                awaitBlocked(i + 1);
            }
            for (int i = 0; i < 12; i++) w.call("zadd", "b:k" + (i % 3), Integer.toString(i), "m" + i);
            for (Pair p : clients) p.read();
            awaitBlocked(0);
            for (int i = 0; i < 3; i++) w.call("zrange", "b:k" + i, "0", "-1", "withscores");
        } finally {
            clients.forEach(Pair::close);
        }
    }
}
