package io.ember.persist.rdb;

import io.ember.config.ServerConfig;
import io.ember.type.HashValue;
import io.ember.type.Intset;
import io.ember.type.Listpack;
import io.ember.type.Quicklist;
import io.ember.type.SetValue;
import io.ember.type.Strings;
import io.ember.type.ValueType;
import io.ember.type.ZSetValue;
import io.ember.util.ByteKey;
import io.ember.util.Doubles;
import io.ember.util.Numbers;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decodes one value of any RDB type (versions 1..11) into Ember's representation, converting as
 * Redis 7.0's rdbLoadObject does: ziplists and zipmaps become listpacks, and collections above the
 * current thresholds (hash-max-listpack-*, zset-max-listpack-*, set-max-intset-entries) take the
 * big encodings. Every blob (ziplist, zipmap, intset, listpack) is validated completely, duplicates
 * included, whatever sanitize-dump-payload says: Ember never holds a corrupt encoding. Streams
 * are read by {@link StreamRdbReader}.
 */
public final class RdbValueReader {
    private final ServerConfig config;

    public RdbValueReader(ServerConfig config) {
        this.config = config;
    }

    /** Whether {@code type} is a value type byte (anything else is an opcode or garbage). */
    public static boolean isValueType(int type) {
        return (type >= 0 && type <= 7) || (type >= 9 && type <= 21);
    }

    /** Reads a value of RDB type {@code type}; null for an empty collection (Redis skips those keys). */
    public RdbValue read(int type, RdbInput in) throws IOException {
        long at = in.offset();
        switch (type) {
            case Rdb.TYPE_STRING: {
                byte[] v = in.readString();
                return new RdbValue(v, ValueType.STRING, Strings.encodingFor(v));
            }
            case Rdb.TYPE_LIST:
                return readLinkedList(in);
            case Rdb.TYPE_SET:
                return readSet(in);
            case Rdb.TYPE_ZSET:
            case Rdb.TYPE_ZSET_2:
                return readZset(in, type == Rdb.TYPE_ZSET_2);
            case Rdb.TYPE_HASH:
                return readHash(in);
            case Rdb.TYPE_LIST_QUICKLIST:
            case Rdb.TYPE_LIST_QUICKLIST_2:
                return readQuicklist(in, type == Rdb.TYPE_LIST_QUICKLIST_2);
            case Rdb.TYPE_HASH_ZIPMAP:
                return hashFromPairs(blob(in, Zipmap.entries(in.readString()), "Zipmap integrity check failed.", at),
                        in, at, "Hash zipmap with dup elements", true);
            case Rdb.TYPE_HASH_ZIPLIST:
                return hashFromPairs(blob(in, Ziplist.entries(in.readString()), "Hash ziplist integrity check failed.", at),
                        in, at, "Hash ziplist integrity check failed.", false);
            case Rdb.TYPE_ZSET_ZIPLIST:
                return zsetFromListpack(toListpack(blob(in, Ziplist.entries(in.readString()),
                        "Zset ziplist integrity check failed.", at)), at, "Zset ziplist integrity check failed.");
            case Rdb.TYPE_LIST_ZIPLIST: {
                List<byte[]> items = blob(in, Ziplist.entries(in.readString()), "List ziplist integrity check failed.", at);
                if (items.isEmpty()) return null;
                Quicklist q = new Quicklist(config.listMaxListpackSize);
                for (byte[] e : items) q.pushTail(e);
                return list(q);
            }
            case Rdb.TYPE_SET_INTSET: {
                byte[] is = in.readString();
                if (!Intset.isValid(is)) throw new RdbFormatException("Intset integrity check failed.", at);
                Object set = Intset.length(is) > config.setMaxIntsetEntries ? SetValue.toHashtable(is) : is;
                return new RdbValue(set, ValueType.SET, SetValue.encoding(set));
            }
            case Rdb.TYPE_HASH_LISTPACK:
                return hashFromListpack(listpack(in, "Hash listpack integrity check failed.", at), at);
            case Rdb.TYPE_ZSET_LISTPACK:
                return zsetFromListpack(listpack(in, "Zset listpack integrity check failed.", at), at,
                        "Zset listpack integrity check failed.");
            case Rdb.TYPE_SET_LISTPACK:
                return setFromListpack(listpack(in, "Set listpack integrity check failed.", at), at);
            case Rdb.TYPE_MODULE:
            case Rdb.TYPE_MODULE_2:
                throw new RdbFormatException("Module values (RDB type " + type + ") are not supported", at);
            case Rdb.TYPE_STREAM_LISTPACKS:
            case Rdb.TYPE_STREAM_LISTPACKS_2:
            case Rdb.TYPE_STREAM_LISTPACKS_3:
                return StreamRdbReader.read(type, in); // an empty stream is a key, unlike empty collections
            default:
                throw new RdbFormatException("Unknown RDB encoding type " + type, at);
        }
    }

