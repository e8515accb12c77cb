package io.ember.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.testing.RawConnection;
import io.ember.testing.TestServer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Streams have no RDB encoding in Ember yet (persist/ is another engineer's): SAVE fails with
 * Redis's bare "-ERR" (the failure is logged), DUMP refuses with a clear error instead of dropping
 * the connection, and the server and the stream are left intact.
 */
class StreamPersistenceRefusalTest {
    private static String call(RawConnection c, String... cmd) {
        return new String(c.call(cmd), StandardCharsets.ISO_8859_1);
    }

    @Test
    void saveAndDumpRefuseAStream() {
        try (TestServer s = TestServer.start(); RawConnection c = s.raw()) {
            call(c, "xadd", "s", "1-1", "f", "v");
            assertEquals("-ERR\r\n", call(c, "save"));
            assertEquals("-ERR DUMP of stream values is not supported yet\r\n", call(c, "dump", "s"));
            assertEquals("+PONG\r\n", call(c, "ping"));
            assertEquals(":1\r\n", call(c, "xlen", "s"));
        }
    }
}
