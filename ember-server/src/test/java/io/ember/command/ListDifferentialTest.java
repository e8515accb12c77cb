package io.ember.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.Differential;
import io.ember.testing.Differential.Mode;
import io.ember.testing.RawConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The list commands against a real redis-server 7.0: hand-written edge cases in RESP2 and RESP3,
 * then a seeded random run of more than 10,000 operations over a small keyspace that also holds
 * strings (so WRONGTYPE paths are hit), part of it with {@code list-max-listpack-size 3} and
 * {@code -1} so nodes fill, split and merge. Along the run every key's OBJECT ENCODING, DEBUG
 * DIGEST-VALUE and DEBUG OBJECT quicklist fields (node count, fill, listpack bytes) are compared,
 * so the node layout must be Redis's, not just the contents.
 */
class ListDifferentialTest {
    static Differential d;
    /** Connection 0 speaks RESP2, this one RESP3 (on both servers). */
    static int resp3;
    /** Side connections for DEBUG OBJECT and TYPE, outside the compared stream. */
    static RawConnection redisSide, emberSide;

    @BeforeAll
    static void start() {
        d = new Differential();
        resp3 = d.newConnection();
        d.on(resp3, Mode.TYPE_ONLY, "hello", "3"); // the id in HELLO's reply differs
        redisSide = d.redis().raw();
        emberSide = d.ember().raw();
    }

    @AfterAll
    static void stop() {
        redisSide.close();
        emberSide.close();
        d.close();
    }

    /** Runs one command on the RESP2 and the RESP3 connection. */
    private static void both(String... args) {
        d.on(0, Mode.EXACT, args);
        d.on(resp3, Mode.EXACT, args);
    }

    private static String text(byte[] reply) {
        return new String(reply, StandardCharsets.ISO_8859_1);
    }

    /** Compares the quicklist part of DEBUG OBJECT (everything but address, lru and serialized length). */
    private static void checkLayout(String key, List<String> problems) {
        String r = text(redisSide.call("debug", "object", key));
        String e = text(emberSide.call("debug", "object", key));
        String rq = r.contains("ql_nodes") ? r.substring(r.indexOf(" ql_nodes")) : r.startsWith("-") ? r : "";
        String eq = e.contains("ql_nodes") ? e.substring(e.indexOf(" ql_nodes")) : e.startsWith("-") ? e : "";
        if (!rq.equals(eq)) problems.add(key + ": redis" + rq.trim() + " ember" + eq.trim());
    }

    @Test
    void pushPopAndRange() {
        both("del", "p", "s");
        both("set", "s", "string");
        both("lpush", "p", "a", "b", "c");
        both("rpush", "p", "1", "-2", "300", "70000", "9223372036854775807", "-9223372036854775808");
        both("rpush", "p", "9223372036854775808", "01", "-0", " 1", "1.5", "", "x".repeat(63), "y".repeat(64));
        both("rpush", "p", "z".repeat(4095), "w".repeat(4096), "v".repeat(9000));
        both("lrange", "p", "0", "-1");
        both("llen", "p");
        both("lpushx", "missing", "a");
        both("rpushx", "missing", "a", "b");
        both("lpushx", "p", "px");
        both("rpushx", "s", "x");
        both("lpush", "s", "x");
        both("exists", "missing");
        for (String[] r : new String[][] {{"0", "-1"}, {"-100", "100"}, {"5", "2"}, {"-1", "-2"}, {"2", "2"},
                {"-3", "-1"}, {"100", "200"}, {"-9223372036854775808", "9223372036854775807"}, {"1", "-100"},
                {"x", "1"}, {"1", "y"}, {"0", "9223372036854775808"}}) {
            both("lrange", "p", r[0], r[1]);
            both("lrange", "missing", r[0], r[1]);
        }
        both("lrange", "s", "0", "-1");
        both("lpop", "p");
        both("rpop", "p");
        both("lpop", "p", "2");
        both("rpop", "p", "3");
        both("lpop", "p", "0");
        both("lpop", "missing");
        both("lpop", "missing", "2");
        both("lpop", "missing", "0");
        both("rpop", "p", "-1");
        both("rpop", "p", "abc");
        both("lpop", "p", "1", "2");
        both("lpop", "s");
        both("lpop", "s", "1");
        both("rpop", "p", "100");
        both("exists", "p");
        both("rpush", "p", "a");
        both("rpop", "p", "9223372036854775807");
        both("exists", "p");
        d.assertNoDivergence();
    }