    private static List<byte[]> blob(RdbInput in, List<byte[]> entries, String error, long at) throws RdbFormatException {
        if (entries == null) throw new RdbFormatException(error, at);
        return entries;
    }

    /** A string that must be a valid listpack (Listpack.isValid: header, entries, backlens, count). */
    private static byte[] listpack(RdbInput in, String error, long at) throws IOException {
        byte[] lp = in.readString();
        if (!Listpack.isValid(lp)) throw new RdbFormatException(error, at);
        return lp;
    }

    private static byte[] toListpack(List<byte[]> entries) {
        byte[] lp = Listpack.empty();
        for (byte[] e : entries) lp = Listpack.append(lp, e);
        return lp;
    }

    private static RdbValue list(Quicklist q) {
        return new RdbValue(q, ValueType.LIST, ValueType.ENC_QUICKLIST);
    }

    // ---- lists --------------------------------------------------------------------------------

    private RdbValue readLinkedList(RdbInput in) throws IOException {
        long n = in.readCount();
        if (n == 0) return null;
        Quicklist q = new Quicklist(config.listMaxListpackSize);
        for (long i = 0; i < n; i++) q.pushTail(in.readString());
        return list(q);
    }

    /** Quicklist nodes: ziplists (v1) converted to listpacks, or listpack / plain nodes (v2), kept as nodes. */
    private RdbValue readQuicklist(RdbInput in, boolean v2) throws IOException {
        long n = in.readCount();
        if (n == 0) return null;
        Quicklist q = new Quicklist(config.listMaxListpackSize);
        for (long i = 0; i < n; i++) {
            long at = in.offset();
            long container = Rdb.QUICKLIST_NODE_PACKED;
            if (v2) {
                container = in.readLength();
                if (container != Rdb.QUICKLIST_NODE_PACKED && container != Rdb.QUICKLIST_NODE_PLAIN) {
                    throw new RdbFormatException("Quicklist integrity check failed.", at);
                }
            }
            byte[] data = in.readString();
            if (data.length == 0) throw new RdbFormatException("Empty quicklist node", at);
            byte[] lp;
            if (container == Rdb.QUICKLIST_NODE_PLAIN) {
                // Ember keeps a big element as a one-entry listpack node where Redis has a plain node.
                lp = Listpack.append(Listpack.empty(), data);
            } else if (v2) {
                if (!Listpack.isValid(data)) throw new RdbFormatException("Listpack integrity check failed.", at);
                lp = data;
            } else {
                lp = toListpack(blob(in, Ziplist.entries(data), "Ziplist integrity check failed.", at));
            }
            if (Listpack.size(lp) == 0) continue; // Redis silently skips empty nodes
            q.appendNode(lp);
        }
        if (q.size() == 0) return null;
        return list(q);
    }

    // ---- sets ---------------------------------------------------------------------------------

