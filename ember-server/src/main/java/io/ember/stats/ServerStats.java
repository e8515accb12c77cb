package io.ember.stats;

import io.ember.resp.Reply;
import java.util.TreeMap;

/** Server-wide counters for INFO stats and errorstats (engine thread only). */
public final class ServerStats implements Reply.ErrorListener {
    public long totalCommands;
    public long totalErrorReplies;
    public long keyspaceHits, keyspaceMisses;
    public long expiredKeys, expiredTimeCapReached;
    /** Running estimate of the share (0..1) of keys with a TTL that are already expired (active expiry samples). */
    public double expiredStalePerc;
    /** Microseconds spent in active expiry cycles (INFO expire_cycle_cpu_milliseconds). */
    public long expireCycleMicros;
    public long evictedKeys;
    /** Keys released by FLUSHDB/FLUSHALL ASYNC (INFO lazyfreed_objects). */
    public long lazyfreedObjects;
    public long netInputBytes, netOutputBytes;
    public long unexpectedErrorReplies;
    /** Socket reads and writes (INFO total_reads_processed / total_writes_processed). */
    public long totalReadsProcessed, totalWritesProcessed;
    /**
     * The fixed part of used_memory: the server's own structures (command table, metadata, empty
     * databases), counted as a constant — Ember's memory figures are estimates of live data
     * (docs/memory.md), and this is what an empty server reports.
     */
    public static final long USED_MEMORY_STARTUP = 1L << 20;
    private long usedMemoryPeak = USED_MEMORY_STARTUP;
    /** Error replies by code ("ERR", "WRONGTYPE"), for INFO errorstats. Capped at 128 codes as Redis. */
    public final TreeMap<String, Long> errorCodes = new TreeMap<>();

    private final long[] opsSamples = new long[16];
    private int sampleIdx;
    private long lastSampleTime, lastSampleCommands;
    private final long[] inSamples = new long[16], outSamples = new long[16];
    private long lastIn, lastOut;

    @Override
    public void onErrorReply(byte[] message) {
        totalErrorReplies++;
        int end = 0;
        while (end < message.length && end < 32 && message[end] != ' ') end++;
        String code = end < message.length && end < 32 ? new String(message, 0, end, java.nio.charset.StandardCharsets.ISO_8859_1) : "ERR";
        if (errorCodes.size() >= 128 && !errorCodes.containsKey(code)) return;
        errorCodes.merge(code, 1L, Long::sum);
    }

    /** The highest used_memory seen, sampled by the cron and by INFO. */
    public long usedMemoryPeak(long usedNow) {
        if (usedNow > usedMemoryPeak) usedMemoryPeak = usedNow;
        return usedMemoryPeak;
    }

    /** Called from the cron: one sample of operations and network bytes per second. */
    public void sample(long nowMs, long usedMemory) {
        usedMemoryPeak(usedMemory);
        long dt = nowMs - lastSampleTime;
        if (lastSampleTime != 0 && dt > 0) {
            opsSamples[sampleIdx] = (totalCommands - lastSampleCommands) * 1000 / dt;
            inSamples[sampleIdx] = (netInputBytes - lastIn) * 1000 / dt;
            outSamples[sampleIdx] = (netOutputBytes - lastOut) * 1000 / dt;
            sampleIdx = (sampleIdx + 1) % opsSamples.length;
        }
        lastSampleTime = nowMs;
        lastSampleCommands = totalCommands;
        lastIn = netInputBytes;
        lastOut = netOutputBytes;
    }

    public long instantaneousOps() {
        return avg(opsSamples);
    }

    public double instantaneousInputKbps() {
        return avg(inSamples) / 1024.0;
    }

    public double instantaneousOutputKbps() {
        return avg(outSamples) / 1024.0;
    }

    private static long avg(long[] s) {
        long sum = 0;
        for (long v : s) sum += v;
        return sum / s.length;
    }

    /** CONFIG RESETSTAT. */
    public void reset() {
        totalCommands = totalErrorReplies = keyspaceHits = keyspaceMisses = 0;
        expiredKeys = expiredTimeCapReached = evictedKeys = lazyfreedObjects = 0;
        expiredStalePerc = 0;
        expireCycleMicros = 0;
        netInputBytes = netOutputBytes = unexpectedErrorReplies = 0;
        totalReadsProcessed = totalWritesProcessed = 0;
        lastSampleTime = lastSampleCommands = lastIn = lastOut = 0;
        errorCodes.clear();
        java.util.Arrays.fill(opsSamples, 0);
        java.util.Arrays.fill(inSamples, 0);
        java.util.Arrays.fill(outSamples, 0);
    }
}
