package io.ember.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.JedisTestBase;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.LCSParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.LCSMatchResult;

/** Every string command and option through Jedis, with the meta word (encoding, TTL) checked inside. */
class StringCommandsTest extends JedisTestBase {
    @BeforeAll
    static void start() {
        // A small proto-max-bulk-len keeps the size-limit tests light.
        startServer("--proto-max-bulk-len", "1mb");
    }

    private Object raw(Protocol.Command cmd, String... args) {
        return j.sendCommand(cmd, args);
    }

    private static String str(Object reply) {
        return reply == null ? null : new String((byte[]) reply, StandardCharsets.UTF_8);
    }

    private static long ttlSeconds(String key) {
        long pttl = EngineProbe.pttl(server, key);
        return pttl < 0 ? pttl : (pttl + 500) / 1000;
    }

    // ---- GET / SET ----

    @Test
    void setAndGetStoreEncodings() {
        assertEquals("OK", j.set("se:int", "12345"));
        assertEquals("int", EngineProbe.encoding(server, "se:int"));
        j.set("se:emb", "hello");
        assertEquals("embstr", EngineProbe.encoding(server, "se:emb"));
        j.set("se:raw", "x".repeat(45));
        assertEquals("raw", EngineProbe.encoding(server, "se:raw"));
        j.set("se:44", "x".repeat(44));
        assertEquals("embstr", EngineProbe.encoding(server, "se:44"));
        j.set("se:lead0", "012");
        assertEquals("embstr", EngineProbe.encoding(server, "se:lead0"));
        j.set("se:min", "-9223372036854775808");
        assertEquals("int", EngineProbe.encoding(server, "se:min"));
        j.set("se:big", "9223372036854775808");
        assertEquals("embstr", EngineProbe.encoding(server, "se:big"));
        assertEquals("12345", j.get("se:int"));
        assertNull(j.get("se:missing"));
        byte[] binary = {0, 1, (byte) 0xff, '\r', '\n'};
        j.set("se:bin".getBytes(), binary);
        assertArrayEquals(binary, j.get("se:bin".getBytes()));
    }

    @Test
    void setOptionsNxXxGet() {
        assertEquals("OK", j.set("so:a", "1", SetParams.setParams().nx()));
        assertNull(j.set("so:a", "2", SetParams.setParams().nx()));
        assertEquals("1", j.get("so:a"));
        assertEquals("OK", j.set("so:a", "3", SetParams.setParams().xx()));
        assertNull(j.set("so:b", "3", SetParams.setParams().xx()));
        assertNull(j.get("so:b"));
        assertEquals("3", j.setGet("so:a", "4"));
        assertNull(j.setGet("so:new", "v"));
        assertEquals("v", j.get("so:new"));
        // GET with NX: the old value is returned and nothing is set.
        assertEquals("4", str(raw(Protocol.Command.SET, "so:a", "5", "NX", "GET")));
        assertEquals("4", j.get("so:a"));
        assertNull(raw(Protocol.Command.SET, "so:none", "5", "XX", "GET"));
        assertNull(j.get("so:none"));
        EngineProbe.putList(server, "so:list");
        assertError("WRONGTYPE Operation against a key holding the wrong kind of value",
                () -> j.setGet("so:list", "x"));
        assertEquals("OK", j.set("so:list", "now a string"));
        assertEquals("now a string", j.get("so:list"));
    }

