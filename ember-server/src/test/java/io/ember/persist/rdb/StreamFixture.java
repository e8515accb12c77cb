package io.ember.persist.rdb;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Stream values built byte by byte from the documented layouts, independently of Ember's writer:
 * the listpack format (listpack.md), the stream listpack (t_stream.c's streamAppendItem comment)
 * and the three RDB stream types (15: Redis 5/6, 19: 7.0, 21: 7.2 with consumer active times).
 * Every field is public so a test can break exactly one thing.
 */
final class StreamFixture {
    /** The RDB type to write: 15, 19 or 21. */
    int type = Rdb.TYPE_STREAM_LISTPACKS_2;
    /** (16-byte node key, listpack) pairs. */
    final List<byte[][]> nodes = new ArrayList<>();
    long length;
    long[] lastId = {0, 0}, firstId = {0, 0}, maxDeletedId = {0, 0};
    long entriesAdded;
    final List<Group> groups = new ArrayList<>();

    static final class Group {
        String name;
        long[] lastId;
        long entriesRead;
        final List<long[]> pel = new ArrayList<>(); // ms, seq, delivery time, delivery count
        final List<Consumer> consumers = new ArrayList<>();

        Group(String name, long ms, long seq, long entriesRead) {
            this.name = name;
            this.lastId = new long[] {ms, seq};
            this.entriesRead = entriesRead;
        }
    }

    static final class Consumer {
        String name;
        long seenTime, activeTime;
        final List<long[]> pel = new ArrayList<>(); // ms, seq

        Consumer(String name, long seenTime, long activeTime) {
            this.name = name;
            this.seenTime = seenTime;
            this.activeTime = activeTime;
        }
    }

    static final long T = 1_700_000_000_000L;

    /**
     * Two nodes: 1-0 (master fields a, b; entries 1-0, 1-1 deleted, 2-0 with its own fields, 3-5)
     * and 10-7 (entries 10-7 and 11-0: a negative sequence delta); last ID 20-0 beyond the last
     * entry; groups g1 (a PEL of three, one for a deleted entry, over consumers alice, bob and carl
     * who owns none), g2 at 0-0 and g3 with an unknown entries-read counter.
     */
    static StreamFixture sample(int type) {
        StreamFixture f = new StreamFixture();
        f.type = type;
        f.node(1, 0, listpack(List.of(3L, 1L, 2L, "a", "b", 0L,
                2L, 0L, 0L, 1L, 2L, 5L,
                3L, 0L, 1L, "x", "y", 5L,
                0L, 1L, 0L, 1L, "c", "z", 6L,
                2L, 2L, 5L, 3L, "four", 5L)));
        f.node(10, 7, listpack(List.of(2L, 0L, 1L, "a", 0L,
                2L, 0L, 0L, "q", 4L,
                2L, 1L, -7L, "r", 4L)));
        f.length = 5;
        f.lastId = new long[] {20, 0};
        f.firstId = new long[] {1, 0};
        f.maxDeletedId = new long[] {1, 1};
        f.entriesAdded = 9;
        Group g1 = new Group("g1", 3, 5, 3);
        g1.pel.add(new long[] {1, 0, T, 2});
        g1.pel.add(new long[] {1, 1, T + 1, 1});
        g1.pel.add(new long[] {2, 0, T + 500, 1});
        Consumer alice = new Consumer("alice", T + 1000, T + 900);
        alice.pel.add(new long[] {1, 0});
        alice.pel.add(new long[] {1, 1});
        Consumer bob = new Consumer("bob", T + 2000, T + 1900);
        bob.pel.add(new long[] {2, 0});
        g1.consumers.add(alice);
        g1.consumers.add(bob);
        g1.consumers.add(new Consumer("carl", T + 3000, T + 3000));
        f.groups.add(g1);
        f.groups.add(new Group("g2", 0, 0, 0));
        f.groups.add(new Group("g3", 2, 0, -1));
        return f;
    }

    void node(long ms, long seq, byte[] listpack) {
        nodes.add(new byte[][] {id(ms, seq), listpack});
    }

    static byte[] id(long ms, long seq) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (ms >>> (56 - 8 * i));
            b[8 + i] = (byte) (seq >>> (56 - 8 * i));
        }
        return b;
    }

    /** The value as it follows the type byte. */
    byte[] value() {
        Out o = new Out();
        o.len(nodes.size());
        for (byte[][] n : nodes) {
            o.str(n[0]);
            o.str(n[1]);
        }
        o.len(length);
        o.len(lastId[0]).len(lastId[1]);
        if (type != Rdb.TYPE_STREAM_LISTPACKS) {
            o.len(firstId[0]).len(firstId[1]);
            o.len(maxDeletedId[0]).len(maxDeletedId[1]);
            o.len(entriesAdded);
        }
        o.len(groups.size());
        for (Group g : groups) {
            o.str(g.name.getBytes(StandardCharsets.UTF_8));
            o.len(g.lastId[0]).len(g.lastId[1]);
            if (type != Rdb.TYPE_STREAM_LISTPACKS) o.len(g.entriesRead);
            o.len(g.pel.size());
            for (long[] p : g.pel) {
                o.raw(id(p[0], p[1]));
                o.le64(p[2]);
                o.len(p[3]);
            }
            o.len(g.consumers.size());
            for (Consumer c : g.consumers) {
                o.str(c.name.getBytes(StandardCharsets.UTF_8));
                o.le64(c.seenTime);
                if (type == Rdb.TYPE_STREAM_LISTPACKS_3) o.le64(c.activeTime);
                o.len(c.pel.size());
                for (long[] p : c.pel) o.raw(id(p[0], p[1]));
            }
        }
        return o.bytes();
    }

    /** A DUMP payload: type byte, value, RDB version, CRC64. */
    byte[] payload(int version) {
        Out o = new Out();
        o.u8(type).raw(value());
        o.u8(version).u8(0);
        byte[] b = o.bytes();
        return new Out().raw(b).le64(Crc64.update(0, b, 0, b.length)).bytes();
    }

    /** A whole RDB file holding this stream at {@code key} in database 0. */
    byte[] file(int version, String key) {
        Out o = new Out();
        o.raw(String.format("REDIS%04d", version).getBytes(StandardCharsets.US_ASCII));
        o.u8(Rdb.OPCODE_SELECTDB).len(0);
        o.u8(type).str(key.getBytes(StandardCharsets.UTF_8)).raw(value());
        o.u8(Rdb.OPCODE_EOF);
        byte[] b = o.bytes();
        return new Out().raw(b).le64(Crc64.update(0, b, 0, b.length)).bytes();
    }

    // ---- listpacks ----------------------------------------------------------------------------

    /** A listpack of Longs (smallest integer encoding) and Strings (6, 12 or 32-bit length). */
    static byte[] listpack(List<Object> elements) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Object e : elements) {
            byte[] enc = e instanceof Long v ? intEntry(v) : strEntry(((String) e).getBytes(StandardCharsets.UTF_8));
            body.writeBytes(enc);
            body.writeBytes(backlen(enc.length));
        }
        int total = 6 + body.size() + 1;
        Out o = new Out();
        o.u8(total).u8(total >>> 8).u8(total >>> 16).u8(total >>> 24);
        o.u8(elements.size()).u8(elements.size() >>> 8);
        o.raw(body.toByteArray());
        o.u8(0xFF);
        return o.bytes();
    }

    private static byte[] intEntry(long v) {
        if (v >= 0 && v <= 127) return new byte[] {(byte) v};
        if (v >= -4096 && v <= 4095) {
            long u = v & 0x1FFF;
            return new byte[] {(byte) (0xC0 | (u >>> 8)), (byte) u};
        }
        int n = v >= -32768 && v <= 32767 ? 2 : v >= -(1 << 23) && v < (1 << 23) ? 3 : v == (int) v ? 4 : 8;
        byte[] b = new byte[1 + n];
        b[0] = (byte) (n == 2 ? 0xF1 : n == 3 ? 0xF2 : n == 4 ? 0xF3 : 0xF4);
        for (int i = 0; i < n; i++) b[1 + i] = (byte) (v >>> (8 * i));
        return b;
    }

    private static byte[] strEntry(byte[] s) {
        Out o = new Out();
        if (s.length < 64) o.u8(0x80 | s.length);
        else if (s.length < 4096) o.u8(0xE0 | (s.length >>> 8)).u8(s.length);
        else o.u8(0xF0).u8(s.length).u8(s.length >>> 8).u8(s.length >>> 16).u8(s.length >>> 24);
        return o.raw(s).bytes();
    }

    /** The entry size written backwards: most significant 7-bit group first, continuation bits after. */
    private static byte[] backlen(int l) {
        if (l <= 127) return new byte[] {(byte) l};
        if (l < 16383) return new byte[] {(byte) (l >>> 7), (byte) ((l & 127) | 128)};
        return new byte[] {(byte) (l >>> 14), (byte) (((l >>> 7) & 127) | 128), (byte) ((l & 127) | 128)};
    }

    /** Bytes with RDB lengths over the whole unsigned 64-bit range. */
    static final class Out {
        private final ByteArrayOutputStream b = new ByteArrayOutputStream();

        Out u8(int v) {
            b.write(v & 0xff);
            return this;
        }

        Out raw(byte[] v) {
            b.writeBytes(v);
            return this;
        }

        Out le64(long v) {
            for (int i = 0; i < 8; i++) u8((int) (v >>> (8 * i)));
            return this;
        }

        Out len(long n) {
            if (n >= 0 && n < 64) return u8((int) n);
            if (n >= 0 && n < 16384) return u8(0x40 | (int) (n >>> 8)).u8((int) n);
            if (n >= 0 && n <= 0xffffffffL) {
                u8(0x80);
                for (int i = 3; i >= 0; i--) u8((int) (n >>> (8 * i)));
                return this;
            }
            u8(0x81);
            for (int i = 7; i >= 0; i--) u8((int) (n >>> (8 * i)));
            return this;
        }

        Out str(byte[] s) {
            return len(s.length).raw(s);
        }

        byte[] bytes() {
            return b.toByteArray();
        }
    }
}
