package io.ember.command;

import io.ember.testing.Differential;
import io.ember.testing.Differential.Mode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stream commands against a real redis-server 7.0: hand-written edge cases (ID parsing,
 * trimming options and their errors, exclusive ranges, XSETID checks, WRONGTYPE) in RESP2 and
 * RESP3, then a seeded random run of more than 10,000 commands over a few keys with explicit IDs
 * (so both servers generate the same ones), comparing every reply byte for byte and, every few
 * commands, DEBUG DIGEST-VALUE of each key.
 */
class StreamDifferentialTest {
    static Differential d;
    static int resp3;

    @BeforeAll
    static void start() {
        d = new Differential();
        resp3 = d.newConnection();
        d.on(resp3, Mode.TYPE_ONLY, "hello", "3");
    }

    @AfterAll
    static void stop() {
        d.close();
    }

    private static final String[][] EDGE_CASES = {
        {"xadd", "e:s", "1-1", "f", "v"}, {"xadd", "e:s", "1-1", "f", "v"}, {"xadd", "e:s", "1-0", "f", "v"},
        {"xadd", "e:s", "0-0", "f", "v"}, {"xadd", "e:new", "0-0", "f", "v"}, {"exists", "e:new"}, {"xadd", "e:s", "0", "f", "v"},
        {"xadd", "e:s", "1-*", "a", "b", "c", "d"}, {"xadd", "e:s", "2-*", "a", "b"}, {"xadd", "e:s", "2", "a", "b"},
        {"xadd", "e:s", "2-5", "a", "b"}, {"xadd", "e:s", "x", "a", "b"}, {"xadd", "e:s", "1-x", "a", "b"},
        {"xadd", "e:s", "-", "a", "b"}, {"xadd", "e:s", "+", "a", "b"}, {"xadd", "e:s", "3-", "a", "b"}, {"xadd", "e:s", "-3", "a", "b"},
        {"xadd", "e:s", " 3-1", "a", "b"}, {"xadd", "e:s", "+4-+1", "a", "b"}, {"xadd", "e:s", "5-1", "a"},
        {"xadd", "e:s", "5-1", "a", "b", "c"}, {"xadd", "e:s", "5-1"}, {"xadd", "e:s", "maxlen", "5"},
        {"xadd", "e:s", "18446744073709551615-18446744073709551614", "a", "b"}, {"xadd", "e:s", "18446744073709551616-1", "a", "b"},
        {"xadd", "e:s", "18446744073709551615-*", "a", "b"}, {"xadd", "e:s", "*", "a", "b"}, {"xadd", "e:s", "18446744073709551615-*", "a", "b"},
        {"xlen", "e:s"}, {"xrange", "e:s", "-", "+"}, {"xrevrange", "e:s", "+", "-"},
        {"xrange", "e:s", "(1-1", "+"}, {"xrange", "e:s", "-", "(2-5"}, {"xrange", "e:s", "(-", "+"}, {"xrange", "e:s", "(", "+"},
        {"xrange", "e:s", "(18446744073709551615-18446744073709551615", "+"}, {"xrange", "e:s", "-", "(0-0"},
        {"xrange", "e:s", "2", "2"}, {"xrange", "e:s", "1", "+", "count", "2"}, {"xrange", "e:s", "-", "+", "count", "0"},
        {"xrange", "e:s", "-", "+", "count", "-1"}, {"xrange", "e:s", "-", "+", "count"}, {"xrange", "e:s", "-", "+", "foo", "1"},
        {"xrange", "e:s", "-", "+", "count", "x"}, {"xrange", "e:s", "+", "-"}, {"xrange", "e:none", "-", "+"},
        {"xrange", "e:none", "-", "+", "count", "0"}, {"xrange", "e:none", "x", "+"}, {"xrevrange", "e:s", "(2-5", "(1-1"},
        {"xrevrange", "e:s", "+", "-", "COUNT", "1"}, {"xlen", "e:none"},
        {"xdel", "e:s", "1-1", "1-1", "9-9"}, {"xdel", "e:s", "x"}, {"xdel", "e:none", "x"}, {"xdel", "e:s", "1-2", "x"}, {"xlen", "e:s"},
        {"xdel", "e:s", "-"},
        {"xadd", "e:t", "nomkstream", "1-1", "a", "b"}, {"exists", "e:t"}, {"xadd", "e:t", "NOMKSTREAM", "*"},
        {"xadd", "e:t", "maxlen", "-1", "1-1", "a", "b"}, {"xadd", "e:t", "maxlen", "x", "1-1", "a", "b"},
        {"xadd", "e:t", "maxlen", "1", "minid", "1", "1-1", "a", "b"}, {"xadd", "e:t", "minid", "x", "1-1", "a", "b"},
        {"xadd", "e:t", "maxlen", "1", "limit", "10", "1-1", "a", "b"}, {"xadd", "e:t", "limit", "10", "1-1", "a", "b"},
        {"xadd", "e:t", "limit", "-1", "1-1", "a", "b"}, {"xadd", "e:t", "maxlen", "~", "1", "limit", "x", "1-1", "a", "b"},
        {"xadd", "e:t", "maxlen", "~", "1", "limit", "0", "1-1", "a", "b"}, {"xadd", "e:t", "maxlen", "=", "1", "2-1", "a", "b"},
        {"xadd", "e:t", "minid", "~", "2", "3-1", "a", "b"}, {"xadd", "e:t", "minid", "=", "3", "4-1", "a", "b"},
        {"xadd", "e:t", "maxlen", "~"}, {"xadd", "e:t", "maxlen", "~", "1"}, {"xadd", "e:t", "limit", "0", "5-1", "a", "b"},
        {"xrange", "e:t", "-", "+"},
        {"xtrim", "e:t", "maxlen", "0"}, {"xtrim", "e:t", "foo", "0"}, {"xtrim", "e:t", "limit", "1", "maxlen", "0"},
        {"xtrim", "e:t", "maxlen", "0", "limit", "1"}, {"xtrim", "e:t", "maxlen", "~", "0", "limit", "1"}, {"xtrim", "e:none", "maxlen", "0"},
        {"xtrim", "e:none", "maxlen", "x"}, {"xtrim", "e:t", "minid", "(1"}, {"xtrim", "e:t", "minid", "-"}, {"xtrim", "e:t", "maxlen", "1", "x"},
        {"xtrim", "e:t", "nomkstream", "1"}, {"xlen", "e:t"}, {"exists", "e:t"},
        {"xsetid", "e:t", "1-1"}, {"xsetid", "e:t", "100-1"}, {"xsetid", "e:none", "1-1"}, {"xsetid", "e:t", "x"},
        {"xsetid", "e:t", "200", "entriesadded", "-1"}, {"xsetid", "e:t", "200", "entriesadded", "x"},
        {"xsetid", "e:t", "200", "maxdeletedid", "300"}, {"xsetid", "e:t", "200", "maxdeletedid", "150", "entriesadded", "10"},
        {"xsetid", "e:t", "100", "maxdeletedid", "50"}, {"xsetid", "e:t", "200", "foo"}, {"xsetid", "e:t", "200", "foo", "1"},
        {"xadd", "e:t", "150-1", "a", "b"}, {"xadd", "e:t", "*", "a"}, {"xsetid", "e:s", "1-1"}, {"xsetid", "e:s", "18446744073709551615-18446744073709551615", "entriesadded", "0"},
        {"set", "e:str", "x"}, {"xadd", "e:str", "1-1", "a", "b"}, {"xlen", "e:str"}, {"xrange", "e:str", "-", "+"}, {"xdel", "e:str", "1"},
        {"xtrim", "e:str", "maxlen", "1"}, {"xsetid", "e:str", "1"}, {"xrange", "e:str", "x", "+"}, {"xdel", "e:str", "x"},
        {"xadd", "e:str", "nomkstream", "1-1", "a", "b"},
        {"type", "e:s"}, {"object", "encoding", "e:s"}, {"debug", "digest-value", "e:s"}, {"debug", "digest-value", "e:t"},
        {"copy", "e:s", "e:copy"}, {"xrange", "e:copy", "-", "+"}, {"rename", "e:copy", "e:ren"}, {"xrange", "e:ren", "-", "+"},
        {"xadd", "e:ren", "*", "x", "y"}, {"xlen", "e:s"},
        // consumer groups
        {"xgroup", "create", "e:g", "g1", "$"}, {"xgroup", "create", "e:g", "g1", "$", "mkstream"}, {"xgroup", "create", "e:g", "g1", "$"},
        {"xgroup", "create", "e:g", "g2", "0", "entriesread", "-2"}, {"xgroup", "create", "e:g", "g2", "0", "entriesread", "x"},
        {"xgroup", "create", "e:g", "g2", "0", "foo"}, {"xgroup", "create", "e:g", "g2", "x"}, {"xgroup", "create", "e:g", "g2", "-"},
        {"xgroup", "create", "e:g", "g2", "0", "entriesread", "3", "mkstream"}, {"xgroup", "create", "e:str", "g", "$", "mkstream"},
        {"xgroup", "create", "e:none2", "g", "x", "mkstream"}, {"exists", "e:none2"},
        {"xgroup", "setid", "e:g", "nog", "0"}, {"xgroup", "setid", "e:nokey", "g", "0"}, {"xgroup", "setid", "e:g", "g1", "x"},
        {"xgroup", "setid", "e:g", "g1", "-"}, {"xgroup", "setid", "e:g", "g1", "0", "entriesread"}, {"xgroup", "setid", "e:g", "g1", "0", "foo", "1"},
        {"xgroup", "setid", "e:g", "g1", "0", "entriesread", "-5"}, {"xgroup", "setid", "e:g", "g1", "$", "entriesread", "0"},
        {"xgroup", "createconsumer", "e:g", "g1", "c1"}, {"xgroup", "createconsumer", "e:g", "g1", "c1"}, {"xgroup", "createconsumer", "e:g", "nog", "c1"},
        {"xgroup", "createconsumer", "e:g", "g1"}, {"xgroup", "delconsumer", "e:g", "g1", "zz"}, {"xgroup", "foo", "e:g", "g1"},
        {"xgroup", "destroy", "e:g", "nog"}, {"xgroup", "destroy", "e:nokey", "g"}, {"xgroup", "destroy", "e:g", "g1", "x"},
        {"xadd", "e:g", "1-1", "a", "1"}, {"xadd", "e:g", "2-1", "b", "2"}, {"xadd", "e:g", "3-1", "c", "3"},
        {"xinfo", "groups", "e:g"},
        {"xreadgroup", "group", "g1", "c1", "streams", "e:g", ">"}, {"xreadgroup", "group", "g2", "c2", "count", "1", "streams", "e:g", ">"},
        {"xreadgroup", "group", "g2", "c3", "noack", "count", "1", "streams", "e:g", ">"}, {"xreadgroup", "group", "g2", "c2", "streams", "e:g", "0"},
        {"xreadgroup", "group", "g2", "c2", "streams", "e:g", "$"}, {"xreadgroup", "group", "nog", "c2", "streams", "e:g", ">"},
        {"xreadgroup", "group", "g2", "c2", "streams", "e:nokey", ">"}, {"xreadgroup", "group", "g2", "c2", "streams", "e:g"},
        {"xreadgroup", "streams", "e:g", ">"}, {"xreadgroup", "group", "g2", "c2", "foo", "streams", "e:g", ">"},
        {"xreadgroup", "group", "g2", "c2", "streams", "e:g", "e:s", ">", ">"}, {"xreadgroup", "group", "g2", "c2", "streams", "e:str", ">"},
        {"xreadgroup", "group", "g2", "c2", "streams", "e:g", "x"}, {"xreadgroup", "group", "g2", "c2", "count", "x", "streams", "e:g", ">"},
        {"xreadgroup", "group", "g2", "c2", "block", "-1", "streams", "e:g", ">"}, {"xreadgroup", "group", "g2", "c2", "streams", "e:g", ">"},
        {"xinfo", "groups", "e:g"},
        {"xpending", "e:g", "g1"}, {"xpending", "e:g", "g2"}, {"xpending", "e:g", "nog"}, {"xpending", "e:nokey", "g"}, {"xpending", "e:str", "g"},
        {"xpending", "e:g", "g1", "-", "+"}, {"xpending", "e:g", "g1", "-", "+", "x"}, {"xpending", "e:g", "g1", "idle", "x", "-", "+", "10"},
        {"xpending", "e:g", "g1", "idle", "0", "-", "+"}, {"xpending", "e:g", "g1", "(-", "+", "10"}, {"xpending", "e:g", "g1", "-", "(0-0", "10"},
        {"xpending", "e:g", "g1", "-", "+", "10", "nobody"}, {"xpending", "e:g", "g1", "idle", "100000000", "-", "+", "10"},
        {"xpending", "e:g", "g1", "-", "+", "0"},
        {"xack", "e:g", "g1", "1-1", "1-1", "9-9"}, {"xack", "e:g", "g1", "x"}, {"xack", "e:g", "nog", "1-1"}, {"xack", "e:nokey", "g", "1"},
        {"xack", "e:str", "g", "1"}, {"xpending", "e:g", "g1"},
        {"xclaim", "e:g", "g1", "c9", "0", "2-1", "justid"}, {"xclaim", "e:g", "g1", "c9", "x", "2-1"}, {"xclaim", "e:g", "nog", "c9", "0", "2-1"},
        {"xclaim", "e:g", "g1", "c9", "0", "2-1", "foo"}, {"xclaim", "e:g", "g1", "c9", "0", "2-1", "idle", "x"},
        {"xclaim", "e:g", "g1", "c9", "0", "2-1", "time", "x"}, {"xclaim", "e:g", "g1", "c9", "0", "2-1", "retrycount", "x"},
        {"xclaim", "e:g", "g1", "c9", "0", "2-1", "lastid", "x"}, {"xclaim", "e:g", "g1", "c8", "100000000", "2-1", "3-1"},
        {"xclaim", "e:g", "g1", "c8", "0", "1-1", "force", "retrycount", "7", "justid"}, {"xclaim", "e:g", "g1", "c8", "0", "2-1", "3-1", "lastid", "9-9"},
        {"xinfo", "groups", "e:g"}, {"xdel", "e:g", "3-1"}, {"xclaim", "e:g", "g1", "c7", "0", "3-1", "2-1"}, {"xpending", "e:g", "g1"},
        {"xautoclaim", "e:g", "g2", "c5", "0", "0"}, {"xautoclaim", "e:g", "g2", "c5", "0", "0", "count", "0"}, {"xautoclaim", "e:g", "g2", "c5", "x", "0"},
        {"xautoclaim", "e:g", "g2", "c5", "0", "x"}, {"xautoclaim", "e:g", "g2", "c5", "0", "0", "foo"}, {"xautoclaim", "e:g", "nog", "c5", "0", "0"},
        {"xautoclaim", "e:g", "g2", "c5", "0", "(0", "count", "1", "justid"}, {"xautoclaim", "e:g", "g2", "c5", "100000000", "0"},
        {"xgroup", "delconsumer", "e:g", "g1", "c8"}, {"xpending", "e:g", "g1"}, {"xinfo", "groups", "e:g"}, {"xinfo", "groups", "e:nokey"},
        {"xinfo", "consumers", "e:g", "nog"}, {"xinfo", "stream", "e:g", "foo"}, {"xinfo", "stream", "e:g", "full", "count"},
        {"xinfo", "stream", "e:g", "full", "limit", "1"}, {"xinfo", "stream", "e:str"}, {"xinfo", "foo", "e:g"},
        {"xread", "streams", "e:g", "0"}, {"xread", "count", "1", "streams", "e:g", "e:s", "0", "1"}, {"xread", "streams", "e:g", "$"},
        {"xread", "streams", "e:g", ">"}, {"xread", "group", "g", "c", "streams", "e:g", "0"}, {"xread", "noack", "streams", "e:g", "0"},
        {"xread", "streams", "e:g"}, {"xread", "streams", "e:nokey", "e:g", "0", "0"}, {"xread", "count", "-1", "streams", "e:g", "0"},
        {"xread", "streams", "e:str", "0"}, {"xread", "streams", "e:g", "x"}, {"xread", "block", "x", "streams", "e:g", "0"}, {"xread", "e:g"},
        {"xgroup", "destroy", "e:g", "g2"}, {"xinfo", "groups", "e:g"}, {"debug", "digest-value", "e:g"},
    };

