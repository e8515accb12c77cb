package io.ember.persist.rdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.resp.RespValue;
import io.ember.testing.RawConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams in every shape the RDB format must carry, built with explicit IDs so the same commands
 * give the same streams on Ember and on redis-server (times aside), and the comparison of a
 * stream on two servers through everything a client can see of it.
 */
final class StreamRdbDataset {
    private StreamRdbDataset() {}

    /** Every key {@link #build} creates. */
    static final List<String> KEYS = List.of("s:empty:xdel", "s:empty:trim", "s:deleted", "s:nodes", "s:fields",
            "s:bigids", "s:groups", "s:mk", "s:ttl", "s:setid", "s:trim");

    static String text(byte[] reply) {
        return new String(reply, StandardCharsets.ISO_8859_1);
    }

    /** Runs a command that must not fail. */
    static byte[] ok(RawConnection c, String... cmd) {
        byte[] r = c.call(cmd);
        assertFalse(r.length > 0 && r[0] == '-', String.join(" ", cmd) + " -> " + text(r));
        return r;
    }

    static void build(RawConnection c) {
        ok(c, "XADD", "s:empty:xdel", "1-1", "f", "v");
        ok(c, "XADD", "s:empty:xdel", "2-2", "f", "v");
        ok(c, "XDEL", "s:empty:xdel", "1-1", "2-2");

        for (int i = 1; i <= 5; i++) ok(c, "XADD", "s:empty:trim", i + "-0", "f", "" + i);
        ok(c, "XTRIM", "s:empty:trim", "MAXLEN", "0");

        // Tombstones inside nodes, the last entry deleted (max-deleted-id), a whole node's worth kept.
        for (int i = 1; i <= 130; i++) ok(c, "XADD", "s:deleted", i + "-1", "name", "n" + i, "value", "" + i * 7);
        ok(c, "XDEL", "s:deleted", "1-1", "10-1", "30-1", "101-1", "130-1");

        // Several nodes: >100 small entries, then entries above 4096 bytes (each its own node), then more.
        for (int i = 1; i <= 350; i++) ok(c, "XADD", "s:nodes", (1000 + i) + "-0", "k", "" + i, "payload", "x".repeat(i % 40));
        for (int i = 0; i < 4; i++) ok(c, "XADD", "s:nodes", (5000 + i) + "-0", "big", ("big" + i).repeat(1500));
        for (int i = 0; i < 30; i++) ok(c, "XADD", "s:nodes", (6000 + i) + "-0", "k", "after" + i);

        // Field sets differing per entry (SAMEFIELDS or not), integer-like fields and values, empty
        // and binary strings, a negative sequence delta within a node.
        ok(c, "XADD", "s:fields", "1-0", "a", "1", "b", "2");
        ok(c, "XADD", "s:fields", "1-1", "a", "3", "b", "4");
        ok(c, "XADD", "s:fields", "1-2", "a", "5");
        ok(c, "XADD", "s:fields", "1-3", "b", "1", "a", "2");
        ok(c, "XADD", "s:fields", "1-4", "a", "1", "b", "2", "c", "3");
        ok(c, "XADD", "s:fields", "1-5", "123", "456", "-7", "", "9223372036854775807", "-9223372036854775808");
        ok(c, "XADD", "s:fields", "1-6", "\u00ff\u0001", "\u0000", "a", "1");
        ok(c, "XADD", "s:fields", "5-100", "a", "x", "b", "y");
        ok(c, "XADD", "s:fields", "6-0", "a", "y", "b", "z");
        ok(c, "XADD", "s:fields", "7-0", "a", "long".repeat(40), "b", "07");

        // IDs using all 64 bits of both halves.
        ok(c, "XADD", "s:bigids", "9223372036854775808-5", "f", "v");
        ok(c, "XADD", "s:bigids", "18446744073709551614-18446744073709551615", "f", "v");
        ok(c, "XADD", "s:bigids", "18446744073709551615-0", "f", "v");

        groups(c);

        ok(c, "XGROUP", "CREATE", "s:mk", "g", "$", "MKSTREAM");

        ok(c, "XADD", "s:ttl", "1-0", "f", "v");
        ok(c, "PEXPIRE", "s:ttl", "500000");

        ok(c, "XADD", "s:setid", "1-0", "f", "v");
        ok(c, "XSETID", "s:setid", "100-0", "ENTRIESADDED", "50", "MAXDELETEDID", "90-0");

        for (int i = 1; i <= 250; i++) ok(c, "XADD", "s:trim", i + "-0", "f", "" + i);
        ok(c, "XTRIM", "s:trim", "MINID", "150-0");
        ok(c, "XTRIM", "s:trim", "MAXLEN", "~", "60");
    }

