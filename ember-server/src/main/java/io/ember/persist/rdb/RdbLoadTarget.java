package io.ember.persist.rdb;

import java.io.IOException;

/**
 * Receives what {@link RdbReader} decodes, one item per call. The start-up loader puts keys into
 * the databases; ember-check-rdb only counts them.
 */
public interface RdbLoadTarget {
    /** An AUX field (redis-ver, ctime, used-mem...), unknown ones included. */
    default void aux(String name, byte[] value) throws IOException {}

    /** SELECTDB: the keys that follow belong to {@code db}. */
    default void selectDb(int db, long offset) throws IOException {}

    /** A function library (FUNCTION2): its whole code. Throw {@link RdbFormatException} to refuse it. */
    default void function(byte[] code, long offset) throws IOException {}

    /** A RESIZEDB hint for the current database. */
    default void resizeDb(int db, long keys, long expires) throws IOException {}

    /**
     * One key. {@code expireAtMs} is 0 without a TTL; {@code idleSeconds} is -1 without an IDLE
     * opcode, {@code freq} -1 without FREQ. Throw {@link RdbFormatException} to refuse it
     * (a duplicate key).
     */
    void key(int db, byte[] key, RdbValue value, long expireAtMs, long idleSeconds, int freq, long offset) throws IOException;
}
