package io.ember.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.resp.RespReader;
import io.ember.resp.RespValue;
import io.ember.testing.Differential;
import io.ember.testing.Differential.Mode;
import io.ember.testing.RawConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The set commands against a real redis-server 7.0: hand-written edge cases (errors and their
 * order, reply types in RESP2 and RESP3, encodings of STORE results, SDIFF's two algorithms,
 * WATCH), then a seeded random run over a small keyspace mixing sets of both encodings with
 * string keys, at lowered intset thresholds, comparing replies (set replies unordered, random
 * replies by shape and membership), OBJECT ENCODING, DEBUG DIGEST-VALUE and the dirty counter.
 */
class SetDifferentialTest {
    static Differential d;
    /** Connection 0 speaks RESP2; this one RESP3 (on both servers). */
    static int resp3;
    /** A side connection to redis-server, for reading its state without going through the harness. */
    static RawConnection inspect;

    @BeforeAll
    static void start() {
        d = new Differential();
        resp3 = d.newConnection();
        d.on(resp3, Mode.TYPE_ONLY, "HELLO", "3"); // the client id in HELLO's reply differs
        inspect = d.redis().raw();
    }

    @AfterAll
    static void stop() {
        inspect.close();
        d.close();
    }

    @BeforeEach
    void reset() {
        d.divergences().clear(); // each test reports its own
        d.check("FLUSHALL");
        d.check("CONFIG", "SET", "set-max-intset-entries", "512");
    }

    /** Same command on both protocols' connections, compared byte for byte. */
    private static void both(String... args) {
        d.on(0, Mode.EXACT, args);
        d.on(resp3, Mode.EXACT, args);
    }

    private static void bothUnordered(String... args) {
        d.on(0, Mode.UNORDERED, args);
        d.on(resp3, Mode.UNORDERED, args);
    }

    private static void encoding(String key) {
        d.check("OBJECT", "ENCODING", key);
        d.check("DEBUG", "DIGEST-VALUE", key);
    }

    private static long redisInfoField(String section, String field) {
        String info = ((RespValue.Bulk) inspect.callValue("INFO", section)).toString();
        for (String line : info.split("\r\n")) {
            if (line.startsWith(field + ":")) return Long.parseLong(line.substring(field.length() + 1));
        }
        throw new AssertionError("no " + field + " in INFO " + section);
    }

