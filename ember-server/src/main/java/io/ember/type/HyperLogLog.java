package io.ember.type;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Redis's HyperLogLog (hyperloglog.c), byte for byte: a string starting with a 16-byte header
 * ("HYLL", encoding, 3 unused bytes, the cached cardinality as a little-endian 64-bit integer whose
 * top bit marks it invalid) followed by either the dense form (16384 6-bit registers packed from
 * the least significant bit, 12288 bytes) or the sparse form (run-length opcodes: ZERO
 * {@code 00xxxxxx} = 1-64 zero registers, XZERO {@code 01xxxxxx yyyyyyyy} = 1-16384 zero
 * registers, VAL {@code 1vvvvvxx} = 1-4 registers of value 1-32). Elements are hashed with
 * MurmurHash64A (seed 0xadc83b19) and counted with Redis 7.0's estimator (Ertl's tau/sigma
 * correction), so the same inputs give the same bytes and the same counts as Redis.
 *
 * <p>An instance wraps one value while a command works on it: registers change in place, and
 * sparse edits that grow or shrink the string work in a larger buffer; {@link #bytes()} is the
 * resulting value (the original array when its length did not change).
 */
public final class HyperLogLog {
    public static final int P = 14, Q = 64 - P, REGISTERS = 1 << P, BITS = 6, REGISTER_MAX = (1 << BITS) - 1;
    public static final int HDR_SIZE = 16;
    public static final int DENSE_SIZE = HDR_SIZE + (REGISTERS * BITS + 7) / 8;
    public static final int DENSE = 0, SPARSE = 1;
    private static final int ENCODING_OFFSET = 4, CARD_OFFSET = 8;
    private static final int VAL_MAX_VALUE = 32, VAL_MAX_LEN = 4, ZERO_MAX_LEN = 64, XZERO_MAX_LEN = 16384;
    private static final double ALPHA_INF = 0.721347520444481703680; // 1 / (2 ln 2)
    private static final long SEED = 0xadc83b19L;
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] b;
    private int len;

    public HyperLogLog(byte[] value) {
        this.b = value;
        this.len = value.length;
    }

    /** The value as it is now (the same array if its length did not change). */
    public byte[] bytes() {
        return len == b.length ? b : Arrays.copyOf(b, len);
    }

    public int encoding() {
        return b[ENCODING_OFFSET];
    }

    /** createHLLObject: an empty sparse HLL (one XZERO covering every register), cache valid at 0. */
    public static byte[] create() {
        byte[] v = new byte[HDR_SIZE + 2];
        v[0] = 'H';
        v[1] = 'Y';
        v[2] = 'L';
        v[3] = 'L';
        v[ENCODING_OFFSET] = SPARSE;
        setXzero(v, HDR_SIZE, REGISTERS);
        return v;
    }

    /** isHLLObjectOrReply's test of the bytes: header, magic, known encoding, exact dense length. */
    public static boolean looksValid(byte[] v) {
        if (v.length < HDR_SIZE || v[0] != 'H' || v[1] != 'Y' || v[2] != 'L' || v[3] != 'L') return false;
        int enc = v[ENCODING_OFFSET] & 0xff;
        if (enc > SPARSE) return false;
        return enc != DENSE || v.length == DENSE_SIZE;
    }

    // ---- cached cardinality ---------------------------------------------------------------------

    public boolean cacheValid() {
        return (b[CARD_OFFSET + 7] & 0x80) == 0;
    }

    public void invalidateCache() {
        b[CARD_OFFSET + 7] |= (byte) 0x80;
    }

    public long cachedCount() {
        return (long) LONG_LE.get(b, CARD_OFFSET);
    }

    public void setCachedCount(long card) {
        LONG_LE.set(b, CARD_OFFSET, card);
    }

    // ---- hashing ---------------------------------------------------------------------------------

    /** MurmurHash64A as Redis builds it (endian-neutral: little-endian words). */
    public static long murmurHash64A(byte[] key, int off, int n, long seed) {
        final long m = 0xc6a4a7935bd1e995L;
        final int r = 47;
        long h = seed ^ ((n & 0xffffffffL) * m);
        int end = off + (n - (n & 7));
        int i = off;
        for (; i < end; i += 8) {
            long k = (long) LONG_LE.get(key, i);
            k *= m;
            k ^= k >>> r;
            k *= m;
            h ^= k;
            h *= m;
        }
        int rest = n & 7;
        if (rest > 0) {
            for (int j = rest - 1; j >= 0; j--) h ^= (long) (key[i + j] & 0xff) << (8 * j);
            h *= m;
        }
        h ^= h >>> r;
        h *= m;
        h ^= h >>> r;
        return h;
    }

    /** hllPatLen: the register index in the low 32 bits, the run length "000..1" (1..Q+1) above. */
    static long patLen(byte[] ele, int off, int n) {
        long hash = murmurHash64A(ele, off, n, SEED);
        long index = hash & (REGISTERS - 1);
        hash = (hash >>> P) | (1L << Q); // makes sure the count is at most Q+1
        long count = Long.numberOfTrailingZeros(hash) + 1;
        return (count << 32) | index;
    }

    // ---- dense registers -------------------------------------------------------------------------

    /** Register {@code i} of a dense HLL (bytes past the array read as 0, as the sds terminator). */
    static int denseGet(byte[] v, int i) {
        int bitPos = i * BITS, idx = HDR_SIZE + (bitPos >>> 3), fb = bitPos & 7;
        int b0 = v[idx] & 0xff, b1 = idx + 1 < v.length ? v[idx + 1] & 0xff : 0;
        return ((b0 >>> fb) | (b1 << (8 - fb))) & REGISTER_MAX;
    }

    static void denseSetRegister(byte[] v, int i, int val) {
        int bitPos = i * BITS, idx = HDR_SIZE + (bitPos >>> 3), fb = bitPos & 7, fb8 = 8 - fb;
        v[idx] = (byte) ((v[idx] & ~(REGISTER_MAX << fb)) | (val << fb));
        if (idx + 1 < v.length) v[idx + 1] = (byte) ((v[idx + 1] & ~(REGISTER_MAX >>> fb8)) | (val >>> fb8));
    }

    /** hllDenseSet: raises register {@code index} to {@code count}; 1 if it changed. */
    private int denseSet(int index, int count) {
        if (count > denseGet(b, index)) {
            denseSetRegister(b, index, count);
            return 1;
        }
        return 0;
    }

    // ---- sparse opcodes --------------------------------------------------------------------------

    private static boolean isZero(int op) {
        return (op & 0xc0) == 0;
    }

    private static boolean isXzero(int op) {
        return (op & 0xc0) == 0x40;
    }

    private static boolean isVal(int op) {
        return (op & 0x80) != 0;
    }

    private static int zeroLen(int op) {
        return (op & 0x3f) + 1;
    }

    private int xzeroLen(int p) {
        int next = p + 1 < len ? b[p + 1] & 0xff : 0; // past the end reads the sds terminator
        return (((b[p] & 0x3f) << 8) | next) + 1;
    }

    private static int valValue(int op) {
        return ((op >> 2) & 0x1f) + 1;
    }

    private static int valLen(int op) {
        return (op & 0x3) + 1;
    }

    private static byte val(int value, int n) {
        return (byte) (((value - 1) << 2 | (n - 1)) | 0x80);
    }

    private static void setXzero(byte[] v, int p, int n) {
        int l = n - 1;
        v[p] = (byte) ((l >> 8) | 0x40);
        v[p + 1] = (byte) (l & 0xff);
    }

    // ---- adding ----------------------------------------------------------------------------------

    /** hllAdd: 1 if a register changed, 0 if not, -1 if the representation is corrupt. */
    public int add(byte[] ele, long sparseMaxBytes) {
        long pl = patLen(ele, 0, ele.length);
        int index = (int) pl, count = (int) (pl >>> 32);
        return switch (encoding()) {
            case DENSE -> denseSet(index, count);
            case SPARSE -> sparseSet(index, count, sparseMaxBytes);
            default -> -1;
        };
    }

    /**
     * hllSparseSet: raises register {@code index} to {@code count} in the sparse form, splitting the
     * opcode that covers it and merging equal neighbouring VAL opcodes afterwards, exactly as Redis
     * does so that the bytes match. Converts to dense when the value does not fit a VAL opcode or
     * the string would pass {@code sparseMaxBytes}. Returns 1, 0, or -1 for a corrupt HLL.
     */
    public int sparseSet(int index, int count, long sparseMaxBytes) {
        if (count > VAL_MAX_VALUE) return promote(index, count);
        int sparse = HDR_SIZE, p = sparse, end = len;
        int first = 0, span = 0, prev = -1;
        // Step 1: the opcode covering 'index'.
        while (p < end) {
            int op = b[p] & 0xff, oplen = 1;
            if (isZero(op)) span = zeroLen(op);
            else if (isVal(op)) span = valLen(op);
            else {
                span = xzeroLen(p);
                oplen = 2;
            }
            if (index <= first + span - 1) break;
            prev = p;
            p += oplen;
            first += span;
        }
        if (span == 0 || p >= end) return -1;
        int op = b[p] & 0xff;
        int next = isXzero(op) ? p + 2 : p + 1;
        if (next >= end) next = -1;
        boolean zero = isZero(op), xzero = isXzero(op), isval = isVal(op);
        int runlen = zero ? zeroLen(op) : xzero ? xzeroLen(p) : valLen(op);

        // Step 2: the trivial cases, then the general split.
        boolean done = false;
        if (isval) {
            if (valValue(op) >= count) return 0;
            if (runlen == 1) {
                b[p] = val(count, 1);
                done = true;
            }
        }
        if (!done && zero && runlen == 1) {
            b[p] = val(count, 1);
            done = true;
        }
        if (!done) {
            byte[] seq = new byte[5];
            int n = 0, last = first + span - 1;
            if (zero || xzero) {
                if (index != first) n = putZeros(seq, n, index - first);
                seq[n++] = val(count, 1);
                if (index != last) n = putZeros(seq, n, last - index);
            } else {
                int curval = valValue(op);
                if (index != first) seq[n++] = val(curval, index - first);
                seq[n++] = val(count, 1);
                if (index != last) seq[n++] = val(curval, last - index);
            }
            // Step 3: the new sequence replaces the old opcode.
            int oldlen = xzero ? 2 : 1, delta = n - oldlen;
            if (delta > 0 && (long) len + delta > sparseMaxBytes) return promote(index, count);
            if (delta > 0 && len + delta > b.length) b = Arrays.copyOf(b, len + delta + 16);
            if (delta != 0 && next >= 0) System.arraycopy(b, next, b, next + delta, end - next);
            len += delta;
            System.arraycopy(seq, 0, b, p, n);
            end += delta;
        }
        // Step 4: merge adjacent VAL opcodes of equal value, scanning up to 5 opcodes from prev.
        p = prev >= 0 ? prev : sparse;
        int scan = 5;
        while (p < end && scan-- > 0) {
            int o = b[p] & 0xff;
            if (isXzero(o)) {
                p += 2;
                continue;
            } else if (isZero(o)) {
                p++;
                continue;
            }
            if (p + 1 < end && isVal(b[p + 1] & 0xff)) {
                int o2 = b[p + 1] & 0xff;
                int v1 = valValue(o), v2 = valValue(o2);
                if (v1 == v2) {
                    int l = valLen(o) + valLen(o2);
                    if (l <= VAL_MAX_LEN) {
                        b[p + 1] = val(v1, l);
                        System.arraycopy(b, p + 1, b, p, end - p - 1);
                        len--;
                        end--;
                        continue; // try to merge the merged opcode with its right neighbour
                    }
                }
            }
            p++;
        }
        invalidateCache();
        return 1;
    }

    /** A run of {@code n} zero registers as one ZERO or XZERO opcode. */
    private static int putZeros(byte[] seq, int n, int zeros) {
        if (zeros > ZERO_MAX_LEN) {
            setXzero(seq, n, zeros);
            return n + 2;
        }
        seq[n] = (byte) (zeros - 1);
        return n + 1;
    }

    private int promote(int index, int count) {
        if (!sparseToDense()) return -1;
        return denseSet(index, count); // always 1: a register needed to change
    }

    /**
     * hllSparseToDense: rewrites a sparse HLL as dense, keeping the header (with its cached
     * cardinality). False if the sparse form is corrupt (then nothing changes). A dense HLL is left as is.
     */
    public boolean sparseToDense() {
        if (encoding() == DENSE) return true;
        byte[] dense = new byte[DENSE_SIZE];
        System.arraycopy(b, 0, dense, 0, HDR_SIZE);
        dense[ENCODING_OFFSET] = DENSE;
        int idx = 0, p = HDR_SIZE;
        while (p < len) {
            int op = b[p] & 0xff;
            // A run past the last register means corruption, even if the runs before it add up
            // (the CVE-2025-32023 fix, which Debian's 7.0.15 carries).
            int runlen = isZero(op) ? zeroLen(op) : isXzero(op) ? xzeroLen(p) : valLen(op);
            if (runlen + idx > REGISTERS) return false;
            if (isZero(op)) {
                idx += runlen;
                p++;
            } else if (isXzero(op)) {
                idx += runlen;
                p += 2;
            } else {
                int regval = valValue(op);
                while (runlen-- > 0) denseSetRegister(dense, idx++, regval);
                p++;
            }
        }
        if (idx != REGISTERS) return false;
        b = dense;
        len = DENSE_SIZE;
        return true;
    }

    // ---- merging and counting --------------------------------------------------------------------

    /** hllMerge: max[i] = max(max[i], register i). False if a sparse HLL is corrupt. */
    public boolean mergeInto(byte[] max) {
        if (encoding() == DENSE) {
            for (int i = 0; i < REGISTERS; i++) {
                int v = denseGet(b, i);
                if (v > max[i]) max[i] = (byte) v;
            }
            return true;
        }
        int i = 0, p = HDR_SIZE;
        while (p < len) {
            int op = b[p] & 0xff;
            int runlen = isZero(op) ? zeroLen(op) : isXzero(op) ? xzeroLen(p) : valLen(op);
            if (runlen + i > REGISTERS) return false; // as in sparseToDense
            if (isZero(op)) {
                i += runlen;
                p++;
            } else if (isXzero(op)) {
                i += runlen;
                p += 2;
            } else {
                int regval = valValue(op);
                while (runlen-- > 0) {
                    if (regval > max[i]) max[i] = (byte) regval;
                    i++;
                }
                p++;
            }
        }
        return i == REGISTERS;
    }

    /** Writes merged registers into this HLL (PFMERGE's last step), through the dense or sparse setter. */
    public void setAll(byte[] max, long sparseMaxBytes) {
        for (int j = 0; j < REGISTERS; j++) {
            if (max[j] == 0) continue;
            if (encoding() == DENSE) denseSet(j, max[j]);
            else sparseSet(j, max[j], sparseMaxBytes);
        }
    }

    /**
     * hllCount: the estimate of this HLL, or -1 if its sparse form does not cover exactly the
     * 16384 registers (PFCOUNT then reports a corrupt object).
     */
    public long count() {
        int[] histo = new int[64];
        if (encoding() == DENSE) {
            for (int i = 0; i < REGISTERS; i++) histo[denseGet(b, i)]++;
        } else {
            int idx = 0, p = HDR_SIZE;
            while (p < len) {
                int op = b[p] & 0xff;
                if (isZero(op)) {
                    int r = zeroLen(op);
                    idx += r;
                    histo[0] += r;
                    p++;
                } else if (isXzero(op)) {
                    int r = xzeroLen(p);
                    idx += r;
                    histo[0] += r;
                    p += 2;
                } else {
                    int r = valLen(op);
                    idx += r;
                    histo[valValue(op)] += r;
                    p++;
                }
            }
            if (idx != REGISTERS) return -1;
        }
        return estimate(histo);
    }

    /** The estimate of registers held one per byte (PFCOUNT of several keys). */
    public static long countRaw(byte[] registers) {
        int[] histo = new int[64];
        for (int i = 0; i < REGISTERS; i++) histo[registers[i]]++;
        return estimate(histo);
    }

    /** Ertl's improved raw estimator, as hllCount computes it from the register histogram. */
    static long estimate(int[] histo) {
        double m = REGISTERS;
        double z = m * tau((m - histo[Q + 1]) / m);
        for (int j = Q; j >= 1; --j) {
            z += histo[j];
            z *= 0.5;
        }
        z += m * sigma(histo[0] / m);
        return Math.round(ALPHA_INF * m * m / z);
    }

    private static double sigma(double x) {
        if (x == 1.) return Double.POSITIVE_INFINITY;
        double zPrime, y = 1, z = x;
        do {
            x *= x;
            zPrime = z;
            z += x * y;
            y += y;
        } while (zPrime != z);
        return z;
    }

    private static double tau(double x) {
        if (x == 0. || x == 1.) return 0.;
        double zPrime, y = 1.0, z = 1 - x;
        do {
            x = Math.sqrt(x);
            zPrime = z;
            y *= 0.5;
            double d = 1 - x;
            z -= d * d * y;
        } while (zPrime != z);
        return z / 3;
    }

    // ---- PFDEBUG ---------------------------------------------------------------------------------

    /** Register {@code i} of this (dense) HLL. */
    public int register(int i) {
        return denseGet(b, i);
    }

    /** PFDEBUG DECODE's text of a sparse HLL: "z:n", "Z:n" and "v:value,n" separated by spaces. */
    public String decode() {
        StringBuilder sb = new StringBuilder();
        int p = HDR_SIZE;
        while (p < len) {
            int op = b[p] & 0xff;
            if (sb.length() > 0) sb.append(' ');
            if (isZero(op)) {
                sb.append("z:").append(zeroLen(op));
                p++;
            } else if (isXzero(op)) {
                sb.append("Z:").append(xzeroLen(p));
                p += 2;
            } else {
                sb.append("v:").append(valValue(op)).append(',').append(valLen(op));
                p++;
            }
        }
        return sb.toString();
    }

    // ---- PFSELFTEST ------------------------------------------------------------------------------

    /**
     * pfselftestCommand's checks: dense registers keep the values written without disturbing their
     * neighbours, and dense and sparse HLLs fed the same 10^7 elements agree and stay within six
     * standard errors at every power of ten. Returns null on success, else the error text.
     */
    public static String selfTest(long sparseMaxBytes, java.util.Random rnd) {
        byte[] dense = new byte[DENSE_SIZE];
        byte[] expected = new byte[REGISTERS];
        for (int cycle = 0; cycle < 1000; cycle++) {
            for (int i = 0; i < REGISTERS; i++) {
                int r = rnd.nextInt() & REGISTER_MAX;
                expected[i] = (byte) r;
                denseSetRegister(dense, i, r);
            }
            for (int i = 0; i < REGISTERS; i++) {
                int v = denseGet(dense, i);
                if (v != expected[i]) return "TESTFAILED Register " + i + " should be " + expected[i] + " but is " + v;
            }
        }
        Arrays.fill(dense, HDR_SIZE, DENSE_SIZE, (byte) 0);
        dense[ENCODING_OFFSET] = DENSE;
        HyperLogLog d = new HyperLogLog(dense), s = new HyperLogLog(create());
        double relerr = 1.04 / Math.sqrt(REGISTERS);
        long checkpoint = 1, seed = rnd.nextLong();
        byte[] ele = new byte[8];
        for (long j = 1; j <= 10_000_000; j++) {
            LONG_LE.set(ele, 0, j ^ seed);
            d.add(ele, sparseMaxBytes);
            s.add(ele, sparseMaxBytes);
            if (j != checkpoint) continue;
            if (j < sparseMaxBytes / 2 && s.encoding() != SPARSE) return "TESTFAILED sparse encoding not used";
            if (d.count() != s.count()) return "TESTFAILED dense/sparse disagree";
            long abserr = Math.abs(checkpoint - d.count());
            long maxerr = (long) Math.ceil(relerr * 6 * checkpoint);
            if (j == 10) maxerr = 1;
            if (abserr > maxerr) return "TESTFAILED Too big error. card:" + checkpoint + " abserr:" + abserr;
            checkpoint *= 10;
        }
        return null;
    }
}
