package io.ember.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.testing.RawConnection;
import io.ember.testing.TestServer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Streams have no RDB encoding in Ember yet: SAVE fails with Redis's bare "-ERR" (the failure is
 * logged), BGSAVE ends with status err (and writes go on: no save points here), DUMP refuses with a
 * clear error instead of dropping the connection, and the server and the stream are left intact.
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
            for (int i = 0; i < 200; i++) call(c, "set", "k" + i, "v");
            assertEquals("+Background saving started\r\n", call(c, "bgsave"));
            long deadline = System.currentTimeMillis() + 10_000;
            while (!call(c, "info", "persistence").contains("rdb_bgsave_in_progress:0")) {
                if (System.currentTimeMillis() > deadline) throw new AssertionError("BGSAVE never ended");
            }
            assertEquals(true, call(c, "info", "persistence").contains("rdb_last_bgsave_status:err"));
            assertEquals(":1\r\n", call(c, "xtrim", "s", "maxlen", "0"), "the stream still takes writes");
            assertEquals(true, java.nio.file.Files.notExists(s.dir().resolve("dump.rdb")), "no partial dump");
        }
    }
}
