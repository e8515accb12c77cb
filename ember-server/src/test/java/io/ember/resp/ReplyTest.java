package io.ember.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reply encoder: exact RESP2/RESP3 bytes, ordering across large payloads, deferred headers. */
class ReplyTest {
    private final List<String> errors = new ArrayList<>();
    private final Reply reply = new Reply(new UnpooledByteBufAllocator(false),
            m -> errors.add(new String(m, StandardCharsets.ISO_8859_1)));

    private String take() {
        ByteBuf b = reply.takeOutput();
        if (b == null) return "";
        try {
            return b.toString(StandardCharsets.ISO_8859_1);
        } finally {
            b.release();
        }
    }

    @Test
    void scalarsInBothProtocols() {
        reply.integer(-12345);
        reply.integer(0);
        reply.integer(Long.MIN_VALUE);
        reply.bulk("héllo");
        reply.nullBulk();
        reply.nullArray();
        reply.bool(true);
        reply.mapHeader(1);
        assertEquals(":-12345\r\n:0\r\n:-9223372036854775808\r\n$6\r\nhéllo\r\n$-1\r\n*-1\r\n:1\r\n*2\r\n",
                new String(take().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
        reply.setProtocol(3);
        reply.nullBulk();
        reply.nullArray();
        reply.bool(false);
        reply.mapHeader(2);
        reply.setHeader(3);
        reply.pushHeader(1);
        reply.doubleFormatted("1.5".getBytes());
        reply.verbatim("hi");
        reply.bigNumber("123");
        assertEquals("_\r\n_\r\n#f\r\n%2\r\n~3\r\n>1\r\n,1.5\r\n=6\r\ntxt:hi\r\n(123\r\n", take());
    }

    @Test
    void errorsAreOneLineAndCounted() {
        reply.error("ERR bad\r\nthing");
        assertEquals("-ERR bad  thing\r\n", take());
        assertEquals(List.of("ERR bad  thing"), errors);
    }

    @Test
    void largePayloadsKeepTheirPlaceBetweenSmallReplies() {
        byte[] big = "x".repeat(100_000).getBytes();
        reply.simple("before");
        reply.bulk(big);
        reply.integer(7);
        reply.bulk(big);
        String out = take();
        String x = "x".repeat(100_000);
        assertEquals("+before\r\n$100000\r\n" + x + "\r\n:7\r\n$100000\r\n" + x + "\r\n", out);
        assertNull(reply.takeOutput());
    }

    @Test
    void deferredHeadersAreInsertedBeforeTheirElements() {
        reply.simple("first");
        int h = reply.deferLength();
        reply.bulk("a");
        reply.bulk("x".repeat(20_000));
        reply.setDeferredArray(h, 2);
        reply.setProtocol(3);
        int m = reply.deferLength();
        reply.bulk("k");
        reply.integer(1);
        reply.setDeferredMap(m, 1);
        assertEquals("+first\r\n*2\r\n$1\r\na\r\n$20000\r\n" + "x".repeat(20_000) + "\r\n%1\r\n$1\r\nk\r\n:1\r\n", take());
    }

    @Test
    void suppressedRepliesAreDroppedButErrorsStillCount() {
        reply.setSuppressed(true);
        reply.ok();
        reply.error("ERR counted");
        reply.setSuppressed(false);
        assertNull(reply.takeOutput());
        assertEquals(1, errors.size());
    }
}
