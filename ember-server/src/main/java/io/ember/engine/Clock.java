package io.ember.engine;

/**
 * The engine's notion of "now". Commands see one time for their whole execution (and EXEC's
 * commands the time EXEC started), as Redis caches mstime per call, so an expiry check cannot
 * change its answer half way through a command.
 */
public final class Clock {
    /*
     * Wall-clock milliseconds are derived from the monotonic clock read that command timing needs
     * anyway (one clock read per command instead of two). The base is the wall clock at full
     * precision, re-read at every cron tick, so "now" truncates to the millisecond exactly as
     * gettimeofday-based mstime does and never drifts by more than one tick's drift.
     */
    private long baseEpochNanos = epochNanos();
    private long baseNanos = System.nanoTime();
    private long cachedMs = baseEpochNanos / 1_000_000;

    public long nowMs() {
        return cachedMs;
    }

    /** Sets "now" from a System.nanoTime() reading taken by the caller. */
    void update(long nanos) {
        cachedMs = (baseEpochNanos + (nanos - baseNanos)) / 1_000_000;
    }

    /** Re-reads the wall clock (the cron), following any adjustment of the system time. */
    void rebase() {
        baseEpochNanos = epochNanos();
        baseNanos = System.nanoTime();
        cachedMs = baseEpochNanos / 1_000_000;
    }

    /** Wall-clock time in nanoseconds since the epoch, at the clock's full (microsecond) precision. */
    private static long epochNanos() {
        java.time.Instant i = java.time.Instant.now();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    public long currentMicros() {
        java.time.Instant i = java.time.Instant.now();
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
    }
}
