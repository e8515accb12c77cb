package io.ember.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.resp.RespValue;
import io.ember.testing.Differential;
import io.ember.testing.Differential.Mode;
import io.ember.testing.RawConnection;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The string commands against a real redis-server 7.0: hand-written edge cases, a seeded random
 * run over a small keyspace (replies byte for byte in RESP2 and RESP3, plus encodings, TTLs, the
 * dirty counter and keyspace hits/misses after each step), and INCRBYFLOAT on thousands of
 * random numbers.
 */
class StringDifferentialTest {
    static Differential d;
    /** Connection 0 speaks RESP2, connection RESP3 speaks RESP3 (on both servers). */
    static int resp3;
    /** A side connection to redis-server for OBJECT ENCODING / PTTL / INFO. */
    static RawConnection inspect;

    @BeforeAll
    static void start() {
        d = new Differential("--proto-max-bulk-len", "1mb");
        resp3 = d.newConnection();
        d.on(resp3, Mode.TYPE_ONLY, "hello", "3"); // the id in HELLO's reply differs
        inspect = d.redis().raw();
    }

    @AfterAll
    static void stop() {
        inspect.close();
        d.close();
    }

    /** Runs one command on both protocols' connections (keys must differ per protocol where state matters). */
    private static void both(String... args) {
        d.on(0, Mode.EXACT, args);
        d.on(resp3, Mode.EXACT, args);
    }

    /** Makes {@code key} a list on both servers. */
    private static void makeList(String key) {
        inspect.call("del", key);
        inspect.call("rpush", key, "a");
        EngineProbe.putList(d.ember(), key);
    }

    private static String redisEncoding(String key) {
        RespValue v = inspect.callValue("object", "encoding", key);
        return v instanceof RespValue.Bulk b ? b.toString() : null;
    }

    private static long redisPttl(String key) {
        return ((RespValue.Int) inspect.callValue("pttl", key)).value();
    }

    /** Encoding and TTL of {@code key} agree (TTLs within a second: each server took its own "now"). */
    private static void checkState(String key, List<String> problems) {
        String re = redisEncoding(key);
        String ee = EngineProbe.encoding(d.ember(), key);
        boolean list = "quicklist".equals(re) || "listpack".equals(re);
        if (!(list ? "quicklist".equals(ee) : java.util.Objects.equals(re, ee))) {
            problems.add(key + ": encoding redis=" + re + " ember=" + ee);
        }
        long rt = redisPttl(key), et = EngineProbe.pttl(d.ember(), key);
        boolean ok = rt < 0 || et < 0 ? rt == et : Math.abs(rt - et) <= 1000;
        if (!ok) problems.add(key + ": pttl redis=" + rt + " ember=" + et);
    }

    /** {dirty, hits, misses} of redis-server, from INFO. */
    private static long[] redisCounters() {
        String info = inspect.callValue("info").toString();
        return new long[] {infoField(info, "rdb_changes_since_last_save"), infoField(info, "keyspace_hits"),
            infoField(info, "keyspace_misses")};
    }

    private static long infoField(String info, String name) {
        int i = info.indexOf("\n" + name + ":");
        int start = i + name.length() + 2;
        int end = info.indexOf('\r', start);
        return Long.parseLong(info.substring(start, end));
    }

    private static long[] emberCounters() {
        long[] hm = EngineProbe.hitsMisses(d.ember());
        return new long[] {EngineProbe.dirty(d.ember()), hm[0], hm[1]};
    }

    // ---- hand-written edge cases ---------------------------------------------------------------