    private RdbValue readSet(RdbInput in) throws IOException {
        long n = in.readCount();
        if (n == 0) return null;
        long maxIntset = Math.min(config.setMaxIntsetEntries, 1L << 30);
        Object set = n > maxIntset ? new SetValue() : Intset.empty();
        for (long i = 0; i < n; i++) {
            long at = in.offset();
            byte[] m = in.readString();
            if (set instanceof byte[] is) {
                if (Numbers.isLong(m)) {
                    long v = Numbers.parseLong(m);
                    if (Intset.contains(is, v)) throw new RdbFormatException("Duplicate set members detected", at);
                    set = Intset.add(is, v);
                    continue;
                }
                set = SetValue.toHashtable(is);
            }
            SetValue s = (SetValue) set;
            if (s.table().find(m) != 0) throw new RdbFormatException("Duplicate set members detected", at);
            s.table().insert(m, null, 0);
        }
        return new RdbValue(set, ValueType.SET, SetValue.encoding(set));
    }

    /** A v11 set listpack: 7.0 has no listpack sets, so an intset when it qualifies, else a hashtable. */
    private RdbValue setFromListpack(byte[] lp, long at) throws RdbFormatException {
        int n = Listpack.size(lp);
        if (n == 0) return null;
        boolean ints = n <= Math.min(config.setMaxIntsetEntries, 1L << 30);
        for (int p = Listpack.first(lp); ints && p >= 0; p = Listpack.next(lp, p)) {
            ints = Listpack.isInt(lp, p) || Numbers.isLong(Listpack.get(lp, p));
        }
        Object set;
        if (ints) {
            byte[] is = Intset.empty();
            for (int p = Listpack.first(lp); p >= 0; p = Listpack.next(lp, p)) {
                long v = Listpack.isInt(lp, p) ? Listpack.intValue(lp, p) : Numbers.parseLong(Listpack.get(lp, p));
                if (Intset.contains(is, v)) throw new RdbFormatException("Duplicate set members detected", at);
                is = Intset.add(is, v);
            }
            set = is;
        } else {
            SetValue s = new SetValue();
            for (int p = Listpack.first(lp); p >= 0; p = Listpack.next(lp, p)) {
                byte[] m = Listpack.get(lp, p);
                if (s.table().find(m) != 0) throw new RdbFormatException("Duplicate set members detected", at);
                s.table().insert(m, null, 0);
            }
            set = s;
        }
        return new RdbValue(set, ValueType.SET, SetValue.encoding(set));
    }

    // ---- sorted sets --------------------------------------------------------------------------

    private RdbValue readZset(RdbInput in, boolean binaryScores) throws IOException {
        long n = in.readCount();
        if (n == 0) return null;
        ZSetValue z = ZSetValue.newSkiplist();
        for (long i = 0; i < n; i++) {
            long at = in.offset();
            byte[] m = in.readString();
            double score = binaryScores ? in.readBinaryDouble() : in.readStringDouble();
            if (Double.isNaN(score)) throw new RdbFormatException("Zset with NAN score detected", at);
            if (!Double.isNaN(z.score(m))) throw new RdbFormatException("Duplicate zset fields detected", at);
            z.add(score, m, 0, Long.MAX_VALUE, Long.MAX_VALUE);
        }
        // Converted after loading, since sorted sets are not stored ordered (as Redis).
        z.convertToListpackIfSmall(config.zsetMaxListpackEntries, config.zsetMaxListpackValue);
        return new RdbValue(z.stored(), ValueType.ZSET, z.encoding());
    }