    @Test
    void indexSetInsertRemoveTrimPosition() {
        both("del", "l", "s");
        both("set", "s", "v");
        both("rpush", "l", "a", "b", "1", "c", "a", "01", "1", "a", "d");
        for (String i : new String[] {"0", "1", "-1", "-9", "-10", "8", "9", "x", "9223372036854775807"}) {
            both("lindex", "l", i);
        }
        both("lindex", "missing", "x");
        both("lindex", "s", "x");
        both("lset", "l", "0", "A");
        both("lset", "l", "-1", "D");
        both("lset", "l", "9", "x");
        both("lset", "l", "-10", "x");
        both("lset", "l", "x", "x");
        both("lset", "missing", "0", "x");
        both("lset", "missing", "x", "x");
        both("lset", "s", "0", "x");
        both("lset", "l", "2", "y".repeat(5000));
        both("lrange", "l", "0", "-1");
        both("linsert", "l", "before", "a", "new");
        both("linsert", "l", "AFTER", "1", "after1");
        both("linsert", "l", "after", "01", "after01");
        both("linsert", "l", "before", "nosuch", "x");
        both("linsert", "l", "middle", "a", "x");
        both("linsert", "missing", "before", "a", "x");
        both("linsert", "missing", "middle", "a", "x");
        both("linsert", "s", "before", "a", "x");
        both("lrange", "l", "0", "-1");
        both("lpos", "l", "a");
        both("lpos", "l", "a", "rank", "2");
        both("lpos", "l", "a", "rank", "-1");
        both("lpos", "l", "a", "rank", "-9223372036854775808");
        both("lpos", "l", "a", "count", "0");
        both("lpos", "l", "a", "count", "1", "rank", "-1");
        both("lpos", "l", "a", "count", "5", "maxlen", "3");
        both("lpos", "l", "a", "maxlen", "1");
        both("lpos", "l", "nosuch");
        both("lpos", "l", "nosuch", "count", "2");
        both("lpos", "missing", "a");
        both("lpos", "missing", "a", "count", "0");
        both("lpos", "s", "a");
        for (String[] bad : new String[][] {{"rank", "0"}, {"rank", "x"}, {"count", "-1"}, {"count", "x"},
                {"maxlen", "-1"}, {"maxlen", "x"}, {"foo"}, {"rank"}, {"count", "1", "bar"}}) {
            List<String> cmd = new ArrayList<>(List.of("lpos", "l", "a"));
            cmd.addAll(List.of(bad));
            both(cmd.toArray(String[]::new));
        }
        both("lrem", "l", "1", "a");
        both("lrem", "l", "-1", "a");
        both("lrem", "l", "0", "1");
        both("lrem", "l", "-9223372036854775808", "c");
        both("lrem", "l", "x", "a");
        both("lrem", "missing", "1", "a");
        both("lrem", "s", "1", "a");
        both("lrange", "l", "0", "-1");
        both("ltrim", "l", "1", "-2");
        both("lrange", "l", "0", "-1");
        both("ltrim", "l", "x", "1");
        both("ltrim", "missing", "0", "1");
        both("ltrim", "s", "0", "1");
        both("ltrim", "l", "5", "2");
        both("exists", "l");
        both("rpush", "l", "only");
        both("lrem", "l", "0", "only");
        both("exists", "l");
        d.assertNoDivergence();
    }

