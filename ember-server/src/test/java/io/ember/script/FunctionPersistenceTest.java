package io.ember.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.Await;
import io.ember.testing.RedisServerProcess;
import io.ember.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Function libraries persist as in Redis 7.0: in the RDB (FUNCTION2 records before the databases)
 * both ways between Ember and redis-server (redis-check-rdb accepts Ember's file), captured at a
 * BGSAVE's start, in the AOF (FUNCTION LOAD propagated, rewrite bases in RDB and command format),
 * through DEBUG RELOAD, and untouched by FLUSHALL.
 */
class FunctionPersistenceTest {
    private static final String LIB_A = "#!lua name=liba\n"
            + "redis.register_function{function_name='fa', callback=function(keys, args) return 'A' .. args[1] end,"
            + " flags={'no-writes'}, description='first'}\n";
    private static final String LIB_B = "#!lua name=libb\n"
            + "redis.register_function('fb', function(keys) return redis.call('incr', keys[1]) end)\n";

    @TempDir
    Path dir;

    private static void loadLibraries(Jedis j) {
        assertEquals("liba", j.functionLoad(LIB_A));
        assertEquals("libb", j.functionLoad(LIB_B));
    }

    private static void assertLibraries(Jedis j) {
        assertEquals("Ax", j.fcall("fa", List.of(), List.of("x")));
        assertEquals(2, j.functionList().size());
        assertEquals("libb", j.functionList("libb").get(0).getLibraryName());
    }

    @Test
    void rdbRoundTripAndRedisLoadsEmbersFile() throws Exception {
        try (TestServer s = TestServer.start("--dir", dir.toString()); Jedis j = s.jedis()) {
            loadLibraries(j);
            j.set("k", "v");
            assertEquals("OK", j.save());
        }
        Path file = dir.resolve("dump.rdb");
        checkRdb(file);
        try (TestServer s = TestServer.start("--dir", dir.toString()); Jedis j = s.jedis()) {
            assertLibraries(j);
            assertEquals("v", j.get("k"));
        }
        try (RedisServerProcess redis = RedisServerProcess.start("--dir", dir.toString());
                Jedis r = new Jedis("127.0.0.1", redis.port(), 10_000)) {
            assertLibraries(r);
            assertEquals(1L, r.fcall("fb", List.of("n"), List.of()));
        }
    }

    @Test
    void redisFileLoadsIntoEmber() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start("--dir", dir.toString());
                Jedis r = new Jedis("127.0.0.1", redis.port(), 10_000)) {
            loadLibraries(r);
            r.set("k", "v");
            assertEquals("OK", r.save());
        }
        try (TestServer s = TestServer.start("--dir", dir.toString()); Jedis j = s.jedis()) {
            assertLibraries(j);
            assertEquals("v", j.get("k"));
            assertEquals("first", j.functionList("liba").get(0).getFunctions().get(0).get("description"));
        }
    }

    @Test
    void bgsaveWritesTheLibrariesOfItsStart() throws Exception {
        try (TestServer s = TestServer.start("--dir", dir.toString()); Jedis j = s.jedis()) {
            loadLibraries(j);
            j.bgsave();
            j.functionDelete("liba"); // after the snapshot began: still in the file
            Await.until(() -> j.info("persistence").contains("rdb_bgsave_in_progress:0"), "bgsave done", 10);
        }
        checkRdb(dir.resolve("dump.rdb"));
        try (TestServer s = TestServer.start("--dir", dir.toString()); Jedis j = s.jedis()) {
            assertLibraries(j);
        }
    }

    @Test
    void debugReloadKeepsThemAndFlushallDoesNotTouchThem() {
        try (TestServer s = TestServer.start("--dir", dir.toString(), "--enable-debug-command", "yes"); Jedis j = s.jedis()) {
            loadLibraries(j);
            assertEquals("OK", j.flushAll());
            assertLibraries(j);
            var raw = s.raw();
            assertEquals("+OK\r\n", text(raw.call("debug", "reload")));
            assertLibraries(j);
            // As Redis: NOFLUSH meets the libraries already loaded, MERGE replaces them.
            String e = text(raw.call("debug", "reload", "noflush"));
            assertTrue(e.startsWith("-ERR Error trying to load the RDB dump"), e);
            assertEquals("+OK\r\n", text(raw.call("debug", "reload", "noflush", "merge")));
            assertLibraries(j);
        }
    }

    @Test
    void aofKeepsThemAcrossRestartsAndRewrites() throws Exception {
        String[] args = {"--dir", dir.toString(), "--appendonly", "yes"};
        try (TestServer s = TestServer.start(args); Jedis j = s.jedis()) {
            loadLibraries(j);
            assertEquals(1L, j.fcall("fb", List.of("n"), List.of()));
        }
        Path incr = dir.resolve("appendonlydir/appendonly.aof.1.incr.aof");
        assertTrue(Files.readString(incr, StandardCharsets.ISO_8859_1).contains("FUNCTION\r\n$4\r\nLOAD"));
        for (String preamble : new String[] {"yes", "no"}) {
            try (TestServer s = TestServer.start("--dir", dir.toString(), "--appendonly", "yes", "--aof-use-rdb-preamble", preamble);
                    Jedis j = s.jedis()) {
                assertLibraries(j);
                j.bgrewriteaof();
                Await.until(() -> j.info("persistence").contains("aof_rewrite_in_progress:0")
                        && j.info("persistence").contains("aof_rewrite_scheduled:0"), "rewrite done", 10);
            }
            try (var files = Files.list(dir.resolve("appendonlydir"))) {
                Path base = files.filter(p -> p.getFileName().toString().contains(".base.")).findFirst().orElseThrow();
                String text = Files.readString(base, StandardCharsets.ISO_8859_1);
                if (preamble.equals("no")) {
                    // rewriteFunctions: FUNCTION LOAD per library before the data
                    assertTrue(text.startsWith("*3\r\n$8\r\nFUNCTION\r\n$4\r\nLOAD\r\n"), text);
                } else {
                    assertTrue(text.startsWith("REDIS"), "an RDB preamble");
                    assertTrue(text.contains("#!lua name=liba"), "the library is in the preamble");
                }
            }
            try (TestServer s = TestServer.start(args); Jedis j = s.jedis()) {
                assertLibraries(j);
                assertEquals(2L, j.fcall("fb", List.of("n"), List.of()));
                j.decr("n");
            }
            // redis-server loads the same AOF directory with its libraries
            try (RedisServerProcess redis = RedisServerProcess.start("--dir", dir.toString(), "--appendonly", "yes");
                    Jedis r = new Jedis("127.0.0.1", redis.port(), 10_000)) {
                assertLibraries(r);
                assertEquals("1", r.get("n"));
            }
        }
    }

    private static String text(byte[] reply) {
        return new String(reply, StandardCharsets.ISO_8859_1);
    }

    private static void checkRdb(Path file) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/redis-check-rdb", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("RDB looks OK"), out);
    }
}
