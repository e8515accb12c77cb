package io.ember.type;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.resp.RespReader;
import io.ember.resp.RespValue;
import io.ember.testing.RawConnection;
import io.ember.testing.RedisServerProcess;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The listpack codec produces exactly Redis's bytes and reads them back. */
class ListpackTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Interesting elements: every integer encoding boundary, every string length encoding boundary. */
    private static List<byte[]> samples(Random rnd) {
        List<byte[]> out = new ArrayList<>();
        long[] ints = {0, 1, 127, 128, -1, -4096, 4095, -4097, 4096, 32767, -32768, 32768, -32769, 8388607, -8388608,
                       8388608, 2147483647, -2147483648L, 2147483648L, Long.MAX_VALUE, Long.MIN_VALUE};
        for (long v : ints) out.add(b(Long.toString(v)));
        for (String s : new String[] {"", "a", "01", "-0", "+1", " 1", "1.5", "99999999999999999999"}) out.add(b(s));
        for (int len : new int[] {63, 64, 4095, 4096, 20000}) {
            byte[] s = new byte[len];
            for (int i = 0; i < len; i++) s[i] = (byte) ('a' + rnd.nextInt(26));
            out.add(s);
        }
        return out;
    }

    @Test
    void elementsRoundTripAndNavigateBothWays() {
        Random rnd = new Random(1);
        List<byte[]> elements = samples(rnd);
        byte[] lp = Listpack.empty();
        for (byte[] e : elements) lp = Listpack.append(lp, e);
        assertTrue(Listpack.isValid(lp));
        assertEquals(elements.size(), Listpack.size(lp));
        int i = 0;
        for (int p = Listpack.first(lp); p >= 0; p = Listpack.next(lp, p), i++) {
            assertArrayEquals(elements.get(i), Listpack.get(lp, p), "element " + i);
            assertTrue(Listpack.equals(lp, p, elements.get(i)));
            assertEquals(elements.get(i).length, Listpack.elementLength(lp, p));
        }
        assertEquals(elements.size(), i);
        i = elements.size() - 1;
        for (int p = Listpack.last(lp); p >= 0; p = Listpack.prev(lp, p), i--) {
            assertArrayEquals(elements.get(i), Listpack.get(lp, p));
        }
        assertEquals(-1, i);
        for (int k = -elements.size(); k < elements.size(); k++) {
            int want = k < 0 ? k + elements.size() : k;
            assertArrayEquals(elements.get(want), Listpack.get(lp, Listpack.seek(lp, k)));
        }
        assertEquals(-1, Listpack.seek(lp, elements.size()));
    }

    @Test
    void insertsReplacesAndDeletesKeepTheListpackValid() {
        Random rnd = new Random(2);
        List<byte[]> model = new ArrayList<>();
        byte[] lp = Listpack.empty();
        List<byte[]> pool = samples(rnd);
        for (int step = 0; step < 3000; step++) {
            byte[] e = pool.get(rnd.nextInt(pool.size()));
            int op = rnd.nextInt(5);
            if (model.isEmpty() || op == 0) {
                lp = Listpack.append(lp, e);
                model.add(e);
            } else if (op == 1) {
                lp = Listpack.prepend(lp, e);
                model.add(0, e);
            } else if (op == 2) {
                int idx = rnd.nextInt(model.size());
                lp = Listpack.insertAfter(lp, Listpack.seek(lp, idx), e);
                model.add(idx + 1, e);
            } else if (op == 3) {
                int idx = rnd.nextInt(model.size());
                lp = Listpack.replace(lp, Listpack.seek(lp, idx), e);
                model.set(idx, e);
            } else {
                int idx = rnd.nextInt(model.size());
                int n = 1 + rnd.nextInt(3);
                lp = Listpack.deleteRange(lp, Listpack.seek(lp, idx), n);
                for (int k = 0; k < n && idx < model.size(); k++) model.remove(idx);
            }
            if (model.size() > 60) {
                lp = Listpack.deleteRange(lp, Listpack.first(lp), 30);
                model.subList(0, 30).clear();
            }
            assertTrue(Listpack.isValid(lp), "step " + step);
            assertEquals(model.size(), Listpack.size(lp));
        }
        int i = 0;
        for (int p = Listpack.first(lp); p >= 0; p = Listpack.next(lp, p)) assertArrayEquals(model.get(i++), Listpack.get(lp, p));
    }

    @Test
    void appendPairEqualsTwoAppends() {
        Random rnd = new Random(3);
        List<byte[]> pool = samples(rnd);
        byte[] pairs = Listpack.empty(), singles = Listpack.empty();
        for (int i = 0; i < 500; i++) {
            byte[] a = pool.get(rnd.nextInt(pool.size())), b = pool.get(rnd.nextInt(pool.size()));
            pairs = Listpack.appendPair(pairs, a, b);
            singles = Listpack.append(Listpack.append(singles, a), b);
            assertArrayEquals(singles, pairs, "pair " + i);
        }
        assertTrue(Listpack.isValid(pairs));
        assertEquals(1000, Listpack.size(pairs));
    }

    @Test
    void findSkipsValuesOfPairs() {
        byte[] lp = Listpack.empty();
        for (String s : new String[] {"f1", "v", "v", "f1", "10", "x"}) lp = Listpack.append(lp, b(s));
        assertEquals(Listpack.seek(lp, 4), Listpack.find(lp, Listpack.first(lp), b("10"), 1));
        assertEquals(Listpack.seek(lp, 2), Listpack.find(lp, Listpack.first(lp), b("v"), 1)); // not the value at 1
        assertEquals(-1, Listpack.find(lp, Listpack.first(lp), b("x"), 1));
        assertEquals(Listpack.seek(lp, 5), Listpack.find(lp, Listpack.first(lp), b("x"), 0));
    }

    @Test
    void corruptListpacksAreRejected() {
        byte[] lp = Listpack.empty();
        for (String s : new String[] {"a", "12345", "hello world"}) lp = Listpack.append(lp, b(s));
        assertTrue(Listpack.isValid(lp));
        byte[] bad = lp.clone();
        bad[bad.length - 1] = 0;
        assertFalse(Listpack.isValid(bad));
        bad = lp.clone();
        bad[4] = 9; // wrong element count
        assertFalse(Listpack.isValid(bad));
        bad = Arrays.copyOf(lp, lp.length - 1);
        assertFalse(Listpack.isValid(bad));
        bad = lp.clone();
        bad[Listpack.HEADER_SIZE] = (byte) 0xF7; // unused encoding
        assertFalse(Listpack.isValid(bad));
    }

    /**
     * The bytes are Redis's: a small hash DUMPed by redis-server (compression off) carries its
     * listpack verbatim; building the same field/value sequence here gives the same bytes.
     */
    @Test
    void bytesAreIdenticalToRedisListpacks() {
        Random rnd = new Random(3);
        List<byte[]> pool = samples(rnd);
        try (RedisServerProcess redis = RedisServerProcess.start("--rdbcompression", "no",
                "--hash-max-listpack-value", "100000", "--hash-max-listpack-entries", "1000");
             RawConnection c = redis.raw()) {
            for (int round = 0; round < 20; round++) {
                c.call("DEL", "h");
                byte[] lp = Listpack.empty();
                List<byte[]> fields = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    byte[] field = (round % 2 == 0) ? b("f" + i) : pool.get(rnd.nextInt(pool.size()));
                    byte[] value = pool.get(rnd.nextInt(pool.size()));
                    boolean known = fields.stream().anyMatch(f -> Arrays.equals(f, field));
                    if (known) continue;
                    fields.add(field);
                    c.callBytes(b("HSET"), b("h"), field, value);
                    lp = Listpack.append(Listpack.append(lp, field), value);
                }
                byte[] dump = ((RespValue.Bulk) new RespReader(c.call("DUMP", "h")).read()).value();
                assertEquals(16, dump[0], "RDB_TYPE_HASH_LISTPACK");
                assertArrayEquals(lp, rdbString(dump, 1), "round " + round);
            }
        }
    }

    /** Decodes an uncompressed RDB string (length-prefixed) at {@code at}; IntsetTest uses it too. */
    static byte[] rdbString(byte[] b, int at) {
        int first = b[at] & 0xff;
        int len, start;
        switch (first >> 6) {
            case 0 -> { len = first & 0x3F; start = at + 1; }
            case 1 -> { len = ((first & 0x3F) << 8) | (b[at + 1] & 0xff); start = at + 2; }
            default -> {
                if (first != 0x80) throw new IllegalStateException("unexpected RDB length encoding " + first);
                len = (b[at + 1] & 0xff) << 24 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 8 | (b[at + 4] & 0xff);
                start = at + 5;
            }
        }
        return Arrays.copyOfRange(b, start, start + len);
    }
}
