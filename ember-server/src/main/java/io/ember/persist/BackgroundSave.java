package io.ember.persist;

import io.ember.engine.Engine;
import io.ember.persist.rdb.RdbFiles;
import io.ember.persist.rdb.RdbOutput;
import io.ember.persist.rdb.RdbWriter;
import io.ember.persist.snapshot.Snapshot;
import java.util.concurrent.CancellationException;
import java.util.function.BiConsumer;

/**
 * BGSAVE without fork: a {@link Snapshot} walked on the engine thread feeds a writer thread that
 * encodes the RDB stream into {@code temp-<pid>.rdb}, fsyncs it and renames it over the dump
 * (RdbFiles), as Redis's child does. The outcome is handed back to the engine thread.
 */
final class BackgroundSave {
    /** How a background save ended. */
    enum Outcome { OK, FAILED, CANCELLED }

    final Snapshot snapshot;
    private final Thread writer;
    final long startedMs = System.currentTimeMillis();

    private BackgroundSave(Engine engine, BiConsumer<BackgroundSave, Outcome> done) {
        RdbWriter entries = new RdbWriter(engine); // rdb-key-save-delay: the snapshot delays the writer thread
        snapshot = Snapshot.begin(engine, new Snapshot.Format() {
            @Override public void selectDb(RdbOutput out, int db, long keys, long keysWithTtl) {
                RdbWriter.writeDbHeader(out, db, keys, keysWithTtl);
            }

            @Override public void entry(RdbOutput out, byte[] key, Object value, int meta, long expireAtMs) {
                entries.writeEntry(out, key, value, meta, expireAtMs);
            }
        });
        long ctime = startedMs / 1000;
        long usedMemory = engine.usedMemory();
        java.util.List<byte[]> functions = engine.scripting.functions.codes(); // immutable: the set at the snapshot's start
        var config = engine.config;
        var dir = config.dir;
        String filename = config.dbfilename;
        boolean compression = config.rdbCompression, checksum = config.rdbChecksum;
        writer = new Thread(() -> {
            Outcome outcome;
            try {
                RdbFiles.write(dir, filename, compression, checksum, out -> {
                    RdbWriter.writeHeader(out, ctime, usedMemory);
                    RdbWriter.writeFunctions(out, functions);
                    try {
                        if (!snapshot.drainTo(out)) throw new CancellationException();
                    } catch (InterruptedException e) {
                        throw new CancellationException();
                    }
                    RdbWriter.writeEof(out);
                });
                outcome = Outcome.OK;
            } catch (RdbFiles.SaveException e) {
                outcome = e.getCause() instanceof CancellationException ? Outcome.CANCELLED : Outcome.FAILED;
                if (outcome == Outcome.FAILED) engine.log.warning(e.getMessage());
            } catch (RuntimeException e) {
                engine.log.warning("Background save failed: " + e);
                outcome = Outcome.FAILED;
            }
            Outcome result = outcome;
            engine.loop().execute(() -> done.accept(this, result));
        }, "ember-bgsave");
        writer.setDaemon(true);
        writer.start();
    }

    /** Begins a background save (engine thread); {@code done} runs on the engine thread at the end. */
    static BackgroundSave start(Engine engine, BiConsumer<BackgroundSave, Outcome> done) {
        return new BackgroundSave(engine, done);
    }

    /**
     * Stops the save (engine thread) and waits for the writer to remove its temp file, so that a
     * save started right after (FLUSHALL, SHUTDOWN) cannot meet it. The previous dump stays.
     */
    void cancel() {
        snapshot.cancel();
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
