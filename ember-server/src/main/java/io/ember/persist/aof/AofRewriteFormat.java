package io.ember.persist.aof;

import io.ember.engine.KeyTable;
import io.ember.persist.rdb.RdbOutput;
import io.ember.persist.snapshot.Snapshot;
import io.ember.type.HashValue;
import io.ember.type.Intset;
import io.ember.type.Listpack;
import io.ember.type.Quicklist;
import io.ember.type.SetValue;
import io.ember.type.StreamGroup;
import io.ember.type.StreamId;
import io.ember.type.StreamValue;
import io.ember.type.ValueType;
import io.ember.type.ZSetValue;
import io.ember.util.Doubles;
import io.ember.util.Numbers;
import java.nio.charset.StandardCharsets;

/**
 * The AOF-format base (aof-use-rdb-preamble no), as rewriteAppendOnlyFileRio writes it: per
 * database a SELECT, per key SET / RPUSH / SADD / ZADD / HSET with at most
 * AOF_REWRITE_ITEMS_PER_CMD (64) elements per command, then PEXPIREAT for a key with a TTL.
 * Streams as rewriteStreamObject: XADD per entry (XADD MAXLEN 0 for an empty stream), XSETID with
 * ENTRIESADDED and MAXDELETEDID, then per group XGROUP CREATE ... ENTRIESREAD, XCLAIM ... JUSTID
 * FORCE per pending entry and XGROUP CREATECONSUMER for consumers without any. Only raw bytes are
 * written (the snapshot's staging output replays them unchanged).
 */
final class AofRewriteFormat implements Snapshot.Format {
    static final int ITEMS_PER_CMD = 64;
    private static final byte[] SELECT = b("SELECT"), SET = b("SET"), RPUSH = b("RPUSH"), SADD = b("SADD"),
            ZADD = b("ZADD"), HSET = b("HSET"), PEXPIREAT = b("PEXPIREAT");

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static final byte[] FUNCTION = b("FUNCTION"), LOAD = b("LOAD");

    /** rewriteFunctions: FUNCTION LOAD per library, before the databases. */
    static void functions(RdbOutput out, java.util.List<byte[]> libraryCodes) {
        for (byte[] code : libraryCodes) {
            header(out, '*', 3);
            bulk(out, FUNCTION);
            bulk(out, LOAD);
            bulk(out, code);
        }
    }

    @Override
    public void selectDb(RdbOutput out, int db, long keys, long keysWithTtl) {
        header(out, '*', 2);
        bulk(out, SELECT);
        bulk(out, Numbers.toBytes(db));
    }

    @Override
    public void entry(RdbOutput out, byte[] key, Object value, int meta, long expireAtMs) {
        switch (ValueType.type(meta)) {
            case ValueType.STRING -> {
                header(out, '*', 3);
                bulk(out, SET);
                bulk(out, key);
                bulk(out, (byte[]) value);
            }
            case ValueType.LIST -> list(out, key, (Quicklist) value);
            case ValueType.SET -> set(out, key, value);
            case ValueType.ZSET -> zset(out, key, value);
            case ValueType.HASH -> hash(out, key, value);
            default -> stream(out, key, (StreamValue) value);
        }
        if (expireAtMs != 0) {
            header(out, '*', 3);
            bulk(out, PEXPIREAT);
            bulk(out, key);
            bulk(out, Numbers.toBytes(expireAtMs));
        }
    }

    /** Batches of up to 64 items: "cmd key item..." (items are pairs for ZADD/HSET). */
    private static final class Batcher {
        final RdbOutput out;
        final byte[] cmd, key;
        final int width;
        long left;
        int inBatch;

        Batcher(RdbOutput out, byte[] cmd, byte[] key, long items, int width) {
            this.out = out;
            this.cmd = cmd;
            this.key = key;
            this.left = items;
            this.width = width;
        }

        void item(byte[]... parts) {
            if (inBatch == 0) {
                long n = Math.min(ITEMS_PER_CMD, left);
                header(out, '*', 2 + n * width);
                bulk(out, cmd);
                bulk(out, key);
            }
            for (byte[] p : parts) bulk(out, p);
            left--;
            if (++inBatch == ITEMS_PER_CMD) inBatch = 0;
        }
    }

    private static void list(RdbOutput out, byte[] key, Quicklist list) {
        Batcher b = new Batcher(out, RPUSH, key, list.size(), 1);
        for (int i = 0; i < list.nodeCount(); i++) {
            byte[] lp = list.node(i);
            for (int p = Listpack.first(lp); p >= 0; p = Listpack.next(lp, p)) b.item(Listpack.get(lp, p));
        }
    }

    private static void set(RdbOutput out, byte[] key, Object set) {
        if (set instanceof byte[] is) {
            int n = Intset.length(is);
            Batcher b = new Batcher(out, SADD, key, n, 1);
            for (int i = 0; i < n; i++) b.item(Numbers.toBytes(Intset.get(is, i)));
            return;
        }
        KeyTable t = ((SetValue) set).table();
        Batcher b = new Batcher(out, SADD, key, t.size(), 1);
        for (int r = 1, limit = t.slotLimit(); r <= limit; r++) {
            if (t.live(r)) b.item(t.key(r));
        }
    }

