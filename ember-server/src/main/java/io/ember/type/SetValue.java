package io.ember.type;

import io.ember.engine.KeyTable;
import io.ember.util.Numbers;
import java.util.function.Consumer;

/**
 * A set value (t_set.c's setType* functions). Redis 7.0 has two encodings, and so does Ember:
 * <ul>
 * <li><b>intset</b> while every member is an integer (canonical decimal, 64-bit) and there are at
 *     most {@code set-max-intset-entries} members: the value stored in the keyspace is then the
 *     bare {@link Intset} {@code byte[]}, with no wrapper object, so a small integer set costs one
 *     array (Redis's robj + intset);</li>
 * <li><b>hashtable</b> otherwise: an instance of this class, a {@link KeyTable} of members
 *     (member -> null) with Redis's incremental rehash and SCAN cursor.</li>
 * </ul>
 * Conversion happens on write and only from intset to hashtable, as in Redis.
 *
 * <p>The static methods take either form ({@code Object set}) and return the set to store back,
 * since changing an intset yields a new array. Callers see whether a member was added or removed
 * by comparing {@link #size} before and after. Other families read sets through {@link #view}.
 */
public final class SetValue implements SetView, Values.Duplicable {
    /** Redis caps the intset limit at 2^30 members whatever the config says (setTypeAdd). */
    private static final long INTSET_HARD_LIMIT = 1L << 30;

    private final KeyTable members = new KeyTable();

    public KeyTable table() {
        return members;
    }

    // ---- SetView (and Duplicable) of a hashtable-encoded set ----

    @Override
    public long size() {
        return members.size();
    }

    @Override
    public boolean contains(byte[] member) {
        return members.find(member) != 0;
    }

    @Override
    public void forEachMember(Consumer<byte[]> visitor) {
        for (int ref = 1, limit = members.slotLimit(); ref <= limit; ref++) {
            if (members.live(ref)) visitor.accept(members.key(ref));
        }
    }

    /** Member arrays are never modified once stored, so the copy shares them. */
    @Override
    public Object duplicate() {
        SetValue copy = new SetValue();
        for (int ref = 1, limit = members.slotLimit(); ref <= limit; ref++) {
            if (members.live(ref)) copy.members.insert(members.key(ref), null, 0);
        }
        return copy;
    }

    private boolean addMember(byte[] member) {
        if (members.find(member) != 0) return false;
        members.insert(member, null, 0);
        return true;
    }

    private boolean removeMember(byte[] member) {
        if (members.delete(member) == 0) return false;
        members.shrinkIfSparse(); // Redis resizes a set's dict after a delete (htNeedsResize)
        return true;
    }

    // ---- either encoding ----

    /** Read access for other families (ZUNIONSTORE, SORT...) to the value of a key of type set. */
    public static SetView view(Object set) {
        return set instanceof byte[] is ? new IntsetView(is) : (SetValue) set;
    }

    /** ValueType.ENC_INTSET or ENC_HT. */
    public static int encoding(Object set) {
        return set instanceof byte[] ? ValueType.ENC_INTSET : ValueType.ENC_HT;
    }

    public static long size(Object set) {
        return set instanceof byte[] is ? Intset.length(is) : ((SetValue) set).members.size();
    }

    /** An empty set able to hold {@code first} (setTypeCreate): an intset if it is an integer. */
    public static Object create(byte[] first) {
        return Numbers.isLong(first) ? Intset.empty() : new SetValue();
    }

    public static boolean contains(Object set, byte[] member) {
        if (set instanceof byte[] is) return Numbers.isLong(member) && Intset.contains(is, Numbers.parseLong(member));
        return ((SetValue) set).members.find(member) != 0;
    }

    public static boolean containsInt(Object set, long v) {
        if (set instanceof byte[] is) return Intset.contains(is, v);
        return ((SetValue) set).members.find(Numbers.toBytes(v)) != 0;
    }

    /**
     * Adds a member (setTypeAdd) and returns the set to keep: an intset turns into a hashtable
     * when the member is not an integer or the intset outgrows {@code maxIntsetEntries}.
     */
    public static Object add(Object set, byte[] member, long maxIntsetEntries) {
        if (set instanceof SetValue s) {
            s.addMember(member);
            return s;
        }
        byte[] is = (byte[]) set;
        if (!Numbers.isLong(member)) {
            SetValue s = toHashtable(is);
            s.addMember(member);
            return s;
        }
        return addToIntset(is, Numbers.parseLong(member), maxIntsetEntries);
    }

    /** {@link #add} of an integer member (union and intersection of intsets, without text). */
    public static Object addInt(Object set, long v, long maxIntsetEntries) {
        if (set instanceof SetValue s) {
            s.addMember(Numbers.toBytes(v));
            return s;
        }
        return addToIntset((byte[]) set, v, maxIntsetEntries);
    }

    private static Object addToIntset(byte[] is, long v, long maxIntsetEntries) {
        byte[] r = Intset.add(is, v);
        if (r != is && Intset.length(r) > Math.min(maxIntsetEntries, INTSET_HARD_LIMIT)) return toHashtable(r);
        return r;
    }

    /** Removes a member (setTypeRemove); returns the set to keep. */
    public static Object remove(Object set, byte[] member) {
        if (set instanceof SetValue s) {
            s.removeMember(member);
            return s;
        }
        byte[] is = (byte[]) set;
        return Numbers.isLong(member) ? Intset.remove(is, Numbers.parseLong(member)) : is;
    }

    /** The hashtable form of an intset's members (setTypeConvert). */
    public static SetValue toHashtable(byte[] is) {
        SetValue s = new SetValue();
        for (int i = 0, n = Intset.length(is); i < n; i++) s.members.insert(Numbers.toBytes(Intset.get(is, i)), null, 0);
        return s;
    }

    /**
     * Walks a set's members in its internal order (intset: ascending; hashtable: slot order).
     * After {@link #next} returns true, an intset member is in {@link #intValue} ({@link #isInt}),
     * a hashtable member in {@link #member}; {@link #bytes} gives either as text. The set must not
     * change during the walk.
     */
    public static final class Members {
        private final byte[] intset;
        private final KeyTable table;
        private final int end;
        private int pos;
        public boolean isInt;
        public long intValue;
        public byte[] member;

        public Members(Object set) {
            if (set instanceof byte[] is) {
                intset = is;
                table = null;
                end = Intset.length(is);
                isInt = true;
            } else {
                intset = null;
                table = ((SetValue) set).members;
                end = table.slotLimit();
            }
        }

        public boolean next() {
            if (intset != null) {
                if (pos >= end) return false;
                intValue = Intset.get(intset, pos++);
                return true;
            }
            while (pos < end) {
                int ref = ++pos;
                if (table.live(ref)) {
                    member = table.key(ref);
                    return true;
                }
            }
            return false;
        }

        /** The current member as text (allocates for an intset member). */
        public byte[] bytes() {
            return isInt ? Numbers.toBytes(intValue) : member;
        }
    }

    /** SetView of an intset (allocated per call of {@link #view}; members are converted to text). */
    private record IntsetView(byte[] is) implements SetView {
        @Override
        public long size() {
            return Intset.length(is);
        }

        @Override
        public boolean contains(byte[] member) {
            return Numbers.isLong(member) && Intset.contains(is, Numbers.parseLong(member));
        }

        @Override
        public void forEachMember(Consumer<byte[]> visitor) {
            for (int i = 0, n = Intset.length(is); i < n; i++) visitor.accept(Numbers.toBytes(Intset.get(is, i)));
        }
    }
}
