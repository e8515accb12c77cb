package io.ember.persist.rdb;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A minimal RDB encoder for tests, written from the format description (rdb.h, ziplist.c,
 * zipmap.c, intset.c) rather than from Ember's writer: it produces the legacy encodings redis 7.0
 * can no longer write (zipmap, ziplists, quicklist v1, RDB_TYPE_ZSET string scores, EXPIRETIME in
 * seconds) and hand-made broken files. Strings are always written raw (length + bytes).
 */
final class TestRdbWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    TestRdbWriter header(int version) {
        raw(String.format("REDIS%04d", version).getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    TestRdbWriter raw(byte[] b) {
        out.write(b, 0, b.length);
        return this;
    }

    TestRdbWriter u8(int b) {
        out.write(b);
        return this;
    }

    TestRdbWriter le32(long v) {
        for (int i = 0; i < 4; i++) out.write((int) (v >>> (8 * i)) & 0xff);
        return this;
    }

    TestRdbWriter le64(long v) {
        for (int i = 0; i < 8; i++) out.write((int) (v >>> (8 * i)) & 0xff);
        return this;
    }

    TestRdbWriter length(long n) {
        if (n < 64) {
            u8((int) n);
        } else if (n < 16384) {
            u8((int) (0x40 | n >>> 8));
            u8((int) (n & 0xff));
        } else {
            u8(0x80);
            for (int i = 3; i >= 0; i--) u8((int) (n >>> (8 * i)) & 0xff);
        }
        return this;
    }

    TestRdbWriter string(byte[] s) {
        length(s.length);
        return raw(s);
    }

    TestRdbWriter string(String s) {
        return string(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    TestRdbWriter aux(String k, String v) {
        return u8(Rdb.OPCODE_AUX).string(k).string(v);
    }

    TestRdbWriter selectDb(int db) {
        return u8(Rdb.OPCODE_SELECTDB).length(db);
    }

    /** A key prefix: type byte then key name. */
    TestRdbWriter key(int type, String key) {
        return u8(type).string(key);
    }

    /** RDB_TYPE_ZSET's score text: a length byte then "%.17g", or 253/254/255 for nan/+inf/-inf. */
    TestRdbWriter stringDouble(double d) {
        if (Double.isNaN(d)) return u8(253);
        if (d == Double.POSITIVE_INFINITY) return u8(254);
        if (d == Double.NEGATIVE_INFINITY) return u8(255);
        byte[] t = String.format("%.17g", d).getBytes(StandardCharsets.US_ASCII);
        return u8(t.length).raw(t);
    }

    /** EOF and the CRC64 of everything before the checksum (0 when {@code checksum} is false). */
    byte[] finish(boolean checksum) {
        u8(Rdb.OPCODE_EOF);
        byte[] b = out.toByteArray();
        le64(checksum ? Crc64.update(0, b, 0, b.length) : 0);
        return out.toByteArray();
    }

    /** Bytes so far, without EOF (for truncated or hand-broken files). */
    byte[] bytes() {
        return out.toByteArray();
    }

    // ---- legacy blobs -------------------------------------------------------------------------

    /** A ziplist of strings and Longs, each entry with the smallest encoding ziplist.c would pick. */
    static byte[] ziplist(List<Object> entries) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int prev = 0;
        int tail = 10;
        for (Object e : entries) {
            ByteArrayOutputStream en = new ByteArrayOutputStream();
            if (prev < 254) {
                en.write(prev);
            } else {
                en.write(254);
                for (int i = 0; i < 4; i++) en.write(prev >>> (8 * i));
            }
            if (e instanceof Long v) {
                int n;
                if (v >= 0 && v <= 12) {
                    en.write(0xF1 + v.intValue());
                    n = 0;
                } else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
                    en.write(0xFE);
                    n = 1;
                } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
                    en.write(0xC0);
                    n = 2;
                } else if (v >= -(1 << 23) && v < (1 << 23)) {
                    en.write(0xF0);
                    n = 3;
                } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                    en.write(0xD0);
                    n = 4;
                } else {
                    en.write(0xE0);
                    n = 8;
                }
                for (int i = 0; i < n; i++) en.write((int) (v >>> (8 * i)));
            } else {
                byte[] s = ((String) e).getBytes(StandardCharsets.ISO_8859_1);
                if (s.length < 64) {
                    en.write(s.length);
                } else if (s.length < 16384) {
                    en.write(0x40 | s.length >>> 8);
                    en.write(s.length & 0xff);
                } else {
                    en.write(0x80);
                    for (int i = 3; i >= 0; i--) en.write(s.length >>> (8 * i));
                }
                en.write(s, 0, s.length);
            }
            tail = 10 + body.size();
            byte[] b = en.toByteArray();
            body.write(b, 0, b.length);
            prev = b.length;
        }
        int total = 10 + body.size() + 1;
        ByteArrayOutputStream zl = new ByteArrayOutputStream();
        for (int i = 0; i < 4; i++) zl.write(total >>> (8 * i));
        for (int i = 0; i < 4; i++) zl.write(tail >>> (8 * i));
        zl.write(entries.size() & 0xff);
        zl.write(entries.size() >>> 8);
        byte[] b = body.toByteArray();
        zl.write(b, 0, b.length);
        zl.write(0xFF);
        return zl.toByteArray();
    }

    /** A zipmap of field, value, field, value... (value "free" bytes: 0). */
    static byte[] zipmap(List<String> kv) {
        ByteArrayOutputStream zm = new ByteArrayOutputStream();
        zm.write(kv.size() / 2);
        for (int i = 0; i < kv.size(); i++) {
            byte[] s = kv.get(i).getBytes(StandardCharsets.ISO_8859_1);
            if (s.length < 254) {
                zm.write(s.length);
            } else {
                zm.write(254);
                for (int k = 0; k < 4; k++) zm.write(s.length >>> (8 * k));
            }
            if (i % 2 == 1) zm.write(0); // free
            zm.write(s, 0, s.length);
        }
        zm.write(0xFF);
        return zm.toByteArray();
    }

    /** An intset of sorted distinct values with the given element size (2, 4 or 8). */
    static byte[] intset(int enc, long... values) {
        ByteArrayOutputStream is = new ByteArrayOutputStream();
        for (int i = 0; i < 4; i++) is.write(enc >>> (8 * i));
        for (int i = 0; i < 4; i++) is.write(values.length >>> (8 * i));
        for (long v : values) for (int i = 0; i < enc; i++) is.write((int) (v >>> (8 * i)));
        return is.toByteArray();
    }
}