    @Test
    void moveAndMultiPop() {
        both("del", "a", "b", "s");
        both("set", "s", "v");
        both("rpush", "a", "1", "2", "3", "4");
        for (String[] w : new String[][] {{"LEFT", "LEFT"}, {"LEFT", "RIGHT"}, {"RIGHT", "LEFT"}, {"right", "right"}}) {
            both("lmove", "a", "b", w[0], w[1]);
        }
        both("lrange", "a", "0", "-1");
        both("lrange", "b", "0", "-1");
        both("lmove", "a", "a", "LEFT", "RIGHT");
        both("lmove", "a", "s", "LEFT", "RIGHT");
        both("lmove", "s", "a", "LEFT", "RIGHT");
        both("lmove", "missing", "a", "LEFT", "RIGHT");
        both("lmove", "a", "b", "UP", "RIGHT");
        both("lmove", "a", "b", "LEFT", "DOWN");
        both("rpoplpush", "a", "b");
        both("rpoplpush", "missing", "b");
        both("rpoplpush", "b", "s");
        both("rpoplpush", "b", "b");
        both("lrange", "b", "0", "-1");
        both("exists", "a");
        both("rpush", "a", "x", "y", "z");
        both("lmpop", "2", "missing", "a", "LEFT");
        both("lmpop", "2", "missing", "a", "RIGHT", "COUNT", "10");
        both("lmpop", "2", "a", "b", "right", "count", "2");
        both("lmpop", "1", "missing", "LEFT");
        both("lmpop", "2", "missing", "s", "LEFT");
        for (String[] bad : new String[][] {{"0", "a", "LEFT"}, {"-1", "a", "LEFT"}, {"x", "a", "LEFT"},
                {"2", "a", "LEFT"}, {"1", "a", "MIDDLE"}, {"1", "a", "LEFT", "COUNT", "0"},
                {"1", "a", "LEFT", "COUNT", "x"}, {"1", "a", "LEFT", "COUNT"}, {"1", "a", "LEFT", "COUNT", "1", "COUNT", "1"},
                {"1", "a", "LEFT", "foo"}, {"9223372036854775807", "a", "LEFT"}}) {
            List<String> cmd = new ArrayList<>(List.of("lmpop"));
            cmd.addAll(List.of(bad));
            both(cmd.toArray(String[]::new));
            List<String> bcmd = new ArrayList<>(List.of("blmpop", "0.01"));
            bcmd.addAll(List.of(bad));
            both(bcmd.toArray(String[]::new));
        }
        both("blmpop", "x", "1", "a", "LEFT");
        both("blmpop", "-1", "1", "a", "LEFT");
        d.assertNoDivergence();
    }

