package io.ember.persist.rdb;

/**
 * A value decoded from RDB, ready for the keyspace: the object as {@code Database} stores it and
 * its {@code ValueType} type and encoding codes.
 */
public record RdbValue(Object value, int type, int encoding) {}
