package io.ember.resp;

import io.ember.util.Bytes;
import io.ember.util.Numbers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes replies straight into a client's output buffer, in RESP2 or RESP3 as the client
 * negotiated with HELLO. Command code only calls these methods; it never sees the protocol.
 */
public final class Reply {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] OK = Bytes.ascii("+OK\r\n");
    private static final byte[] ZERO = Bytes.ascii(":0\r\n");
    private static final byte[] ONE = Bytes.ascii(":1\r\n");
    private static final byte[] NULL_BULK = Bytes.ascii("$-1\r\n");
    private static final byte[] NULL_ARRAY = Bytes.ascii("*-1\r\n");
    private static final byte[] NULL3 = Bytes.ascii("_\r\n");
    private static final byte[] EMPTY_ARRAY = Bytes.ascii("*0\r\n");
    private static final byte[] TRUE3 = Bytes.ascii("#t\r\n");
    private static final byte[] FALSE3 = Bytes.ascii("#f\r\n");
    /** Bulk payloads at least this large go to the network buffer directly, not through the scratch array. */
    private static final int LARGE_BULK = 16 * 1024;
    private static final int INITIAL = 512;
    /** Scratch arrays up to this size are kept whatever their use; larger ones shrink when idle. */
    private static final int IDLE_MAX = 64 * 1024;

    /** Receives every error reply, for INFO errorstats and failed_calls. */
    public interface ErrorListener {
        void onErrorReply(byte[] message);
    }

    private final ByteBufAllocator alloc;
    private final ErrorListener errors;
    /**
     * Replies are encoded into this array with plain stores (Redis's per-client reply buffer)
     * and copied into one network buffer when flushed.
     */
    private byte[] buf = new byte[INITIAL];
    private int len;
    /** Largest amount buffered since the last {@link #shrinkIfIdle}, to size the scratch array. */
    private int peak;
    /** Output already sealed into network buffers (large bulks, earlier scratch contents); may be null. */
    private CompositeByteBuf sealed;
    /** Open deferred-length headers: the scratch must not be sealed while one is open. */
    private int openDeferred;
    private int protocol = 2;
    private boolean suppressed;

    public Reply(ByteBufAllocator alloc, ErrorListener errors) {
        this.alloc = alloc;
        this.errors = errors;
    }

    public int protocol() {
        return protocol;
    }

    public void setProtocol(int protocol) {
        this.protocol = protocol;
    }

    public boolean resp3() {
        return protocol == 3;
    }

    /** While suppressed (CLIENT REPLY OFF|SKIP) replies are dropped; errors still count in stats. */
    public void setSuppressed(boolean suppressed) {
        this.suppressed = suppressed;
    }

    public boolean suppressed() {
        return suppressed;
    }

    /** Hands the pending output to the caller (to write to a socket); null when there is none. */
    public ByteBuf takeOutput() {
        if (len == 0 && sealed == null) return null;
        ByteBuf out;
        if (sealed == null) {
            out = alloc.ioBuffer(len);
            out.writeBytes(buf, 0, len);
        } else {
            seal();
            out = sealed;
            sealed = null;
        }
        if (len > peak) peak = len;
        len = 0;
        return out;
    }

    /**
     * Called periodically (the cron): gives back a large scratch array that recent replies did not
     * need, as Redis's clientsCronResizeOutputBuffer does. Keeping it between flushes spares a
     * client with large pipelined replies from regrowing it for every batch.
     */
    public void shrinkIfIdle() {
        if (len == 0 && buf.length > IDLE_MAX && peak < buf.length / 4) {
            buf = new byte[Math.max(INITIAL, Integer.highestOneBit(Math.max(1, peak)) * 2)];
        }
        peak = 0;
    }

    public boolean hasOutput() {
        return len > 0 || (sealed != null && sealed.isReadable());
    }

    /** Bytes currently buffered and not yet handed to the network. */
    public int pendingBytes() {
        return len + (sealed == null ? 0 : sealed.readableBytes());
    }

    public void release() {
        len = 0;
        if (sealed != null) {
            sealed.release();
            sealed = null;
        }
    }

    /** Moves the scratch contents into the sealed network buffer. */
    private void seal() {
        if (sealed == null) sealed = alloc.compositeBuffer(Integer.MAX_VALUE);
        if (len > 0) {
            ByteBuf part = alloc.ioBuffer(len);
            part.writeBytes(buf, 0, len);
            sealed.addComponent(true, part);
            len = 0;
        }
    }

    private void ensure(int n) {
        if (buf.length - len < n) {
            long want = Math.max((long) len + n, (long) buf.length * 2);
            if (want > Integer.MAX_VALUE - 16) throw new OutOfMemoryError("reply too large");
            buf = java.util.Arrays.copyOf(buf, (int) want);
        }
    }

    private void put(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
    }

    private void put(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
    }

    private void putAscii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) buf[len++] = (byte) s.charAt(i);
    }

    private void putCrlf() {
        ensure(2);
        buf[len++] = '\r';
        buf[len++] = '\n';
    }

    private void putByte(int c) {
        ensure(1);
        buf[len++] = (byte) c;
    }

    // ---- scalar replies -------------------------------------------------------------------

    public void ok() {
        if (!suppressed) put(OK);
    }

    public void raw(byte[] encoded) {
        if (!suppressed) put(encoded);
    }

    public void simple(String s) {
        if (suppressed) return;
        putByte('+');
        putAscii(s);
        putCrlf();
    }

    public void simple(byte[] s) {
        if (suppressed) return;
        putByte('+');
        put(s);
        putCrlf();
    }

    /**
     * An error reply. The message starts with its code ("ERR ...", "WRONGTYPE ..."); line breaks
     * are replaced with spaces so the reply stays one protocol line, as Redis does.
     */
    public void error(String message) {
        byte[] m = message.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < m.length; i++) {
            if (m[i] == '\r' || m[i] == '\n') m[i] = ' ';
        }
        errors.onErrorReply(m);
        if (suppressed) return;
        putByte('-');
        put(m);
        putCrlf();
    }

    public void integer(long v) {
        if (suppressed) return;
        if (v == 0) {
            put(ZERO);
        } else if (v == 1) {
            put(ONE);
        } else {
            putByte(':');
            putLong(v);
            putCrlf();
        }
    }

    public void bool(boolean v) {
        if (suppressed) return;
        if (protocol == 3) put(v ? TRUE3 : FALSE3);
        else put(v ? ONE : ZERO);
    }

    public void bulk(byte[] v) {
        bulk(v, 0, v.length);
    }

    public void bulk(byte[] v, int off, int n) {
        if (suppressed) return;
        if (n >= LARGE_BULK && openDeferred == 0) {
            // Copy a large payload once, straight into a network buffer.
            header('$', n);
            seal();
            ByteBuf part = alloc.ioBuffer(n);
            part.writeBytes(v, off, n);
            sealed.addComponent(true, part);
            putCrlf();
            return;
        }
        ensure(n + 24);
        buf[len++] = '$';
        putLong(n);
        putCrlf();
        System.arraycopy(v, off, buf, len, n);
        len += n;
        putCrlf();
    }

    public void bulk(String s) {
        bulk(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A number sent as a bulk string (INCRBYFLOAT, CONFIG GET values). */
    public void bulkLong(long v) {
        bulk(Numbers.toBytes(v));
    }

    /** A double already formatted the Redis way: a bulk string in RESP2, a ',' double in RESP3. */
    public void doubleFormatted(byte[] formatted) {
        if (suppressed) return;
        if (protocol == 2) {
            bulk(formatted);
            return;
        }
        putByte(',');
        put(formatted);
        putCrlf();
    }

    /** {@link #doubleFormatted(byte[])} from part of an array (a score formatted into a scratch buffer). */
    public void doubleFormatted(byte[] b, int off, int n) {
        if (suppressed) return;
        if (protocol == 2) {
            bulk(b, off, n);
            return;
        }
        putByte(',');
        put(b, off, n);
        putCrlf();
    }

    public void verbatim(String text) {
        if (protocol == 2) {
            bulk(text);
            return;
        }
        if (suppressed) return;
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        putByte('=');
        putLong(body.length + 4);
        putCrlf();
        putAscii("txt:");
        put(body);
        putCrlf();
    }

    public void bigNumber(String digits) {
        if (protocol == 2) {
            bulk(digits);
            return;
        }
        if (suppressed) return;
        putByte('(');
        putAscii(digits);
        putCrlf();
    }

    /** The "no value" reply of commands that return a bulk: $-1 in RESP2, _ in RESP3. */
    public void nullBulk() {
        if (!suppressed) put(protocol == 3 ? NULL3 : NULL_BULK);
    }

    /** The "no value" reply of commands that return an array: *-1 in RESP2, _ in RESP3. */
    public void nullArray() {
        if (!suppressed) put(protocol == 3 ? NULL3 : NULL_ARRAY);
    }

    // ---- aggregates -----------------------------------------------------------------------

    public void arrayHeader(long n) {
        if (suppressed) return;
        if (n == 0) {
            put(EMPTY_ARRAY);
            return;
        }
        header('*', n);
    }

    public void emptyArray() {
        arrayHeader(0);
    }

    /** A map of n pairs: '%' in RESP3, a flat array of 2n items in RESP2. */
    public void mapHeader(long n) {
        if (protocol == 3) {
            if (!suppressed) header('%', n);
        } else {
            arrayHeader(2 * n);
        }
    }

    /** A set of n items: '~' in RESP3, an array in RESP2. */
    public void setHeader(long n) {
        if (protocol == 3) {
            if (!suppressed) header('~', n);
        } else {
            arrayHeader(n);
        }
    }

    /** An out-of-band push of n items: '>' in RESP3, an array in RESP2 (pub/sub messages). */
    public void pushHeader(long n) {
        if (protocol == 3) {
            if (!suppressed) header('>', n);
        } else {
            arrayHeader(n);
        }
    }

    /**
     * A RESP3 attribute of n pairs ('|'), decorating the reply that follows it. RESP2 has no
     * attributes: callers write the pairs only when {@link #resp3()} (DEBUG PROTOCOL attrib).
     */
    public void attributeHeader(long n) {
        if (protocol == 3 && !suppressed) header('|', n);
    }

    /** Reply with one array of bulk strings. */
    public void bulkArray(List<byte[]> items) {
        arrayHeader(items.size());
        for (byte[] item : items) bulk(item);
    }

    private void header(char type, long n) {
        ensure(24);
        buf[len++] = (byte) type;
        putLong(n);
        putCrlf();
    }

    /**
     * Marks the place of an aggregate header whose length is not yet known (KEYS, SCAN). Returns
     * a handle for {@link #setDeferredArray} / {@link #setDeferredMap} / {@link #setDeferredSet},
     * one of which must follow.
     */
    public int deferLength() {
        if (suppressed) return -1;
        openDeferred++;
        return len;
    }

    public void setDeferredArray(int handle, long n) {
        insertHeader(handle, '*', n);
    }

    public void setDeferredMap(int handle, long n) {
        if (protocol == 3) insertHeader(handle, '%', n);
        else insertHeader(handle, '*', 2 * n);
    }

    public void setDeferredSet(int handle, long n) {
        insertHeader(handle, protocol == 3 ? '~' : '*', n);
    }

    private void insertHeader(int handle, char type, long n) {
        if (handle < 0 || suppressed) return;
        openDeferred--;
        int tail = len - handle;
        int end = len;
        header(type, n);
        int headerLen = len - end;
        // rotate: [handle, end) is the body, [end, len) the header just written
        byte[] h = java.util.Arrays.copyOfRange(buf, end, len);
        System.arraycopy(buf, handle, buf, handle + headerLen, tail);
        System.arraycopy(h, 0, buf, handle, headerLen);
    }

    // ---- generic values -------------------------------------------------------------------

    /** Re-encodes a decoded value (command metadata, stored replies) in this client's protocol. */
    public void value(RespValue v) {
        switch (v) {
            case RespValue.Simple s -> simple(s.value());
            case RespValue.Error e -> error(e.message());
            case RespValue.Int i -> integer(i.value());
            case RespValue.Bulk b -> bulk(b.value());
            case RespValue.Verbatim vb -> verbatim(new String(vb.value(), StandardCharsets.UTF_8));
            case RespValue.Double d -> doubleFormatted(Bytes.ascii(Double.toString(d.value())));
            case RespValue.BigNumber n -> bigNumber(n.value());
            case RespValue.Bool b -> bool(b.value());
            case RespValue.Null n -> nullBulk();
            case RespValue.Array a -> {
                switch (a.kind()) {
                    case SET -> setHeader(a.items().size());
                    case PUSH -> pushHeader(a.items().size());
                    default -> arrayHeader(a.items().size());
                }
                for (RespValue item : a.items()) value(item);
            }
            case RespValue.Map m -> {
                mapHeader(m.flat().size() / 2);
                for (RespValue item : m.flat()) value(item);
            }
        }
    }

    /** Appends the decimal digits of v without allocating. */
    private void putLong(long v) {
        ensure(20);
        if (v >= 0 && v < 10) {
            buf[len++] = (byte) ('0' + v);
            return;
        }
        if (v == Long.MIN_VALUE) {
            putAscii("-9223372036854775808");
            return;
        }
        int n = Numbers.digits(v);
        Numbers.writeDigits(v, buf, len + n);
        len += n;
    }
}
