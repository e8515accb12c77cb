package io.ember.persist.rdb;

import java.util.Arrays;

/**
 * LZF compression that makes the same choices as the liblzf build inside Redis (lzf_c.c with
 * HLOG 16 and VERY_FAST): same hash of the next three bytes, same match rules (offset below
 * 8 KB, length up to 264, no match in the last four bytes), same re-hashing after a match. Its
 * output is therefore byte-for-byte Redis's, so DUMP payloads and RDB files match redis-server's
 * exactly and are never larger. (compress-lzf, behind {@link Lzf}, produces valid but different
 * blocks, a little larger on short repetitive strings.)
 *
 * <p>Redis leaves its hash table uninitialized; here a slot only counts when written during the
 * current call, which is what a clean table gives. Instead of clearing 64K slots per string,
 * positions are stored with a per-call base: anything below the current base is from an earlier
 * call and ignored. One instance per thread.
 */
public final class LzfCompressor {
    private static final int HLOG = 16;
    private static final int HSIZE = 1 << HLOG;
    private static final int MAX_LIT = 1 << 5;
    private static final int MAX_OFF = 1 << 13;
    private static final int MAX_REF = (1 << 8) + (1 << 3);

    private final int[] htab = new int[HSIZE];
    /** Slot values are base + position; 0 (never written) and older calls' values are below base. */
    private int base = 1;

    private static int idx(int h) {
        return ((h >>> (3 * 8 - HLOG)) - h * 5) & (HSIZE - 1);
    }

    /**
     * Compresses {@code in[off, off+len)} into {@code out} from 0 and returns the compressed
     * length, or 0 when it would not fit in {@code outLen} bytes (lzf_compress's contract).
     * {@code out} must have room for {@code outLen + 2} bytes.
     */
    public int compress(byte[] in, int off, int len, byte[] out, int outLen) {
        if (len == 0 || outLen == 0) return 0;
        if (out.length < outLen + 2) throw new IllegalArgumentException("output buffer too small");
        if (base > Integer.MAX_VALUE - len - 1) {
            Arrays.fill(htab, 0);
            base = 1;
        }
        int result = run(in, off, len, out, outLen, base);
        base += len;
        return result;
    }

    private int run(byte[] in, int off, int len, byte[] out, int outLen, int base) {
        int ip = 0;
        int op = 1; // out[0] will hold the first literal run's length
        int lit = 0;
        int hval = len >= 2 ? (in[off] & 0xff) << 8 | (in[off + 1] & 0xff) : 0;
        while (ip < len - 2) {
            hval = (hval << 8) | (in[off + ip + 2] & 0xff);
            int slot = idx(hval);
            int ref = htab[slot] - base;
            htab[slot] = base + ip;
            int dist = ip - ref - 1;
            if (ref > 0 && dist >= 0 && dist < MAX_OFF && ip + 4 < len
                    && in[off + ref] == in[off + ip] && in[off + ref + 1] == in[off + ip + 1]
                    && in[off + ref + 2] == in[off + ip + 2]) {
                int mlen = 2;
                int maxlen = Math.min(len - ip - mlen, MAX_REF);
                out[op - lit - 1] = (byte) (lit - 1); // close the literal run
                if (lit == 0) op--; // ... or drop it if empty
                if (op + 3 + 1 >= outLen) return 0;
                mlen = matchEnd(in, off + ref, off + ip, mlen, maxlen);
                mlen -= 2; // matched octets - 2, as a back reference stores them
                ip++;
                if (mlen < 7) {
                    out[op++] = (byte) ((dist >>> 8) + (mlen << 5));
                } else {
                    out[op++] = (byte) ((dist >>> 8) + (7 << 5));
                    out[op++] = (byte) (mlen - 7);
                }
                out[op++] = (byte) dist;
                lit = 0;
                op++; // open a new literal run
                ip += mlen + 1;
                if (ip >= len - 2) break;
                // VERY_FAST: hash the last two positions of the match so later data can refer to them
                ip -= 2;
                hval = (in[off + ip] & 0xff) << 8 | (in[off + ip + 1] & 0xff);
                hval = (hval << 8) | (in[off + ip + 2] & 0xff);
                htab[idx(hval)] = base + ip;
                ip++;
                hval = (hval << 8) | (in[off + ip + 2] & 0xff);
                htab[idx(hval)] = base + ip;
                ip++;
            } else {
                if (op >= outLen) return 0;
                lit++;
                out[op++] = in[off + ip++];
                if (lit == MAX_LIT) {
                    out[op - lit - 1] = (byte) (lit - 1);
                    lit = 0;
                    op++;
                }
            }
        }
        if (op + 3 > outLen) return 0; // at most 3 more bytes below
        while (ip < len) {
            lit++;
            out[op++] = in[off + ip++];
            if (lit == MAX_LIT) {
                out[op - lit - 1] = (byte) (lit - 1);
                lit = 0;
                op++;
            }
        }
        out[op - lit - 1] = (byte) (lit - 1);
        if (lit == 0) op--;
        return op;
    }

    /**
     * The number of matching octets at {@code r} (earlier) and {@code p}, given that the first
     * {@code len + 1} match, following lzf_c.c's loop step for step (sixteen steps without the
     * maxlen check when maxlen > 16, then one at a time up to maxlen) so the result is the same.
     */
    private static int matchEnd(byte[] in, int r, int p, int len, int maxlen) {
        if (maxlen > 16) {
            for (int k = 0; k < 16; k++) {
                len++;
                if (in[r + len] != in[p + len]) return len;
            }
        }
        do {
            len++;
        } while (len < maxlen && in[r + len] == in[p + len]);
        return len;
    }
}
