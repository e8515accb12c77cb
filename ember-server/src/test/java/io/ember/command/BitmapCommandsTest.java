package io.ember.command;

import static io.ember.testing.LettuceClients.key;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.JedisTestBase;
import io.ember.testing.LettuceClients;
import io.lettuce.core.BitFieldArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.args.BitOP;
import redis.clients.jedis.params.BitPosParams;

/**
 * Bitmaps and HyperLogLogs through the clients applications use: Jedis (RESP2) and Lettuce over
 * RESP2 and RESP3 (BITFIELD's null for a failed overflow), values read back as bytes, encodings,
 * the offset limit, and a sparse HLL growing dense past hll-sparse-max-bytes.
 */
class BitmapCommandsTest extends JedisTestBase {
    static LettuceClients lettuce;

    @BeforeAll
    static void start() {
        startServer("--proto-max-bulk-len", "1mb");
        lettuce = LettuceClients.start();
    }

    @AfterAll
    static void stopLettuce() {
        lettuce.close();
    }

    @Test
    void bitsSetThroughJedisReadBackAsBytes() {
        j.del("bits");
        assertEquals(false, j.setbit("bits", 1, true));
        assertEquals(true, j.setbit("bits", 1, true));
        j.setbit("bits", 7, true);
        j.setbit("bits", 9, true);
        assertArrayEquals(new byte[] {0x41, 0x40}, j.get("bits".getBytes(StandardCharsets.UTF_8)));
        assertEquals(true, j.getbit("bits", 9));
        assertEquals(false, j.getbit("bits", 1000));
        assertEquals(3, j.bitcount("bits"));
        assertEquals(1, j.bitcount("bits", 1, 1));
        assertEquals(1, j.bitpos("bits", true));
        assertEquals(8, j.bitpos("bits", false, new BitPosParams(1))); // from byte 1 on
        assertEquals("raw", j.objectEncoding("bits"));
        j.set("n", "12345");
        assertEquals("int", j.objectEncoding("n"));
        j.setbit("n", 0, false); // '1' = 0x31: bit 0 is already clear, but the value becomes raw
        assertEquals("raw", j.objectEncoding("n"));
        assertEquals("12345", j.get("n"));
    }

    @Test
    void bitopCombinesStringsOfDifferentLengthsAndDeletesAnEmptyResult() {
        j.set("x".getBytes(), new byte[] {1, 2, 3});
        j.set("y".getBytes(), new byte[] {(byte) 0xff});
        assertEquals(3, j.bitop(BitOP.OR, "z", "x", "y"));
        assertArrayEquals(new byte[] {(byte) 0xff, 0x02, 0x03}, j.get("z".getBytes(StandardCharsets.UTF_8)));
        j.set("z", "old");
        assertEquals(0, j.bitop(BitOP.AND, "z", "nothing", "nothing2"));
        assertEquals(false, j.exists("z"));
        // Longs and the byte-wise tail agree with a plain byte loop for every length up to 40.
        for (int len = 0; len <= 40; len++) {
            byte[] a = new byte[len], b = new byte[len / 2];
            for (int i = 0; i < len; i++) a[i] = (byte) (i * 37 + 11);
            for (int i = 0; i < b.length; i++) b[i] = (byte) (i * 91 + 3);
            j.set("la".getBytes(), a);
            j.set("lb".getBytes(), b);
            j.bitop(BitOP.XOR, "lc".getBytes(), "la".getBytes(), "lb".getBytes());
            byte[] want = a.clone();
            for (int i = 0; i < b.length; i++) want[i] ^= b[i];
            if (len > 0) assertArrayEquals(want, j.get("lc".getBytes()), "length " + len);
            long ones = 0;
            for (byte x : want) ones += Integer.bitCount(x & 0xff);
            assertEquals(ones, j.bitcount("lc"), "length " + len);
        }
    }

