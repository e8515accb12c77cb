package io.ember.persist.rdb;

import io.ember.engine.Database;
import io.ember.engine.Engine;
import io.ember.type.ValueType;
import io.ember.util.Log;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads an RDB file into the engine's databases (rdbLoad at start-up). Runs on the engine thread;
 * the loop is the one place the maintainer will make incremental (loading:1, -LOADING) by calling
 * {@link RdbReader#next} a bounded number of times per engine iteration instead of {@link RdbReader#load}.
 * Keys whose TTL has passed are skipped (as a master does), duplicate keys refuse the file.
 */
public final class RdbLoader implements RdbLoadTarget {
    private final Engine engine;
    private final Log log;
    private long loaded;
    private long expired;
    private long now;
    private boolean merge;

    private RdbLoader(Engine engine) {
        this.engine = engine;
        this.log = engine.log;
    }

    /** Loads {@code file}; throws RdbFormatException (reason and offset) when it is not a valid RDB. */
    public static void loadFile(Engine engine, Path file) throws IOException {
        loadFile(engine, file, false);
    }

    /**
     * The same; with {@code merge} (DEBUG RELOAD MERGE, Redis's RDBFLAGS_ALLOW_DUP) a key already
     * in the database is replaced by the file's instead of failing the load.
     */
    public static void loadFile(Engine engine, Path file, boolean merge) throws IOException {
        RdbLoader loader = new RdbLoader(engine);
        loader.merge = merge;
        long started = System.nanoTime();
        long size = Files.size(file);
        try (InputStream s = Files.newInputStream(file)) {
            RdbReader reader = new RdbReader(RdbInput.of(s, size), engine.config);
            engine.updateTime();
            loader.now = engine.nowMs();
            reader.load(loader);
        }
        double secs = (System.nanoTime() - started) / 1e9;
        engine.log.notice(String.format("Done loading RDB, keys loaded: %d, keys expired: %d.", loader.loaded, loader.expired));
        engine.log.notice(String.format("DB loaded from disk: %.3f seconds (%.2f MB/s)", secs,
                secs > 0 ? size / 1048576.0 / secs : 0.0));
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
    public void key(int dbIndex, byte[] key, RdbValue v, long expireAtMs, long idleSeconds, int freq, long offset) throws IOException {
        if (expireAtMs != 0 && expireAtMs < now) {
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
        db.addWithMeta(key, v.value(), ValueType.meta(v.type(), v.encoding(), bits), expireAtMs);
        loaded++;
    }
}
