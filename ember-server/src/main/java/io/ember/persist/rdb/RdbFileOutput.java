package io.ember.persist.rdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Encoding output to a file: buffered writes to a channel and the running CRC64 of every byte
 * written (what Redis's rio computes for the RDB trailer). I/O errors surface as
 * {@link UncheckedIOException}, since {@link RdbOutput}'s methods declare none; the caller of a
 * save catches it.
 */
public final class RdbFileOutput extends EncodingOutput {
    private static final int BUFFER_SIZE = 64 * 1024;

    private final FileChannel channel;
    private final boolean checksum;
    private final byte[] buf = new byte[BUFFER_SIZE];
    private final ByteBuffer bufView = ByteBuffer.wrap(buf);
    private int pos;
    /** Bytes of buf[0, crcPos) already folded into crc. */
    private int crcPos;
    private long crc;
    private long written;

    /** @param checksum false leaves the CRC at 0, as Redis does with rdbchecksum no */
    public RdbFileOutput(FileChannel channel, boolean compression, boolean checksum) {
        super(compression);
        this.channel = channel;
        this.checksum = checksum;
    }

    @Override
    public void write(int b) {
        if (pos == buf.length) drain();
        buf[pos++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        if (len <= buf.length - pos) {
            System.arraycopy(b, off, buf, pos, len);
            pos += len;
            return;
        }
        drain();
        if (len < buf.length) {
            System.arraycopy(b, off, buf, 0, len);
            pos = len;
            return;
        }
        if (checksum) crc = Crc64.update(crc, b, off, len);
        writeFully(ByteBuffer.wrap(b, off, len));
    }

    /** The CRC64 of everything written so far (0 when checksums are off). */
    public long checksum() {
        foldCrc();
        return crc;
    }

    /** Bytes written so far, buffered ones included. */
    public long size() {
        return written + pos;
    }

    /** Writes out the buffer (the caller then forces the channel for durability). */
    public void flush() {
        drain();
    }

    private void foldCrc() {
        if (checksum && pos > crcPos) crc = Crc64.update(crc, buf, crcPos, pos - crcPos);
        crcPos = pos;
    }

    private void drain() {
        foldCrc();
        bufView.clear().limit(pos);
        writeFully(bufView);
        pos = 0;
        crcPos = 0;
    }

    private void writeFully(ByteBuffer bb) {
        try {
            while (bb.hasRemaining()) written += channel.write(bb);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
