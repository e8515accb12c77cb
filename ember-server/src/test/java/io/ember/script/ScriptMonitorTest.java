package io.ember.script;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.testing.RawConnection;
import io.ember.testing.RedisServerProcess;
import io.ember.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * MONITOR sees an EVAL or FCALL before the commands its script runs, those shown as from "lua"
 * (replicationFeedMonitors), on Ember as on redis-server (timestamps and ports left out).
 */
class ScriptMonitorTest {

    private static List<String> monitored(int port) {
        try (RawConnection monitor = new RawConnection("127.0.0.1", port); RawConnection c = new RawConnection("127.0.0.1", port)) {
            c.call("function", "load", "#!lua name=m\nredis.register_function('setit', function(keys) return redis.call('set', keys[1], 'x') end)");
            monitor.call("monitor");
            c.call("fcall", "setit", "1", "k");
            c.call("eval", "return redis.call('get', KEYS[1])", "1", "k");
            c.call("fcall", "nosuch", "0");
            c.call("ping");
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String line = new String(monitor.readReply(), StandardCharsets.ISO_8859_1);
                lines.add(line.replaceAll("^\\+[0-9.]+ ", "+").replaceAll("^\\+\\[0 127\\.0\\.0\\.1:[0-9]+\\]", "+[client]"));
            }
            return lines;
        }
    }

    @Test
    void scriptsAndTheirCommandsAsRedisShowsThem() {
        List<String> expected;
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            expected = monitored(redis.port());
        }
        try (TestServer ember = TestServer.start()) {
            List<String> actual = monitored(ember.port());
            assertEquals(expected, actual);
        }
        assertEquals("+[client] \"fcall\" \"setit\" \"1\" \"k\"\r\n", expected.get(0));
        assertEquals("+[0 lua] \"set\" \"k\" \"x\"\r\n", expected.get(1));
    }
}