    @Test
    void edgeCasesInResp2AndResp3() {
        for (String[] c : EDGE_CASES) {
            d.check(c);
        }
        for (String[] c : EDGE_CASES) {
            String[] c3 = c.clone();
            for (int i = 1; i < c3.length; i++) c3[i] = c3[i].replace("e:", "e3:");
            if (c3[0].equals("xadd") && List.of(c3).contains("*")) d.on(resp3, Mode.TYPE_ONLY, c3);
            else d.on(resp3, Mode.EXACT, c3);
        }
        d.check("debug", "digest");
        d.assertNoDivergence();
    }

    /** COMMAND INFO/DOCS of every stream command and subcommand, HELP, and COMMAND GETKEYS of the XREAD forms. */
    @Test
    void commandMetadata() {
        String[] names = {"xadd", "xlen", "xrange", "xrevrange", "xdel", "xtrim", "xsetid", "xread", "xreadgroup", "xack",
            "xpending", "xclaim", "xautoclaim", "xgroup|create", "xgroup|help", "xinfo|help", "xgroup|setid", "xgroup|destroy",
            "xgroup|createconsumer", "xgroup|delconsumer", "xinfo|stream", "xinfo|groups", "xinfo|consumers"};
        for (String n : names) {
            d.check("command", "info", n);
            d.check(Mode.UNORDERED, "command", "docs", n);
        }
        // Containers list their subcommands in Redis's dict order, which changes from run to run.
        d.check(Mode.TYPE_ONLY, "command", "info", "xgroup", "xinfo");
        d.check("command", "getkeys", "xread", "count", "1", "streams", "a", "b", "0", "0");
        d.check("command", "getkeys", "xreadgroup", "group", "g", "c", "streams", "a", ">");
        d.check("command", "getkeys", "xadd", "k", "*", "f", "v");
        d.check("xgroup", "help");
        d.check("xinfo", "help");
        d.check("xgroup");
        d.check("xinfo", "stream");
        d.assertNoDivergence();
    }