    /**
     * A member,score listpack: pairs, numeric scores, no duplicates, ordered by (score, member) as
     * zzlInsert keeps them — Ember's listpack code relies on that order.
     */
    private RdbValue zsetFromListpack(byte[] lp, long at, String error) throws RdbFormatException {
        int n = Listpack.size(lp);
        if ((n & 1) != 0) throw new RdbFormatException(error, at);
        if (n == 0) return null;
        Set<ByteKey> seen = new HashSet<>();
        double prevScore = Double.NEGATIVE_INFINITY;
        byte[] prevMember = null;
        for (int p = Listpack.first(lp); p >= 0; ) {
            int s = Listpack.next(lp, p);
            byte[] member = Listpack.get(lp, p);
            double score = Listpack.isInt(lp, s) ? Listpack.intValue(lp, s)
                    : Doubles.parseStored(lp, Listpack.stringStart(lp, s), Listpack.stringLength(lp, s));
            if (Double.isNaN(score)) throw new RdbFormatException(error, at);
            if (!seen.add(new ByteKey(member))) throw new RdbFormatException("Duplicate zset fields detected", at);
            if (prevMember != null && (score < prevScore
                    || (score == prevScore && java.util.Arrays.compareUnsigned(member, prevMember) <= 0))) {
                throw new RdbFormatException(error, at);
            }
            prevScore = score;
            prevMember = member;
            p = Listpack.next(lp, s);
        }
        ZSetValue z = ZSetValue.of(lp);
        if (n / 2 > config.zsetMaxListpackEntries) z.convertToSkiplist();
        return new RdbValue(z.stored(), ValueType.ZSET, z.encoding());
    }

    // ---- hashes -------------------------------------------------------------------------------

    private RdbValue readHash(RdbInput in) throws IOException {
        long n = in.readCount();
        if (n == 0) return null;
        Object h = n > config.hashMaxListpackEntries ? new HashValue.Table() : HashValue.create();
        for (long i = 0; i < n; i++) {
            long at = in.offset();
            byte[] f = in.readString();
            byte[] v = in.readString();
            if (HashValue.exists(h, f)) throw new RdbFormatException("Duplicate hash fields detected", at);
            h = HashValue.set(h, f, v, config.hashMaxListpackEntries, config.hashMaxListpackValue);
        }
        return new RdbValue(h, ValueType.HASH, HashValue.encoding(h));
    }

    /** Hash pairs from a zipmap or ziplist: a listpack, or a table above the thresholds. */
    private RdbValue hashFromPairs(List<byte[]> e, RdbInput in, long at, String dupError, boolean checkValues)
            throws RdbFormatException {
        if ((e.size() & 1) != 0) throw new RdbFormatException(dupError, at);
        if (e.isEmpty()) return null;
        Set<ByteKey> seen = new HashSet<>();
        long maxLen = 0;
        for (int i = 0; i < e.size(); i += 2) {
            if (!seen.add(new ByteKey(e.get(i)))) throw new RdbFormatException(dupError, at);
            maxLen = Math.max(maxLen, Math.max(e.get(i).length, e.get(i + 1).length));
        }
        boolean table = e.size() / 2 > config.hashMaxListpackEntries || (checkValues && maxLen > config.hashMaxListpackValue);
        return new RdbValue(table ? hashTable(e) : toListpack(e), ValueType.HASH, table ? ValueType.ENC_HT : ValueType.ENC_LISTPACK);
    }

    private RdbValue hashFromListpack(byte[] lp, long at) throws RdbFormatException {
        int n = Listpack.size(lp);
        if ((n & 1) != 0) throw new RdbFormatException("Hash listpack integrity check failed.", at);
        if (n == 0) return null;
        Set<ByteKey> seen = new HashSet<>();
        for (int p = Listpack.first(lp); p >= 0; p = Listpack.next(lp, Listpack.next(lp, p))) {
            if (!seen.add(new ByteKey(Listpack.get(lp, p)))) throw new RdbFormatException("Hash listpack integrity check failed.", at);
        }
        if (n / 2 <= config.hashMaxListpackEntries) return new RdbValue(lp, ValueType.HASH, ValueType.ENC_LISTPACK);
        HashValue.Table t = new HashValue.Table();
        for (int p = Listpack.first(lp); p >= 0; ) {
            int v = Listpack.next(lp, p);
            t.map.insert(Listpack.get(lp, p), Listpack.get(lp, v), 0);
            p = Listpack.next(lp, v);
        }
        return new RdbValue(t, ValueType.HASH, ValueType.ENC_HT);
    }

    private static HashValue.Table hashTable(List<byte[]> e) {
        HashValue.Table t = new HashValue.Table();
        for (int i = 0; i < e.size(); i += 2) t.map.insert(e.get(i), e.get(i + 1), 0);
        return t;
    }
}
