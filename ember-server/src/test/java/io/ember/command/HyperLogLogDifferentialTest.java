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
 * The HyperLogLog commands against a real redis-server 7.0: the same elements give the same bytes
 * (GET compared byte for byte, sparse and dense, across the sparse-to-dense promotion) and the same
 * counts; errors for corrupt HLLs (made with SETRANGE) and non-HLL values; PFDEBUG; a seeded random
 * run of 12,000 commands comparing replies and the dirty counter after each.
 */
class HyperLogLogDifferentialTest {
    static Differential d;
    static int resp3;
    static RawConnection inspect;

    @BeforeAll
    static void start() {
        d = new Differential();
        resp3 = d.newConnection();
        d.on(resp3, Mode.TYPE_ONLY, "hello", "3");
        inspect = d.redis().raw();
    }

    @AfterAll
    static void stop() {
        inspect.close();
        d.close();
    }

    private static void both(String... cmd) {
        d.check(cmd);
        d.on(resp3, Mode.EXACT, cmd);
    }

    @Test
    void errorsEncodingsAndDebug() {
        String[][] cmds = {
            {"pfadd", "h", "a", "b", "c"}, {"get", "h"}, {"pfcount", "h"}, {"get", "h"}, {"pfcount", "h"},
            {"pfadd", "h"}, {"pfadd", "e"}, {"get", "e"}, {"object", "encoding", "e"}, {"pfcount", "e"},
            {"pfdebug", "encoding", "h"}, {"pfdebug", "decode", "h"}, {"pfdebug", "ENCODING", "nokey"},
            {"pfdebug", "nosuch", "h"}, {"pfdebug", "nosuch", "nokey"}, {"pfdebug", "todense", "h"}, {"pfdebug", "todense", "h"},
            {"pfdebug", "decode", "h"}, {"pfdebug", "encoding", "h"}, {"get", "h"}, {"pfcount", "h"},
            {"set", "s", "hello"}, {"pfadd", "s", "x"}, {"pfcount", "s"}, {"pfcount", "h", "s"}, {"pfmerge", "s", "h"},
            {"pfmerge", "h", "s"}, {"pfdebug", "encoding", "s"}, {"set", "n", "123"}, {"pfadd", "n", "a"},
            {"hset", "hash", "f", "v"}, {"pfadd", "hash", "a"}, {"pfcount", "hash"}, {"pfcount", "h", "hash"},
            {"pfmerge", "hash", "h"}, {"pfmerge", "h", "hash"}, {"pfdebug", "getreg", "hash"},
            {"pfmerge", "m", "nokey1", "nokey2"}, {"get", "m"}, {"pfcount", "m"}, {"pfmerge", "m2"}, {"get", "m2"},
            {"pfmerge", "m3", "h", "e"}, {"get", "m3"}, {"pfcount", "nokey"}, {"pfcount", "nokey", "nokey2"},
            {"pfadd", "sp", "x", "y", "z"}, {"pfmerge", "sp", "h"}, {"pfdebug", "encoding", "sp"}, {"get", "sp"},
            {"pfadd", "sp2", "1", "2", "3", "4", "5"}, {"pfcount", "sp2", "sp", "h"}, {"pfmerge", "sp3", "sp2", "sp"},
            {"get", "sp3"}, {"pfdebug", "decode", "sp3"},
            // corruption: a bad encoding byte, a wrong dense length, bad sparse opcodes
            {"pfadd", "c1", "a", "b"}, {"setrange", "c1", "4", "\u0002"}, {"pfadd", "c1", "z"}, {"pfcount", "c1"},
            {"set", "c2", "HYLL"}, {"pfcount", "c2"}, {"pfadd", "c3", "a"}, {"setrange", "c3", "4", "\u0000"},
            {"pfcount", "c3"}, {"pfadd", "c3", "q"},
            {"pfadd", "c4", "a", "b", "c"}, {"setrange", "c4", "16", "\u007f\u007f\u007f"}, {"pfcount", "c4"},
            {"pfadd", "c4", "a", "b", "c", "d"}, {"pfcount", "c4", "h"}, {"pfmerge", "c5", "c4"}, {"pfdebug", "decode", "c4"},
            {"pfdebug", "todense", "c4"}, {"get", "c4"},
            {"pfadd", "c6", "a"}, {"append", "c6", "\u0001\u0001"}, {"pfcount", "c6"}, {"pfadd", "c6", "zz"}, {"get", "c6"},
            {"pfcount", "c6", "h"}, {"pfdebug", "getreg", "c6"},
        };
        for (String[] cmd : cmds) both(cmd);
        d.assertNoDivergence();
    }

