package io.ember.persist;

import static io.ember.persist.BgsaveTest.awaitBgsaveDone;
import static io.ember.persist.BgsaveTest.field;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * A background save that cannot be written: the previous dump stays intact, the status turns to
 * err, and with save points writes (and PING) are refused with MISCONF until a save succeeds.
 * A full disk is real: the temp file is a symlink to /dev/full, whose writes fail with ENOSPC.
 */
class BgsaveFailureTest {
    @TempDir
    Path dir;

    @Test
    void aFullDiskKeepsTheOldDumpAndStopsWritesUntilASaveSucceeds() throws Exception {
        try (TestServer s = TestServer.start("--dir", dir.toString(), "--save", "3600", "1");
             Jedis j = s.jedis()) {
            j.set("kept", "1");
            assertEquals("OK", j.save());
            byte[] good = Files.readAllBytes(dir.resolve("dump.rdb"));
            j.set("lost", "2");
            Path temp = dir.resolve("temp-" + ProcessHandle.current().pid() + ".rdb");
            Files.createSymbolicLink(temp, Path.of("/dev/full"));

            assertEquals("Background saving started", j.bgsave());
            awaitBgsaveDone(j);
            assertEquals("err", field(j, "persistence", "rdb_last_bgsave_status"));
            assertArrayEquals(good, Files.readAllBytes(dir.resolve("dump.rdb")), "the previous dump is intact");
            assertFalse(Files.exists(temp, java.nio.file.LinkOption.NOFOLLOW_LINKS), "no temp file left");

            JedisDataException e = assertThrows(JedisDataException.class, () -> j.set("x", "y"));
            assertTrue(e.getMessage().startsWith("MISCONF Redis is configured to save RDB snapshots"), e.getMessage());
            assertThrows(JedisDataException.class, j::ping);
            assertEquals("1", j.get("kept"), "reads still work");

            j.configSet("stop-writes-on-bgsave-error", "no");
            assertEquals("OK", j.set("x", "y"));
            j.configSet("stop-writes-on-bgsave-error", "yes");
            assertThrows(JedisDataException.class, () -> j.set("x", "z"));

            assertEquals("Background saving started", j.bgsave());
            awaitBgsaveDone(j);
            assertEquals("ok", field(j, "persistence", "rdb_last_bgsave_status"));
            assertEquals("OK", j.set("x", "z"), "writes accepted again");
        }
    }

    @Test
    void aMissingDirectoryFailsTheSaveWithoutMisconfWhenThereAreNoSavePoints() throws Exception {
        Path gone = Files.createDirectories(dir.resolve("gone"));
        try (TestServer s = TestServer.start("--dir", gone.toString()); Jedis j = s.jedis()) {
            j.set("k", "v");
            Files.delete(gone);
            assertEquals("Background saving started", j.bgsave());
            awaitBgsaveDone(j);
            assertEquals("err", field(j, "persistence", "rdb_last_bgsave_status"));
            assertEquals("OK", j.set("k", "w"), "no save points: writes go on");
        }
    }

    @Test
    void bgsaveRepliesAsRedis() throws Exception {
        try (TestServer s = TestServer.start("--dir", dir.toString(), "--rdb-key-save-delay", "100000");
             Jedis j = s.jedis()) {
            for (int i = 0; i < 20; i++) j.set("k" + i, "v");
            assertEquals("Background saving started", j.bgsave());
            assertEquals("1", field(j, "persistence", "rdb_bgsave_in_progress"));
            JedisDataException e = assertThrows(JedisDataException.class, j::bgsave);
            assertEquals("ERR Background save already in progress", e.getMessage());
            e = assertThrows(JedisDataException.class, j::save);
            assertEquals("ERR Background save already in progress", e.getMessage());
            e = assertThrows(JedisDataException.class, () -> j.sendCommand(
                    redis.clients.jedis.Protocol.Command.BGSAVE, "now"));
            assertEquals("ERR syntax error", e.getMessage());
            // FLUSHALL stops the running save (Redis kills its child) without marking it failed.
            j.flushAll();
            assertEquals("0", field(j, "persistence", "rdb_bgsave_in_progress"));
            assertEquals("ok", field(j, "persistence", "rdb_last_bgsave_status"));
            assertFalse(Files.exists(dir.resolve("temp-" + ProcessHandle.current().pid() + ".rdb")));
        }
    }
}
