package io.ember.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.TestServer;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** INFO memory accounts the script cache and the Lua heap; SCRIPT FLUSH empties the cache. */
class ScriptInfoTest {
    private static long field(String info, String name) {
        for (String line : info.split("\r\n")) {
            if (line.startsWith(name + ":")) return Long.parseLong(line.substring(name.length() + 1));
        }
        throw new AssertionError(name + " missing");
    }

    @Test
    void cacheAndLuaMemory() {
        try (TestServer s = TestServer.start(); Jedis j = s.jedis()) {
            assertEquals(0, field(j.info("memory"), "number_of_cached_scripts"));
            for (int i = 0; i < 10; i++) j.eval("return " + i);
            String info = j.info("memory");
            assertEquals(10, field(info, "number_of_cached_scripts"));
            assertTrue(field(info, "used_memory_scripts_eval") >= 10 * "return 0".length());
            assertTrue(field(info, "used_memory_lua") > 10_000);
            j.scriptFlush();
            assertEquals(0, field(j.info("memory"), "number_of_cached_scripts"));
            assertEquals(0, field(j.info("memory"), "used_memory_scripts_eval"));
        }
    }
}
