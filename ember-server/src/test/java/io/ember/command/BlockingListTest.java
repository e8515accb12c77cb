package io.ember.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.EmbeddedClient;
import io.ember.resp.RespValue;
import io.ember.testing.Differential;
import io.ember.testing.RawConnection;
import io.ember.testing.RedisServerProcess;
import io.ember.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ListDirection;

/**
 * Blocking list commands with several real clients. Each scenario is a script over named raw
 * connections (A, B, C block; D writes) that runs once against redis-server 7.0 and once against
 * Ember; the transcripts — every reply in the order each client received it, and which clients
 * were still waiting at each check — must be equal. A few properties are also asserted on
 * Ember's transcript directly, and one test blocks Jedis clients on threads.
 */
class BlockingListTest {
    static RedisServerProcess redis;
    static TestServer ember;

    @BeforeAll
    static void start() {
        redis = RedisServerProcess.start();
        ember = TestServer.start();
    }

    @AfterAll
    static void stop() {
        ember.close();
        redis.close();
    }

    /** Named connections to one server and the transcript of what they saw. */
    static final class Session implements AutoCloseable {
        final int port;
        final List<String> log = new ArrayList<>();
        final Map<String, RawConnection> conns = new LinkedHashMap<>();
        final RawConnection admin;

        Session(int port) {
            this.port = port;
            this.admin = new RawConnection("127.0.0.1", port);
            admin.call("flushall");
        }

        RawConnection conn(String name) {
            return conns.computeIfAbsent(name, n -> new RawConnection("127.0.0.1", port));
        }

        /** Sends a command and logs its reply. */
        void call(String name, String... args) {
            log.add(name + " " + String.join(" ", args) + " -> " + Differential.show(conn(name).call(args)));
        }

        /** Sends a command whose reply is not read yet (it blocks). */
        void send(String name, String... args) {
            conn(name).send(RawConnection.encode(RawConnection.args(args)));
        }

        /** Reads and logs the next reply of a client. */
        void read(String name) {
            log.add(name + " <- " + Differential.show(conn(name).readReply()));
        }

        /** Waits until the server counts {@code n} blocked clients (INFO blocked_clients). */
        void awaitBlocked(int n) {
            long deadline = System.currentTimeMillis() + 5000;
            while (blocked() != n) {
                if (System.currentTimeMillis() > deadline) throw new AssertionError("expected " + n + " blocked clients");
                sleep(5);
            }
            log.add("blocked " + n);
        }

        long dirty() {
            String info = new String(admin.call("info", "persistence"), StandardCharsets.ISO_8859_1);
            int at = info.indexOf("rdb_changes_since_last_save:");
            return Long.parseLong(info.substring(at + 28, info.indexOf('\r', at)).trim());
        }

        int blocked() {
            String info = new String(admin.call("info", "clients"), StandardCharsets.ISO_8859_1);
            int at = info.indexOf("blocked_clients:");
            return Integer.parseInt(info.substring(at + 16, info.indexOf('\r', at)).trim());
        }

