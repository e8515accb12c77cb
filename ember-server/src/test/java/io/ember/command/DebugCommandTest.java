package io.ember.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.resp.RespValue;
import io.ember.testing.Differential;
import io.ember.testing.RawConnection;
import io.ember.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** DEBUG against redis-server: digests of the same data, PROTOCOL shapes, OBJECT, and the rest. */
class DebugCommandTest {

    /** The same random string dataset (binary values, integers, TTLs, three databases) on both servers. */
    @Test
    void digestsEqualRedisForARandomStringDataset() {
        try (Differential d = new Differential()) {
            d.check("DEBUG", "DIGEST"); // empty: forty zeros
            Random rnd = new Random(20240607);
            List<byte[]> keys = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                if (i % 130 == 0) d.check("SELECT", Integer.toString(i / 130));
                byte[] key = ("key:" + i + (rnd.nextBoolean() ? "" : ":" + rnd.nextInt(1000))).getBytes(StandardCharsets.ISO_8859_1);
                keys.add(key);
                byte[] value = switch (rnd.nextInt(4)) {
                    case 0 -> Long.toString(rnd.nextLong() >> rnd.nextInt(64)).getBytes(StandardCharsets.ISO_8859_1);
                    case 1 -> randomBytes(rnd, rnd.nextInt(100));
                    case 2 -> Integer.toString(rnd.nextInt(20000)).getBytes(StandardCharsets.ISO_8859_1);
                    default -> ("text-" + rnd.nextInt()).getBytes(StandardCharsets.ISO_8859_1);
                };
                List<byte[]> cmd = new ArrayList<>(List.of(b("SET"), key, value));
                if (rnd.nextInt(3) == 0) cmd.addAll(List.of(b("EX"), b(Integer.toString(1000 + rnd.nextInt(5000)))));
                d.onBytes(0, Differential.Mode.EXACT, cmd.toArray(byte[][]::new));
            }
            d.check("DEBUG", "DIGEST");
            // Overwrites: one drops its TTL, one keeps it, one gains one.
            d.check("SET", "key:399", "changed");
            d.check("SET", "key:398", "changed", "KEEPTTL");
            d.check("SET", "key:397", "12", "PX", "900000");
            d.check("DEBUG", "DIGEST");
            for (int db = 0; db < 4; db++) {
                d.check("SELECT", Integer.toString(db));
                List<byte[]> cmd = new ArrayList<>(List.of(b("DEBUG"), b("DIGEST-VALUE")));
                for (int i = db * 130; i < Math.min(keys.size(), db * 130 + 140); i += 3) cmd.add(keys.get(i));
                cmd.add(b("no-such-key"));
                d.onBytes(0, Differential.Mode.EXACT, cmd.toArray(byte[][]::new));
            }
            d.check("DEBUG", "DIGEST-VALUE");
            d.assertNoDivergence();
            byte[] digest = d.check("DEBUG", "DIGEST");
            assertFalse(new String(digest, StandardCharsets.ISO_8859_1).startsWith("+0000000000"), "a real digest");
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] randomBytes(Random rnd, int n) {
        byte[] v = new byte[n];
        rnd.nextBytes(v);
        return v;
    }

    @Test
    void protocolRepliesEqualRedisInResp2AndResp3() {
        String[] types = {"string", "integer", "double", "bignum", "null", "array", "set", "map", "attrib", "push",
            "verbatim", "true", "false", "STRING", "nosuch"};
        try (Differential d = new Differential()) {
            for (String t : types) d.check("DEBUG", "PROTOCOL", t);
            d.check(Differential.Mode.TYPE_ONLY, "HELLO", "3");
            for (String t : types) {
                if (!t.equals("push")) d.check("DEBUG", "PROTOCOL", t);
            }
            d.assertNoDivergence();
        }
        // After a push, both servers send the real reply next: read it from raw connections.
        try (Differential d = new Differential()) {
            RawConnection r = d.redis().raw(), e = d.ember().raw();
            for (RawConnection c : new RawConnection[] {r, e}) c.call("HELLO", "3");
            for (RawConnection c : new RawConnection[] {r, e}) c.send(RawConnection.encode(RawConnection.args("DEBUG", "PROTOCOL", "push")));
            assertArrayEquals(r.readReply(), e.readReply());
            assertArrayEquals(r.readReply(), e.readReply());
            assertArrayEquals(b("+PONG\r\n"), e.call("PING"));
            r.close();
            e.close();
        }
    }

    private static final Pattern OBJECT = Pattern.compile(
            "^\\+Value at:0x[0-9a-f]+ refcount:(\\d+) encoding:(\\w+) serializedlength:(\\d+) lru:(\\d+) lru_seconds_idle:(\\d+)\r\n$");

