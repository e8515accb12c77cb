package io.ember.engine;

import io.ember.config.ServerConfig;
import io.ember.type.ValueType;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The 24 bits of access information every key carries, interpreted as Redis does (evict.c):
 * under an LFU maxmemory-policy, 16 bits of "last decrement time" in minutes and an 8-bit
 * logarithmic access counter; otherwise a seconds-resolution LRU clock. OBJECT IDLETIME and
 * OBJECT FREQ read them; eviction (a later issue) will sample them.
 */
public final class EvictionClock {
    public static final int LRU_CLOCK_MAX = ValueType.LRU_MASK;
    private static final int LFU_INIT_VAL = 5;

    private final Engine engine;
    /** The policy string last seen and whether it is an LFU policy (checked on every key access). */
    private String policySeen;
    private boolean lfu;

    EvictionClock(Engine engine) {
        this.engine = engine;
    }

    private boolean lfuPolicy() {
        String p = engine.config.maxmemoryPolicy;
        if (p != policySeen) { // identity check: the config replaces the string when it changes
            policySeen = p;
            lfu = engine.config.lfuPolicy();
        }
        return lfu;
    }

    private ServerConfig config() {
        return engine.config;
    }

    /** Current LRU clock (seconds, 24 bits). */
    public int lruClock() {
        return (int) ((engine.nowMs() / 1000) & LRU_CLOCK_MAX);
    }

    private int lfuMinutes() {
        return (int) ((engine.nowMs() / 60000) & 65535);
    }

    /** Access bits for a newly created key. */
    public int initial() {
        return lfuPolicy() ? (lfuMinutes() << 8) | LFU_INIT_VAL : lruClock();
    }

    /**
     * objectSetLRUOrLFU: the access bits of a key loaded from RDB (IDLE/FREQ opcodes) or restored
     * (RESTORE IDLETIME/FREQ). Under an LFU policy a frequency sets the counter; otherwise an idle
     * time in seconds sets the LRU clock back. Returns {@code fallback} when neither applies.
     */
    public int restored(int fallback, long lfuFreq, long idleSeconds) {
        if (lfuPolicy()) return lfuFreq >= 0 ? (lfuMinutes() << 8) | (int) Math.min(255, lfuFreq) : fallback;
        if (idleSeconds < 0) return fallback;
        long abs = lruClock() - idleSeconds;
        return (int) (abs >= 0 ? abs : LRU_CLOCK_MAX + abs) & LRU_CLOCK_MAX;
    }

    /** Access bits after one more access of a key whose meta word is {@code meta}. */
    public int accessed(int meta) {
        if (!lfuPolicy()) return lruClock();
        int counter = lfuLogIncr(decayedCounter(ValueType.lru(meta)));
        return (lfuMinutes() << 8) | counter;
    }

    /** Milliseconds since last access (estimateObjectIdleTime). */
    public long idleMillis(int bits) {
        int now = lruClock();
        long delta = now >= bits ? now - bits : (long) now + (LRU_CLOCK_MAX - bits);
        return delta * 1000;
    }

    /** The LFU counter after applying the time decay (LFUDecrAndReturn). */
    public int decayedCounter(int bits) {
        int ldt = bits >>> 8;
        int counter = bits & 255;
        int now = lfuMinutes();
        int elapsed = now >= ldt ? now - ldt : 65535 - ldt + now;
        int periods = config().lfuDecayTime != 0 ? elapsed / config().lfuDecayTime : 0;
        if (periods != 0) counter = periods > counter ? 0 : counter - periods;
        return counter;
    }

    private int lfuLogIncr(int counter) {
        if (counter == 255) return 255;
        double r = ThreadLocalRandom.current().nextDouble();
        double base = Math.max(0, counter - LFU_INIT_VAL);
        double p = 1.0 / (base * config().lfuLogFactor + 1);
        return r < p ? counter + 1 : counter;
    }
}
