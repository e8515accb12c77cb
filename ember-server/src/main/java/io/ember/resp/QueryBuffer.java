package io.ember.resp;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * A connection's pending input, like Redis's client querybuf: received bytes are copied from the
 * network buffer into this heap array and parsed with plain array indexing. {@code pos} is the
 * first unparsed byte, {@code end} the end of received data.
 */
public final class QueryBuffer {
    private static final int INITIAL = 1024;
    /** Keep at most this much capacity around when the buffer is empty (shrinks after big requests). */
    private static final int IDLE_MAX = 64 * 1024;

    byte[] buf = new byte[INITIAL];
    int pos;
    int end;

    public int readable() {
        return end - pos;
    }

    public boolean isReadable() {
        return end > pos;
    }

    /**
     * Appends the readable bytes of {@code in}. When a large bulk is known to be coming
     * ({@code expected} more bytes), the array grows straight to that size, but never beyond
     * what has actually arrived plus 2x growth, so a claimed size alone allocates nothing.
     */
    public void append(ByteBuf in) {
        int n = in.readableBytes();
        if (buf.length - end < n) makeRoom(n);
        in.readBytes(buf, end, n);
        end += n;
    }

    private void makeRoom(int n) {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, end - pos);
            end -= pos;
            pos = 0;
        }
        if (buf.length - end < n) {
            long needed = (long) end + n;
            long grown = Math.max(needed, Math.min((long) buf.length * 2, Integer.MAX_VALUE - 16));
            if (grown > Integer.MAX_VALUE - 16) throw new OutOfMemoryError("query buffer too large");
            buf = Arrays.copyOf(buf, (int) grown);
        }
    }

    /** After parsing: drop consumed bytes, and give back memory held by an earlier large request. */
    public void compact() {
        if (pos == end) {
            pos = end = 0;
            if (buf.length > IDLE_MAX) buf = new byte[INITIAL];
        } else if (pos > buf.length / 2) {
            System.arraycopy(buf, pos, buf, 0, end - pos);
            end -= pos;
            pos = 0;
        }
    }

    public int capacity() {
        return buf.length;
    }
}