    /**
     * Entries are packed into nodes: 10,000 small entries take about as many bytes as in Redis's
     * listpacks (MEMORY USAGE within a factor of two either way), and XINFO's node count
     * ("radix-tree-keys") is Redis's.
     */
    @Test
    void entriesArePackedAsCompactlyAsRedis() {
        io.ember.testing.RawConnection[] c = side(false);
        for (io.ember.testing.RawConnection conn : c) {
            conn.call("del", "mem:s");
            for (int i = 1; i <= 10_000; i++) conn.call("xadd", "mem:s", i + "-1", "sensor", "t" + (i % 7), "value", String.valueOf(i));
        }
        long redis = Long.parseLong(new String(c[0].call("memory", "usage", "mem:s", "samples", "0")).trim().substring(1));
        long ember = Long.parseLong(new String(c[1].call("memory", "usage", "mem:s", "samples", "0")).trim().substring(1));
        System.out.println("MEMORY USAGE of 10,000 entries: redis " + redis + ", ember " + ember);
        org.junit.jupiter.api.Assertions.assertTrue(ember < 2 * redis && redis < 2 * ember, "redis " + redis + " ember " + ember);
        checkMasked(false, "xinfo", "stream", "mem:s");
        d.check("xdel", "mem:s", "5-1", "7-1");
        d.check("xtrim", "mem:s", "maxlen", "~", "5000");
        checkMasked(false, "xinfo", "stream", "mem:s");
        d.check("del", "mem:s");
        d.assertNoDivergence();
        org.junit.jupiter.api.Assertions.assertEquals(List.of(), masked);
    }

