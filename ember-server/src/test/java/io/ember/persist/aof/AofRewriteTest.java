package io.ember.persist.aof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.Await;
import io.ember.testing.RedisServerProcess;
import io.ember.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * BGREWRITEAOF without fork: nothing written during a rewrite is lost or duplicated after a
 * restart (with and without the RDB preamble), the manifest is swapped and history files
 * removed, the rewritten directory loads into redis-server 7.0 and passes redis-check-aof,
 * replies and INFO, the automatic rewrite, CONFIG SET appendonly yes at run time.
 */
class AofRewriteTest {
    @TempDir
    Path dir;

    private TestServer start(String... extra) {
        List<String> args = new ArrayList<>(List.of("--dir", dir.toString(), "--appendonly", "yes",
                "--enable-debug-command", "yes", "--save", ""));
        args.addAll(List.of(extra));
        return TestServer.start(args.toArray(String[]::new));
    }

    private Path aofDir() {
        return dir.resolve("appendonlydir");
    }

    static String info(Jedis j, String field) {
        for (String line : j.info("persistence").split("\r\n")) {
            if (line.startsWith(field + ":")) return line.substring(field.length() + 1);
        }
        throw new AssertionError("no " + field);
    }

    static void awaitRewriteDone(Jedis j) throws InterruptedException {
        Await.until(() -> info(j, "aof_rewrite_in_progress").equals("0") && info(j, "aof_rewrite_scheduled").equals("0"),
                "the rewrite to end", 30);
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "no"})
    void writesDuringRewritesAreNeitherLostNorDuplicated(String preamble) throws Exception {
        final int clients = 4;
        int[] written = new int[clients];
        String digest;
        try (TestServer s = start("--aof-use-rdb-preamble", preamble, "--appendfsync", "everysec");
             Jedis j = s.jedis()) {
            for (int i = 0; i < 3000; i++) j.set("filler:" + i, "v" + i);
            j.configSet("rdb-key-save-delay", "100"); // each rewrite lasts a while: writes land during it
            AtomicReference<Throwable> failure = new AtomicReference<>();
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int id = c;
                Thread t = new Thread(() -> {
                    try (Jedis w = s.jedis()) {
                        int n = 0;
                        for (; !stop.get() || n < 500; n++) {
                            w.incr("counter:" + id);
                            w.rpush("list:" + id, Integer.toString(n));
                            if (n % 100 == 0) w.set("filler:" + (id * 100 + n / 100 % 100), "changed" + n);
                        }
                        written[id] = n;
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                });
                threads.add(t);
                t.start();
            }
            int rewrites = 0;
            while (rewrites < 3 && failure.get() == null) {
                if (info(j, "aof_rewrite_in_progress").equals("0")) {
                    assertEquals("Background append only file rewriting started", j.bgrewriteaof());
                    rewrites++;
                }
                Thread.sleep(20);
            }
            stop.set(true);
            for (Thread t : threads) t.join();
            if (failure.get() != null) throw new AssertionError(failure.get());
            awaitRewriteDone(j);
            assertEquals("ok", info(j, "aof_last_bgrewrite_status"));
            digest = AofRoundTripTest.digest(s);
        }
        // the manifest: one base (seq > 1), one incr, no history left in the directory
        String manifest = Files.readString(aofDir().resolve("appendonly.aof.manifest"));
        String[] lines = manifest.split("\n");
        assertEquals(2, lines.length, manifest);
        assertTrue(lines[0].matches("file appendonly\\.aof\\.\\d+\\.base\\." + (preamble.equals("yes") ? "rdb" : "aof")
                + " seq \\d+ type b"), manifest);
        assertTrue(lines[1].matches("file appendonly\\.aof\\.\\d+\\.incr\\.aof seq \\d+ type i"), manifest);
        try (var files = Files.list(aofDir())) {
            assertEquals(3, files.count(), "only the manifest, the base and the incr file remain");
        }
        try (TestServer s = start("--aof-use-rdb-preamble", preamble); Jedis j = s.jedis()) {
            for (int c = 0; c < clients; c++) {
                List<String> expected = new ArrayList<>();
                for (int n = 0; n < written[c]; n++) expected.add(Integer.toString(n));
                assertEquals(Integer.toString(written[c]), j.get("counter:" + c));
                assertEquals(expected, j.lrange("list:" + c, 0, -1));
            }
            assertEquals(digest, AofRoundTripTest.digest(s));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "no"})
    void rewriteShrinksTheAofAndLoadsIntoRedis(String preamble) throws Exception {
        String expected, expectedStreams;
        try (TestServer s = start("--aof-use-rdb-preamble", preamble); Jedis j = s.jedis()) {
            AofCompatibilityTest.writeDataset(j, 1);
            for (int i = 0; i < 3000; i++) j.set("over", "value" + i);
            for (int i = 0; i < 200; i++) j.rpush("big", "e" + i); // several RPUSH batches of 64
            j.expire("big", 100_000);
            for (int i = 0; i < 200; i++) {
                j.hset("bighash", "f" + i, "v" + i); // hashtable encodings
                j.zadd("bigzset", i / 3.0, "m" + i);
                j.sadd("bigintset", Integer.toString(i * 1000 - 7));
            }
            j.zadd("zspecial", Double.POSITIVE_INFINITY, "inf");
            j.zadd("zspecial", Double.NEGATIVE_INFINITY, "-inf");
            j.zadd("zspecial", 1e-300, "tiny");
            j.zadd("zspecial", 0.1, "tenth");
            streams(s.port());
            long before = Long.parseLong(info(j, "aof_current_size"));
            assertEquals("Background append only file rewriting started", j.bgrewriteaof());
            awaitRewriteDone(j);
            long after = Long.parseLong(info(j, "aof_current_size"));
            assertTrue(after < before / 4, before + " -> " + after);
            assertEquals(info(j, "aof_base_size"), info(j, "aof_current_size"));
            assertEquals("1", info(j, "aof_rewrites"));
            j.set("after", "rewrite");
            expected = AofCompatibilityTest.digest(s.port());
            expectedStreams = streamState(s.port());
        }
        try (TestServer s = start("--aof-use-rdb-preamble", preamble)) {
            assertEquals(expected, AofCompatibilityTest.digest(s.port()));
            assertEquals(expectedStreams, streamState(s.port()));
        }
        String check = AofCompatibilityTest.run(dir, "/usr/bin/redis-check-aof",
                aofDir().resolve("appendonly.aof.manifest").toString());
        assertTrue(check.contains("All AOF files and manifest are valid"), check);
        try (RedisServerProcess redis = RedisServerProcess.start("--dir", dir.toString(), "--appendonly", "yes")) {
            assertEquals(expected, AofCompatibilityTest.digest(redis.port()));
            assertEquals(expectedStreams, streamState(redis.port()));
        }
    }

    /** A stream with a deleted entry, two groups, a pending list, a consumer without one; an empty stream. */
    private static void streams(int port) {
        try (var r = new io.ember.testing.RawConnection("127.0.0.1", port)) {
            r.call("XADD", "st", "1-1", "a", "1", "b", "2");
            r.call("XADD", "st", "2-1", "a", "3");
            r.call("XADD", "st", "3-1", "c", "4");
            r.call("XADD", "st", "4-1", "c", "5");
            r.call("XDEL", "st", "4-1");
            r.call("XGROUP", "CREATE", "st", "g1", "0");
            r.call("XREADGROUP", "GROUP", "g1", "c1", "COUNT", "2", "STREAMS", "st", ">");
            r.call("XGROUP", "CREATECONSUMER", "st", "g1", "c2");
            r.call("XGROUP", "CREATE", "st", "g2", "$");
            r.call("XGROUP", "CREATE", "empty", "g", "$", "MKSTREAM");
        }
    }

    /** What both servers must agree on for the streams (no idle or seen times). */
    private static String streamState(int port) {
        try (var r = new io.ember.testing.RawConnection("127.0.0.1", port)) {
            StringBuilder sb = new StringBuilder();
            for (String[] c : new String[][] {{"XRANGE", "st", "-", "+"}, {"XLEN", "st"}, {"XINFO", "GROUPS", "st"},
                    {"XPENDING", "st", "g1"}, {"XLEN", "empty"}, {"XINFO", "GROUPS", "empty"}}) {
                sb.append(new String(r.call(c), java.nio.charset.StandardCharsets.ISO_8859_1)).append('|');
            }
            String info = new String(r.call("XINFO", "STREAM", "st"), java.nio.charset.StandardCharsets.ISO_8859_1);
            sb.append(info.substring(info.indexOf("last-generated-id"), info.indexOf("recorded-first-entry-id")));
            return sb.toString();
        }
    }

    @Test
    void repliesWhileRunningAndWithBgsave() throws Exception {
        try (TestServer s = start(); Jedis j = s.jedis()) {
            for (int i = 0; i < 200; i++) j.set("k" + i, "v");
            j.configSet("rdb-key-save-delay", "5000"); // about a second per rewrite or save
            assertEquals("Background append only file rewriting started", j.bgrewriteaof());
            assertEquals("1", info(j, "aof_rewrite_in_progress"));
            var e = assertThrows(JedisDataException.class, j::bgrewriteaof);
            assertEquals("ERR Background append only file rewriting already in progress", e.getMessage());
            e = assertThrows(JedisDataException.class, j::bgsave);
            assertEquals("ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE "
                    + "in order to schedule a BGSAVE whenever possible.", e.getMessage());
            j.configSet("rdb-key-save-delay", "0");
            awaitRewriteDone(j);
            j.configSet("rdb-key-save-delay", "5000");
            assertEquals("Background saving started", j.bgsave());
            assertEquals("Background append only file rewriting scheduled", j.bgrewriteaof());
            assertEquals("1", info(j, "aof_rewrite_scheduled"));
            j.configSet("rdb-key-save-delay", "0");
            awaitRewriteDone(j);
            assertEquals("2", info(j, "aof_rewrites"));
        }
    }

    @Test
    void automaticRewrite() throws Exception {
        try (TestServer s = start("--auto-aof-rewrite-percentage", "100", "--auto-aof-rewrite-min-size", "100000");
             Jedis j = s.jedis()) {
            assertEquals("0", info(j, "aof_rewrites"));
            String value = "x".repeat(100);
            for (int i = 0; i < 1500; i++) j.set("k" + (i % 10), value);
            Await.until(() -> info(j, "aof_rewrites").equals("1"), "the automatic rewrite", 10);
            awaitRewriteDone(j);
            assertTrue(Long.parseLong(info(j, "aof_current_size")) < 100000);
        }
    }

    @Test
    void configSetAppendonlyYesAtRunTime() throws Exception {
        try (TestServer s = TestServer.start("--dir", dir.toString(), "--appendonly", "no", "--save", "",
                "--enable-debug-command", "yes"); Jedis j = s.jedis()) {
            AofCompatibilityTest.writeDataset(j, 1);
            assertEquals("OK", j.configSet("appendonly", "yes"));
            assertEquals("1", info(j, "aof_enabled"));
            j.set("during", "the first rewrite");
            awaitRewriteDone(j);
            assertEquals("ok", info(j, "aof_last_bgrewrite_status"));
            j.set("after", "it");
            AofCompatibilityTest.writeDataset(j, 2);
            String digest = AofRoundTripTest.digest(s);
            j.shutdown();
            try (TestServer again = start(); Jedis k = again.jedis()) {
                assertEquals("the first rewrite", k.get("during"));
                assertEquals(digest, AofRoundTripTest.digest(again));
            }
        } catch (redis.clients.jedis.exceptions.JedisConnectionException ignored) {
            // SHUTDOWN closes the connection
        }
    }

    @Test
    void shutdownRefusedWhileTheInitialAofIsWritten() throws Exception {
        try (TestServer s = TestServer.start("--dir", dir.toString(), "--appendonly", "no", "--save", "");
             Jedis j = s.jedis()) {
            for (int i = 0; i < 200; i++) j.set("k" + i, "v");
            j.configSet("rdb-key-save-delay", "5000"); // about a second
            assertEquals("OK", j.configSet("appendonly", "yes"));
            assertEquals("1", info(j, "aof_rewrite_in_progress"));
            var e = assertThrows(JedisDataException.class, j::shutdown);
            assertEquals("ERR Errors trying to SHUTDOWN. Check logs.", e.getMessage());
            j.configSet("rdb-key-save-delay", "0");
            awaitRewriteDone(j);
            assertEquals("v", j.get("k199"));
        }
    }

    @Test
    void configSetAppendonlyNoStopsAppending() throws Exception {
        try (TestServer s = start(); Jedis j = s.jedis()) {
            j.set("a", "1");
            assertEquals("OK", j.configSet("appendonly", "no"));
            assertEquals("0", info(j, "aof_enabled"));
            j.set("b", "2");
        }
        try (TestServer s = start(); Jedis j = s.jedis()) {
            assertEquals("1", j.get("a"));
            assertFalse(j.exists("b"));
        }
    }

    @Test
    void fullDiskKeepsThePreviousSet() throws Exception {
        try (TestServer s = start(); Jedis j = s.jedis()) {
            for (int i = 0; i < 100; i++) j.set("k" + i, "v" + i);
            Path base = aofDir().resolve("appendonly.aof.1.base.rdb");
            byte[] baseBefore = Files.readAllBytes(base);
            Path temp = aofDir().resolve("temp-rewriteaof-bg-" + ProcessHandle.current().pid() + ".aof");
            Files.createSymbolicLink(temp, Path.of("/dev/full"));
            assertEquals("Background append only file rewriting started", j.bgrewriteaof());
            Await.until(() -> info(j, "aof_rewrite_in_progress").equals("0"), "the rewrite to fail", 30);
            assertEquals("err", info(j, "aof_last_bgrewrite_status"));
            assertEquals("1", info(j, "aof_rewrites_consecutive_failures"));
            assertFalse(Files.exists(temp, java.nio.file.LinkOption.NOFOLLOW_LINKS));
            assertTrue(java.util.Arrays.equals(baseBefore, Files.readAllBytes(base)));
            assertEquals("OK", j.set("still", "writable"));
            String manifest = Files.readString(aofDir().resolve("appendonly.aof.manifest"));
            assertTrue(manifest.startsWith("file appendonly.aof.1.base.rdb seq 1 type b\n"
                    + "file appendonly.aof.1.incr.aof seq 1 type i\n"), manifest);
            // a later rewrite succeeds
            assertEquals("Background append only file rewriting started", j.bgrewriteaof());
            awaitRewriteDone(j);
            assertEquals("ok", info(j, "aof_last_bgrewrite_status"));
        }
        try (TestServer s = start(); Jedis j = s.jedis()) {
            assertEquals("v99", j.get("k99"));
            assertEquals("writable", j.get("still"));
        }
    }

    /**
     * aofRewriteLimited: after three failed rewrites in a row the automatic ones wait (1 minute,
     * then doubling) with Redis's log line; BGREWRITEAOF is not limited.
     */
    @Test
    void repeatedFailuresHoldAutomaticRewritesBack() throws Exception {
        Path log = dir.resolve("ember.log");
        try (TestServer s = start("--auto-aof-rewrite-percentage", "100", "--auto-aof-rewrite-min-size", "2000",
                "--logfile", log.toString()); Jedis j = s.jedis()) {
            // a non-empty directory where the temp base goes: every rewrite fails to open it
            Path temp = aofDir().resolve("temp-rewriteaof-bg-" + ProcessHandle.current().pid() + ".aof");
            Files.createDirectories(temp);
            Files.writeString(temp.resolve("blocker"), "x");
            String value = "x".repeat(100);
            for (int i = 0; i < 100; i++) j.set("k" + (i % 10), value);
            String limitLine = "Background AOF rewrite has repeatedly failed and triggered the limit, will retry in 1 minutes";
            Await.until(() -> logContains(log, limitLine), "the rewrite limit", 15);
            assertEquals("3", info(j, "aof_rewrites_consecutive_failures"));
            String started = info(j, "aof_rewrites");
            for (int i = 0; i < 100; i++) j.set("k" + (i % 10), value);
            Thread.sleep(600); // six cron turns: none may start an automatic rewrite now
            assertEquals(started, info(j, "aof_rewrites"));
            assertEquals("3", info(j, "aof_rewrites_consecutive_failures"));

            assertEquals("Background append only file rewriting started", j.bgrewriteaof());
            Await.until(() -> info(j, "aof_rewrites_consecutive_failures").equals("4"), "the manual rewrite to fail", 10);
            Files.delete(temp.resolve("blocker"));
            Files.delete(temp);
            assertEquals("Background append only file rewriting started", j.bgrewriteaof());
            awaitRewriteDone(j);
            assertEquals("ok", info(j, "aof_last_bgrewrite_status"));
            assertEquals("0", info(j, "aof_rewrites_consecutive_failures"));
        }
    }

    private static boolean logContains(Path log, String line) {
        try {
            return Files.readString(log).contains(line);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void rewriteWithTheAofOff() throws Exception {
        try (TestServer s = TestServer.start("--dir", dir.toString(), "--appendonly", "no", "--save", "");
             Jedis j = s.jedis()) {
            j.set("k", "v");
            assertEquals("Background append only file rewriting started", j.bgrewriteaof());
            awaitRewriteDone(j);
        }
        assertEquals("file appendonly.aof.1.base.rdb seq 1 type b\n",
                Files.readString(aofDir().resolve("appendonly.aof.manifest")));
        assertNotEquals(0, Files.size(aofDir().resolve("appendonly.aof.1.base.rdb")));
    }
}
