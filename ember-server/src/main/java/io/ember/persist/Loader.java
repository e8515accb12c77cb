package io.ember.persist;

import java.io.IOException;

/**
 * A load at start-up that runs on the engine thread in bounded steps (an RDB file, or the AOF
 * files of a manifest). While one is in progress the server answers -LOADING and INFO reports
 * its progress.
 */
public interface Loader extends AutoCloseable {
    /** Loads for about {@code budgetNanos}; returns true when everything has been read. */
    boolean step(long budgetNanos) throws IOException;

    long bytesRead();

    long totalBytes();

    /** Keys created from RDB data (rdb_last_load_keys_loaded). */
    long keysLoaded();

    /** Keys skipped as already expired (rdb_last_load_keys_expired). */
    long keysExpired();

    @Override
    void close() throws IOException;
}