    /** An HLL copied with GET/SET is stored embstr (short) or raw; every HLL command leaves it raw. */
    @Test
    void hllCopiedWithSetWorksAndBecomesRaw() {
        d.check("pfadd", "src", "a", "b", "c");
        byte[] reply = inspect.call("get", "src"); // $47\r\n<bytes>\r\n
        int start = new String(reply, StandardCharsets.ISO_8859_1).indexOf("\r\n") + 2;
        byte[] value = java.util.Arrays.copyOfRange(reply, start, reply.length - 2);
        byte[] empty = inspect.call("pfadd", "tmp");
        assertEquals(":1\r\n", new String(empty, StandardCharsets.US_ASCII));
        byte[] r2 = inspect.call("get", "tmp");
        byte[] small = java.util.Arrays.copyOfRange(r2, new String(r2, StandardCharsets.ISO_8859_1).indexOf("\r\n") + 2, r2.length - 2);
        for (String cmd : new String[] {"pfcount", "pfadd", "pfdebug"}) {
            for (byte[] v : new byte[][] {value, small}) {
                d.onBytes(0, Mode.EXACT, "set".getBytes(), "copy".getBytes(), v);
                d.check("object", "encoding", "copy");
                switch (cmd) {
                    case "pfcount" -> d.check("pfcount", "copy");
                    case "pfadd" -> d.check("pfadd", "copy", "zz");
                    default -> d.check("pfdebug", "encoding", "copy");
                }
                d.check("object", "encoding", "copy");
                d.check("get", "copy");
            }
        }
        d.assertNoDivergence();
    }

    @Test
    void getregAndSelfTestAnswerAsRedis() {
        d.check("pfadd", "g", "a", "b", "c", "d");
        d.check("pfdebug", "getreg", "g");
        d.check("pfdebug", "encoding", "g");
        d.check("get", "g");
        d.check("pfselftest");
        d.assertNoDivergence();
    }

    /** A million elements: the same dense bytes (12304 of them) and count as Redis. */
    @Test
    void aMillionElementsGiveRedisBytesAndCount() {
        byte[][] args = new byte[1002][];
        args[0] = "pfadd".getBytes(StandardCharsets.US_ASCII);
        args[1] = "big".getBytes(StandardCharsets.US_ASCII);
        for (int batch = 0; batch < 1000; batch++) {
            for (int i = 0; i < 1000; i++) args[i + 2] = ("el:" + (batch * 1000 + i)).getBytes(StandardCharsets.US_ASCII);
            d.onBytes(0, Mode.EXACT, args);
            if (batch == 0) {
                d.check("pfcount", "big");
                d.check("get", "big");
            }
        }
        d.check("pfcount", "big");
        d.check("get", "big");
        byte[] len = d.check("strlen", "big");
        assertEquals(":12304\r\n", new String(len, StandardCharsets.US_ASCII));
        d.check("pfdebug", "encoding", "big");
        d.assertNoDivergence();
    }

    // ---- seeded random run ---------------------------------------------------------------------

    private static final String[] KEYS = {"p:0", "p:1", "p:2", "p:3", "p:4"};

    private static String key(Random r) {
        return r.nextInt(25) == 0 ? pick(r, "p:hash", "p:str", "p:missing") : KEYS[r.nextInt(KEYS.length)];
    }