    @Test
    void edgeCases() {
        String[][] cases = {
            {"set", "e:a", "hello"}, {"get", "e:a"}, {"append", "e:a", " world"}, {"strlen", "e:a"},
            {"getrange", "e:a", "0", "4"}, {"getrange", "e:a", "-5", "-1"}, {"getrange", "e:a", "-1", "-5"},
            {"getrange", "e:a", "0", "-100"}, {"getrange", "e:a", "5", "3"}, {"getrange", "e:a", "-100", "-50"},
            {"getrange", "e:a", "9223372036854775807", "-9223372036854775808"}, {"getrange", "e:none", "0", "1"},
            {"getrange", "e:a", "0"}, {"substr", "e:a", "2", "100"}, {"substr", "e:a", "x", "1"},
            {"setrange", "e:a", "6", "Redis"}, {"get", "e:a"}, {"setrange", "e:b", "5", "x"}, {"get", "e:b"},
            {"setrange", "e:b", "-1", "x"}, {"setrange", "e:b", "9223372036854775807", "x"},
            {"setrange", "e:b", "1048576", "x"}, {"setrange", "e:b", "1048575", "x"}, {"strlen", "e:b"},
            {"setrange", "e:b", "1048576", ""}, {"setrange", "e:c", "1048576", ""}, {"setrange", "e:b", "1.5", "x"},
            {"append", "e:b", "y"}, {"set", "e:b", "x"},
            {"incr", "e:n"}, {"incrby", "e:n", "10"}, {"decrby", "e:n", "3"}, {"decr", "e:n"},
            {"incrby", "e:n", "9223372036854775807"}, {"decrby", "e:n", "-9223372036854775808"},
            {"decrby", "e:n", "9223372036854775807"}, {"decrby", "e:n", "9223372036854775807"},
            {"incrby", "e:n", "abc"}, {"incrby", "e:n", " 1"}, {"incrby", "e:n", "+1"}, {"incr", "e:a"},
            {"incrby", "e:n", "-9223372036854775808"}, {"incr", "e:n", "extra"},
            {"incrbyfloat", "e:f", "10.5"}, {"incrbyfloat", "e:f", "0.1"}, {"incrbyfloat", "e:f", "-5.0e3"},
            {"incrbyfloat", "e:f", "1e400"}, {"incrbyfloat", "e:f", "inf"}, {"incrbyfloat", "e:f", "-infinity"},
            {"incrbyfloat", "e:f", "nan"}, {"incrbyfloat", "e:f", "0x1.8p1"}, {"incrbyfloat", "e:f", "0x"},
            {"incrbyfloat", "e:f", "1e-5000"}, {"incrbyfloat", "e:f", "1e5000"}, {"incrbyfloat", "e:f", "-0"},
            {"incrbyfloat", "e:f", ".5"}, {"incrbyfloat", "e:f", "5."}, {"incrbyfloat", "e:f", "."},
            {"incrbyfloat", "e:a", "1"}, {"incrbyfloat", "e:f", "abc"}, {"incrbyfloat", "e:f", ""},
            {"set", "e:i", "9223372036854775807"}, {"incrbyfloat", "e:i", "1"}, {"incrbyfloat", "e:i", "-1e19"},
            {"set", "e:g", "1.18973149535723176502e+4932"}, {"incrbyfloat", "e:g", "1e4900"}, {"incrbyfloat", "e:g", "0"},
            {"set", "e:g", "1e-4950"}, {"incrbyfloat", "e:g", "0"}, {"set", "e:g", "1e-4951"}, {"incrbyfloat", "e:g", "0"},
            {"mset", "e:x", "1", "e:y", "2"}, {"mget", "e:x", "e:y", "e:nokey", "e:a"}, {"mset", "e:x", "1", "e:y"},
            {"mset", "e:x"}, {"msetnx", "e:x", "1", "e:z", "2"}, {"msetnx", "e:z", "1", "e:w", "2"},
            {"mget", "e:z", "e:w"}, {"msetnx", "e:z", "1", "e:w"}, {"setnx", "e:z", "5"}, {"setnx", "e:v", "5"},
            {"setex", "e:e", "100", "v"}, {"setex", "e:e", "0", "v"}, {"setex", "e:e", "abc", "v"},
            {"setex", "e:e", "9223372036854775807", "v"}, {"psetex", "e:e", "100000", "v"}, {"psetex", "e:e", "-5", "v"},
            {"getset", "e:e", "new"}, {"getset", "e:none", "new"}, {"getdel", "e:none"}, {"getdel", "e:none"},
            {"getex", "e:e"}, {"getex", "e:e", "ex", "100"}, {"getex", "e:e", "persist"}, {"getex", "e:e", "px", "0"},
            {"getex", "e:e", "ex", "abc"}, {"getex", "e:nokey", "ex", "abc"}, {"getex", "e:e", "keepttl"},
            {"getex", "e:e", "ex", "10", "persist"}, {"getex", "e:e", "persist", "ex", "10"}, {"getex", "e:e", "ex"},
            {"getex", "e:e", "EX", "10", "ex", "20"}, {"getex", "e:e", "ex", "10", "px", "20"},
            {"getex", "e:e", "exat", "1"}, {"get", "e:e"}, {"getex", "e:e", "pxat", "9223372036854775807"},
            {"set", "e:s", "v", "get"}, {"set", "e:s", "w", "GET"}, {"set", "e:s", "x", "nx", "get"},
            {"set", "e:s", "x", "xx", "get"}, {"set", "e:s2", "x", "xx", "get"}, {"set", "e:s", "y", "ex", "10", "keepttl"},
            {"set", "e:s", "y", "keepttl", "ex", "10"}, {"set", "e:s", "y", "px", "100000", "px", "200000"},
            {"set", "e:s", "y", "ex", "0"}, {"set", "e:s", "y", "ex", "-1"}, {"set", "e:s", "y", "pxat", "9223372036854775807"},
            {"set", "e:s", "y", "exat", "9223372036854775"}, {"set", "e:s", "y", "ex", "9223372036854775"},
            {"set", "e:s", "y", "nx", "xx"}, {"set", "e:s", "y", "xx", "nx"}, {"set", "e:s", "y", "ex"},
            {"set", "e:s", "y", "foo"}, {"set", "e:s", "y", "get", "get", "nx"}, {"set", "e:s", "y", "ex", "abc", "nx", "xx"},
            {"set", "e:s", "y", "persist"}, {"set", "e:s", "y", "Ex", "100", "Nx"}, {"set", "e:s", "12345"}, {"set", "e:s"},
            {"set", "e:past", "v", "exat", "1"}, {"get", "e:past"}, {"set", "e:past", "v", "pxat", "1000", "get"},
            {"lcs", "e:a", "e:s"}, {"lcs", "e:a", "e:b", "len"}, {"lcs", "e:a", "e:b", "idx"},
            {"lcs", "e:a", "e:b", "idx", "withmatchlen", "minmatchlen", "2"}, {"lcs", "e:a", "e:b", "idx", "len"},
            {"lcs", "e:a", "e:b", "foo"}, {"lcs", "e:a", "e:b", "minmatchlen"}, {"lcs", "e:a", "e:b", "minmatchlen", "abc"},
            {"lcs", "e:a", "e:b", "minmatchlen", "-5", "idx"}, {"lcs", "e:nokey", "e:nokey2", "idx"},
            {"lcs", "e:nokey", "e:nokey2"}, {"lcs", "e:nokey", "e:a", "len"}, {"lcs", "e:a", "e:b", "idx", "len", "minmatchlen"},
            {"set", "e:l1", "ohmytext"}, {"set", "e:l2", "mynewtext"}, {"lcs", "e:l1", "e:l2"},
            {"lcs", "e:l1", "e:l2", "LEN"}, {"lcs", "e:l1", "e:l2", "IDX"}, {"lcs", "e:l1", "e:l2", "idx", "minmatchlen", "4", "withmatchlen"},
            {"lcs", "e:l1", "e:l1", "idx", "withmatchlen"}, {"lcs", "e:l2", "e:l1", "idx", "withmatchlen"},
            {"set", "e:l3", "aaaaaaaaaa"}, {"set", "e:l4", "aXaYaaZaaa"}, {"lcs", "e:l3", "e:l4", "idx", "withmatchlen"},
        };
        for (String[] c : cases) d.check(c);
        // The same in RESP3 on fresh keys (the replies of the writes above would differ on reuse).
        for (String[] c : cases) {
            String[] c3 = c.clone();
            for (int i = 1; i < c3.length; i++) c3[i] = c3[i].replace("e:", "e3:");
            d.on(resp3, Mode.EXACT, c3);
        }
        List<String> problems = new ArrayList<>();
        for (String key : List.of("e:a", "e:b", "e:n", "e:f", "e:i", "e:x", "e:z", "e:e", "e:s", "e:l1", "e3:f", "e3:s")) {
            checkState(key, problems);
        }
        d.assertNoDivergence();
        assertEquals(List.of(), problems);
    }

