package io.ember.persist.rdb;

import static io.ember.persist.rdb.StreamRdbDataset.b;
import static io.ember.persist.rdb.StreamRdbDataset.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.RawConnection;
import io.ember.testing.RedisServerProcess;
import io.ember.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Streams cross between Ember and redis-server 7.0 in both directions, through RDB files and
 * through DUMP/RESTORE, with identical contents (entries, nodes, counters, groups, PELs with their
 * delivery times and counts, consumers with their seen times, TTLs), and the loaded streams then
 * behave the same on both servers. redis-check-rdb accepts Ember's file; Redis deep-sanitizes
 * Ember's DUMP payloads (sanitize-dump-payload yes) and accepts them.
 */
class StreamRdbCompatibilityTest {

    @Test
    void redisFileLoadsIntoEmber() throws Exception {
        Path dir = Files.createTempDirectory("ember-streamrdb");
        try (RedisServerProcess redis = RedisServerProcess.start(); RawConnection r = redis.raw()) {
            StreamRdbDataset.build(r);
            try (TestServer ember = RdbLoadCompatibilityTest.emberOnCopyOf(redis, dir); RawConnection e = ember.raw()) {
                StreamRdbDataset.assertSameStreams(r, e);
                StreamRdbDataset.assertSameFollowUps(r, e);
            }
        } finally {
            TestServer.deleteTree(dir);
        }
    }

    @Test
    void emberFileLoadsIntoRedis() throws Exception {
        for (String compression : List.of("yes", "no")) {
            try (TestServer ember = TestServer.start("--enable-debug-command", "yes", "--rdbcompression", compression);
                 RawConnection e = ember.raw()) {
                StreamRdbDataset.build(e);
                assertEquals("+OK\r\n", text(e.call("SAVE")));
                Path file = ember.dir().resolve("dump.rdb");
                RdbWriteCompatibilityTest.checkRdb(file);
                Path copy = Files.createTempDirectory("ember-streamrdb");
                Files.copy(file, copy.resolve("dump.rdb"));
                try (RedisServerProcess redis = RedisServerProcess.start("--dir", copy.toString(), "--sanitize-dump-payload", "yes");
                     RawConnection r = redis.raw()) {
                    RdbWriteCompatibilityTest.connect(redis).close();
                    StreamRdbDataset.assertSameStreams(e, r);
                    StreamRdbDataset.assertSameFollowUps(e, r);
                } finally {
                    TestServer.deleteTree(copy);
                }
            }
        }
    }

    /** Each server RESTOREs the other's DUMP payloads (into database 1) to the same stream. */
    @Test
    void dumpPayloadsRestoreBothWays() {
        try (TestServer ember = TestServer.start("--enable-debug-command", "yes");
             RedisServerProcess redis = RedisServerProcess.start("--sanitize-dump-payload", "yes");
             RawConnection e = ember.raw(); RawConnection r = redis.raw()) {
            StreamRdbDataset.build(e);
            StreamRdbDataset.build(r);
            for (String key : StreamRdbDataset.KEYS) {
                restoreInto(r, e, key);
                restoreInto(e, r, key);
            }
        }
    }

    /** DUMPs {@code key} on {@code from}, RESTOREs it in database 1 of {@code to}, compares. */
    private static void restoreInto(RawConnection from, RawConnection to, String key) {
        byte[] payload = RestoreCompatibilityTest.bulk(from.call("DUMP", key));
        long ttl = Math.max(0, Long.parseLong(text(from.call("PTTL", key)).trim().substring(1)));
        to.call("SELECT", "1");
        try {
            assertEquals("+OK\r\n", text(to.callBytes(b("RESTORE"), b(key), b("" + ttl), payload)), key);
            try (RawConnection view = new RawConnection("127.0.0.1", port(to))) {
                // compare from a connection on database 1 of the target
                view.call("SELECT", "1");
                StreamRdbDataset.assertSameStream(from, key, view, key);
            }
            to.call("DEL", key);
        } finally {
            to.call("SELECT", "0");
        }
    }

    private static int port(RawConnection c) {
        return c.socket().getPort();
    }

    /** RESTORE creating a stream serves a client blocked in XREAD on that key, as Redis's dbAdd signals it. */
    @Test
    void restoreWakesABlockedReader() throws Exception {
        try (TestServer ember = TestServer.start();
             RedisServerProcess redis = RedisServerProcess.start()) {
            List<String> replies = new ArrayList<>();
            for (int port : new int[] {redis.port(), ember.port()}) {
                try (RawConnection blocked = new RawConnection("127.0.0.1", port); RawConnection c = new RawConnection("127.0.0.1", port)) {
                    c.call("XADD", "src", "5-0", "f", "v");
                    byte[] payload = RestoreCompatibilityTest.bulk(c.call("DUMP", "src"));
                    blocked.send(io.ember.testing.RawConnection.encode(io.ember.testing.RawConnection.args(
                            "XREAD", "BLOCK", "5000", "STREAMS", "k", "$")));
                    Thread.sleep(200);
                    assertEquals("+OK\r\n", text(c.callBytes(b("RESTORE"), b("k"), b("0"), payload)));
                    long start = System.nanoTime();
                    replies.add(text(blocked.readReply()));
                    assertTrue(System.nanoTime() - start < 2_000_000_000L, "served at once, not at the timeout");
                }
            }
            assertEquals(replies.get(0), replies.get(1));
            assertTrue(replies.get(1).contains("5-0"), replies.get(1));
        }
    }

    /**
     * For the same commands, Ember's DUMP payload is Redis's byte for byte wherever the two put
     * node boundaries at the same entries and no time is stored (groups hold delivery and seen
     * times): the listpacks, master fields and SAMEFIELDS flags are the ones Redis builds.
     */
    @Test
    void payloadsMatchRedisByteForByte() {
        try (TestServer ember = TestServer.start("--rdbcompression", "no");
             RedisServerProcess redis = RedisServerProcess.start("--rdbcompression", "no");
             RawConnection e = ember.raw(); RawConnection r = redis.raw()) {
            StreamRdbDataset.build(e);
            StreamRdbDataset.build(r);
            List<String> differ = new ArrayList<>();
            for (String key : List.of("s:empty:xdel", "s:empty:trim", "s:deleted", "s:fields", "s:bigids", "s:ttl",
                    "s:setid", "s:trim", "s:mk", "s:nodes")) {
                if (!java.util.Arrays.equals(e.call("DUMP", key), r.call("DUMP", key))) differ.add(key);
            }
            assertEquals(List.of(), differ);
        }
    }
}
