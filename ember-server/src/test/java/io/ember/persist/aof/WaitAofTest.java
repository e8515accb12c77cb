package io.ember.persist.aof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.RawConnection;
import io.ember.testing.TestServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * WAITAOF (Redis 7.2): answers [1, 0] once the client's writes are fsynced under always and
 * everysec (never before: under appendfsync no it times out with [0, 0]), for the client's own
 * writes only; errors and their order as 7.2; CONFIG SET appendonly no releases a waiting client with the error; replicas are 0.
 */
class WaitAofTest {
    @TempDir
    Path dir;

    private TestServer start(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("--dir", dir.toString(), "--save", ""));
        args.addAll(List.of(extra));
        return TestServer.start(args.toArray(String[]::new));
    }

    private static String call(RawConnection r, String... cmd) {
        return new String(r.call(cmd), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    @Test
    void errorsAsRedis72() throws Exception {
        try (TestServer s = start("--appendonly", "no"); RawConnection r = s.raw()) {
            String off = "-ERR WAITAOF cannot be used when numlocal is set but appendonly is disabled.\r\n";
            assertEquals(off, call(r, "WAITAOF", "1", "0", "0"));
            assertEquals("*2\r\n:0\r\n:0\r\n", call(r, "WAITAOF", "0", "0", "0"));
            assertEquals("-ERR timeout is negative\r\n", call(r, "WAITAOF", "1", "0", "-5"));
            assertEquals("-ERR value is out of range, must be positive\r\n", call(r, "WAITAOF", "1", "abc", "100"));
            assertEquals("-ERR value is not an integer or out of range\r\n", call(r, "WAITAOF", "abc", "0", "0"));
            assertEquals("-ERR value is out of range, value must between 0 and 1\r\n", call(r, "WAITAOF", "2", "0", "0"));
            assertEquals("-ERR value is out of range, value must between 0 and 1\r\n", call(r, "WAITAOF", "-1", "0", "0"));
            assertEquals("-ERR value is out of range, must be positive\r\n", call(r, "WAITAOF", "0", "-1", "0"));
            assertEquals("-ERR timeout is not an integer or out of range\r\n", call(r, "WAITAOF", "0", "0", "abc"));
            assertEquals("-ERR wrong number of arguments for 'waitaof' command\r\n", call(r, "WAITAOF", "0", "0"));
        }
    }

    @Test
    void everysecAnswersAfterTheFsync() throws Exception {
        try (TestServer s = start("--appendonly", "yes", "--appendfsync", "everysec"); Jedis j = s.jedis();
             RawConnection r = s.raw()) {
            call(r, "INCR", "foo");
            long t0 = System.nanoTime();
            assertEquals("*2\r\n:1\r\n:0\r\n", call(r, "WAITAOF", "1", "0", "0"));
            assertTrue((System.nanoTime() - t0) / 1_000_000 < 3000);
            // the reply came only after a background fsync covered the INCR
            assertTrue(s.server().engine().persistence.aof.fsyncedOffset() > 0);
        }
    }

    @Test
    void alwaysAnswersAtOnce() throws Exception {
        try (TestServer s = start("--appendonly", "yes", "--appendfsync", "always"); RawConnection r = s.raw()) {
            call(r, "INCR", "foo");
            assertEquals("*2\r\n:1\r\n:0\r\n", call(r, "WAITAOF", "1", "0", "0"));
        }
    }

    @Test
    void appendfsyncNoTimesOutWithZero() throws Exception {
        try (TestServer s = start("--appendonly", "yes", "--appendfsync", "no"); RawConnection r = s.raw()) {
            call(r, "INCR", "foo");
            long t0 = System.nanoTime();
            assertEquals("*2\r\n:0\r\n:0\r\n", call(r, "WAITAOF", "1", "0", "200"));
            assertTrue((System.nanoTime() - t0) / 1_000_000 >= 190);
            // a client waits for its own writes only: one that wrote nothing is answered at once
            try (RawConnection other = s.raw()) {
                assertEquals("*2\r\n:1\r\n:0\r\n", call(other, "WAITAOF", "1", "0", "0"));
                call(other, "GET", "foo");
                assertEquals("*2\r\n:1\r\n:0\r\n", call(other, "WAITAOF", "1", "0", "0"));
            }
            // replicas asked for: the timeout, then the local count
            assertEquals("*2\r\n:0\r\n:0\r\n", call(r, "WAITAOF", "0", "1", "50"));
            // inside MULTI it never blocks
            call(r, "MULTI");
            call(r, "WAITAOF", "1", "0", "0");
            assertEquals("*1\r\n*2\r\n:0\r\n:0\r\n", call(r, "EXEC"));
        }
    }

    @Test
    void appendonlyNoReleasesTheWaiter() throws Exception {
        try (TestServer s = start("--appendonly", "yes", "--appendfsync", "no"); RawConnection r = s.raw();
             Jedis j = s.jedis()) {
            call(r, "INCR", "foo");
            r.send(RawConnection.encode(RawConnection.args("WAITAOF", "1", "0", "0")));
            Thread.sleep(200);
            assertEquals("OK", j.configSet("appendonly", "no"));
            assertEquals("-ERR WAITAOF cannot be used when numlocal is set but appendonly is disabled.\r\n",
                    new String(r.readReply(), java.nio.charset.StandardCharsets.ISO_8859_1));
        }
    }

    /**
     * no-appendfsync-on-rewrite under always: while a rewrite runs, writes are acknowledged without
     * an fsync, so WAITAOF keeps waiting (as Redis 7.2's fsynced offset stays put) until the rewrite
     * is over; without the option it answers at once.
     */
    @Test
    void noFsyncOnRewriteHoldsWaitaofUntilTheRewriteEnds() throws Exception {
        for (String option : new String[] {"yes", "no"}) {
            TestServer.deleteTree(dir.resolve("appendonlydir"));
            try (TestServer s = start("--appendonly", "yes", "--appendfsync", "always",
                    "--no-appendfsync-on-rewrite", option); Jedis j = s.jedis(); RawConnection r = s.raw()) {
                for (int i = 0; i < 200; i++) j.set("filler:" + i, "v");
                j.configSet("rdb-key-save-delay", "10000"); // 200 keys x 10 ms: the rewrite lasts 2 s
                assertEquals("Background append only file rewriting started", j.bgrewriteaof());
                assertEquals("+OK\r\n", call(r, "SET", "during", "rewrite")); // acknowledged either way
                String expected = option.equals("yes") ? "*2\r\n:0\r\n:0\r\n" : "*2\r\n:1\r\n:0\r\n";
                assertEquals(expected, call(r, "WAITAOF", "1", "0", "300"), option);
                assertEquals("1", AofRewriteTest.info(j, "aof_rewrite_in_progress"));
                j.configSet("rdb-key-save-delay", "0");
                AofRewriteTest.awaitRewriteDone(j);
                assertEquals("*2\r\n:1\r\n:0\r\n", call(r, "WAITAOF", "1", "0", "5000"), option);
            }
        }
    }
}
