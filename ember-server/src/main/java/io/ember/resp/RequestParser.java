package io.ember.resp;

import io.ember.util.SplitArgs;
import java.util.Arrays;
import java.util.List;

/**
 * Incremental parser of client requests, multibulk ({@code *2\r\n$3\r\nGET\r\n...}) and inline
 * ({@code GET key\n}), from a {@link QueryBuffer} into a reusable argument vector. State survives
 * between calls, so a request split across reads is resumed where it stopped and a large bulk is
 * copied once, when it is complete. Error texts and limits follow Redis's networking.c.
 */
public final class RequestParser {
    /** Longest inline request or header line Redis accepts without a line end. */
    public static final int PROTO_INLINE_MAX_SIZE = 64 * 1024;
    private static final int UNAUTH_MAX_ARGS = 10;
    private static final int UNAUTH_MAX_BULK = 16384;
    private static final long INVALID = Long.MIN_VALUE;

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

    /** Bytes of the request in progress held outside the query buffer (query buffer accounting). */
    public long pendingArgBytes() {
        return argBytes;
    }

    /** Forgets the last command's arguments (so large values are not kept alive). */
    public void reset() {
        Arrays.fill(argv, 0, argc, null);
        argc = 0;
        argBytes = 0;
    }

    /**
     * Parses from {@code q}. Returns true when a complete, non-empty command is in
     * {@link #argv()}; false when more bytes are needed. Empty requests are skipped.
     */
    public boolean parse(QueryBuffer q, long maxBulkLen, boolean authRequired) throws ProtocolException {
        while (q.pos < q.end) {
            if (multibulkRemaining == 0) {
                if (argc > 0) reset();
                if (q.buf[q.pos] == '*') {
                    if (!readMultibulkHeader(q, authRequired)) return false;
                    if (multibulkRemaining == 0) continue; // *0 or *-1: nothing to run
                } else {
                    if (!readInline(q)) return false;
                    if (argc == 0) continue;
                    return true;
                }
            }
            return readBulks(q, maxBulkLen, authRequired);
        }
        return false;
    }

    private boolean readMultibulkHeader(QueryBuffer q, boolean authRequired) throws ProtocolException {
        int cr = findInLine(q.buf, q.pos, q.end, (byte) '\r');
        if (cr < 0) {
            if (q.readable() > PROTO_INLINE_MAX_SIZE) throw new ProtocolException("too big mbulk count string");
            return false;
        }
        if (cr + 1 >= q.end) return false; // the '\n' has not arrived
        long n = parseLong(q.buf, q.pos + 1, cr);
        if (n == INVALID || n > Integer.MAX_VALUE) throw new ProtocolException("invalid multibulk length");
        if (n > UNAUTH_MAX_ARGS && authRequired) throw new ProtocolException("unauthenticated multibulk length");
        q.pos = cr + 2;
        multibulkRemaining = n <= 0 ? 0 : (int) n;
        bulkLen = -1;
        return true;
    }

    private boolean readBulks(QueryBuffer q, long maxBulkLen, boolean authRequired) throws ProtocolException {
        byte[] buf = q.buf;
        while (multibulkRemaining > 0) {
            if (bulkLen < 0) {
                int start = q.pos;
                int cr = findInLine(buf, start, q.end, (byte) '\r');
                if (cr < 0) {
                    if (q.readable() > PROTO_INLINE_MAX_SIZE) throw new ProtocolException("too big bulk count string");
                    return false;
                }
                if (cr + 1 >= q.end) return false;
                if (buf[start] != '$') {
                    throw new ProtocolException("expected '$', got '" + (char) (buf[start] & 0xff) + "'");
                }
                long n = parseLong(buf, start + 1, cr);
                if (n == INVALID || n < 0 || n > maxBulkLen) throw new ProtocolException("invalid bulk length");
                if (n > UNAUTH_MAX_BULK && authRequired) throw new ProtocolException("unauthenticated bulk length");
                q.pos = cr + 2;
                bulkLen = n;
            }
            if (q.end - q.pos < bulkLen + 2) return false;
            int n = (int) bulkLen;
            byte[] arg = argc == 0 ? commandName(buf, q.pos, n) : Arrays.copyOfRange(buf, q.pos, q.pos + n);
            q.pos += n + 2; // Redis does not check that these two bytes are "\r\n"
            addArg(arg);
            bulkLen = -1;
            multibulkRemaining--;
        }
        return true;
    }

    /** Recently seen command names, so a pipeline of GETs does not allocate "GET" each time. */
    private final byte[][] names = new byte[16][];

    /** The command name at [off, off+n) as a byte[], shared with earlier requests that used the same name. */
    private byte[] commandName(byte[] buf, int off, int n) {
        if (n == 0 || n > 32) return Arrays.copyOfRange(buf, off, off + n);
        int slot = ((buf[off] | 0x20) + n * 7) & (names.length - 1);
        byte[] cached = names[slot];
        if (cached != null && cached.length == n && sameBytes(cached, buf, off)) return cached;
        return names[slot] = Arrays.copyOfRange(buf, off, off + n);
    }

    /** Short-array comparison; a plain loop beats the vectorized mismatch for a few bytes. */
    private static boolean sameBytes(byte[] a, byte[] buf, int off) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] != buf[off + i]) return false;
        }
        return true;
    }

    private void addArg(byte[] arg) {
        if (argc == argv.length) argv = Arrays.copyOf(argv, argv.length * 2);
        argv[argc++] = arg;
        argBytes += arg.length;
    }

    /**
     * Position of {@code target} in [from, end), or -1 if absent or preceded by a NUL byte: Redis
     * searches its query buffer with strchr, which stops at NUL, so a request line containing NUL
     * is never complete (until the size limit turns it into an error).
     */
    private static int findInLine(byte[] b, int from, int end, byte target) {
        for (int i = from; i < end; i++) {
            byte c = b[i];
            if (c == target) return i;
            if (c == 0) return -1;
        }
        return -1;
    }

    /** Strict decimal parse of [from, to) as Redis's string2ll; INVALID when malformed. */
    private static long parseLong(byte[] b, int from, int to) {
        int len = to - from;
        if (len <= 0 || len > 20) return INVALID;
        int i = from;
        boolean negative = false;
        if (b[i] == '-') {
            negative = true;
            if (++i == to) return INVALID;
        }
        if (b[i] == '0') return (to - i == 1 && !negative) ? 0 : INVALID;
        long v = 0;
        for (; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) return INVALID;
            if (v > (Long.MAX_VALUE - d) / 10) return INVALID;
            v = v * 10 + d;
        }
        return negative ? -v : v;
    }

    // ---- inline requests ------------------------------------------------------------------

    private boolean readInline(QueryBuffer q) throws ProtocolException {
        int start = q.pos;
        int lf = findInLine(q.buf, start, q.end, (byte) '\n');
        if (lf < 0) {
            if (q.readable() > PROTO_INLINE_MAX_SIZE) throw new ProtocolException("too big inline request");
            return false;
        }
        int end = lf;
        if (end > start && q.buf[end - 1] == '\r') end--;
        byte[] line = Arrays.copyOfRange(q.buf, start, end);
        q.pos = lf + 1;
        List<byte[]> args = SplitArgs.split(line);
        if (args == null) throw new ProtocolException("unbalanced quotes in request");
        for (byte[] a : args) addArg(a);
        return true;
    }
}
