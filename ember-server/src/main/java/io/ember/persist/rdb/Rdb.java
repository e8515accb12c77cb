package io.ember.persist.rdb;

/**
 * Constants of the RDB format (Redis's rdb.h): opcodes, value types and the special encodings
 * of lengths and strings. Ember writes version 10 (Redis 7.0) and reads every version up to 11.
 */
public final class Rdb {
    private Rdb() {}

    public static final byte[] MAGIC = {'R', 'E', 'D', 'I', 'S'};
    /** The version Ember writes (Redis 7.0). */
    public static final int VERSION = 10;
    /** The newest version Ember reads (Redis 7.2). */
    public static final int MAX_READ_VERSION = 11;

    // ---- value types (the byte before the key) ----
    public static final int TYPE_STRING = 0;
    public static final int TYPE_LIST = 1;
    public static final int TYPE_SET = 2;
    public static final int TYPE_ZSET = 3;
    public static final int TYPE_HASH = 4;
    public static final int TYPE_ZSET_2 = 5;
    public static final int TYPE_MODULE = 6;
    public static final int TYPE_MODULE_2 = 7;
    public static final int TYPE_HASH_ZIPMAP = 9;
    public static final int TYPE_LIST_ZIPLIST = 10;
    public static final int TYPE_SET_INTSET = 11;
    public static final int TYPE_ZSET_ZIPLIST = 12;
    public static final int TYPE_HASH_ZIPLIST = 13;
    public static final int TYPE_LIST_QUICKLIST = 14;
    public static final int TYPE_STREAM_LISTPACKS = 15;
    public static final int TYPE_HASH_LISTPACK = 16;
    public static final int TYPE_ZSET_LISTPACK = 17;
    public static final int TYPE_LIST_QUICKLIST_2 = 18;
    public static final int TYPE_STREAM_LISTPACKS_2 = 19;
    public static final int TYPE_SET_LISTPACK = 20;
    public static final int TYPE_STREAM_LISTPACKS_3 = 21;

    // ---- opcodes ----
    public static final int OPCODE_FUNCTION2 = 245;
    public static final int OPCODE_FUNCTION = 246;
    public static final int OPCODE_MODULE_AUX = 247;
    public static final int OPCODE_IDLE = 248;
    public static final int OPCODE_FREQ = 249;
    public static final int OPCODE_AUX = 250;
    public static final int OPCODE_RESIZEDB = 251;
    public static final int OPCODE_EXPIRETIME_MS = 252;
    public static final int OPCODE_EXPIRETIME = 253;
    public static final int OPCODE_SELECTDB = 254;
    public static final int OPCODE_EOF = 255;

    // ---- length encoding: the two top bits of the first byte ----
    public static final int LEN_6BIT = 0;
    public static final int LEN_14BIT = 1;
    public static final int LEN_32BIT = 0x80;
    public static final int LEN_64BIT = 0x81;
    /** Top bits 11: the rest of the byte is one of the ENC_* string encodings below. */
    public static final int LEN_ENCVAL = 3;

    public static final int ENC_INT8 = 0;
    public static final int ENC_INT16 = 1;
    public static final int ENC_INT32 = 2;
    public static final int ENC_LZF = 3;

    /** Quicklist 2 node containers. */
    public static final int QUICKLIST_NODE_PLAIN = 1;
    public static final int QUICKLIST_NODE_PACKED = 2;
}
