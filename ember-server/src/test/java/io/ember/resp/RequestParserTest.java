package io.ember.resp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The request parser resumes correctly wherever the network splits the input. */
class RequestParserTest {

    private static List<List<byte[]>> parseInChunks(byte[] input, Random rnd) throws ProtocolException {
        RequestParser p = new RequestParser();
        QueryBuffer q = new QueryBuffer();
        List<List<byte[]>> commands = new ArrayList<>();
        int off = 0;
        while (off < input.length) {
            int n = Math.min(input.length - off, 1 + rnd.nextInt(5000));
            q.append(Unpooled.wrappedBuffer(input, off, n));
            off += n;
            while (p.parse(q, 512L << 20, false)) {
                List<byte[]> args = new ArrayList<>();
                for (int i = 0; i < p.argc(); i++) args.add(p.argv()[i]);
                commands.add(args);
                p.reset();
            }
            q.compact();
        }
        assertFalse(q.isReadable());
        return commands;
    }

    @Test
    void randomRequestsSplitAtRandomPointsParseToTheSameArguments() throws ProtocolException {
        Random rnd = new Random(7);
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        List<List<byte[]>> expected = new ArrayList<>();
        for (int c = 0; c < 300; c++) {
            int argc = 1 + rnd.nextInt(5);
            List<byte[]> args = new ArrayList<>();
            in.writeBytes(("*" + argc + "\r\n").getBytes());
            for (int a = 0; a < argc; a++) {
                byte[] arg = new byte[rnd.nextInt(10) == 0 ? rnd.nextInt(200_000) : rnd.nextInt(40)];
                rnd.nextBytes(arg);
                args.add(arg);
                in.writeBytes(("$" + arg.length + "\r\n").getBytes());
                in.writeBytes(arg);
                in.writeBytes("\r\n".getBytes());
            }
            expected.add(args);
            if (rnd.nextInt(8) == 0) {
                in.writeBytes("set \"a b\" 'c'\r\n".getBytes(StandardCharsets.ISO_8859_1));
                expected.add(List.of("set".getBytes(), "a b".getBytes(), "c".getBytes()));
            }
        }
        List<List<byte[]>> actual = parseInChunks(in.toByteArray(), rnd);
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).size(), actual.get(i).size());
            for (int a = 0; a < expected.get(i).size(); a++) assertArrayEquals(expected.get(i).get(a), actual.get(i).get(a));
        }
    }

    @Test
    void emptyRequestsAreSkippedAndOversizedClaimsRejected() throws ProtocolException {
        RequestParser p = new RequestParser();
        QueryBuffer q = new QueryBuffer();
        q.append(Unpooled.copiedBuffer("*0\r\n\r\n*-1\r\nPING\r\n", StandardCharsets.ISO_8859_1));
        assertTrue(p.parse(q, 1 << 20, false));
        assertArrayEquals("PING".getBytes(), p.argv()[0]);
        p.reset();
        q.append(Unpooled.copiedBuffer("*1\r\n$2000000\r\n", StandardCharsets.ISO_8859_1));
        ProtocolException e = org.junit.jupiter.api.Assertions.assertThrows(ProtocolException.class,
                () -> p.parse(q, 1 << 20, false));
        assertEquals("ERR Protocol error: invalid bulk length", e.replyMessage());
    }
}