    /** DEBUG OBJECT: Redis's line; refcount, encoding and serializedlength equal Redis's. */
    @Test
    void objectLineMatchesRedis() {
        String[] values = {"1", "9999", "10000", "-5", "300", "70000", "3000000000", "12345678901234567890", "hello",
            "3.5", "0123", "", "x".repeat(44), "x".repeat(45), "y".repeat(100), "z".repeat(20000)};
        try (Differential d = new Differential()) {
            for (int i = 0; i < values.length; i++) {
                d.check("SET", "o" + i, values[i]);
                String r = new String(d.redis().raw().call("DEBUG", "OBJECT", "o" + i), StandardCharsets.ISO_8859_1);
                String e = new String(d.ember().raw().call("DEBUG", "OBJECT", "o" + i), StandardCharsets.ISO_8859_1);
                Matcher mr = OBJECT.matcher(r), me = OBJECT.matcher(e);
                assertTrue(mr.matches(), r);
                assertTrue(me.matches(), e);
                for (int g = 1; g <= 3; g++) {
                    if (g == 3 && values[i].length() > 20 && values[i].chars().distinct().count() == 1) continue; // LZF
                    assertEquals(mr.group(g), me.group(g), "field " + g + " of " + values[i]);
                }
                assertTrue(Long.parseLong(me.group(5)) < 5);
            }
            d.check("DEBUG", "OBJECT", "nosuch");
            d.check("DEBUG", "OBJECT");
            d.check("DEBUG", "OBJECT", "a", "b");
            d.assertNoDivergence();
        }
    }

    @Test
    void otherSubcommandsAndErrorsMatchRedis() {
        try (Differential d = new Differential()) {
            String[][] cmds = {
                {"DEBUG"}, {"DEBUG", "nosuch"}, {"debug", "Foo", "bar"}, {"DEBUG", "DIGEST", "x"}, {"DEBUG", "SLEEP"},
                {"DEBUG", "SLEEP", "0"}, {"DEBUG", "SLEEP", "abc"}, {"DEBUG", "SLEEP", "-1"}, {"DEBUG", "SLEEP", "0.01"},
                {"DEBUG", "SLEEP", "1e-3"}, {"DEBUG", "SET-ACTIVE-EXPIRE"}, {"DEBUG", "SET-ACTIVE-EXPIRE", "0"},
                {"DEBUG", "SET-ACTIVE-EXPIRE", "1"}, {"DEBUG", "set-active-expire", "x"}, {"DEBUG", "ERROR", "my error"},
                {"DEBUG", "ERROR", "WRONGTYPE custom"}, {"DEBUG", "LOG", "from the test"}, {"DEBUG", "STRINGMATCH-TEST", "x"},
                {"DEBUG", "PROTOCOL"}, {"DEBUG", "HELP", "x"},
            };
            for (String[] c : cmds) d.check(c);
            d.check("DEBUG", "STRINGMATCH-TEST");
            d.assertNoDivergence();
        }
    }

    @Test
    void setActiveExpireSwitchesTheEngineFlag() {
        try (TestServer s = TestServer.start("--enable-debug-command", "yes"); RawConnection c = s.raw()) {
            assertTrue(s.server().engine().activeExpireEnabled);
            c.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
            assertFalse(s.server().engine().activeExpireEnabled);
            c.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
            assertTrue(s.server().engine().activeExpireEnabled);
        }
    }

    /** SLEEP stops the whole engine, as in Redis: another client waits too. */
    @Test
    void sleepBlocksTheEngine() throws Exception {
        try (TestServer s = TestServer.start("--enable-debug-command", "yes"); RawConnection sleeper = s.raw();
             RawConnection other = s.raw()) {
            other.call("PING");
            long start = System.nanoTime();
            CompletableFuture<byte[]> slept = CompletableFuture.supplyAsync(() -> sleeper.call("DEBUG", "SLEEP", "0.3"));
            Thread.sleep(50);
            assertArrayEquals(b("+PONG\r\n"), other.call("PING"));
            long pingDoneMs = (System.nanoTime() - start) / 1_000_000;
            assertArrayEquals(b("+OK\r\n"), slept.get());
            assertTrue(pingDoneMs >= 290, "PING answered only after the sleep, at " + pingDoneMs + " ms");
        }
    }

    /** DEBUG HELP is Redis's text, restricted to the subcommands Ember implements. */
    @Test
    void helpListsRedisTextOfImplementedSubcommands() {
        try (Differential d = new Differential()) {
            List<RespValue> redis = ((RespValue.Array) d.redis().raw().callValue("DEBUG", "HELP")).items();
            List<RespValue> ember = ((RespValue.Array) d.ember().raw().callValue("DEBUG", "HELP")).items();
            List<String> all = new ArrayList<>();
            for (RespValue v : redis) all.add(v.toString());
            List<String> mine = new ArrayList<>();
            for (RespValue v : ember) mine.add(v.toString());
            assertEquals(all.get(0), mine.get(0));
            int at = 0;
            for (String line : mine) { // a subsequence of Redis's lines
                while (at < all.size() && !all.get(at).equals(line)) at++;
                assertTrue(at < all.size(), "Redis's help has, in this order: " + line);
                at++;
            }
            assertTrue(mine.contains("DIGEST-VALUE <key> [<key> ...]"));
            assertTrue(mine.contains("STRINGMATCH-TEST"));
            assertTrue(mine.contains("RELOAD [option ...]"));
            assertFalse(mine.contains("RESTART [<milliseconds>]"));
        }
    }
}
