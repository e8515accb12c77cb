package io.ember.util;

import java.util.Arrays;

/** A {@code byte[]} usable as a HashMap key, for side tables that are off the hot path. */
public record ByteKey(byte[] bytes) {
    @Override
    public boolean equals(Object o) {
        return o instanceof ByteKey k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return Bytes.latin1(bytes);
    }
}