    /**
     * Nodes split where Redis's listpacks split (XINFO's radix-tree-keys, approximate trimming):
     * entries with the master's fields or others, integer and string values, values near and
     * over stream-node-max-bytes, and both node limits changed through CONFIG SET (0 = none).
     */
    @Test
    void nodesSplitWhereRedisSplitsThem() {
        java.util.Random r = new java.util.Random(42);
        String[][] limits = {{"4096", "100"}, {"200", "5"}, {"0", "7"}, {"1000", "0"}, {"4096", "200"}};
        for (String[] limit : limits) {
            d.check("config", "set", "stream-node-max-bytes", limit[0], "stream-node-max-entries", limit[1]);
            d.check("del", "n:s");
            for (int i = 1; i <= 600; i++) {
                String value = switch (r.nextInt(5)) {
                    case 0 -> String.valueOf(r.nextInt(100_000) - 50_000);
                    case 1 -> "x".repeat(r.nextInt(70));
                    case 2 -> "y".repeat(r.nextInt(5000));
                    default -> "v" + i;
                };
                if (r.nextInt(4) == 0) d.check("xadd", "n:s", (i / 3) + "-" + i, "other", value, "f", "1");
                else d.check("xadd", "n:s", (i / 3) + "-" + i, "temp", value, "unit", "c");
                if (i % 97 == 0) checkMasked(false, "xinfo", "stream", "n:s");
            }
            d.check("xdel", "n:s", "3-10", "4-12", "5-15");
            checkMasked(false, "xinfo", "stream", "n:s");
            d.check("xtrim", "n:s", "maxlen", "~", "450");
            d.check("xtrim", "n:s", "minid", "~", "120");
            checkMasked(false, "xinfo", "stream", "n:s");
            d.check("xrange", "n:s", "-", "+", "count", "3");
            d.check("xrevrange", "n:s", "+", "-", "count", "3");
        }
        d.check("config", "set", "stream-node-max-bytes", "4096", "stream-node-max-entries", "100");
        d.check(Mode.UNORDERED, "config", "get", "stream-node-*"); // dict order in Redis
        d.check("config", "set", "stream-node-max-bytes", "-1");
        d.check("config", "set", "stream-node-max-bytes", "1kb");
        d.check("config", "get", "stream-node-max-bytes");
        d.check("config", "set", "stream-node-max-bytes", "4096");
        d.check("del", "n:s");
        d.assertNoDivergence();
        org.junit.jupiter.api.Assertions.assertEquals(List.of(), masked);
    }

