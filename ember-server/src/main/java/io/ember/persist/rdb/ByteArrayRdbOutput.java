package io.ember.persist.rdb;

import java.util.Arrays;

/**
 * Encoding output into a growable byte array (DUMP payloads). {@link #reset} empties it for the
 * next payload while keeping its array and compression buffer; an array grown past
 * {@link #KEEP_MAX} by a big value is dropped at the next reset.
 */
public final class ByteArrayRdbOutput extends EncodingOutput {
    private static final int KEEP_MAX = 1 << 20;

    private byte[] buf = new byte[256];
    private int len;

    public ByteArrayRdbOutput(boolean compression) {
        super(compression);
    }

    @Override
    public void write(int b) {
        if (len == buf.length) grow(1);
        buf[len++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int n) {
        if (n > buf.length - len) grow(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
    }

    private void grow(int extra) {
        long want = Math.max((long) buf.length * 2, (long) len + extra);
        if (want > Integer.MAX_VALUE - 16) {
            if ((long) len + extra > Integer.MAX_VALUE - 16) throw new IllegalStateException("payload too large");
            want = Integer.MAX_VALUE - 16;
        }
        buf = Arrays.copyOf(buf, (int) want);
    }

    /** The array holding the bytes written so far, from 0 to {@link #size()}. */
    public byte[] array() {
        return buf;
    }

    public int size() {
        return len;
    }

    public void reset() {
        len = 0;
        if (buf.length > KEEP_MAX) buf = new byte[256];
    }
}