    @Test
    void setSyntaxErrorsComeBeforeNumberErrors() {
        assertError("ERR syntax error", () -> raw(Protocol.Command.SET, "sx", "v", "NX", "XX"));
        assertError("ERR syntax error", () -> raw(Protocol.Command.SET, "sx", "v", "EX", "10", "PX", "10"));
        assertError("ERR syntax error", () -> raw(Protocol.Command.SET, "sx", "v", "EX", "abc", "KEEPTTL"));
        assertError("ERR syntax error", () -> raw(Protocol.Command.SET, "sx", "v", "EX"));
        assertError("ERR syntax error", () -> raw(Protocol.Command.SET, "sx", "v", "PERSIST"));
        assertError("ERR value is not an integer or out of range", () -> raw(Protocol.Command.SET, "sx", "v", "EX", "abc"));
        assertError("ERR invalid expire time in 'set' command", () -> raw(Protocol.Command.SET, "sx", "v", "EX", "0"));
        assertError("ERR invalid expire time in 'set' command", () -> raw(Protocol.Command.SET, "sx", "v", "PX", "-1"));
        assertError("ERR invalid expire time in 'set' command",
                () -> raw(Protocol.Command.SET, "sx", "v", "EX", "9223372036854776"));
        assertError("ERR invalid expire time in 'set' command",
                () -> raw(Protocol.Command.SET, "sx", "v", "PX", "9223372036854775807"));
        // The expire check comes before GET's WRONGTYPE.
        EngineProbe.putList(server, "sx:list");
        assertError("ERR invalid expire time in 'set' command",
                () -> raw(Protocol.Command.SET, "sx:list", "v", "GET", "EX", "0"));
        assertNull(j.get("sx"));
        // Repeating an option is allowed.
        assertNull(raw(Protocol.Command.SET, "sx", "v", "EX", "10", "EX", "20", "GET", "GET"));
        assertEquals(20, ttlSeconds("sx"));
    }

    @Test
    void setTtlOptions() {
        long now = System.currentTimeMillis();
        j.set("st:ex", "v", SetParams.setParams().ex(100));
        assertEquals(100, ttlSeconds("st:ex"));
        j.set("st:px", "v", SetParams.setParams().px(50_000));
        assertEquals(50, ttlSeconds("st:px"));
        j.set("st:exat", "v", SetParams.setParams().exAt(now / 1000 + 200));
        assertEquals((now / 1000 + 200) * 1000, EngineProbe.expireAt(server, "st:exat"));
        j.set("st:pxat", "v", SetParams.setParams().pxAt(now + 300_000));
        assertEquals(now + 300_000, EngineProbe.expireAt(server, "st:pxat"));
        // SET drops the TTL, KEEPTTL keeps it.
        j.set("st:ex", "w", SetParams.setParams().keepTtl());
        assertEquals(100, ttlSeconds("st:ex"));
        j.set("st:ex", "x");
        assertEquals(-1, EngineProbe.pttl(server, "st:ex"));
        // An absolute time in the past: the key is gone at once.
        assertEquals("OK", j.set("st:past", "v", SetParams.setParams().pxAt(1)));
        assertNull(j.get("st:past"));
    }

    @Test
    void setnxSetexPsetex() {
        assertEquals(1, j.setnx("sn:a", "1"));
        assertEquals(0, j.setnx("sn:a", "2"));
        assertEquals("1", j.get("sn:a"));
        assertEquals("OK", j.setex("sn:b", 100, "v"));
        assertEquals(100, ttlSeconds("sn:b"));
        assertEquals("embstr", EngineProbe.encoding(server, "sn:b"));
        assertEquals("OK", j.psetex("sn:c", 100_000, "42"));
        assertEquals(100, ttlSeconds("sn:c"));
        assertEquals("int", EngineProbe.encoding(server, "sn:c"));
        assertError("ERR invalid expire time in 'setex' command", () -> j.setex("sn:d", 0, "v"));
        assertError("ERR invalid expire time in 'psetex' command", () -> j.psetex("sn:d", -5, "v"));
        assertError("ERR value is not an integer or out of range", () -> raw(Protocol.Command.SETEX, "sn:d", "x", "v"));
        assertError("ERR wrong number of arguments for 'setex' command", () -> raw(Protocol.Command.SETEX, "sn:d", "1"));
        assertNull(j.get("sn:d"));
    }

    // ---- GETSET / GETDEL / GETEX ----

