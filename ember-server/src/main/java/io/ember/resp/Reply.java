package io.ember.resp;

import io.ember.util.Bytes;
import io.ember.util.Numbers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
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

    /** Receives every error reply, for INFO errorstats and failed_calls. */
    public interface ErrorListener {
        void onErrorReply(byte[] message);
    }

    private final ByteBufAllocator alloc;
    private final ErrorListener errors;
    private ByteBuf out;
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
        ByteBuf b = out;
        out = null;
        return b;
    }

    public boolean hasOutput() {
        return out != null && out.isReadable();
    }

    /** Bytes currently buffered and not yet handed to the network. */
    public int pendingBytes() {
        return out == null ? 0 : out.readableBytes();
    }

    public void release() {
        if (out != null) {
            out.release();
            out = null;
        }
    }

    private ByteBuf buf() {
        ByteBuf b = out;
        if (b == null) out = b = alloc.ioBuffer(512);
        return b;
    }

    // ---- scalar replies -------------------------------------------------------------------

    public void ok() {
        if (!suppressed) buf().writeBytes(OK);
    }

    public void raw(byte[] encoded) {
        if (!suppressed) buf().writeBytes(encoded);
    }

    public void simple(String s) {
        if (suppressed) return;
        ByteBuf b = buf();
        b.writeByte('+');
        b.writeCharSequence(s, StandardCharsets.ISO_8859_1);
        b.writeBytes(CRLF);
    }

    public void simple(byte[] s) {
        if (suppressed) return;
        ByteBuf b = buf();
        b.writeByte('+');
        b.writeBytes(s);
        b.writeBytes(CRLF);
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
        ByteBuf b = buf();
        b.writeByte('-');
        b.writeBytes(m);
        b.writeBytes(CRLF);
    }

    public void integer(long v) {
        if (suppressed) return;
        if (v == 0) {
            buf().writeBytes(ZERO);
        } else if (v == 1) {
            buf().writeBytes(ONE);
        } else {
            ByteBuf b = buf();
            b.writeByte(':');
            writeLong(b, v);
            b.writeBytes(CRLF);
        }
    }

    public void bool(boolean v) {
        if (suppressed) return;
        if (protocol == 3) buf().writeBytes(v ? Bytes.ascii("#t\r\n") : Bytes.ascii("#f\r\n"));
        else buf().writeBytes(v ? ONE : ZERO);
    }

    public void bulk(byte[] v) {
        if (suppressed) return;
        ByteBuf b = buf();
        b.ensureWritable(v.length + 16);
        b.writeByte('$');
        writeLong(b, v.length);
        b.writeBytes(CRLF);
        b.writeBytes(v);
        b.writeBytes(CRLF);
    }

    public void bulk(byte[] v, int off, int len) {
        if (suppressed) return;
        ByteBuf b = buf();
        b.ensureWritable(len + 16);
        b.writeByte('$');
        writeLong(b, len);
        b.writeBytes(CRLF);
        b.writeBytes(v, off, len);
        b.writeBytes(CRLF);
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
        ByteBuf b = buf();
        b.writeByte(',');
        b.writeBytes(formatted);
        b.writeBytes(CRLF);
    }

    public void verbatim(String text) {
        if (protocol == 2) {
            bulk(text);
            return;
        }
        if (suppressed) return;
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        ByteBuf b = buf();
        b.writeByte('=');
        writeLong(b, body.length + 4);
        b.writeBytes(CRLF);
        b.writeCharSequence("txt:", StandardCharsets.ISO_8859_1);
        b.writeBytes(body);
        b.writeBytes(CRLF);
    }

    public void bigNumber(String digits) {
        if (protocol == 2) {
            bulk(digits);
            return;
        }
        if (suppressed) return;
        ByteBuf b = buf();
        b.writeByte('(');
        b.writeCharSequence(digits, StandardCharsets.ISO_8859_1);
        b.writeBytes(CRLF);
    }

    /** The "no value" reply of commands that return a bulk: $-1 in RESP2, _ in RESP3. */
    public void nullBulk() {
        if (!suppressed) buf().writeBytes(protocol == 3 ? NULL3 : NULL_BULK);
    }

    /** The "no value" reply of commands that return an array: *-1 in RESP2, _ in RESP3. */
    public void nullArray() {
        if (!suppressed) buf().writeBytes(protocol == 3 ? NULL3 : NULL_ARRAY);
    }

    // ---- aggregates -----------------------------------------------------------------------

    public void arrayHeader(long n) {
        if (suppressed) return;
        if (n == 0) {
            buf().writeBytes(EMPTY_ARRAY);
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
        ByteBuf b = buf();
        b.writeByte(type);
        writeLong(b, n);
        b.writeBytes(CRLF);
    }

    /**
     * Marks the place of an aggregate header whose length is not yet known (KEYS, SCAN). Returns
     * a handle for {@link #setDeferredArray} / {@link #setDeferredMap}.
     */
    public int deferLength() {
        if (suppressed) return -1;
        return buf().writerIndex();
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
        ByteBuf b = buf();
        byte[] tail = new byte[b.writerIndex() - handle];
        b.getBytes(handle, tail);
        b.writerIndex(handle);
        header(type, n);
        b.writeBytes(tail);
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
    static void writeLong(ByteBuf b, long v) {
        if (v >= 0 && v < 10) {
            b.writeByte('0' + (int) v);
            return;
        }
        if (v == Long.MIN_VALUE) {
            b.writeCharSequence("-9223372036854775808", StandardCharsets.ISO_8859_1);
            return;
        }
        int n = Numbers.digits(v);
        b.ensureWritable(n);
        int end = b.writerIndex() + n;
        int i = end;
        boolean negative = v < 0;
        if (negative) v = -v;
        do {
            b.setByte(--i, (int) ('0' + v % 10));
            v /= 10;
        } while (v != 0);
        if (negative) b.setByte(--i, '-');
        b.writerIndex(end);
    }
}
