package io.ember.persist.rdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.RedisServerProcess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** ember-check-rdb's checker on good and bad files: exit code and report (CheckRdbIT runs the launcher). */
class CheckRdbTest {
    @TempDir
    Path dir;

    record Result(int code, String out) {}

    static Result check(Path file) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code = CheckRdb.run(new String[] {file.toString()}, new PrintStream(buf, true, StandardCharsets.UTF_8));
        return new Result(code, buf.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aRedisFileLooksOk() throws Exception {
        Path file = dir.resolve("dump.rdb");
        try (RedisServerProcess redis = RedisServerProcess.start(); Jedis j = new Jedis("127.0.0.1", redis.port())) {
            j.set("a", "1");
            j.setex("b", 1000, "2");
            j.select(2);
            j.sadd("s", "x");
            j.save();
            Files.copy(redis.dir().resolve("dump.rdb"), file);
        }
        Result r = check(file);
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("RDB format version 10"), r.out());
        assertTrue(r.out().contains("AUX FIELD redis-ver = '7.0"), r.out());
        assertTrue(r.out().contains("Checksum OK"), r.out());
        assertTrue(r.out().contains("\\o/ RDB looks OK! \\o/"), r.out());
        assertTrue(r.out().contains("[info] db 0: 2 keys, 1 expires"), r.out());
        assertTrue(r.out().contains("[info] db 2: 1 keys, 0 expires"), r.out());
        assertTrue(r.out().contains("[info] 3 keys read"), r.out());

        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 3));
        r = check(file);
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("--- RDB ERROR DETECTED ---"), r.out());
        assertTrue(r.out().contains("[offset " + (bytes.length - 8) + "] Unexpected end of data"), bytes.length + "\n" + r.out());
    }

    /** Streams are checked like any value: every layout counts as a key, a broken one is reported with its offset. */
    @Test
    void streams() throws Exception {
        Path file = dir.resolve("s.rdb");
        for (int[] tv : new int[][] {{Rdb.TYPE_STREAM_LISTPACKS, 9}, {Rdb.TYPE_STREAM_LISTPACKS_2, 10}, {Rdb.TYPE_STREAM_LISTPACKS_3, 11}}) {
            Files.write(file, StreamFixture.sample(tv[0]).file(tv[1], "stream"));
            Result r = check(file);
            assertEquals(0, r.code(), r.out());
            assertTrue(r.out().contains("[info] db 0: 1 keys, 0 expires"), r.out());
        }
        StreamFixture broken = StreamFixture.sample(Rdb.TYPE_STREAM_LISTPACKS_2);
        broken.groups.get(0).consumers.get(1).pel.clear();
        Files.write(file, broken.file(10, "stream"));
        Result r = check(file);
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("--- RDB ERROR DETECTED ---"), r.out());
        assertTrue(r.out().matches("(?s).*\\[offset \\d+\\] Stream CG PEL entry without consumer.*"), r.out());
    }

    @Test
    void checksumDisabledAndBadFiles() throws Exception {
        Path file = dir.resolve("x.rdb");
        Files.write(file, new TestRdbWriter().header(10).selectDb(0).key(0, "k").string("v").finish(false));
        Result r = check(file);
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("checksum disabled: no check performed"), r.out());

        Files.write(file, new TestRdbWriter().header(12).finish(true));
        r = check(file);
        assertEquals(1, r.code());
        assertTrue(r.out().contains("[offset 5] Can't handle RDB format version 12"), r.out());

        Files.write(file, new TestRdbWriter().header(10).selectDb(0).key(Rdb.TYPE_SET, "s").length(2).string("a").string("a").finish(true));
        r = check(file);
        assertEquals(1, r.code());
        assertTrue(r.out().contains("Duplicate set members detected"), r.out());

        r = check(dir.resolve("missing.rdb"));
        assertEquals(1, r.code());
        assertTrue(r.out().contains("Cannot read"), r.out());
        assertEquals(1, CheckRdb.run(new String[0], new PrintStream(new ByteArrayOutputStream())));
    }
}