    @Test
    void binaryValuesAndNulBytes() {
        byte[][] values = {{0}, {'1', 0}, {'1', 0, 'x'}, {(byte) 0xff, (byte) 0xfe}, {'2', 0, 'a', 'b', 'c'}};
        for (int i = 0; i < values.length; i++) {
            byte[] key = ("b:" + i).getBytes();
            d.onBytes(0, Mode.EXACT, "set".getBytes(), key, values[i]);
            d.onBytes(0, Mode.EXACT, "incrbyfloat".getBytes(), key, "1".getBytes());
            d.onBytes(0, Mode.EXACT, "incr".getBytes(), key);
            d.onBytes(0, Mode.EXACT, "incrbyfloat".getBytes(), "b:f".getBytes(), values[i]);
            d.onBytes(0, Mode.EXACT, "append".getBytes(), key, values[i]);
            d.onBytes(0, Mode.EXACT, "get".getBytes(), key);
            d.onBytes(0, Mode.EXACT, "setrange".getBytes(), key, "1".getBytes(), values[i]);
            d.onBytes(0, Mode.EXACT, "lcs".getBytes(), key, "b:0".getBytes(), "idx".getBytes());
        }
        d.assertNoDivergence();
    }

    @Test
    void wrongTypeEverywhere() {
        makeList("w:list");
        d.check("set", "w:s", "str");
        String[][] cases = {
            {"get", "w:list"}, {"getset", "w:list", "x"}, {"getdel", "w:list"}, {"getex", "w:list"},
            {"getex", "w:list", "ex", "abc"}, {"getex", "w:list", "ex", "10", "persist"}, {"mget", "w:list", "w:s"},
            {"append", "w:list", "x"}, {"strlen", "w:list"}, {"incr", "w:list"}, {"decr", "w:list"},
            {"incrby", "w:list", "x"}, {"incrby", "w:list", "1"}, {"decrby", "w:list", "1"},
            {"incrbyfloat", "w:list", "x"}, {"incrbyfloat", "w:list", "1"}, {"getrange", "w:list", "0", "1"},
            {"getrange", "w:list", "x", "1"}, {"substr", "w:list", "0", "1"}, {"setrange", "w:list", "0", "x"},
            {"setrange", "w:list", "0", ""}, {"setrange", "w:list", "-1", "x"}, {"lcs", "w:list", "w:s"},
            {"lcs", "w:s", "w:list", "idx", "len"}, {"set", "w:list", "v", "get"}, {"set", "w:list", "v", "get", "ex", "0"},
            {"set", "w:list", "v", "nx"}, {"set", "w:list", "v", "nx", "get"}, {"msetnx", "w:list", "v"},
            {"setnx", "w:list", "v"},
        };
        for (String[] c : cases) both(c);
        both("set", "w:list", "v", "xx", "get");
        d.assertNoDivergence();
    }