    @Test
    void errorsAndTheirOrderMatchRedis() {
        d.check("SET", "str", "x");
        d.check("SADD", "s", "1", "2", "3");
        String[][] cmds = {
            {"SADD", "str", "a"}, {"SADD", "s"}, {"SREM", "str", "a"}, {"SREM", "nokey", "a"}, {"SCARD", "str"},
            {"SISMEMBER", "str", "a"}, {"SMISMEMBER", "str", "a"}, {"SMISMEMBER", "nokey", "a", "b"},
            {"SMEMBERS", "str"}, {"SMOVE", "str", "s", "1"}, {"SMOVE", "s", "str", "1"}, {"SMOVE", "nokey", "str", "1"},
            {"SMOVE", "s", "str", "nomember"},
            {"SPOP", "str"}, {"SPOP", "str", "1"}, {"SPOP", "str", "-1"}, {"SPOP", "s", "-1"}, {"SPOP", "s", "abc"},
            {"SPOP", "s", "1", "2"}, {"SPOP", "nokey", "-1"}, {"SPOP", "s", "1.5"}, {"SPOP", "s", " 1"},
            {"SRANDMEMBER", "str"}, {"SRANDMEMBER", "str", "1"}, {"SRANDMEMBER", "str", "abc"}, {"SRANDMEMBER", "s", "abc"},
            {"SRANDMEMBER", "s", "1", "2"}, {"SRANDMEMBER", "s", "-9223372036854775808"},
            {"SRANDMEMBER", "nokey", "-9223372036854775808"}, {"SRANDMEMBER", "s", "99999999999999999999"},
            {"SINTER", "s", "str"}, {"SINTER", "nokey", "str"}, {"SINTER", "str", "nokey"},
            {"SINTERSTORE", "dst", "s", "str"}, {"SINTERSTORE", "dst", "nokey", "str"},
            {"SUNION", "s", "str"}, {"SUNION", "nokey", "str"}, {"SUNIONSTORE", "dst", "str"},
            {"SDIFF", "s", "str"}, {"SDIFF", "nokey", "str"}, {"SDIFF", "str", "nokey"}, {"SDIFFSTORE", "dst", "s", "str"},
            {"SINTERCARD", "0", "s"}, {"SINTERCARD", "-1", "s"}, {"SINTERCARD", "abc", "s"},
            {"SINTERCARD", "9223372036854775808", "s"}, {"SINTERCARD", "3", "s", "t"}, {"SINTERCARD", "1", "s", "LIMIT"},
            {"SINTERCARD", "1", "s", "LIMIT", "-1"}, {"SINTERCARD", "1", "s", "LIMIT", "x"}, {"SINTERCARD", "1", "s", "FOO", "1"},
            {"SINTERCARD", "1", "str", "LIMIT", "-1"}, {"SINTERCARD", "2", "s", "str"}, {"SINTERCARD", "2", "nokey", "str"},
            {"SINTERCARD", "1", "s", "limit", "1", "LIMIT", "0"}, {"SINTERCARD", "1", "s", "s"},
            {"SSCAN", "str", "0"}, {"SSCAN", "str", "x"}, {"SSCAN", "s", "x"}, {"SSCAN", "nokey", "x"},
            {"SSCAN", "nokey", "0", "COUNT", "0"}, {"SSCAN", "s", "0", "COUNT", "0"}, {"SSCAN", "s", "0", "COUNT", "x"},
            {"SSCAN", "s", "0", "TYPE", "set"}, {"SSCAN", "s", "0", "MATCH"}, {"SSCAN", "str", "0", "COUNT", "0"},
            {"SSCAN", "s", "-1"}, {"SSCAN", "s", "18446744073709551616"},
            {"SADD"}, {"SREM", "s"}, {"SMOVE", "s", "d"}, {"SCARD"}, {"SINTERCARD", "1"}, {"SSCAN", "s"},
        };
        for (String[] c : cmds) both(c);
        // Key positions come from Redis's own command metadata.
        both("COMMAND", "GETKEYS", "SINTERCARD", "2", "a", "b", "LIMIT", "1");
        both("COMMAND", "GETKEYS", "SMOVE", "a", "b", "m");
        both("COMMAND", "GETKEYSANDFLAGS", "SINTERSTORE", "d", "a", "b");
        both("COMMAND", "INFO", "SADD", "SPOP", "SSCAN", "SMEMBERS");
        d.assertNoDivergence();
    }

