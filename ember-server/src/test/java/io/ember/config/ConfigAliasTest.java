package io.ember.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.EmberServer;
import io.ember.testing.FreePort;
import io.ember.util.Log;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Option aliases (Redis's "slave-priority" for "replica-priority") through CONFIG GET, SET and
 * REWRITE. None of the options Ember has today has an alias in Redis 7.0, so the test registers
 * one, the way the options that do have aliases will be defined.
 */
class ConfigAliasTest {
    @TempDir
    Path dir;

    @Test
    void aliasesInConfigGetSetAndRewrite() throws Exception {
        long[] value = {100};
        ServerConfig config = new ServerConfig();
        config.add(Options.number("test-replica-priority", List.of("test-slave-priority"), 0, Integer.MAX_VALUE, 100,
                false, 0, () -> value[0], v -> value[0] = v));
        Path file = dir.resolve("ember.conf");
        Files.writeString(file, "# aliases\ntest-slave-priority 5\nport " + FreePort.find() + "\n");
        ConfigFile.load(config, file, List.of());
        assertEquals(5, value[0]);
        try (EmberServer server = EmberServer.start(config, new Log());
             Jedis j = new Jedis("127.0.0.1", server.port())) {
            assertEquals(Map.of("test-slave-priority", "5"), j.configGet("test-slave-priority"));
            assertEquals(Map.of("test-replica-priority", "5", "test-slave-priority", "5"), j.configGet("test-*-priority"));
            assertEquals(Map.of("test-slave-priority", "5"), j.configGet("test-slave*"));
            assertEquals(Map.of("test-replica-priority", "5"), j.configGet("test-replica-priority", "TEST-REPLICA-PRIORITY"));

            assertEquals("OK", j.configSet("TEST-SLAVE-PRIORITY", "6"));
            assertEquals("6", j.configGet("test-replica-priority").get("test-replica-priority"));
            JedisDataException e = assertThrows(JedisDataException.class, () -> j.configSet("Test-Slave-Priority", "x"));
            assertEquals("ERR CONFIG SET failed (possibly related to argument 'test-slave-priority') - "
                    + "argument couldn't be parsed into an integer", e.getMessage());
            e = assertThrows(JedisDataException.class,
                    () -> j.configSet("test-slave-priority", "7", "test-replica-priority", "8"));
            assertEquals("ERR CONFIG SET failed (possibly related to argument 'test-replica-priority') - "
                    + "duplicate parameter", e.getMessage());

            assertEquals("OK", j.configRewrite());
            String rewritten = Files.readString(file);
            assertTrue(rewritten.startsWith("# aliases\ntest-replica-priority 6\n"),
                    "the alias line is rewritten in place under the primary name:\n" + rewritten);
        }
    }
}
