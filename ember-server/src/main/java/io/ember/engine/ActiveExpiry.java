package io.ember.engine;

/**
 * Active expiry (Redis's slow activeExpireCycle): reclaims expired keys that no command touches,
 * from the cron, within a time budget of 25% of the cron period.
 *
 * <p>Redis samples random keys of its separate expires dict. Ember has no such dict; the TTLs live
 * in pages of the key table allocated only where keys have a TTL, so each database is walked in
 * slot order from a saved cursor, skipping pages without TTLs: over successive runs every key
 * with a TTL is examined. As in Redis, a database gets batches of 20 keys with a TTL while more
 * than 10% of a batch had expired, and the run stops when the time budget is spent.
 */
final class ActiveExpiry {
    /** ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP. */
    static final int KEYS_PER_LOOP = 20;
    /** Slots examined per batch at most, so sparse TTL pages cannot stretch a batch. */
    private static final int SLOTS_PER_LOOP = KEYS_PER_LOOP * 64;
    /** ACTIVE_EXPIRE_CYCLE_ACCEPTABLE_STALE: keep going while more than this percentage had expired. */
    static final int ACCEPTABLE_STALE = 10;
    /** ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC: share of the cron period the cycle may use. */
    static final int SLOW_TIME_PERC = 25;
    /** CRON_DBS_PER_CALL. */
    private static final int DBS_PER_CALL = 16;

    private final Engine engine;
    /** Per database index: the ref where the walk resumes. */
    private final int[] cursors;
    private int nextDb;

    ActiveExpiry(Engine engine, int dbCount) {
        this.engine = engine;
        this.cursors = new int[dbCount];
    }

    /** One cron run, unless DEBUG SET-ACTIVE-EXPIRE 0 switched active expiry off. */
    void cron() {
        if (!engine.activeExpireEnabled) return;
        run(SLOW_TIME_PERC * 1_000_000_000L / Math.max(1, engine.config.hz) / 100);
    }

    /** Expires keys in up to 16 databases; returns false when the time budget ran out first. */
    boolean run(long budgetNanos) {
        long deadline = System.nanoTime() + budgetNanos;
        int dbs = engine.dbCount();
        for (int i = 0; i < Math.min(dbs, DBS_PER_CALL); i++) {
            int id = nextDb;
            nextDb = (nextDb + 1) % dbs;
            if (!expireIn(engine.db(id), id, deadline)) {
                engine.stats.expiredTimeCapReached++;
                return false;
            }
        }
        return true;
    }

    private boolean expireIn(Database db, int id, long deadline) {
        KeyTable table = db.table();
        if (table.expiresCount() == 0) {
            db.avgTtl = 0;
            return true;
        }
        long now = engine.nowMs();
        int cursor = Math.max(1, cursors[id]);
        int sampled, expired;
        do {
            sampled = 0;
            expired = 0;
            long ttlSum = 0;
            int ttlSamples = 0;
            int slots = SLOTS_PER_LOOP;
            while (sampled < KEYS_PER_LOOP && slots > 0) {
                int r = table.nextRefWithExpire(cursor, slots);
                if (r == 0) { // end of the slots: start over next time
                    cursor = 1;
                    break;
                }
                if (r < 0) { // slot budget spent on slots without TTL
                    cursor = -r;
                    break;
                }
                slots -= r - cursor + 1;
                cursor = r + 1;
                sampled++;
                long when = table.expireAt(r);
                if (now > when) {
                    db.deleteExpired(r);
                    expired++;
                } else {
                    ttlSum += when - now;
                    ttlSamples++;
                }
            }
            if (ttlSamples > 0) {
                // The running average INFO keyspace reports as avg_ttl, as Redis keeps it.
                long avg = ttlSum / ttlSamples;
                db.avgTtl = db.avgTtl == 0 ? avg : db.avgTtl / 50 * 49 + avg / 50;
            }
            if (System.nanoTime() > deadline) {
                cursors[id] = cursor;
                return false;
            }
        } while (sampled > 0 && expired * 100 / sampled > ACCEPTABLE_STALE);
        cursors[id] = cursor;
        return true;
    }
}
