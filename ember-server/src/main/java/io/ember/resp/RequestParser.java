package io.ember.resp;

import io.ember.util.SplitArgs;
import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;
import java.util.Arrays;

/**
 * Incremental parser of client requests, multibulk ({@code *2\r\n$3\r\nGET\r\n...}) and inline
 * ({@code GET key\n}), straight from the receive buffer into a reusable argument vector. State
 * survives between calls, so a request split across reads is resumed where it stopped and a
 * large bulk is copied once, when it is complete. Error texts and limits follow networking.c.
 */
public final class RequestParser {
    /** Longest inline request or header line Redis accepts without a line end. */
    public static final int PROTO_INLINE_MAX_SIZE = 64 * 1024;
    private static final int UNAUTH_MAX_ARGS = 10;
    private static final int UNAUTH_MAX_BULK = 16384;

    private byte[][] argv = new byte[16][];
    private int argc;
    /** Arguments still to read in the current multibulk request; 0 when between requests. */
    private int multibulkRemaining;
    /** Length of the bulk being read, or -1 while its header has not been read. */
    private long bulkLen = -1;
    /** Bytes of arguments already moved out of the buffer for the request in progress. */
    private long argBytes;

    public byte[][] argv() {
        return argv;
    }

    public int argc() {
        return argc;
    }

    /** Bytes of the request in progress held outside the receive buffer (query buffer accounting). */
    public long pendingArgBytes() {
        return argBytes;
    }

    /** Bytes the current bulk still needs in the buffer, so the caller can size it once. */
    public long bulkBytesWanted() {
        return bulkLen < 0 ? 0 : bulkLen + 2;
    }

    /** Forgets the last command's arguments (so large values are not kept alive). */
    public void reset() {
        Arrays.fill(argv, 0, argc, null);
        argc = 0;
        argBytes = 0;
    }

    /**
     * Parses from {@code in}. Returns true when a complete, non-empty command is in
     * {@link #argv()}; false when more bytes are needed. Empty requests are skipped.
     */
    public boolean parse(ByteBuf in, long maxBulkLen, boolean authRequired) throws ProtocolException {
        while (in.isReadable()) {
            if (multibulkRemaining == 0) {
                if (argc > 0) reset();
                if (in.getByte(in.readerIndex()) == '*') {
                    if (!readMultibulkHeader(in, authRequired)) return false;
                    if (multibulkRemaining == 0) continue; // *0 or *-1: nothing to run
                } else {
                    if (!readInline(in)) return false;
                    if (argc == 0) continue;
                    return true;
                }
            }
            if (!readBulks(in, maxBulkLen, authRequired)) return false;
            return true;
        }
        return false;
    }

    private boolean readMultibulkHeader(ByteBuf in, boolean authRequired) throws ProtocolException {
        int start = in.readerIndex();
        int cr = findInCString(in, start, (byte) '\r');
        if (cr < 0) {
            if (in.readableBytes() > PROTO_INLINE_MAX_SIZE) throw new ProtocolException("too big mbulk count string");
            return false;
        }
        if (cr + 1 >= in.writerIndex()) return false; // the '\n' has not arrived
        long n = parseLong(in, start + 1, cr);
        if (n == Long.MIN_VALUE || n > Integer.MAX_VALUE) throw new ProtocolException("invalid multibulk length");
        if (n > UNAUTH_MAX_ARGS && authRequired) throw new ProtocolException("unauthenticated multibulk length");
        in.readerIndex(cr + 2);
        multibulkRemaining = n <= 0 ? 0 : (int) n;
        bulkLen = -1;
        return true;
    }

    private boolean readBulks(ByteBuf in, long maxBulkLen, boolean authRequired) throws ProtocolException {
        while (multibulkRemaining > 0) {
            if (bulkLen < 0) {
                int start = in.readerIndex();
                int cr = findInCString(in, start, (byte) '\r');
                if (cr < 0) {
                    if (in.readableBytes() > PROTO_INLINE_MAX_SIZE) throw new ProtocolException("too big bulk count string");
                    return false;
                }
                if (cr + 1 >= in.writerIndex()) return false;
                byte first = in.getByte(start);
                if (first != '$') {
                    throw new ProtocolException("expected '$', got '" + (char) (first & 0xff) + "'");
                }
                long n = parseLong(in, start + 1, cr);
                if (n == Long.MIN_VALUE || n < 0 || n > maxBulkLen) throw new ProtocolException("invalid bulk length");
                if (n > UNAUTH_MAX_BULK && authRequired) throw new ProtocolException("unauthenticated bulk length");
                in.readerIndex(cr + 2);
                bulkLen = n;
            }
            if (in.readableBytes() < bulkLen + 2) return false;
            byte[] arg = new byte[(int) bulkLen];
            in.readBytes(arg);
            in.skipBytes(2); // Redis does not check that these are "\r\n"
            addArg(arg);
            bulkLen = -1;
            multibulkRemaining--;
        }
        return true;
    }

    private void addArg(byte[] arg) {
        if (argc == argv.length) argv = Arrays.copyOf(argv, argv.length * 2);
        argv[argc++] = arg;
        argBytes += arg.length;
    }

    /**
     * Position of {@code target} from {@code from}, or -1 if absent or preceded by a NUL byte:
     * Redis searches its query buffer with strchr, which stops at NUL, so a request line
     * containing NUL is never complete (until the size limit turns it into an error).
     */
    private static int findInCString(ByteBuf in, int from, byte target) {
        ByteProcessor stop = target == '\r' ? UNTIL_CR_OR_NUL : UNTIL_LF_OR_NUL;
        int i = in.forEachByte(from, in.writerIndex() - from, stop);
        return i >= 0 && in.getByte(i) == target ? i : -1;
    }

    private static final ByteProcessor UNTIL_CR_OR_NUL = b -> b != '\r' && b != 0;
    private static final ByteProcessor UNTIL_LF_OR_NUL = b -> b != '\n' && b != 0;

    /** Strict decimal parse of [from, to) as Redis's string2ll; Long.MIN_VALUE when invalid. */
    private static long parseLong(ByteBuf in, int from, int to) {
        int len = to - from;
        if (len <= 0 || len > 20) return Long.MIN_VALUE;
        int i = from;
        boolean negative = false;
        if (in.getByte(i) == '-') {
            negative = true;
            i++;
            if (i == to) return Long.MIN_VALUE;
        }
        if (in.getByte(i) == '0') return (to - i == 1 && !negative) ? 0 : Long.MIN_VALUE;
        long v = 0;
        for (; i < to; i++) {
            int d = in.getByte(i) - '0';
            if (d < 0 || d > 9) return Long.MIN_VALUE;
            if (v > (Long.MAX_VALUE - d) / 10) return Long.MIN_VALUE;
            v = v * 10 + d;
        }
        return negative ? -v : v;
    }

    // ---- inline requests ------------------------------------------------------------------

    private boolean readInline(ByteBuf in) throws ProtocolException {
        int start = in.readerIndex();
        int lf = findInCString(in, start, (byte) '\n');
        if (lf < 0) {
            if (in.readableBytes() > PROTO_INLINE_MAX_SIZE) throw new ProtocolException("too big inline request");
            return false;
        }
        int end = lf;
        if (end > start && in.getByte(end - 1) == '\r') end--;
        byte[] line = new byte[end - start];
        in.getBytes(start, line);
        in.readerIndex(lf + 1);
        java.util.List<byte[]> args = SplitArgs.split(line);
        if (args == null) throw new ProtocolException("unbalanced quotes in request");
        for (byte[] a : args) addArg(a);
        return true;
    }
}