    @Test
    void repliesOfEveryCommandMatchRedisInBothProtocols() {
        // Integer sets come back in intset (ascending) order from both servers, so exact compare works.
        both("SADD", "a", "3", "1", "2", "-5", "70000", "1");
        both("SADD", "b", "2", "3", "4");
        both("SADD", "c", "x", "2");
        both("SCARD", "a");
        both("SCARD", "nokey");
        both("SISMEMBER", "a", "70000");
        both("SISMEMBER", "a", "070000");
        both("SISMEMBER", "c", "x");
        both("SISMEMBER", "nokey", "x");
        both("SMISMEMBER", "a", "1", "x", "-5", "+1");
        both("SMEMBERS", "a");
        both("SMEMBERS", "nokey");
        both("SINTER", "a", "b");
        both("SINTER", "a", "b", "nokey");
        both("SINTER", "a");
        both("SINTER", "a", "a");
        both("SINTER", "a", "c");
        both("SINTERCARD", "2", "a", "b");
        both("SINTERCARD", "2", "a", "b", "LIMIT", "1");
        both("SINTERCARD", "2", "a", "b", "LIMIT", "0");
        both("SINTERCARD", "1", "a", "LIMIT", "100");
        both("SINTERCARD", "2", "a", "nokey");
        both("SUNION", "a", "b");
        both("SUNION", "nokey");
        both("SUNION", "nokey", "b");
        both("SDIFF", "a", "b");
        both("SDIFF", "a", "a");
        both("SDIFF", "b", "nokey", "a");
        both("SDIFF", "nokey", "a");
        both("SSCAN", "a", "0");
        both("SSCAN", "a", "12345", "MATCH", "*0*");
        both("SSCAN", "a", "0", "COUNT", "1", "MATCH", "-*");
        both("SSCAN", "nokey", "0");
        both("SRANDMEMBER", "nokey");
        both("SRANDMEMBER", "nokey", "3");
        both("SRANDMEMBER", "a", "0");
        both("SRANDMEMBER", "a", "5");
        both("SRANDMEMBER", "a", "100");
        both("SPOP", "nokey");
        both("SPOP", "nokey", "3");
        both("SPOP", "a", "0");
        bothUnordered("SMEMBERS", "c");
        bothUnordered("SUNION", "a", "c");
        bothUnordered("SDIFF", "c", "nokey");
        // The whole set via SPOP count >= size; the key goes away.
        d.check("SADD", "p", "5", "4", "3");
        d.check("SPOP", "p", "3");
        d.check("EXISTS", "p");
        d.check("SADD", "p", "5", "4", "3");
        d.on(resp3, Mode.EXACT, "SPOP", "p", "10");
        d.check("EXISTS", "p");
        d.check("SADD", "p", "only");
        d.check("SPOP", "p");
        d.check("SPOP", "p");
        d.check("SADD", "p", "only");
        d.on(resp3, Mode.EXACT, "SRANDMEMBER", "p", "-3");
        d.check("SRANDMEMBER", "p", "-3");
        d.check("SRANDMEMBER", "p", "1");
        d.check("SRANDMEMBER", "p");
        // Writes and their replies.
        both("SREM", "a", "1", "1", "x", "70000");
        both("SMEMBERS", "a");
        d.check("SMOVE", "a", "b", "2");
        d.check("SMOVE", "a", "b", "3");
        d.check("SMOVE", "a", "nokey2", "-5");
        d.check("SMOVE", "b", "b", "2");
        d.check("SMOVE", "b", "b", "9");
        d.check("SMOVE", "a", "b", "9");
        d.check("SMOVE", "nokey", "b", "9");
        both("SMEMBERS", "b");
        both("SMEMBERS", "nokey2");
        d.check("EXISTS", "a");
        d.check("SREM", "b", "2", "3", "4", "zz");
        d.check("EXISTS", "b");
        d.assertNoDivergence();
    }

    @Test
    void storeVariantsLeaveRedisEncodingsAndTtls() {
        d.check("CONFIG", "SET", "set-max-intset-entries", "4");
        List<String> ten = new ArrayList<>(List.of("SADD", "big"));
        for (int i = 0; i < 10; i++) ten.add(Integer.toString(i));
        d.check(ten.toArray(String[]::new));
        d.check("SADD", "sub", "2", "3", "4", "5", "6", "7", "8", "9");
        d.check("SADD", "sub2", "2", "3", "4", "5", "6", "7", "8", "9");
        d.check("SADD", "tiny", "1");
        d.check("SADD", "t2", "2");
        d.check("SADD", "t3", "3");
        d.check("SADD", "strs", "a", "1");
        d.check("SADD", "only_a", "a");
        encoding("big");
        String[][] stores = {
            {"SDIFFSTORE", "r", "big", "sub", "sub2"}, // algorithm 1: result built as an intset
            {"SDIFFSTORE", "r", "big", "tiny", "t2", "t3"}, // algorithm 2: copy of big stays a hashtable
            {"SDIFFSTORE", "r", "big", "tiny"},
            {"SDIFFSTORE", "r", "strs", "only_a"},
            {"SDIFFSTORE", "r", "strs", "nokey"},
            {"SDIFFSTORE", "r", "big", "big"},
            {"SDIFFSTORE", "r", "nokey", "big"},
            {"SINTERSTORE", "r", "strs", "big"},
            {"SINTERSTORE", "r", "big", "sub"},
            {"SINTERSTORE", "r", "strs", "only_a"},
            {"SINTERSTORE", "r", "big", "nokey"},
            {"SUNIONSTORE", "r", "tiny", "t2", "t3"},
            {"SUNIONSTORE", "r", "tiny", "t2", "t3", "only_a"},
            {"SUNIONSTORE", "r", "big"},
            {"SUNIONSTORE", "r", "nokey"},
            {"SINTERSTORE", "big", "big", "sub"}, // the destination is also a source
        };
        for (String[] s : stores) {
            d.check(s);
            encoding("r");
            d.check(Mode.UNORDERED, "SMEMBERS", "r");
        }
        encoding("big");
        // A STORE drops the destination's TTL; an SPOP keeps it.
        d.check("SADD", "ttl", "1", "2");
        d.check("EXPIRE", "ttl", "1000");
        d.check("SUNIONSTORE", "ttl", "tiny", "t2");
        hasTtl("ttl", false);
        d.check("EXPIRE", "ttl", "1000");
        d.check("SADD", "ttl", "5", "6", "7", "8", "9", "10", "11");
        d.check(Mode.TYPE_ONLY, "SPOP", "ttl", "1");
        hasTtl("ttl", true);
        d.check(Mode.TYPE_ONLY, "SPOP", "ttl", "7"); // most of the set: Redis builds a new set of what stays
        hasTtl("ttl", true);
        d.check("OBJECT", "ENCODING", "ttl");
        d.check("SET", "str", "x");
        d.check("SUNIONSTORE", "str", "tiny");
        d.check("TYPE", "str");
        d.assertNoDivergence();
    }

