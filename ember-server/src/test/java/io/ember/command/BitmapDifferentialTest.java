package io.ember.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.Differential;
import io.ember.testing.Differential.Mode;
import io.ember.testing.RawConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bitmap commands against a real redis-server 7.0: hand-written edge cases of every error and
 * range rule, then a seeded random run (12,000 commands over a small keyspace of strings of
 * different lengths and encodings, RESP2 and RESP3) comparing replies byte for byte and the dirty
 * counter after every command. proto-max-bulk-len is 1mb on both servers, so offsets past 2^23
 * bits meet the offset limit without allocating 512 MB.
 */
class BitmapDifferentialTest {
    static Differential d;
    static int resp3;
    static RawConnection inspect;

    @BeforeAll
    static void start() {
        d = new Differential("--proto-max-bulk-len", "1mb");
        resp3 = d.newConnection();
        d.on(resp3, Mode.TYPE_ONLY, "hello", "3");
        inspect = d.redis().raw();
    }

    @AfterAll
    static void stop() {
        inspect.close();
        d.close();
    }

    @Test
    void errorsAndEdgeCases() {
        d.check("set", "s", "foobar");
        d.check("set", "n", "12345");
        d.check("hset", "h", "f", "v");
        String[][] cmds = {
            {"setbit", "k", "8388607", "1"}, {"setbit", "k", "8388608", "1"}, {"setbit", "k", "-1", "1"},
            {"setbit", "k", "x", "1"}, {"setbit", "k", "1", "2"}, {"setbit", "k", "1", "-1"}, {"setbit", "k", "1", "x"},
            {"setbit", "k", "#1", "1"}, {"setbit", "h", "1", "1"}, {"setbit", "k"}, {"getbit", "k", "8388607"},
            {"getbit", "k", "8388608"}, {"getbit", "nokey", "5"}, {"getbit", "h", "1"}, {"getbit", "h", "x"},
            {"strlen", "k"}, {"del", "k"},
            {"bitcount", "s"}, {"bitcount", "s", "1"}, {"bitcount", "s", "1", "1"}, {"bitcount", "s", "1", "1", "bit"},
            {"bitcount", "s", "5", "30", "BIT"}, {"bitcount", "s", "-1", "-2", "foo"}, {"bitcount", "s", "0", "1", "foo"},
            {"bitcount", "s", "x", "1"}, {"bitcount", "s", "0", "-1", "byte"}, {"bitcount", "s", "-100", "100"},
            {"bitcount", "nokey", "1", "x"}, {"bitcount", "nokey", "1"}, {"bitcount", "h"}, {"bitcount", "n", "0", "-1"},
            {"bitcount", "s", "0", "1", "bit", "x"},
            {"bitpos", "s", "1"}, {"bitpos", "s", "0"}, {"bitpos", "s", "2"}, {"bitpos", "s", "x"}, {"bitpos", "nokey", "0"},
            {"bitpos", "nokey", "1"}, {"bitpos", "nokey", "1", "x"}, {"bitpos", "s", "1", "x"}, {"bitpos", "s", "1", "0", "-1", "foo"},
            {"bitpos", "s", "1", "0", "x", "foo"}, {"bitpos", "s", "1", "-1", "-2", "bit"}, {"bitpos", "s", "0", "2", "-1", "bit"},
            {"bitpos", "s", "1", "7", "15", "bit"}, {"bitpos", "s", "0", "1", "1", "bit"}, {"bitpos", "s", "0", "0", "-1"},
            {"bitpos", "s", "1", "0", "1", "bit", "x"}, {"bitpos", "h", "1"}, {"bitpos", "n", "1", "1"},
            {"set", "ones", "\u00ff\u00ff"}, {"bitpos", "ones", "0"}, {"bitpos", "ones", "0", "0"}, {"bitpos", "ones", "0", "0", "-1"},
            {"bitpos", "ones", "0", "1", "14", "bit"},
            {"bitop", "foo", "d", "s"}, {"bitop", "not", "d", "s", "n"}, {"bitop", "and", "d"}, {"bitop", "and", "d", "s", "h"},
            {"bitop", "not", "d", "s"}, {"get", "d"}, {"object", "encoding", "d"}, {"bitop", "or", "d", "nokey"},
            {"exists", "d"}, {"bitop", "xor", "d", "s", "n", "nokey"}, {"get", "d"}, {"setex", "d", "100", "x"},
            {"bitop", "and", "d", "s", "n"}, {"ttl", "d"},
            {"bitfield", "x", "get", "u64", "0"}, {"bitfield", "x", "get", "i65", "0"}, {"bitfield", "x", "get", "u0", "0"},
            {"bitfield", "x", "get", "u", "0"}, {"bitfield", "x", "get", "", "0"}, {"bitfield", "x", "get", "x8", "0"},
            {"bitfield", "x", "incrby", "u8", "0"}, {"bitfield", "x", "foo"}, {"bitfield", "x", "overflow", "bad", "get", "u8", "0"},
            {"bitfield", "x", "overflow"}, {"bitfield_ro", "x", "set", "u8", "0", "1"}, {"bitfield_ro", "x", "get", "u8", "0"},
            {"bitfield", "x", "get", "u8", "-1"}, {"bitfield", "x", "get", "u8", "#-1"}, {"bitfield", "x", "get", "u8", "#"},
            {"bitfield", "x", "get", "u8", "#1048575"}, {"bitfield", "x", "get", "u8", "#1048576"},
            {"bitfield", "x", "set", "u8", "0", "x"}, {"bitfield", "h", "get", "u8", "0"}, {"bitfield", "h", "set", "u8", "0", "1"},
            {"bitfield", "x"}, {"bitfield", "x", "overflow", "sat"}, {"exists", "x"},
            {"bitfield", "x", "overflow", "fail", "incrby", "u8", "800", "300"}, {"strlen", "x"}, {"get", "x"},
            {"bitfield", "n", "incrby", "u8", "0", "0"}, {"object", "encoding", "n"},
            {"bitfield", "y", "set", "u8", "0", "-1", "overflow", "sat", "set", "u8", "8", "-1", "set", "i8", "16", "200",
                "overflow", "fail", "set", "u8", "24", "256", "incrby", "i64", "32", "9223372036854775807", "incrby", "i64", "32", "1",
                "overflow", "wrap", "incrby", "i64", "32", "1", "get", "i64", "32", "get", "u63", "32", "set", "i1", "#3", "1",
                "get", "i1", "#3", "get", "u1", "#3"},
            {"get", "y"}, {"setbit", "n", "0", "1"}, {"object", "encoding", "n"}, {"get", "n"},
            {"set", "e", "abc"}, {"setbit", "e", "1", "1"}, {"object", "encoding", "e"},
        };
        for (String[] cmd : cmds) {
            d.check(cmd);
            d.on(resp3, Mode.EXACT, cmd);
        }
        d.assertNoDivergence();
    }