        /** Logs whether a client has received anything within {@code ms}. */
        void quiet(String name, int ms) {
            sleep(ms);
            try {
                int available = conn(name).socket().getInputStream().available();
                log.add(name + (available == 0 ? " silent" : " has data"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void close(String name) {
            conns.remove(name).close();
            log.add(name + " closed");
        }

        @Override
        public void close() {
            conns.values().forEach(RawConnection::close);
            admin.close();
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs the script on both servers; returns Ember's transcript after checking it equals Redis's. */
    private static List<String> both(Consumer<Session> script) {
        List<String> expected, actual;
        try (Session s = new Session(redis.port())) {
            script.accept(s);
            expected = s.log;
        }
        try (Session s = new Session(ember.port())) {
            script.accept(s);
            actual = s.log;
        }
        assertEquals(String.join("\n", expected), String.join("\n", actual));
        return actual;
    }

    @Test
    void clientsOnTheSameKeyAreServedInTheOrderTheyBlocked() {
        List<String> log = both(s -> {
            int n = 0;
            for (String c : new String[] {"A", "B", "C"}) {
                s.send(c, "blpop", "k", "0");
                s.awaitBlocked(++n);
            }
            s.call("D", "rpush", "k", "a", "b");
            s.read("A");
            s.read("B");
            s.quiet("C", 100);
            s.awaitBlocked(1);
            s.call("D", "rpush", "k", "c", "d");
            s.read("C");
            s.call("D", "lrange", "k", "0", "-1");
            s.awaitBlocked(0);
        });
        assertTrue(log.contains("A <- *2\\r\\n$1\\r\\nk\\r\\n$1\\r\\na\\r\\n"), String.join("\n", log));
        both(s -> { // counts share out what one push brought, in blocking order; an emptied key ends the round
            s.send("A", "blmpop", "0", "1", "m", "LEFT", "COUNT", "2");
            s.awaitBlocked(1);
            s.send("B", "blmpop", "0", "1", "m", "RIGHT", "COUNT", "2");
            s.awaitBlocked(2);
            s.send("C", "brpop", "m", "0");
            s.awaitBlocked(3);
            s.call("D", "lpush", "m", "1", "2", "3");
            s.read("A");
            s.read("B");
            s.quiet("C", 100);
            s.call("D", "exists", "m");
            s.call("D", "multi");
            s.call("D", "rpush", "m", "x");
            s.call("D", "lpop", "m");
            s.call("D", "exec"); // the key is gone again when C's turn comes: C keeps waiting
            s.quiet("C", 100);
            s.awaitBlocked(1);
            s.call("D", "rpush", "m", "y");
            s.read("C");
        });
        assertTrue(log.contains("B <- *2\\r\\n$1\\r\\nk\\r\\n$1\\r\\nb\\r\\n"));
    }

    @Test
    void aClientBlockedOnSeveralKeysIsServedFromTheKeyThatBecameReady() {
        List<String> log = both(s -> {
            s.send("A", "blpop", "k1", "k2", "k3", "0");
            s.awaitBlocked(1);
            s.call("D", "rpush", "k3", "v3");
            s.read("A");
            // 7.0 serves from the first key made ready, not the first key of the command
            s.send("A", "brpop", "k1", "k2", "0");
            s.awaitBlocked(1);
            s.call("D", "multi");
            s.call("D", "rpush", "k2", "from-k2");
            s.call("D", "rpush", "k1", "from-k1");
            s.call("D", "exec");
            s.read("A");
            s.call("D", "del", "k1");
            // ... and does not look at the other keys' types
            s.send("A", "blpop", "str", "k2", "0");
            s.awaitBlocked(1);
            s.call("D", "multi");
            s.call("D", "set", "str", "x");
            s.call("D", "rpush", "k2", "v");
            s.call("D", "exec");
            s.read("A");
            // the same key twice counts once
            s.send("A", "blpop", "dup", "dup", "0");
            s.awaitBlocked(1);
            s.call("D", "rpush", "dup", "1", "2");
            s.read("A");
            s.call("D", "lrange", "dup", "0", "-1");
            // B waits on k5 only, C on k5 and k6: a push to k6 serves C, one to k5 then B
            s.send("B", "blpop", "k5", "0");
            s.awaitBlocked(1);
            s.send("C", "blpop", "k5", "k6", "0");
            s.awaitBlocked(2);
            s.call("D", "rpush", "k6", "six");
            s.read("C");
            s.call("D", "rpush", "k5", "five");
            s.read("B");
        });
        assertTrue(log.contains("A <- *2\\r\\n$2\\r\\nk2\\r\\n$7\\r\\nfrom-k2\\r\\n"), String.join("\n", log));
    }

    @Test
    void replyShapesOnSuccessAndTimeoutInBothProtocols() {
        for (String proto : new String[] {"2", "3"}) {
            both(s -> {
                s.conn("A").call("hello", proto); // its reply carries the client id: not logged
                s.conn("D").call("hello", proto);
                s.call("A", "blpop", "k", "0.05");
                s.call("A", "brpop", "k", "k2", "0.05");
                s.call("A", "blmove", "k", "d", "LEFT", "RIGHT", "0.05"); // 7.0: a null array, not a null bulk
                s.call("A", "brpoplpush", "k", "d", "0.05");
                s.call("A", "blmpop", "0.05", "2", "k", "k2", "LEFT");
                s.call("D", "multi");
                s.call("D", "blpop", "k", "0");
                s.call("D", "blmove", "k", "d", "LEFT", "RIGHT", "0"); // inside MULTI: a null bulk
                s.call("D", "blmpop", "0", "1", "k", "LEFT", "COUNT", "3");
                s.call("D", "exec");
                s.send("A", "blmpop", "0", "2", "k1", "k2", "RIGHT", "COUNT", "2");
                s.awaitBlocked(1);
                s.call("D", "rpush", "k2", "a", "b", "c");
                s.read("A");
                s.send("A", "blmove", "src", "dst", "RIGHT", "LEFT", "0");
                s.awaitBlocked(1);
                s.call("D", "rpush", "src", "v");
                s.read("A");
                s.send("A", "brpoplpush", "src", "dst", "0");
                s.awaitBlocked(1);
                s.call("D", "lpush", "src", "w");
                s.read("A");
                s.call("D", "lrange", "dst", "0", "-1");
                s.call("D", "exists", "src");
                s.send("A", "blpop", "k", "0.1");
                s.read("A");
                s.call("D", "rpush", "k", "later");
                s.call("D", "llen", "k"); // nobody took it: A had timed out
            });
        }
    }

    @Test
    void blmoveIntoAKeyOthersWaitOnWakesThem() {
        both(s -> {
            s.send("A", "blpop", "dst", "0");
            s.awaitBlocked(1);
            s.send("B", "blmove", "src", "dst", "LEFT", "RIGHT", "0");
            s.awaitBlocked(2);
            s.call("D", "rpush", "src", "v");
            s.read("B");
            s.read("A");
            s.call("D", "exists", "src", "dst");
            // a chain: s1 -> s2 -> s3 -> BLPOP
            s.send("A", "brpoplpush", "s1", "s2", "0");
            s.awaitBlocked(1);
            s.send("B", "brpoplpush", "s2", "s3", "0");
            s.awaitBlocked(2);
            s.send("C", "blpop", "s3", "0");
            s.awaitBlocked(3);
            s.call("D", "rpush", "s1", "x");
            s.read("A");
            s.read("B");
            s.read("C");
            s.awaitBlocked(0);
            s.call("D", "exists", "s1", "s2", "s3");
            // rotating a list onto itself serves every waiter
            s.send("A", "blmove", "r", "r", "LEFT", "RIGHT", "0");
            s.awaitBlocked(1);
            s.send("B", "blmove", "r", "r", "LEFT", "RIGHT", "0");
            s.awaitBlocked(2);
            s.call("D", "rpush", "r", "1", "2");
            s.read("A");
            s.read("B");
            s.call("D", "lrange", "r", "0", "-1");
        });
    }

    @Test
    void aWokenClientIsServedOnlyByAList() {
        both(s -> {
            // the key is ready, but a string by the time clients are served: they keep waiting
            s.send("A", "blpop", "k", "0");
            s.awaitBlocked(1);
            s.send("B", "blmove", "k", "d", "LEFT", "LEFT", "0");
            s.awaitBlocked(2);
            s.call("D", "multi");
            s.call("D", "rpush", "k", "x");
            s.call("D", "del", "k");
            s.call("D", "set", "k", "str");
            s.call("D", "exec");
            s.quiet("A", 100);
            s.quiet("B", 0);
            s.awaitBlocked(2);
            s.call("D", "del", "k");
            s.call("D", "rpush", "k", "y", "z");
            s.read("A");
            s.read("B");
            // BLMOVE woken with a destination of the wrong type: WRONGTYPE, the element stays
            s.call("D", "set", "dst", "str");
            s.send("A", "blmove", "src", "dst", "LEFT", "RIGHT", "0");
            s.awaitBlocked(1);
            s.call("D", "rpush", "src", "v");
            s.read("A");
            s.call("D", "lrange", "src", "0", "-1");
            s.awaitBlocked(0);
        });
    }

    /** rdb_changes_since_last_save: 7.0 counts the push, and a woken BLMPOP's pops, but not a woken BLPOP's or BLMOVE's. */
    @Test
    void servingWokenClientsCountsChangesAsRedisDoes() {
        both(s -> {
            for (String[] cmd : new String[][] {{"blpop", "k", "0"}, {"blmove", "k", "d", "LEFT", "RIGHT", "0"},
                    {"blmpop", "0", "1", "k", "LEFT", "COUNT", "2"}, {"brpoplpush", "k", "d", "0"}}) {
                s.call("D", "del", "k", "d");
                s.send("A", cmd);
                s.awaitBlocked(1);
                long before = s.dirty();
                s.call("D", "rpush", "k", "x", "y", "z");
                s.read("A");
                s.log.add(cmd[0] + " changes " + (s.dirty() - before));
            }
        });
    }

    @Test
    void aPushInsideMultiWakesOnlyAfterExec() {
        List<String> log = both(s -> {
            s.send("A", "blpop", "k", "0");
            s.awaitBlocked(1);
            s.call("D", "multi");
            s.call("D", "rpush", "k", "a");
            s.call("D", "rpush", "k", "b");
            s.call("D", "llen", "k");
            s.quiet("A", 100);
            s.call("D", "exec"); // LLEN inside saw 2: nobody was served during the transaction
            s.read("A");
            s.call("D", "llen", "k");
            // blocking commands inside MULTI answer at once, even with timeout 0
            s.call("D", "multi");
            s.call("D", "blpop", "none", "0");
            s.call("D", "brpoplpush", "none", "x", "0");
            s.call("D", "exec");
        });
        assertTrue(log.contains("D exec -> *3\\r\\n:1\\r\\n:2\\r\\n:2\\r\\n"), String.join("\n", log));
    }

    @Test
    void aBlockedClientThatDisconnectsIsForgotten() {
        both(s -> {
            s.send("A", "blpop", "k", "0");
            s.awaitBlocked(1);
            s.send("B", "blpop", "k", "0");
            s.awaitBlocked(2);
            s.close("A");
            s.awaitBlocked(1);
            s.call("D", "rpush", "k", "x", "y");
            s.read("B");
            s.call("D", "lrange", "k", "0", "-1");
            s.send("C", "blmove", "k2", "d", "LEFT", "LEFT", "0");
            s.awaitBlocked(1);
            s.close("C");
            s.awaitBlocked(0);
            s.call("D", "rpush", "k2", "kept");
            s.call("D", "lrange", "k2", "0", "-1");
        });
    }

    @Test
    void aBlockedClientsPipelinedCommandsRunAfterItIsServed() {
        List<String> log = both(s -> {
            s.conn("A").send(concat(RawConnection.encode(RawConnection.args("blpop", "k", "0")),
                    RawConnection.encode(RawConnection.args("ping")), RawConnection.encode(RawConnection.args("lpop", "k"))));
            s.awaitBlocked(1);
            s.quiet("A", 150);
            s.call("D", "rpush", "k", "v1", "v2");
            s.read("A");
            s.read("A");
            s.read("A");
            s.call("D", "llen", "k");
        });
        assertTrue(log.contains("A silent"));
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    @Test
    void timeoutZeroWaitsForeverAndFractionalTimeoutsExpire() {
        both(s -> {
            s.send("A", "blpop", "k", "0");
            s.awaitBlocked(1);
            s.quiet("A", 1200);
            s.call("D", "rpush", "k", "late");
            s.read("A");
            s.send("A", "blpop", "k", "0.0001"); // rounded up to 1 ms (7.0 takes the ceiling)
            s.read("A");
            s.send("A", "blpop", "k", "-0.0001"); // rounded up to 0: forever
            s.awaitBlocked(1);
            s.quiet("A", 300);
            s.call("D", "rpush", "k", "x");
            s.read("A");
        });
        for (int port : new int[] {redis.port(), ember.port()}) {
            try (RawConnection a = new RawConnection("127.0.0.1", port)) {
                long start = System.nanoTime();
                assertEquals("*-1\r\n", new String(a.call("brpop", "nothing", "0.3"), StandardCharsets.ISO_8859_1));
                long ms = (System.nanoTime() - start) / 1_000_000;
                assertTrue(ms >= 280 && ms < 3000, "timed out after " + ms + " ms on port " + port);
            }
        }
    }

    @Test
    void keysAppearingByRenameMoveCopyOrSwapdbWakeClients() {
        both(s -> {
            s.send("A", "blpop", "k", "0");
            s.awaitBlocked(1);
            s.call("D", "rpush", "tmp", "renamed");
            s.call("D", "rename", "tmp", "k");
            s.read("A");
            s.send("A", "blpop", "k", "0");
            s.awaitBlocked(1);
            s.call("D", "rpush", "orig", "copied");
            s.call("D", "copy", "orig", "k");
            s.read("A");
            s.send("A", "blpop", "k", "0");
            s.awaitBlocked(1);
            s.call("D", "select", "1");
            s.call("D", "rpush", "k", "moved");
            s.call("D", "move", "k", "0");
            s.read("A");
            s.send("A", "blpop", "k", "0");
            s.awaitBlocked(1);
            s.call("D", "rpush", "k", "swapped");
            s.call("D", "swapdb", "0", "1");
            s.read("A");
            s.call("D", "select", "0");
            s.call("D", "dbsize");
        });
    }

    @Test
    void embeddedClientsBlockLikeNetworkClients() throws Exception {
        try (EmbeddedClient waiter = ember.server().embeddedClient(); EmbeddedClient pusher = ember.server().embeddedClient();
             Session probe = new Session(ember.port())) {
            CompletableFuture<RespValue> reply = waiter.callAsync(bytes("blpop"), bytes("emb"), bytes("5"));
            probe.awaitBlocked(1);
            assertFalse(reply.isDone());
            pusher.call("rpush", "emb", "v");
            RespValue.Array got = (RespValue.Array) reply.get(5, TimeUnit.SECONDS);
            assertEquals("emb", new String(((RespValue.Bulk) got.items().get(0)).value(), StandardCharsets.UTF_8));
            assertEquals("v", new String(((RespValue.Bulk) got.items().get(1)).value(), StandardCharsets.UTF_8));
            assertTrue(waiter.call("brpop", "emb", "0.05") instanceof RespValue.Null, "a timed-out embedded call");
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void jedisClientsOnThreadsAreServedInBlockingOrder() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (Jedis admin = ember.jedis(); Session probe = new Session(ember.port())) {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                results.add(pool.submit(() -> {
                    try (Jedis j = ember.jedis()) {
                        return j.blpop(5, "jobs");
                    }
                }));
                probe.awaitBlocked(i + 1); // the order the threads block in is the order they are served
            }
            admin.rpush("jobs", "j0", "j1", "j2", "j3");
            for (int i = 0; i < 4; i++) assertEquals(List.of("jobs", "j" + i), results.get(i).get());
            Future<String> mover = pool.submit(() -> {
                try (Jedis j = ember.jedis()) {
                    return j.blmove("in", "out", ListDirection.LEFT, ListDirection.RIGHT, 5);
                }
            });
            probe.awaitBlocked(1);
            admin.lpush("in", "item");
            assertEquals("item", mover.get());
            assertEquals(List.of("item"), admin.lrange("out", 0, -1));
            Future<Object> timesOut = pool.submit(() -> {
                try (Jedis j = ember.jedis()) {
                    return j.brpop(0.2, "never");
                }
            });
            assertEquals(null, timesOut.get());
        } finally {
            pool.shutdownNow();
        }
    }
}
