package io.ember.persist.aof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;

/**
 * ember-check-aof against redis-check-aof 7.0.15 (same output and exit code for command files,
 * valid, torn, bad prefix, unterminated MULTI), --fix, --truncate-to-timestamp, and point-in-time
 * recovery: truncating an Ember AOF to a noted second and restarting gives the dataset of then.
 */
class CheckAofTest {
    @TempDir
    Path dir;

    private static String cmd(String... args) {
        StringBuilder sb = new StringBuilder("*" + args.length + "\r\n");
        for (String a : args) sb.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        return sb.toString();
    }

    private record Outcome(int code, String out) {}

    private Outcome ember(String... args) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int code = CheckAof.run(args, new PrintStream(b, true, StandardCharsets.UTF_8));
        return new Outcome(code, b.toString(StandardCharsets.UTF_8));
    }

    private Outcome redis(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/redis-check-aof"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Outcome(p.waitFor(), out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"valid", "torn", "prefix", "multi", "nested", "newline", "annotated"})
    void sameOutputAsRedisCheckAof(String kind) throws Exception {
        String good = cmd("SET", "a", "1") + cmd("MULTI") + cmd("INCR", "n") + cmd("EXEC");
        String content = switch (kind) {
            case "valid" -> good;
            case "torn" -> good + "*2\r\n$3\r\nDE";
            case "prefix" -> good + "*1\r\n+PING\r\n";
            case "multi" -> good + cmd("MULTI") + cmd("INCR", "n");
            case "nested" -> good + cmd("MULTI") + cmd("MULTI");
            case "newline" -> good + "*1\r\n$4\r\nPINGxx";
            default -> "#TS:100\r\n" + good + "#TS:101\r\n" + good;
        };
        Path a = dir.resolve("a.aof");
        Files.writeString(a, content, StandardCharsets.ISO_8859_1);
        Outcome r = redis("a.aof");
        Outcome e = ember(a.toString());
        assertEquals(r.code, e.code, r.out + "\n---\n" + e.out);
        assertEquals(r.out.replace("a.aof", a.toString()), e.out);
    }

    @Test
    void fixTruncatesWithoutAsking() throws Exception {
        Path a = dir.resolve("a.aof");
        String good = cmd("SET", "a", "1");
        Files.writeString(a, good + "*2\r\n$3\r\nDE", StandardCharsets.ISO_8859_1);
        Outcome e = ember("--fix", a.toString());
        assertEquals(0, e.code, e.out);
        assertTrue(e.out.endsWith("Successfully truncated AOF " + a + "\n"), e.out);
        assertEquals(good, Files.readString(a, StandardCharsets.ISO_8859_1));
        assertEquals(0, redis("a.aof").code);
    }

    @Test
    void truncateToTimestampLikeRedis() throws Exception {
        String content = "#TS:100\r\n" + cmd("SET", "a", "1") + "#TS:200\r\n" + cmd("SET", "b", "2");
        Path a = dir.resolve("a.aof"), b = dir.resolve("b.aof");
        Files.writeString(a, content, StandardCharsets.ISO_8859_1);
        Files.writeString(b, content, StandardCharsets.ISO_8859_1);
        Outcome r = redis("--truncate-to-timestamp", "150", "b.aof");
        Outcome e = ember("--truncate-to-timestamp", "150", a.toString());
        assertEquals(r.code, e.code);
        assertEquals(r.out.replace("b.aof", a.toString()), e.out);
        assertEquals(Files.readString(b, StandardCharsets.ISO_8859_1), Files.readString(a, StandardCharsets.ISO_8859_1));
        assertEquals("#TS:100\r\n" + cmd("SET", "a", "1"), Files.readString(a, StandardCharsets.ISO_8859_1));
        // nothing before the timestamp: refused
        assertEquals(1, ember("--truncate-to-timestamp", "50", b.toString()).code);
    }

    @Test
    void pointInTimeRecovery() throws Exception {
        String[] args = {"--dir", dir.toString(), "--appendonly", "yes", "--aof-timestamp-enabled", "yes",
            "--enable-debug-command", "yes", "--save", ""};
        String before;
        long noted;
        try (TestServer s = TestServer.start(args); Jedis j = s.jedis()) {
            for (int i = 0; i < 50; i++) j.set("k" + i, "old" + i);
            j.rpush("list", "a", "b");
            before = AofRoundTripTest.digest(s);
            noted = System.currentTimeMillis() / 1000;
            Thread.sleep((noted + 1) * 1000 - System.currentTimeMillis() + 150); // into the next second
            for (int i = 0; i < 50; i++) j.set("k" + i, "new" + i);
            j.rpush("list", "c");
            j.set("later", "x");
            assertTrue(!before.equals(AofRoundTripTest.digest(s)));
        }
        Path manifest = dir.resolve("appendonlydir/appendonly.aof.manifest");
        Outcome e = ember("--truncate-to-timestamp", Long.toString(noted), manifest.toString());
        assertEquals(0, e.code, e.out);
        assertTrue(e.out.contains("Successfully truncated AOF appendonly.aof.1.incr.aof to timestamp " + noted), e.out);
        assertTrue(e.out.endsWith("All AOF files and manifest are valid\n"), e.out);
        try (TestServer s = TestServer.start(args); Jedis j = s.jedis()) {
            assertEquals(before, AofRoundTripTest.digest(s));
            assertEquals("old7", j.get("k7"));
            assertEquals(List.of("a", "b"), j.lrange("list", 0, -1));
        }
    }

    @Test
    void emberDirectoryWithRewriteChecksLikeRedis() throws Exception {
        try (TestServer s = TestServer.start("--dir", dir.toString(), "--appendonly", "yes", "--save", "",
                "--aof-use-rdb-preamble", "no"); Jedis j = s.jedis()) {
            j.set("a", "1");
            j.bgrewriteaof();
            AofRewriteTest.awaitRewriteDone(j);
            j.set("b", "2");
        }
        Path manifest = dir.resolve("appendonlydir/appendonly.aof.manifest");
        Outcome r = redis(manifest.toString());
        Outcome e = ember(manifest.toString());
        assertEquals(0, r.code, r.out);
        assertEquals(r.out, e.out);
    }
}
