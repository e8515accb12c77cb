package io.ember.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The hash table behind one database: {@code byte[]} keys, chained buckets, and Redis's
 * incremental rehashing (two bucket arrays while a resize is in progress; every operation and
 * the cron move a few buckets, so a resize never stalls the engine).
 *
 * <p>Memory: entries are not objects. Each entry is a slot in two paged arrays: one holds its
 * key and value references side by side, the other its ints side by side (chain link, meta word,
 * and for a database the memory estimate and hash), so that a lookup and the update that follows touch
 * two cache lines, not one per field. About 16–24 bytes plus the bucket slot; expiry times live
 * in pages that are only allocated once a key in that page gets a TTL. A slot is addressed by a
 * <em>ref</em>, its index + 1, so 0 means "none". Refs stay valid until the entry is deleted.
 *
 * <p>The meta word mirrors Redis's robj header: 4 bits type, 4 bits encoding, 24 bits LRU/LFU.
 */
public final class KeyTable {
    private static final int PAGE_SHIFT = 10;
    private static final int PAGE_SIZE = 1 << PAGE_SHIFT;
    private static final int PAGE_MASK = PAGE_SIZE - 1;
    private static final int INITIAL_BUCKETS = 4;
    /** Slots of the first page when it is created; it grows to PAGE_SIZE before page 1 exists. */
    private static final int FIRST_PAGE_SLOTS = 4;
    /** Shrink when fewer entries than 1/10 of the buckets (Redis HASHTABLE_MIN_FILL). */
    private static final int MIN_FILL = 10;
    private static final int[] NO_BUCKETS = new int[0];
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long SEED = ThreadLocalRandom.current().nextLong() | 1;

    // ---- slab of entries ----
    /** Per slot: [2o] the key (byte[]), [2o + 1] the value. */
    private Object[][] refs = new Object[0][];
    /**
     * Per slot, {@link #ints} ints: [NEXT] chain link, [META] meta word; in a database's table also
     * [SIZE] the owner's memory estimate and [HASH] the low 32 bits of the key's hash, so that a
     * chain walk skips other keys without loading them and a resize moves entries without
     * rehashing their keys.
     */
    private int[][] links = new int[0][];
    private static final int NEXT = 0, META = 1, SIZE = 2, HASH = 3;
    /** Ints per slot in {@link #links}: 2, or 4 for a database's table ({@link #forDatabase}). */
    private final int ints;
    private long[][] expires = new long[0][];
    /** Bytes of keys and byte[] values stored (for the memory estimate of hashes and sets). */
    private long payloadBytes;
    private int[] expiresInPage = new int[0];
    private int highWater;
    private int freeHead;
    private int size;
    private int withExpire;

    // ---- buckets ----
    private int[] table0 = NO_BUCKETS;
    private int[] table1;
    private int rehashIndex = -1;

    /**
     * Told about changes while a point-in-time snapshot of this table is being taken
     * (persist.snapshot); null the rest of the time. KeyTable calls it for its own changes
     * (insert, delete, new value, new TTL); Database calls it before a command changes a value in
     * place.
     */
    public interface ChangeGuard {
        /** The entry at {@code ref} is about to change or be deleted. */
        void beforeChange(int ref);

        /** A new entry was inserted at {@code ref}. */
        void inserted(int ref);
    }

    public ChangeGuard guard;

    /** A table without per-entry sizes (a set's members, a hash's fields). */
    public KeyTable() {
        this(2);
    }

    private KeyTable(int ints) {
        this.ints = ints;
    }

    /** A table that keeps a memory estimate ({@link #setSize}) and the hash per entry: a database. */
    public static KeyTable forDatabase() {
        return new KeyTable(4);
    }

    public int size() {
        return size;
    }

    /** Keys that have a TTL. */
    public int expiresCount() {
        return withExpire;
    }

    public int bucketCount() {
        return table0.length + (table1 == null ? 0 : table1.length);
    }

    public boolean rehashing() {
        return table1 != null;
    }

    // ---- hashing ----

