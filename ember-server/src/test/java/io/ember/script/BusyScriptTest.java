package io.ember.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.TestServer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * A script running past busy-reply-threshold: other clients get -BUSY, SCRIPT KILL stops a
 * script that has not written (UNKILLABLE once it has), and the server goes on serving.
 */
@org.junit.jupiter.api.Timeout(120)
class BusyScriptTest {
    private static TestServer server;
    private static final String BUSY = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";

    @BeforeAll
    static void start() {
        server = TestServer.start("--busy-reply-threshold", "200");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A connection opened (and served once) before the busy script starts. */
    private static Jedis connected() {
        Jedis j = server.jedis();
        j.ping();
        return j;
    }

    private static CompletableFuture<Object> evalInBackground(String script) {
        return CompletableFuture.supplyAsync(() -> {
            try (Jedis j = new Jedis("127.0.0.1", server.port(), 30_000)) {
                return j.eval(script);
            } catch (JedisDataException e) {
                return e.getMessage();
            }
        });
    }

    private static void awaitBusy(Jedis other) throws InterruptedException {
        awaitBusy(other, BUSY);
    }

    /** Pings until the server answers {@code text} (-BUSY), at most 10 s. */
    static void awaitBusy(Jedis other, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try {
                other.ping();
            } catch (JedisDataException e) {
                assertEquals(text, e.getMessage());
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("never busy");
    }

    @Test
    void scriptKillStopsAReadOnlyScript() throws Exception {
        String script = "local i = 0 for n = 1, 4e9 do i = i + 1 end return i"; // bounded: a broken KILL fails, not hangs
        try (Jedis other = connected()) {
            CompletableFuture<Object> result = evalInBackground(script);
            awaitBusy(other);
            JedisDataException e = assertThrows(JedisDataException.class, () -> other.get("k"));
            assertEquals(BUSY, e.getMessage());
            assertEquals("OK", other.scriptKill());
            assertEquals("ERR Script killed by user with SCRIPT KILL... script: " + Scripting.sha1hex(script.getBytes())
                    + ", on @user_script:1.", result.get(10, TimeUnit.SECONDS));
            assertEquals("PONG", other.ping());
            e = assertThrows(JedisDataException.class, other::scriptKill);
            assertEquals("NOTBUSY No scripts in execution right now.", e.getMessage());
        }
    }

    @Test
    void pcallCannotCatchTheKill() throws Exception {
        try (Jedis other = connected()) {
            CompletableFuture<Object> result = evalInBackground(
                    "for k = 1, 4 do pcall(function() local i = 0 for n = 1, 1e9 do i = i + 1 end end) end return 'survived'");
            awaitBusy(other);
            assertEquals("OK", other.scriptKill());
            assertTrue(((String) result.get(10, TimeUnit.SECONDS)).startsWith("ERR Script killed by user with SCRIPT KILL..."));
            assertEquals("PONG", other.ping());
        }
    }

    @Test
    void scriptThatWroteIsUnkillable() throws Exception {
        try (Jedis other = connected()) {
            CompletableFuture<Object> result = evalInBackground(
                    "redis.call('set', 'busy:written', '1') for i = 1, 400000000 do end return 'done'");
            awaitBusy(other);
            JedisDataException e = assertThrows(JedisDataException.class, other::scriptKill);
            assertTrue(e.getMessage().startsWith("UNKILLABLE Sorry the script already executed write commands"), e.getMessage());
            assertEquals("done", result.get(60, TimeUnit.SECONDS));
            assertEquals("1", other.get("busy:written"));
        }
    }

    @Test
    void shutdownNosaveStopsAServerBusyWithAWritingScript() throws Exception {
        try (TestServer own = TestServer.start("--busy-reply-threshold", "100");
             Jedis other = new Jedis("127.0.0.1", own.port(), 10_000)) {
            other.ping(); // connected before the script starts
            CompletableFuture<Object> result = CompletableFuture.supplyAsync(() -> {
                try (Jedis j = new Jedis("127.0.0.1", own.port(), 30_000)) {
                    return j.eval("redis.call('set', 'w', '1') for n = 1, 4e9 do end");
                } catch (RuntimeException e) {
                    return e;
                }
            });
            {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (true) {
                    try {
                        other.ping();
                    } catch (JedisDataException e) {
                        assertEquals(BUSY, e.getMessage());
                        break;
                    }
                    assertTrue(System.nanoTime() < deadline, "never busy");
                    Thread.sleep(50);
                }
                JedisDataException e = assertThrows(JedisDataException.class, () -> other.shutdown());
                assertEquals(BUSY, e.getMessage()); // SHUTDOWN without NOSAVE is refused while busy
                try {
                    other.sendCommand(redis.clients.jedis.Protocol.Command.SHUTDOWN, "NOSAVE");
                    other.getConnection().getOne();
                } catch (RuntimeException expected) {
                    // the connection closes as the server stops
                }
            }
            assertTrue(result.get(10, TimeUnit.SECONDS) != null); // the 4e9-iteration loop did not run to its end
            assertTrue(own.server().engine().shuttingDown());
        }
    }

    /** As `redis-cli SCRIPT KILL` from another terminal: a connection made while the script is busy. */
    @Test
    void aConnectionOpenedWhileBusyGetsBusyAndCanKill() throws Exception {
        String script = "local i = 0 for n = 1, 4e9 do i = i + 1 end return i";
        try (Jedis other = connected()) {
            CompletableFuture<Object> result = evalInBackground(script);
            awaitBusy(other);
            try (Jedis late = new Jedis("127.0.0.1", server.port(), 5_000)) {
                JedisDataException e = assertThrows(JedisDataException.class, late::ping);
                assertEquals(BUSY, e.getMessage());
            }
            try (Jedis killer = new Jedis("127.0.0.1", server.port(), 5_000)) {
                assertEquals("OK", killer.scriptKill());
            }
            assertTrue(((String) result.get(10, TimeUnit.SECONDS)).startsWith("ERR Script killed by user with SCRIPT KILL..."));
            assertEquals("PONG", other.ping());
        }
    }
}