    /**
     * WATCH is invalidated exactly when Redis signals the key: bit writes that change something,
     * PFADD/PFMERGE, PFCOUNT refreshing its cache; not by unchanged bits, reads, PFDEBUG TODENSE
     * or a BITFIELD whose writes all failed (even when it grew the string).
     */
    @Test
    void watchSeesTheChangesRedisSignals() {
        int other = d.newConnection();
        d.check("set", "w:s", "abc");
        d.check("pfadd", "w:h", "a", "b");
        String[][][] cases = {
            {{"w:s"}, {"setbit", "w:s", "1", "1"}}, {{"w:s"}, {"setbit", "w:s", "1", "1"}},
            {{"w:s"}, {"setbit", "w:s", "100", "0"}}, {{"w:s"}, {"getbit", "w:s", "1"}},
            {{"w:s"}, {"bitfield", "w:s", "set", "u8", "0", "0"}}, {{"w:s"}, {"bitfield", "w:s", "set", "u8", "0", "0"}},
            {{"w:s"}, {"bitfield", "w:s", "overflow", "fail", "incrby", "u8", "400", "300"}},
            {{"w:s"}, {"bitfield", "w:s", "get", "u8", "0"}}, {{"w:d"}, {"bitop", "or", "w:d", "w:s"}},
            {{"w:d"}, {"bitop", "or", "w:d", "w:missing"}}, {{"w:d"}, {"bitop", "or", "w:d", "w:missing"}},
            {{"w:h"}, {"pfadd", "w:h", "a"}}, {{"w:h"}, {"pfadd", "w:h", "z"}}, {{"w:h"}, {"pfcount", "w:h"}},
            {{"w:h"}, {"pfcount", "w:h"}}, {{"w:h"}, {"pfcount", "w:h", "w:s2"}}, {{"w:h"}, {"pfmerge", "w:h"}},
            {{"w:h"}, {"pfdebug", "todense", "w:h"}}, {{"w:h"}, {"pfdebug", "encoding", "w:h"}},
            {{"w:h"}, {"pfdebug", "getreg", "w:h"}},
        };
        for (String[][] c : cases) {
            d.check("watch", c[0][0]);
            d.on(other, Mode.EXACT, c[1]);
            d.check("multi");
            d.check("ping");
            d.check("exec");
        }
        d.assertNoDivergence();
    }

