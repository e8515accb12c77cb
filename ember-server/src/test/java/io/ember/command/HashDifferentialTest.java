package io.ember.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.resp.RespReader;
import io.ember.resp.RespValue;
import io.ember.testing.Differential;
import io.ember.testing.Differential.Mode;
import io.ember.testing.RawConnection;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hash commands against a real redis-server 7.0: hand-written edge cases in RESP2 and RESP3,
 * WRONGTYPE, WATCH invalidation by every write, DEBUG DIGEST of a random dataset, and a seeded
 * random run of 12,000 commands over a small keyspace with lowered listpack thresholds (so keys
 * cross listpack -> hashtable many times), comparing every reply, OBJECT ENCODING, DEBUG
 * DIGEST-VALUE, the dirty counter and keyspace hits/misses.
 *
 * <p>Replies whose order depends on the hash table (HKEYS/HVALS/HGETALL/HSCAN of a
 * hashtable-encoded hash) are compared as sets of fields and pairs; HSCAN of a table is iterated
 * to the end on each server. HRANDFIELD replies are checked for shape and membership, on both
 * servers with the same checker.
 */
class HashDifferentialTest {
    static Differential d;
    /** Differential connection speaking RESP3 (connection 0 speaks RESP2). */
    static int resp3;
    /** Side connections {redis, ember} per protocol, for replies compared by content. */
    static RawConnection[] side2, side3;

    @BeforeAll
    static void start() {
        d = new Differential();
        resp3 = d.newConnection();
        d.on(resp3, Mode.TYPE_ONLY, "hello", "3"); // the client id in the reply differs
        side2 = new RawConnection[] {d.redis().raw(), d.ember().raw()};
        side3 = new RawConnection[] {d.redis().raw(), d.ember().raw()};
        for (RawConnection c : side3) c.call("hello", "3");
    }

    @AfterAll
    static void stop() {
        for (RawConnection c : side2) c.close();
        for (RawConnection c : side3) c.close();
        d.close();
    }

    private static void both(String... args) {
        d.on(0, Mode.EXACT, args);
        d.on(resp3, Mode.EXACT, args);
    }

