package io.ember.type;

/**
 * Type and encoding codes packed in a key's meta word, numbered as Redis numbers them
 * (server.h OBJ_* and OBJ_ENCODING_*), so TYPE, OBJECT ENCODING and later RDB share one code.
 */
public final class ValueType {
    private ValueType() {}

    public static final int STRING = 0;
    public static final int LIST = 1;
    public static final int SET = 2;
    public static final int ZSET = 3;
    public static final int HASH = 4;
    public static final int STREAM = 6;

    public static final int ENC_RAW = 0;
    public static final int ENC_INT = 1;
    public static final int ENC_HT = 2;
    public static final int ENC_INTSET = 6;
    public static final int ENC_SKIPLIST = 7;
    public static final int ENC_EMBSTR = 8;
    public static final int ENC_QUICKLIST = 9;
    public static final int ENC_STREAM = 10;
    public static final int ENC_LISTPACK = 11;

    private static final int TYPE_SHIFT = 28;
    private static final int ENC_SHIFT = 24;
    public static final int LRU_MASK = (1 << 24) - 1;

    public static int type(int meta) {
        return meta >>> TYPE_SHIFT;
    }

    public static int encoding(int meta) {
        return (meta >>> ENC_SHIFT) & 0xf;
    }

    public static int lru(int meta) {
        return meta & LRU_MASK;
    }

    public static int meta(int type, int encoding, int lru) {
        return (type << TYPE_SHIFT) | (encoding << ENC_SHIFT) | (lru & LRU_MASK);
    }

    public static int withLru(int meta, int lru) {
        return (meta & ~LRU_MASK) | (lru & LRU_MASK);
    }

    public static int withEncoding(int meta, int encoding) {
        return (meta & ~(0xf << ENC_SHIFT)) | (encoding << ENC_SHIFT);
    }

    /** The name TYPE replies with. */
    public static String typeName(int type) {
        return switch (type) {
            case STRING -> "string";
            case LIST -> "list";
            case SET -> "set";
            case ZSET -> "zset";
            case HASH -> "hash";
            case STREAM -> "stream";
            default -> "none";
        };
    }

    /** The name OBJECT ENCODING replies with. */
    public static String encodingName(int encoding) {
        return switch (encoding) {
            case ENC_RAW -> "raw";
            case ENC_INT -> "int";
            case ENC_HT -> "hashtable";
            case ENC_INTSET -> "intset";
            case ENC_SKIPLIST -> "skiplist";
            case ENC_EMBSTR -> "embstr";
            case ENC_QUICKLIST -> "quicklist";
            case ENC_STREAM -> "stream";
            case ENC_LISTPACK -> "listpack";
            default -> "unknown";
        };
    }
}