    /** COMMAND INFO and COMMAND DOCS of every command of both families, as Redis 7.0 has them. */
    @Test
    void commandMetadataIsRedisOwn() {
        String[] names = {"setbit", "getbit", "bitcount", "bitpos", "bitop", "bitfield", "bitfield_ro",
            "pfadd", "pfcount", "pfmerge", "pfdebug", "pfselftest"};
        for (String name : names) {
            d.check("command", "info", name);
            d.check("command", "docs", name);
            d.check("command", "getkeys", name, "k1", "k2", "k3");
        }
        d.check("command", "getkeys", "bitfield", "k", "get", "u8", "0");
        d.check("command", "getkeys", "pfmerge", "d", "s1", "s2");
        d.assertNoDivergence();
    }

    // ---- seeded random run ---------------------------------------------------------------------

    private static final String[] KEYS = {"b:0", "b:1", "b:2", "b:3", "b:4", "b:5"};

    private static String key(Random r) {
        return r.nextInt(20) == 0 ? "b:hash" : r.nextInt(15) == 0 ? "b:missing" : KEYS[r.nextInt(KEYS.length)];
    }

    /** Mostly small offsets; sometimes up to the 1mb limit, past it, negative or malformed. */
    private static String bitOffset(Random r) {
        return switch (r.nextInt(40)) {
            case 0 -> Integer.toString(8 * 1048576 - 1 - r.nextInt(64));
            case 1 -> Long.toString(8L * 1048576 + r.nextInt(3));
            case 2 -> Long.toString(4294967296L + r.nextInt(10));
            case 3 -> "-" + r.nextInt(5);
            case 4 -> "x1";
            case 5, 6, 7 -> Integer.toString(r.nextInt(100_000));
            default -> Integer.toString(r.nextInt(r.nextBoolean() ? 64 : 800));
        };
    }

    private static String index(Random r) {
        return switch (r.nextInt(12)) {
            case 0 -> Integer.toString(-r.nextInt(200));
            case 1 -> Integer.toString(r.nextInt(100_000));
            case 2 -> pick(r, "-9223372036854775808", "9223372036854775807", "x");
            default -> Integer.toString(r.nextInt(120) - 20);
        };
    }

    private static String pick(Random r, String... a) {
        return a[r.nextInt(a.length)];
    }

    private static String bitfieldType(Random r) {
        if (r.nextInt(40) == 0) return pick(r, "u64", "i65", "u0", "i", "q8");
        boolean signed = r.nextBoolean();
        return (signed ? "i" : "u") + (1 + r.nextInt(signed ? 64 : 63));
    }

