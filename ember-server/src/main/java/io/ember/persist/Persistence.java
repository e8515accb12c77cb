package io.ember.persist;

import io.ember.engine.Engine;
import io.ember.persist.rdb.ByteArrayRdbOutput;
import io.ember.persist.rdb.RdbFiles;
import io.ember.persist.rdb.RdbLoader;
import io.ember.persist.rdb.RdbWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The server's persistence state (Redis's server.lastsave, lastbgsave_status, stat_rdb_saves...)
 * and what acts on it: SAVE, BGSAVE start/finish/cancel, save points, MISCONF, and the start-up
 * load in steps. One per engine; everything here runs on the engine thread. docs/persistence.md.
 */
public final class Persistence {
    private final Engine engine;

    /** Unix seconds of the last successful save; start-up counts as saved (initServer). */
    public long lastSaveSeconds = System.currentTimeMillis() / 1000;
    /** Status of the last save that finished (lastbgsave_status; a failed SAVE leaves it alone, as in Redis). */
    public boolean lastSaveOk = true;
    /** Saves started (stat_rdb_saves). */
    public long rdbSaves;
    /** Reused by DUMP: its array and compression buffer survive between payloads. */
    private ByteArrayRdbOutput dumpOutput;

    /** The background save in progress, or null. */
    private BackgroundSave bgsave;
    /** BGSAVE SCHEDULE (or BGSAVE inside EXEC) asked for one: the cron starts it. */
    public boolean bgsaveScheduled;
    /** Duration of the last background save in seconds, -1 before any (rdb_last_bgsave_time_sec). */
    public long lastBgsaveSeconds = -1;
    private long lastBgsaveTrySeconds;
    /** The dirty counter when the running BGSAVE began: what a success may subtract. */
    private long dirtyAtBgsaveStart;

    /** The start-up load in progress (loading:1, -LOADING for commands without the loading flag), or null. */
    public Loader loading;
    /** The append-only file while appendonly is on (set once loaded and opened), else null. */
    public io.ember.persist.aof.AppendOnlyFile aof;
    /**
     * Set with the listeners when a load will follow (the AOF): commands get -LOADING from the
     * first connection on, until the data is loaded and the AOF is open.
     */
    public static final Loader STARTING = new Loader() {
        @Override public boolean step(long budgetNanos) { return true; }
        @Override public long bytesRead() { return 0; }
        @Override public long totalBytes() { return 0; }
        @Override public long keysLoaded() { return 0; }
        @Override public long keysExpired() { return 0; }
        @Override public void close() { }
    };

    /** Unix seconds the current load began. */
    public long loadingStartSeconds;
    /** Keys the last load created, and skipped as already expired (rdb_last_load_keys_*). */
    public long lastLoadKeysLoaded, lastLoadKeysExpired;

    /** After a failed background save, retry from save points only after this long (CONFIG_BGSAVE_RETRY_DELAY). */
    private static final long BGSAVE_RETRY_DELAY_SECONDS = 5;

    /** BGREWRITEAOF, the automatic rewrite and appendonly at run time. */
    public final io.ember.persist.aof.AofRewrites aofRewrites;
    /** Clients parked by WAITAOF. */
    public final io.ember.persist.aof.AofWaiters aofWaiters;

    public Persistence(Engine engine) {
        this.engine = engine;
        this.aofRewrites = new io.ember.persist.aof.AofRewrites(engine);
        this.aofWaiters = new io.ember.persist.aof.AofWaiters(engine);
    }

    /**
     * SAVE (rdbSave): the whole keyspace to {@code dir/dbfilename}, on the calling (engine)
     * thread. On success resets the dirty counter and the last-save time; on failure logs the
     * reason and leaves the previous dump untouched.
     */
    public boolean saveForeground() {
        if (bgsave != null) throw new IllegalStateException("SAVE while a background save runs");
        rdbSaves++;
        RdbWriter writer = new RdbWriter(engine);
        try {
            RdbFiles.write(engine.config.dir, engine.config.dbfilename, engine.config.rdbCompression,
                    engine.config.rdbChecksum, out -> writer.writeSnapshot(out, engine));
        } catch (RdbFiles.SaveException e) {
            engine.log.warning(e.getMessage());
            return false;
        }
        engine.log.notice("DB saved on disk");
        engine.dirty = 0;
        lastSaveSeconds = System.currentTimeMillis() / 1000;
        lastSaveOk = true;
        return true;
    }

    // ---- loading at start-up ----

    /**
     * Loads {@code file} in steps of about 2 ms on the engine thread, serving clients in
     * between (they get -LOADING); {@code done} completes when the file is loaded or fails.
     * Called on the engine thread.
     */
    public void loadInSteps(Path file, CompletableFuture<Void> done) {
        RdbLoader loader;
        try {
            loader = RdbLoader.open(engine, file, false);
        } catch (IOException e) {
            done.completeExceptionally(e);
            return;
        }
        engine.log.notice("Loading RDB from " + file);
        loadInSteps(loader, done);
    }

    /** Runs {@code loader} in steps as above (the AOF uses it too). Called on the engine thread. */
    public void loadInSteps(Loader loader, CompletableFuture<Void> done) {
        loading = loader;
        loadingStartSeconds = System.currentTimeMillis() / 1000;
        engine.loop().execute(() -> loadStep(done));
    }

