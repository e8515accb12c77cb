package io.ember.persist.snapshot;

import io.ember.persist.rdb.RdbOutput;
import java.util.Arrays;

/**
 * The engine thread's side of a snapshot: records what an entry's serialization writes, cheaply
 * (copies), so the expensive part — integer detection and LZF compression of strings, the
 * checksum, the disk — happens on the writer thread when the chunk is {@link #replay replayed}
 * into the real output.
 *
 * <p>Chunk format: records of a tag byte and a 4-byte length, then the bytes: RAW bytes to write
 * as they are, a STRING to write with {@link RdbOutput#writeString}, or a PAUSE (the length is a
 * number of microseconds to sleep: rdb-key-save-delay, which must slow the writer, not the engine).
 * Consecutive raw writes share one record. Chunk buffers go back and forth between the engine and
 * the writer thread instead of being copied and reallocated, so a save makes little garbage.
 */
final class StagingOutput extends RdbOutput {
    private static final byte RAW = 0;
    private static final byte STRING = 1;
    private static final byte PAUSE = 2;
    private static final int HEADER = 5;

    /** The standard buffer size; a buffer only grows beyond it for an entry larger than a chunk. */
    private final int capacity;
    private byte[] buf;
    private int len;
    /** Offset of the open RAW record's header, or -1. */
    private int rawStart = -1;

    StagingOutput(int capacity) {
        this.capacity = capacity;
        buf = new byte[capacity];
    }

    int size() {
        return len;
    }

    @Override
    public void write(int b) {
        openRaw(1);
        buf[len++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int n) {
        openRaw(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
    }

    @Override
    public void writeString(byte[] b, int off, int n) {
        record(STRING, n, n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
    }

    void pause(int micros) {
        record(PAUSE, micros, 0);
    }

    /** A staged chunk: the first {@code length} bytes of {@code buf}. */
    record Chunk(byte[] buf, int length) {}

    /**
     * Hands the recorded bytes over and continues in {@code next} (a recycled buffer, or a new
     * one of the standard size when null): the chunk is the buffer itself, not a copy.
     */
    Chunk take(byte[] next) {
        closeRaw();
        Chunk out = new Chunk(buf, len);
        buf = next != null ? next : new byte[capacity];
        len = 0;
        return out;
    }

    /** Whether the writer may give {@code b} back for reuse (buffers grown for a big entry are not). */
    boolean reusable(byte[] b) {
        return b.length == capacity;
    }

    private void openRaw(int n) {
        if (rawStart < 0) {
            ensure(HEADER + n);
            rawStart = len;
            buf[len] = RAW;
            len += HEADER;
        } else {
            ensure(n);
        }
    }

    private void closeRaw() {
        if (rawStart < 0) return;
        putInt(rawStart + 1, len - rawStart - HEADER);
        rawStart = -1;
    }

    private void record(byte tag, int value, int payload) {
        closeRaw();
        ensure(HEADER + payload);
        buf[len] = tag;
        putInt(len + 1, value);
        len += HEADER;
    }

    private void ensure(int n) {
        if (len + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }

    private void putInt(int at, int v) {
        buf[at] = (byte) (v >>> 24);
        buf[at + 1] = (byte) (v >>> 16);
        buf[at + 2] = (byte) (v >>> 8);
        buf[at + 3] = (byte) v;
    }

    private static int getInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    /** Writes a chunk made by {@link #take} into {@code out} (on the writer thread). */
    static void replay(Chunk chunk, RdbOutput out) throws InterruptedException {
        byte[] b = chunk.buf;
        int i = 0;
        while (i < chunk.length) {
            byte tag = b[i];
            int n = getInt(b, i + 1);
            i += HEADER;
            switch (tag) {
                case RAW -> {
                    out.write(b, i, n);
                    i += n;
                }
                case STRING -> {
                    out.writeString(b, i, n);
                    i += n;
                }
                case PAUSE -> sleepMicros(n);
                default -> throw new IllegalStateException("corrupt staging chunk: tag " + tag + " at " + (i - HEADER));
            }
        }
    }

    private static void sleepMicros(int micros) throws InterruptedException {
        if (micros <= 0) return;
        Thread.sleep(micros / 1000, (micros % 1000) * 1000);
    }
}
