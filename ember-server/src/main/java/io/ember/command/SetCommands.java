package io.ember.command;

import io.ember.client.Client;
import io.ember.engine.Database;
import io.ember.engine.KeyTable;
import io.ember.pubsub.KeyspaceEvents;
import io.ember.type.Intset;
import io.ember.type.SetValue;
import io.ember.type.ValueType;
import io.ember.util.Bytes;
import io.ember.util.Glob;
import io.ember.util.Numbers;
import java.util.BitSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Set commands (t_set.c), on the two encodings of {@link SetValue}: a bare intset array or a
 * hashtable. Sets are changed in place; since an intset changes into a new array, every write
 * stores the set back into its slot ({@link #store}). The set algebra follows Redis's algorithms
 * step for step (which set is walked, which algorithm SDIFF picks), because the encoding a
 * STORE variant leaves behind depends on them: results are built starting from an empty intset,
 * as Redis does, so an intersection of intsets stays an intset.
 *
 * <p>Writes fire Redis's keyspace events (docs/notifications): the command's own event when
 * something changed, "del" when a set or a STORE destination was removed, at the same point
 * relative to the reply as in t_set.c.
 */
public final class SetCommands {
    private SetCommands() {}

    static void register(CommandTable t) {
        t.add("sadd", SetCommands::sadd);
        t.add("srem", SetCommands::srem);
        t.add("smove", SetCommands::smove);
        t.add("sismember", SetCommands::sismember);
        t.add("smismember", SetCommands::smismember);
        t.add("scard", SetCommands::scard);
        t.add("spop", SetCommands::spop);
        t.add("srandmember", SetCommands::srandmember);
        t.add("smembers", SetCommands::sinter); // Redis 7.0 serves SMEMBERS with sinterCommand
        t.add("sinter", SetCommands::sinter);
        t.add("sintercard", SetCommands::sintercard);
        t.add("sinterstore", SetCommands::sinterstore);
        t.add("sunion", SetCommands::sunion);
        t.add("sunionstore", SetCommands::sunionstore);
        t.add("sdiff", SetCommands::sdiff);
        t.add("sdiffstore", SetCommands::sdiffstore);
        t.add("sscan", SetCommands::sscan);
    }

    private static final String NOT_POSITIVE = "ERR value is out of range, must be positive";
    /** SPOP: use "build the remaining set" when the rest is this many times smaller than the count. */
    private static final int SPOP_MOVE_STRATEGY_MUL = 5;
    /** SRANDMEMBER: copy and thin the whole set when it is at most this many times the count. */
    private static final int SRANDMEMBER_SUB_STRATEGY_MUL = 3;
    /**
     * SRANDMEMBER with a huge negative count stops (and closes the connection) past this many
     * reply bytes, as Redis stops when output limits close the client; Redis's default limits for
     * normal clients are unlimited, which would exhaust the heap.
     */
    static final long RANDOM_REPLY_LIMIT = 256L << 20;

    private static long maxIntset(Client c) {
        return c.engine.config.setMaxIntsetEntries;
    }

    /** True (after replying WRONGTYPE) when {@code ref} names a key that is not a set; 0 passes. */
    private static boolean wrongType(Client c, Database db, int ref) {
        if (ref != 0 && db.type(ref) != ValueType.SET) {
            c.reply.error(Errors.WRONGTYPE);
            return true;
        }
        return false;
    }

    /** Writes a set changed in place back into its slot, with its (possibly new) encoding. */
    private static void store(Database db, int ref, Object set) {
        db.table().setValue(ref, set);
        int enc = SetValue.encoding(set);
        if (db.encoding(ref) != enc) db.setEncoding(ref, enc);
    }


    /** Replies the member the walk is on. */
    private static void replyMember(Client c, SetValue.Members it) {
        if (it.isInt) c.reply.bulkLong(it.intValue);
        else c.reply.bulk(it.member);
    }

    // ---- single-set commands ----------------------------------------------------------------

    /** SADD key member [member ...]. */
    static void sadd(Client c, byte[][] argv, int argc) {
        Database db = c.db;
        int ref = db.lookupWrite(argv[1]);
        if (wrongType(c, db, ref)) return;
        Object set;
        if (ref == 0) {
            set = SetValue.create(argv[2]);
            ref = db.add(argv[1], set, ValueType.SET, SetValue.encoding(set));
        } else {
            set = db.value(ref);
        }
        long before = SetValue.size(set);
        long max = maxIntset(c);
        for (int j = 2; j < argc; j++) set = SetValue.add(set, argv[j], max);
        long added = SetValue.size(set) - before;
        store(db, ref, set);
        if (added > 0) {
            db.signalModified(argv[1]);
            KeyEvents.fire(c, KeyspaceEvents.SET, "sadd", argv[1]);
        }
        c.engine.dirty += added;
        c.reply.integer(added);
    }

    /** SREM key member [member ...]. The key goes when its last member does. */
    static void srem(Client c, byte[][] argv, int argc) {
        Database db = c.db;
        int ref = db.lookupWrite(argv[1]);
        if (ref == 0) {
            c.reply.integer(0);
            return;
        }
        if (wrongType(c, db, ref)) return;
        Object set = db.value(ref);
        long deleted = 0;
        boolean keyRemoved = false;
        for (int j = 2; j < argc; j++) {
            long before = SetValue.size(set);
            set = SetValue.remove(set, argv[j]);
            if (SetValue.size(set) < before) {
                deleted++;
                if (SetValue.size(set) == 0) {
                    db.delete(argv[1]);
                    keyRemoved = true;
                    break;
                }
            }
        }
        if (deleted > 0) {
            if (!keyRemoved) store(db, ref, set);
            db.signalModified(argv[1]);
            KeyEvents.fire(c, KeyspaceEvents.SET, "srem", argv[1]);
            if (keyRemoved) KeyEvents.del(c, argv[1]);
            c.engine.dirty += deleted;
        }
        c.reply.integer(deleted);
    }

    /**
     * SMOVE source destination member. The destination counts as modified only when the member
     * was new to it (Redis 7.0 signals it only then).
     */
    static void smove(Client c, byte[][] argv, int argc) {
        Database db = c.db;
        byte[] srcKey = argv[1], dstKey = argv[2], member = argv[3];
        int src = db.lookupWrite(srcKey);
        int dst = db.lookupWrite(dstKey);
        if (src == 0) {
            c.reply.integer(0);
            return;
        }
        if (wrongType(c, db, src) || wrongType(c, db, dst)) return;
        Object srcSet = db.value(src);
        if (src == dst) {
            c.reply.integer(SetValue.contains(srcSet, member) ? 1 : 0);
            return;
        }
        long before = SetValue.size(srcSet);
        srcSet = SetValue.remove(srcSet, member);
        if (SetValue.size(srcSet) == before) {
            c.reply.integer(0);
            return;
        }
        KeyEvents.fire(c, KeyspaceEvents.SET, "srem", srcKey);
        if (SetValue.size(srcSet) == 0) {
            db.delete(srcKey);
            KeyEvents.del(c, srcKey);
        } else {
            store(db, src, srcSet);
        }
        Object dstSet;
        if (dst == 0) {
            dstSet = SetValue.create(member);
            dst = db.add(dstKey, dstSet, ValueType.SET, SetValue.encoding(dstSet));
        } else {
            dstSet = db.value(dst);
        }
        db.signalModified(srcKey);
        c.engine.dirty++;
        before = SetValue.size(dstSet);
        dstSet = SetValue.add(dstSet, member, maxIntset(c));
        if (SetValue.size(dstSet) > before) {
            store(db, dst, dstSet);
            c.engine.dirty++;
            db.signalModified(dstKey);
            KeyEvents.fire(c, KeyspaceEvents.SET, "sadd", dstKey);
        }
        c.reply.integer(1);
    }

    /** SISMEMBER key member. */
    static void sismember(Client c, byte[][] argv, int argc) {
        Database db = c.db;
        int ref = db.lookupRead(argv[1]);
        if (wrongType(c, db, ref)) return;
        c.reply.integer(ref != 0 && SetValue.contains(db.value(ref), argv[2]) ? 1 : 0);
    }

    /** SMISMEMBER key member [member ...]: a missing key is an empty set. */
    static void smismember(Client c, byte[][] argv, int argc) {
        Database db = c.db;
        int ref = db.lookupRead(argv[1]);
        if (wrongType(c, db, ref)) return;
        Object set = ref == 0 ? null : db.value(ref);
        c.reply.arrayHeader(argc - 2);
        for (int j = 2; j < argc; j++) c.reply.integer(set != null && SetValue.contains(set, argv[j]) ? 1 : 0);
    }

    /** SCARD key. */
    static void scard(Client c, byte[][] argv, int argc) {
        Database db = c.db;
        int ref = db.lookupRead(argv[1]);
        if (wrongType(c, db, ref)) return;
        c.reply.integer(ref == 0 ? 0 : SetValue.size(db.value(ref)));
    }

    // ---- random members ------------------------------------------------------------------------

    /** A random position of an intset, or a random live ref of a hashtable set. */
    private static int randomPosition(Object set) {
        if (set instanceof byte[] is) return ThreadLocalRandom.current().nextInt(Intset.length(is));
        return ((SetValue) set).table().randomRef();
    }

    /** The member at a position from {@link #randomPosition}, as text. */
    private static byte[] memberAt(Object set, int pos) {
        if (set instanceof byte[] is) return Numbers.toBytes(Intset.get(is, pos));
        return ((SetValue) set).table().key(pos);
    }

    /** Removes the member at a position from {@link #randomPosition}; returns the set to keep. */
    private static Object removeAt(Object set, int pos) {
        if (set instanceof byte[] is) return Intset.remove(is, Intset.get(is, pos));
        return SetValue.remove(set, ((SetValue) set).table().key(pos));
    }

    private static void replyMemberAt(Client c, Object set, int pos) {
        if (set instanceof byte[] is) c.reply.bulkLong(Intset.get(is, pos));
        else c.reply.bulk(((SetValue) set).table().key(pos));
    }

    private static final byte[] SREM = Bytes.ascii("SREM");

    /** SPOP key [count]. */
    static void spop(Client c, byte[][] argv, int argc) {
        if (argc == 3) {
            spopWithCount(c, argv);
            return;
        }
        if (argc > 3) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        Database db = c.db;
        int ref = db.lookupWrite(argv[1]);
        if (ref == 0) {
            c.reply.nullBulk();
            return;
        }
        if (wrongType(c, db, ref)) return;
        Object set = db.value(ref);
        int pos = randomPosition(set);
        // Redis fires "spop" after removing the member and before replying it; firing before the
        // removal is the same to any observer, and the position stays valid for the reply.
        KeyEvents.fire(c, KeyspaceEvents.SET, "spop", argv[1]);
        replyMemberAt(c, set, pos);
        if (Rewrites.on(c)) Rewrites.as(c, SREM, argv[1], memberAt(set, pos)); // SPOP as SREM of the member
        set = removeAt(set, pos);
        if (SetValue.size(set) == 0) {
            db.delete(argv[1]);
            KeyEvents.del(c, argv[1]);
        } else {
            store(db, ref, set);
        }
        db.signalModified(argv[1]);
        c.engine.dirty++;
    }

    /**
     * SPOP key count, with Redis's three cases: the whole set (count >= size), random extraction
     * (few members), or building the set of the members that stay (most members).
     */
    private static void spopWithCount(Client c, byte[][] argv) {
        if (!Numbers.isLong(argv[2]) || Numbers.parseLong(argv[2]) < 0) {
            c.reply.error(NOT_POSITIVE);
            return;
        }
        long count = Numbers.parseLong(argv[2]);
        Database db = c.db;
        byte[] key = argv[1];
        int ref = db.lookupWrite(key);
        if (ref == 0) {
            c.reply.setHeader(0);
            return;
        }
        if (wrongType(c, db, ref)) return;
        if (count == 0) {
            c.reply.setHeader(0);
            return;
        }
        Object set = db.value(ref);
        long size = SetValue.size(set);
        c.engine.dirty += Math.min(count, size);
        KeyEvents.fire(c, KeyspaceEvents.SET, "spop", key); // before anything changes or is replied, as Redis
        if (count >= size) {
            // Redis replies through SUNION of the one key (another read lookup, so a keyspace hit).
            db.lookupRead(key);
            replySet(c, union(c, new Object[] {set}));
            db.delete(key);
            KeyEvents.del(c, key);
            Rewrites.del(c, key); // the whole set: propagated as DEL
            return;
        }
        // Otherwise one SREM per member popped (7.0 does not batch them), wrapped in MULTI/EXEC
        // with the rest of the call; SPOP itself is not propagated.
        boolean propagate = Rewrites.on(c);
        if (propagate) c.engine.propagation.prevent();
        long remaining = size - count;
        c.reply.setHeader(count);
        if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
            while (count-- > 0) {
                int pos = randomPosition(set);
                replyMemberAt(c, set, pos);
                if (propagate) c.engine.propagation.alsoPropagate(db.id, SREM, key, memberAt(set, pos));
                set = removeAt(set, pos);
            }
            store(db, ref, set);
            db.signalModified(key);
        } else {
            Object kept = null;
            long max = maxIntset(c);
            while (remaining-- > 0) {
                byte[] member = memberAt(set, randomPosition(set));
                if (kept == null) kept = SetValue.create(member);
                kept = SetValue.add(kept, member, max);
                set = SetValue.remove(set, member);
            }
            SetValue.Members it = new SetValue.Members(set);
            while (it.next()) {
                replyMember(c, it);
                if (propagate) c.engine.propagation.alsoPropagate(db.id, SREM, key, it.bytes());
            }
            db.replace(ref, kept, ValueType.SET, SetValue.encoding(kept)); // keeps the TTL, signals
        }
    }

    /** SRANDMEMBER key [count]. */
    static void srandmember(Client c, byte[][] argv, int argc) {
        if (argc == 3) {
            srandmemberWithCount(c, argv);
            return;
        }
        if (argc > 3) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        Database db = c.db;
        int ref = db.lookupRead(argv[1]);
        if (ref == 0) {
            c.reply.nullBulk();
            return;
        }
        if (wrongType(c, db, ref)) return;
        Object set = db.value(ref);
        replyMemberAt(c, set, randomPosition(set));
    }

    /**
     * SRANDMEMBER key count: a negative count allows repetitions; otherwise distinct members,
     * the whole set when count >= size. Replies are arrays (not sets) in Redis 7.0.
     */
    private static void srandmemberWithCount(Client c, byte[][] argv) {
        if (!Numbers.isLong(argv[2])) {
            c.reply.error(Errors.NOT_INTEGER);
            return;
        }
        long l = Numbers.parseLong(argv[2]);
        if (l == Long.MIN_VALUE) {
            c.reply.error("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
            return;
        }
        boolean unique = l >= 0;
        long count = Math.abs(l);
        Database db = c.db;
        int ref = db.lookupRead(argv[1]);
        if (ref == 0) {
            c.reply.emptyArray();
            return;
        }
        if (wrongType(c, db, ref)) return;
        if (count == 0) {
            c.reply.emptyArray();
            return;
        }
        Object set = db.value(ref);
        long size = SetValue.size(set);
        if (!unique || count == 1) {
            c.reply.arrayHeader(count);
            // Nothing to build for a client that asked for no replies (a huge count would spin).
            if (c.reply.suppressed()) return;
            for (long i = 0; i < count; i++) {
                replyMemberAt(c, set, randomPosition(set));
                if ((i & 1023) == 1023 && c.reply.pendingBytes() > RANDOM_REPLY_LIMIT) {
                    c.closeAfterReply = true;
                    break;
                }
            }
            return;
        }
        if (count >= size) {
            c.reply.arrayHeader(size);
            SetValue.Members it = new SetValue.Members(set);
            while (it.next()) replyMember(c, it);
            return;
        }
        c.reply.arrayHeader(count);
        int n = (int) count;
        if (count * SRANDMEMBER_SUB_STRATEGY_MUL > size) {
            // Most of the set: a partial shuffle of all positions picks n distinct ones.
            int[] all = allPositions(set, (int) size);
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            for (int i = 0; i < n; i++) {
                int j = i + rnd.nextInt(all.length - i);
                int t = all[i];
                all[i] = all[j];
                all[j] = t;
                replyMemberAt(c, set, all[i]);
            }
        } else {
            // A small part of a big set: draw until n distinct positions came up.
            BitSet seen = new BitSet();
            for (int found = 0; found < n; ) {
                int pos = randomPosition(set);
                if (seen.get(pos)) continue;
                seen.set(pos);
                replyMemberAt(c, set, pos);
                found++;
            }
        }
    }

    /** Every position of a set: intset indexes, or the live refs of a hashtable. */
    private static int[] allPositions(Object set, int size) {
        int[] all = new int[size];
        if (set instanceof byte[]) {
            for (int i = 0; i < size; i++) all[i] = i;
            return all;
        }
        KeyTable t = ((SetValue) set).table();
        int n = 0;
        for (int ref = 1, limit = t.slotLimit(); ref <= limit; ref++) if (t.live(ref)) all[n++] = ref;
        return all;
    }

    // ---- set algebra -------------------------------------------------------------------------

    /** SINTER key [key ...] (and SMEMBERS key). */
    static void sinter(Client c, byte[][] argv, int argc) {
        sinterGeneric(c, argv, 1, argc - 1, null, false, 0);
    }

    /** SINTERSTORE destination key [key ...]. */
    static void sinterstore(Client c, byte[][] argv, int argc) {
        sinterGeneric(c, argv, 2, argc - 2, argv[1], false, 0);
    }

    /** SINTERCARD numkeys key [key ...] [LIMIT limit]. */
    static void sintercard(Client c, byte[][] argv, int argc) {
        if (!Numbers.isLong(argv[1]) || Numbers.parseLong(argv[1]) < 1) {
            c.reply.error("ERR numkeys should be greater than 0");
            return;
        }
        long numkeys = Numbers.parseLong(argv[1]);
        if (numkeys > argc - 2) {
            c.reply.error("ERR Number of keys can't be greater than number of args");
            return;
        }
        long limit = 0;
        for (int j = 2 + (int) numkeys; j < argc; j++) {
            if (Bytes.eqIgnoreCase(argv[j], "limit") && j < argc - 1) {
                j++;
                if (!Numbers.isLong(argv[j]) || Numbers.parseLong(argv[j]) < 0) {
                    c.reply.error("ERR LIMIT can't be negative");
                    return;
                }
                limit = Numbers.parseLong(argv[j]);
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
        sinterGeneric(c, argv, 2, (int) numkeys, null, true, limit);
    }

    /**
     * The sets named by {@code argv[first..first+n)} (null for a missing key), or null after
     * replying WRONGTYPE. Every key is looked up (and type-checked) in order, as Redis does.
     */
    private static Object[] lookupSets(Client c, byte[][] argv, int first, int n) {
        Database db = c.db;
        Object[] sets = new Object[n];
        for (int j = 0; j < n; j++) {
            int ref = db.lookupRead(argv[first + j]);
            if (ref == 0) continue;
            if (wrongType(c, db, ref)) return null;
            sets[j] = db.value(ref);
        }
        return sets;
    }

    /**
     * sinterGenericCommand: walks the smallest set and keeps the members every other set has.
     * {@code dstKey} stores the result (SINTERSTORE); {@code cardinalityOnly} counts it, stopping
     * at {@code limit} when that is not 0 (SINTERCARD).
     */
    private static void sinterGeneric(Client c, byte[][] argv, int first, int n, byte[] dstKey,
            boolean cardinalityOnly, long limit) {
        Object[] sets = lookupSets(c, argv, first, n);
        if (sets == null) return;
        for (Object s : sets) {
            if (s != null) continue;
            // Intersection with an empty set is empty.
            if (dstKey != null) {
                if (c.db.delete(dstKey)) {
                    c.engine.dirty++;
                    KeyEvents.del(c, dstKey); // before the reply on this path, as Redis
                }
                c.reply.integer(0);
            } else if (cardinalityOnly) {
                c.reply.integer(0);
            } else {
                c.reply.setHeader(0);
            }
            return;
        }
        sortBySize(sets, 0, true);
        Object dst = null;
        int handle = 0;
        if (dstKey != null) dst = Intset.empty();
        else if (!cardinalityOnly) handle = c.reply.deferLength();
        long max = maxIntset(c);
        long cardinality = 0;
        SetValue.Members it = new SetValue.Members(sets[0]);
        while (it.next()) {
            int j = 1;
            byte[] text = null; // an intset member as text, made once if a hashtable needs it
            for (; j < n; j++) {
                Object other = sets[j];
                if (other == sets[0]) continue;
                boolean found;
                if (!it.isInt) {
                    found = SetValue.contains(other, it.member);
                } else if (other instanceof byte[] is) {
                    found = Intset.contains(is, it.intValue);
                } else {
                    if (text == null) text = Numbers.toBytes(it.intValue);
                    found = SetValue.contains(other, text);
                }
                if (!found) break;
            }
            if (j < n) continue;
            if (cardinalityOnly) {
                cardinality++;
                if (limit != 0 && cardinality >= limit) break;
            } else if (dstKey == null) {
                replyMember(c, it);
                cardinality++;
            } else {
                dst = it.isInt ? SetValue.addInt(dst, it.intValue, max) : SetValue.add(dst, it.member, max);
            }
        }
        if (cardinalityOnly) {
            c.reply.integer(cardinality);
        } else if (dstKey != null) {
            storeResult(c, dstKey, dst, "sinterstore");
        } else {
            c.reply.setDeferredSet(handle, cardinality);
        }
    }

    /**
     * STORE variants: the result replaces the destination (dropping its TTL) and fires
     * {@code event} on it, or deletes it when empty (firing "del" if it existed).
     */
    private static void storeResult(Client c, byte[] dstKey, Object dst, String event) {
        long size = SetValue.size(dst);
        if (size > 0) {
            c.db.set(dstKey, dst, ValueType.SET, SetValue.encoding(dst), false);
            c.reply.integer(size);
            KeyEvents.fire(c, KeyspaceEvents.SET, event, dstKey);
            c.engine.dirty++;
        } else {
            c.reply.integer(0);
            if (c.db.delete(dstKey)) {
                c.engine.dirty++;
                KeyEvents.del(c, dstKey);
            }
        }
    }

    /** Insertion sort of sets[from..] by size (nulls count as empty), ascending or descending. */
    private static void sortBySize(Object[] sets, int from, boolean ascending) {
        for (int i = from + 1; i < sets.length; i++) {
            Object s = sets[i];
            long size = s == null ? 0 : SetValue.size(s);
            int j = i - 1;
            while (j >= from) {
                long other = sets[j] == null ? 0 : SetValue.size(sets[j]);
                if (ascending ? other <= size : other >= size) break;
                sets[j + 1] = sets[j];
                j--;
            }
            sets[j + 1] = s;
        }
    }

    /** SUNION key [key ...]. */
    static void sunion(Client c, byte[][] argv, int argc) {
        sunionDiffGeneric(c, argv, 1, argc - 1, null, false);
    }

    /** SUNIONSTORE destination key [key ...]. */
    static void sunionstore(Client c, byte[][] argv, int argc) {
        sunionDiffGeneric(c, argv, 2, argc - 2, argv[1], false);
    }

    /** SDIFF key [key ...]. */
    static void sdiff(Client c, byte[][] argv, int argc) {
        sunionDiffGeneric(c, argv, 1, argc - 1, null, true);
    }

    /** SDIFFSTORE destination key [key ...]. */
    static void sdiffstore(Client c, byte[][] argv, int argc) {
        sunionDiffGeneric(c, argv, 2, argc - 2, argv[1], true);
    }

    /** sunionDiffGenericCommand: builds the result from an empty intset, then replies or stores it. */
    private static void sunionDiffGeneric(Client c, byte[][] argv, int first, int n, byte[] dstKey, boolean diff) {
        Object[] sets = lookupSets(c, argv, first, n);
        if (sets == null) return;
        Object dst = diff ? difference(c, sets) : union(c, sets);
        if (dstKey == null) replySet(c, dst);
        else storeResult(c, dstKey, dst, diff ? "sdiffstore" : "sunionstore");
    }

    private static void replySet(Client c, Object set) {
        c.reply.setHeader(SetValue.size(set));
        SetValue.Members it = new SetValue.Members(set);
        while (it.next()) replyMember(c, it);
    }

    /** Every member of every set (missing keys are empty sets). */
    private static Object union(Client c, Object[] sets) {
        Object dst = Intset.empty();
        long max = maxIntset(c);
        for (Object s : sets) {
            if (s == null) continue;
            SetValue.Members it = new SetValue.Members(s);
            while (it.next()) dst = it.isInt ? SetValue.addInt(dst, it.intValue, max) : SetValue.add(dst, it.member, max);
        }
        return dst;
    }

    /**
     * The members of the first set that no other set has, with Redis's choice of algorithm:
     * (1) test each member of the first set against the others, or (2) copy the first set and
     * remove the others' members. The choice matters beyond speed: algorithm 2 can leave a
     * hashtable-encoded result that algorithm 1 would have built as an intset.
     */
    private static Object difference(Client c, Object[] sets) {
        Object dst = Intset.empty();
        Object first = sets[0];
        if (first == null) return dst;
        int n = sets.length;
        for (int j = 1; j < n; j++) {
            if (sets[j] == first) return dst; // the first key again: the result is empty
        }
        long algoOneWork = 0, algoTwoWork = 0;
        for (Object s : sets) {
            if (s == null) continue;
            algoOneWork += SetValue.size(first);
            algoTwoWork += SetValue.size(s);
        }
        algoOneWork /= 2; // algorithm 1 has better constants: give it an advantage
        long max = maxIntset(c);
        if (algoOneWork <= algoTwoWork) {
            // Subtract the larger sets first: a member found early is dropped early.
            sortBySize(sets, 1, false);
            SetValue.Members it = new SetValue.Members(first);
            while (it.next()) {
                byte[] text = it.isInt ? null : it.member;
                int j = 1;
                for (; j < n; j++) {
                    Object other = sets[j];
                    if (other == null) continue;
                    boolean found;
                    if (it.isInt && other instanceof byte[] is) {
                        found = Intset.contains(is, it.intValue);
                    } else {
                        if (text == null) text = Numbers.toBytes(it.intValue);
                        found = SetValue.contains(other, text);
                    }
                    if (found) break;
                }
                if (j == n) dst = it.isInt ? SetValue.addInt(dst, it.intValue, max) : SetValue.add(dst, it.member, max);
            }
            return dst;
        }
        long cardinality = 0;
        for (int j = 0; j < n; j++) {
            if (sets[j] == null) continue;
            SetValue.Members it = new SetValue.Members(sets[j]);
            while (it.next()) {
                long before = SetValue.size(dst);
                if (j == 0) dst = it.isInt ? SetValue.addInt(dst, it.intValue, max) : SetValue.add(dst, it.member, max);
                else dst = SetValue.remove(dst, it.bytes());
                cardinality += SetValue.size(dst) - before;
            }
            if (cardinality == 0) break;
        }
        return dst;
    }

    // ---- SSCAN -------------------------------------------------------------------------------

    /**
     * SSCAN key cursor [MATCH pattern] [COUNT count]: an intset is returned whole with cursor 0
     * (whatever the cursor); a hashtable is walked with KeyTable's reverse-binary cursor, so
     * Redis's SCAN guarantees hold.
     */
    static void sscan(Client c, byte[][] argv, int argc) {
        ScanCommand.Options o = new ScanCommand.Options();
        if (!o.parseCursor(c, argv[2])) return;
        Database db = c.db;
        int ref = db.lookupRead(argv[1]);
        if (ref == 0) {
            c.reply.arrayHeader(2);
            c.reply.bulkLong(0);
            c.reply.emptyArray();
            return;
        }
        if (wrongType(c, db, ref)) return;
        if (!o.parseOptions(c, argv, argc, 3, false)) return;
        Object set = db.value(ref);
        byte[][] found;
        int size;
        long cursor;
        if (set instanceof byte[] is) {
            size = Intset.length(is);
            found = new byte[size][];
            for (int i = 0; i < size; i++) found[i] = Numbers.toBytes(Intset.get(is, i));
            cursor = 0;
        } else {
            KeyTable table = ((SetValue) set).table();
            ScanCommand.Collector collector = new ScanCommand.Collector(table, o.count);
            cursor = o.cursor;
            long maxIterations = o.count * 10; // bounded work per call, as Redis
            do {
                cursor = table.scan(cursor, collector);
            } while (cursor != 0 && maxIterations-- != 0 && collector.size < o.count);
            found = collector.keys;
            size = collector.size;
        }
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (o.pattern == null || Glob.matches(o.pattern, found[i], false)) found[kept++] = found[i];
        }
        c.reply.arrayHeader(2);
        c.reply.bulkLong(cursor);
        c.reply.arrayHeader(kept);
        for (int i = 0; i < kept; i++) c.reply.bulk(found[i]);
    }
}
