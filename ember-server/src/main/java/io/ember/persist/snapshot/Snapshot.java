package io.ember.persist.snapshot;

import io.ember.engine.Database;
import io.ember.engine.Engine;
import io.ember.engine.KeyTable;
import io.ember.persist.rdb.RdbOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A point-in-time image of every database, taken without fork while the engine keeps serving
 * (BGSAVE now; AOF rewrite and replica full sync later). See docs/persistence.md.
 *
 * <p>How it stays point-in-time: when the snapshot begins, each non-empty database's key table
 * gets a {@link TableWalk} as its {@link KeyTable.ChangeGuard} and a bitmap with one bit per slot
 * in use. The walk serializes the table's entries in slot order, a bounded amount per engine
 * loop turn, setting each entry's bit. Before a command changes or deletes an entry whose bit is
 * still clear, the guard serializes it first (the walk skips it later); entries inserted after the
 * start get their bit set so the walk never sees them (slots beyond the start's high-water mark
 * are new by construction). FLUSHDB/SWAPDB replace or exchange whole tables, so walks are tied to
 * table objects, not database numbers: a flushed table is just walked to the end by the snapshot,
 * which is its last owner.
 *
 * <p>Where the bytes go: the engine thread only records entries into a {@link StagingOutput}
 * (copies); full chunks are queued for a consumer thread that encodes them (integers, LZF) and
 * writes them. The walk pauses while more than {@link #MAX_PENDING_BYTES} wait in the queue, so
 * the extra memory is that bound plus what the guards copy for entries changed during the save.
 */
public final class Snapshot {
    /** How database switches and entries are encoded (the RDB writer). */
    public interface Format {
        void selectDb(RdbOutput out, int db, long keys, long keysWithTtl);

        void entry(RdbOutput out, byte[] key, Object value, int meta, long expireAtMs);
    }

    static final int CHUNK_BYTES = 256 * 1024;
    static final long MAX_PENDING_BYTES = 16L * 1024 * 1024;
    /** Engine time one walk step may take before letting I/O and commands run. */
    static final long STEP_NANOS = 1_000_000;

    /**
     * Engine time left idle between two walk steps. A thread that sleeps regularly keeps the
     * scheduler's wake-up priority over the writer thread, so on a small machine a request
     * arriving during a save is picked up at once instead of after another thread's time slice.
     */
    static final long REST_NANOS = 500_000;

    /** End of the stream: the walk is complete. */
    private static final StagingOutput.Chunk END = new StagingOutput.Chunk(new byte[0], 0);
    /** The snapshot was cancelled: the consumer must discard what it wrote. */
    private static final StagingOutput.Chunk CANCELLED = new StagingOutput.Chunk(new byte[0], 0);
    /** The snapshot could not serialize an entry: the consumer must discard what it wrote. */
    private static final StagingOutput.Chunk FAILED = new StagingOutput.Chunk(new byte[0], 0);

    /** Thrown to the consumer when the engine side could not serialize an entry. */
    public static final class SnapshotFailedException extends RuntimeException {
        SnapshotFailedException() {
            super("the snapshot could not serialize an entry (see the log)");
        }
    }

    private final Engine engine;
    private final Format format;
    private final List<TableWalk> walks = new ArrayList<>();
    private final StagingOutput staging = new StagingOutput(CHUNK_BYTES + CHUNK_BYTES / 4);
    private final LinkedBlockingQueue<StagingOutput.Chunk> chunks = new LinkedBlockingQueue<>();
    /** Chunk buffers the writer is done with, for the engine to fill again. */
    private final ConcurrentLinkedQueue<byte[]> freeBuffers = new ConcurrentLinkedQueue<>();
    private final AtomicLong pendingBytes = new AtomicLong();
    private final int keySaveDelayMicros;
    private final Runnable stepTask = this::step;
    private int current;
    /** The database the last staged entry belongs to (a SELECTDB is staged on change). */
    private int stagedDb = -1;
    private boolean cancelled;
    /** Entries serialized so far (engine thread). */
    private long keys;

    private Snapshot(Engine engine, Format format) {
        this.engine = engine;
        this.format = format;
        this.keySaveDelayMicros = Math.max(0, engine.config.rdbKeySaveDelay);
    }

    /** Begins a snapshot of the dataset as it is now (engine thread). */
    public static Snapshot begin(Engine engine, Format format) {
        Snapshot s = new Snapshot(engine, format);
        for (int i = 0; i < engine.dbCount(); i++) {
            Database db = engine.db(i);
            KeyTable t = db.table();
            if (t.size() == 0) continue;
            if (t.guard != null) throw new IllegalStateException("a snapshot is already in progress");
            TableWalk w = s.new TableWalk(i, t);
            t.guard = w;
            s.walks.add(w);
        }
        engine.loop().execute(s.stepTask);
        return s;
    }

    public long keysSerialized() {
        return keys;
    }

    /** Keys in the image: every database's size when the snapshot began. */
    public long keysAtStart() {
        long n = 0;
        for (TableWalk w : walks) n += w.sizeAtStart;
        return n;
    }

    /** Stops the snapshot (engine thread): guards removed, the consumer told to discard its output. */
    public void cancel() {
        if (!cancelled) stop(CANCELLED);
    }

    /**
     * Consumer thread: writes the whole image into {@code out} as it is produced. Returns true at
     * the end of the image, false if the snapshot was cancelled.
     */
    public boolean drainTo(RdbOutput out) throws InterruptedException {
        while (true) {
            StagingOutput.Chunk chunk = chunks.take();
            if (chunk == END) return true;
            if (chunk == CANCELLED) return false;
            if (chunk == FAILED) throw new SnapshotFailedException();
            StagingOutput.replay(chunk, out);
            if (staging.reusable(chunk.buf())) freeBuffers.add(chunk.buf());
            pendingBytes.addAndGet(-chunk.length());
        }
    }

    // ---- engine thread ----

    private void step() {
        if (cancelled) return;
        long deadline = System.nanoTime() + STEP_NANOS;
        while (current < walks.size()) {
            TableWalk w = walks.get(current);
            while (w.nextRef <= w.limit) {
                if (pendingBytes.get() > MAX_PENDING_BYTES) {
                    engine.loop().schedule(stepTask, 1, TimeUnit.MILLISECONDS);
                    return;
                }
                int ref = w.nextRef++;
                if (w.table.live(ref) && !w.isDone(ref)) {
                    w.markDone(ref);
                    emit(w, ref);
                    if (cancelled) return;
                }
                if ((ref & 31) == 0 && System.nanoTime() > deadline) {
                    // A scheduled task runs only after the next I/O poll (queued ones run back to
                    // back), and the rest leaves the engine thread idle for a moment (REST_NANOS).
                    engine.loop().schedule(stepTask, REST_NANOS, TimeUnit.NANOSECONDS);
                    return;
                }
            }
            if (w.table.guard == w) w.table.guard = null;
            current++;
        }
        handOver();
        chunks.add(END);
    }

    /**
     * Serializes one entry. A value the format cannot write (a type without an RDB encoding yet)
     * fails the snapshot instead of the command that happened to touch the key.
     */
    private void emit(TableWalk w, int ref) {
        if (cancelled) return;
        try {
            stage(w, ref);
        } catch (RuntimeException e) {
            engine.log.warning("Snapshot failed on key '" + new String(w.table.key(ref),
                    java.nio.charset.StandardCharsets.ISO_8859_1) + "': " + e);
            stop(FAILED);
        }
    }

    /** Ends the snapshot early: guards off, queued chunks dropped, {@code marker} for the consumer. */
    private void stop(StagingOutput.Chunk marker) {
        cancelled = true;
        removeGuards();
        chunks.clear();
        pendingBytes.set(0);
        chunks.add(marker);
    }

    private void stage(TableWalk w, int ref) {
        if (stagedDb != w.db) {
            format.selectDb(staging, w.db, w.sizeAtStart, w.withTtlAtStart);
            stagedDb = w.db;
        }
        KeyTable t = w.table;
        format.entry(staging, t.key(ref), t.value(ref), t.meta(ref), t.expireAt(ref));
        keys++;
        if (keySaveDelayMicros > 0) staging.pause(keySaveDelayMicros);
        if (staging.size() >= CHUNK_BYTES) handOver();
    }

    private void handOver() {
        if (staging.size() == 0) return;
        StagingOutput.Chunk chunk = staging.take(freeBuffers.poll());
        pendingBytes.addAndGet(chunk.length());
        chunks.add(chunk);
    }

    private void removeGuards() {
        for (TableWalk w : walks) {
            if (w.table.guard == w) w.table.guard = null;
        }
    }

    /** One database's table: its walk position, its done-bits, and the guard for its changes. */
    private final class TableWalk implements KeyTable.ChangeGuard {
        final int db;
        final KeyTable table;
        /** Slots in use when the snapshot began; higher slots hold only newer entries. */
        final int limit;
        final long sizeAtStart;
        final long withTtlAtStart;
        final long[] done;
        int nextRef = 1;

        TableWalk(int db, KeyTable table) {
            this.db = db;
            this.table = table;
            this.limit = table.slotLimit();
            this.sizeAtStart = table.size();
            this.withTtlAtStart = table.expiresCount();
            this.done = new long[(limit >>> 6) + 1];
        }

        boolean isDone(int ref) {
            return (done[ref >>> 6] & (1L << ref)) != 0;
        }

        void markDone(int ref) {
            done[ref >>> 6] |= 1L << ref;
        }

        @Override
        public void beforeChange(int ref) {
            if (ref <= limit && !isDone(ref)) {
                markDone(ref);
                emit(this, ref);
            }
        }

        @Override
        public void inserted(int ref) {
            if (ref <= limit) markDone(ref);
        }
    }
}
