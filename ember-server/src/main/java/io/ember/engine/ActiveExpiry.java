package io.ember.engine;

import java.util.concurrent.TimeUnit;

/**
 * Active expiry (Redis's activeExpireCycle): reclaims expired keys that no command touches.
 *
 * <p>The slow cycle runs from the cron with a budget of 25% of the cron period. A database gets
 * batches of 20 keys with a TTL while more than 10% of a batch had expired, so a database full of
 * stale keys gets more work than one that is clean; the cycle stops when the budget is spent.
 * When a slow cycle ran out of time, or the running estimate of stale keys stays above 10%, fast
 * cycles of 1 ms run between cron ticks (at most one per 2 ms), as Redis runs them before
 * sleeping. {@code active-expire-effort} (1..10) scales batch size, budgets and the acceptable
 * stale share as in Redis.
 *
 * <p>Redis samples buckets of its separate expires dict. Ember has no such dict; the TTLs live in
 * pages of the key table allocated only where keys have a TTL, so each database is walked in slot
 * order from a saved cursor, skipping pages without TTLs: over successive cycles every key with a
 * TTL is examined. The time is checked after every batch (Redis: every 16), so a cycle overshoots
 * its budget by at most one batch.
 */
final class ActiveExpiry {
    /** ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP (effort 1). */
    static final int KEYS_PER_LOOP = 20;
    /** ACTIVE_EXPIRE_CYCLE_FAST_DURATION in microseconds (effort 1). */
    private static final int FAST_DURATION_MICROS = 1000;
    /** ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC: share of the cron period a slow cycle may use (effort 1). */
    private static final int SLOW_TIME_PERC = 25;
    /** ACTIVE_EXPIRE_CYCLE_ACCEPTABLE_STALE: keep going while more than this percentage had expired. */
    private static final int ACCEPTABLE_STALE = 10;
    /** CRON_DBS_PER_CALL. */
    private static final int DBS_PER_CALL = 16;

    private final Engine engine;
    /** Per database index: the ref where the walk resumes. */
    private final int[] cursors;
    private int nextDb;
    /** The previous cycle stopped on its time limit. */
    private boolean timeLimitExit;
    private long lastFastCycleNanos;
    private boolean fastScheduled;

    ActiveExpiry(Engine engine, int dbCount) {
        this.engine = engine;
        this.cursors = new int[dbCount];
    }

    private int effort() {
        return engine.config.activeExpireEffort - 1; // 0..9
    }

    private int keysPerLoop() {
        return KEYS_PER_LOOP + KEYS_PER_LOOP / 4 * effort();
    }

    private int fastDurationMicros() {
        return FAST_DURATION_MICROS + FAST_DURATION_MICROS / 4 * effort();
    }

    private int acceptableStale() {
        return ACCEPTABLE_STALE - effort();
    }

    /** The slow cycle, from the cron, unless DEBUG SET-ACTIVE-EXPIRE 0 switched active expiry off. */
    void cron() {
        if (!engine.activeExpireEnabled) return;
        int slowPerc = SLOW_TIME_PERC + 2 * effort();
        run(Math.max(1_000, slowPerc * 1_000_000_000L / Math.max(1, engine.config.hz) / 100));
        scheduleFastCycleIfDue();
    }

    /** While stale keys are plentiful, a fast cycle runs 2 fast-durations later (and again after it). */
    private void scheduleFastCycleIfDue() {
        if (fastScheduled || !fastCycleWanted()) return;
        fastScheduled = true;
        engine.loop().schedule(this::fastCycle, 2L * fastDurationMicros(), TimeUnit.MICROSECONDS);
    }

    private boolean fastCycleWanted() {
        return timeLimitExit || engine.stats.expiredStalePerc * 100 >= acceptableStale();
    }

    private void fastCycle() {
        fastScheduled = false;
        if (!engine.activeExpireEnabled || !fastCycleWanted()) return;
        long now = System.nanoTime();
        if (now < lastFastCycleNanos + 2_000L * fastDurationMicros()) return;
        lastFastCycleNanos = now;
        run(1_000L * fastDurationMicros());
        scheduleFastCycleIfDue();
    }

    /** One cycle over up to 16 databases (all after a cycle that ran out of time); false when the budget ran out. */
    boolean run(long budgetNanos) {
        long start = System.nanoTime();
        long deadline = start + budgetNanos;
        int dbs = engine.dbCount();
        int perCall = timeLimitExit ? dbs : Math.min(dbs, DBS_PER_CALL);
        timeLimitExit = false;
        long[] counts = new long[2]; // sampled, expired
        for (int i = 0; i < perCall && !timeLimitExit; i++) {
            int id = nextDb;
            nextDb = (nextDb + 1) % dbs;
            if (!expireIn(engine.db(id), id, deadline, counts)) {
                engine.stats.expiredTimeCapReached++;
                timeLimitExit = true;
            }
        }
        engine.stats.expireCycleMicros += (System.nanoTime() - start) / 1000;
        // The running estimate INFO reports as expired_stale_perc (5% weight per cycle).
        double current = counts[0] == 0 ? 0 : (double) counts[1] / counts[0];
        engine.stats.expiredStalePerc = current * 0.05 + engine.stats.expiredStalePerc * 0.95;
        return !timeLimitExit;
    }

    private boolean expireIn(Database db, int id, long deadline, long[] counts) {
        KeyTable table = db.table();
        if (table.expiresCount() == 0) {
            db.avgTtl = 0;
            return true;
        }
        int keysPerLoop = keysPerLoop();
        int stale = acceptableStale();
        long now = engine.nowMs();
        int cursor = Math.max(1, cursors[id]);
        int sampled, expired;
        do {
            sampled = 0;
            expired = 0;
            long ttlSum = 0;
            int ttlSamples = 0;
            int slots = keysPerLoop * 64; // slots examined per batch at most: sparse TTL pages cannot stretch it
            while (sampled < keysPerLoop && slots > 0) {
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
            counts[0] += sampled;
            counts[1] += expired;
            if (ttlSamples > 0) {
                // The running average INFO keyspace reports as avg_ttl, as Redis keeps it.
                long avg = ttlSum / ttlSamples;
                db.avgTtl = db.avgTtl == 0 ? avg : db.avgTtl / 50 * 49 + avg / 50;
            }
            if (System.nanoTime() > deadline) {
                cursors[id] = cursor;
                return false;
            }
        } while (sampled > 0 && expired * 100 / sampled > stale);
        cursors[id] = cursor;
        return true;
    }
}
