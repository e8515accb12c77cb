package io.ember.persist.aof;

import io.ember.config.ServerConfig;
import io.ember.util.Log;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes the AOF (Redis's flushAppendOnlyFile). The engine hands it one chunk per loop iteration.
 * When nothing else is pending the engine thread writes the chunk itself, as Redis does in
 * beforeSleep: one write() per iteration, before the replies go out, and under {@code always} the
 * fsync right after it (one fsync per iteration covers all its writes: group commit; the loop
 * waits for the disk, as Redis's does). No thread to wake: on a machine with few cores each
 * wake-up is a context switch, and under always the hand-off to a thread and back cost a quarter of
 * the throughput. Everything else goes to the writer thread, which writes what is queued in one
 * go and then, by appendfsync: {@code always} fsyncs right away and reports the durable offset;
 * {@code everysec} starts a background fsync on a second thread at most once a second, and while
 * that fsync still runs postpones the writes for up to 2 seconds before writing anyway
 * (aof_delayed_fsync); {@code no} only writes.
 *
 * <p>A failed write under {@code always} ends the process, as Redis does: the replies of those
 * writes must never be sent. Otherwise the data stays queued, {@link #writeError} is set (writes
 * are refused with -MISCONF) and the write is retried until it succeeds.
 */
final class AofWriter {
    /** How often the thread wakes without new data (retries, the once-a-second fsync). */
    private static final long TICK_MS = 100;
    private static final long WRITE_ERROR_LOG_RATE_MS = 30_000;

    /** Called when the durable offset advanced (from the writer threads). */
    interface Progress {
        void synced();
    }

    private volatile FileChannel channel;
    /** Position in the current file = fileBase + written (the file's size when opened, minus what went to earlier files). */
    private long fileBase;
    /** A rewrite opened a new incr file: once {@link #switchAt} bytes are written, writes go there. */
    private FileChannel nextChannel;
    private long switchAt;
    /** Bytes handed over by the engine so far. */
    private long submittedTotal;
    /**
     * no-appendfsync-on-rewrite during a rewrite: writes are not fsynced. Under always their
     * replies go out anyway, as Redis's do, but WAITAOF keeps waiting for a real fsync.
     */
    volatile boolean skipFsync;
    private final ServerConfig config;
    private final Log log;
    private final Progress progress;
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    /** The one-chunk batch of {@link #writeInline} (engine thread, under the monitor). */
    private final List<byte[]> inlineBatch = new ArrayList<>(1);
    private final AtomicLong queuedBytes = new AtomicLong();
    private final Thread thread;
    private final Thread fsyncThread;
    private boolean stopping;
    /** The writer thread waits for data: only then does a submit need to wake it. */
    private boolean idle;

    /** Bytes written to the file by this writer, and the part of them known to be on disk. */
    private volatile long written, synced;
    /** Written while fsyncs were skipped (no-appendfsync-on-rewrite): their replies may go out. */
    private volatile long writtenUnsynced;
    /** aof_last_write_status: the strerror of the failing write, null while writes succeed. */
    volatile String writeError;
    /** aof_bio_fsync_status: the strerror of a failed background fsync, null when fine. */
    volatile String fsyncError;
    final AtomicLong delayedFsync = new AtomicLong();
    /** A background fsync (everysec) is running (aofFsyncInProgress). */
    private volatile boolean fsyncInProgress;
    /** What the background fsync thread is asked to make durable (-1: nothing). */
    private long fsyncTarget = -1;
    private long lastFsyncSecond;
    private long postponedStartMs;
    private long lastErrorLogMs = -WRITE_ERROR_LOG_RATE_MS;
    /** Exits the process (a write or fsync error under appendfsync always). */
    private final Runnable fatalExit;

    AofWriter(FileChannel channel, ServerConfig config, Log log, Progress progress, Runnable fatalExit)
            throws IOException {
        this.channel = channel;
        this.fileBase = channel.size();
        this.config = config;
        this.log = log;
        this.progress = progress;
        this.fatalExit = fatalExit;
        this.lastFsyncSecond = System.currentTimeMillis() / 1000;
        thread = new Thread(this::run, "ember-aof-writer");
        thread.setDaemon(true);
        fsyncThread = new Thread(this::runFsync, "ember-aof-fsync");
        fsyncThread.setDaemon(true);
        thread.start();
        fsyncThread.start();
    }

    // ---- engine side ----

    /** Queues a chunk for writing (engine thread). */
    void submit(byte[] chunk) {
        queuedBytes.addAndGet(chunk.length);
        synchronized (this) {
            submittedTotal += chunk.length;
            if (writeInline(chunk)) return;
            queue.add(chunk);
            if (idle) notifyAll();
        }
    }

    /**
     * Nothing else pending: the engine writes the chunk itself, and under always fsyncs it (Redis's
     * flushAppendOnlyFile in beforeSleep), which saves waking the writer thread. Anything unusual
     * (a write error, a running background fsync, a file switch) goes to the thread.
     */
    private boolean writeInline(byte[] chunk) {
        String policy = config.appendfsync;
        if (!idle || !queue.isEmpty() || nextChannel != null || writeError != null || stopping || fsyncInProgress) {
            return false;
        }
        List<byte[]> batch = inlineBatch;
        batch.add(chunk);
        if (!write(batch, policy)) {
            queue.addAll(batch); // what is left of it: the thread retries
            notifyAll();
        } else if (policy.equals("everysec")) {
            maybeBackgroundFsync();
        } else if (policy.equals("always")) {
            fsyncNow();
        }
        batch.clear();
        return true;
    }

    /**
     * Everything submitted so far goes to the current file; what is submitted from now on goes to
     * {@code next} (engine thread, BGREWRITEAOF's new incr file). The old file is fsynced and closed.
     */
    void switchTo(FileChannel next) {
        synchronized (this) {
            nextChannel = next;
            switchAt = submittedTotal;
            notifyAll();
        }
    }

    long written() {
        return written;
    }

    long synced() {
        return synced;
    }

    /** Held replies (appendfsync always) covered by this offset may be sent. */
    long replyable() {
        return Math.max(synced, writtenUnsynced);
    }

    /** aof_buffer_length: bytes handed over and not yet written. */
    long queuedBytes() {
        return queuedBytes.get();
    }

    boolean fsyncInProgress() {
        return fsyncInProgress;
    }

    /**
     * Writes what is queued, fsyncs and stops both threads (SHUTDOWN, appendonly no): Redis's
     * flushAppendOnlyFile(1) and the final fsync. Waits at most {@code timeoutMs}.
     */
    void stop(long timeoutMs) {
        synchronized (this) {
            stopping = true;
            notifyAll();
        }
        try {
            thread.join(timeoutMs);
            synchronized (this) {
                notifyAll();
            }
            fsyncThread.join(timeoutMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // the data was fsynced (or the error logged) above
        }
    }

    // ---- writer thread ----

    private void run() {
        List<byte[]> batch = new ArrayList<>();
        long batchBytes = 0;
        while (true) {
            boolean stop, more;
            synchronized (this) {
                if (queue.isEmpty() && batch.isEmpty() && !stopping && !switchDue()) {
                    idle = true;
                    try {
                        wait(TICK_MS);
                    } catch (InterruptedException e) {
                        return;
                    } finally {
                        idle = false;
                    }
                }
                stop = stopping;
                // chunks submitted after a switch request wait until the switch is done
                while (!queue.isEmpty() && (nextChannel == null || written + batchBytes < switchAt)) {
                    byte[] c = queue.poll();
                    batch.add(c);
                    batchBytes += c.length;
                }
                more = !queue.isEmpty();
            }
            String policy = config.appendfsync;
            boolean everysec = policy.equals("everysec");
            if (!batch.isEmpty()) {
                if (everysec && !stop && postpone()) continue;
                if (write(batch, policy)) {
                    batch.clear();
                    batchBytes = 0;
                }
            }
            if (batch.isEmpty() && switchDue()) {
                switchFile();
                continue;
            }
            if (stop && ((batch.isEmpty() && !more) || writeError != null)) {
                finalFsync();
                return;
            }
            if (writeError != null) {
                sleep(TICK_MS); // retried until the disk accepts it again
                continue;
            }
            if (policy.equals("always")) {
                fsyncNow();
            } else if (everysec) {
                maybeBackgroundFsync();
            }
        }
    }

    private synchronized boolean switchDue() {
        return nextChannel != null && written >= switchAt;
    }

    /** The old file is complete: fsync it (unless appendfsync no), close it, continue in the new one. */
    private void switchFile() {
        synchronized (this) {
            while (fsyncInProgress) {
                try {
                    wait(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        FileChannel old = channel;
        if (!config.appendfsync.equals("no")) { // even during a rewrite, as Redis's aof_background_fsync_and_close
            try {
                old.force(false);
            } catch (IOException e) {
                log.warning("Fail to fsync the AOF file: " + AppendOnlyFile.reason(e));
            }
        }
        if (written > synced) {
            synced = written;
            progress.synced();
        }
        try {
            old.close();
        } catch (IOException ignored) {
            // written and fsynced above
        }
        synchronized (this) {
            channel = nextChannel;
            nextChannel = null;
            fileBase = -written;
        }
    }

    /**
     * The everysec postponement rule: while a background fsync runs, hold writes back (the
     * engine keeps queueing) for up to 2 seconds, then write anyway and count a delayed fsync.
     * Returns true when the write is to be postponed now.
     */
    private boolean postpone() {
        if (!fsyncInProgress) {
            postponedStartMs = 0;
            return false;
        }
        long now = System.currentTimeMillis();
        if (postponedStartMs == 0) postponedStartMs = now;
        if (now - postponedStartMs < 2000) {
            synchronized (this) {
                try {
                    wait(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return true;
        }
        delayedFsync.incrementAndGet();
        log.notice("Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF buffer without waiting "
                + "for fsync to complete, this may slow down Redis.");
        postponedStartMs = 0;
        return false;
    }

    /** One write of the whole batch; true when it all reached the file. */
    private boolean write(List<byte[]> batch, String policy) {
        ByteBuffer[] bufs = new ByteBuffer[batch.size()];
        long total = 0;
        for (int i = 0; i < bufs.length; i++) {
            bufs[i] = ByteBuffer.wrap(batch.get(i));
            total += bufs[i].remaining();
        }
        long done = 0;
        try {
            while (done < total) done += channel.write(bufs);
        } catch (IOException e) {
            writeFailed(batch, bufs, done, total, policy, e);
            return false;
        }
        written += total;
        queuedBytes.addAndGet(-total);
        if (writeError != null) {
            log.warning("AOF write error looks solved, Redis can write again.");
            writeError = null;
        }
        return true;
    }

    private void writeFailed(List<byte[]> batch, ByteBuffer[] bufs, long done, long total, String policy, IOException e) {
        long now = System.currentTimeMillis();
        boolean canLog = now - lastErrorLogMs > WRITE_ERROR_LOG_RATE_MS;
        if (canLog) lastErrorLogMs = now;
        String reason = AppendOnlyFile.reason(e);
        if (done == 0) {
            if (canLog) log.warning("Error writing to the AOF file: " + reason);
        } else {
            if (canLog) {
                log.warning("Short write while writing to the AOF file: (nwritten=" + done + ", expected=" + total + ")");
            }
            try {
                channel.truncate(fileBase + written); // remove the partial write, as Redis's ftruncate
                done = 0;
            } catch (IOException te) {
                if (canLog) {
                    log.warning("Could not remove short write from the append-only file.  Redis may refuse to load "
                            + "the AOF the next time it starts.  ftruncate: " + AppendOnlyFile.reason(te));
                }
            }
            reason = "No space left on device";
        }
        if (policy.equals("always")) {
            log.warning("Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...");
            fatalExit.run();
            return;
        }
        writeError = reason;
        if (done > 0) {
            // the partial write stays in the file: keep only what is left of the batch
            written += done;
            queuedBytes.addAndGet(-done);
            batch.clear();
            for (ByteBuffer b : bufs) {
                if (b.hasRemaining()) {
                    byte[] rest = new byte[b.remaining()];
                    b.get(rest);
                    batch.add(rest);
                }
            }
        }
    }

    private void fsyncNow() {
        long target = written;
        if (target == synced) return;
        if (skipFsync) {
            if (writtenUnsynced < target) {
                writtenUnsynced = target;
                progress.synced();
            }
            return;
        }
        try {
            channel.force(false);
        } catch (IOException e) {
            log.warning("Can't persist AOF for fsync error when the AOF fsync policy is 'always': "
                    + AppendOnlyFile.reason(e) + ". Exiting...");
            fatalExit.run();
            return;
        }
        synced = target;
        progress.synced();
    }

    /** everysec: a background fsync when the second changed and none is running. */
    private synchronized void maybeBackgroundFsync() {
        long second = System.currentTimeMillis() / 1000;
        if (skipFsync) return;
        if (written == synced || second <= lastFsyncSecond) return;
        if (!fsyncInProgress) {
            synchronized (this) {
                fsyncInProgress = true;
                fsyncTarget = written;
                notifyAll();
            }
        }
        lastFsyncSecond = second;
    }

    private void finalFsync() {
        long target = written;
        if (target == synced) return;
        try {
            channel.force(false);
            synced = target;
            progress.synced();
        } catch (IOException e) {
            log.warning("Fail to fsync the AOF file: " + AppendOnlyFile.reason(e));
        }
    }

    // ---- background fsync thread (Redis's bio AOF fsync job) ----

    private void runFsync() {
        while (true) {
            long target;
            synchronized (this) {
                while (fsyncTarget < 0) {
                    if (stopping && !thread.isAlive()) return;
                    try {
                        wait(TICK_MS);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                target = fsyncTarget;
                fsyncTarget = -1;
            }
            try {
                channel.force(false);
                synced = Math.max(synced, target);
                fsyncError = null;
                progress.synced();
            } catch (IOException e) {
                String reason = AppendOnlyFile.reason(e);
                if (!reason.equals("Invalid argument") && !reason.equals("Bad file descriptor")) {
                    fsyncError = reason;
                    log.warning("Fail to fsync the AOF file: " + reason);
                }
            }
            synchronized (this) {
                fsyncInProgress = false;
                notifyAll();
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
