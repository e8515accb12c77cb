package io.ember.persist.rdb;

import io.ember.engine.Database;
import io.ember.engine.Engine;
import io.ember.type.ValueType;
import io.ember.util.Log;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads an RDB file into the engine's databases (rdbLoad). Runs on the engine thread, either in one
 * go ({@link #loadFile}: DEBUG RELOAD) or in bounded {@link #step}s between which the engine
 * serves clients (start-up: they get -LOADING meanwhile, see Persistence). Keys whose TTL has
 * passed are skipped (as a master does), duplicate keys refuse the file. Progress is logged every
 * few seconds.
 */
public final class RdbLoader implements RdbLoadTarget, io.ember.persist.Loader {
    private static final long PROGRESS_LOG_NANOS = 2_000_000_000L;

    private final Engine engine;
    private final Log log;
    private final InputStream stream;
    private final RdbReader reader;
    private final long size;
    private final long startedNanos = System.nanoTime();
    private long lastProgressLog = startedNanos;
    private long loaded;
    private long expired;
    private long now;
    private final boolean merge;
    /** An AOF base (RDBFLAGS_AOF_PREAMBLE): keys already expired are loaded too, as Redis does. */
    private boolean aofPreamble;
    /** key-load-delay: microseconds to sleep per key (a testing aid, as in Redis). */
    private final int keyLoadDelayMicros;

    private RdbLoader(Engine engine, Path file, boolean merge) throws IOException {
        this.engine = engine;
        this.log = engine.log;
        this.merge = merge;
        this.keyLoadDelayMicros = engine.config.keyLoadDelay;
        this.size = Files.size(file);
        this.stream = Files.newInputStream(file);
        this.reader = new RdbReader(RdbInput.of(stream, size), engine.config);
        engine.updateTime();
        this.now = engine.nowMs();
    }

    /**
     * Opens {@code file} for a stepwise load; with {@code merge} (DEBUG RELOAD MERGE, Redis's
     * RDBFLAGS_ALLOW_DUP) a key already in the database is replaced by the file's instead of
     * failing the load.
     */
    public static RdbLoader open(Engine engine, Path file, boolean merge) throws IOException {
        return new RdbLoader(engine, file, merge);
    }

    /**
     * Opens an AOF base file in RDB format (or an RDB preamble): expired keys are kept (the AOF
     * that follows may still touch them), and the end is not logged as a whole load.
     */
    public static RdbLoader openAofPreamble(Engine engine, Path file) throws IOException {
        RdbLoader l = new RdbLoader(engine, file, false);
        l.aofPreamble = true;
        return l;
    }

    /** Loads {@code file} at once; throws RdbFormatException (reason and offset) when it is not a valid RDB. */
    public static void loadFile(Engine engine, Path file, boolean merge) throws IOException {
        try (RdbLoader loader = open(engine, file, merge)) {
            loader.step(Long.MAX_VALUE);
        }
    }

    /** Loads for about {@code budgetNanos}; returns true when the whole file has been read. */
    public boolean step(long budgetNanos) throws IOException {
        long deadline = budgetNanos == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + budgetNanos;
        int items = 0;
        while (reader.next(this)) {
            if ((++items & 63) == 0 || keyLoadDelayMicros > 0) {
                long t = System.nanoTime();
                if (t - lastProgressLog > PROGRESS_LOG_NANOS) logProgress(t);
                if (t > deadline) return false;
            }
        }
        double secs = (System.nanoTime() - startedNanos) / 1e9;
        log.notice(String.format("Done loading RDB, keys loaded: %d, keys expired: %d.", loaded, expired));
        if (!aofPreamble) log.notice(String.format("DB loaded from disk: %.3f seconds (%.2f MB/s)", secs,
                secs > 0 ? size / 1048576.0 / secs : 0.0));
        return true;
    }

    private void logProgress(long t) {
        lastProgressLog = t;
        double secs = (t - startedNanos) / 1e9;
        double mb = bytesRead() / 1048576.0;
        log.notice(String.format("Loading RDB: %d keys loaded, %.1f of %.1f MB (%.2f MB/s)", loaded, mb,
                size / 1048576.0, mb / secs));
    }

    public long bytesRead() {
        return reader.input().offset();
    }

    public long totalBytes() {
        return size;
    }

    public long keysLoaded() {
        return loaded;
    }

    public long keysExpired() {
        return expired;
    }

    @Override
    public void close() throws IOException {
        stream.close();
    }

    @Override
    public void aux(String name, byte[] value) {
        String v = RdbReader.text(value);
        switch (name) {
            case "redis-ver" -> log.notice("Loading RDB produced by version " + v);
            case "ctime" -> {
                try {
                    long age = System.currentTimeMillis() / 1000 - Long.parseLong(v);
                    log.notice("RDB age " + Math.max(0, age) + " seconds");
                } catch (NumberFormatException e) {
                    log.verbose("Unparsable ctime AUX field: '" + v + "'");
                }
            }
            case "used-mem" -> {
                try {
                    log.notice(String.format("RDB memory usage when created %.2f Mb", Long.parseLong(v) / (1024.0 * 1024)));
                } catch (NumberFormatException e) {
                    log.verbose("Unparsable used-mem AUX field: '" + v + "'");
                }
            }
            case "aof-base", "aof-preamble", "redis-bits", "repl-id", "repl-offset", "repl-stream-db", "lua" -> { }
            default -> log.debug("Unrecognized RDB AUX field: '" + name + "'");
        }
    }

    @Override
    public void resizeDb(int db, long keys, long expires) {
        if (db >= 0 && db < engine.dbCount()) engine.db(db).presize(keys);
    }

    /** rdbFunctionLoad: the library is created as FUNCTION LOAD would (no time limit); MERGE may replace one. */
    @Override
    public void function(byte[] code, long offset) throws IOException {
        try {
            engine.scripting.functions.loadFromRdb(code, merge);
        } catch (io.ember.script.Functions.FunctionError e) {
            throw new RdbFormatException("Failed loading library: " + e.getMessage(), offset);
        }
    }

    @Override
    public void key(int dbIndex, byte[] key, RdbValue v, long expireAtMs, long idleSeconds, int freq, long offset) throws IOException {
        if (expireAtMs != 0 && expireAtMs < now && !aofPreamble) {
            expired++;
            return;
        }
        Database db = engine.db(dbIndex);
        if (db.peekRaw(key) != 0) {
            if (!merge) {
                throw new RdbFormatException("RDB has duplicated key '" + RdbReader.text(key) + "' in DB " + dbIndex, offset);
            }
            db.delete(key);
        }
        int bits = engine.evictionClock.restored(engine.evictionClock.initial(), freq, idleSeconds);
        db.addLoaded(key, v.value(), ValueType.meta(v.type(), v.encoding(), bits), expireAtMs);
        loaded++;
        if (keyLoadDelayMicros > 0) java.util.concurrent.locks.LockSupport.parkNanos(keyLoadDelayMicros * 1000L);
    }
}
