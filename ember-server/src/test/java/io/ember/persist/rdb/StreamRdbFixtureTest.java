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
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Hand-made stream values (see {@link StreamFixture}): the three RDB layouts load, and broken ones
 * are refused.
 *
 * <p>Loading: a version 9 file with a type 15 stream (no first ID, max deleted ID, entries added
 * nor entries read: derived) and a version 11 file with a type 21 stream (consumer active times)
 * load into Ember with the contents redis-server 7.0 shows for the same file (type 15) or for the
 * same stream as type 19 (7.0 does not read version 11); RESTORE takes the same payloads.
 *
 * <p>Corruption: a truncated value at every length, listpacks broken in each field of the stream
 * layout, counts that do not match the entries, IDs out of order, and every kind of PEL
 * inconsistency are refused by RESTORE with Redis's "Bad data format" (no key is created, the
 * server goes on) and by the file loader with an error naming the problem.
 */
class StreamRdbFixtureTest {

    /** Ember and redis-server each started on a file; the stream at "s" is compared. */
    private static void assertLoadsAsRedis(byte[] emberFile, byte[] redisFile) throws Exception {
        Path ed = Files.createTempDirectory("ember-streamfix"), rd = Files.createTempDirectory("ember-streamfix");
        try {
            Files.write(ed.resolve("dump.rdb"), emberFile);
            Files.write(rd.resolve("dump.rdb"), redisFile);
            try (TestServer ember = TestServer.start("--dir", ed.toString(), "--enable-debug-command", "yes");
                 RedisServerProcess redis = RedisServerProcess.start("--dir", rd.toString());
                 RawConnection e = ember.raw(); RawConnection r = redis.raw()) {
                RdbWriteCompatibilityTest.connect(redis).close();
                assertEquals(":1\r\n", text(r.call("EXISTS", "s")), "redis loaded the fixture");
                StreamRdbDataset.assertSameStream(r, "s", e, "s");
                assertEquals(":5\r\n", text(e.call("XLEN", "s")));
                assertEquals(3, StreamRdbDataset.groupNames(e, "s").size());
            }
        } finally {
            TestServer.deleteTree(ed);
            TestServer.deleteTree(rd);
        }
    }

    @Test
    void version9Type15LoadsAsRedisLoadsIt() throws Exception {
        byte[] file = StreamFixture.sample(Rdb.TYPE_STREAM_LISTPACKS).file(9, "s");
        assertLoadsAsRedis(file, file);
    }

    @Test
    void version11Type21LoadsAsItsType19Twin() throws Exception {
        assertLoadsAsRedis(StreamFixture.sample(Rdb.TYPE_STREAM_LISTPACKS_3).file(11, "s"),
                StreamFixture.sample(Rdb.TYPE_STREAM_LISTPACKS_2).file(10, "s"));
    }

    /** The version 9 file's derived counters, spelled out: entries-added is the length, groups' entries-read estimated. */
    @Test
    void version9CountersAreDerivedAs70DerivesThem() throws Exception {
        Path d = Files.createTempDirectory("ember-streamfix");
        try {
            Files.write(d.resolve("dump.rdb"), StreamFixture.sample(Rdb.TYPE_STREAM_LISTPACKS).file(9, "s"));
            try (TestServer ember = TestServer.start("--dir", d.toString()); RawConnection e = ember.raw()) {
                String info = text(e.call("XINFO", "STREAM", "s"));
                assertTrue(info.contains("max-deleted-entry-id\r\n$3\r\n0-0\r\n"), info);
                assertTrue(info.contains("entries-added\r\n:5\r\n"), info);
                assertTrue(info.contains("recorded-first-entry-id\r\n$3\r\n1-0\r\n"), info);
                String groups = text(e.call("XINFO", "GROUPS", "s"));
                // g1 at 3-5 (inside the stream): unknown; g2 at 0-0: 0 read, lag 5; g3 at 2-0: unknown.
                assertTrue(groups.contains("$2\r\ng1\r\n$9\r\nconsumers\r\n:3\r\n$7\r\npending\r\n:3\r\n"
                        + "$17\r\nlast-delivered-id\r\n$3\r\n3-5\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n$-1\r\n"), groups);
                assertTrue(groups.contains("$2\r\ng2\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n"
                        + "$17\r\nlast-delivered-id\r\n$3\r\n0-0\r\n$12\r\nentries-read\r\n:0\r\n$3\r\nlag\r\n:5\r\n"), groups);
            }
        } finally {
            TestServer.deleteTree(d);
        }
    }