    /** Both servers agree that {@code key} has a TTL (or has none); the seconds left may differ by timing. */
    private static void hasTtl(String key, boolean expected) {
        long redis = ((RespValue.Int) inspect.callValue("TTL", key)).value();
        long ember = EngineProbe.pttl(d.ember(), key);
        assertEquals(expected, redis > 0, "redis TTL of " + key + ": " + redis);
        assertEquals(expected, ember > 0, "ember TTL of " + key + ": " + ember);
    }

    @Test
    void spopOfMostOfAHashtableOfIntegersLeavesAnIntset() {
        d.check("CONFIG", "SET", "set-max-intset-entries", "4");
        List<String> cmd = new ArrayList<>(List.of("SADD", "h"));
        for (int i = 0; i < 30; i++) cmd.add(Integer.toString(i));
        d.check(cmd.toArray(String[]::new));
        encoding("h");
        d.on(0, Mode.TYPE_ONLY, "SPOP", "h", "28");
        d.check("SCARD", "h");
        d.check("OBJECT", "ENCODING", "h");
        d.on(0, Mode.TYPE_ONLY, "SPOP", "h", "1");
        d.check("OBJECT", "ENCODING", "h");
        d.assertNoDivergence();
    }

    @Test
    void encodingConversionsFollowTheThreshold() {
        d.check("CONFIG", "SET", "set-max-intset-entries", "3");
        d.check("SADD", "s", "1", "2", "3");
        encoding("s");
        d.check("SADD", "s", "4");
        encoding("s");
        d.check("SREM", "s", "4", "3");
        encoding("s"); // never converted back
        d.check("SADD", "n", "-9223372036854775808", "9223372036854775807");
        encoding("n");
        d.check("SADD", "n", "9223372036854775808");
        encoding("n");
        d.check("SADD", "z", "0");
        d.check("SADD", "z", "-0");
        encoding("z");
        d.check("SADD", "y", "a");
        encoding("y");
        d.check("SREM", "y", "a");
        d.check("SADD", "y", "1");
        encoding("y");
        d.check("CONFIG", "SET", "set-max-intset-entries", "0");
        d.check("SADD", "zero", "1");
        encoding("zero");
        d.check("SMOVE", "s", "fresh", "1");
        encoding("fresh");
        d.assertNoDivergence();
    }