    /** Consumer groups with PELs, consumers, NOACK reads, a group at $ with ENTRIESREAD, a lag-less group. */
    private static void groups(RawConnection c) {
        String k = "s:groups";
        for (int i = 1; i <= 40; i++) ok(c, "XADD", k, i + "-0", "f", "" + i);
        ok(c, "XGROUP", "CREATE", k, "g1", "0");
        ok(c, "XREADGROUP", "GROUP", "g1", "alice", "COUNT", "5", "STREAMS", k, ">");
        ok(c, "XREADGROUP", "GROUP", "g1", "bob", "COUNT", "7", "STREAMS", k, ">");
        ok(c, "XACK", k, "g1", "1-0", "3-0", "8-0");
        ok(c, "XCLAIM", k, "g1", "carol", "0", "2-0", "9-0");
        ok(c, "XREADGROUP", "GROUP", "g1", "dave", "COUNT", "4", "NOACK", "STREAMS", k, ">");
        ok(c, "XREADGROUP", "GROUP", "g1", "alice", "COUNT", "2", "STREAMS", k, "0");
        ok(c, "XGROUP", "CREATECONSUMER", k, "g1", "idle-one");
        ok(c, "XGROUP", "CREATE", k, "g2", "$", "ENTRIESREAD", "35");
        ok(c, "XGROUP", "CREATE", k, "g3", "5-0");
        ok(c, "XDEL", k, "20-0", "4-0"); // 4-0 is pending for alice: a PEL entry whose entry is gone
        ok(c, "XGROUP", "SETID", k, "g3", "10-0", "ENTRIESREAD", "10");
        ok(c, "XADD", k, "41-0", "f", "41");
        ok(c, "XREADGROUP", "GROUP", "g2", "erin", "COUNT", "1", "STREAMS", k, ">");
        ok(c, "XGROUP", "CREATE", k, "\u0000bin\u00ff", "0");
    }

    /**
     * Commands run on both servers after a load, whose replies must agree: the loaded groups,
     * counters and nodes behave as the source's (delivery, claiming, lag, trimming).
     */
    static List<String[]> followUps() {
        List<String[]> f = new ArrayList<>();
        f.add(new String[] {"XTRIM", "s:nodes", "MAXLEN", "~", "200"});
        f.add(new String[] {"XLEN", "s:nodes"});
        f.add(new String[] {"XADD", "s:groups", "42-0", "f", "42"});
        f.add(new String[] {"XREADGROUP", "GROUP", "g1", "alice", "COUNT", "3", "STREAMS", "s:groups", ">"});
        f.add(new String[] {"XREADGROUP", "GROUP", "g3", "zoe", "COUNT", "2", "STREAMS", "s:groups", ">"});
        f.add(new String[] {"XINFO", "GROUPS", "s:groups"});
        f.add(new String[] {"XAUTOCLAIM", "s:groups", "g1", "zed", "0", "0-0", "COUNT", "100", "JUSTID"});
        f.add(new String[] {"XPENDING", "s:groups", "g1"});
        f.add(new String[] {"XACK", "s:groups", "g1", "2-0", "5-0", "6-0", "7-0"});
        f.add(new String[] {"XADD", "s:setid", "100-1", "f", "v"});
        f.add(new String[] {"XINFO", "STREAM", "s:setid"});
        f.add(new String[] {"XADD", "s:mk", "1-0", "a", "b"});
        f.add(new String[] {"XREADGROUP", "GROUP", "g", "c", "STREAMS", "s:mk", ">"});
        f.add(new String[] {"XADD", "s:empty:xdel", "2-3", "f", "v"});
        f.add(new String[] {"XRANGE", "s:empty:xdel", "-", "+"});
        f.add(new String[] {"XDEL", "s:deleted", "2-1", "3-1"});
        f.add(new String[] {"XINFO", "STREAM", "s:deleted"});
        f.add(new String[] {"XADD", "s:fields", "7-1", "a", "1", "b", "2"});
        f.add(new String[] {"XREVRANGE", "s:fields", "+", "-", "COUNT", "3"});
        f.add(new String[] {"XADD", "s:bigids", "*", "f", "v"}); // the last ID is the largest: an error
        return f;
    }