    @Test
    void transactionsAndWatch() {
        int other = d.newConnection();
        String[][] writes = {
            {"set", "t:k", "x"}, {"setnx", "t:k2", "x"}, {"setex", "t:k", "100", "x"}, {"psetex", "t:k", "100000", "x"},
            {"getset", "t:k", "x"}, {"getdel", "t:k"}, {"getex", "t:k", "ex", "100"}, {"getex", "t:k", "persist"},
            {"getex", "t:k"}, {"getex", "t:k", "exat", "1"}, {"mset", "t:k", "1"}, {"msetnx", "t:k", "1"},
            {"append", "t:k", "y"}, {"append", "t:k", ""}, {"setrange", "t:k", "0", "z"}, {"setrange", "t:k", "0", ""},
            {"incr", "t:k"}, {"incrbyfloat", "t:k", "1"}, {"set", "t:k", "x", "nx"}, {"set", "t:k", "x", "xx", "get"},
            {"lcs", "t:k", "t:k"}, {"strlen", "t:k"},
        };
        for (String[] w : writes) {
            d.check("psetex", "t:k", "100000", "1");
            d.check("watch", "t:k", "t:k2");
            d.on(other, Mode.EXACT, w);
            d.check("multi");
            d.check("get", "t:k");
            d.check("exec");
        }
        d.check("multi");
        d.check("set", "t:a", "1");
        d.check("mset", "t:a", "1", "t:b");
        d.check("incr", "t:a");
        d.check("getex", "t:a", "ex", "0");
        d.check("incrbyfloat", "t:a", "0.5");
        d.check("set", "t:c", "abcab");
        d.check("lcs", "t:c", "t:c", "idx", "withmatchlen"); // a deferred length inside EXEC's array
        d.check("mget", "t:a", "t:c");
        d.check("exec");
        d.assertNoDivergence();
    }

