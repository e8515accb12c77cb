package io.ember.persist.rdb;

import java.io.IOException;

/**
 * Any malformed RDB input: truncation, an impossible length, a bad encoding, a corrupt ziplist or
 * listpack, a checksum mismatch. Carries the byte offset where the problem was found so start-up
 * and ember-check-rdb can name it. An IOException so that {@code EmberServer.start} reports it
 * like any other failure to read the file.
 */
public final class RdbFormatException extends IOException {
    private final long offset;
    private final String reason;

    public RdbFormatException(String reason, long offset) {
        super(reason + " (at offset " + offset + ")");
        this.reason = reason;
        this.offset = offset;
    }

    /** The byte offset in the file or payload (-1 when not known). */
    public long offset() {
        return offset;
    }

    /** The message without the offset. */
    public String reason() {
        return reason;
    }
}