    /** Both servers answer every follow-up command identically. */
    static void assertSameFollowUps(RawConnection expected, RawConnection actual) {
        for (String[] cmd : followUps()) {
            assertEquals(masked(expected.call(cmd)), masked(actual.call(cmd)), String.join(" ", cmd));
        }
    }

    static String masked(byte[] reply) {
        // Ember's radix tree node count is an estimate (no rax); everything else must match.
        return text(reply).replaceAll("radix-tree-nodes\r\n:\\d+", "radix-tree-nodes\r\n:*");
    }

    /** Every key of {@link #KEYS} is the same stream on both servers. */
    static void assertSameStreams(RawConnection expected, RawConnection actual) {
        for (String key : KEYS) assertSameStream(expected, key, actual, key);
    }

    /**
     * The stream at {@code ek} on one server equals the one at {@code ak} on the other: type,
     * encoding, TTL, entries, XINFO STREAM (plain and FULL: counters, nodes, groups, PELs with
     * delivery times and counts, consumers with seen times), XINFO GROUPS (lag), XPENDING summaries.
     */
    static void assertSameStream(RawConnection expected, String ek, RawConnection actual, String ak) {
        assertEquals("+stream\r\n", text(actual.call("TYPE", ak)), ak);
        assertEquals(text(expected.call("TYPE", ek)), text(actual.call("TYPE", ak)), ak);
        assertEquals(text(expected.call("OBJECT", "ENCODING", ek)), text(actual.call("OBJECT", "ENCODING", ak)), ak);
        assertEquals(text(expected.call("XRANGE", ek, "-", "+")), text(actual.call("XRANGE", ak, "-", "+")), ak);
        assertEquals(masked(expected.call("XINFO", "STREAM", ek)), masked(actual.call("XINFO", "STREAM", ak)), ak);
        assertEquals(masked(expected.call("XINFO", "STREAM", ek, "FULL", "COUNT", "0")),
                masked(actual.call("XINFO", "STREAM", ak, "FULL", "COUNT", "0")), ak + " FULL");
        assertEquals(text(expected.call("XINFO", "GROUPS", ek)), text(actual.call("XINFO", "GROUPS", ak)), ak);
        for (byte[] group : groupNames(expected, ek)) {
            assertEquals(text(expected.callBytes(b("XPENDING"), b(ek), group)),
                    text(actual.callBytes(b("XPENDING"), b(ak), group)), ak + " XPENDING");
        }
        assertEquals(text(expected.call("DEBUG", "DIGEST-VALUE", ek)), text(actual.call("DEBUG", "DIGEST-VALUE", ak)), ak);
        long et = pttl(expected.call("PTTL", ek)), at = pttl(actual.call("PTTL", ak));
        assertTrue(et < 0 ? at == et : Math.abs(et - at) < 2000, ak + " PTTL " + et + " vs " + at);
    }

    static List<byte[]> groupNames(RawConnection c, String key) {
        List<byte[]> names = new ArrayList<>();
        RespValue.Array groups = (RespValue.Array) c.callValue("XINFO", "GROUPS", key);
        for (RespValue g : groups.items()) names.add(((RespValue.Bulk) ((RespValue.Array) g).items().get(1)).value());
        return names;
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static long pttl(byte[] reply) {
        return Long.parseLong(text(reply).trim().substring(1));
    }
}
