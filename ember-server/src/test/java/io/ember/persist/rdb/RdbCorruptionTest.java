package io.ember.persist.rdb;

import static io.ember.persist.rdb.RdbDataset.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.ember.config.ServerConfig;
import io.ember.testing.RawConnection;
import io.ember.testing.RedisServerProcess;
import io.ember.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Broken input never gets past the decoder as anything but {@link RdbFormatException}: truncated
 * files (at many offsets), flipped bytes, unknown opcodes, wrong magic, a too-new version refuse
 * the start-up with a message naming the problem and its offset; thousands of corrupted DUMP
 * payloads (random flips with a recomputed CRC, so the decoder really sees them) are either
 * decoded into a valid value or refused, and the server stays healthy.
 */
class RdbCorruptionTest {
    private static byte[] file;
    private static final List<byte[]> payloads = new ArrayList<>();

    @BeforeAll
    static void dataset() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start(); Jedis j = new Jedis("127.0.0.1", redis.port())) {
            RdbDataset.populate(j, 3);
            for (int db : RdbDataset.DBS) {
                j.select(db);
                for (byte[] k : j.keys(b("*"))) {
                    byte[] p = j.dump(k);
                    if (p.length < 6000) payloads.add(p);
                }
            }
            j.select(0);
            j.save();
            file = Files.readAllBytes(redis.dir().resolve("dump.rdb"));
        }
    }

    @AfterAll
    static void done() {
        payloads.clear();
    }

    /** Reads a whole file image through the same reader the loader uses, counting keys. */
    static long read(byte[] image) throws IOException {
        RdbReader reader = new RdbReader(RdbInput.of(new ByteArrayInputStream(image), image.length), new ServerConfig());
        long[] n = {0};
        reader.load((db, key, value, expireAtMs, idle, freq, offset) -> n[0]++);
        return n[0];
    }

    static RdbFormatException refused(byte[] image) {
        try {
            read(image);
        } catch (RdbFormatException e) {
            return e;
        } catch (Throwable t) {
            throw new AssertionError("not a format error: " + t, t);
        }
        throw new AssertionError("accepted");
    }

    @Test
    void theIntactFileReads() throws IOException {
        long n = read(file);
        assertTrue(n >= 35, n + " keys in " + file.length + " bytes");
    }

    @Test
    void truncationAtAnyOffsetIsAFormatError() {
        int step = Math.max(1, file.length / 400);
        for (int len = 0; len < file.length; len += (len < 200 ? 1 : step)) {
            RdbFormatException e = refused(Arrays.copyOf(file, len));
            assertTrue(e.offset() <= len, "offset " + e.offset() + " past " + len);
        }
        RdbFormatException e = refused(Arrays.copyOf(file, file.length - 1));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void aFlippedByteIsACrcMismatch() {
        byte[] broken = file.clone();
        int at = indexOf(broken, b("hello world"));
        broken[at] ^= 0x20;
        RdbFormatException e = refused(broken);
        assertTrue(e.getMessage().contains("Wrong RDB checksum"), e.getMessage());
        assertEquals(file.length - 8, e.offset());
    }

    @Test
    void everySingleByteFlipIsRefusedOrDetected() {
        Random r = new Random(11);
        for (int i = 0; i < 300; i++) {
            byte[] broken = file.clone();
            broken[9 + r.nextInt(broken.length - 9)] ^= (byte) (1 + r.nextInt(255));
            refused(broken);
        }
    }

    @Test
    void badHeadersAndOpcodes() {
        assertTrue(refused(b("REDIX0010\u00ff")).getMessage().contains("Wrong signature"));
        assertTrue(refused(new TestRdbWriter().header(12).finish(true)).getMessage().contains("Can't handle RDB format version 12"));
        byte[] unknown = new TestRdbWriter().header(10).selectDb(0).u8(30).string("k").string("v").finish(true);
        RdbFormatException e = refused(unknown);
        assertTrue(e.getMessage().contains("Unknown RDB type or opcode 30"), e.getMessage());
        assertEquals(11, e.offset());
        assertTrue(refused(new TestRdbWriter().header(10).selectDb(16).finish(true)).getMessage().contains("databases"));
        assertTrue(refused(new TestRdbWriter().header(10).u8(Rdb.OPCODE_FUNCTION).string("x").finish(true))
                .getMessage().contains("Pre-GA function format not supported"));
        assertTrue(refused(new TestRdbWriter().header(10).selectDb(0).key(Rdb.TYPE_MODULE_2, "m").length(0).finish(true))
                .getMessage().contains("not supported"));
        byte[] dup = new TestRdbWriter().header(10).selectDb(0).key(0, "k").string("a").key(0, "k").string("b").finish(true);
        // Duplicate keys are the loader's check (startupRefusesBadFiles): the reader hands both over.
        assertEquals(2, assertDoesNotThrowRead(dup));
        byte[] dupSet = new TestRdbWriter().header(10).selectDb(0).key(Rdb.TYPE_SET, "s").length(2).string("a").string("a").finish(true);
        assertTrue(refused(dupSet).getMessage().contains("Duplicate set members"));
        byte[] badZiplist = new TestRdbWriter().header(9).selectDb(0).key(Rdb.TYPE_LIST_ZIPLIST, "l").string(new byte[] {11, 0, 0, 0}).finish(true);
        assertTrue(refused(badZiplist).getMessage().contains("ziplist integrity"));
        byte[] badLzf = new TestRdbWriter().header(10).selectDb(0).key(0, "k").u8(0xC3).length(3).length(1000).raw(new byte[] {(byte) 0xE0, 5, 6})
                .finish(true);
        assertTrue(refused(badLzf).getMessage().contains("LZF"));
        byte[] hugeLength = new TestRdbWriter().header(10).selectDb(0).key(0, "k").u8(0x81).raw(new byte[] {0x40, 0, 0, 0, 0, 0, 0, 0}).finish(true);
        assertTrue(refused(hugeLength).getMessage().contains("Impossible string length"), refused(hugeLength).getMessage());
    }

    private static long assertDoesNotThrowRead(byte[] image) {
        try {
            return read(image);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Start-up refuses a bad file with the reason and the offset, and accepts no partial load. */
    @Test
    void startupRefusesBadFiles() throws Exception {
        Path dir = Files.createTempDirectory("ember-corrupt");
        try {
            Files.write(dir.resolve("dump.rdb"), Arrays.copyOf(file, file.length / 2));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> TestServer.start("--dir", dir.toString()));
            assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("offset"), e.getMessage());
            byte[] dup = new TestRdbWriter().header(10).selectDb(0).key(0, "k").string("a").key(0, "k").string("b").finish(true);
            Files.write(dir.resolve("dump.rdb"), dup);
            e = assertThrows(IllegalStateException.class, () -> TestServer.start("--dir", dir.toString()));
            assertTrue(e.getMessage().contains("RDB has duplicated key 'k' in DB 0"), e.getMessage());
            Files.write(dir.resolve("dump.rdb"), new TestRdbWriter().header(12).finish(true));
            e = assertThrows(IllegalStateException.class, () -> TestServer.start("--dir", dir.toString()));
            assertTrue(e.getMessage().contains("Can't handle RDB format version 12"), e.getMessage());
            // checksum off: the flipped byte goes unnoticed, as with redis's rdbchecksum no
            byte[] flipped = file.clone();
            flipped[indexOf(flipped, b("hello world"))] ^= 0x20;
            Files.write(dir.resolve("dump.rdb"), flipped);
            try (TestServer ok = TestServer.start("--dir", dir.toString(), "--rdbchecksum", "no"); Jedis j = ok.jedis()) {
                assertEquals("Hello world", j.get("s:embstr"));
            }
        } finally {
            TestServer.deleteTree(dir);
        }
    }

    /** Thousands of corrupted payloads through the decoder: a valid value or a format error, nothing else. */
    @Test
    void corruptPayloadsDecodeOrFailCleanly() {
        Random r = new Random(5);
        RdbValueReader reader = new RdbValueReader(new ServerConfig());
        int accepted = 0;
        for (int i = 0; i < 4000; i++) {
            byte[] p = corrupt(payloads.get(r.nextInt(payloads.size())), r);
            try {
                RdbValue v = DumpPayload.decode(p, reader);
                if (v != null) accepted++;
            } catch (RdbFormatException e) {
                // refused: fine
            } catch (Throwable t) {
                fail("case " + i + ": " + t, t);
            }
        }
        assertTrue(accepted > 0 && accepted < 4000, "accepted " + accepted);
    }

    /** The same through RESTORE: OK or "Bad data format", and every restored value reads back. */
    @Test
    void corruptRestoresLeaveTheServerHealthy() {
        Random r = new Random(9);
        try (TestServer ember = TestServer.start("--enable-debug-command", "yes"); RawConnection c = ember.raw()) {
            for (int i = 0; i < 600; i++) {
                byte[] p = corrupt(payloads.get(r.nextInt(payloads.size())), r);
                String reply = new String(c.callBytes(b("RESTORE"), b("k" + i), b("0"), p), StandardCharsets.ISO_8859_1);
                assertTrue(reply.equals("+OK\r\n") || reply.equals("-ERR Bad data format\r\n"), reply);
                if (reply.startsWith("+")) {
                    assertTrue(c.call("DEBUG", "DIGEST-VALUE", "k" + i)[0] == '*');
                    String type = new String(c.call("TYPE", "k" + i), StandardCharsets.ISO_8859_1);
                    byte[] read = switch (type) {
                        case "+list\r\n" -> c.call("LRANGE", "k" + i, "0", "-1");
                        case "+set\r\n" -> c.call("SMEMBERS", "k" + i);
                        case "+zset\r\n" -> c.call("ZRANGE", "k" + i, "0", "-1", "WITHSCORES");
                        case "+hash\r\n" -> c.call("HGETALL", "k" + i);
                        case "+stream\r\n" -> {
                            assertTrue(c.call("XINFO", "STREAM", "k" + i, "FULL")[0] == '*');
                            yield c.call("XRANGE", "k" + i, "-", "+");
                        }
                        default -> c.call("GET", "k" + i);
                    };
                    assertTrue(read[0] == '*' || read[0] == '$', new String(read, StandardCharsets.ISO_8859_1));
                    c.call("DEL", "k" + i);
                }
            }
            assertEquals("+PONG\r\n", new String(c.call("PING"), StandardCharsets.ISO_8859_1));
        }
    }

    /** 1-3 random byte changes in the body, then a valid footer (version 10, recomputed CRC). */
    static byte[] corrupt(byte[] payload, Random r) {
        byte[] body = Arrays.copyOf(payload, payload.length - 10);
        int flips = 1 + r.nextInt(3);
        for (int k = 0; k < flips; k++) {
            int at = r.nextInt(body.length);
            body[at] = r.nextInt(4) == 0 ? (byte) r.nextInt(256) : (byte) (body[at] ^ (1 << r.nextInt(8)));
        }
        if (r.nextInt(10) == 0) body = Arrays.copyOf(body, r.nextInt(body.length + 1)); // truncated too
        return RestoreCompatibilityTest.withFooter(body, 10);
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int k = 0; k < needle.length; k++) if (hay[i + k] != needle[k]) continue outer;
            return i;
        }
        throw new AssertionError("not found");
    }
}