    @Test
    void getsetAndGetdel() {
        j.setex("gs:a", 100, "old");
        assertEquals("old", j.getSet("gs:a", "new"));
        assertEquals(-1, EngineProbe.pttl(server, "gs:a"));
        assertNull(j.getSet("gs:b", "7"));
        assertEquals("int", EngineProbe.encoding(server, "gs:b"));
        assertEquals("new", j.getDel("gs:a"));
        assertNull(j.get("gs:a"));
        assertNull(j.getDel("gs:a"));
        EngineProbe.putList(server, "gs:list");
        assertError("WRONGTYPE Operation against a key holding the wrong kind of value", () -> j.getSet("gs:list", "v"));
        assertError("WRONGTYPE Operation against a key holding the wrong kind of value", () -> j.getDel("gs:list"));
        assertEquals("quicklist", EngineProbe.encoding(server, "gs:list"), "the list is still there");
    }

    @Test
    void getexOptions() {
        j.set("ge:a", "v");
        assertEquals("v", j.getEx("ge:a", GetExParams.getExParams()));
        assertEquals(-1, EngineProbe.pttl(server, "ge:a"));
        assertEquals("v", j.getEx("ge:a", GetExParams.getExParams().ex(100)));
        assertEquals(100, ttlSeconds("ge:a"));
        assertEquals("v", j.getEx("ge:a", GetExParams.getExParams().px(200_000)));
        assertEquals(200, ttlSeconds("ge:a"));
        long at = System.currentTimeMillis() / 1000 + 300;
        assertEquals("v", j.getEx("ge:a", GetExParams.getExParams().exAt(at)));
        assertEquals(at * 1000, EngineProbe.expireAt(server, "ge:a"));
        assertEquals("v", j.getEx("ge:a", GetExParams.getExParams().pxAt(at * 1000 + 5)));
        assertEquals(at * 1000 + 5, EngineProbe.expireAt(server, "ge:a"));
        assertEquals("v", j.getEx("ge:a", GetExParams.getExParams().persist()));
        assertEquals(-1, EngineProbe.pttl(server, "ge:a"));
        // An absolute time already past deletes the key after replying with it.
        assertEquals("v", j.getEx("ge:a", GetExParams.getExParams().exAt(1)));
        assertEquals(-2, EngineProbe.pttl(server, "ge:a"));
        assertNull(j.getEx("ge:a", GetExParams.getExParams().ex(10)));
    }

    @Test
    void getexErrors() {
        j.set("gx:a", "v");
        assertError("ERR syntax error", () -> raw(Protocol.Command.GETEX, "gx:a", "PERSIST", "EX", "10"));
        assertError("ERR syntax error", () -> raw(Protocol.Command.GETEX, "gx:a", "EX", "10", "PX", "10"));
        assertError("ERR syntax error", () -> raw(Protocol.Command.GETEX, "gx:a", "KEEPTTL"));
        assertError("ERR syntax error", () -> raw(Protocol.Command.GETEX, "gx:a", "NX"));
        assertError("ERR syntax error", () -> raw(Protocol.Command.GETEX, "gx:a", "EX"));
        assertError("ERR value is not an integer or out of range", () -> raw(Protocol.Command.GETEX, "gx:a", "EX", "1x"));
        assertError("ERR invalid expire time in 'getex' command", () -> raw(Protocol.Command.GETEX, "gx:a", "PX", "0"));
        // A missing key answers nil before the expire argument is looked at; so does WRONGTYPE.
        assertNull(raw(Protocol.Command.GETEX, "gx:none", "EX", "abc"));
        EngineProbe.putList(server, "gx:list");
        assertError("WRONGTYPE Operation against a key holding the wrong kind of value",
                () -> raw(Protocol.Command.GETEX, "gx:list", "EX", "abc"));
        assertEquals("v", str(raw(Protocol.Command.GETEX, "gx:a", "PERSIST", "PERSIST")));
    }

    // ---- MGET / MSET / MSETNX ----