    private static String pick(Random r, String... a) {
        return a[r.nextInt(a.length)];
    }

    private static String element(Random r) {
        if (r.nextInt(3) == 0) return "e" + r.nextInt(5000);
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(20);
        for (int i = 0; i < n; i++) sb.append((char) (32 + r.nextInt(95)));
        return sb.toString();
    }

    static String[] randomCommand(Random r) {
        List<String> a = new ArrayList<>();
        switch (r.nextInt(40)) {
            case 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 -> {
                a.addAll(List.of("pfadd", key(r)));
                int n = r.nextInt(10) == 0 ? r.nextInt(400) : r.nextInt(6);
                for (int i = 0; i < n; i++) a.add(element(r));
            }
            case 12, 13, 14, 15, 16 -> a.addAll(List.of("pfcount", key(r)));
            case 17, 18 -> {
                a.add("pfcount");
                int n = 2 + r.nextInt(3);
                for (int i = 0; i < n; i++) a.add(key(r));
            }
            case 19, 20 -> {
                a.addAll(List.of("pfmerge", key(r)));
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) a.add(key(r));
            }
            case 21, 22, 23, 24, 25 -> a.addAll(List.of("get", key(r)));
            case 26 -> a.addAll(List.of("pfdebug", pick(r, "encoding", "decode", "todense"), key(r)));
            case 27 -> a.addAll(List.of("object", "encoding", key(r)));
            case 28 -> a.addAll(List.of("del", KEYS[r.nextInt(KEYS.length)]));
            case 29 -> {
                // corrupt or patch a value: the encoding byte, the cached cardinality, or opcodes
                String k = KEYS[r.nextInt(KEYS.length)];
                int off = switch (r.nextInt(4)) {
                    case 0 -> 4;
                    case 1 -> 8 + r.nextInt(8);
                    default -> 16 + r.nextInt(40);
                };
                StringBuilder sb = new StringBuilder();
                int n = 1 + r.nextInt(3);
                for (int i = 0; i < n; i++) sb.append((char) r.nextInt(128));
                a.addAll(List.of("setrange", k, Integer.toString(off), sb.toString()));
            }
            case 30 -> a.addAll(List.of("strlen", key(r)));
            case 31 -> a.addAll(List.of("config", "set", "hll-sparse-max-bytes", pick(r, "3000", "200", "1000", "12000", "0")));
            default -> {
                a.addAll(List.of("pfadd", key(r)));
                for (int i = 0; i < 3; i++) a.add("e" + r.nextInt(20000));
            }
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
        Random r = new Random(1_000_003);
        d.check("hset", "p:hash", "f", "v");
        d.check("set", "p:str", "not an hll, but long enough to pass the header length test");
        int steps = 12_000, errors = 0;
        List<String> problems = new ArrayList<>();
        long rBefore = redisDirty(), eBefore = EngineProbe.dirty(d.ember());
        for (int step = 0; step < steps; step++) {
            String[] cmd = randomCommand(r);
            byte[] reply = d.on(r.nextInt(4) == 0 ? resp3 : 0, Mode.EXACT, cmd);
            if (reply.length > 0 && reply[0] == '-') errors++;
            long rAfter = redisDirty(), eAfter = EngineProbe.dirty(d.ember());
            if (rAfter - rBefore != eAfter - eBefore && problems.size() < 20) {
                String shown = String.join(" ", cmd);
                problems.add(shown.substring(0, Math.min(120, shown.length())) + ": dirty redis +" + (rAfter - rBefore)
                        + " ember +" + (eAfter - eBefore));
            }
            rBefore = rAfter;
            eBefore = eAfter;
        }
        d.check("config", "set", "hll-sparse-max-bytes", "3000");
        for (String k : KEYS) d.check("get", k);
        d.assertNoDivergence();
        assertEquals(List.of(), problems);
        assertTrue(errors < steps / 3, errors + " errors in " + steps + " steps");
    }
}