    /** Which stream commands invalidate a WATCH (signalModifiedKey), no-ops and errors included. */
    @Test
    void watchInvalidation() {
        int other = d.newConnection();
        String[][] writes = {
            {"xadd", "w:s", "5-1", "f", "v"}, {"xadd", "w:s", "1-1", "f", "v"}, {"xadd", "w:s", "nomkstream", "6-1", "f", "v"},
            {"xdel", "w:s", "9-9"}, {"xdel", "w:s", "5-1"}, {"xtrim", "w:s", "maxlen", "100"}, {"xtrim", "w:s", "maxlen", "0"},
            {"xsetid", "w:s", "50-0"}, {"xsetid", "w:s", "1-0"}, {"xgroup", "create", "w:s", "g", "0"},
            {"xgroup", "create", "w:s", "g", "0"}, {"xgroup", "setid", "w:s", "g", "0"}, {"xgroup", "createconsumer", "w:s", "g", "c"},
            {"xgroup", "createconsumer", "w:s", "g", "c"}, {"xadd", "w:s", "60-1", "f", "v"},
            {"xreadgroup", "group", "g", "c", "streams", "w:s", ">"}, {"xreadgroup", "group", "g", "c", "streams", "w:s", ">"},
            {"xreadgroup", "group", "g", "c", "streams", "w:s", "0"}, {"xread", "streams", "w:s", "0"},
            {"xclaim", "w:s", "g", "c2", "0", "60-1"}, {"xclaim", "w:s", "g", "c2", "100000000", "60-1"},
            {"xautoclaim", "w:s", "g", "c3", "0", "0"}, {"xautoclaim", "w:s", "g", "c3", "100000000", "0"},
            {"xpending", "w:s", "g"}, {"xack", "w:s", "g", "1-1"}, {"xack", "w:s", "g", "60-1"},
            {"xgroup", "delconsumer", "w:s", "g", "nobody"}, {"xgroup", "delconsumer", "w:s", "g", "c"},
            {"xgroup", "destroy", "w:s", "g"}, {"xgroup", "destroy", "w:s", "g"}, {"xgroup", "create", "w:n", "g", "$", "mkstream"},
        };
        for (String[] w : writes) {
            String key = w[0].equals("xgroup") ? w[2] : w[1];
            d.check("watch", key);
            d.on(other, Mode.EXACT, w);
            d.check("multi");
            d.check("echo", String.join(" ", w)); // names the write in a divergence report
            d.check("exec");
        }
        d.assertNoDivergence();
    }

    // ---- seeded random run ----------------------------------------------------------------------

    private static final String[] KEYS = {"r:a", "r:b", "r:c"};

