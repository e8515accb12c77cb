package io.ember.command;

import io.ember.client.Client;
import io.ember.engine.Database;
import io.ember.type.ValueType;
import io.ember.util.Bytes;
import io.ember.util.Numbers;

/**
 * LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN] (t_string.c lcsCommand), registered
 * by {@link StringCommands}. Uses Redis's dynamic programming table and walks it back the same
 * way, so ties between equally long subsequences resolve to the same answer and the same ranges.
 */
final class LcsCommand {
    private LcsCommand() {}

    private static final byte[] MATCHES = Bytes.ascii("matches");
    private static final byte[] LEN = Bytes.ascii("len");

    static void lcs(Client c, byte[][] argv, int argc) {
        Database db = c.db;
        int ra = db.lookupRead(argv[1]);
        byte[] a = ra == 0 ? Bytes.EMPTY : db.type(ra) == ValueType.STRING ? (byte[]) db.value(ra) : null;
        int rb = db.lookupRead(argv[2]);
        byte[] b = rb == 0 ? Bytes.EMPTY : db.type(rb) == ValueType.STRING ? (byte[]) db.value(rb) : null;
        if (a == null || b == null) {
            c.reply.error("ERR The specified keys must contain string values");
            return;
        }
        boolean getLen = false, getIdx = false, withMatchLen = false;
        long minMatchLen = 0;
        for (int j = 3; j < argc; j++) {
            byte[] opt = argv[j];
            if (Bytes.eqIgnoreCase(opt, "idx")) {
                getIdx = true;
            } else if (Bytes.eqIgnoreCase(opt, "len")) {
                getLen = true;
            } else if (Bytes.eqIgnoreCase(opt, "withmatchlen")) {
                withMatchLen = true;
            } else if (Bytes.eqIgnoreCase(opt, "minmatchlen") && j < argc - 1) {
                if (!Numbers.isLong(argv[j + 1])) {
                    c.reply.error(Errors.NOT_INTEGER);
                    return;
                }
                minMatchLen = Math.max(0, Numbers.parseLong(argv[++j]));
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
        if (getLen && getIdx) {
            c.reply.error("ERR If you want both the length and indexes, please just use IDX.");
            return;
        }
        int alen = a.length, blen = b.length;
        // The table has (alen+1)*(blen+1) 32-bit cells; Redis caps it at proto-max-bulk-len bytes.
        long cells = (long) (alen + 1) * (blen + 1);
        if (cells > c.engine.config.protoMaxBulkLen / 4) {
            c.reply.error("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
            return;
        }
        int[] t = null;
        if (cells <= StringCommands.MAX_ARRAY) {
            try {
                t = new int[(int) cells];
            } catch (OutOfMemoryError e) {
                t = null; // a transient table too big for the heap: refuse, as Redis does on malloc failure
            }
        }
        if (t == null) {
            c.reply.error("ERR Insufficient memory, failed allocating transient memory for LCS");
            return;
        }
        fill(t, a, b);
        int width = blen + 1;
        int lcsLen = t[alen * width + blen];

        boolean computeLcs = getIdx || !getLen;
        byte[] result = computeLcs ? new byte[lcsLen] : null;
        int handle = -1;
        if (getIdx) {
            c.reply.mapHeader(2);
            c.reply.bulk(MATCHES);
            handle = c.reply.deferLength();
        }
        long ranges = 0;
        int idx = lcsLen;
        int i = alen, j = blen;
        int aStart = alen, aEnd = 0, bStart = 0, bEnd = 0; // aStart == alen: no range open
        while (computeLcs && i > 0 && j > 0) {
            boolean emit = false;
            if (a[i - 1] == b[j - 1]) {
                result[idx - 1] = a[i - 1];
                if (aStart == alen) {
                    aStart = aEnd = i - 1;
                    bStart = bEnd = j - 1;
                } else if (aStart == i && bStart == j) {
                    aStart--; // the range extends backwards
                    bStart--;
                } else {
                    emit = true;
                }
                if (aStart == 0 || bStart == 0) emit = true;
                idx--;
                i--;
                j--;
            } else {
                if (t[(i - 1) * width + j] > t[i * width + j - 1]) i--;
                else j--;
                if (aStart != alen) emit = true;
            }
            if (emit) {
                int matchLen = aEnd - aStart + 1;
                if (getIdx && (minMatchLen == 0 || matchLen >= minMatchLen)) {
                    c.reply.arrayHeader(withMatchLen ? 3 : 2);
                    c.reply.arrayHeader(2);
                    c.reply.integer(aStart);
                    c.reply.integer(aEnd);
                    c.reply.arrayHeader(2);
                    c.reply.integer(bStart);
                    c.reply.integer(bEnd);
                    if (withMatchLen) c.reply.integer(matchLen);
                    ranges++;
                }
                aStart = alen;
            }
        }
        if (getIdx) {
            c.reply.bulk(LEN);
            c.reply.integer(lcsLen);
            c.reply.setDeferredArray(handle, ranges);
        } else if (getLen) {
            c.reply.integer(lcsLen);
        } else {
            c.reply.bulk(result);
        }
    }

    /** t[i*(blen+1)+j] = length of the LCS of a[0..i) and b[0..j). Row 0 and column 0 stay 0. */
    private static void fill(int[] t, byte[] a, byte[] b) {
        int width = b.length + 1;
        for (int i = 1; i <= a.length; i++) {
            int row = i * width, up = row - width;
            byte ai = a[i - 1];
            for (int j = 1; j <= b.length; j++) {
                if (ai == b[j - 1]) {
                    t[row + j] = t[up + j - 1] + 1;
                } else {
                    int l1 = t[up + j], l2 = t[row + j - 1];
                    t[row + j] = l1 > l2 ? l1 : l2;
                }
            }
        }
    }
}
