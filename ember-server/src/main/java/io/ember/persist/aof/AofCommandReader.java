package io.ember.persist.aof;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the commands of an AOF file the way loadSingleAppendOnlyFile does with fgets/fread:
 * {@code #} lines are annotations, a command is {@code *<argc>} then {@code $<len>}, the
 * argument's bytes and two bytes that are skipped. Anything that does not start as expected is a
 * format error; running out of bytes inside a command is a short read (a torn write). Every
 * argument is a fresh array: commands keep them as stored values.
 */
final class AofCommandReader implements AutoCloseable {
    /** AOF_ANNOTATION_LINE_MAX_LEN: fgets reads at most this many bytes minus one per line. */
    private static final int LINE_MAX = 1024;

    enum Result { COMMAND, EOF, SHORT_READ, FORMAT_ERROR }

    private final InputStream in;
    private final long size;
    private long offset;
    private final byte[] line = new byte[LINE_MAX];
    private int lineLen;
    private final List<byte[]> args = new ArrayList<>();
    private byte[][] argv;

    AofCommandReader(InputStream raw, long startOffset, long size) throws IOException {
        this.in = new BufferedInputStream(raw, 64 * 1024);
        this.size = size;
        this.offset = startOffset;
        in.skipNBytes(startOffset);
    }

    long offset() {
        return offset;
    }

    /** The last command read by {@link #next}. */
    byte[][] argv() {
        return argv;
    }

    Result next() throws IOException {
        while (true) {
            if (!readLine()) return Result.EOF;
            if (line[0] == '#') continue; // annotation (#TS:...)
            break;
        }
        if (line[0] != '*') return Result.FORMAT_ERROR;
        if (lineLen == 1) return Result.SHORT_READ;
        long argc = atol(1);
        if (argc < 1) return Result.FORMAT_ERROR;
        args.clear();
        for (long j = 0; j < argc; j++) {
            if (!readLine()) return Result.SHORT_READ;
            if (line[0] != '$') return Result.FORMAT_ERROR;
            long len = atol(1);
            if (len < 0) return Result.FORMAT_ERROR;
            if (len > size - offset) return Result.SHORT_READ;
            byte[] arg = new byte[(int) len];
            int n = in.readNBytes(arg, 0, arg.length);
            offset += n;
            if (n < len) return Result.SHORT_READ;
            for (int k = 0; k < 2; k++) { // the CRLF, not checked (fread of 2 bytes)
                if (in.read() < 0) return Result.SHORT_READ;
                offset++;
            }
            args.add(arg);
        }
        argv = args.toArray(new byte[0][]);
        return Result.COMMAND;
    }

    /** fgets: up to and including '\n', at most LINE_MAX-1 bytes; false at end of file with nothing read. */
    private boolean readLine() throws IOException {
        lineLen = 0;
        while (lineLen < LINE_MAX - 1) {
            int b = in.read();
            if (b < 0) break;
            offset++;
            line[lineLen++] = (byte) b;
            if (b == '\n') break;
        }
        return lineLen > 0;
    }

    /** atoi/strtol on the line from {@code from}: blanks, a sign, digits; 0 when there are none. */
    private long atol(int from) {
        int i = from;
        while (i < lineLen && (line[i] == ' ' || line[i] == '\t')) i++;
        boolean neg = false;
        if (i < lineLen && (line[i] == '-' || line[i] == '+')) neg = line[i++] == '-';
        long v = 0;
        while (i < lineLen && line[i] >= '0' && line[i] <= '9') {
            v = v * 10 + (line[i++] - '0');
            if (v > Integer.MAX_VALUE) return neg ? -1 : Long.MAX_VALUE / 2; // far beyond any file
        }
        return neg ? -v : v;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
