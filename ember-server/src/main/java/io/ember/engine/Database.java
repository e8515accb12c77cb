package io.ember.engine;

import io.ember.memory.MemoryEstimate;
import io.ember.pubsub.KeyspaceEvents;
import io.ember.tx.Watches;
import io.ember.type.ValueType;

/**
 * One of the numbered keyspaces (SELECT n). Wraps a {@link KeyTable} with what every command
 * needs around a lookup: lazy expiry, LRU/LFU touch, hit/miss statistics, and the "this key
 * changed" signal that invalidates WATCH (and, later, client-side caches).
 *
 * <p>Lookups return a ref (see KeyTable), 0 when the key does not exist or has expired.
 */
public final class Database {
    public final int id;
    private final Engine engine;
    private KeyTable table = KeyTable.forDatabase();
    /** Clients WATCHing keys of this database; empty most of the time. */
    public final Watches watches = new Watches(this);
    /** Average TTL estimate reported by INFO keyspace (maintained by active expiry). */
    public long avgTtl;

    Database(int id, Engine engine) {
        this.id = id;
        this.engine = engine;
    }

    public Engine engine() {
        return engine;
    }

    public KeyTable table() {
        return table;
    }

    public int size() {
        return table.size();
    }

    // ---- lookups ----

    /** Read lookup: counts a hit or miss and refreshes the key's LRU/LFU. */
    public int lookupRead(byte[] key) {
        int r = lookup(key);
        if (r != 0) {
            engine.stats.keyspaceHits++;
            touch(r);
        } else {
            engine.stats.keyspaceMisses++;
            engine.notifier.notify(KeyspaceEvents.KEY_MISS, "keymiss", key, id);
        }
        return r;
    }

    /** Read lookup that leaves the LRU/LFU alone (TYPE, TTL, EXISTS, OBJECT). */
    public int lookupReadNoTouch(byte[] key) {
        int r = lookup(key);
        if (r != 0) {
            engine.stats.keyspaceHits++;
        } else {
            engine.stats.keyspaceMisses++;
            engine.notifier.notify(KeyspaceEvents.KEY_MISS, "keymiss", key, id);
        }
        return r;
    }

    /**
     * lookupReadNoTouch without the keymiss event (Redis's LOOKUP_NONOTIFY): OBJECT, which Redis
     * treats as an inspection rather than a read of the key.
     */
    public int lookupReadNoTouchNoNotify(byte[] key) {
        int r = lookup(key);
        if (r != 0) engine.stats.keyspaceHits++;
        else engine.stats.keyspaceMisses++;
        return r;
    }

    /**
     * Lookup before a write: expires the key if due and refreshes LRU, no hit/miss stats. Callers
     * may change the value in place afterwards, so a snapshot in progress copies the entry first.
     */
    public int lookupWrite(byte[] key) {
        int r = lookup(key);
        if (r != 0) {
            if (table.guard != null) table.guard.beforeChange(r);
            touch(r);
        }
        return r;
    }

    /** Expiry-aware lookup with no side effects besides deleting an expired key. */
    public int lookup(byte[] key) {
        int r = table.find(key);
        if (r != 0 && expired(r)) {
            deleteExpired(r);
            return 0;
        }
        return r;
    }

    /** Lookup that neither expires nor counts (WATCH's "was it already expired" check). */
    public int peekRaw(byte[] key) {
        return table.find(key);
    }

    public boolean expired(int ref) {
        long when = table.expireAt(ref);
        // Nothing expires while the AOF replays (keyIsExpired): later commands in it may touch the key.
        return when != 0 && engine.nowMs() > when && engine.persistence.loading == null;
    }

    /** Deletes a key whose TTL has passed: counts it and signals the change (lazy and active expiry). */
    public void deleteExpired(int ref) {
        byte[] key = table.key(ref);
        signalGone(key, ref);
        unaccount(ref);
        table.delete(key);
        engine.stats.expiredKeys++;
        engine.propagation.propagateDeletion(id, key);
        signalModified(key);
        engine.notifier.notify(KeyspaceEvents.EXPIRED, "expired", key, id);
    }

