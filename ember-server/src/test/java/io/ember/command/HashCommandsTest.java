package io.ember.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.JedisTestBase;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** Every hash command through Jedis: replies, every error, encodings and conversions. */
class HashCommandsTest extends JedisTestBase {
    @BeforeAll
    static void start() {
        startServer();
    }

    private Object raw(Protocol.Command cmd, String... args) {
        return j.sendCommand(cmd, args);
    }

    private static String str(Object reply) {
        return reply == null ? null : new String((byte[]) reply, StandardCharsets.UTF_8);
    }

    private static Map<String, String> pairs(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    /** A small threshold pair for the duration of a test. */
    private void limits(int entries, int value) {
        j.configSet("hash-max-listpack-entries", Integer.toString(entries));
        j.configSet("hash-max-listpack-value", Integer.toString(value));
    }

    @AfterEach
    void defaultLimits() {
        try (Jedis k = server.jedis()) {
            k.configSet("hash-max-listpack-entries", "512");
            k.configSet("hash-max-listpack-value", "64");
        }
    }

    // ---- HSET / HMSET / HSETNX / HGET / HMGET ----

    @Test
    void hsetCountsNewFieldsAndHmsetRepliesOk() {
        assertEquals(2, j.hset("hs:a", pairs("f1", "v1", "f2", "v2")));
        assertEquals(1, j.hset("hs:a", pairs("f2", "changed", "f3", "v3")));
        assertEquals(0, j.hset("hs:a", "f1", "again"));
        assertEquals("again", j.hget("hs:a", "f1"));
        assertEquals("changed", j.hget("hs:a", "f2"));
        assertNull(j.hget("hs:a", "nope"));
        assertNull(j.hget("hs:none", "f1"));
        assertEquals("OK", j.hmset("hs:b", pairs("x", "1", "y", "2")));
        assertEquals(Arrays.asList("1", null, "2"), j.hmget("hs:b", "x", "nope", "y"));
        assertEquals(Arrays.asList(null, null), j.hmget("hs:none", "a", "b"));
        assertEquals("listpack", EngineProbe.encoding(server, "hs:a"));
        // The same field twice in one HSET: the last value wins, counted once.
        assertEquals(1L, raw(Protocol.Command.HSET, "hs:c", "f", "1", "f", "2"));
        assertEquals("2", j.hget("hs:c", "f"));
        assertEquals(1, j.hlen("hs:c"));
    }

    @Test
    void hsetArityErrors() {
        assertError("ERR wrong number of arguments for 'hset' command", () -> raw(Protocol.Command.HSET, "hs:e", "f"));
        assertError("ERR wrong number of arguments for 'hset' command",
                () -> raw(Protocol.Command.HSET, "hs:e", "f", "v", "g"));
        assertError("ERR wrong number of arguments for 'hmset' command",
                () -> raw(Protocol.Command.HMSET, "hs:e", "f", "v", "g"));
        assertError("ERR wrong number of arguments for 'hget' command", () -> raw(Protocol.Command.HGET, "hs:e"));
        assertError("ERR wrong number of arguments for 'hmget' command", () -> raw(Protocol.Command.HMGET, "hs:e"));
        assertError("ERR wrong number of arguments for 'hsetnx' command", () -> raw(Protocol.Command.HSETNX, "hs:e", "f"));
        assertFalse(j.exists("hs:e"), "a refused HSET creates nothing");
    }

    @Test
    void hsetnxOnlySetsMissingFields() {
        assertEquals(1, j.hsetnx("hn:a", "f", "1"));
        assertEquals(0, j.hsetnx("hn:a", "f", "2"));
        assertEquals("1", j.hget("hn:a", "f"));
        assertEquals(1, j.hsetnx("hn:a", "g", "2"));
        // An existing field is not converted for by a long value it does not get.
        assertEquals(0, j.hsetnx("hn:a", "f", "x".repeat(100)));
        assertEquals("listpack", EngineProbe.encoding(server, "hn:a"));
        assertEquals(1, j.hsetnx("hn:a", "h", "x".repeat(100)));
        assertEquals("hashtable", EngineProbe.encoding(server, "hn:a"));
    }

    @Test
    void binaryFieldsAndValues() {
        byte[] f = {0, 1, (byte) 0xff, '\r', '\n'};
        byte[] v = {'\n', 0, 'x'};
        assertEquals(1, j.hset("hb:a".getBytes(), f, v));
        assertArrayEquals(v, j.hget("hb:a".getBytes(), f));
        assertEquals(Map.of(), new HashMap<>(j.hgetAll("hb:none")));
        assertEquals(3, j.hstrlen("hb:a".getBytes(), f));
    }

    // ---- HDEL / HLEN / HSTRLEN / HEXISTS ----

    @Test
    void hdelRemovesFieldsAndTheEmptiedKey() {
        j.hset("hd:a", pairs("a", "1", "b", "2", "c", "3"));
        assertEquals(2, j.hdel("hd:a", "a", "b", "nope", "a"));
        assertEquals(1, j.hlen("hd:a"));
        assertEquals(0, j.hdel("hd:a", "zz"));
        assertEquals(1, j.hdel("hd:a", "c", "c"));
        assertFalse(j.exists("hd:a"), "an empty hash is deleted");
        assertEquals(0, j.hdel("hd:a", "c"));
        // Hashtable-encoded too.
        j.hset("hd:t", pairs("a", "x".repeat(100), "b", "2"));
        assertEquals("hashtable", EngineProbe.encoding(server, "hd:t"));
        assertEquals(2, j.hdel("hd:t", "a", "b"));
        assertFalse(j.exists("hd:t"));
    }

    @Test
    void lengthsAndExistence() {
        j.hset("hl:a", pairs("s", "hello", "n", "-1234", "e", ""));
        assertEquals(3, j.hlen("hl:a"));
        assertEquals(0, j.hlen("hl:none"));
        assertEquals(5, j.hstrlen("hl:a", "s"));
        assertEquals(5, j.hstrlen("hl:a", "n"), "an integer entry counts its digits");
        assertEquals(0, j.hstrlen("hl:a", "e"));
        assertEquals(0, j.hstrlen("hl:a", "nope"));
        assertEquals(0, j.hstrlen("hl:none", "s"));
        assertTrue(j.hexists("hl:a", "e"));
        assertFalse(j.hexists("hl:a", "nope"));
        assertFalse(j.hexists("hl:none", "s"));
    }

    // ---- HKEYS / HVALS / HGETALL ----

    @Test
    void listpackRepliesInInsertionOrder() {
        j.hset("hk:a", "z", "1");
        j.hset("hk:a", "a", "2");
        j.hset("hk:a", "m", "3");
        j.hset("hk:a", "a", "22"); // an update keeps its place
        assertEquals(List.of("z", "1", "a", "22", "m", "3"), hgetallRaw("hk:a"));
        assertEquals(List.of("z", "a", "m"), strings(raw(Protocol.Command.HKEYS, "hk:a")));
        assertEquals(List.of("1", "22", "3"), j.hvals("hk:a"));
        assertEquals(Set.of(), j.hkeys("hk:none"));
        assertEquals(List.of(), j.hvals("hk:none"));
        assertEquals(Map.of(), j.hgetAll("hk:none"));
    }

    private List<String> hgetallRaw(String key) {
        return strings(raw(Protocol.Command.HGETALL, key));
    }

    private static List<String> strings(Object arrayReply) {
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) arrayReply) out.add(str(o));
        return out;
    }

    @Test
    void hashtableRepliesHoldEveryField() {
        Map<String, String> expected = new HashMap<>();
        for (int i = 0; i < 600; i++) expected.put("field:" + i, "value:" + i);
        j.hset("hk:big", expected);
        assertEquals("hashtable", EngineProbe.encoding(server, "hk:big"));
        assertEquals(expected, j.hgetAll("hk:big"));
        assertEquals(expected.keySet(), j.hkeys("hk:big"));
        assertEquals(new HashSet<>(expected.values()), new HashSet<>(j.hvals("hk:big")));
        assertEquals(600, j.hvals("hk:big").size());
    }

    // ---- HINCRBY / HINCRBYFLOAT ----

    @Test
    void hincrby() {
        assertEquals(5, j.hincrBy("hi:a", "n", 5));
        assertEquals(-95, j.hincrBy("hi:a", "n", -100));
        assertEquals("-95", j.hget("hi:a", "n"));
        j.hset("hi:a", "max", Long.toString(Long.MAX_VALUE));
        assertError("ERR increment or decrement would overflow", () -> j.hincrBy("hi:a", "max", 1));
        j.hset("hi:a", "min", Long.toString(Long.MIN_VALUE));
        assertError("ERR increment or decrement would overflow", () -> j.hincrBy("hi:a", "min", -1));
        assertEquals(-1, j.hincrBy("hi:a", "min", Long.MAX_VALUE));
        j.hset("hi:a", "s", "abc");
        assertError("ERR hash value is not an integer", () -> j.hincrBy("hi:a", "s", 1));
        j.hset("hi:a", "lead", "01");
        assertError("ERR hash value is not an integer", () -> j.hincrBy("hi:a", "lead", 1));
        j.hset("hi:a", "f", "1.5");
        assertError("ERR hash value is not an integer", () -> j.hincrBy("hi:a", "f", 1));
        assertError("ERR value is not an integer or out of range", () -> raw(Protocol.Command.HINCRBY, "hi:a", "n", "1.5"));
        assertError("ERR value is not an integer or out of range",
                () -> raw(Protocol.Command.HINCRBY, "hi:a", "n", "9223372036854775808"));
        assertError("ERR value is not an integer or out of range", () -> raw(Protocol.Command.HINCRBY, "hi:none", "n", "x"));
        assertFalse(j.exists("hi:none"));
    }

    @Test
    void hincrbyfloat() {
        assertEquals("10.5", str(raw(Protocol.Command.HINCRBYFLOAT, "hf:a", "x", "10.5")));
        assertEquals("10.6", str(raw(Protocol.Command.HINCRBYFLOAT, "hf:a", "x", "0.1")));
        assertEquals("-4989.39999999999999991", str(raw(Protocol.Command.HINCRBYFLOAT, "hf:a", "x", "-5.0e3")));
        assertEquals("3", str(raw(Protocol.Command.HINCRBYFLOAT, "hf:a", "y", "3.0")));
        j.hset("hf:a", "i", "7");
        assertEquals("7.25", str(raw(Protocol.Command.HINCRBYFLOAT, "hf:a", "i", "0.25")));
        assertError("ERR value is not a valid float", () -> raw(Protocol.Command.HINCRBYFLOAT, "hf:a", "x", "abc"));
        assertError("ERR value is not a valid float", () -> raw(Protocol.Command.HINCRBYFLOAT, "hf:a", "x", "nan"));
        assertError("ERR value is NaN or Infinity", () -> raw(Protocol.Command.HINCRBYFLOAT, "hf:a", "x", "inf"));
        assertError("ERR value is NaN or Infinity", () -> raw(Protocol.Command.HINCRBYFLOAT, "hf:new", "x", "-inf"));
        assertFalse(j.exists("hf:new"), "a refused increment creates no key");
        j.hset("hf:a", "s", "abc");
        assertError("ERR hash value is not a float", () -> raw(Protocol.Command.HINCRBYFLOAT, "hf:a", "s", "1"));
        j.hset("hf:a", "inf", "inf");
        assertError("ERR increment would produce NaN or Infinity", () -> raw(Protocol.Command.HINCRBYFLOAT, "hf:a", "inf", "1"));
        j.hset("hf:a", "big", "1e4932");
        assertError("ERR increment would produce NaN or Infinity",
                () -> raw(Protocol.Command.HINCRBYFLOAT, "hf:a", "big", "1e4932"));
        assertEquals(Double.valueOf(1.5), j.hincrByFloat("hf:b", "f", 1.5));
    }

    @Test
    void incrementsConvertWhenTheResultIsTooLong() {
        limits(512, 3);
        j.hset("hc:a", "n", "999");
        assertEquals("listpack", EngineProbe.encoding(server, "hc:a"));
        assertEquals(1000, j.hincrBy("hc:a", "n", 1));
        assertEquals("hashtable", EngineProbe.encoding(server, "hc:a"));
        j.hset("hc:b", "n", "1");
        assertEquals("1.5", str(raw(Protocol.Command.HINCRBYFLOAT, "hc:b", "n", "0.5")));
        assertEquals("listpack", EngineProbe.encoding(server, "hc:b"), "3 bytes fit a 3-byte limit");
        assertEquals("1.75", str(raw(Protocol.Command.HINCRBYFLOAT, "hc:b", "n", "0.25")));
        assertEquals("hashtable", EngineProbe.encoding(server, "hc:b"));
        j.hset("hc:c", "n", "1");
        assertEquals(1, j.hincrBy("hc:c", "long-field", 1));
        assertEquals("hashtable", EngineProbe.encoding(server, "hc:c"));
    }

    // ---- conversions ----

    @Test
    void convertsPastTheEntryLimitAndNeverBack() {
        limits(3, 64);
        j.hset("hv:a", pairs("a", "1", "b", "2", "c", "3"));
        assertEquals("listpack", EngineProbe.encoding(server, "hv:a"));
        j.hset("hv:a", "c", "33");
        assertEquals("listpack", EngineProbe.encoding(server, "hv:a"));
        j.hset("hv:a", "d", "4");
        assertEquals("hashtable", EngineProbe.encoding(server, "hv:a"));
        j.hdel("hv:a", "a", "b", "c");
        assertEquals("hashtable", EngineProbe.encoding(server, "hv:a"));
        assertEquals(Map.of("d", "4"), j.hgetAll("hv:a"));
        // Created with more fields than the limit: a hashtable at once.
        j.hset("hv:b", pairs("a", "1", "b", "2", "c", "3", "d", "4"));
        assertEquals("hashtable", EngineProbe.encoding(server, "hv:b"));
    }

    @Test
    void convertsWhenAnyArgumentIsLongerThanTheValueLimit() {
        limits(512, 5);
        j.hset("hw:a", pairs("a", "12345"));
        assertEquals("listpack", EngineProbe.encoding(server, "hw:a"));
        j.hset("hw:a", "b", "123456");
        assertEquals("hashtable", EngineProbe.encoding(server, "hw:a"));
        j.hset("hw:b", "abcdef", "1");
        assertEquals("hashtable", EngineProbe.encoding(server, "hw:b"));
        // Redis checks the lengths of all arguments, so an update with a long value converts.
        j.hset("hw:c", "a", "1");
        j.hset("hw:c", pairs("a", "2", "b", "toolong"));
        assertEquals("hashtable", EngineProbe.encoding(server, "hw:c"));
        assertEquals(Map.of("a", "2", "b", "toolong"), j.hgetAll("hw:c"));
    }

    // ---- HRANDFIELD ----

    @Test
    void hrandfieldCounts() {
        Map<String, String> h = pairs("a", "1", "b", "2", "c", "3", "d", "4", "e", "5");
        j.hset("hr:a", h);
        assertTrue(h.containsKey(j.hrandfield("hr:a")));
        assertNull(j.hrandfield("hr:none"));
        assertEquals(List.of(), j.hrandfield("hr:none", 3));
        assertEquals(List.of(), j.hrandfield("hr:a", 0));
        List<String> three = j.hrandfield("hr:a", 3);
        assertEquals(3, new HashSet<>(three).size(), "distinct fields for a positive count");
        assertTrue(h.keySet().containsAll(three));
        assertEquals(List.of("a", "b", "c", "d", "e"), j.hrandfield("hr:a", 10), "whole listpack, in order");
        List<String> many = j.hrandfield("hr:a", -20);
        assertEquals(20, many.size());
        assertTrue(h.keySet().containsAll(many));
        for (Map.Entry<String, String> e : j.hrandfieldWithValues("hr:a", -7)) assertEquals(h.get(e.getKey()), e.getValue());
        List<Map.Entry<String, String>> withValues = j.hrandfieldWithValues("hr:a", 4);
        assertEquals(4, withValues.size());
        for (Map.Entry<String, String> e : withValues) assertEquals(h.get(e.getKey()), e.getValue());
    }

    @Test
    void hrandfieldOnAHashtable() {
        Map<String, String> h = new HashMap<>();
        for (int i = 0; i < 1000; i++) h.put("f" + i, "v" + i);
        j.hset("hr:t", h);
        assertEquals("hashtable", EngineProbe.encoding(server, "hr:t"));
        assertTrue(h.containsKey(j.hrandfield("hr:t")));
        for (int count : new int[] {2, 100, 400, 999, 1000, 5000}) {
            List<Map.Entry<String, String>> got = j.hrandfieldWithValues("hr:t", count);
            assertEquals(Math.min(count, 1000), got.size());
            Set<String> seen = new HashSet<>();
            for (Map.Entry<String, String> e : got) {
                assertEquals(h.get(e.getKey()), e.getValue());
                assertTrue(seen.add(e.getKey()), "repeated " + e.getKey() + " for count " + count);
            }
        }
        assertEquals(3000, j.hrandfield("hr:t", -3000).size());
    }

    @Test
    void hrandfieldErrors() {
        j.hset("hr:e", "a", "1");
        assertError("ERR value is not an integer or out of range", () -> raw(Protocol.Command.HRANDFIELD, "hr:e", "x"));
        assertError("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
                () -> raw(Protocol.Command.HRANDFIELD, "hr:e", "-9223372036854775808"));
        assertError("ERR syntax error", () -> raw(Protocol.Command.HRANDFIELD, "hr:e", "1", "withvalue"));
        assertError("ERR syntax error", () -> raw(Protocol.Command.HRANDFIELD, "hr:e", "1", "withvalues", "x"));
        assertError("ERR value is out of range", () -> raw(Protocol.Command.HRANDFIELD, "hr:e", "-4611686018427387904", "withvalues"));
        assertError("ERR value is out of range", () -> raw(Protocol.Command.HRANDFIELD, "hr:e", "4611686018427387904", "WITHVALUES"));
        // One below the limit is accepted (and answered from the single field).
        assertEquals(2, ((List<?>) raw(Protocol.Command.HRANDFIELD, "hr:e", "4611686018427387903", "withvalues")).size());
        assertError("ERR syntax error", () -> raw(Protocol.Command.HRANDFIELD, "hr:none", "1", "foo"));
    }

    // ---- HSCAN ----

    @Test
    void hscanListpackReturnsEverythingAtOnce() {
        j.hset("hsc:a", pairs("a1", "1", "b1", "2", "a2", "3"));
        ScanResult<Map.Entry<String, String>> r = j.hscan("hsc:a", "0");
        assertEquals("0", r.getCursor());
        assertEquals(List.of(Map.entry("a1", "1"), Map.entry("b1", "2"), Map.entry("a2", "3")), r.getResult());
        r = j.hscan("hsc:a", "0", new ScanParams().match("a*").count(1));
        assertEquals(List.of(Map.entry("a1", "1"), Map.entry("a2", "3")), r.getResult());
        r = j.hscan("hsc:none", "0");
        assertEquals("0", r.getCursor());
        assertEquals(List.of(), r.getResult());
    }

    @Test
    void hscanHashtableVisitsEveryFieldAcrossCalls() {
        Map<String, String> h = new HashMap<>();
        for (int i = 0; i < 2000; i++) h.put("f" + i, "v" + i);
        j.hset("hsc:t", h);
        Map<String, String> seen = new HashMap<>();
        String cursor = "0";
        int calls = 0;
        do {
            ScanResult<Map.Entry<String, String>> r = j.hscan("hsc:t", cursor, new ScanParams().count(50));
            for (Map.Entry<String, String> e : r.getResult()) seen.put(e.getKey(), e.getValue());
            cursor = r.getCursor();
            calls++;
        } while (!cursor.equals("0"));
        assertEquals(h, seen);
        assertTrue(calls > 10, "a table is returned in steps (" + calls + " calls)");
        // MATCH filters fields; values come with their field.
        Map<String, String> matched = new HashMap<>();
        cursor = "0";
        do {
            ScanResult<Map.Entry<String, String>> r = j.hscan("hsc:t", cursor, new ScanParams().match("f1?").count(100));
            for (Map.Entry<String, String> e : r.getResult()) matched.put(e.getKey(), e.getValue());
            cursor = r.getCursor();
        } while (!cursor.equals("0"));
        Map<String, String> expected = new HashMap<>();
        for (int i = 10; i < 20; i++) expected.put("f" + i, "v" + i);
        assertEquals(expected, matched);
    }

    @Test
    void hscanErrors() {
        j.hset("hsc:e", "a", "1");
        assertError("ERR invalid cursor", () -> raw(Protocol.Command.HSCAN, "hsc:e", "abc"));
        assertError("ERR invalid cursor", () -> raw(Protocol.Command.HSCAN, "hsc:none", "abc"));
        assertError("ERR syntax error", () -> raw(Protocol.Command.HSCAN, "hsc:e", "0", "count", "0"));
        assertError("ERR value is not an integer or out of range", () -> raw(Protocol.Command.HSCAN, "hsc:e", "0", "count", "x"));
        assertError("ERR syntax error", () -> raw(Protocol.Command.HSCAN, "hsc:e", "0", "type", "hash"));
        assertError("ERR syntax error", () -> raw(Protocol.Command.HSCAN, "hsc:e", "0", "match"));
        // A missing key answers before the options are read.
        assertEquals(2, ((List<?>) raw(Protocol.Command.HSCAN, "hsc:none", "0", "count", "0")).size());
    }

    // ---- wrong type, transactions, COPY ----

    @Test
    void everyCommandRefusesOtherTypes() {
        j.set("hwt:s", "string");
        Executable[] calls = {
            () -> j.hset("hwt:s", "f", "v"), () -> j.hmset("hwt:s", pairs("f", "v")), () -> j.hsetnx("hwt:s", "f", "v"),
            () -> j.hget("hwt:s", "f"), () -> j.hmget("hwt:s", "f"), () -> j.hdel("hwt:s", "f"), () -> j.hlen("hwt:s"),
            () -> j.hstrlen("hwt:s", "f"), () -> j.hexists("hwt:s", "f"), () -> j.hkeys("hwt:s"), () -> j.hvals("hwt:s"),
            () -> j.hgetAll("hwt:s"), () -> j.hincrBy("hwt:s", "f", 1), () -> j.hincrByFloat("hwt:s", "f", 1),
            () -> j.hrandfield("hwt:s"), () -> j.hrandfield("hwt:s", 2), () -> j.hrandfieldWithValues("hwt:s", 2),
            () -> j.hscan("hwt:s", "0"),
        };
        for (Executable call : calls) assertError(WRONGTYPE, call);
        assertEquals("string", j.get("hwt:s"));
        j.hset("hwt:h", "f", "v");
        assertError(WRONGTYPE, () -> j.get("hwt:h"));
        assertEquals("hash", j.type("hwt:h"));
    }

    @Test
    void insideMultiExec() {
        Transaction t = j.multi();
        t.hset("htx:a", "f", "1");
        t.hincrBy("htx:a", "f", 2);
        t.hgetAll("htx:a");
        t.hdel("htx:a", "f");
        List<Object> results = t.exec();
        assertEquals(List.of(1L, 3L, Map.of("f", "3"), 1L), results);
        assertFalse(j.exists("htx:a"));
    }

    @Test
    void copyKeepsEncodingAndSharesNothing() {
        j.hset("hcp:a", pairs("a", "1", "b", "2"));
        assertTrue(j.copy("hcp:a", "hcp:b", false));
        j.hset("hcp:a", "a", "9");
        assertEquals(pairs("a", "1", "b", "2"), j.hgetAll("hcp:b"));
        assertEquals("listpack", EngineProbe.encoding(server, "hcp:b"));
        j.hset("hcp:t", pairs("a", "x".repeat(80), "b", "2"));
        assertTrue(j.copy("hcp:t", "hcp:u", false));
        assertEquals("hashtable", EngineProbe.encoding(server, "hcp:u"));
        j.hdel("hcp:t", "a");
        assertEquals(2, j.hlen("hcp:u"));
        assertEquals("x".repeat(80), j.hget("hcp:u", "a"));
    }
}
