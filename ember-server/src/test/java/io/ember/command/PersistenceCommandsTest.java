package io.ember.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.Differential;
import io.ember.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * SAVE and LASTSAVE against redis-server: replies, the state they update, and the failure paths
 * (the temp file cannot be created, the rename fails, the directory is gone), after which the old
 * dump must be intact and no temp file left. The failures are made with directories standing where
 * files must go, which stops root as well as other users.
 */
class PersistenceCommandsTest {

    @Test
    void saveUpdatesLastsaveAndTheDirtyCounter() throws Exception {
        try (TestServer ember = TestServer.start(); Jedis j = ember.jedis()) {
            long now = System.currentTimeMillis() / 1000;
            long startup = j.lastsave();
            assertTrue(Math.abs(startup - now) <= 5, "start-up counts as the last save: " + startup);
            j.set("a", "1");
            j.set("b", "2");
            assertEquals("2", info(j, "rdb_changes_since_last_save"));
            Thread.sleep(1100);
            assertEquals("OK", j.save());
            long saved = j.lastsave();
            assertTrue(saved > startup, saved + " after " + startup);
            assertEquals(Long.toString(saved), info(j, "rdb_last_save_time"));
            assertEquals("0", info(j, "rdb_changes_since_last_save"));
            assertEquals("1", info(j, "rdb_saves"));
            assertTrue(Files.size(ember.dir().resolve("dump.rdb")) > 20);
        }
    }

    @Test
    void failuresReplyAsRedisAndKeepTheOldDump() throws Exception {
        try (Differential d = new Differential()) {
            Path emberDir = d.ember().dir(), redisDir = d.redis().dir();
            String emberTemp = "temp-" + ProcessHandle.current().pid() + ".rdb";
            String redisTemp;
            try (Jedis r = new Jedis("127.0.0.1", d.redis().port())) {
                redisTemp = "temp-" + info(r, "process_id") + ".rdb";
            }
            d.check("SET", "a", "1");
            d.check("SAVE");
            byte[] emberDump = Files.readAllBytes(emberDir.resolve("dump.rdb"));
            byte[] redisDump = Files.readAllBytes(redisDir.resolve("dump.rdb"));
            d.check("SET", "b", "2");

            // 1. The temp file cannot be created: a directory has its name.
            Files.createDirectory(emberDir.resolve(emberTemp));
            Files.createDirectory(redisDir.resolve(redisTemp));
            assertEquals("-ERR\r\n", new String(d.check("SAVE")));
            assertArrayEquals(emberDump, Files.readAllBytes(emberDir.resolve("dump.rdb")));
            assertArrayEquals(redisDump, Files.readAllBytes(redisDir.resolve("dump.rdb")));
            try (Jedis e = d.ember().jedis()) {
                assertEquals("1", info(e, "rdb_changes_since_last_save"));
                assertEquals("ok", info(e, "rdb_last_bgsave_status")); // a failed SAVE does not change it in Redis
            }
            Files.delete(emberDir.resolve(emberTemp));
            Files.delete(redisDir.resolve(redisTemp));

            // 2. The rename fails: dump.rdb is a non-empty directory. The temp file is removed.
            for (Path dir : List.of(emberDir, redisDir)) {
                Files.delete(dir.resolve("dump.rdb"));
                Files.createDirectories(dir.resolve("dump.rdb").resolve("inside"));
            }
            assertEquals("-ERR\r\n", new String(d.check("SAVE")));
            assertFalse(Files.exists(emberDir.resolve(emberTemp)));
            assertFalse(Files.exists(redisDir.resolve(redisTemp)));
            assertTrue(Files.isDirectory(emberDir.resolve("dump.rdb").resolve("inside")));
            for (Path dir : List.of(emberDir, redisDir)) TestServer.deleteTree(dir.resolve("dump.rdb"));

            d.check("SAVE");
            assertTrue(Files.isRegularFile(emberDir.resolve("dump.rdb")));

            // Not inside MULTI (SAVE is no-multi), whatever state the transaction is in.
            d.check("MULTI");
            d.check("SAVE");
            d.check("EXEC");
            d.check("SAVE", "extra");
            d.check("LASTSAVE", "extra");
            d.assertNoDivergence();
            Files.deleteIfExists(redisDir.resolve("dump.rdb")); // the reference server leaves its dir behind
        }
    }

    /** The data directory disappears under the server: SAVE fails, the server keeps running. */
    @Test
    void missingDirectory() throws Exception {
        Path dir = Files.createTempDirectory("ember-save-gone");
        try (TestServer ember = TestServer.start("--dir", dir.toString()); Jedis j = ember.jedis()) {
            j.set("k", "v");
            long before = j.lastsave();
            TestServer.deleteTree(dir);
            JedisDataException e = org.junit.jupiter.api.Assertions.assertThrows(JedisDataException.class, j::save);
            assertEquals("ERR", e.getMessage());
            assertEquals(before, j.lastsave());
            assertEquals("v", j.get("k"));
            Files.createDirectories(dir);
            assertEquals("OK", j.save());
        } finally {
            TestServer.deleteTree(dir);
        }
    }

    /** rdb-key-save-delay sleeps that many microseconds per key written. */
    @Test
    void keySaveDelay() throws Exception {
        try (TestServer ember = TestServer.start("--rdb-key-save-delay", "10000"); Jedis j = ember.jedis()) {
            for (int i = 0; i < 30; i++) j.set("k" + i, "v");
            long t0 = System.nanoTime();
            assertEquals("OK", j.save());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 300, "30 keys at 10 ms each took " + ms + " ms");
            try (Stream<Path> files = Files.list(ember.dir())) {
                assertEquals(List.of("dump.rdb"), files.map(p -> p.getFileName().toString()).toList());
            }
        }
    }

    static String info(Jedis j, String field) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(field) + ":(.*)\r?$").matcher(j.info());
        assertTrue(m.find(), field + " in INFO");
        return m.group(1).trim();
    }

}