    private static String rid(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> String.valueOf(r.nextInt(400));
            case 1 -> r.nextInt(400) + "-*";
            case 2 -> "-";
            case 3 -> "+";
            default -> r.nextInt(400) + "-" + r.nextInt(4);
        };
    }

    private static String strictId(Random r) {
        return r.nextInt(40) == 0 ? "x" : r.nextInt(400) + "-" + r.nextInt(4);
    }

    private static String[] randomCommand(Random r, long[] nextMs) {
        String key = KEYS[r.nextInt(KEYS.length)];
        List<String> a = new ArrayList<>();
        switch (r.nextInt(12)) {
            case 0, 1, 2, 3 -> {
                a.add("xadd");
                a.add(key);
                if (r.nextInt(8) == 0) a.add("nomkstream");
                if (r.nextInt(5) == 0) {
                    boolean maxlen = r.nextBoolean();
                    a.add(maxlen ? "maxlen" : "minid");
                    int m = r.nextInt(3);
                    if (m == 1) a.add("~");
                    if (m == 2) a.add("=");
                    a.add(maxlen ? String.valueOf(r.nextInt(250)) : String.valueOf(nextMs[0] - r.nextInt(300)));
                    if (m == 1 && r.nextBoolean()) {
                        a.add("limit");
                        a.add(String.valueOf(r.nextInt(300)));
                    }
                }
                int idk = r.nextInt(20);
                if (idk == 0) a.add(strictId(r));
                else if (idk == 1) a.add(nextMs[0] + "-*");
                else a.add((nextMs[0] += r.nextInt(3)) + "-" + r.nextInt(3));
                int n = 1 + r.nextInt(3);
                for (int i = 0; i < n; i++) {
                    a.add("f" + r.nextInt(4));
                    a.add("v" + r.nextInt(100));
                }
            }
            case 4 -> {
                a.add(r.nextBoolean() ? "xrange" : "xrevrange");
                a.add(key);
                String x = rid(r), y = rid(r);
                a.add(r.nextInt(5) == 0 ? "(" + x : x);
                a.add(r.nextInt(5) == 0 ? "(" + y : y);
                if (r.nextBoolean()) {
                    a.add("count");
                    a.add(String.valueOf(r.nextInt(12) - 1));
                }
            }
            case 5 -> {
                a.add("xrange");
                a.add(key);
                a.add("-");
                a.add("+");
            }
            case 6, 7 -> {
                a.add("xdel");
                a.add(key);
                int n = 1 + r.nextInt(4);
                for (int i = 0; i < n; i++) a.add(Math.max(0, nextMs[0] - r.nextInt(300)) + "-" + r.nextInt(3));
            }
            case 8 -> {
                a.add("xtrim");
                a.add(key);
                boolean maxlen = r.nextBoolean();
                a.add(maxlen ? "maxlen" : "minid");
                int m = r.nextInt(3);
                if (m == 1) a.add("~");
                if (m == 2) a.add("=");
                a.add(maxlen ? String.valueOf(r.nextInt(250)) : String.valueOf(nextMs[0] - r.nextInt(300)));
                if (m == 1 && r.nextBoolean()) {
                    a.add("limit");
                    a.add(String.valueOf(r.nextInt(300)));
                }
            }
            case 9 -> {
                a.add("xlen");
                a.add(key);
            }
            case 10 -> {
                a.add("xsetid");
                a.add(key);
                a.add((nextMs[0] + r.nextInt(3) - 1) + "-" + r.nextInt(3));
                if (r.nextInt(3) == 0) {
                    a.add("entriesadded");
                    a.add(String.valueOf(r.nextInt(2000)));
                }
                if (r.nextInt(3) == 0) {
                    a.add("maxdeletedid");
                    a.add((nextMs[0] - r.nextInt(50)) + "-0");
                }
            }
            default -> {
                a.add("debug");
                a.add("digest-value");
                a.add(key);
            }
        }
        return a.toArray(new String[0]);
    }

    // ---- replies holding times: compared with the times masked -----------------------------------

    /** Side connections {redis, ember}, RESP2 and RESP3, for replies compared after masking. */
    static io.ember.testing.RawConnection[][] side;

    private static io.ember.testing.RawConnection[] side(boolean resp3) {
        if (side == null) {
            side = new io.ember.testing.RawConnection[2][];
            for (int p = 0; p < 2; p++) {
                side[p] = new io.ember.testing.RawConnection[] {d.redis().raw(), d.ember().raw()};
                if (p == 1) for (io.ember.testing.RawConnection c : side[p]) c.call("hello", "3");
            }
        }
        return side[resp3 ? 1 : 0];
    }

    static final List<String> masked = new ArrayList<>();

    /**
     * Runs a command whose reply carries idle times, delivery times or "radix-tree-nodes" (a
     * property of Redis's rax) on both servers and compares the replies with those numbers zeroed.
     */
    private static void checkMasked(boolean resp3, String... args) {
        io.ember.testing.RawConnection[] c = side(resp3);
        String r = mask(c[0].callValue(args)), e = mask(c[1].callValue(args));
        if (!r.equals(e)) masked.add(String.join(" ", args) + "\n    redis: " + r + "\n    ember: " + e);
    }

    private static String mask(io.ember.resp.RespValue v) {
        StringBuilder sb = new StringBuilder();
        mask(v, sb, null);
        return sb.toString();
    }

    /** Renders a reply; numbers under the keys idle/seen-time/radix-tree-nodes and inside pending entries become "T". */
    private static void mask(io.ember.resp.RespValue v, StringBuilder sb, String under) {
        if (v instanceof io.ember.resp.RespValue.Array a) {
            List<io.ember.resp.RespValue> it = a.items();
            boolean pending = it.size() >= 3 && it.get(0) instanceof io.ember.resp.RespValue.Bulk
                    && it.get(it.size() - 1) instanceof io.ember.resp.RespValue.Int && it.get(it.size() - 2) instanceof io.ember.resp.RespValue.Int;
            sb.append(a.kind()).append('[');
            for (int i = 0; i < it.size(); i++) {
                if (pending && i == it.size() - 2) sb.append("T,");
                else if (under == null && it.get(i) instanceof io.ember.resp.RespValue.Bulk b && i + 1 < it.size()
                        && isTimeKey(new String(b.value(), java.nio.charset.StandardCharsets.ISO_8859_1))) {
                    sb.append(b).append(",T,");
                    i++;
                } else {
                    mask(it.get(i), sb, null);
                    sb.append(',');
                }
            }
            sb.append(']');
        } else if (v instanceof io.ember.resp.RespValue.Map m) {
            List<io.ember.resp.RespValue> it = m.flat();
            sb.append("MAP{");
            for (int i = 0; i + 1 < it.size(); i += 2) {
                String k = String.valueOf(it.get(i));
                sb.append(k).append('=');
                if (isTimeKey(k)) sb.append('T');
                else mask(it.get(i + 1), sb, null);
                sb.append(',');
            }
            sb.append('}');
        } else {
            sb.append(v);
        }
    }

    private static boolean isTimeKey(String k) {
        return k.equals("idle") || k.equals("seen-time") || k.equals("radix-tree-nodes");
    }

    // ---- dirty counter and keyspace hits/misses, compared per command ----------------------------

    static final List<String> counterProblems = new ArrayList<>();

    /** {dirty, hits, misses} of redis-server, from INFO (which itself counts none of them). */
    private static long[] redisCounters() {
        String info = new String(side(false)[0].call("info"), java.nio.charset.StandardCharsets.ISO_8859_1);
        return new long[] {infoField(info, "rdb_changes_since_last_save"), infoField(info, "keyspace_hits"),
            infoField(info, "keyspace_misses")};
    }

    private static long infoField(String info, String name) {
        int start = info.indexOf("\n" + name + ":") + name.length() + 2;
        return Long.parseLong(info.substring(start, info.indexOf('\r', start)));
    }

    private static long[] emberCounters() {
        long[] hm = EngineProbe.hitsMisses(d.ember());
        return new long[] {EngineProbe.dirty(d.ember()), hm[0], hm[1]};
    }

    private static void compareCounters(String what, long[] rBefore, long[] eBefore) {
        long[] rAfter = redisCounters(), eAfter = emberCounters();
        for (int i = 0; i < 3; i++) {
            if (rAfter[i] - rBefore[i] != eAfter[i] - eBefore[i]) {
                counterProblems.add(what + ": " + new String[] {"dirty", "hits", "misses"}[i] + " redis +"
                        + (rAfter[i] - rBefore[i]) + " ember +" + (eAfter[i] - eBefore[i]));
            }
        }
    }

    private static void assertCounters() {
        if (!counterProblems.isEmpty()) {
            throw new AssertionError(counterProblems.size() + " counter divergence(s):\n  "
                    + String.join("\n  ", counterProblems.subList(0, Math.min(20, counterProblems.size()))));
        }
    }

    private static final String[] GROUPS = {"g1", "g2"};
    private static final String[] CONSUMERS = {"c1", "c2", "c3"};

    private static String idle(Random r) {
        return r.nextBoolean() ? "0" : "100000000";
    }

    /** A group command, or null when the command went through checkMasked already. */
    private static String[] randomGroupCommand(Random r, long[] nextMs, boolean resp3) {
        String key = KEYS[r.nextInt(KEYS.length)];
        String g = GROUPS[r.nextInt(GROUPS.length)];
        String con = CONSUMERS[r.nextInt(CONSUMERS.length)];
        String id = Math.max(0, nextMs[0] - r.nextInt(60)) + "-" + r.nextInt(3);
        List<String> a = new ArrayList<>();
        switch (r.nextInt(16)) {
            case 0 -> {
                a.addAll(List.of("xgroup", "create", key, g, r.nextBoolean() ? "$" : id));
                if (r.nextBoolean()) a.add("mkstream");
                if (r.nextInt(4) == 0) a.addAll(List.of("entriesread", String.valueOf(r.nextInt(50) - 1)));
            }
            case 1 -> {
                a.addAll(List.of("xgroup", "setid", key, g, r.nextInt(3) == 0 ? "$" : id));
                if (r.nextInt(4) == 0) a.addAll(List.of("entriesread", String.valueOf(r.nextInt(50) - 1)));
            }
            case 2 -> a.addAll(List.of("xgroup", r.nextBoolean() ? "createconsumer" : "delconsumer", key, g, con));
            case 3 -> a.addAll(List.of("xgroup", "destroy", key, g));
            case 4, 5, 6 -> {
                a.addAll(List.of("xreadgroup", "group", g, con));
                if (r.nextBoolean()) a.addAll(List.of("count", String.valueOf(r.nextInt(5))));
                if (r.nextInt(5) == 0) a.add("noack");
                a.addAll(List.of("streams", key, r.nextInt(4) == 0 ? id : ">"));
            }
            case 7, 8 -> {
                a.addAll(List.of("xack", key, g));
                int n = 1 + r.nextInt(3);
                for (int i = 0; i < n; i++) a.add(Math.max(0, nextMs[0] - r.nextInt(60)) + "-" + r.nextInt(3));
            }
            case 9 -> a.addAll(List.of("xpending", key, g));
            case 10 -> {
                a.addAll(List.of("xpending", key, g));
                if (r.nextBoolean()) a.addAll(List.of("idle", idle(r)));
                a.addAll(List.of(r.nextBoolean() ? "-" : id, "+", String.valueOf(r.nextInt(6))));
                if (r.nextBoolean()) a.add(con);
                checkMasked(resp3, a.toArray(new String[0]));
                return null;
            }
            case 11 -> {
                a.addAll(List.of("xclaim", key, g, con, idle(r)));
                int n = 1 + r.nextInt(3);
                for (int i = 0; i < n; i++) a.add(Math.max(0, nextMs[0] - r.nextInt(60)) + "-" + r.nextInt(3));
                if (r.nextInt(4) == 0) a.addAll(List.of("idle", r.nextBoolean() ? "0" : "200000000"));
                if (r.nextInt(6) == 0) a.addAll(List.of("time", "1000"));
                if (r.nextInt(4) == 0) a.addAll(List.of("retrycount", String.valueOf(r.nextInt(5))));
                if (r.nextInt(4) == 0) a.add("force");
                if (r.nextInt(3) == 0) a.add("justid");
                if (r.nextInt(5) == 0) a.addAll(List.of("lastid", id));
            }
            case 12 -> {
                a.addAll(List.of("xautoclaim", key, g, con, idle(r), r.nextBoolean() ? "0" : id));
                if (r.nextBoolean()) a.addAll(List.of("count", String.valueOf(1 + r.nextInt(4))));
                if (r.nextInt(3) == 0) a.add("justid");
            }
            case 13 -> {
                switch (r.nextInt(4)) {
                    case 0 -> checkMasked(resp3, "xinfo", "stream", key);
                    case 1 -> checkMasked(resp3, "xinfo", "stream", key, "full", "count", String.valueOf(r.nextInt(4)));
                    case 2 -> checkMasked(resp3, "xinfo", "groups", key);
                    default -> checkMasked(resp3, "xinfo", "consumers", key, g);
                }
                return null;
            }
            case 14 -> {
                a.add("xread");
                if (r.nextBoolean()) a.addAll(List.of("count", String.valueOf(r.nextInt(5))));
                a.addAll(List.of("streams", key, KEYS[r.nextInt(KEYS.length)], r.nextBoolean() ? "$" : id, id));
            }
            default -> {
                return randomCommand(r, nextMs);
            }
        }
        return a.toArray(new String[0]);
    }

    @Test
    void seededRandomGroupOperations() {
        Random r = new Random(7007);
        long[] nextMs = {100000};
        for (String k : KEYS) d.check("del", k);
        for (int i = 0; i < 12_000; i++) {
            boolean resp3 = i % 5 == 0;
            long[] rBefore = redisCounters(), eBefore = emberCounters();
            int maskedBefore = masked.size();
            String[] cmd = randomGroupCommand(r, nextMs, resp3);
            if (cmd != null) d.on(resp3 ? StreamDifferentialTest.resp3 : 0, Mode.EXACT, cmd);
            compareCounters(cmd == null ? "masked command #" + maskedBefore : String.join(" ", cmd), rBefore, eBefore);
            if (i % 500 == 0) d.check("debug", "digest");
        }
        for (String k : KEYS) {
            checkMasked(false, "xinfo", "stream", k, "full", "count", "0");
            d.check("debug", "digest-value", k);
        }
        d.assertNoDivergence();
        assertCounters();
        if (!masked.isEmpty()) {
            throw new AssertionError(masked.size() + " masked divergence(s):\n  " + String.join("\n  ", masked.subList(0, Math.min(20, masked.size()))));
        }
    }

    @Test
    void seededRandomOperations() {
        Random r = new Random(20260811);
        long[] nextMs = {1};
        for (int i = 0; i < 12_000; i++) {
            String[] cmd = randomCommand(r, nextMs);
            long[] rBefore = redisCounters(), eBefore = emberCounters();
            d.on(i % 5 == 0 ? resp3 : 0, Mode.EXACT, cmd);
            compareCounters(String.join(" ", cmd), rBefore, eBefore);
            if (i % 500 == 0) d.check("debug", "digest");
        }
        for (String k : KEYS) {
            d.check("xlen", k);
            d.check("debug", "digest-value", k);
        }
        d.assertNoDivergence();
        assertCounters();
    }
}
