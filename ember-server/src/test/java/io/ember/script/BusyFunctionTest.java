package io.ember.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.RawConnection;
import io.ember.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * A function running past busy-reply-threshold (texts checked against redis-server 7.0.15):
 * others get the FUNCTION flavour of -BUSY, SCRIPT KILL refuses to kill a function, FUNCTION
 * STATS shows it, FUNCTION KILL stops it and the server goes on; FUNCTION KILL refuses an EVAL
 * script; FUNCTION LOAD's library code is stopped after 500 ms.
 */
@org.junit.jupiter.api.Timeout(120)
class BusyFunctionTest {
    private static TestServer server;
    private static final String BUSY_FUNCTION =
            "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";
    private static final String BUSY_EVAL =
            "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";

    @BeforeAll
    static void start() {
        server = TestServer.start("--busy-reply-threshold", "200");
        try (Jedis j = server.jedis()) {
            j.functionLoad("#!lua name=busy\n"
                    + "redis.register_function('spin', function() local i = 0 for n = 1, 4e9 do i = i + 1 end return i end)");
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A connection served once before the busy function starts (see BusyScriptTest). */
    private static Jedis connected() {
        Jedis j = server.jedis();
        j.ping();
        return j;
    }

    private static CompletableFuture<Object> inBackground(java.util.function.Function<Jedis, Object> call) {
        return CompletableFuture.supplyAsync(() -> {
            try (Jedis j = new Jedis("127.0.0.1", server.port(), 30_000)) {
                return call.apply(j);
            } catch (JedisDataException e) {
                return e.getMessage();
            }
        });
    }

    @Test
    void functionKillStopsABusyFunction() throws Exception {
        try (Jedis other = connected(); RawConnection raw = server.raw()) {
            raw.call("ping");
            CompletableFuture<Object> result = inBackground(j -> j.fcall("spin", List.of(), List.of()));
            BusyScriptTest.awaitBusy(other, BUSY_FUNCTION);
            JedisDataException e = assertThrows(JedisDataException.class, () -> other.get("k"));
            assertEquals(BUSY_FUNCTION, e.getMessage());
            e = assertThrows(JedisDataException.class, other::scriptKill);
            assertEquals(BUSY_FUNCTION, e.getMessage());
            String stats = new String(raw.call("function", "stats"), StandardCharsets.ISO_8859_1);
            assertTrue(stats.startsWith("*4\r\n$14\r\nrunning_script\r\n*6\r\n$4\r\nname\r\n$4\r\nspin\r\n$7\r\ncommand\r\n"
                    + "*3\r\n$5\r\nFCALL\r\n$4\r\nspin\r\n$1\r\n0\r\n$11\r\nduration_ms\r\n:"), stats);
            assertTrue(stats.endsWith("$7\r\nengines\r\n*2\r\n$3\r\nLUA\r\n*4\r\n$15\r\nlibraries_count\r\n:1\r\n"
                    + "$15\r\nfunctions_count\r\n:1\r\n"), stats);
            assertEquals("OK", new String(raw.call("function", "kill"), StandardCharsets.ISO_8859_1).substring(1, 3));
            assertEquals("ERR Script killed by user with SCRIPT KILL... script: spin, on @user_function:2.",
                    result.get(10, TimeUnit.SECONDS));
            assertEquals("PONG", other.ping());
            assertEquals("-NOTBUSY No scripts in execution right now.\r\n",
                    new String(raw.call("function", "kill"), StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void functionKillDoesNotKillAnEvalScript() throws Exception {
        try (Jedis other = connected(); RawConnection raw = server.raw()) {
            raw.call("ping");
            CompletableFuture<Object> result = inBackground(j -> j.eval("local i = 0 for n = 1, 4e9 do i = i + 1 end return i"));
            BusyScriptTest.awaitBusy(other, BUSY_EVAL);
            assertEquals("-" + BUSY_EVAL + "\r\n", new String(raw.call("function", "kill"), StandardCharsets.ISO_8859_1));
            assertEquals("-" + BUSY_EVAL + "\r\n", new String(raw.call("function", "stats"), StandardCharsets.ISO_8859_1));
            assertEquals("OK", other.scriptKill());
            assertTrue(((String) result.get(10, TimeUnit.SECONDS)).startsWith("ERR Script killed by user with SCRIPT KILL..."));
            assertEquals("PONG", other.ping());
        }
    }

    @Test
    void loadTimesOutAfterHalfASecond() {
        try (Jedis j = connected()) {
            long start = System.nanoTime();
            JedisDataException e = assertThrows(JedisDataException.class,
                    () -> j.functionLoad("#!lua name=forever\nwhile true do end"));
            assertEquals("ERR Error registering functions: ERR FUNCTION LOAD timeout", e.getMessage());
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms >= 500 && ms < 5000, ms + " ms");
            assertEquals(1, j.functionList().size(), "nothing registered");
            assertEquals("PONG", j.ping());
        }
    }
}