    @Test
    void blockingCommandsWithDataOrInsideMulti() {
        both("del", "k", "k2", "d", "s");
        both("set", "s", "v");
        // each line runs twice (RESP2 and RESP3) and must find data: 16 elements are enough
        d.check("rpush", "k2", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p");
        both("blpop", "k", "k2", "0");
        both("brpop", "k", "k2", "0");
        both("blpop", "k", "s", "0");
        both("blpop", "s", "k2", "0");
        both("blmove", "k2", "d", "LEFT", "RIGHT", "0");
        both("brpoplpush", "k2", "d", "0");
        both("blmove", "s", "d", "LEFT", "RIGHT", "0");
        both("blmove", "k2", "s", "LEFT", "RIGHT", "0");
        both("blmpop", "0", "2", "k", "k2", "LEFT", "COUNT", "2");
        d.check("blmpop", "0", "2", "k", "k2", "RIGHT", "COUNT", "10");
        both("exists", "k2");
        // invalid timeouts (valid ones would block here: they are tried inside MULTI below)
        for (String t : new String[] {"x", "-1", "-0.5", "nan", "inf", "-inf", "1e400", "9223372036854775807", "", " 1", "1 "}) {
            both("blpop", "k", t);
            both("blmove", "k", "d", "LEFT", "LEFT", t);
            both("brpoplpush", "k", "d", t);
        }
        for (int conn : new int[] {0, resp3}) {
            d.on(conn, Mode.EXACT, "multi");
            d.on(conn, Mode.EXACT, "blpop", "k", "0");
            d.on(conn, Mode.EXACT, "brpop", "k", "k3", "0.5");
            d.on(conn, Mode.EXACT, "blmove", "k", "d", "LEFT", "RIGHT", "0");
            d.on(conn, Mode.EXACT, "brpoplpush", "k", "d", "0");
            d.on(conn, Mode.EXACT, "blmpop", "0", "1", "k", "LEFT");
            d.on(conn, Mode.EXACT, "blpop", "k", "-1");
            for (String t : new String[] {"1e-400", "0x10", "-0", "-0.0001", "0.0001", "1.5e3", "9223372036854775"}) {
                d.on(conn, Mode.EXACT, "blpop", "k", t);
            }
            d.on(conn, Mode.EXACT, "blpop", "s", "0");
            d.on(conn, Mode.EXACT, "exec");
        }
        d.assertNoDivergence();
    }

    @Test
    void encodingDigestLayoutAndCopy() {
        both("del", "e", "c", "big");
        both("rpush", "e", "a", "1", "b");
        both("object", "encoding", "e");
        both("type", "e");
        both("debug", "digest-value", "e");
        both("copy", "e", "c");
        both("rpush", "c", "more");
        both("lrange", "e", "0", "-1");
        both("lrange", "c", "0", "-1");
        List<String> problems = new ArrayList<>();
        for (String fill : new String[] {"-1", "3", "0", "-5", "1"}) {
            both("config", "set", "list-max-listpack-size", fill);
            both("del", "big");
            for (int i = 0; i < 300; i++) both("rpush", "big", "element-" + i, Integer.toString(i));
            both("linsert", "big", "before", "element-150", "x".repeat(100));
            both("linsert", "big", "after", "element-7", "y");
            both("lset", "big", "3", "z".repeat(2000));
            checkLayout("big", problems);
            both("debug", "digest-value", "big");
        }
        // the merge threshold: a + b - 11 <= limit (see QuicklistTest.mergeThresholdIsRedis70s)
        d.check("config", "set", "list-max-listpack-size", "-1");
        d.check("del", "m");
        for (int i = 0; i < 1361; i++) d.check("rpush", "m", i == 999 ? "P" : "a");
        d.check("lpush", "m", "q".repeat(1087));
        d.check("linsert", "m", "after", "P", "v");
        d.check("rpush", "m", "a");
        checkLayout("m", problems);
        both("config", "set", "list-max-listpack-size", "-2");
        both("rpush", "big", "after-config-change"); // the list keeps the fill it was created with
        checkLayout("big", problems);
        checkLayout("e", problems);
        assertEquals(List.of(), problems);
        d.check("debug", "digest");
        d.assertNoDivergence();
    }

    // ---- the random run -------------------------------------------------------------------------

    private static final String[] KEYS = {"l0", "l1", "l2", "l3", "l4", "l5", "str0", "str1"};

    private static String element(Random r) {
        return switch (r.nextInt(10)) {
            case 0, 1 -> Integer.toString(r.nextInt(20));
            case 2 -> Long.toString(r.nextLong() >> r.nextInt(64));
            case 3 -> "x".repeat(r.nextInt(80));
            case 4 -> r.nextInt(40) == 0 ? "big".repeat(1000 + r.nextInt(2000)) : "e".repeat(r.nextInt(300));
            default -> "v" + r.nextInt(12);
        };
    }

    private static String key(Random r) {
        return KEYS[r.nextInt(KEYS.length)];
    }

    private static String index(Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> Integer.toString(-r.nextInt(60));
            case 1 -> r.nextBoolean() ? "-9223372036854775808" : "9223372036854775807";
            case 2 -> "x";
            default -> Integer.toString(r.nextInt(60) - 10);
        };
    }

    private static String side(Random r) {
        return r.nextInt(30) == 0 ? "middle" : r.nextBoolean() ? "LEFT" : "right";
    }

