package io.ember.command;

import io.ember.engine.Database;
import io.ember.engine.Engine;
import io.ember.engine.KeyTable;
import io.ember.type.Quicklist;
import io.ember.type.SetValue;
import io.ember.type.HashValue;
import io.ember.type.Listpack;
import io.ember.type.ValueType;
import io.ember.type.ZSetValue;
import io.ember.util.Doubles;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * DEBUG DIGEST and DIGEST-VALUE: Redis's SHA1-based fingerprint of the dataset (debug.c
 * computeDatasetDigest / xorObjectDigest), so equal datasets give equal hex strings on Ember and
 * on redis-server. Order-independent parts are XORed in as their SHA1 ({@link #xorData}); ordered
 * parts are mixed ({@link #mix}: XOR the SHA1 in, then replace the digest by its own SHA1).
 *
 * <p>Per database with keys: mix the big-endian db number; then for every key, a fresh digest
 * mixed with the key name and the value digest, whose SHA1 is XORed into the total. A value digest is: mix
 * the big-endian type code, then the value by type, then XOR "!!expire!!" if the key has a TTL
 * (the time itself is left out, it differs between servers). By type, as Redis does it:
 * <ul>
 * <li>string: mix the bytes (int-encoded values as their decimal text);</li>
 * <li>list: mix each element, head to tail;</li>
 * <li>set: XOR each member;</li>
 * <li>zset: per member, a fresh digest mixed with the member then the score printed "%.17g"
 *     (Redis 7.0), XORed in;</li>
 * <li>hash: per field, a fresh digest mixed with field then value, XORed in;</li>
 * <li>stream: per entry, mix "ms.seq" then its fields and values (groups are left out, as in 7.0).</li>
 * </ul>
 * Types whose rules are not written yet make {@link #valueDigest} throw {@link UnsupportedType}.
 */
final class DatasetDigest {
    private DatasetDigest() {}

    private static final byte[] EXPIRE_MARK = io.ember.util.Bytes.ascii("!!expire!!");

    /** Thrown for a value type whose digest rules are not written yet. */
    static final class UnsupportedType extends Exception {
        final int type;

        UnsupportedType(int type) {
            super(null, null, false, false);
            this.type = type;
        }
    }

    /** computeDatasetDigest: all zeros for an empty dataset. */
    static byte[] dataset(Engine engine) throws UnsupportedType {
        byte[] total = new byte[20];
        byte[] entry = new byte[20];
        for (int j = 0; j < engine.dbCount(); j++) {
            Database db = engine.db(j);
            KeyTable t = db.table();
            if (t.size() == 0) continue;
            mix(total, int32(j));
            for (int ref = 1, limit = t.slotLimit(); ref <= limit; ref++) {
                if (!t.live(ref)) continue;
                java.util.Arrays.fill(entry, (byte) 0);
                mix(entry, t.key(ref));
                valueDigest(db, ref, entry);
                xorData(total, entry); // xorDigest hashes what it XORs in, even a digest

            }
        }
        return total;
    }

    /** xorObjectDigest: mixes the digest of the value at {@code ref} (type, value, TTL flag) into d. */
    static void valueDigest(Database db, int ref, byte[] d) throws UnsupportedType {
        int type = db.type(ref);
        mix(d, int32(type));
        switch (type) {
            case ValueType.STRING -> mix(d, (byte[]) db.value(ref));
            case ValueType.SET -> {
                SetValue.Members it = new SetValue.Members(db.value(ref));
                while (it.next()) xorData(d, it.bytes());
            }
            case ValueType.LIST -> {
                for (Quicklist.Cursor c = ((Quicklist) db.value(ref)).cursorAt(0, true); c != null && c.valid(); c.next()) {
                    mix(d, c.value()); // integer entries as their decimal text
                }
            }
            case ValueType.HASH -> hashDigest(d, db.value(ref));
            case ValueType.ZSET -> zsetDigest(d, ZSetValue.of(db.value(ref)));
            case ValueType.STREAM -> streamDigest(d, (io.ember.type.StreamValue) db.value(ref));
            default -> throw new UnsupportedType(type);
        }
        if (db.expireAt(ref) != 0) xorData(d, EXPIRE_MARK);
    }

    /** Per field, a fresh digest mixed with the field then the value (decimal for integers), XORed in. */
    private static void hashDigest(byte[] d, Object h) {
        byte[] e = new byte[20];
        byte[] lp = HashValue.listpack(h);
        if (lp != null) {
            for (int p = Listpack.first(lp); p >= 0; p = Listpack.next(lp, p)) {
                java.util.Arrays.fill(e, (byte) 0);
                mix(e, Listpack.get(lp, p));
                p = Listpack.next(lp, p);
                mix(e, Listpack.get(lp, p));
                xorData(d, e);
            }
            return;
        }
        KeyTable t = HashValue.table(h);
        for (int r = 1, limit = t.slotLimit(); r <= limit; r++) {
            if (!t.live(r)) continue;
            java.util.Arrays.fill(e, (byte) 0);
            mix(e, t.key(r));
            mix(e, (byte[]) t.value(r));
            xorData(d, e);
        }
    }

    /** xorObjectDigest's stream case: per entry, "ms.seq" then each field and value, mixed in order. */
    private static void streamDigest(byte[] d, io.ember.type.StreamValue s) {
        io.ember.type.StreamValue.Cursor e = s.range(io.ember.type.StreamId.MIN, io.ember.type.StreamId.MAX, false);
        while (e.next()) {
            io.ember.type.StreamId id = e.id();
            mix(d, io.ember.util.Bytes.ascii(Long.toUnsignedString(id.ms) + "." + Long.toUnsignedString(id.seq)));
            for (byte[] b : e.copyStrings()) mix(d, b);
        }
    }

    /** xorObjectDigest's zset case: order-independent over members, as Redis's dict walk. */
    private static void zsetDigest(byte[] d, ZSetValue z) {
        byte[] ele = new byte[20];
        byte[] buf = new byte[Doubles.MAX_CHARS];
        for (ZSetValue.Cursor cur = z.first(); cur.valid(); cur.step(false)) {
            java.util.Arrays.fill(ele, (byte) 0);
            mix(ele, cur.member());
            mix(ele, java.util.Arrays.copyOf(buf, Doubles.format17g(cur.score(), buf, 0)));
            xorData(d, ele);
        }
    }

    static String hex(byte[] digest) {
        StringBuilder sb = new StringBuilder(40);
        for (byte b : digest) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }

    /** xorDigest: XOR the SHA1 of {@code data} into d. */
    static void xorData(byte[] d, byte[] data) {
        xor(d, sha1(data, data.length), 20);
    }

    /** mixDigest: XOR the SHA1 of {@code data} into d, then replace d by SHA1(d). */
    static void mix(byte[] d, byte[] data) {
        xorData(d, data);
        byte[] h = sha1(d, 20);
        System.arraycopy(h, 0, d, 0, 20);
    }

    private static void xor(byte[] d, byte[] h, int n) {
        for (int i = 0; i < n; i++) d[i] ^= h[i];
    }

    /** htonl: the 4 big-endian bytes Redis hashes for db numbers and type codes. */
    private static byte[] int32(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    private static byte[] sha1(byte[] data, int len) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-1");
            md.update(data, 0, len);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is a required JDK algorithm", e);
        }
    }
}