    private static void limits(String entries, String value) {
        d.check("config", "set", "hash-max-listpack-entries", entries);
        d.check("config", "set", "hash-max-listpack-value", value);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    // ---- hand-written cases ----------------------------------------------------------------------

    private static final String[][] EDGE_CASES = {
        {"hset", "e:h", "a", "1", "b", "2", "c", "hello"}, {"hget", "e:h", "a"}, {"hget", "e:h", "c"}, {"hget", "e:h", "zz"},
        {"hget", "e:none", "a"}, {"hmget", "e:h", "a", "zz", "c"}, {"hmget", "e:none", "a", "b"}, {"hgetall", "e:h"},
        {"hkeys", "e:h"}, {"hvals", "e:h"}, {"hgetall", "e:none"}, {"hkeys", "e:none"}, {"hvals", "e:none"},
        {"hlen", "e:h"}, {"hlen", "e:none"}, {"hstrlen", "e:h", "c"}, {"hstrlen", "e:h", "a"}, {"hstrlen", "e:h", "zz"},
        {"hstrlen", "e:none", "a"}, {"hexists", "e:h", "a"}, {"hexists", "e:h", "zz"}, {"hexists", "e:none", "a"},
        {"hset", "e:h", "a"}, {"hset", "e:h", "a", "1", "b"}, {"hset", "e:h"}, {"hmset", "e:h", "a"}, {"hmset", "e:h", "a", "1", "b"},
        {"hmset", "e:h", "d", "4", "a", "10"}, {"hset", "e:h", "a", "11", "a", "12", "e", "5"}, {"hgetall", "e:h"},
        {"hsetnx", "e:h", "a", "x"}, {"hsetnx", "e:h", "f", "6"}, {"hsetnx", "e:n2", "f", "6"}, {"hsetnx", "e:h", "f"},
        {"hdel", "e:h", "zz"}, {"hdel", "e:h", "a", "a", "b"}, {"hdel", "e:none", "a"}, {"hdel", "e:h"}, {"hgetall", "e:h"},
        {"hdel", "e:n2", "f"}, {"exists", "e:n2"},
        {"hset", "e:i", "1", "one", "01", "zero-one", "-1", "minus", "+1", "plus", "1.0", "float"}, {"hget", "e:i", "1"},
        {"hget", "e:i", "01"}, {"hget", "e:i", "+1"}, {"hget", "e:i", "-1"}, {"hget", "e:i", "1.0"}, {"hkeys", "e:i"},
        {"hset", "e:i", "9223372036854775807", "max", "-9223372036854775808", "min", "9223372036854775808", "over"},
        {"hgetall", "e:i"}, {"hdel", "e:i", "1", "9223372036854775808"}, {"hkeys", "e:i"},
        {"hincrby", "e:n", "a", "5"}, {"hincrby", "e:n", "a", "-10"}, {"hincrby", "e:n", "a", "x"}, {"hincrby", "e:n", "a", "1.5"},
        {"hincrby", "e:n", "a", "9223372036854775808"}, {"hincrby", "e:n", "a", " 1"}, {"hincrby", "e:n", "a", "+1"},
        {"hincrby", "e:n", "a", "-0"}, {"hincrby", "e:n", "a", "01"},
        {"hset", "e:n", "max", "9223372036854775807", "min", "-9223372036854775808", "s", "abc", "f", "1.5", "z", "01",
            "neg0", "-0", "sp", " 1", "e", ""},
        {"hincrby", "e:n", "max", "1"}, {"hincrby", "e:n", "max", "-1"}, {"hincrby", "e:n", "min", "-1"},
        {"hincrby", "e:n", "min", "9223372036854775807"}, {"hincrby", "e:n", "s", "1"}, {"hincrby", "e:n", "f", "1"},
        {"hincrby", "e:n", "z", "1"}, {"hincrby", "e:n", "neg0", "1"}, {"hincrby", "e:n", "sp", "1"}, {"hincrby", "e:n", "e", "1"},
        {"hincrby", "e:none2", "a", "x"}, {"exists", "e:none2"}, {"hincrby", "e:n", "a"},
        {"hincrbyfloat", "e:f", "x", "10.5"}, {"hincrbyfloat", "e:f", "x", "0.1"}, {"hincrbyfloat", "e:f", "x", "-5.0e3"},
        {"hincrbyfloat", "e:f", "x", "1e400"}, {"hincrbyfloat", "e:f", "x", "inf"}, {"hincrbyfloat", "e:f", "x", "-infinity"},
        {"hincrbyfloat", "e:f", "x", "nan"}, {"hincrbyfloat", "e:f", "x", "0x1.8p1"}, {"hincrbyfloat", "e:f", "x", "0x"},
        {"hincrbyfloat", "e:f", "x", "1e-5000"}, {"hincrbyfloat", "e:f", "x", "1e5000"}, {"hincrbyfloat", "e:f", "x", "-0"},
        {"hincrbyfloat", "e:f", "x", ".5"}, {"hincrbyfloat", "e:f", "x", "5."}, {"hincrbyfloat", "e:f", "x", "."},
        {"hincrbyfloat", "e:f", "x", ""}, {"hincrbyfloat", "e:f", "x", " 1"}, {"hincrbyfloat", "e:f", "y", "3.0"},
        {"hincrbyfloat", "e:f", "z", "-0.0"}, {"hget", "e:f", "z"}, {"hincrbyfloat", "e:newf", "x", "inf"}, {"exists", "e:newf"},
        {"hset", "e:f", "s", "abc", "inf", "inf", "big", "1.18973149535723176502e+4932", "i", "9223372036854775807",
            "sp", " 1", "hex", "0x10"},
        {"hincrbyfloat", "e:f", "s", "1"}, {"hincrbyfloat", "e:f", "inf", "1"}, {"hincrbyfloat", "e:f", "big", "1e4900"},
        {"hincrbyfloat", "e:f", "big", "0"}, {"hincrbyfloat", "e:f", "i", "1"}, {"hincrbyfloat", "e:f", "i", "0.5"},
        {"hincrbyfloat", "e:f", "sp", "1"}, {"hincrbyfloat", "e:f", "hex", "1"}, {"object", "encoding", "e:f"},
        {"hmget", "e:f", "x", "y", "z", "s", "inf", "big", "i", "sp", "hex"}, {"hlen", "e:f"},
        {"hrandfield", "e:none"}, {"hrandfield", "e:none", "3"}, {"hrandfield", "e:none", "3", "withvalues"},
        {"hrandfield", "e:none", "-3", "withvalues"}, {"hrandfield", "e:h", "0"}, {"hrandfield", "e:h", "0", "withvalues"},
        {"hrandfield", "e:h", "100"}, {"hrandfield", "e:h", "100", "withvalues"}, {"hrandfield", "e:h", "4", "WithValues"},
        {"hrandfield", "e:h", "x"}, {"hrandfield", "e:h", "1.5"}, {"hrandfield", "e:h", "-9223372036854775808"},
        {"hrandfield", "e:h", "9223372036854775807"},
        {"hrandfield", "e:h", "-4611686018427387904", "withvalues"}, {"hrandfield", "e:h", "4611686018427387904", "withvalues"},
        {"hrandfield", "e:h", "1", "withvalue"}, {"hrandfield", "e:h", "1", "withvalues", "x"}, {"hrandfield", "e:none", "1", "x"},
        {"hrandfield", "e:none", "x"}, {"hrandfield", "e:h", "-0"}, {"hrandfield", "e:h", "01"},
        {"hscan", "e:h", "0"}, {"hscan", "e:h", "0", "count", "1"}, {"hscan", "e:h", "0", "match", "*"},
        {"hscan", "e:h", "0", "match", "[a-c]"}, {"hscan", "e:h", "0", "MATCH", "e", "COUNT", "100"},
        {"hscan", "e:h", "0", "match", "nothing*"}, {"hscan", "e:h", "x"}, {"hscan", "e:h", "-1"}, {"hscan", "e:h", ""},
        {"hscan", "e:h", "18446744073709551616"}, {"hscan", "e:h", "0", "count", "0"}, {"hscan", "e:h", "0", "count", "x"},
        {"hscan", "e:h", "0", "count"}, {"hscan", "e:h", "0", "type", "hash"}, {"hscan", "e:h", "0", "foo", "bar"},
        {"hscan", "e:none", "0"}, {"hscan", "e:none", "0", "count", "0"}, {"hscan", "e:none", "x"}, {"hscan", "e:i", "0", "match", "1*"},
        {"hscan", "e:h", "5"},
    };

    @Test
    void edgeCasesInResp2AndResp3() {
        for (String[] c : EDGE_CASES) d.check(c);
        // The same in RESP3 on fresh keys (the replies of the writes above would differ on reuse).
        for (String[] c : EDGE_CASES) {
            String[] c3 = c.clone();
            for (int i = 1; i < c3.length; i++) c3[i] = c3[i].replace("e:", "e3:");
            d.on(resp3, Mode.EXACT, c3);
        }
        for (String key : List.of("e:h", "e:i", "e:n", "e:f", "e3:h", "e3:f")) {
            d.check("object", "encoding", key);
            d.check("debug", "digest-value", key);
        }
        d.assertNoDivergence();
    }

    @Test
    void binaryFieldsAndValues() {
        byte[][] values = {{0}, {'1', 0}, {'1', 0, 'x'}, {(byte) 0xff, (byte) 0xfe}, {'2', 0, 'a', 'b', 'c'}, {}, {'\r', '\n'}};
        byte[] key = "b:h".getBytes(StandardCharsets.ISO_8859_1);
        for (int conn : new int[] {0, resp3}) {
            for (byte[] v : values) {
                d.onBytes(conn, Mode.EXACT, b("hset"), key, v, v);
                d.onBytes(conn, Mode.EXACT, b("hget"), key, v);
                d.onBytes(conn, Mode.EXACT, b("hincrby"), key, v, b("1"));
                d.onBytes(conn, Mode.EXACT, b("hincrbyfloat"), key, v, b("1"));
                d.onBytes(conn, Mode.EXACT, b("hincrbyfloat"), key, b("f"), v);
                d.onBytes(conn, Mode.EXACT, b("hstrlen"), key, v);
                d.onBytes(conn, Mode.EXACT, b("hset"), b("b:one"), v, v);
                d.onBytes(conn, Mode.EXACT, b("hrandfield"), b("b:one"), b("1"), concat(b("withvalues"), v));
                d.onBytes(conn, Mode.EXACT, b("del"), b("b:one"));
                d.onBytes(conn, Mode.EXACT, b("hscan"), key, b("0"), b("match"), v);
            }
            d.onBytes(conn, Mode.EXACT, b("hgetall"), key);
            d.onBytes(conn, Mode.EXACT, b("debug"), b("digest-value"), key);
            d.onBytes(conn, Mode.EXACT, b("del"), key);
        }
        // "withvalues" followed by a NUL: Redis compares it as a C string.
        d.check("hset", "b:w", "f", "v");
        d.onBytes(0, Mode.EXACT, b("hrandfield"), b("b:w"), b("1"), concat(b("withvalues"), new byte[] {0, 'x'}));
        d.assertNoDivergence();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void conversionsAtTheThresholds() {
        limits("4", "8");
        String[][] cases = {
            {"hset", "c:a", "a", "1", "b", "2", "c", "3", "d", "4"}, {"object", "encoding", "c:a"},
            {"hset", "c:a", "d", "44"}, {"object", "encoding", "c:a"}, {"hset", "c:a", "e", "5"}, {"object", "encoding", "c:a"},
            {"hdel", "c:a", "a", "b", "c", "d"}, {"object", "encoding", "c:a"}, {"hgetall", "c:a"},
            {"hset", "c:b", "a", "12345678"}, {"object", "encoding", "c:b"}, {"hset", "c:b", "b", "123456789"},
            {"object", "encoding", "c:b"}, {"hset", "c:c", "abcdefghi", "1"}, {"object", "encoding", "c:c"},
            {"hset", "c:d", "a", "1"}, {"hset", "c:d", "a", "2", "b", "a-long-value"}, {"object", "encoding", "c:d"},
            {"hset", "c:e", "a", "1"}, {"hset", "c:e", "a", "2", "b"}, {"object", "encoding", "c:e"},
            {"hset", "c:f", "a", "1"}, {"hsetnx", "c:f", "a", "a-long-value"}, {"object", "encoding", "c:f"},
            {"hsetnx", "c:f", "b", "a-long-value"}, {"object", "encoding", "c:f"},
            {"hset", "c:g", "a", "9999999"}, {"hincrby", "c:g", "a", "1"}, {"object", "encoding", "c:g"},
            {"hincrby", "c:g", "a", "90000000"}, {"object", "encoding", "c:g"},
            {"hset", "c:h", "a", "1"}, {"hincrbyfloat", "c:h", "a", "0.125"}, {"object", "encoding", "c:h"},
            {"hincrbyfloat", "c:h", "a", "0.0001"}, {"object", "encoding", "c:h"},
            {"hset", "c:i", "a", "1"}, {"hincrby", "c:i", "long-field", "1"}, {"object", "encoding", "c:i"},
            {"hset", "c:j", "a", "1"}, {"hincrbyfloat", "c:j", "long-field", "1"}, {"object", "encoding", "c:j"},
            {"hset", "c:k", "a", "1", "b", "2", "c", "3", "d", "4", "e", "5"}, {"object", "encoding", "c:k"},
            {"copy", "c:k", "c:k2"}, {"object", "encoding", "c:k2"}, {"copy", "c:a", "c:a2"}, {"object", "encoding", "c:a2"},
            {"hset", "c:z", "a", "1"}, {"copy", "c:z", "c:z2"}, {"object", "encoding", "c:z2"},
        };
        for (String[] c : cases) d.check(c);
        limits("0", "8");
        d.check("hset", "c:zero", "a", "1");
        d.check("object", "encoding", "c:zero");
        limits("4", "0");
        d.check("hset", "c:zero2", "", "");
        d.check("object", "encoding", "c:zero2");
        d.check("hset", "c:zero3", "a", "");
        d.check("object", "encoding", "c:zero3");
        limits("512", "64");
        d.check("debug", "digest-value", "c:a", "c:b", "c:c", "c:d", "c:e", "c:f", "c:g", "c:h", "c:i", "c:j", "c:k", "c:k2",
                "c:a2", "c:z", "c:z2", "c:zero", "c:zero2", "c:zero3");
        d.assertNoDivergence();
    }

    @Test
    void wrongTypeEverywhere() {
        d.check("set", "w:s", "str");
        String[][] cases = {
            {"hset", "w:s", "f", "v"}, {"hset", "w:s", "f"}, {"hmset", "w:s", "f", "v"}, {"hsetnx", "w:s", "f", "v"},
            {"hget", "w:s", "f"}, {"hmget", "w:s", "f", "g"}, {"hdel", "w:s", "f"}, {"hlen", "w:s"}, {"hstrlen", "w:s", "f"},
            {"hexists", "w:s", "f"}, {"hkeys", "w:s"}, {"hvals", "w:s"}, {"hgetall", "w:s"}, {"hincrby", "w:s", "f", "1"},
            {"hincrby", "w:s", "f", "x"}, {"hincrbyfloat", "w:s", "f", "1"}, {"hincrbyfloat", "w:s", "f", "x"},
            {"hincrbyfloat", "w:s", "f", "inf"}, {"hrandfield", "w:s"}, {"hrandfield", "w:s", "2"},
            {"hrandfield", "w:s", "2", "withvalues"}, {"hrandfield", "w:s", "x"}, {"hrandfield", "w:s", "0"},
            {"hscan", "w:s", "0"}, {"hscan", "w:s", "x"}, {"hscan", "w:s", "0", "count", "0"},
        };
        for (String[] c : cases) both(c);
        both("get", "w:s");
        d.check("hset", "w:h", "f", "v");
        for (String[] c : new String[][] {{"get", "w:h"}, {"append", "w:h", "x"}, {"incr", "w:h"}, {"type", "w:h"}}) both(c);
        d.assertNoDivergence();
    }

    /** Every write command, run by another client between WATCH and EXEC, on both encodings. */
    @Test
    void watchIsInvalidatedByEveryWrite() {
        int other = d.newConnection();
        String[][] writes = {
            {"hset", "t:k", "f", "new"}, {"hset", "t:k", "a", "1"}, {"hmset", "t:k", "f", "x"}, {"hsetnx", "t:k", "g", "1"},
            {"hdel", "t:k", "a"}, {"hdel", "t:k", "a", "f", "zz"}, {"hincrby", "t:k", "a", "1"}, {"hincrby", "t:k", "n", "1"},
            {"hincrbyfloat", "t:k", "a", "0.5"}, {"hincrbyfloat", "t:k", "n", "1"},
        };
        // Commands that change nothing do not touch the key, so EXEC goes through.
        String[][] nonWrites = {
            {"hsetnx", "t:k", "a", "x"}, {"hdel", "t:k", "zz"}, {"hincrby", "t:k", "s", "1"}, {"hincrbyfloat", "t:k", "s", "1"},
            {"hset", "t:k", "a"}, {"hget", "t:k", "a"}, {"hgetall", "t:k"}, {"hrandfield", "t:k", "-5"}, {"hscan", "t:k", "0"},
        };
        for (String big : new String[] {"small", "x".repeat(100)}) {
            for (String[] w : writes) {
                setUp(big);
                d.check("watch", "t:k");
                d.on(other, Mode.TYPE_ONLY, w);
                d.check("multi");
                d.check("hlen", "t:k");
                byte[] exec = d.check("exec");
                assertEquals("*-1\r\n", s(exec), String.join(" ", w) + " must invalidate the WATCH");
            }
            for (String[] w : nonWrites) {
                setUp(big);
                d.check("watch", "t:k");
                d.on(other, Mode.TYPE_ONLY, w);
                d.check("multi");
                d.check("hlen", "t:k");
                byte[] exec = d.check("exec");
                assertTrue(s(exec).startsWith("*1\r\n"), String.join(" ", w) + " must not invalidate the WATCH");
            }
        }
        // Deleting the last field deletes the key, which invalidates too.
        d.check("del", "t:k");
        d.check("hset", "t:k", "a", "1");
        d.check("watch", "t:k");
        d.on(other, Mode.EXACT, "hdel", "t:k", "a");
        d.check("multi");
        d.check("hlen", "t:k");
        assertEquals("*-1\r\n", s(d.check("exec")));
        d.assertNoDivergence();
    }

    private static void setUp(String big) {
        d.check("del", "t:k");
        d.check("hset", "t:k", "a", "1", "f", "v", "s", "abc", "big", big);
    }

    /** A random dataset of hashes (both encodings, integers, binary, TTLs, three databases): same DEBUG DIGEST. */
    @Test
    void digestsEqualRedisForARandomHashDataset() {
        Random rnd = new Random(987);
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            if (i % 50 == 0) d.check("select", Integer.toString(3 + i / 50));
            byte[] key = ("dg:" + i).getBytes(StandardCharsets.ISO_8859_1);
            keys.add(key);
            int fields = rnd.nextInt(5) == 0 ? 100 + rnd.nextInt(600) : 1 + rnd.nextInt(20);
            List<byte[]> cmd = new ArrayList<>(List.of(b("hset"), key));
            for (int f = 0; f < fields; f++) {
                cmd.add(rnd.nextInt(4) == 0 ? Integer.toString(rnd.nextInt(1000) - 500).getBytes() : ("f" + f).getBytes());
                byte[] v = switch (rnd.nextInt(4)) {
                    case 0 -> Long.toString(rnd.nextLong() >> rnd.nextInt(64)).getBytes();
                    case 1 -> {
                        byte[] x = new byte[rnd.nextInt(rnd.nextInt(10) == 0 ? 200 : 20)];
                        rnd.nextBytes(x);
                        yield x;
                    }
                    default -> ("v" + rnd.nextInt()).getBytes();
                };
                cmd.add(v);
            }
            d.onBytes(0, Mode.EXACT, cmd.toArray(byte[][]::new));
            if (rnd.nextInt(3) == 0) d.check("expire", s(key), Integer.toString(1000 + rnd.nextInt(1000)));
        }
        d.check("debug", "digest");
        for (int db = 3; db < 6; db++) {
            d.check("select", Integer.toString(db));
            List<byte[]> cmd = new ArrayList<>(List.of(b("debug"), b("digest-value")));
            for (int i = (db - 3) * 50; i < (db - 2) * 50; i++) {
                cmd.add(keys.get(i));
                d.onBytes(0, Mode.EXACT, b("object"), b("encoding"), keys.get(i));
            }
            cmd.add(b("dg:none"));
            d.onBytes(0, Mode.EXACT, cmd.toArray(byte[][]::new));
            d.check("flushdb");
        }
        d.check("select", "0");
        d.assertNoDivergence();
    }

    // ---- seeded random run ---------------------------------------------------------------------

    private static final String[] FIELDS = {
        "f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "0", "1", "-7", "12", "01", "9223372036854775807",
        "a-rather-long-field-name", "", "x y", "f10", "f11", "f12",
    };

    private static final String[] VALUES = {
        "0", "1", "-5", "42", "123456789", "9223372036854775807", "-9223372036854775808", "9223372036854775808", "1.5",
        "-0.25", "1e3", "3.0", "0.1", "", "a", "hello", "x".repeat(30), "12abc", " 1", "01", "-0", "inf", "nan",
        "hello world", "1e4932",
    };

    /** listpack limits the run cycles through: {entries, value}. */
    private static final String[][] LIMITS = {{"6", "12"}, {"12", "20"}, {"3", "5"}, {"512", "64"}, {"8", "3"}};

    private static String pick(Random r, String[] a) {
        return a[r.nextInt(a.length)];
    }

    private static final int HASH_KEYS = 6;

    private static String key(Random r) {
        return r.nextInt(20) == 0 ? "r:s" : hashKey(r);
    }

    private static String hashKey(Random r) {
        return "r:h" + r.nextInt(HASH_KEYS);
    }

    private static String value(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> Integer.toString(r.nextInt(2000) - 1000);
            case 1 -> "v" + r.nextInt(100);
            default -> pick(r, VALUES);
        };
    }

