package io.ember.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Scripts that allocate without bound hit the Lua memory cap (here 64 MB) with a clear error,
 * even when they catch errors with pcall; the heap is given back and the server goes on. The
 * loops are bounded (at most about 1 GB without the cap) so that a broken cap fails the test
 * instead of exhausting the machine.
 */
class ScriptLimitsTest {
    private static TestServer server;
    private static final String LIMIT = "ERR Lua memory limit exceeded (67108864 bytes)";

    @BeforeAll
    static void start() {
        System.setProperty("ember.lua-memory-limit", Long.toString(64L << 20));
        server = TestServer.start();
        try (Jedis j = server.jedis()) {
            j.eval("return 1"); // the Lua state is created here, with the cap above
        } finally {
            System.clearProperty("ember.lua-memory-limit");
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static long luaMemory(Jedis j) {
        for (String line : j.info("memory").split("\r\n")) {
            if (line.startsWith("used_memory_lua:")) return Long.parseLong(line.substring(16));
        }
        throw new AssertionError();
    }

    private static void assertLimit(Jedis j, String script) {
        JedisDataException e = assertThrows(JedisDataException.class, () -> j.eval(script));
        assertTrue(e.getMessage().startsWith(LIMIT), e.getMessage());
        assertEquals("PONG", j.ping());
        assertTrue(luaMemory(j) < 16L << 20, "Lua heap given back: " + luaMemory(j));
    }

    @Test
    void doublingAString() {
        try (Jedis j = server.jedis()) {
            assertLimit(j, "local s = 'x' for i = 1, 30 do s = s .. s end return #s");
        }
    }

    @Test
    void growingATable() {
        try (Jedis j = server.jedis()) {
            assertLimit(j, "local t = {} for i = 1, 3000000 do t[i] = 'value' .. i end return #t");
        }
    }

    @Test
    void pcallCannotSwallowTheLimit() {
        try (Jedis j = server.jedis()) {
            assertLimit(j, "local keep = {} for j = 1, 64 do pcall(function() local s = 'y' .. j "
                    + "for i = 1, 20 do s = s .. s end keep[#keep + 1] = s end) end return #keep");
        }
    }

    @Test
    void stringRepPastTheCap() {
        try (Jedis j = server.jedis()) {
            JedisDataException e = assertThrows(JedisDataException.class, () -> j.eval("return #string.rep('x', 2^31 - 1)"));
            assertTrue(e.getMessage().startsWith(LIMIT), e.getMessage());
            assertEquals(1000000L, j.eval("return #string.rep('ab', 500000)"));
        }
    }

    @Test
    void ordinaryScriptsAfterwards() {
        try (Jedis j = server.jedis()) {
            assertEquals(List.of(1L, 2L), j.eval("return {1, 2}"));
        }
    }
}