    @Test
    void offsetsAreLimitedByProtoMaxBulkLen() {
        assertError("ERR bit offset is not an integer or out of range", () -> j.setbit("big", 8L * 1024 * 1024, true));
        assertEquals(false, j.setbit("big", 8L * 1024 * 1024 - 1, true));
        assertEquals(1024 * 1024, j.strlen("big"));
        j.del("big");
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void bitfieldThroughLettuce(ProtocolVersion v) {
        RedisCommands<String, String> r = lettuce.redis(v);
        String k = key(v, "bf");
        r.del(k);
        BitFieldArgs args = BitFieldArgs.Builder.set(BitFieldArgs.unsigned(8), 0, 200)
                .incrBy(BitFieldArgs.unsigned(8), 0, 100)
                .overflow(BitFieldArgs.OverflowType.SAT).incrBy(BitFieldArgs.signed(8), 8, 1000)
                .overflow(BitFieldArgs.OverflowType.FAIL).incrBy(BitFieldArgs.unsigned(4), 16, 20)
                .get(BitFieldArgs.unsigned(8), 0);
        List<Long> out = r.bitfield(k, args);
        assertEquals(Arrays.asList(0L, 44L, 127L, null, 44L), out); // 300 wraps to 44; SAT stops at 127; FAIL is null
        assertNull(out.get(3));
        assertEquals(3L, r.strlen(k));
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void hyperLogLogsCountAndMergeThroughLettuce(ProtocolVersion v) {
        RedisCommands<String, String> r = lettuce.redis(v);
        String a = key(v, "hll:a"), b = key(v, "hll:b"), m = key(v, "hll:m");
        r.del(a, b, m);
        for (int i = 0; i < 1000; i++) r.pfadd(a, "a" + i, "both" + i);
        for (int i = 0; i < 1000; i++) r.pfadd(b, "b" + i, "both" + i);
        long ca = r.pfcount(a), cb = r.pfcount(b), union = r.pfcount(a, b);
        assertTrue(Math.abs(ca - 2000) < 60, "count " + ca);
        assertTrue(Math.abs(cb - 2000) < 60, "count " + cb);
        assertTrue(Math.abs(union - 3000) < 90, "union " + union);
        assertEquals("OK", r.pfmerge(m, a, b));
        assertEquals(union, r.pfcount(m));
        assertEquals(12304L, r.strlen(m)); // 2000 registers set is past 3000 sparse bytes: dense
    }

    @Test
    void sparseHllTurnsDenseAtTheConfiguredSize() {
        j.del("sp");
        j.configSet("hll-sparse-max-bytes", "100");
        try {
            j.pfadd("sp", "a");
            assertEquals("sparse", pfdebugEncoding("sp"));
            for (int i = 0; i < 60 && j.strlen("sp") < 12304; i++) j.pfadd("sp", "e" + i);
            assertEquals(12304, j.strlen("sp"));
            assertEquals("dense", pfdebugEncoding("sp"));
        } finally {
            j.configSet("hll-sparse-max-bytes", "3000");
        }
        assertEquals("3000", j.configGet("hll-sparse-max-bytes").get("hll-sparse-max-bytes"));
    }

    private String pfdebugEncoding(String key) {
        return new String((byte[]) j.sendCommand(() -> "PFDEBUG".getBytes(StandardCharsets.US_ASCII), "encoding", key),
                StandardCharsets.US_ASCII);
    }

    @Test
    void errorsOfNonHllValues() {
        j.set("str", "hello");
        assertError("WRONGTYPE Key is not a valid HyperLogLog string value.", () -> j.pfadd("str", "x"));
        j.pfadd("ok", "x");
        j.setrange("ok", 4, "\u0009");
        assertError("WRONGTYPE Key is not a valid HyperLogLog string value.", () -> j.pfcount("ok"));
        j.lpush("list", "a");
        assertError(WRONGTYPE, () -> j.pfcount("list"));
        assertError(WRONGTYPE, () -> j.setbit("list", 1, true));
    }
}
