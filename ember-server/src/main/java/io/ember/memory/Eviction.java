package io.ember.memory;

import io.ember.engine.Database;
import io.ember.engine.Engine;
import io.ember.engine.KeyTable;
import io.ember.type.ValueType;

/**
 * maxmemory eviction (Redis's evict.c). Before each command, when the estimate of used memory
 * (Engine.usedMemory) is over maxmemory, keys are evicted by the configured policy until it is
 * under again, or the time limit of one step is spent (the rest continues in loop tasks, so the
 * engine never stalls longer than one step). With nothing left to evict, or under noeviction,
 * write commands flagged denyoom get the OOM error.
 *
 * <p>The approximations are Redis's: LRU, LFU and TTL policies sample maxmemory-samples keys per
 * database into a pool of the 16 best candidates (longest idle, lowest decayed LFU counter,
 * nearest expiry) and evict the best; random policies pick random keys, databases in turn.
 */
public final class Eviction {
    public static final int OK = 0, RUNNING = 1, FAIL = 2;
    private static final int POOL_SIZE = 16;

    private final Engine engine;
    /** The candidate pool, ascending by "idle" score; empty entries have a null key. */
    private final long[] poolIdle = new long[POOL_SIZE];
    private final byte[][] poolKey = new byte[POOL_SIZE][];
    private final int[] poolDb = new int[POOL_SIZE];
    private int nextRandomDb;
    private boolean continuing;

    public Eviction(Engine engine) {
        this.engine = engine;
    }

    /** performEvictions: OK when under maxmemory, RUNNING when a later step continues, FAIL when nothing can be evicted. */
    public int perform() {
        long max = engine.config.maxmemory;
        if (max == 0) return OK;
        long used = engine.usedMemory();
        if (used <= max) return OK;
        String policy = engine.config.maxmemoryPolicy;
        if (policy.equals("noeviction")) return FAIL;
        boolean allKeys = policy.startsWith("allkeys");
        long toFree = used - max, freed = 0;
        long start = System.nanoTime(), limit = timeLimitNanos();
        int keysFreed = 0;
        while (freed < toFree) {
            long[] victim = policy.endsWith("random") ? randomVictim(allKeys) : pooledVictim(policy, allKeys);
            if (victim == null) return FAIL;
            Database db = engine.db((int) victim[0]);
            long before = db.usedBytes();
            db.evict((int) victim[1]);
            freed += before - db.usedBytes();
            keysFreed++;
            if (keysFreed % 16 == 0 && System.nanoTime() - start > limit) {
                continueLater();
                return RUNNING;
            }
        }
        return OK;
    }

    /** maxmemory-eviction-tenacity: 50 µs per unit up to 10, growing fast after, unlimited at 100. */
    private long timeLimitNanos() {
        int t = engine.config.maxmemoryEvictionTenacity;
        if (t <= 10) return 50_000L * t;
        if (t < 100) return (long) (500_000 * Math.pow(1.15, t - 10));
        return Long.MAX_VALUE;
    }

    /** Evicting goes on in loop tasks (Redis's eviction timer), between other clients' commands. */
    private void continueLater() {
        if (continuing) return;
        continuing = true;
        engine.loop().execute(this::continueEvicting);
    }

    private void continueEvicting() {
        if (engine.scripting.running()) { // run from inside a busy script: not before it ends
            engine.loop().schedule(this::continueEvicting, 1, java.util.concurrent.TimeUnit.MILLISECONDS);
            return;
        }
        continuing = false;
        perform();
    }

    /** {db, ref} of a random key (with a TTL for volatile-random), databases in turn; null if none. */
    private long[] randomVictim(boolean allKeys) {
        for (int i = 0; i < engine.dbCount(); i++) {
            int id = nextRandomDb;
            nextRandomDb = (nextRandomDb + 1) % engine.dbCount();
            KeyTable t = engine.db(id).table();
            int ref = allKeys ? t.randomRef() : t.randomRefWithExpire();
            if (ref != 0) return new long[] {id, ref};
        }
        return null;
    }

    /** {db, ref} of the best candidate of the pool after sampling every database; null if none. */
    private long[] pooledVictim(String policy, boolean allKeys) {
        while (true) {
            long candidates = 0;
            for (int id = 0; id < engine.dbCount(); id++) {
                KeyTable t = engine.db(id).table();
                long n = allKeys ? t.size() : t.expiresCount();
                if (n == 0) continue;
                candidates += n;
                sample(id, t, policy, allKeys);
            }
            if (candidates == 0) return null;
            for (int k = POOL_SIZE - 1; k >= 0; k--) { // the best is on the right
                if (poolKey[k] == null) continue;
                byte[] key = poolKey[k];
                int id = poolDb[k];
                poolKey[k] = null; // tried once, whatever the outcome
                KeyTable t = engine.db(id).table();
                int ref = t.find(key);
                if (ref != 0 && (allKeys || t.expireAt(ref) != 0)) return new long[] {id, ref};
                // gone or no longer volatile since sampled: try the next best
            }
        }
    }

    /** evictionPoolPopulate: sample keys of one database and keep the best in the pool. */
    private void sample(int id, KeyTable t, String policy, boolean allKeys) {
        int samples = engine.config.maxmemorySamples;
        for (int i = 0; i < samples; i++) {
            int ref = allKeys ? t.randomRef() : t.randomRefWithExpire();
            if (ref == 0) return;
            long idle;
            if (policy.endsWith("lru")) {
                idle = engine.evictionClock.idleMillis(ValueType.lru(t.meta(ref)));
            } else if (policy.endsWith("lfu")) {
                idle = 255 - engine.evictionClock.decayedCounter(ValueType.lru(t.meta(ref)));
            } else { // volatile-ttl: the nearest expiry is the best candidate
                idle = Long.MAX_VALUE - t.expireAt(ref);
            }
            insert(id, t.key(ref), idle);
        }
    }

    private void insert(int id, byte[] key, long idle) {
        int k = 0;
        while (k < POOL_SIZE && poolKey[k] != null && poolIdle[k] < idle) k++;
        if (k == 0 && poolKey[POOL_SIZE - 1] != null) return; // worse than everything in a full pool
        if (k < POOL_SIZE && poolKey[k] == null) {
            // an empty slot at k: nothing to move
        } else if (poolKey[POOL_SIZE - 1] == null) { // room on the right: shift k.. right
            System.arraycopy(poolKey, k, poolKey, k + 1, POOL_SIZE - k - 1);
            System.arraycopy(poolIdle, k, poolIdle, k + 1, POOL_SIZE - k - 1);
            System.arraycopy(poolDb, k, poolDb, k + 1, POOL_SIZE - k - 1);
        } else { // full: drop the worst (leftmost) and insert at k-1
            k--;
            System.arraycopy(poolKey, 1, poolKey, 0, k);
            System.arraycopy(poolIdle, 1, poolIdle, 0, k);
            System.arraycopy(poolDb, 1, poolDb, 0, k);
        }
        poolKey[k] = key;
        poolIdle[k] = idle;
        poolDb[k] = id;
    }

}