    // ---- seeded random run -----------------------------------------------------------------------

    private static final String[] VALUES = {
        "0", "1", "-5", "42", "123456789", "9223372036854775807", "-9223372036854775808", "9223372036854775808",
        "1.5", "-0.25", "1e3", "3.0", "0.1", "", "a", "hello", "x".repeat(44), "y".repeat(45), "12abc", " 1", "01",
        "-0", "inf", "0x10", "hello world",
    };

    private static String pick(Random r, String[] a) {
        return a[r.nextInt(a.length)];
    }

    private static String key(Random r) {
        return r.nextInt(12) == 0 ? "r:wt" : "r:k" + r.nextInt(6);
    }

    private static String value(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> Integer.toString(r.nextInt(2000) - 1000);
            case 1 -> "v" + r.nextInt(100);
            default -> pick(r, VALUES);
        };
    }

    private static String number(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> pick(r, new String[] {"abc", "1.5", " 1", "9223372036854775807", "-9223372036854775808", "0"});
            case 1 -> Long.toString(r.nextLong());
            default -> Integer.toString(r.nextInt(200) - 100);
        };
    }

    /** An expire argument: mostly valid and far from "now" (so both servers agree), sometimes invalid. */
    private static String[] expire(Random r, boolean forGetex) {
        long now = System.currentTimeMillis();
        int k = r.nextInt(forGetex ? 10 : 9);
        return switch (k) {
            case 0 -> new String[] {"EX", Integer.toString(100 + r.nextInt(10_000))};
            case 1 -> new String[] {"PX", Integer.toString(100_000 + r.nextInt(10_000_000))};
            case 2 -> new String[] {"EXAT", Long.toString(r.nextBoolean() ? now / 1000 + 1000 + r.nextInt(10_000)
                    : now / 1000 - 1000 - r.nextInt(10_000))};
            case 3 -> new String[] {"PXAT", Long.toString(r.nextBoolean() ? now + 1_000_000 : 1 + r.nextInt(1000))};
            case 4 -> new String[] {pick(r, new String[] {"EX", "PX", "EXAT", "PXAT"}),
                pick(r, new String[] {"0", "-1", "abc", "9223372036854775807", "1.5", ""})};
            case 5 -> new String[] {"EX"};
            case 6 -> new String[] {"EX", "100", "PX", "100000"};
            case 7 -> new String[] {forGetex ? "KEEPTTL" : "PERSIST"};
            case 8 -> new String[] {forGetex ? "PERSIST" : "KEEPTTL"};
            default -> new String[] {"EX", "100", "PERSIST"};
        };
    }

    private static String[] randomCommand(Random r) {
        List<String> a = new ArrayList<>();
        switch (r.nextInt(24)) {
            case 0, 1 -> { a.add("get"); a.add(key(r)); }
            case 2, 3 -> {
                a.add("set"); a.add(key(r)); a.add(value(r));
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    switch (r.nextInt(5)) {
                        case 0 -> a.add(pick(r, new String[] {"NX", "XX", "nx", "xx"}));
                        case 1 -> a.add("GET");
                        case 2 -> a.add("KEEPTTL");
                        case 3 -> a.addAll(List.of(expire(r, false)));
                        default -> a.add(pick(r, new String[] {"foo", "EX", "PERSIST"}));
                    }
                }
            }
            case 4 -> { a.add("setnx"); a.add(key(r)); a.add(value(r)); }
            case 5 -> {
                a.add(r.nextBoolean() ? "setex" : "psetex"); a.add(key(r));
                a.add(r.nextInt(6) == 0 ? pick(r, new String[] {"0", "-3", "x", "9223372036854775807"})
                        : Integer.toString(100_000 + r.nextInt(100_000)));
                a.add(value(r));
            }
            case 6 -> { a.add("getset"); a.add(key(r)); a.add(value(r)); }
            case 7 -> { a.add("getdel"); a.add(key(r)); }
            case 8 -> {
                a.add("getex"); a.add(key(r));
                if (r.nextInt(3) > 0) a.addAll(List.of(expire(r, true)));
            }
            case 9 -> { a.add("mget"); int n = 1 + r.nextInt(4); for (int i = 0; i < n; i++) a.add(key(r)); }
            case 10, 11 -> {
                a.add(r.nextBoolean() ? "mset" : "msetnx");
                int n = 1 + r.nextInt(3);
                for (int i = 0; i < n; i++) { a.add(key(r)); a.add(value(r)); }
                if (r.nextInt(10) == 0) a.add(key(r));
            }
            case 12 -> { a.add("append"); a.add(key(r)); a.add(value(r)); }
            case 13 -> { a.add("strlen"); a.add(key(r)); }
            case 14 -> { a.add(r.nextBoolean() ? "incr" : "decr"); a.add(key(r)); }
            case 15 -> { a.add(r.nextBoolean() ? "incrby" : "decrby"); a.add(key(r)); a.add(number(r)); }
            case 16 -> {
                a.add("incrbyfloat"); a.add(key(r));
                a.add(r.nextInt(4) == 0 ? value(r) : new BigDecimal(r.nextGaussian() * 100).setScale(r.nextInt(6),
                        java.math.RoundingMode.HALF_EVEN).toPlainString());
            }
            case 17, 18 -> {
                a.add(r.nextBoolean() ? "getrange" : "substr"); a.add(key(r));
                a.add(r.nextInt(8) == 0 ? number(r) : Integer.toString(r.nextInt(30) - 15));
                a.add(r.nextInt(8) == 0 ? number(r) : Integer.toString(r.nextInt(30) - 15));
            }
            case 19, 20 -> {
                a.add("setrange"); a.add(key(r));
                a.add(switch (r.nextInt(8)) {
                    case 0 -> pick(r, new String[] {"-1", "abc", "1048576", "9223372036854775807", "1048575"});
                    default -> Integer.toString(r.nextInt(50));
                });
                a.add(r.nextInt(5) == 0 ? "" : value(r));
            }
            default -> {
                a.add("lcs"); a.add(key(r)); a.add(key(r));
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    switch (r.nextInt(5)) {
                        case 0 -> a.add("LEN");
                        case 1, 2 -> a.add("IDX");
                        case 3 -> a.add("WITHMATCHLEN");
                        default -> { a.add("MINMATCHLEN"); a.add(r.nextInt(6) == 0 ? "x" : Integer.toString(r.nextInt(5) - 1)); }
                    }
                }
            }
        }
        return a.toArray(String[]::new);
    }

    @Test
    void seededRandomRun() {
        Random r = new Random(20240607);
        int steps = 4000;
        List<String> problems = new ArrayList<>();
        makeList("r:wt");
        long[] rBefore = redisCounters(), eBefore = emberCounters();
        int errors = 0;
        for (int step = 0; step < steps; step++) {
            String[] cmd = randomCommand(r);
            byte[] reply = d.on(r.nextInt(3) == 0 ? resp3 : 0, Mode.EXACT, cmd);
            if (reply[0] == '-') errors++;
            long[] rAfter = redisCounters(), eAfter = emberCounters();
            for (int i = 0; i < 3; i++) {
                if (rAfter[i] - rBefore[i] != eAfter[i] - eBefore[i]) {
                    problems.add(String.join(" ", cmd) + ": " + new String[] {"dirty", "hits", "misses"}[i] + " redis +"
                            + (rAfter[i] - rBefore[i]) + " ember +" + (eAfter[i] - eBefore[i]));
                }
            }
            if (step % 50 == 49) {
                for (int k = 0; k < 6; k++) checkState("r:k" + k, problems);
                if (r.nextBoolean()) makeList("r:wt");
                rAfter = redisCounters();
                eAfter = emberCounters();
            }
            rBefore = rAfter;
            eBefore = eAfter;
        }
        for (int k = 0; k < 6; k++) {
            d.check("get", "r:k" + k);
            checkState("r:k" + k, problems);
        }
        d.assertNoDivergence();
        assertEquals(List.of(), problems.subList(0, Math.min(20, problems.size())));
        // The generator must mostly produce commands that do something, not just errors.
        assertTrue(errors < steps / 3, errors + " errors in " + steps + " steps");
    }

    // ---- INCRBYFLOAT digits ------------------------------------------------------------------------

    /** Random numbers in many shapes: plain decimals, exponents near both ends of the range, hex, integers. */
    static String randomFloat(Random r) {
        String sign = r.nextBoolean() ? "-" : "";
        return switch (r.nextInt(10)) {
            case 0 -> Long.toString(r.nextLong() >> r.nextInt(64));
            case 1 -> Double.toString(r.nextDouble() * Math.pow(10, r.nextInt(40) - 20) * (r.nextBoolean() ? 1 : -1));
            case 2 -> {
                StringBuilder sb = new StringBuilder(sign);
                int digits = 1 + r.nextInt(30);
                for (int i = 0; i < digits; i++) sb.append((char) ('0' + r.nextInt(10)));
                if (r.nextBoolean()) {
                    sb.append('.');
                    int f = 1 + r.nextInt(30);
                    for (int i = 0; i < f; i++) sb.append((char) ('0' + r.nextInt(10)));
                }
                if (r.nextInt(3) == 0) sb.append('e').append(r.nextInt(9000) - 4500);
                yield sb.toString();
            }
            case 3 -> sign + "0." + "0".repeat(r.nextInt(25)) + (1 + r.nextInt(999_999));
            case 4 -> sign + r.nextInt(1000) + "e" + (r.nextInt(9900) - 4950);
            case 5 -> String.format("%s0x%x.%xp%d", sign, r.nextInt(1 << 20), r.nextLong() >>> r.nextInt(64),
                    r.nextInt(33_000) - 16_500);
            case 6 -> new BigDecimal(BigInteger.valueOf(r.nextInt(1 << 20))).divide(BigDecimal.valueOf(2).pow(1 + r.nextInt(70)))
                    .toPlainString(); // exact binary fractions: ties when printing 17 decimals
            case 7 -> sign + "1.18973149535723176" + r.nextInt(1000) + "e+4932"; // around LDBL_MAX
            case 8 -> sign + r.nextInt(10) + "." + r.nextInt(100_000) + "e-" + (4930 + r.nextInt(25)); // subnormals
            default -> sign + r.nextInt(100_000) + "." + r.nextInt(1000);
        };
    }

    @Test
    void incrbyfloatDigitsMatchRedis() {
        Random r = new Random(42);
        int n = 3000;
        for (int i = 0; i < n; i++) {
            String key = "f:" + (i % 8);
            if (r.nextInt(3) > 0) d.check("set", key, randomFloat(r));
            d.check("incrbyfloat", key, randomFloat(r));
        }
        // Integer-valued results and long chains of small increments (error accumulation).
        for (int i = 0; i < 200; i++) d.check("incrbyfloat", "f:chain", "0.1");
        for (int i = 0; i < 100; i++) d.check("incrbyfloat", "f:int", Integer.toString(r.nextInt(2001) - 1000) + ".0");
        for (int i = 0; i < 100; i++) d.check("incrbyfloat", "f:neg", "-" + (r.nextInt(1000) + 1) + "e-" + r.nextInt(20));
        d.assertNoDivergence();
        assertTrue(d.commandsRun() > n);
    }
}
