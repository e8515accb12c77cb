package io.ember.type;

import io.ember.util.Numbers;

/** String values are plain {@code byte[]}; this picks the encoding Redis would report for them. */
public final class Strings {
    private Strings() {}

    /** Longest string Redis stores as "embstr" (OBJ_ENCODING_EMBSTR_SIZE_LIMIT). */
    public static final int EMBSTR_LIMIT = 44;

    /** Encoding of a value stored by SET and friends (tryObjectEncoding): int, embstr or raw. */
    public static int encodingFor(byte[] v) {
        if (v.length <= Numbers.MAX_LONG_CHARS && Numbers.isLong(v)) return ValueType.ENC_INT;
        return v.length <= EMBSTR_LIMIT ? ValueType.ENC_EMBSTR : ValueType.ENC_RAW;
    }

    /** Encoding of a value created from a formatted string (INCRBYFLOAT): embstr or raw, never int. */
    public static int encodingForCreated(byte[] v) {
        return v.length <= EMBSTR_LIMIT ? ValueType.ENC_EMBSTR : ValueType.ENC_RAW;
    }
}