    @Test
    void watchIsInvalidatedAsByRedis() {
        int watcher = d.newConnection();
        d.check("SADD", "src", "1", "2", "3", "x");
        d.check("SADD", "dst", "1");
        String[][] writes = {
            {"SADD", "src", "9"}, {"SADD", "src", "9"}, {"SREM", "src", "9"}, {"SREM", "src", "nope"},
            {"SMOVE", "src", "dst", "1"}, {"SMOVE", "src", "dst", "2"}, {"SMOVE", "src", "dst", "nope"},
            {"SMOVE", "src", "src", "3"}, {"SPOP", "src", "0"}, {"SPOP", "src"}, {"SPOP", "src", "1"},
            {"SINTERSTORE", "dst", "src", "src"}, {"SUNIONSTORE", "dst", "src"}, {"SDIFFSTORE", "dst", "src", "src"},
            {"SDIFFSTORE", "dst", "src", "src"}, {"SINTERSTORE", "dst", "nokey"}, {"SADD", "dst", "7", "8"},
            {"SPOP", "dst", "100"}, {"SADD", "dst", "7"}, {"SPOP", "dst"},
        };
        for (String[] w : writes) {
            for (String key : new String[] {"src", "dst"}) {
                // Fresh state each time (after SPOP the two servers hold different members).
                d.check("DEL", "src", "dst");
                d.check("SADD", "src", "1", "2", "3", "x");
                d.check("SADD", "dst", "1");
                d.on(watcher, Mode.EXACT, "WATCH", key);
                d.on(0, w[0].equals("SPOP") ? Mode.TYPE_ONLY : Mode.EXACT, w); // SPOP's member is random
                d.on(watcher, Mode.EXACT, "MULTI");
                d.on(watcher, Mode.EXACT, "PING");
                d.on(watcher, Mode.EXACT, "EXEC");
                d.check("SCARD", key);
            }
        }
        d.assertNoDivergence();
    }

    @Test
    void keyspaceHitsMissesAndDirtyCountAsInRedis() {
        d.check("SET", "str", "x");
        long[] emberStats0 = EngineProbe.hitsMisses(d.ember());
        long emberDirty0 = EngineProbe.dirty(d.ember());
        long hits0 = redisInfoField("stats", "keyspace_hits"), misses0 = redisInfoField("stats", "keyspace_misses");
        long dirty0 = redisInfoField("persistence", "rdb_changes_since_last_save");
        String[][] cmds = {
            {"SADD", "a", "1", "2", "3", "4", "5", "6"}, {"SADD", "b", "x", "y", "1"}, {"SADD", "a", "1"},
            {"SISMEMBER", "a", "1"}, {"SISMEMBER", "no", "1"}, {"SMISMEMBER", "a", "1"}, {"SCARD", "a"},
            {"SMEMBERS", "b"}, {"SINTER", "a", "b", "no"}, {"SINTERSTORE", "c", "a", "b"}, {"SINTERCARD", "2", "a", "b"},
            {"SUNION", "a", "no"}, {"SUNIONSTORE", "c", "a", "b"}, {"SDIFF", "a", "b"}, {"SDIFFSTORE", "c", "a", "b"},
            {"SDIFFSTORE", "c", "no"}, {"SDIFFSTORE", "c", "no"}, {"SSCAN", "a", "0"}, {"SSCAN", "no", "0"},
            {"SRANDMEMBER", "a"}, {"SRANDMEMBER", "a", "2"}, {"SMOVE", "a", "b", "1"}, {"SMOVE", "a", "b", "2"},
            {"SMOVE", "a", "new", "3"}, {"SREM", "a", "4", "9"}, {"SPOP", "a", "0"}, {"SPOP", "b"},
            {"SPOP", "b", "1"}, {"SPOP", "new", "5"}, {"SPOP", "no", "5"}, {"SINTER", "str"},
        };
        for (String[] c : cmds) d.on(0, Mode.TYPE_ONLY, c);
        long[] emberStats1 = EngineProbe.hitsMisses(d.ember());
        long emberDirty1 = EngineProbe.dirty(d.ember());
        assertEquals(redisInfoField("stats", "keyspace_hits") - hits0, emberStats1[0] - emberStats0[0], "hits");
        assertEquals(redisInfoField("stats", "keyspace_misses") - misses0, emberStats1[1] - emberStats0[1], "misses");
        assertEquals(redisInfoField("persistence", "rdb_changes_since_last_save") - dirty0, emberDirty1 - emberDirty0,
                "dirty");
        d.assertNoDivergence();
    }