    private void touch(int ref) {
        table.setMeta(ref, ValueType.withLru(table.meta(ref), engine.evictionClock.accessed(table.meta(ref))));
    }

    // ---- values ----

    public Object value(int ref) {
        return table.value(ref);
    }

    public int type(int ref) {
        return ValueType.type(table.meta(ref));
    }

    public int encoding(int ref) {
        return ValueType.encoding(table.meta(ref));
    }

    public byte[] key(int ref) {
        return table.key(ref);
    }

    // ---- writes (each signals the key as modified) ----

    /** Adds a key that does not exist (the caller looked it up); returns its ref. */
    public int add(byte[] key, Object value, int type, int encoding) {
        int r = table.insert(key, value, ValueType.meta(type, encoding, engine.evictionClock.initial()));
        signalModified(key, r);
        signalCreated(key, type);
        engine.notifier.notify(KeyspaceEvents.NEW, "new", key, id);
        return r;
    }

    /**
     * Adds a key that does not exist with a given meta word and expiry (0 = none). RENAME uses it
     * because Redis moves the value object itself, so its LRU/LFU bits travel with it.
     */
    public int addWithMeta(byte[] key, Object value, int metaWord, long expireAtMs) {
        int r = table.insert(key, value, metaWord);
        if (expireAtMs != 0) table.setExpireAt(r, expireAtMs);
        signalModified(key, r);
        signalCreated(key, ValueType.type(metaWord));
        engine.notifier.notify(KeyspaceEvents.NEW, "new", key, id);
        return r;
    }

    /**
     * Adds a key read from an RDB file (Redis's dbAddRDBLoad): no WATCH, tracking, keyspace
     * event or blocked-client signal, since nobody can have seen the key yet; the caller checked
     * that it is absent.
     */
    public void addLoaded(byte[] key, Object value, int metaWord, long expireAtMs) {
        int r = table.insert(key, value, metaWord);
        if (expireAtMs != 0) table.setExpireAt(r, expireAtMs);
        account(r);
    }

    /** Presizes an empty database for {@code keys} entries (RESIZEDB). */
    public void presize(long keys) {
        table.presize(keys);
    }

    /**
     * Records that a collection changed representation in place (listpack to hashtable, intset to
     * hashtable...), for OBJECT ENCODING. The caller signals the modification itself.
     */
    public void setEncoding(int ref, int encoding) {
        table.setMeta(ref, ValueType.withEncoding(table.meta(ref), encoding));
    }

    /** Replaces the value of an existing key in place, keeping its TTL. */
    public void replace(int ref, Object value, int type, int encoding) {
        signalGone(table.key(ref), ref);
        table.setValue(ref, value);
        int m = table.meta(ref);
        table.setMeta(ref, ValueType.meta(type, encoding, ValueType.lru(m)));
        signalModified(table.key(ref), ref);
    }

    /**
     * Replaces the value of an existing key without signalling a change (no WATCH or tracking
     * invalidation), keeping its meta word and TTL: what Redis does when it reallocates a string in
     * place without calling signalModifiedKey (PFDEBUG TODENSE, a BITFIELD grown by writes that all
     * failed). The memory estimate is updated.
     */
    public void replaceQuietly(int ref, Object value) {
        table.setValue(ref, value);
        account(ref);
    }

    /**
     * SET semantics (setKey): creates or overwrites {@code key}; the TTL is dropped unless
     * {@code keepTtl}. Returns the ref.
     */
    public int set(byte[] key, Object value, int type, int encoding, boolean keepTtl) {
        int r = lookupWrite(key);
        if (r == 0) return add(key, value, type, encoding);
        replace(r, value, type, encoding);
        if (!keepTtl) table.setExpireAt(r, 0);
        return r;
    }

    /** Deletes the key if it exists (expired keys count as absent). Returns true if it was deleted. */
    public boolean delete(byte[] key) {
        int r = lookupWrite(key);
        if (r == 0) return false;
        signalGone(key, r);
        unaccount(r);
        table.delete(key);
        signalModified(key);
        return true;
    }

    public long expireAt(int ref) {
        return table.expireAt(ref);
    }