    private static String[] randomCommand(Random r) {
        int n = 1 + r.nextInt(4);
        List<String> a = new ArrayList<>();
        switch (r.nextInt(25)) {
            case 0, 1, 2 -> {
                a.addAll(List.of(r.nextBoolean() ? "rpush" : "lpush", key(r)));
                for (int i = 0; i < n; i++) a.add(element(r));
            }
            case 3 -> {
                a.addAll(List.of(r.nextBoolean() ? "rpushx" : "lpushx", key(r)));
                for (int i = 0; i < n; i++) a.add(element(r));
            }
            case 4, 5 -> {
                a.addAll(List.of(r.nextBoolean() ? "lpop" : "rpop", key(r)));
                if (r.nextBoolean()) a.add(Integer.toString(r.nextInt(6) - (r.nextInt(10) == 0 ? 3 : 0)));
            }
            case 6, 7 -> a.addAll(List.of("lrange", key(r), index(r), index(r)));
            case 8 -> a.addAll(List.of("lindex", key(r), index(r)));
            case 9 -> a.addAll(List.of("lset", key(r), index(r), element(r)));
            case 10, 11 -> a.addAll(List.of("linsert", key(r), r.nextBoolean() ? "before" : "AFTER", element(r), element(r)));
            case 12 -> a.addAll(List.of("llen", key(r)));
            case 13 -> a.addAll(List.of("lrem", key(r), Integer.toString(r.nextInt(7) - 3), element(r)));
            case 14 -> a.addAll(List.of("ltrim", key(r), index(r), index(r)));
            case 15 -> {
                a.addAll(List.of("lpos", key(r), element(r)));
                if (r.nextBoolean()) a.addAll(List.of("rank", Integer.toString(r.nextInt(7) - 3)));
                if (r.nextBoolean()) a.addAll(List.of("count", Integer.toString(r.nextInt(4))));
                if (r.nextBoolean()) a.addAll(List.of("maxlen", Integer.toString(r.nextInt(20))));
            }
            case 16, 17 -> a.addAll(List.of("lmove", key(r), key(r), side(r), side(r)));
            case 18 -> a.addAll(List.of("rpoplpush", key(r), key(r)));
            case 19 -> {
                boolean blocking = r.nextBoolean();
                a.add(blocking ? "blmpop" : "lmpop");
                if (blocking) a.add("0.01");
                int keys = 1 + r.nextInt(3);
                a.add(Integer.toString(keys));
                for (int i = 0; i < keys; i++) a.add(key(r));
                a.add(side(r));
                if (r.nextBoolean()) a.addAll(List.of("COUNT", Integer.toString(r.nextInt(5))));
            }
            case 20 -> a.addAll(List.of(r.nextBoolean() ? "blpop" : "brpop", key(r), key(r), "0.01"));
            case 21 -> a.addAll(List.of("blmove", key(r), key(r), side(r), side(r), "0.01"));
            case 22 -> a.addAll(List.of("set", key(r), element(r)));
            case 23 -> a.addAll(List.of("del", key(r)));
            default -> a.addAll(List.of("copy", key(r), key(r), "replace"));
        }
        return a.toArray(String[]::new);
    }

    @Test
    void randomOperationsAgreeWithRedis() {
        Random r = new Random(20240703);
        List<String> problems = new ArrayList<>();
        String[] fills = {"3", "-2", "-1", "1", "5"};
        for (String k : KEYS) both("del", k);
        int ops = 0;
        for (String fill : fills) {
            // new lists take the fill current at their creation; keys are deleted and recreated often
            both("config", "set", "list-max-listpack-size", fill);
            for (int i = 0; i < 2200; i++, ops++) {
                String[] cmd = randomCommand(r);
                int conn = r.nextInt(4) == 0 ? resp3 : 0;
                if (cmd[0].startsWith("bl") || cmd[0].startsWith("br")) blocking(conn, cmd);
                else d.on(conn, Mode.EXACT, cmd);
                if (i % 100 == 99) {
                    for (String k : KEYS) {
                        both("object", "encoding", k);
                        d.check("debug", "digest-value", k);
                        checkLayout(k, problems);
                        both("lrange", k, "0", "-1");
                    }
                    // keep lists from growing without bound
                    for (String k : KEYS) if (k.startsWith("l")) d.check("ltrim", k, "0", "150");
                }
            }
        }
        d.check("debug", "digest");
        both("config", "set", "list-max-listpack-size", "-2");
        assertTrue(ops >= 10_000);
        assertEquals(List.of(), problems, "node layouts differ");
        d.assertNoDivergence();
    }

    /**
     * A blocking command must not block the run: it is sent as is when one of its source keys
     * exists (it is served, or fails with WRONGTYPE, at once on both servers), else inside
     * MULTI/EXEC, where it answers at once too.
     */
    private static void blocking(int conn, String[] cmd) {
        List<String> sources = new ArrayList<>();
        switch (cmd[0]) {
            case "blpop", "brpop" -> sources.addAll(List.of(cmd).subList(1, cmd.length - 1));
            case "blmove" -> sources.add(cmd[1]);
            default -> { // blmpop timeout numkeys keys...
                int n = Integer.parseInt(cmd[2]);
                sources.addAll(List.of(cmd).subList(3, Math.min(cmd.length, 3 + n)));
            }
        }
        for (String k : sources) {
            if (!text(redisSide.call("type", k)).equals("+none\r\n")) {
                d.on(conn, Mode.EXACT, cmd);
                return;
            }
        }
        d.on(conn, Mode.EXACT, "multi");
        d.on(conn, Mode.EXACT, cmd);
        d.on(conn, Mode.EXACT, "exec");
    }
}
