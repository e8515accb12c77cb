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
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try {
                other.ping();
            } catch (JedisDataException e) {
                assertEquals(BUSY, e.getMessage());
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("never busy");
    }

    @Test
    void scriptKillStopsAReadOnlyScript() throws Exception {
        String script = "local i = 0 while true do i = i + 1 end";
        CompletableFuture<Object> result = evalInBackground(script);
        try (Jedis other = server.jedis()) {
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
        CompletableFuture<Object> result = evalInBackground(
                "while true do pcall(function() local i = 0 while true do i = i + 1 end end) end");
        try (Jedis other = server.jedis()) {
            awaitBusy(other);
            assertEquals("OK", other.scriptKill());
            assertTrue(((String) result.get(10, TimeUnit.SECONDS)).startsWith("ERR Script killed by user with SCRIPT KILL..."));
            assertEquals("PONG", other.ping());
        }
    }

    @Test
    void scriptThatWroteIsUnkillable() throws Exception {
        CompletableFuture<Object> result = evalInBackground(
                "redis.call('set', 'busy:written', '1') for i = 1, 400000000 do end return 'done'");
        try (Jedis other = server.jedis()) {
            awaitBusy(other);
            JedisDataException e = assertThrows(JedisDataException.class, other::scriptKill);
            assertTrue(e.getMessage().startsWith("UNKILLABLE Sorry the script already executed write commands"), e.getMessage());
            assertEquals("done", result.get(60, TimeUnit.SECONDS));
            assertEquals("1", other.get("busy:written"));
        }
    }
}