    @Test
    void multiKey() {
        assertEquals("OK", j.mset("mk:a", "1", "mk:b", "two"));
        EngineProbe.putList(server, "mk:list");
        assertEquals(Arrays.asList("1", "two", null, null), j.mget("mk:a", "mk:b", "mk:none", "mk:list"));
        assertEquals("int", EngineProbe.encoding(server, "mk:a"));
        assertEquals(0, j.msetnx("mk:a", "x", "mk:c", "y"));
        assertNull(j.get("mk:c"));
        assertEquals(1, j.msetnx("mk:c", "x", "mk:d", "y"));
        assertEquals(Arrays.asList("x", "y"), j.mget("mk:c", "mk:d"));
        j.setex("mk:ttl", 100, "v");
        j.mset("mk:ttl", "w");
        assertEquals(-1, EngineProbe.pttl(server, "mk:ttl"));
        // The last of duplicate keys wins.
        j.mset("mk:dup", "1", "mk:dup", "2");
        assertEquals("2", j.get("mk:dup"));
        assertError("ERR wrong number of arguments for 'mset' command", () -> raw(Protocol.Command.MSET, "a", "b", "c"));
        assertError("ERR wrong number of arguments for 'msetnx' command", () -> raw(Protocol.Command.MSETNX, "a", "b", "c"));
        assertError("ERR wrong number of arguments for 'mset' command", () -> raw(Protocol.Command.MSET, "a"));
    }

    // ---- APPEND / STRLEN / GETRANGE / SETRANGE ----

    @Test
    void appendAndStrlen() {
        assertEquals(3, j.append("ap:a", "123"));
        assertEquals("int", EngineProbe.encoding(server, "ap:a"));
        assertEquals(3, j.append("ap:a", ""));
        assertEquals("raw", EngineProbe.encoding(server, "ap:a"), "APPEND always leaves a raw string");
        assertEquals(6, j.append("ap:a", "abc"));
        assertEquals("123abc", j.get("ap:a"));
        assertEquals(6, j.strlen("ap:a"));
        assertEquals(0, j.strlen("ap:none"));
        j.setex("ap:ttl", 100, "v");
        j.append("ap:ttl", "w");
        assertEquals(100, ttlSeconds("ap:ttl"));
        EngineProbe.putList(server, "ap:list");
        assertError("WRONGTYPE Operation against a key holding the wrong kind of value", () -> j.append("ap:list", "x"));
        assertError("WRONGTYPE Operation against a key holding the wrong kind of value", () -> j.strlen("ap:list"));
    }

    @Test
    void appendAndSetrangeRespectProtoMaxBulkLen() {
        byte[] big = new byte[1024 * 1024];
        j.set("lim:a".getBytes(), big);
        assertError("ERR string exceeds maximum allowed size (proto-max-bulk-len)", () -> j.append("lim:a", "x"));
        assertEquals(1024 * 1024, j.strlen("lim:a"));
        assertEquals(1024 * 1024, j.setrange("lim:b", 1024 * 1024 - 1, "x"));
        assertError("ERR string exceeds maximum allowed size (proto-max-bulk-len)", () -> j.setrange("lim:c", 1024 * 1024, "x"));
        assertError("ERR string exceeds maximum allowed size (proto-max-bulk-len)",
                () -> j.setrange("lim:c", Long.MAX_VALUE, "x"));
        assertNull(j.get("lim:c"));
    }

    @Test
    void getrange() {
        j.set("gr:a", "Hello World");
        assertEquals("Hello", j.getrange("gr:a", 0, 4));
        assertEquals("World", j.getrange("gr:a", -5, -1));
        assertEquals("", j.getrange("gr:a", -1, -5));
        assertEquals("H", j.getrange("gr:a", 0, -100));
        assertEquals("Hello World", j.getrange("gr:a", -100, 100));
        assertEquals("", j.getrange("gr:a", 5, 3));
        assertEquals("d", j.getrange("gr:a", 10, Long.MAX_VALUE));
        assertEquals("", j.getrange("gr:a", 11, 20));
        assertEquals("", j.getrange("gr:none", 0, 10));
        j.set("gr:int", "-12345");
        assertEquals("123", j.getrange("gr:int", 1, 3));
        assertEquals("ello", j.substr("gr:a", 1, 4));
        assertError("ERR value is not an integer or out of range", () -> raw(Protocol.Command.GETRANGE, "gr:a", "x", "1"));
        assertError("ERR value is not an integer or out of range", () -> raw(Protocol.Command.GETRANGE, "gr:none", "0", "1.5"));
        EngineProbe.putList(server, "gr:list");
        assertError("WRONGTYPE Operation against a key holding the wrong kind of value", () -> j.getrange("gr:list", 0, 1));
    }