    /** Sets an absolute expiry (unix ms) on an existing key. Does not signal; callers do. */
    public void setExpireAt(int ref, long whenMs) {
        table.setExpireAt(ref, whenMs);
    }

    /** Removes all keys (FLUSHDB/FLUSHALL); returns how many there were. */
    public long clear() {
        long n = table.size();
        table = KeyTable.forDatabase();
        usedBytes = 0;
        avgTtl = 0;
        engine.blocking.signalDatabase(this); // XREADGROUP waiters learn their stream is gone
        return n;
    }

    /** Exchanges contents with another database (SWAPDB); watches stay with their database. */
    public void swapWith(Database other) {
        KeyTable t = table;
        table = other.table;
        other.table = t;
        long a = avgTtl;
        avgTtl = other.avgTtl;
        other.avgTtl = a;
        long u = usedBytes;
        usedBytes = other.usedBytes;
        other.usedBytes = u;
        engine.blocking.signalDatabase(this);
        engine.blocking.signalDatabase(other);
    }

    /**
     * Moves an existing entry's key/value/TTL/meta into {@code dest} (MOVE). The key is new in
     * {@code dest}, so it fires "new" there, as Redis's dbAdd does.
     */
    public void moveTo(int ref, Database dest) {
        byte[] key = table.key(ref);
        Object value = table.value(ref);
        int m = table.meta(ref);
        long when = table.expireAt(ref);
        signalGone(key, ref);
        unaccount(ref);
        table.delete(key);
        int nr = dest.table.insert(key, value, m);
        if (when != 0) dest.table.setExpireAt(nr, when);
        signalModified(key);
        dest.signalModified(key);
        dest.signalCreated(key, ValueType.type(m));
        engine.notifier.notify(KeyspaceEvents.NEW, "new", key, dest.id);
    }

    /**
     * A key of a type that can serve blocked clients (list, sorted set, stream) came into
     * existence — created, restored, renamed, copied or moved here: as Redis's dbAdd, wake clients
     * waiting for it.
     */
    private void signalCreated(byte[] key, int type) {
        if (type == ValueType.LIST || type == ValueType.ZSET || type == ValueType.STREAM) {
            engine.blocking.signalKeyAsReady(this, key);
        }
    }

    /**
     * A value is deleted or overwritten (signalDeletedKeyAsReady): clients blocked in XREADGROUP on
     * a stream must learn it is gone, so the key is signalled ready for them.
     */
    private void signalGone(byte[] key, int ref) {
        if (ValueType.type(table.meta(ref)) == ValueType.STREAM) engine.blocking.signalKeyAsReady(this, key);
    }

    /** The change signal: invalidates WATCHes (and later client-side caching) on this key. */
    public void signalModified(byte[] key) {
        signalModified(key, table.find(key));
    }

    /** The same when the caller has the key's ref (0: the key is gone). */
    private void signalModified(byte[] key, int ref) {
        watches.touch(key);
        engine.tracking.keyChanged(key);
        if (ref != 0) account(ref);
    }

    /** Removes a key chosen by eviction: counted, notified ("evicted") and signalled as a change. */
    public void evict(int ref) {
        byte[] key = table.key(ref);
        signalGone(key, ref);
        unaccount(ref);
        table.delete(key);
        engine.stats.evictedKeys++;
        engine.propagation.propagateDeletion(id, key);
        engine.notifier.notify(KeyspaceEvents.EVICTED, "evicted", key, id);
        signalModified(key);
    }

    // ---- memory estimate ----

    /** Estimated heap bytes of this database's entries (MemoryEstimate), kept up to date on every change. */
    private long usedBytes;

    public long usedBytes() {
        return usedBytes;
    }

    /** Re-estimates an entry after a change (its previous estimate is kept in the key table). */
    private void account(int ref) {
        int now = MemoryEstimate.entryBytes(table.key(ref), table.value(ref), table.expireAt(ref) != 0);
        usedBytes += now - table.size(ref);
        table.setSize(ref, now);
    }

    /** An entry is about to be removed from the table. */
    private void unaccount(int ref) {
        usedBytes -= table.size(ref);
    }
}