    /** RESTORE of hand-made payloads (15 with footer 9, 19 with footer 10) on both servers. */
    @Test
    void restoreTakesType15And19Payloads() {
        try (TestServer ember = TestServer.start("--enable-debug-command", "yes");
             RedisServerProcess redis = RedisServerProcess.start("--sanitize-dump-payload", "yes");
             RawConnection e = ember.raw(); RawConnection r = redis.raw()) {
            for (int[] tv : new int[][] {{Rdb.TYPE_STREAM_LISTPACKS, 9}, {Rdb.TYPE_STREAM_LISTPACKS_2, 10}}) {
                byte[] p = StreamFixture.sample(tv[0]).payload(tv[1]);
                String key = "s" + tv[0];
                assertEquals("+OK\r\n", text(r.callBytes(b("RESTORE"), b(key), b("0"), p)), "redis, type " + tv[0]);
                assertEquals("+OK\r\n", text(e.callBytes(b("RESTORE"), b(key), b("0"), p)), "ember, type " + tv[0]);
                StreamRdbDataset.assertSameStream(r, key, e, key);
            }
            // 7.0 takes no version 11 payload (its footer version is above 10), as Redis.
            byte[] p21 = StreamFixture.sample(Rdb.TYPE_STREAM_LISTPACKS_3).payload(11);
            assertEquals(text(r.callBytes(b("RESTORE"), b("s21"), b("0"), p21)), text(e.callBytes(b("RESTORE"), b("s21"), b("0"), p21)));
        }
    }

    // ---- corruption ---------------------------------------------------------------------------

    /** One broken variant of the sample: what it breaks, and the error the file loader must give. */
    private record Broken(String what, String error, Consumer<StreamFixture> breakIt) {}

    private static StreamFixture.Group g1(StreamFixture f) {
        return f.groups.get(0);
    }

