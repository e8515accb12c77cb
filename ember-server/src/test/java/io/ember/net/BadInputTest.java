package io.ember.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.RawConnection;
import io.ember.testing.RedisServerProcess;
import io.ember.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;

/**
 * Malformed and hostile input: each request gets the reply redis-server gives (compared on the
 * wire, including whether the connection is then closed), other clients are unaffected and the
 * heap does not grow with what a client merely claims it will send.
 */
class BadInputTest {
    static RedisServerProcess redis;
    static TestServer ember;

    @BeforeAll
    static void start() {
        redis = RedisServerProcess.start();
        ember = TestServer.start();
    }

    @AfterAll
    static void stop() {
        ember.close();
        redis.close();
    }

    /** Everything the server sends back within a short wait, plus whether it closed the connection. */
    static String exchange(int port, byte[] request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(250);
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) >= 0) out.write(buf, 0, n);
                return show(out.toByteArray()) + "<closed>";
            } catch (SocketTimeoutException e) {
                return show(out.toByteArray()) + "<open>";
            } catch (IOException e) {
                return show(out.toByteArray()) + "<closed>";
            }
        }
    }

    static String show(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n");
    }

    static void sameAsRedis(String request) throws IOException {
        byte[] r = request.getBytes(StandardCharsets.ISO_8859_1);
        String expected = exchange(redis.port(), r);
        String actual = exchange(ember.port(), r);
        assertEquals(expected, actual, "reply to " + show(r));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "*abc\r\n", "*3000000000\r\n", "*-5\r\nping\r\n", "*0\r\nping\r\n", "*01\r\n$4\r\nping\r\n",
        "*1\r\n+foo\r\n", "*1\r\n:1\r\n", "*1\r\n$-5\r\n", "*1\r\n$-0\r\n", "*1\r\n$abc\r\n", "*1\r\n$04\r\nping\r\n",
        "*1\r\n$+4\r\nping\r\n", "*1\r\n$600000000\r\n", "*1\r\n$99999999999999999999999\r\n",
        "*1\r\n$0\r\n\r\n", "$4\r\nping\r\n", "*2\r\n$3\r\nget\r\n$1\r\nqz\r\n",
        "\u0000\u0001\u0002garbage\r\nping\r\n", "ping \"unbalanced\r\n", "ping 'a'b\r\n", "ping \"a\"b\r\n",
        "\r\n\r\nping\r\n", "echo \"a\\x41\\n\"\r\n", "POST / HTTP/1.1\r\nHost: x\r\n\r\n", "Host: evil\r\n",
        "*1\r\n$4\r\nping\r\n*1\r\n", "ping\nping\n"
    })
    void malformedRequestsGetRedisReplies(String request) throws IOException {
        sameAsRedis(request);
    }

    @Test
    void oversizedHeaderLinesAreRejectedLikeRedis() throws IOException {
        String digits = "1".repeat(70_000);
        sameAsRedis("*" + digits);
        sameAsRedis("*1\r\n$" + digits);
        sameAsRedis("get " + "k".repeat(70_000));
    }

    @Test
    void binaryJunkIsAnsweredOrClosedAndTheServerGoesOn() throws IOException {
        Random rnd = new Random(42);
        for (int i = 0; i < 30; i++) {
            byte[] junk = new byte[1 + rnd.nextInt(300)];
            rnd.nextBytes(junk);
            String expected = exchange(redis.port(), junk);
            String actual = exchange(ember.port(), junk);
            assertEquals(expected, actual, "junk #" + i);
        }
        try (Jedis j = ember.jedis()) {
            assertEquals("PONG", j.ping());
        }
    }

    @Test
    void aClaimOf600MegabytesIsRefusedWithoutAllocating() throws IOException {
        long before = usedHeapAfterGc();
        try (RawConnection c = ember.raw()) {
            c.send("*1\r\n$600000000\r\n");
            assertEquals("-ERR Protocol error: invalid bulk length\r\n", new String(c.readReply(), StandardCharsets.ISO_8859_1));
            assertTrue(c.isClosedByPeer(2000));
        }
        assertTrue(usedHeapAfterGc() - before < 64L << 20, "heap grew after a 600 MB claim");
    }

    @Test
    void aValidButUnsentLargeBulkDoesNotReserveMemory() throws Exception {
        long before = usedHeapAfterGc();
        long directBefore = nettyDirectMemory();
        try (RawConnection c = ember.raw()) {
            c.send("*3\r\n$3\r\nset\r\n$1\r\nk\r\n$500000000\r\nonly-a-few-bytes");
            Thread.sleep(200);
            try (Jedis other = ember.jedis()) {
                assertEquals("PONG", other.ping());
            }
            assertTrue(usedHeapAfterGc() - before < 64L << 20, "heap grew for an unsent bulk");
            assertTrue(nettyDirectMemory() - directBefore < 64L << 20, "direct memory grew for an unsent bulk");
        }
    }

    @Test
    void aClientThatSendsHalfACommandAndStallsDoesNotBlockOthers() throws Exception {
        try (RawConnection stalled = ember.raw(); Jedis other = ember.jedis()) {
            stalled.send("*3\r\n$3\r\nset\r\n$5\r\nhalfk\r\n$5\r\nva");
            Thread.sleep(100);
            other.set("x", "1");
            assertEquals("1", other.get("x"));
            assertEquals(null, other.get("halfk"));
            stalled.send("lue\r\n");
            assertEquals("+OK\r\n", new String(stalled.readReply(), StandardCharsets.ISO_8859_1));
            assertEquals("value", other.get("halfk"));
        }
    }

    @Test
    void requestsSplitIntoSingleBytesAndPipelinesAreAllAnswered() {
        try (RawConnection c = ember.raw()) {
            StringBuilder pipeline = new StringBuilder();
            for (int i = 0; i < 20; i++) pipeline.append("*3\r\n$3\r\nset\r\n$2\r\nk").append(i % 10).append("\r\n$1\r\nv\r\n");
            pipeline.append("PING\r\n");
            byte[] bytes = pipeline.toString().getBytes(StandardCharsets.ISO_8859_1);
            for (byte b : bytes) c.send(new byte[] {b});
            for (int i = 0; i < 20; i++) assertArrayEquals("+OK\r\n".getBytes(), c.readReply());
            assertArrayEquals("+PONG\r\n".getBytes(), c.readReply());
        }
    }

    @Test
    void queryBufferLimitClosesTheClientWithoutReply() throws Exception {
        try (TestServer small = TestServer.start("--client-query-buffer-limit", "1mb")) {
            try (RawConnection c = small.raw(); Jedis other = small.jedis()) {
                c.send("*3\r\n$3\r\nset\r\n$1\r\nk\r\n$3000000\r\n");
                try {
                    c.send(new byte[2_000_000]);
                } catch (java.io.UncheckedIOException reset) {
                    // the server closed the connection while the rest was still being sent
                }
                assertTrue(c.isClosedByPeer(3000));
                assertEquals("PONG", other.ping());
            }
        }
    }

    @Test
    void unauthenticatedClientsHaveTighterLimits() throws IOException {
        try (RedisServerProcess r = RedisServerProcess.start("--requirepass", "secret");
             TestServer e = TestServer.start("--requirepass", "secret")) {
            for (String req : new String[] {"*20\r\n", "*1\r\n$20000\r\n", "get k\r\n",
                                            "*2\r\n$4\r\nauth\r\n$5\r\nwrong\r\n", "*2\r\n$4\r\nauth\r\n$6\r\nsecret\r\nping\r\n"}) {
                byte[] b = req.getBytes(StandardCharsets.ISO_8859_1);
                assertEquals(exchange(r.port(), b), exchange(e.port(), b), show(b));
            }
        }
    }

    @Test
    void otherClientsAreUnaffectedByAProtocolError() {
        try (Jedis good = ember.jedis(); RawConnection bad = ember.raw()) {
            good.set("survivor", "yes");
            bad.send("*1\r\n$-5\r\n");
            bad.readReply();
            assertTrue(bad.isClosedByPeer(2000));
            assertEquals("yes", good.get("survivor"));
            assertFalse(good.isBroken());
        }
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static long nettyDirectMemory() {
        return io.netty.util.internal.PlatformDependent.usedDirectMemory();
    }
}