    private static String bitfieldValue(Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> Long.toString(r.nextLong());
            case 1 -> pick(r, "9223372036854775807", "-9223372036854775808", "0", "-1", "1");
            case 2 -> Long.toString(r.nextLong() >> r.nextInt(64));
            default -> Integer.toString(r.nextInt(600) - 300);
        };
    }

    private static void bitfieldOps(Random r, List<String> a, boolean readOnly) {
        int n = 1 + r.nextInt(5);
        for (int i = 0; i < n; i++) {
            int kind = readOnly && r.nextInt(10) != 0 ? 0 : r.nextInt(4);
            String type = bitfieldType(r);
            String off = r.nextInt(4) == 0 ? "#" + r.nextInt(40) : Integer.toString(r.nextInt(r.nextBoolean() ? 200 : 3000));
            if (r.nextInt(200) == 0) off = bitOffset(r);
            switch (kind) {
                case 0 -> a.addAll(List.of("get", type, off));
                case 1 -> a.addAll(List.of("set", type, off, bitfieldValue(r)));
                case 2 -> a.addAll(List.of("incrby", type, off, bitfieldValue(r)));
                default -> a.addAll(List.of("overflow", pick(r, "wrap", "sat", "fail", "WRAP", "Sat", "FAIL")));
            }
        }
    }

    private static String randomValue(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> Integer.toString(r.nextInt(100000) - 5000);
            case 1 -> "";
            case 2 -> {
                StringBuilder sb = new StringBuilder();
                int n = r.nextInt(100);
                for (int i = 0; i < n; i++) sb.append((char) r.nextInt(256));
                yield sb.toString();
            }
            default -> "v" + r.nextInt(1000);
        };
    }

    static String[] randomCommand(Random r) {
        List<String> a = new ArrayList<>();
        switch (r.nextInt(30)) {
            case 0, 1, 2, 3, 4, 5 -> a.addAll(List.of("setbit", key(r), bitOffset(r), r.nextInt(15) == 0 ? pick(r, "2", "-1", "x") : "" + r.nextInt(2)));
            case 6, 7, 8 -> a.addAll(List.of("getbit", key(r), bitOffset(r)));
            case 9, 10, 11 -> {
                a.addAll(List.of("bitcount", key(r)));
                int form = r.nextInt(4);
                if (form >= 1) a.addAll(List.of(index(r), index(r)));
                if (form >= 2) a.add(r.nextInt(10) == 0 ? "bits" : pick(r, "bit", "BYTE", "byte", "Bit"));
                if (r.nextInt(30) == 0) a.add("x");
            }
            case 12, 13, 14 -> {
                a.addAll(List.of("bitpos", key(r), r.nextInt(20) == 0 ? "2" : "" + r.nextInt(2)));
                int form = r.nextInt(4);
                if (form >= 1) a.add(index(r));
                if (form >= 2) a.add(index(r));
                if (form >= 3) a.add(r.nextInt(10) == 0 ? "bits" : pick(r, "bit", "BYTE", "byte", "BIT"));
                if (r.nextInt(30) == 0) a.add("x");
            }
            case 15, 16, 17 -> {
                String op = r.nextInt(20) == 0 ? "nand" : pick(r, "and", "or", "xor", "not", "AND", "Or");
                a.addAll(List.of("bitop", op, key(r)));
                int n = op.equalsIgnoreCase("not") && r.nextInt(10) != 0 ? 1 : 1 + r.nextInt(4);
                for (int i = 0; i < n; i++) a.add(key(r));
            }
            case 18, 19, 20, 21 -> {
                a.addAll(List.of("bitfield", key(r)));
                bitfieldOps(r, a, false);
            }
            case 22 -> {
                a.addAll(List.of("bitfield_ro", key(r)));
                bitfieldOps(r, a, true);
            }
            case 23, 24 -> a.addAll(List.of("get", key(r)));
            case 25 -> a.addAll(List.of("object", "encoding", KEYS[r.nextInt(KEYS.length)]));
            case 26 -> a.addAll(List.of("set", KEYS[r.nextInt(KEYS.length)], randomValue(r)));
            case 27 -> a.addAll(List.of("del", KEYS[r.nextInt(KEYS.length)]));
            case 28 -> a.addAll(List.of("setrange", KEYS[r.nextInt(KEYS.length)], "" + r.nextInt(300), randomValue(r)));
            default -> a.addAll(List.of("strlen", key(r)));
        }
        return a.toArray(String[]::new);
    }

    private static long redisDirty() {
        String info = inspect.callValue("info", "persistence").toString();
        int i = info.indexOf("rdb_changes_since_last_save:") + "rdb_changes_since_last_save:".length();
        return Long.parseLong(info.substring(i, info.indexOf('\r', i)));
    }

    @Test
    void seededRandomRun() {
        Random r = new Random(8_2026);
        d.check("del", "b:hash");
        d.check("hset", "b:hash", "f", "v");
        int steps = 12_000, errors = 0;
        List<String> problems = new ArrayList<>();
        long rBefore = redisDirty(), eBefore = EngineProbe.dirty(d.ember());
        for (int step = 0; step < steps; step++) {
            String[] cmd = randomCommand(r);
            byte[] reply = d.on(r.nextInt(4) == 0 ? resp3 : 0, Mode.EXACT, cmd);
            if (reply.length > 0 && reply[0] == '-') errors++;
            long rAfter = redisDirty(), eAfter = EngineProbe.dirty(d.ember());
            if (rAfter - rBefore != eAfter - eBefore && problems.size() < 20) {
                problems.add(String.join(" ", cmd) + ": dirty redis +" + (rAfter - rBefore) + " ember +" + (eAfter - eBefore));
            }
            rBefore = rAfter;
            eBefore = eAfter;
        }
        for (String k : KEYS) d.check("get", k);
        d.assertNoDivergence();
        assertEquals(List.of(), problems);
        assertTrue(errors < steps / 4, errors + " errors in " + steps + " steps");
    }
}