    private static final List<Broken> BROKEN = List.of(
            new Broken("node key of 15 bytes", "Stream node key entry is not the size of a stream ID",
                    f -> f.nodes.get(0)[0] = Arrays.copyOf(f.nodes.get(0)[0], 15)),
            new Broken("listpack total bytes off by one", "Stream listpack integrity check failed.",
                    f -> f.nodes.get(0)[1][0]++),
            new Broken("empty listpack", "Empty listpack inside stream",
                    f -> f.nodes.get(0)[1] = StreamFixture.listpack(List.of())),
            new Broken("master entry without its zero terminator", "Stream listpack integrity check failed.",
                    f -> f.nodes.set(1, new byte[][] {StreamFixture.id(10, 7),
                            StreamFixture.listpack(List.of(2L, 0L, 1L, "a", 1L, 2L, 0L, 0L, "q", 4L, 2L, 1L, -7L, "r", 4L))})),
            new Broken("wrong lp-count", "Stream listpack integrity check failed.",
                    f -> f.nodes.set(1, new byte[][] {StreamFixture.id(10, 7),
                            StreamFixture.listpack(List.of(2L, 0L, 1L, "a", 0L, 2L, 0L, 0L, "q", 5L, 2L, 1L, -7L, "r", 4L))})),
            new Broken("an entry cut short", "Stream listpack integrity check failed.",
                    f -> f.nodes.set(1, new byte[][] {StreamFixture.id(10, 7),
                            StreamFixture.listpack(List.of(2L, 0L, 1L, "a", 0L, 2L, 0L, 0L, "q", 4L, 2L, 1L, -7L))})),
            new Broken("a string where the flags go", "Stream listpack integrity check failed.",
                    f -> f.nodes.set(1, new byte[][] {StreamFixture.id(10, 7),
                            StreamFixture.listpack(List.of(2L, 0L, 1L, "a", 0L, "two", 0L, 0L, "q", 4L, 2L, 1L, -7L, "r", 4L))})),
            new Broken("master count above the entries", "Stream listpack integrity check failed.",
                    f -> f.nodes.set(1, new byte[][] {StreamFixture.id(10, 7),
                            StreamFixture.listpack(List.of(3L, 0L, 1L, "a", 0L, 2L, 0L, 0L, "q", 4L, 2L, 1L, -7L, "r", 4L))})),
            new Broken("deleted count not matching the flags", "Stream listpack integrity check failed.",
                    f -> f.nodes.set(1, new byte[][] {StreamFixture.id(10, 7),
                            StreamFixture.listpack(List.of(1L, 1L, 1L, "a", 0L, 2L, 0L, 0L, "q", 4L, 2L, 1L, -7L, "r", 4L))})),
            new Broken("length above the live entries", "does not match its 5 entries", f -> f.length = 6),
            new Broken("nodes out of order", "does not follow", f -> f.nodes.add(f.nodes.remove(0))),
            new Broken("an entry before its node's key", "before its node",
                    f -> f.nodes.set(1, new byte[][] {StreamFixture.id(10, 7),
                            StreamFixture.listpack(List.of(2L, 0L, 1L, "a", 0L, 2L, -5L, -7L, "q", 4L, 2L, 1L, -7L, "r", 4L))})),
            new Broken("last ID below the last entry", "below entry", f -> f.lastId = new long[] {10, 9}),
            new Broken("entries-added below the length", "below its length", f -> f.entriesAdded = 4),
            new Broken("duplicate group", "Duplicated consumer group name g1", f -> f.groups.get(1).name = "g1"),
            new Broken("duplicate group PEL entry", "Duplicated global PEL entry",
                    f -> g1(f).pel.set(1, new long[] {1, 0, 5, 5})),
            new Broken("duplicate consumer", "Duplicate stream consumer detected.", f -> g1(f).consumers.get(1).name = "alice"),
            new Broken("consumer PEL ID not in the group PEL", "Consumer entry not found in group global PEL",
                    f -> g1(f).consumers.get(2).pel.add(new long[] {3, 5})),
            new Broken("one PEL entry owned by two consumers", "Duplicated consumer PEL entry",
                    f -> g1(f).consumers.get(2).pel.add(new long[] {2, 0})),
            new Broken("group PEL entry without consumer", "Stream CG PEL entry without consumer",
                    f -> g1(f).consumers.get(1).pel.clear()));

    @Test
    void brokenValuesAreRefused() throws Exception {
        try (TestServer ember = TestServer.start(); RawConnection e = ember.raw()) {
            for (Broken x : BROKEN) {
                StreamFixture f = StreamFixture.sample(Rdb.TYPE_STREAM_LISTPACKS_2);
                x.breakIt().accept(f);
                assertEquals("-ERR Bad data format\r\n", text(e.callBytes(b("RESTORE"), b("k"), b("0"), f.payload(10))), x.what());
                assertEquals(":0\r\n", text(e.call("EXISTS", "k")), x.what());
                RdbFormatException err = RdbCorruptionTest.refused(f.file(10, "k"));
                assertTrue(err.reason().contains(x.error()), x.what() + ": " + err.reason());
            }
            assertEquals("+PONG\r\n", text(e.call("PING")));
        }
    }

