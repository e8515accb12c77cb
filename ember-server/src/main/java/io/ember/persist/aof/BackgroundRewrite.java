package io.ember.persist.aof;

import io.ember.engine.Engine;
import io.ember.persist.rdb.RdbFileOutput;
import io.ember.persist.rdb.RdbOutput;
import io.ember.persist.rdb.RdbWriter;
import io.ember.persist.snapshot.Snapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The "child" of BGREWRITEAOF without fork: a {@link Snapshot} of the dataset taken when the
 * rewrite starts, written by a writer thread into {@code temp-rewriteaof-bg-<pid>.aof} in the AOF
 * directory — an RDB with the aof-base aux field (aof-use-rdb-preamble yes) or AOF commands
 * ({@link AofRewriteFormat}) — and fsynced. The engine thread then renames it into place and swaps
 * the manifest ({@link AofRewrites}). The outcome is handed back to the engine thread.
 */
final class BackgroundRewrite {
    enum Outcome { OK, FAILED, CANCELLED }

    interface Done {
        void done(BackgroundRewrite rw, Outcome outcome);
    }

    final Snapshot snapshot;
    final Path temp;
    final boolean rdb;
    final long startedMs = System.currentTimeMillis();
    /** Size of the finished temp file (writer thread, read after the outcome). */
    volatile long size;
    private final Thread writer;

    static String tempName() {
        return "temp-rewriteaof-bg-" + ProcessHandle.current().pid() + ".aof";
    }

    BackgroundRewrite(Engine engine, Path dir, Done done) {
        var config = engine.config;
        this.rdb = config.aofUseRdbPreamble;
        this.temp = dir.resolve(tempName());
        if (rdb) {
            RdbWriter entries = new RdbWriter(engine);
            snapshot = Snapshot.begin(engine, new Snapshot.Format() {
                @Override public void selectDb(RdbOutput out, int db, long keys, long keysWithTtl) {
                    RdbWriter.writeDbHeader(out, db, keys, keysWithTtl);
                }

                @Override public void entry(RdbOutput out, byte[] key, Object value, int meta, long expireAtMs) {
                    entries.writeEntry(out, key, value, meta, expireAtMs);
                }
            });
        } else {
            snapshot = Snapshot.begin(engine, new AofRewriteFormat());
        }
        long ctime = startedMs / 1000;
        long usedMemory = engine.usedMemory();
        java.util.List<byte[]> functions = engine.scripting.functions.codes(); // immutable: the set at the start
        boolean compression = config.rdbCompression, checksum = config.rdbChecksum;
        boolean timestamp = config.aofTimestampEnabled;
        writer = new Thread(() -> {
            Outcome outcome;
            try {
                size = write(ctime, usedMemory, compression, checksum, timestamp, functions);
                outcome = Outcome.OK;
            } catch (InterruptedException | java.util.concurrent.CancellationException e) {
                deleteQuietly(temp);
                outcome = Outcome.CANCELLED;
            } catch (IOException | RuntimeException e) {
                deleteQuietly(temp);
                IOException io = e instanceof UncheckedIOException u ? u.getCause() : e instanceof IOException i ? i : null;
                engine.log.warning("Error trying to rewrite the AOF: "
                        + (io != null ? AppendOnlyFile.reason(io) : String.valueOf(e)));
                outcome = Outcome.FAILED;
            }
            Outcome result = outcome;
            engine.loop().execute(() -> done.done(this, result));
        }, "ember-aof-rewrite");
        writer.setDaemon(true);
        writer.start();
    }

    /** rewriteAppendOnlyFile: the whole image, flushed and fsynced. */
    private long write(long ctime, long usedMemory, boolean compression, boolean checksum, boolean timestamp,
                       java.util.List<byte[]> functions) throws IOException, InterruptedException {
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            RdbFileOutput out = new RdbFileOutput(ch, compression, rdb && checksum);
            if (rdb) {
                RdbWriter.writeHeader(out, ctime, usedMemory, true);
            } else if (timestamp) {
                byte[] ts = ("#TS:" + ctime + "\r\n").getBytes(StandardCharsets.US_ASCII);
                out.write(ts, 0, ts.length);
            }
            if (rdb) RdbWriter.writeFunctions(out, functions);
            else AofRewriteFormat.functions(out, functions);
            if (!snapshot.drainTo(out)) throw new java.util.concurrent.CancellationException();
            if (rdb) RdbWriter.writeEof(out);
            out.flush();
            ch.force(true);
            return out.size();
        }
    }

    /** Stops the rewrite (engine thread) and waits for the writer to remove its temp file. */
    void cancel() {
        snapshot.cancel();
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // as Redis's unlink() of a temp file: nothing more to do
        }
    }
}