    private void loadStep(CompletableFuture<Void> done) {
        Loader loader = loading;
        try {
            if (!loader.step(LOAD_STEP_NANOS)) {
                // schedule(), not execute(): queued tasks run back to back, a scheduled one after I/O.
                engine.loop().schedule(() -> loadStep(done), 0, TimeUnit.NANOSECONDS);
                return;
            }
            lastLoadKeysLoaded = loader.keysLoaded();
            lastLoadKeysExpired = loader.keysExpired();
            loader.close();
            loading = null;
            done.complete(null);
        } catch (IOException | RuntimeException e) {
            try {
                loader.close();
            } catch (IOException ignored) {
                // the load failed already; the server will not start
            }
            loading = null;
            done.completeExceptionally(e);
        }
    }

    private static final long LOAD_STEP_NANOS = 2_000_000;

    public static final String LOADING_ERROR = "LOADING Redis is loading the dataset in memory";

    // ---- background saves ----

    public boolean bgsaveInProgress() {
        return bgsave != null;
    }

    /** Seconds the running background save has taken so far, -1 when none runs. */
    public long currentBgsaveSeconds() {
        return bgsave == null ? -1 : (System.currentTimeMillis() - bgsave.startedMs) / 1000;
    }

    public long currentSaveKeysProcessed() {
        return bgsave == null ? 0 : bgsave.snapshot.keysSerialized();
    }

    public long currentSaveKeysTotal() {
        return bgsave == null ? 0 : bgsave.snapshot.keysAtStart();
    }

    /** Starts a BGSAVE (rdbSaveBackground); false when one already runs. */
    public boolean startBgsave() {
        if (bgsave != null || aofRewrites.inProgress()) return false;
        rdbSaves++;
        bgsaveScheduled = false;
        lastBgsaveTrySeconds = System.currentTimeMillis() / 1000;
        dirtyAtBgsaveStart = engine.dirty;
        bgsave = BackgroundSave.start(engine, this::bgsaveDone);
        engine.log.notice("Background saving started");
        return true;
    }

    private void bgsaveDone(BackgroundSave save, BackgroundSave.Outcome outcome) {
        if (save != bgsave) return; // a cancelled save reporting late
        bgsave = null;
        lastBgsaveSeconds = (System.currentTimeMillis() - save.startedMs) / 1000;
        switch (outcome) {
            case OK -> {
                engine.log.notice("Background saving terminated with success");
                engine.dirty -= dirtyAtBgsaveStart;
                lastSaveSeconds = System.currentTimeMillis() / 1000;
                lastSaveOk = true;
            }
            case FAILED -> {
                engine.log.warning("Background saving error");
                lastSaveOk = false;
            }
            case CANCELLED -> engine.log.warning("Background saving terminated by signal 10");
        }
    }

    /**
     * Stops a running background save (FLUSHALL, SHUTDOWN, DEBUG RELOAD: Redis kills its child);
     * its temp file is removed, the previous dump stays, the save status is unchanged.
     */
    public void cancelBgsave() {
        BackgroundSave save = bgsave;
        if (save == null) return;
        bgsave = null;
        save.cancel();
        engine.log.warning("Background saving terminated by signal 10");
    }

    /**
     * The cron's part (serverCron): a scheduled BGSAVE, or one due to a save point ("save
     * <seconds> <changes>": that many changes and that much time since the last save; after a
     * failure, not before the retry delay).
     */
    public void cron() {
        if (loading != null) return;
        aofRewrites.cron();
        if (bgsave != null || aofRewrites.inProgress()) return;
        if (bgsaveScheduled) {
            startBgsave();
            return;
        }
        long now = System.currentTimeMillis() / 1000;
        for (long[] point : engine.config.saveParams) {
            if (engine.dirty >= point[1] && now - lastSaveSeconds > point[0]
                    && (lastSaveOk || now - lastBgsaveTrySeconds > BGSAVE_RETRY_DELAY_SECONDS)) {
                engine.log.notice(point[1] + " changes in " + point[0] + " seconds. Saving...");
                startBgsave();
                return;
            }
        }
    }

    /**
     * stop-writes-on-bgsave-error: writes (and PING) are refused with -MISCONF while the last
     * background save failed and save points are configured.
     */
    public boolean writesDenied() {
        return !lastSaveOk && engine.config.stopWritesOnBgsaveError && !engine.config.saveParams.isEmpty();
    }

    /**
     * writeCommandsDeniedByDiskError with its message: the RDB error first, then an AOF write or
     * fsync error; null when writes are allowed.
     */
    public String writesDeniedError() {
        if (writesDenied()) return MISCONF;
        io.ember.persist.aof.AppendOnlyFile a = aof;
        return a == null ? null : a.writeError();
    }

    public static final String MISCONF = "MISCONF Redis is configured to save RDB snapshots, but it's currently "
            + "unable to persist to disk. Commands that may modify the data set are disabled, because this instance "
            + "is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error "
            + "option). Please check the Redis logs for details about the RDB error.";

    /** The output DUMP serializes into, emptied and set to the current rdbcompression. */
    public ByteArrayRdbOutput dumpOutput() {
        if (dumpOutput == null) dumpOutput = new ByteArrayRdbOutput(engine.config.rdbCompression);
        dumpOutput.reset();
        dumpOutput.setCompression(engine.config.rdbCompression);
        return dumpOutput;
    }
}
