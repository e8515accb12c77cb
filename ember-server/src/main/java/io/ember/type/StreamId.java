package io.ember.type;

/**
 * A stream entry ID: two unsigned 64-bit numbers (milliseconds, sequence), ordered as unsigned
 * pairs (Redis's streamID). Immutable, so it can key the sorted maps of {@link StreamValue}.
 */
public final class StreamId implements Comparable<StreamId> {
    public static final StreamId MIN = new StreamId(0, 0);
    public static final StreamId MAX = new StreamId(-1L, -1L);

    public final long ms;
    public final long seq;

    public StreamId(long ms, long seq) {
        this.ms = ms;
        this.seq = seq;
    }

    @Override
    public int compareTo(StreamId o) {
        int c = Long.compareUnsigned(ms, o.ms);
        return c != 0 ? c : Long.compareUnsigned(seq, o.seq);
    }

    public boolean isZero() {
        return ms == 0 && seq == 0;
    }

    /** The next ID (streamIncrID), or null when this is the largest possible one. */
    public StreamId next() {
        if (seq != -1L) return new StreamId(ms, seq + 1);
        if (ms != -1L) return new StreamId(ms + 1, 0);
        return null;
    }

    /** The previous ID (streamDecrID), or null for 0-0. */
    public StreamId prev() {
        if (seq != 0) return new StreamId(ms, seq - 1);
        if (ms != 0) return new StreamId(ms - 1, -1L);
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StreamId s && s.ms == ms && s.seq == seq;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(ms) * 31 + Long.hashCode(seq);
    }

    /** "ms-seq", both unsigned. */
    @Override
    public String toString() {
        return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
    }

    /** "ms-seq" as bytes, written straight as digits (every XADD reply and entry carries one). */
    public byte[] toBytes() {
        if (ms < 0 || seq < 0) return io.ember.util.Bytes.ascii(toString()); // past 2^63: unsigned text
        int a = io.ember.util.Numbers.digits(ms), n = a + 1 + io.ember.util.Numbers.digits(seq);
        byte[] out = new byte[n];
        io.ember.util.Numbers.writeDigits(ms, out, a);
        out[a] = '-';
        io.ember.util.Numbers.writeDigits(seq, out, n);
        return out;
    }
}
