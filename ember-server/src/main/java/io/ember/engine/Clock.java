package io.ember.engine;

/**
 * The engine's notion of "now". Commands see one time for their whole execution (and EXEC's
 * commands the time EXEC started), as Redis caches mstime per call, so an expiry check cannot
 * change its answer half way through a command.
 */
public final class Clock {
    private long cachedMs = System.currentTimeMillis();

    public long nowMs() {
        return cachedMs;
    }

    void update() {
        cachedMs = System.currentTimeMillis();
    }

    public long currentMicros() {
        java.time.Instant i = java.time.Instant.now();
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
    }
}
