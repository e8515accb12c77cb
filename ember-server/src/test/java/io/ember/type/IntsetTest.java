package io.ember.type;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.engine.Database;
import io.ember.resp.RespReader;
import io.ember.resp.RespValue;
import io.ember.testing.RawConnection;
import io.ember.testing.RedisServerProcess;
import io.ember.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The intset codec produces exactly Redis's bytes, upgrades its width as Redis does, and searches right. */
class IntsetTest {

    /** Values around every width boundary, plus small ones. */
    private static final long[] EDGES = {
        0, 1, -1, 127, 128, -128, -129, Short.MAX_VALUE, Short.MIN_VALUE, Short.MAX_VALUE + 1, Short.MIN_VALUE - 1,
        Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE + 1L, Integer.MIN_VALUE - 1L, Long.MAX_VALUE, Long.MIN_VALUE,
    };

    private static long randomValue(Random rnd, int round) {
        return switch (rnd.nextInt(round % 3 == 0 ? 2 : 5)) {
            case 0 -> rnd.nextInt(200) - 100;
            case 1 -> rnd.nextInt(70000) - 35000;
            case 2 -> EDGES[rnd.nextInt(EDGES.length)];
            case 3 -> rnd.nextLong() >> rnd.nextInt(64);
            default -> (long) rnd.nextInt();
        };
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * A set of integers DUMPed by redis-server (compression off) is type 11 followed by the intset
     * as an RDB string. The same SADD/SREM sequence gives the same bytes here, both through the
     * codec and as the value Ember's SADD/SREM store.
     */
    @Test
    void bytesAreIdenticalToRedisIntsets() {
        Random rnd = new Random(11);
        try (RedisServerProcess redis = RedisServerProcess.start("--rdbcompression", "no", "--set-max-intset-entries", "10000");
             RawConnection c = redis.raw();
             TestServer ember = TestServer.start("--set-max-intset-entries", "10000");
             RawConnection e = ember.raw()) {
            for (int round = 0; round < 40; round++) {
                c.call("DEL", "s");
                e.call("DEL", "s");
                byte[] is = Intset.empty();
                int n = round < 30 ? 1 + rnd.nextInt(20) : 300 + rnd.nextInt(300);
                for (int i = 0; i < n; i++) {
                    long v = randomValue(rnd, round);
                    String cmd = Intset.length(is) > 2 && rnd.nextInt(5) == 0 ? "SREM" : "SADD";
                    if (cmd.equals("SREM")) v = Intset.get(is, rnd.nextInt(Intset.length(is)));
                    c.call(cmd, "s", Long.toString(v));
                    e.call(cmd, "s", Long.toString(v));
                    is = cmd.equals("SADD") ? Intset.add(is, v) : Intset.remove(is, v);
                }
                if (Intset.length(is) == 0) continue;
                byte[] dump = ((RespValue.Bulk) new RespReader(c.call("DUMP", "s")).read()).value();
                assertEquals(11, dump[0], "RDB_TYPE_SET_INTSET");
                byte[] redisBytes = ListpackTest.rdbString(dump, 1);
                assertArrayEquals(redisBytes, is, "codec, round " + round);
                assertArrayEquals(redisBytes, storedValue(ember, "s"), "SADD/SREM in Ember, round " + round);
                assertEquals(redisBytes.length, Intset.blobLength(is));
                assertTrue(Intset.isValid(is));
            }
        }
    }

    /** The value object Ember keeps for {@code key} in db 0, read on the engine thread. */
    private static byte[] storedValue(TestServer s, String key) {
        try {
            return s.server().engine().loop().submit(() -> {
                Database db = s.server().engine().db(0);
                return (byte[]) db.value(db.table().find(b(key)));
            }).get();
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Test
    void upgradesWidenEveryValueAndNeverNarrow() {
        byte[] is = Intset.empty();
        assertEquals(Intset.ENC_INT16, Intset.encoding(is));
        is = Intset.add(Intset.add(is, 5), -3);
        assertEquals(Intset.ENC_INT16, Intset.encoding(is));
        is = Intset.add(is, -70000); // below everything: goes first
        assertEquals(Intset.ENC_INT32, Intset.encoding(is));
        assertEquals(List.of(-70000L, -3L, 5L), values(is));
        is = Intset.add(is, 5_000_000_000L); // above everything: goes last
        assertEquals(Intset.ENC_INT64, Intset.encoding(is));
        assertEquals(List.of(-70000L, -3L, 5L, 5_000_000_000L), values(is));
        assertEquals(Intset.HEADER_SIZE + 4 * 8, is.length);
        is = Intset.remove(Intset.remove(is, 5_000_000_000L), -70000);
        assertEquals(Intset.ENC_INT64, Intset.encoding(is), "removing never narrows");
        assertEquals(List.of(-3L, 5L), values(is));
        assertSame(is, Intset.add(is, 5), "adding a member returns the same array");
        assertSame(is, Intset.remove(is, 6), "removing a non-member returns the same array");
        assertSame(is, Intset.remove(is, Long.MAX_VALUE));
        // Ten small integers: 8 header bytes and 2 bytes each, as in Redis.
        byte[] ten = Intset.empty();
        for (int i = 1; i <= 10; i++) ten = Intset.add(ten, i);
        assertEquals(28, ten.length);
    }

    @Test
    void searchFindsMembersAndInsertionPoints() {
        Random rnd = new Random(12);
        for (int round = 0; round < 200; round++) {
            TreeSet<Long> model = new TreeSet<>();
            byte[] is = Intset.empty();
            int n = rnd.nextInt(60);
            for (int i = 0; i < n; i++) {
                long v = randomValue(rnd, round);
                model.add(v);
                is = Intset.add(is, v);
            }
            assertEquals(new ArrayList<>(model), values(is));
            List<Long> sorted = new ArrayList<>(model);
            for (int probe = 0; probe < 50; probe++) {
                long v = probe % 2 == 0 && !sorted.isEmpty() ? sorted.get(rnd.nextInt(sorted.size())) : randomValue(rnd, round);
                int pos = Intset.search(is, v);
                int expected = java.util.Collections.binarySearch(sorted, v);
                assertEquals(expected, pos, "search " + v + " in " + sorted);
                assertEquals(model.contains(v), Intset.contains(is, v));
            }
        }
    }

    @Test
    void validationRejectsMalformedBlobs() {
        byte[] is = Intset.add(Intset.add(Intset.add(Intset.empty(), 1), 2), 3);
        assertTrue(Intset.isValid(is));
        assertFalse(Intset.isValid(Intset.empty()), "Redis refuses an empty intset in a file");
        assertFalse(Intset.isValid(Arrays.copyOf(is, is.length - 1)));
        byte[] unsorted = is.clone();
        unsorted[Intset.HEADER_SIZE] = 9;
        assertFalse(Intset.isValid(unsorted));
        byte[] badEncoding = is.clone();
        badEncoding[0] = 3;
        assertFalse(Intset.isValid(badEncoding));
    }

    private static List<Long> values(byte[] is) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < Intset.length(is); i++) out.add(Intset.get(is, i));
        return out;
    }
}
