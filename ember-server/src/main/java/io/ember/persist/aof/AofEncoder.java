package io.ember.persist.aof;

import io.ember.util.Numbers;
import java.util.Arrays;

/**
 * The AOF buffer on the engine thread (Redis's aof_buf): feedAppendOnlyFile's encoding of each
 * propagated command as a RESP array of bulk strings, preceded by a SELECT when the database
 * differs from the last one written and, with aof-timestamp-enabled, by a {@code #TS:<unix
 * seconds>} annotation when the second changed. {@link #take} hands the bytes to the writer.
 */
final class AofEncoder {
    private static final int INITIAL = 16 * 1024;
    /** A buffer grown past this by a burst is not kept after it was handed over. */
    private static final int KEEP_MAX = 1024 * 1024;
    private static final byte[] SELECT = {'S', 'E', 'L', 'E', 'C', 'T'};

    private byte[] buf = new byte[INITIAL];
    private int len;
    /** The database the file's last command applies to; -1 forces a SELECT (new file). */
    private int selectedDb = -1;
    /** The last timestamp annotation written (aof_cur_timestamp). */
    private long currentTimestamp;

    void append(int db, byte[][] argv, int argc, boolean timestamps, long unixSeconds) {
        if (timestamps && currentTimestamp < unixSeconds) {
            currentTimestamp = unixSeconds;
            put('#');
            put('T');
            put('S');
            put(':');
            putLong(unixSeconds);
            crlf();
        }
        if (db != selectedDb) {
            header('*', 2);
            bulk(SELECT, 0, SELECT.length);
            byte[] n = Numbers.toBytes(db);
            bulk(n, 0, n.length);
            selectedDb = db;
        }
        header('*', argc);
        for (int i = 0; i < argc; i++) bulk(argv[i], 0, argv[i].length);
    }

    int size() {
        return len;
    }

    /** The buffered bytes (a copy), leaving the buffer empty. */
    byte[] take() {
        byte[] out = Arrays.copyOf(buf, len);
        len = 0;
        if (buf.length > KEEP_MAX) buf = new byte[INITIAL];
        return out;
    }

    /** The next command goes to a fresh file: it starts with a SELECT. */
    void forgetSelectedDb() {
        selectedDb = -1;
    }

    private void bulk(byte[] b, int off, int n) {
        header('$', n);
        ensure(n + 2);
        System.arraycopy(b, off, buf, len, n);
        len += n;
        crlf();
    }

    private void header(char type, long n) {
        put((byte) type);
        putLong(n);
        crlf();
    }

    private void putLong(long v) {
        int d = Numbers.digits(v);
        ensure(d);
        Numbers.writeDigits(v, buf, len + d);
        len += d;
    }

    private void crlf() {
        ensure(2);
        buf[len++] = '\r';
        buf[len++] = '\n';
    }

    private void put(int b) {
        ensure(1);
        buf[len++] = (byte) b;
    }

    private void ensure(int n) {
        if (len + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }
}