    public static long hash(byte[] k) {
        int n = k.length;
        long h = SEED ^ (n * 0x9E3779B97F4A7C15L);
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            h = (h ^ (long) LONG_LE.get(k, i)) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        if (i < n) {
            long w = 0;
            for (int s = 0; i < n; i++, s += 8) w |= (k[i] & 0xffL) << s;
            h = (h ^ w) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }

    // ---- slot accessors ----

    public byte[] key(int ref) {
        int s = ref - 1;
        return (byte[]) refs[s >>> PAGE_SHIFT][(s & PAGE_MASK) << 1];
    }

    public Object value(int ref) {
        int s = ref - 1;
        return refs[s >>> PAGE_SHIFT][((s & PAGE_MASK) << 1) + 1];
    }

    public void setValue(int ref, Object v) {
        if (guard != null) guard.beforeChange(ref);
        int s = ref - 1, i = ((s & PAGE_MASK) << 1) + 1;
        Object[] page = refs[s >>> PAGE_SHIFT];
        payloadBytes += lengthOf(v) - lengthOf(page[i]);
        page[i] = v;
    }

    private static int lengthOf(Object v) {
        return v instanceof byte[] b ? b.length : 0;
    }

    /** Bytes of all keys plus all values that are byte arrays. */
    public long payloadBytes() {
        return payloadBytes;
    }

    /** The size the owner recorded for an entry with {@link #setSize} (0 if none). */
    public int size(int ref) {
        if (ints <= SIZE) return 0;
        int s = ref - 1;
        return links[s >>> PAGE_SHIFT][(s & PAGE_MASK) * ints + SIZE];
    }

    /** Only for a table made by {@link #forDatabase}: a member table has no size slot. */
    public void setSize(int ref, int bytes) {
        if (ints <= SIZE) throw new IllegalStateException("setSize on a table without sizes");
        int s = ref - 1;
        links[s >>> PAGE_SHIFT][(s & PAGE_MASK) * ints + SIZE] = bytes;
    }

    public int meta(int ref) {
        int s = ref - 1;
        return links[s >>> PAGE_SHIFT][(s & PAGE_MASK) * ints + META];
    }

    public void setMeta(int ref, int m) {
        int s = ref - 1;
        links[s >>> PAGE_SHIFT][(s & PAGE_MASK) * ints + META] = m;
    }

    /** Absolute expiry in unix milliseconds, or 0 when the key has no TTL. */
    public long expireAt(int ref) {
        int s = ref - 1;
        long[] page = expires[s >>> PAGE_SHIFT];
        return page == null ? 0 : page[s & PAGE_MASK];
    }

    public void setExpireAt(int ref, long whenMs) {
        if (guard != null) guard.beforeChange(ref);
        int s = ref - 1, p = s >>> PAGE_SHIFT, o = s & PAGE_MASK;
        long[] page = expires[p];
        if (whenMs == 0) {
            if (page != null && page[o] != 0) {
                page[o] = 0;
                withExpire--;
                if (--expiresInPage[p] == 0) expires[p] = null;
            }
            return;
        }
        if (page == null) page = expires[p] = new long[PAGE_SIZE];
        if (page[o] == 0) {
            withExpire++;
            expiresInPage[p]++;
        }
        page[o] = whenMs;
    }

    /** Expiry pages currently allocated (each covers 1024 slots). */
    public int expirePages() {
        int n = 0;
        for (long[] page : expires) if (page != null) n++;
        return n;
    }

    /**
     * The first ref at or after {@code fromRef} whose entry has a TTL, for active expiry: 0 when
     * there is none up to the end of the slots; {@code -ref} when {@code maxSlots} slots of pages
     * holding TTLs were examined without finding one (continue from {@code ref} later). Pages
     * without any TTL are skipped whole.
     */
    public int nextRefWithExpire(int fromRef, int maxSlots) {
        int s = Math.max(0, fromRef - 1);
        while (s < highWater) {
            long[] page = expires[s >>> PAGE_SHIFT];
            if (page == null) {
                s = ((s >>> PAGE_SHIFT) + 1) << PAGE_SHIFT;
                continue;
            }
            int pageEnd = Math.min(highWater, ((s >>> PAGE_SHIFT) + 1) << PAGE_SHIFT);
            for (; s < pageEnd; s++) {
                if (maxSlots-- == 0) return -(s + 1);
                if (page[s & PAGE_MASK] != 0) return s + 1;
            }
        }
        return 0;
    }

    // ---- lookup, insert, delete ----

    public int find(byte[] key) {
        if (size == 0) return 0;
        if (table1 != null) rehashStep(1);
        long h = hash(key);
        int r = chainFind(table0, h, key);
        if (r == 0 && table1 != null) r = chainFind(table1, h, key);
        return r;
    }

    private int chainFind(int[] table, long h, byte[] key) {
        if (table.length == 0) return 0;
        int r = table[(int) h & (table.length - 1)];
        boolean hashed = ints > HASH;
        while (r != 0) {
            int s = r - 1, p = s >>> PAGE_SHIFT, o = s & PAGE_MASK;
            int[] l = links[p];
            if (!hashed || l[o * ints + HASH] == (int) h) {
                byte[] k = (byte[]) refs[p][o << 1];
                if (k.length == key.length && Arrays.equals(k, key)) return r;
            }
            r = l[o * ints + NEXT];
        }
        return 0;
    }

    /** Adds a key that is known to be absent; returns its ref. */
    public int insert(byte[] key, Object value, int metaWord) {
        if (table1 != null) {
            rehashStep(1);
        } else if (size >= table0.length) {
            startResize(Math.max(INITIAL_BUCKETS, table0.length * 2));
        }
        int r = allocSlot();
        int s = r - 1, p = s >>> PAGE_SHIFT, o = s & PAGE_MASK;
        Object[] kv = refs[p];
        kv[o << 1] = key;
        kv[(o << 1) + 1] = value;
        int[] l = links[p];
        l[o * ints + META] = metaWord;
        payloadBytes += key.length + lengthOf(value);
        int[] table = table1 != null ? table1 : table0;
        int h = (int) hash(key);
        if (ints > HASH) l[o * ints + HASH] = h;
        int b = h & (table.length - 1);
        l[o * ints + NEXT] = table[b];
        table[b] = r;
        size++;
        if (guard != null) guard.inserted(r);
        return r;
    }

    /** Removes the key; returns the ref it had (now free) or 0 when absent. */
    public int delete(byte[] key) {
        if (size == 0) return 0;
        if (table1 != null) rehashStep(1);
        long h = hash(key);
        int r = chainUnlink(table0, h, key);
        if (r == 0 && table1 != null) r = chainUnlink(table1, h, key);
        if (r != 0) {
            if (guard != null) guard.beforeChange(r);
            freeSlot(r);
        }
        return r;
    }

    private int chainUnlink(int[] table, long h, byte[] key) {
        if (table.length == 0) return 0;
        int b = (int) h & (table.length - 1);
        int prev = 0;
        int r = table[b];
        boolean hashed = ints > HASH;
        while (r != 0) {
            int nxt = nextOf(r);
            if (!hashed || hashOf(r) == (int) h) {
                byte[] k = key(r);
                if (k.length == key.length && Arrays.equals(k, key)) {
                    if (prev == 0) table[b] = nxt;
                    else setNext(prev, nxt);
                    return r;
                }
            }
            prev = r;
            r = nxt;
        }
        return 0;
    }

    private void setNext(int ref, int v) {
        int s = ref - 1;
        links[s >>> PAGE_SHIFT][(s & PAGE_MASK) * ints + NEXT] = v;
    }

    private int hashOf(int ref) {
        int s = ref - 1;
        return links[s >>> PAGE_SHIFT][(s & PAGE_MASK) * ints + HASH];
    }

    private int nextOf(int ref) {
        int s = ref - 1;
        return links[s >>> PAGE_SHIFT][(s & PAGE_MASK) * ints + NEXT];
    }

    private int allocSlot() {
        if (freeHead != 0) {
            int r = freeHead;
            freeHead = nextOf(r);
            return r;
        }
        int s = highWater++;
        int p = s >>> PAGE_SHIFT;
        if (p == refs.length) growPages();
        if (refs[p] == null) {
            // The first page starts small and doubles up to a full page, so that the many small
            // tables (a set's members, an almost empty database) do not cost a full page each.
            int slots = p == 0 ? FIRST_PAGE_SLOTS : PAGE_SIZE;
            refs[p] = new Object[slots << 1];
            links[p] = new int[slots * ints];
        } else if (p == 0 && s << 1 == refs[0].length) {
            int slots = Math.min(PAGE_SIZE, s * 2);
            refs[0] = Arrays.copyOf(refs[0], slots << 1);
            links[0] = Arrays.copyOf(links[0], slots * ints);
        }
        return s + 1;
    }

    private void growPages() {
        int n = Math.max(1, refs.length * 2);
        refs = Arrays.copyOf(refs, n);
        links = Arrays.copyOf(links, n);
        expires = Arrays.copyOf(expires, n);
        expiresInPage = Arrays.copyOf(expiresInPage, n);
    }

    private void freeSlot(int r) {
        setExpireAt(r, 0);
        int s = r - 1, p = s >>> PAGE_SHIFT, o = s & PAGE_MASK;
        Object[] kv = refs[p];
        payloadBytes -= ((byte[]) kv[o << 1]).length + lengthOf(kv[(o << 1) + 1]);
        kv[o << 1] = null;
        kv[(o << 1) + 1] = null;
        int[] l = links[p];
        Arrays.fill(l, o * ints, (o + 1) * ints, 0);
        l[o * ints + NEXT] = freeHead;
        freeHead = r;
        size--;
    }

    // ---- incremental rehash ----

    private void startResize(int buckets) {
        table1 = new int[buckets];
        rehashIndex = 0;
        if (size == 0) finishRehash();
    }

    /** Moves up to {@code n} buckets to the new table (visiting at most 10n empty ones). */
    public void rehashStep(int n) {
        if (table1 == null) return;
        int emptyVisits = n * 10;
        int mask1 = table1.length - 1;
        while (n-- > 0 && rehashIndex < table0.length) {
            while (table0[rehashIndex] == 0) {
                rehashIndex++;
                if (rehashIndex == table0.length) break;
                if (--emptyVisits == 0) return;
            }
            if (rehashIndex == table0.length) break;
            int r = table0[rehashIndex];
            while (r != 0) {
                int nxt = nextOf(r);
                int b = (ints > HASH ? hashOf(r) : (int) hash(key(r))) & mask1;
                setNext(r, table1[b]);
                table1[b] = r;
                r = nxt;
            }
            table0[rehashIndex++] = 0;
        }
        if (rehashIndex >= table0.length) finishRehash();
    }

    private void finishRehash() {
        table0 = table1;
        table1 = null;
        rehashIndex = -1;
    }

    /** Rehashes for about {@code millis} ms (the cron's activerehashing). Returns true if work remains. */
    public boolean rehashFor(long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (table1 != null) {
            rehashStep(100);
            if (System.nanoTime() > deadline) break;
        }
        return table1 != null;
    }

    /**
     * Sizes the buckets of an empty table for {@code n} entries at once (RDB loading's RESIZEDB
     * hint), sparing the load the resizes and rehashing it would otherwise go through.
     */
    public void presize(long n) {
        if (size != 0 || table1 != null || n <= table0.length) return;
        long buckets = INITIAL_BUCKETS;
        while (buckets < n && buckets < (1 << 30)) buckets <<= 1;
        table0 = new int[(int) buckets];
    }

    /** Starts a shrink when the table is mostly empty (called from the cron, like tryResizeHashTables). */
    public void shrinkIfSparse() {
        if (table1 != null || table0.length <= INITIAL_BUCKETS) return;
        if ((long) size * 100 / table0.length >= MIN_FILL) return;
        int target = INITIAL_BUCKETS;
        while (target < size) target <<= 1;
        if (target < table0.length) startResize(target);
    }

    // ---- iteration ----

    /** Slots ever used; every live ref is in [1, slotLimit()]. */
    public int slotLimit() {
        return highWater;
    }

    /** True if the ref designates a live entry (for walking all slots). */
    public boolean live(int ref) {
        int s = ref - 1;
        return refs[s >>> PAGE_SHIFT][(s & PAGE_MASK) << 1] != null;
    }

    /** A random live entry (bucket sampling, as dictGetRandomKey), or 0 when empty. */
    public int randomRef() {
        if (size == 0) return 0;
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        int head;
        do {
            if (table1 != null) {
                int span = table0.length + table1.length - rehashIndex;
                int i = rehashIndex + rnd.nextInt(span);
                head = i < table0.length ? table0[i] : table1[i - table0.length];
            } else {
                head = table0[rnd.nextInt(table0.length)];
            }
        } while (head == 0);
        int len = 0;
        for (int r = head; r != 0; r = nextOf(r)) len++;
        int pick = rnd.nextInt(len);
        int r = head;
        while (pick-- > 0) r = nextOf(r);
        return r;
    }

    /**
     * A random entry that has a TTL (volatile eviction policies), or 0 when none was found: a
     * random start, then the next entry with a TTL in slot order, wrapping once.
     */
    public int randomRefWithExpire() {
        if (withExpire == 0 || highWater == 0) return 0;
        int start = 1 + ThreadLocalRandom.current().nextInt(highWater);
        int r = nextRefWithExpire(start, Integer.MAX_VALUE);
        if (r <= 0) r = nextRefWithExpire(1, Integer.MAX_VALUE);
        return Math.max(r, 0);
    }

    /** Receives entries from {@link #scan}. */
    @FunctionalInterface
    public interface RefVisitor {
        void visit(int ref);
    }

    /**
     * One SCAN step with Redis's reverse-binary cursor (dictScan): visits one bucket of the small
     * table and all its expansions in the large one, and returns the next cursor (0 = done).
     * Every entry present for the whole scan is visited at least once, across resizes.
     */
    public long scan(long cursor, RefVisitor visitor) {
        if (size == 0) return 0;
        long v = cursor;
        if (table1 == null) {
            long m0 = table0.length - 1;
            visitChain(table0[(int) (v & m0)], visitor);
            v |= ~m0;
            v = Long.reverse(Long.reverse(v) + 1);
        } else {
            int[] small = table0, large = table1;
            if (small.length > large.length) {
                small = table1;
                large = table0;
            }
            long m0 = small.length - 1, m1 = large.length - 1;
            visitChain(small[(int) (v & m0)], visitor);
            do {
                visitChain(large[(int) (v & m1)], visitor);
                v |= ~m1;
                v = Long.reverse(Long.reverse(v) + 1);
            } while ((v & (m0 ^ m1)) != 0);
        }
        return v;
    }

    private void visitChain(int r, RefVisitor visitor) {
        while (r != 0) {
            int nxt = nextOf(r);
            visitor.visit(r);
            r = nxt;
        }
    }
}