    private static void zset(RdbOutput out, byte[] key, Object stored) {
        if (stored instanceof byte[] lp) {
            Batcher b = new Batcher(out, ZADD, key, Listpack.size(lp) / 2, 2);
            for (int p = Listpack.first(lp); p >= 0; p = Listpack.next(lp, Listpack.next(lp, p))) {
                b.item(Listpack.get(lp, Listpack.next(lp, p)), Listpack.get(lp, p));
            }
            return;
        }
        ZSetValue z = (ZSetValue) stored;
        Batcher b = new Batcher(out, ZADD, key, z.length(), 2);
        for (ZSetValue.Cursor c = z.first(); c.valid(); c.step(false)) {
            b.item(Doubles.format17g(c.score()), c.member());
        }
    }

    private static void hash(RdbOutput out, byte[] key, Object h) {
        if (h instanceof byte[] lp) {
            Batcher b = new Batcher(out, HSET, key, Listpack.size(lp) / 2, 2);
            for (int p = Listpack.first(lp); p >= 0; p = Listpack.next(lp, Listpack.next(lp, p))) {
                b.item(Listpack.get(lp, p), Listpack.get(lp, Listpack.next(lp, p)));
            }
            return;
        }
        KeyTable t = HashValue.table(h);
        Batcher b = new Batcher(out, HSET, key, t.size(), 2);
        for (int r = 1, limit = t.slotLimit(); r <= limit; r++) {
            if (t.live(r)) b.item(t.key(r), (byte[]) t.value(r));
        }
    }

    private static final byte[] XADD = b("XADD"), MAXLEN = b("MAXLEN"), ZERO = b("0"), X = b("x"), Y = b("y"),
            XSETID = b("XSETID"), ENTRIESADDED = b("ENTRIESADDED"), MAXDELETEDID = b("MAXDELETEDID"),
            XGROUP = b("XGROUP"), CREATE = b("CREATE"), ENTRIESREAD = b("ENTRIESREAD"), XCLAIM = b("XCLAIM"),
            TIME = b("TIME"), RETRYCOUNT = b("RETRYCOUNT"), JUSTID = b("JUSTID"), FORCE = b("FORCE"),
            CREATECONSUMER = b("CREATECONSUMER");

    private static void stream(RdbOutput out, byte[] key, StreamValue s) {
        if (s.length() > 0) {
            StreamValue.Cursor c = s.range(StreamId.MIN, StreamId.MAX, false);
            while (c.next()) {
                header(out, '*', 3 + c.strings());
                bulk(out, XADD);
                bulk(out, key);
                bulk(out, c.id().toBytes());
                c.rewind();
                for (int i = 0; i < c.strings(); i++) {
                    c.nextString();
                    header(out, '$', c.stringLength());
                    out.write(c.buf(), c.stringAt(), c.stringLength());
                    out.write('\r');
                    out.write('\n');
                }
            }
        } else {
            // an empty stream: XADD with MAXLEN 0 creates it (the entry is trimmed at once)
            header(out, '*', 7);
            for (byte[] a : new byte[][] {XADD, key, MAXLEN, ZERO, b("0-1"), X, Y}) bulk(out, a);
        }
        header(out, '*', 7);
        for (byte[] a : new byte[][] {XSETID, key, s.lastId.toBytes(), ENTRIESADDED, Numbers.toBytes(s.entriesAdded),
                MAXDELETEDID, s.maxDeletedId.toBytes()}) {
            bulk(out, a);
        }
        for (var ge : s.groups.entrySet()) {
            byte[] group = ge.getKey();
            StreamGroup g = ge.getValue();
            header(out, '*', 7);
            for (byte[] a : new byte[][] {XGROUP, CREATE, key, group, g.lastId.toBytes(), ENTRIESREAD,
                    Numbers.toBytes(g.entriesRead)}) {
                bulk(out, a);
            }
            for (StreamGroup.Consumer consumer : g.consumers.values()) {
                if (consumer.pel.isEmpty()) {
                    header(out, '*', 5);
                    for (byte[] a : new byte[][] {XGROUP, CREATECONSUMER, key, group, consumer.name}) bulk(out, a);
                    continue;
                }
                for (var pe : consumer.pel.entrySet()) {
                    StreamGroup.Nack n = pe.getValue();
                    header(out, '*', 12);
                    for (byte[] a : new byte[][] {XCLAIM, key, group, consumer.name, ZERO, pe.getKey().toBytes(), TIME,
                            Numbers.toBytes(n.deliveryTime), RETRYCOUNT, Numbers.toBytes(n.deliveryCount), JUSTID, FORCE}) {
                        bulk(out, a);
                    }
                }
            }
        }
    }

    private static void header(RdbOutput out, char type, long n) {
        out.write(type);
        byte[] d = Numbers.toBytes(n);
        out.write(d, 0, d.length);
        out.write('\r');
        out.write('\n');
    }

    private static void bulk(RdbOutput out, byte[] s) {
        header(out, '$', s.length);
        out.write(s, 0, s.length);
        out.write('\r');
        out.write('\n');
    }
}