    @Test
    void setrange() {
        j.set("sr:a", "Hello World");
        assertEquals(11, j.setrange("sr:a", 6, "Redis"));
        assertEquals("Hello Redis", j.get("sr:a"));
        assertEquals("raw", EngineProbe.encoding(server, "sr:a"));
        assertEquals(13, j.setrange("sr:a", 11, "!!"));
        assertEquals(8, j.setrange("sr:b", 5, "abc"));
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 'a', 'b', 'c'}, j.get("sr:b".getBytes()));
        assertEquals("raw", EngineProbe.encoding(server, "sr:b"));
        // An empty value changes nothing and creates nothing.
        assertEquals(0, j.setrange("sr:none", 100, ""));
        assertNull(j.get("sr:none"));
        j.set("sr:int", "1234");
        assertEquals(4, j.setrange("sr:int", 100, ""));
        assertEquals("int", EngineProbe.encoding(server, "sr:int"));
        assertEquals(4, j.setrange("sr:int", 0, "9"));
        assertEquals("9234", j.get("sr:int"));
        assertEquals("raw", EngineProbe.encoding(server, "sr:int"));
        j.setex("sr:ttl", 100, "v");
        j.setrange("sr:ttl", 0, "w");
        assertEquals(100, ttlSeconds("sr:ttl"));
        assertError("ERR offset is out of range", () -> j.setrange("sr:a", -1, "x"));
        assertError("ERR value is not an integer or out of range", () -> raw(Protocol.Command.SETRANGE, "sr:a", "1.0", "x"));
        EngineProbe.putList(server, "sr:list");
        assertError("WRONGTYPE Operation against a key holding the wrong kind of value", () -> j.setrange("sr:list", 0, "x"));
    }

    @Test
    void setrangeNeverChangesAnArraySharedWithAnotherKey() {
        // MSET stores the argument arrays; a later SETRANGE on one key must not show through elsewhere.
        j.set("sh:a", "aaaa");
        String before = j.get("sh:a");
        j.setrange("sh:a", 0, "b");
        assertEquals("aaaa", before);
        assertEquals("baaa", j.get("sh:a"));
    }

    // ---- counters ----

    @Test
    void incrDecr() {
        assertEquals(1, j.incr("in:a"));
        assertEquals(11, j.incrBy("in:a", 10));
        assertEquals(10, j.decr("in:a"));
        assertEquals(-5, j.decrBy("in:a", 15));
        assertEquals("int", EngineProbe.encoding(server, "in:a"));
        j.setex("in:ttl", 100, "5");
        assertEquals(6, j.incr("in:ttl"));
        assertEquals(100, ttlSeconds("in:ttl"));
        j.set("in:max", Long.toString(Long.MAX_VALUE));
        assertError("ERR increment or decrement would overflow", () -> j.incr("in:max"));
        j.set("in:min", Long.toString(Long.MIN_VALUE));
        assertError("ERR increment or decrement would overflow", () -> j.decr("in:min"));
        assertError("ERR increment or decrement would overflow", () -> j.incrBy("in:min", Long.MIN_VALUE));
        assertError("ERR decrement would overflow", () -> j.decrBy("in:a", Long.MIN_VALUE));
        assertEquals(Long.MIN_VALUE + 5, j.incrBy("in:a", Long.MIN_VALUE + 10));
        for (String bad : List.of(" 1", "1 ", "01", "-0", "+1", "1.0", "", "9223372036854775808", "abc")) {
            j.set("in:bad", bad);
            assertError("ERR value is not an integer or out of range", () -> j.incr("in:bad"));
            assertError("ERR value is not an integer or out of range", () -> raw(Protocol.Command.INCRBY, "in:a", bad));
        }
        EngineProbe.putList(server, "in:list");
        assertError("WRONGTYPE Operation against a key holding the wrong kind of value", () -> j.incr("in:list"));
        // INCRBY checks its increment before looking at the key.
        assertError("ERR value is not an integer or out of range", () -> raw(Protocol.Command.INCRBY, "in:list", "x"));
    }

    @Test
    void incrbyfloat() {
        assertEquals("10.5", str(raw(Protocol.Command.INCRBYFLOAT, "if:a", "10.5")));
        assertEquals("embstr", EngineProbe.encoding(server, "if:a"));
        assertEquals("10.6", str(raw(Protocol.Command.INCRBYFLOAT, "if:a", "0.1")));
        assertEquals("5.6", str(raw(Protocol.Command.INCRBYFLOAT, "if:a", "-5")));
        // 5.6 carries its 64-bit rounding error into the 17th decimal, as in Redis.
        assertEquals("5605.60000000000000009", str(raw(Protocol.Command.INCRBYFLOAT, "if:a", "5.6e3")));
        assertEquals("5613.60000000000000009", str(raw(Protocol.Command.INCRBYFLOAT, "if:a", "0x1p3")));
        j.set("if:int", "3");
        assertEquals("4", str(raw(Protocol.Command.INCRBYFLOAT, "if:int", "1")));
        assertEquals("embstr", EngineProbe.encoding(server, "if:int"), "INCRBYFLOAT never produces an int encoding");
        assertEquals("0.00000381469726562", str(raw(Protocol.Command.INCRBYFLOAT, "if:tie", "0.000003814697265625")));
        assertEquals("0", str(raw(Protocol.Command.INCRBYFLOAT, "if:tiny", "-1e-20")));
        String huge = str(raw(Protocol.Command.INCRBYFLOAT, "if:huge", "1e100"));
        // 1e100 rounded to a 64-bit mantissa, printed in full (the digits redis-server 7.0 prints).
        assertEquals("9999999999999999999669353532207342619498699019828496079271391541752018669482644324418977840117055488",
                huge);
        assertEquals("raw", EngineProbe.encoding(server, "if:huge"));
        j.setex("if:ttl", 100, "1.5");
        raw(Protocol.Command.INCRBYFLOAT, "if:ttl", "1");
        assertEquals(100, ttlSeconds("if:ttl"));
        assertError("ERR increment would produce NaN or Infinity", () -> raw(Protocol.Command.INCRBYFLOAT, "if:a", "inf"));
        j.set("if:max", "1.1e4932");
        assertError("ERR increment would produce NaN or Infinity", () -> raw(Protocol.Command.INCRBYFLOAT, "if:max", "1.1e4932"));
        for (String bad : List.of("nan", " 1", "1 ", "", "1e", "0x", "abc", "1e5000", "1e-5000", "--1")) {
            assertError("ERR value is not a valid float", () -> raw(Protocol.Command.INCRBYFLOAT, "if:a", bad));
        }
        j.set("if:text", "hello");
        assertError("ERR value is not a valid float", () -> raw(Protocol.Command.INCRBYFLOAT, "if:text", "1"));
        EngineProbe.putList(server, "if:list");
        assertError("WRONGTYPE Operation against a key holding the wrong kind of value",
                () -> raw(Protocol.Command.INCRBYFLOAT, "if:list", "abc"));
        assertEquals("5613.60000000000000009", j.get("if:a"));
    }

    // ---- LCS ----

    @Test
    void lcs() {
        j.mset("lc:a", "ohmytext", "lc:b", "mynewtext");
        assertEquals("mytext", j.lcs("lc:a", "lc:b", LCSParams.LCSParams()).getMatchString());
        assertEquals(6, j.lcs("lc:a", "lc:b", LCSParams.LCSParams().len()).getLen());
        LCSMatchResult r = j.lcs("lc:a", "lc:b", LCSParams.LCSParams().idx().withMatchLen());
        assertEquals(6, r.getLen());
        assertEquals(2, r.getMatches().size());
        LCSMatchResult.MatchedPosition first = r.getMatches().get(0);
        assertEquals(List.of(4L, 7L, 5L, 8L, 4L), List.of(first.getA().getStart(), first.getA().getEnd(),
                first.getB().getStart(), first.getB().getEnd(), first.getMatchLen()));
        LCSMatchResult.MatchedPosition second = r.getMatches().get(1);
        assertEquals(List.of(2L, 3L, 0L, 1L, 2L), List.of(second.getA().getStart(), second.getA().getEnd(),
                second.getB().getStart(), second.getB().getEnd(), second.getMatchLen()));
        r = j.lcs("lc:a", "lc:b", LCSParams.LCSParams().idx().minMatchLen(4));
        assertEquals(1, r.getMatches().size());
        assertEquals("", j.lcs("lc:none", "lc:b", LCSParams.LCSParams()).getMatchString());
        assertError("ERR If you want both the length and indexes, please just use IDX.",
                () -> raw(Protocol.Command.LCS, "lc:a", "lc:b", "LEN", "IDX"));
        assertError("ERR syntax error", () -> raw(Protocol.Command.LCS, "lc:a", "lc:b", "MINMATCHLEN"));
        assertError("ERR syntax error", () -> raw(Protocol.Command.LCS, "lc:a", "lc:b", "IDX", "LEN", "FOO"));
        assertError("ERR value is not an integer or out of range",
                () -> raw(Protocol.Command.LCS, "lc:a", "lc:b", "MINMATCHLEN", "x"));
        EngineProbe.putList(server, "lc:list");
        assertError("ERR The specified keys must contain string values", () -> raw(Protocol.Command.LCS, "lc:a", "lc:list"));
        // Table larger than proto-max-bulk-len (1mb here): 600 * 600 * 4 bytes.
        j.set("lc:big1", "a".repeat(600));
        j.set("lc:big2", "b".repeat(600));
        assertError("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len",
                () -> raw(Protocol.Command.LCS, "lc:big1", "lc:big2"));
    }

    // ---- bookkeeping: dirty counter and WATCH ----

    @Test
    void dirtyCountsAsRedis() {
        long d0 = EngineProbe.dirty(server);
        j.set("dc:a", "1");
        j.mset("dc:b", "1", "dc:c", "2", "dc:d", "3");
        j.setrange("dc:a", 0, "");   // no change: not counted
        j.getEx("dc:a", GetExParams.getExParams().persist()); // no TTL to remove: not counted
        j.append("dc:a", "");         // counted, as Redis does
        j.incr("dc:e");
        j.setnx("dc:a", "x");         // refused: not counted
        j.getDel("dc:b");
        assertEquals(1 + 3 + 1 + 1 + 1, EngineProbe.dirty(server) - d0);
    }

    @Test
    void writesInvalidateWatch() {
        String[][] writes = {
            {"SET", "w:k", "x"}, {"SETNX", "w:new1", "x"}, {"APPEND", "w:k", "y"}, {"SETRANGE", "w:k", "0", "z"},
            {"INCRBYFLOAT", "w:n", "1.5"}, {"GETEX", "w:k", "EX", "100"}, {"GETEX", "w:k", "PERSIST"},
            {"MSET", "w:k", "1"}, {"INCR", "w:k"}, {"GETSET", "w:k", "2"}, {"GETDEL", "w:k"},
        };
        try (Jedis other = server.jedis()) {
            for (String[] w : writes) {
                j.setex("w:k", 100, "1");
                j.set("w:n", "1");
                j.watch(w[1]);
                other.sendCommand(Protocol.Command.valueOf(w[0]), Arrays.copyOfRange(w, 1, w.length));
                Transaction tx = j.multi();
                tx.get("w:k");
                assertNull(tx.exec(), w[0] + " must invalidate WATCH");
            }
        }
        j.set("w:k", "1");
        j.watch("w:k");
        j.getEx("w:k", GetExParams.getExParams().persist()); // nothing to change
        j.setrange("w:k", 0, "");
        Transaction tx = j.multi();
        tx.get("w:k");
        assertEquals(List.of("1"), tx.exec());
    }

    @Test
    void everyStringCommandIsRegistered() {
        for (String name : List.of("get", "set", "setnx", "setex", "psetex", "getset", "getdel", "getex", "mget", "mset",
                "msetnx", "append", "strlen", "incr", "decr", "incrby", "decrby", "incrbyfloat", "getrange", "setrange",
                "substr", "lcs")) {
            assertTrue(server.server().engine().commands.lookup(name.getBytes()) != null, name);
        }
    }
}
