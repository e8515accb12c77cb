package io.ember.persist.rdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.RawConnection;
import io.ember.testing.RedisServerProcess;
import io.ember.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Encodings redis 7.0 reads but no longer writes (zipmap, ziplist hashes/zsets/lists, quicklist v1,
 * intset, RDB_TYPE_SET/LIST/ZSET with string scores, EXPIRETIME in seconds), built by
 * {@link TestRdbWriter} because Redis's binary fixture files (tests/assets/*.rdb) are not
 * available here. redis-server 7.0 loads the same file and both must hold the same dataset. The
 * v11-only set listpack (which 7.0 refuses) is checked against expected contents.
 */
class RdbLegacyEncodingsTest {

    static byte[] legacyFile(int version) {
        long future = System.currentTimeMillis() / 1000 + 3600;
        List<Object> bigZl = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            bigZl.add("field" + i);
            bigZl.add((long) i * 1000);
        }
        TestRdbWriter w = new TestRdbWriter().header(version).aux("redis-ver", "2.8.0").aux("unknown-aux", "ignored");
        w.selectDb(0);
        w.key(Rdb.TYPE_HASH_ZIPMAP, "h:zipmap").string(TestRdbWriter.zipmap(List.of("f1", "v1", "f2", "123", "long", "x".repeat(300))));
        w.key(Rdb.TYPE_HASH_ZIPMAP, "h:zipmap-small").string(TestRdbWriter.zipmap(List.of("a", "1", "b", "two")));
        w.key(Rdb.TYPE_HASH_ZIPLIST, "h:ziplist").string(TestRdbWriter.ziplist(List.of("a", 1L, "b", -300L, "c", "text", "12", 70000L)));
        w.key(Rdb.TYPE_HASH_ZIPLIST, "h:ziplist-big").string(TestRdbWriter.ziplist(bigZl));
        w.key(Rdb.TYPE_ZSET_ZIPLIST, "z:ziplist").string(TestRdbWriter.ziplist(List.of("m1", 1L, "m2", "2.5", "m3", 1L << 40)));
        w.key(Rdb.TYPE_LIST_ZIPLIST, "l:ziplist").string(TestRdbWriter.ziplist(List.of("a", 5L, "b".repeat(100), -9000000000L, 100000L)));
        w.key(Rdb.TYPE_LIST_QUICKLIST, "l:quicklist").length(2)
                .string(TestRdbWriter.ziplist(List.of("x", "y", 3L)))
                .string(TestRdbWriter.ziplist(List.of("z".repeat(70), (long) Integer.MIN_VALUE)));
        w.key(Rdb.TYPE_SET_INTSET, "s:intset16").string(TestRdbWriter.intset(2, -5, 1, 300));
        w.key(Rdb.TYPE_SET_INTSET, "s:intset64").string(TestRdbWriter.intset(8, Long.MIN_VALUE, 0, Long.MAX_VALUE));
        w.key(Rdb.TYPE_SET, "s:plain").length(3).string("1").string("b").string("c");
        w.key(Rdb.TYPE_SET, "s:plain-ints").length(2).string("10").string("-3");
        w.key(Rdb.TYPE_LIST, "l:linked").length(3).string("one").string("2").string("three");
        w.key(Rdb.TYPE_ZSET, "z:old").length(4).string("a").stringDouble(1.5).string("b").stringDouble(Double.POSITIVE_INFINITY)
                .string("c").stringDouble(Double.NEGATIVE_INFINITY).string("d").stringDouble(-0.1);
        w.key(Rdb.TYPE_HASH, "h:plain").length(2).string("f").string("v").string("g").string("w");
        w.u8(Rdb.OPCODE_EXPIRETIME).le32(future).key(Rdb.TYPE_STRING, "s:expire-seconds").string("v");
        w.u8(Rdb.OPCODE_EXPIRETIME).le32(1000).key(Rdb.TYPE_STRING, "s:expired-long-ago").string("v");
        w.u8(Rdb.OPCODE_EXPIRETIME_MS).le64(future * 1000 + 5).key(Rdb.TYPE_STRING, "s:expire-ms").string("v");
        w.selectDb(3);
        w.key(Rdb.TYPE_STRING, "in-db-3").string("x");
        return w.finish(version >= 5);
    }

    private void compareWithRedis(int version, String... thresholds) throws Exception {
        Path rdir = Files.createTempDirectory("ember-legacy-redis");
        Path edir = Files.createTempDirectory("ember-legacy");
        try {
            byte[] file = legacyFile(version);
            Files.write(rdir.resolve("legacy.rdb"), file);
            Files.write(edir.resolve("legacy.rdb"), file);
            List<String> rargs = new ArrayList<>(List.of("--dir", rdir.toString(), "--dbfilename", "legacy.rdb"));
            rargs.addAll(List.of(thresholds));
            List<String> eargs = new ArrayList<>(List.of("--dir", edir.toString(), "--dbfilename", "legacy.rdb", "--enable-debug-command", "yes"));
            eargs.addAll(List.of(thresholds));
            try (RedisServerProcess redis = RedisServerProcess.start(rargs.toArray(String[]::new));
                 TestServer ember = TestServer.start(eargs.toArray(String[]::new));
                 RawConnection r = redis.raw(); RawConnection e = ember.raw()) {
                try (Jedis j = new Jedis("127.0.0.1", redis.port())) {
                    assertTrue(j.exists("h:zipmap"), "redis loaded the hand-built file");
                }
                RdbDataset.assertSameDataset(r, e, true);
                e.call("SELECT", "3");
                assertEquals("$1\r\nx\r\n", new String(e.call("GET", "in-db-3")));
            }
        } finally {
            TestServer.deleteTree(rdir);
            TestServer.deleteTree(edir);
        }
    }

    @Test
    void legacyEncodingsLoadAsInRedis() throws Exception {
        compareWithRedis(9);
    }

    @Test
    void legacyEncodingsConvertUnderSmallThresholds() throws Exception {
        compareWithRedis(9, "--hash-max-listpack-entries", "2", "--zset-max-listpack-entries", "2",
                "--set-max-intset-entries", "2", "--hash-max-listpack-value", "2", "--list-max-listpack-size", "2");
    }

    @Test
    void oldVersionWithoutChecksum() throws Exception {
        compareWithRedis(4);
    }

    /** RDB 11 (Redis 7.2) set listpacks: an intset when all members are integers and few, else a hashtable. */
    @Test
    void version11SetListpack() throws Exception {
        byte[] ints = io.ember.type.Listpack.empty();
        for (String m : List.of("3", "1", "-2")) ints = io.ember.type.Listpack.append(ints, RdbDataset.b(m));
        byte[] strs = io.ember.type.Listpack.empty();
        for (String m : List.of("a", "1", "b")) strs = io.ember.type.Listpack.append(strs, RdbDataset.b(m));
        byte[] file = new TestRdbWriter().header(11).selectDb(0)
                .key(Rdb.TYPE_SET_LISTPACK, "ints").string(ints)
                .key(Rdb.TYPE_SET_LISTPACK, "strs").string(strs)
                .finish(true);
        Path dir = Files.createTempDirectory("ember-v11");
        try {
            Files.write(dir.resolve("dump.rdb"), file);
            try (TestServer ember = TestServer.start("--dir", dir.toString()); Jedis e = ember.jedis()) {
                assertEquals(Set.of("3", "1", "-2"), e.smembers("ints"));
                assertEquals("intset", e.objectEncoding("ints"));
                assertEquals(Set.of("a", "1", "b"), e.smembers("strs"));
                assertEquals("hashtable", e.objectEncoding("strs"));
            }
        } finally {
            TestServer.deleteTree(dir);
        }
    }
}