    /** DEBUG DIGEST and DIGEST-VALUE over sets of both encodings, in several databases, some with TTLs. */
    @Test
    void digestsEqualRedisForARandomSetDataset() {
        Random rnd = new Random(77);
        d.check("CONFIG", "SET", "set-max-intset-entries", "16");
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 240; i++) {
            if (i % 80 == 0) d.check("SELECT", Integer.toString(i / 80));
            String key = "set:" + i;
            keys.add(key);
            List<String> cmd = new ArrayList<>(List.of("SADD", key));
            int n = 1 + rnd.nextInt(i % 3 == 0 ? 40 : 10);
            for (int m = 0; m < n; m++) cmd.add(i % 2 == 0 ? Integer.toString(rnd.nextInt(1000) - 500) : member(rnd));
            d.check(cmd.toArray(String[]::new));
            if (rnd.nextInt(4) == 0) d.check("EXPIRE", key, Integer.toString(1000 + rnd.nextInt(1000)));
            if (i % 7 == 0) d.check("SET", "str:" + i, "v" + i);
        }
        d.check("DEBUG", "DIGEST");
        for (int db = 0; db < 3; db++) {
            d.check("SELECT", Integer.toString(db));
            List<String> cmd = new ArrayList<>(List.of("DEBUG", "DIGEST-VALUE"));
            for (int i = db * 80; i < db * 80 + 80; i += 3) cmd.add(keys.get(i));
            cmd.add("no-such-key");
            d.check(cmd.toArray(String[]::new));
        }
        d.check("SREM", "set:200", "0", "1", "2", "a");
        d.check("SADD", "set:201", "new");
        d.check("DEBUG", "DIGEST");
        d.check("SELECT", "0");
        d.assertNoDivergence();
    }

    @Test
    void sscanOfAHashtableReturnsEveryMemberAcrossCalls() {
        // Cursors differ between the servers (different hash functions): iterate each to the end.
        List<String> cmd = new ArrayList<>(List.of("SADD", "h"));
        for (int i = 0; i < 700; i++) cmd.add("m" + i);
        d.check(cmd.toArray(String[]::new));
        for (String count : new String[] {"1", "7", "100"}) {
            Set<String> redisSeen = scanAll(inspect, count, null), emberSeen;
            try (RawConnection e = d.ember().raw()) {
                emberSeen = scanAll(e, count, null);
                assertEquals(redisSeen, emberSeen);
                assertEquals(700, emberSeen.size());
                assertEquals(scanAll(inspect, count, "m1*"), scanAll(e, count, "m1*"));
            }
        }
        d.assertNoDivergence();
    }

    private static Set<String> scanAll(RawConnection c, String count, String match) {
        Set<String> seen = new HashSet<>();
        String cursor = "0";
        int calls = 0;
        do {
            List<String> args = new ArrayList<>(List.of("SSCAN", "h", cursor, "COUNT", count));
            if (match != null) args.addAll(List.of("MATCH", match));
            RespValue.Array reply = (RespValue.Array) c.callValue(args.toArray(String[]::new));
            cursor = reply.items().get(0).toString();
            for (RespValue v : ((RespValue.Array) reply.items().get(1)).items()) seen.add(v.toString());
            assertTrue(++calls < 10_000, "SSCAN does not end");
        } while (!cursor.equals("0"));
        return seen;
    }

    // ---- the random run ----------------------------------------------------------------------

    private static final String[] SET_KEYS = {"s0", "s1", "s2", "s3", "s4", "s5"};
    private static final String[] STRING_KEYS = {"str0", "str1"};
    private static final String[] MEMBERS = {
        "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "-1", "-32768", "32767", "32768",
        "70000", "-2147483649", "4294967296", "9223372036854775807", "-9223372036854775808",
        "a", "b", "c", "d", "e", "007", "+3", "1.5", "", "9223372036854775808",
    };

    /** The intset threshold currently set on both servers by the random run. */
    private static String maxIntset = "512";

    @Test
    void randomOperationsMatchRedis() {
        Random rnd = new Random(0x5E75);
        for (String k : STRING_KEYS) d.check("SET", k, "v");
        int ops = 12_000, done = 0;
        for (int i = 0; i < ops; i++, done++) {
            if (i % 1500 == 0) {
                maxIntset = new String[] {"4", "8", "16", "512"}[(i / 1500) % 4];
                d.check("CONFIG", "SET", "set-max-intset-entries", maxIntset);
            }
            int conn = rnd.nextInt(4) == 0 ? resp3 : 0;
            long dirtyRedis = redisInfoField("persistence", "rdb_changes_since_last_save");
            long dirtyEmber = EngineProbe.dirty(d.ember());
            String[] cmd = randomCommand(rnd);
            boolean popped = runOne(conn, cmd);
            long dr = redisInfoField("persistence", "rdb_changes_since_last_save") - dirtyRedis;
            long de = EngineProbe.dirty(d.ember()) - dirtyEmber;
            if (dr != de) d.divergences().add(String.join(" ", cmd) + ": dirty +" + dr + " redis, +" + de + " ember");
            if (popped) resync(cmd[1]);
            if (i % 10 == 0) {
                String key = SET_KEYS[rnd.nextInt(SET_KEYS.length)];
                encoding(key);
            }
            if (i % 500 == 0) d.check("DEBUG", "DIGEST");
            if (d.divergences().size() > 20) break;
        }
        d.check("DEBUG", "DIGEST");
        d.assertNoDivergence();
        assertEquals(ops, done);
    }

    private static String member(Random rnd) {
        // Mostly small integers, so sets often stay intsets and cross the thresholds.
        if (rnd.nextInt(3) > 0) return Integer.toString(rnd.nextInt(24));
        return MEMBERS[rnd.nextInt(MEMBERS.length)];
    }

    private static String key(Random rnd) {
        if (rnd.nextInt(12) == 0) return STRING_KEYS[rnd.nextInt(STRING_KEYS.length)];
        if (rnd.nextInt(30) == 0) return "missing";
        return SET_KEYS[rnd.nextInt(SET_KEYS.length)];
    }

    private static String[] withKeys(Random rnd, String... head) {
        List<String> a = new ArrayList<>(List.of(head));
        int n = 1 + rnd.nextInt(3);
        for (int i = 0; i < n; i++) a.add(key(rnd));
        return a.toArray(String[]::new);
    }

    private static String[] withMembers(Random rnd, String... head) {
        List<String> a = new ArrayList<>(List.of(head));
        int n = 1 + rnd.nextInt(rnd.nextInt(8) == 0 ? 12 : 3);
        for (int i = 0; i < n; i++) a.add(member(rnd));
        return a.toArray(String[]::new);
    }

    private static String[] randomCommand(Random rnd) {
        int op = rnd.nextInt(100);
        if (op < 25) return withMembers(rnd, "SADD", key(rnd));
        if (op < 35) return withMembers(rnd, "SREM", key(rnd));
        if (op < 40) return new String[] {"SMOVE", key(rnd), key(rnd), member(rnd)};
        if (op < 44) return new String[] {"SISMEMBER", key(rnd), member(rnd)};
        if (op < 47) return withMembers(rnd, "SMISMEMBER", key(rnd));
        if (op < 50) return new String[] {"SCARD", key(rnd)};
        if (op < 54) return new String[] {"SMEMBERS", key(rnd)};
        if (op < 58) return withKeys(rnd, "SINTER");
        if (op < 61) {
            String[] a = withKeys(rnd, "SINTERCARD", "0");
            a[1] = Integer.toString(a.length - 2);
            if (rnd.nextBoolean()) {
                List<String> l = new ArrayList<>(List.of(a));
                l.addAll(List.of("LIMIT", Integer.toString(rnd.nextInt(4))));
                return l.toArray(String[]::new);
            }
            return a;
        }
        if (op < 65) return withKeys(rnd, "SINTERSTORE", key(rnd));
        if (op < 68) return withKeys(rnd, "SUNION");
        if (op < 72) return withKeys(rnd, "SUNIONSTORE", key(rnd));
        if (op < 76) return withKeys(rnd, "SDIFF");
        if (op < 81) return withKeys(rnd, "SDIFFSTORE", key(rnd));
        if (op < 84) {
            String[] a = {"SSCAN", key(rnd), "0", "COUNT", "1000"};
            if (rnd.nextBoolean()) return new String[] {"SSCAN", a[1], "0", "COUNT", "1000", "MATCH", rnd.nextBoolean() ? "1*" : "[a-c]"};
            return a;
        }
        if (op < 88) return new String[] {"SPOP", key(rnd)};
        if (op < 93) return new String[] {"SPOP", key(rnd), Integer.toString(rnd.nextInt(12))};
        if (op < 96) return new String[] {"SRANDMEMBER", key(rnd), Integer.toString(rnd.nextInt(25) - 12)};
        if (op < 98) return new String[] {"SRANDMEMBER", key(rnd)};
        return new String[] {"DEL", key(rnd)};
    }

    private static boolean isSetReply(String name) {
        return switch (name) {
            case "SMEMBERS", "SINTER", "SUNION", "SDIFF" -> true;
            default -> false;
        };
    }

    /** Runs and compares one command; true when it popped members at random (a resync is due). */
    private static boolean runOne(int conn, String[] cmd) {
        String name = cmd[0];
        if (isSetReply(name)) {
            d.on(conn, Mode.UNORDERED, cmd);
        } else if (name.equals("SSCAN")) {
            d.on(conn, Mode.SCAN, cmd);
        } else if (name.equals("SPOP") || name.equals("SRANDMEMBER")) {
            return randomReply(conn, cmd);
        } else {
            d.on(conn, Mode.EXACT, cmd);
        }
        return false;
    }

    /**
     * SPOP and SRANDMEMBER: Ember's reply must have the shape and size Redis's rules give, with
     * members of the set (distinct unless the count is negative). An SPOP then leaves the servers
     * with different members, so the key is made equal again from Redis's copy.
     */
    private static boolean randomReply(int conn, String[] cmd) {
        String key = cmd[1];
        if (!inspect.callValue("TYPE", key).toString().equals("set")) {
            d.on(conn, Mode.EXACT, cmd); // a missing key or WRONGTYPE: nothing random
            return false;
        }
        Set<String> members = new HashSet<>();
        for (RespValue v : ((RespValue.Array) inspect.callValue("SMEMBERS", key)).items()) members.add(v.toString());
        byte[] reply = d.on(conn, Mode.TYPE_ONLY, cmd);
        RespValue v = new RespReader(reply).read();
        String what = String.join(" ", cmd) + " -> " + Differential.show(reply);
        boolean withCount = cmd.length == 3;
        if (!withCount) {
            if (!(v instanceof RespValue.Bulk b && members.contains(b.toString()))) d.divergences().add(what);
        } else {
            long count = Long.parseLong(cmd[2]);
            boolean pop = cmd[0].equals("SPOP");
            long expected = count < 0 ? -count : Math.min(count, members.size());
            char kind = (char) reply[0];
            char expectedKind = pop && conn == resp3 ? '~' : '*';
            List<RespValue> items = v instanceof RespValue.Array a ? a.items() : List.of();
            Set<String> distinct = new HashSet<>();
            for (RespValue item : items) distinct.add(item.toString());
            boolean ok = kind == expectedKind && items.size() == expected && members.containsAll(distinct)
                    && (count < 0 || distinct.size() == items.size());
            if (!ok) d.divergences().add(what + " (members " + members + ")");
        }
        return cmd[0].equals("SPOP");
    }

    /** Copies the set at {@code key} from redis-server to Ember (both connections see the result). */
    private static void resync(String key) {
        RespValue m = inspect.callValue("SMEMBERS", key);
        List<String> members = new ArrayList<>();
        for (RespValue v : ((RespValue.Array) m).items()) members.add(v.toString());
        String enc = inspect.callValue("OBJECT", "ENCODING", key) instanceof RespValue.Bulk b ? b.toString() : null;
        try (RawConnection e = d.ember().raw()) {
            e.call("DEL", key);
            if (members.isEmpty()) return;
            // Redis may hold an intset bigger than today's threshold (it was built under a higher one).
            e.call("CONFIG", "SET", "set-max-intset-entries", "1000");
            // Rebuild with Redis's encoding: a hashtable of integers needs a non-integer first.
            if ("hashtable".equals(enc)) {
                e.call("SADD", key, "\u0000resync");
                List<String> a = new ArrayList<>(List.of("SADD", key));
                a.addAll(members);
                e.call(a.toArray(String[]::new));
                e.call("SREM", key, "\u0000resync");
            } else {
                List<String> a = new ArrayList<>(List.of("SADD", key));
                a.addAll(members);
                e.call(a.toArray(String[]::new));
            }
            e.call("CONFIG", "SET", "set-max-intset-entries", maxIntset);
            String got = e.callValue("OBJECT", "ENCODING", key).toString();
            assertEquals(enc, got, "resync of " + key);
        }
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