    /**
     * Random damage (1-3 changed bytes, sometimes a cut) to stream payloads — the fixture and
     * Redis-made streams with groups — with a valid footer: the decoder either refuses with a
     * format error or yields a stream that then works (every entry read back, trimmed, appended
     * to, its groups' lag computed) — never another exception. A share also goes through RESTORE,
     * after which XINFO STREAM FULL, XRANGE and XREADGROUP answer and the server stays up.
     */
    @Test
    void randomlyDamagedPayloadsDecodeOrFailCleanly() {
        List<byte[]> sources = new java.util.ArrayList<>();
        sources.add(StreamFixture.sample(Rdb.TYPE_STREAM_LISTPACKS_2).payload(10));
        sources.add(StreamFixture.sample(Rdb.TYPE_STREAM_LISTPACKS).payload(9));
        try (RedisServerProcess redis = RedisServerProcess.start("--rdbcompression", "no"); RawConnection r = redis.raw()) {
            StreamRdbDataset.build(r);
            for (String key : List.of("s:groups", "s:deleted", "s:fields", "s:trim")) {
                sources.add(RestoreCompatibilityTest.bulk(r.call("DUMP", key)));
            }
        }
        java.util.Random rnd = new java.util.Random(17);
        RdbValueReader reader = new RdbValueReader(new io.ember.config.ServerConfig());
        int accepted = 0;
        try (TestServer ember = TestServer.start("--enable-debug-command", "yes"); RawConnection e = ember.raw()) {
            for (int i = 0; i < 3000; i++) {
                byte[] p = RdbCorruptionTest.corrupt(sources.get(rnd.nextInt(sources.size())), rnd);
                RdbValue v;
                try {
                    v = DumpPayload.decode(p, reader);
                } catch (RdbFormatException ex) {
                    continue;
                } catch (Throwable t) {
                    throw new AssertionError("case " + i + ": " + t, t);
                }
                accepted++;
                exercise((io.ember.type.StreamValue) v.value());
                if (i % 10 == 0) {
                    String reply = text(e.callBytes(b("RESTORE"), b("k"), b("0"), p, b("REPLACE")));
                    assertTrue(reply.equals("+OK\r\n"), reply);
                    assertEquals('*', e.call("XINFO", "STREAM", "k", "FULL")[0]);
                    assertEquals('*', e.call("XRANGE", "k", "-", "+")[0]);
                    e.call("XREADGROUP", "GROUP", "g1", "z", "STREAMS", "k", ">");
                    e.call("XADD", "k", "*", "f", "v");
                }
            }
            assertEquals("+PONG\r\n", text(e.call("PING")));
        }
        System.out.println("damaged stream payloads accepted: " + accepted + " of 3000");
        assertTrue(accepted > 0 && accepted < 3000, "accepted " + accepted);
    }

    /** Walks a decoded stream the ways commands do; any inconsistency shows up as an exception. */
    private static void exercise(io.ember.type.StreamValue s) {
        long n = 0;
        for (io.ember.type.StreamValue.Cursor c = s.range(io.ember.type.StreamId.MIN, io.ember.type.StreamId.MAX, false); c.next(); ) {
            c.copyStrings();
            n++;
        }
        assertEquals(s.length(), n);
        for (io.ember.type.StreamGroup g : s.groups.values()) s.lag(g);
        s.lastEntryId();
        io.ember.type.StreamValue copy = (io.ember.type.StreamValue) s.duplicate();
        copy.trim(Math.max(0, s.length() - 3), null, false, 0);
        io.ember.type.StreamId next = s.lastId.next();
        if (next != null) copy.append(next, new byte[][] {b("f"), b("v")}, 0, 2);
    }

    /** Every prefix of a valid value (with a valid checksum) is refused: a truncated stream never loads. */
    @Test
    void truncatedValuesAreRefused() throws Exception {
        try (TestServer ember = TestServer.start(); RawConnection e = ember.raw()) {
            StreamFixture f = StreamFixture.sample(Rdb.TYPE_STREAM_LISTPACKS_2);
            byte[] value = f.value();
            byte[] full = f.payload(10);
            assertEquals("+OK\r\n", text(e.callBytes(b("RESTORE"), b("whole"), b("0"), full)));
            for (int n = 0; n < value.length; n++) {
                byte[] body = new byte[1 + n];
                body[0] = (byte) Rdb.TYPE_STREAM_LISTPACKS_2;
                System.arraycopy(value, 0, body, 1, n);
                byte[] p = RestoreCompatibilityTest.withFooter(body, 10);
                assertEquals("-ERR Bad data format\r\n", text(e.callBytes(b("RESTORE"), b("k"), b("0"), p)), "prefix " + n);
            }
            assertEquals(":0\r\n", text(e.call("EXISTS", "k")));
            assertEquals(":5\r\n", text(e.call("XLEN", "whole")));
        }
    }
}