    private static String count(Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> pick(r, new String[] {"x", "1.5", "-9223372036854775808", "9223372036854775807", "0", "-0"});
            case 1, 2 -> Integer.toString(-1 - r.nextInt(30));
            default -> Integer.toString(r.nextInt(30));
        };
    }

    private static String floatArg(Random r) {
        if (r.nextInt(5) == 0) return pick(r, VALUES);
        return new BigDecimal(r.nextGaussian() * 100).setScale(r.nextInt(6), java.math.RoundingMode.HALF_EVEN).toPlainString();
    }

    /** Kinds of commands, by how their replies are compared. */
    private enum Check { EXACT, ORDERED_BY_ENCODING, RANDOM, SCAN }

    private record Cmd(String[] args, Check check) {}

    private static Cmd randomCommand(Random r) {
        List<String> a = new ArrayList<>();
        Check check = Check.EXACT;
        switch (r.nextInt(30)) {
            case 0, 1, 2, 3, 4 -> {
                a.add(r.nextInt(5) == 0 ? "hmset" : "hset"); a.add(key(r));
                int n = 1 + r.nextInt(4);
                for (int i = 0; i < n; i++) { a.add(pick(r, FIELDS)); a.add(value(r)); }
                if (r.nextInt(15) == 0) a.add(pick(r, FIELDS)); // arity error
            }
            case 5 -> { a.add("hsetnx"); a.add(key(r)); a.add(pick(r, FIELDS)); a.add(value(r)); }
            case 6, 7 -> { a.add("hget"); a.add(key(r)); a.add(pick(r, FIELDS)); }
            case 8 -> { a.add("hmget"); a.add(key(r)); int n = 1 + r.nextInt(4); for (int i = 0; i < n; i++) a.add(pick(r, FIELDS)); }
            case 9, 10, 11 -> { a.add("hdel"); a.add(key(r)); int n = 1 + r.nextInt(4); for (int i = 0; i < n; i++) a.add(pick(r, FIELDS)); }
            case 12 -> { a.add("hlen"); a.add(key(r)); }
            case 13 -> { a.add("hstrlen"); a.add(key(r)); a.add(pick(r, FIELDS)); }
            case 14 -> { a.add("hexists"); a.add(key(r)); a.add(pick(r, FIELDS)); }
            case 15, 16 -> { a.add(pick(r, new String[] {"hkeys", "hvals", "hgetall"})); a.add(key(r)); check = Check.ORDERED_BY_ENCODING; }
            case 17, 18 -> {
                a.add("hincrby"); a.add(key(r)); a.add(pick(r, FIELDS));
                a.add(r.nextInt(6) == 0 ? pick(r, new String[] {"x", "1.5", "9223372036854775807", "-9223372036854775808", ""})
                        : Integer.toString(r.nextInt(200) - 100));
            }
            case 19, 20 -> { a.add("hincrbyfloat"); a.add(key(r)); a.add(pick(r, FIELDS)); a.add(floatArg(r)); }
            case 21, 22 -> {
                a.add("hrandfield"); a.add(key(r));
                if (r.nextInt(4) > 0) {
                    a.add(count(r));
                    if (r.nextBoolean()) a.add(r.nextInt(10) == 0 ? "withvalue" : "withvalues");
                }
                check = Check.RANDOM;
            }
            case 23, 24 -> {
                a.add("hscan"); a.add(key(r)); a.add(r.nextInt(15) == 0 ? "x" : "0");
                if (r.nextBoolean()) { a.add("match"); a.add(pick(r, new String[] {"f*", "*1*", "?", "f[0-4]", "*"})); }
                if (r.nextBoolean()) { a.add("count"); a.add(r.nextInt(10) == 0 ? "0" : Integer.toString(1 + r.nextInt(10))); }
                check = Check.SCAN;
            }
            case 25 -> { a.add("del"); a.add(key(r)); }
            case 26 -> { a.add("set"); a.add(r.nextInt(8) == 0 ? hashKey(r) : "r:s"); a.add(value(r)); }
            case 27 -> { a.add("copy"); a.add(r.nextInt(8) == 0 ? "r:s" : hashKey(r)); a.add(hashKey(r)); a.add("replace"); }
            case 28 -> { a.add(r.nextBoolean() ? "type" : "exists"); a.add(key(r)); }
            default -> { a.add("hincrby"); a.add(key(r)); a.add("counter"); a.add(Integer.toString(r.nextInt(10))); }
        }
        return new Cmd(a.toArray(String[]::new), check);
    }

    /** Statistics of the run, asserted at the end so the run provably covers what it should. */
    private static final class Coverage {
        int errors, wrongType, conversions, hashtableReads, randomChecks, tableScans, listpacksCompared;
    }

    @Test
    void seededRandomRun() {
        Random r = new Random(20240611);
        int steps = 12_000;
        List<String> problems = new ArrayList<>();
        Coverage cov = new Coverage();
        d.check("select", "0");
        side2[0].call("config", "set", "rdbcompression", "no"); // DUMP then carries listpacks verbatim
        d.check("set", "r:s", "a string");
        String[] lastEncoding = new String[HASH_KEYS];
        long[] rBefore = redisCounters(), eBefore = emberCounters();
        for (int step = 0; step < steps; step++) {
            if (step % 2500 == 0) {
                String[] l = LIMITS[(step / 2500) % LIMITS.length];
                limits(l[0], l[1]);
            }
            Cmd cmd = randomCommand(r);
            boolean useResp3 = r.nextInt(3) == 0;
            int conn = useResp3 ? resp3 : 0;
            String encoding = null;
            if (cmd.check != Check.EXACT) encoding = s(d.on(conn, Mode.EXACT, "object", "encoding", cmd.args[1]));
            boolean table = encoding != null && encoding.contains("hashtable");
            byte[] reply = switch (cmd.check) {
                case EXACT -> d.on(conn, Mode.EXACT, cmd.args);
                case ORDERED_BY_ENCODING -> table ? compareAsSets(useResp3, cmd.args, problems) : d.on(conn, Mode.EXACT, cmd.args);
                case SCAN -> table ? compareFullScan(useResp3, cmd.args, problems) : d.on(conn, Mode.EXACT, cmd.args);
                case RANDOM -> checkRandom(useResp3, cmd.args, problems);
            };
            d.on(conn, Mode.EXACT, "object", "encoding", cmd.args[1]); // a conversion shows at once
            if (table && cmd.check == Check.ORDERED_BY_ENCODING) cov.hashtableReads++;
            if (table && cmd.check == Check.SCAN) cov.tableScans++;
            if (cmd.check == Check.RANDOM) cov.randomChecks++;
            if (reply.length > 0 && reply[0] == '-') {
                cov.errors++;
                if (s(reply).startsWith("-WRONGTYPE")) cov.wrongType++;
            }
            long[] rAfter = redisCounters(), eAfter = emberCounters();
            // Iterating a table takes as many HSCAN calls (hits) as each server's table needs.
            boolean countersComparable = !(table && cmd.check == Check.SCAN);
            for (int i = 0; i < 3 && countersComparable; i++) {
                if (rAfter[i] - rBefore[i] != eAfter[i] - eBefore[i]) {
                    problems.add(String.join(" ", cmd.args) + ": " + new String[] {"dirty", "hits", "misses"}[i] + " redis +"
                            + (rAfter[i] - rBefore[i]) + " ember +" + (eAfter[i] - eBefore[i]));
                }
            }
            if (step % 20 == 19) {
                for (int k = 0; k < HASH_KEYS; k++) {
                    String e = s(d.check("object", "encoding", "r:h" + k));
                    if (e.contains("hashtable") && lastEncoding[k] != null && lastEncoding[k].contains("listpack")) cov.conversions++;
                    lastEncoding[k] = e;
                    // A hash key that became a string goes back to being a hash soon.
                    if (!e.contains("hashtable") && !e.contains("listpack") && r.nextBoolean()) d.check("del", "r:h" + k);
                }
                d.check("debug", "digest-value", "r:h0", "r:h1", "r:h2", "r:h3", "r:h4", "r:h5", "r:s");
                for (int k = 0; k < HASH_KEYS; k++) {
                    if (lastEncoding[k].contains("listpack") && compareListpackBytes("r:h" + k, problems)) cov.listpacksCompared++;
                }
                if (step % 500 == 499) d.check("debug", "digest");
                if (r.nextInt(4) == 0) d.check("set", "r:s", "a string"); // keep a string around for WRONGTYPE
                rAfter = redisCounters();
                eAfter = emberCounters();
            }
            rBefore = rAfter;
            eBefore = eAfter;
        }
        limits("512", "64");
        d.assertNoDivergence();
        assertEquals(List.of(), problems.subList(0, Math.min(20, problems.size())));
        assertTrue(d.commandsRun() >= 10_000);
        // The run must do more than produce errors, and must cover what it is meant to.
        assertTrue(cov.errors < steps / 4, cov.errors + " errors in " + steps + " steps");
        assertTrue(cov.wrongType > 100, cov.wrongType + " WRONGTYPE replies");
        assertTrue(cov.conversions > 20, cov.conversions + " listpack -> hashtable conversions seen");
        assertTrue(cov.hashtableReads > 100, cov.hashtableReads + " unordered reads of hashtables");
        assertTrue(cov.tableScans > 100, cov.tableScans + " HSCANs of hashtables");
        assertTrue(cov.randomChecks > 500, cov.randomChecks + " HRANDFIELD checks");
        assertTrue(cov.listpacksCompared > 1000, cov.listpacksCompared + " listpacks compared byte for byte");
    }

    /**
     * Whether Ember holds {@code key} (db 0) as a listpack; if so, its bytes must be exactly the
     * listpack redis-server's DUMP carries (RDB_TYPE_HASH_LISTPACK, an uncompressed RDB string):
     * same entries, same order, same encodings. DUMP counts a keyspace hit on redis-server only.
     */
    private static boolean compareListpackBytes(String key, List<String> problems) {
        byte[] ember = EngineProbe.onEngine(d.ember(), () -> {
            io.ember.engine.Database db = d.ember().server().engine().db(0);
            int ref = db.peekRaw(EngineProbe.bytes(key));
            return ref != 0 && db.value(ref) instanceof byte[] lp && db.type(ref) == io.ember.type.ValueType.HASH
                    ? lp.clone() : null;
        });
        if (ember == null) return false;
        byte[] dump = ((RespValue.Bulk) new RespReader(side2[0].call("dump", key)).read()).value();
        int at = 1, len;
        int first = dump[at] & 0xff;
        if (first >> 6 == 0) {
            len = first & 0x3f;
            at += 1;
        } else if (first >> 6 == 1) {
            len = (first & 0x3f) << 8 | (dump[at + 1] & 0xff);
            at += 2;
        } else {
            len = (dump[at + 1] & 0xff) << 24 | (dump[at + 2] & 0xff) << 16 | (dump[at + 3] & 0xff) << 8 | (dump[at + 4] & 0xff);
            at += 5;
        }
        byte[] redis = dump[0] == 16 ? Arrays.copyOfRange(dump, at, at + len) : new byte[0];
        if (!Arrays.equals(redis, ember)) diverged(new String[] {"listpack of", key}, "different listpack bytes", redis, ember, problems);
        return true;
    }

    /** {dirty, hits, misses} of redis-server, from INFO (which itself counts none of them). */
    private static long[] redisCounters() {
        String info = s(side2[0].call("info"));
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

    private static RawConnection[] side(boolean resp3) {
        return resp3 ? side3 : side2;
    }

    private static void diverged(String[] args, String what, byte[] redis, byte[] ember, List<String> problems) {
        problems.add(String.join(" ", args) + ": " + what + "\n    redis: " + Differential.show(redis) + "\n    ember: "
                + Differential.show(ember));
    }

    /** HKEYS/HVALS/HGETALL of a hashtable: same aggregate type, same fields / values / pairs. */
    private static byte[] compareAsSets(boolean resp3, String[] args, List<String> problems) {
        RawConnection[] c = side(resp3);
        byte[] rr = c[0].call(args), er = c[1].call(args);
        if (rr[0] != er[0] || !Objects.equals(contents(new RespReader(rr).read()), contents(new RespReader(er).read()))) {
            diverged(args, "different contents", rr, er, problems);
        }
        return er;
    }

    /** A reply's items as a sorted list of strings ("field=value" for maps and flat pairs of HGETALL). */
    private static List<String> contents(RespValue v) {
        List<RespValue> items = switch (v) {
            case RespValue.Array a -> a.items();
            case RespValue.Map m -> m.flat();
            default -> List.of(v);
        };
        List<String> out = new ArrayList<>();
        for (RespValue i : items) out.add(i.toString());
        out.sort(null);
        return out;
    }

    /**
     * HSCAN of a hashtable: the first call's errors must be equal; otherwise each server is
     * iterated to cursor 0 with the same options and the pairs collected must be equal.
     */
    private static byte[] compareFullScan(boolean resp3, String[] args, List<String> problems) {
        RawConnection[] c = side(resp3);
        byte[] rr = c[0].call(args), er = c[1].call(args);
        if (rr[0] == '-' || er[0] == '-') {
            if (!Arrays.equals(rr, er)) diverged(args, "different first reply", rr, er, problems);
            return er;
        }
        Map<String, String> rp = new HashMap<>(), ep = new HashMap<>();
        if (!scanRest(c[0], args, rr, rp) | !scanRest(c[1], args, er, ep) || !rp.equals(ep)) {
            diverged(args, "different HSCAN iteration: redis " + rp + " ember " + ep, rr, er, problems);
        }
        return er;
    }

    /** Collects the pairs of a whole HSCAN iteration starting with {@code first}; false if a reply is malformed. */
    private static boolean scanRest(RawConnection c, String[] args, byte[] first, Map<String, String> pairs) {
        byte[] reply = first;
        for (int calls = 0; calls < 100_000; calls++) {
            if (!(new RespReader(reply).read() instanceof RespValue.Array a) || a.items().size() != 2
                    || !(a.items().get(1) instanceof RespValue.Array items) || items.items().size() % 2 != 0) {
                return false;
            }
            for (int i = 0; i < items.items().size(); i += 2) {
                String f = items.items().get(i).toString(), v = items.items().get(i + 1).toString();
                if (pairs.containsKey(f) && !pairs.get(f).equals(v)) return false;
                pairs.put(f, v);
            }
            String cursor = a.items().get(0).toString();
            if (cursor.equals("0")) return true;
            String[] next = args.clone();
            next[2] = cursor;
            reply = c.call(next);
        }
        return false;
    }

    /**
     * HRANDFIELD: errors must be equal; otherwise both replies are checked against the hash's
     * contents (read from each server): shape per protocol, count, distinctness for a positive
     * count, membership and values.
     */
    private static byte[] checkRandom(boolean resp3, String[] args, List<String> problems) {
        RawConnection[] c = side(resp3);
        byte[] rr = c[0].call(args), er = c[1].call(args);
        if (rr[0] == '-' || er[0] == '-') {
            if (!Arrays.equals(rr, er)) diverged(args, "different error", rr, er, problems);
            return er;
        }
        Map<String, String> rc = hashContents(c[0], args[1]), ec = hashContents(c[1], args[1]);
        if (!rc.equals(ec)) diverged(args, "different contents before the check", rr, er, problems);
        String rProblem = randomReplyProblem(resp3, args, new RespReader(rr).read(), rc);
        String eProblem = randomReplyProblem(resp3, args, new RespReader(er).read(), ec);
        if (rProblem != null) problems.add(String.join(" ", args) + ": the checker rejects redis's reply: " + rProblem);
        if (eProblem != null) diverged(args, eProblem, rr, er, problems);
        return er;
    }

    /** HGETALL of a key that is a hash (an empty map for anything else). */
    private static Map<String, String> hashContents(RawConnection c, String key) {
        Map<String, String> m = new HashMap<>();
        if (!s(c.call("type", key)).equals("+hash\r\n")) return m;
        List<String> flat = new ArrayList<>();
        RespValue v = new RespReader(c.call("hgetall", key)).read();
        List<RespValue> items = v instanceof RespValue.Map map ? map.flat() : ((RespValue.Array) v).items();
        for (RespValue i : items) flat.add(i.toString());
        for (int i = 0; i < flat.size(); i += 2) m.put(flat.get(i), flat.get(i + 1));
        return m;
    }

    /** What is wrong with an HRANDFIELD reply, or null. */
    private static String randomReplyProblem(boolean resp3, String[] args, RespValue v, Map<String, String> content) {
        if (args.length == 2) {
            if (content.isEmpty()) return v instanceof RespValue.Null ? null : "expected a null";
            return v instanceof RespValue.Bulk b && content.containsKey(b.toString()) ? null : "not a field: " + v;
        }
        long l = Long.parseLong(args[2]);
        boolean withValues = args.length == 4;
        if (!(v instanceof RespValue.Array a)) return "not an array: " + v;
        long pairs = content.isEmpty() || l == 0 ? 0 : l < 0 ? -l : Math.min(l, content.size());
        List<String[]> got = new ArrayList<>();
        List<RespValue> items = a.items();
        if (withValues && resp3) {
            for (RespValue i : items) {
                if (!(i instanceof RespValue.Array p) || p.items().size() != 2) return "not a pair: " + i;
                got.add(new String[] {p.items().get(0).toString(), p.items().get(1).toString()});
            }
        } else if (withValues) {
            if (items.size() % 2 != 0) return "odd flat pairs";
            for (int i = 0; i < items.size(); i += 2) got.add(new String[] {items.get(i).toString(), items.get(i + 1).toString()});
        } else {
            for (RespValue i : items) got.add(new String[] {i.toString(), null});
        }
        if (got.size() != pairs) return got.size() + " picks, expected " + pairs;
        Set<String> seen = new HashSet<>();
        for (String[] p : got) {
            if (!content.containsKey(p[0])) return "not a field: " + p[0];
            if (withValues && !content.get(p[0]).equals(p[1])) return "wrong value for " + p[0];
            if (l > 0 && !seen.add(p[0])) return "repeated " + p[0] + " with a positive count";
        }
        return null;
    }
}
