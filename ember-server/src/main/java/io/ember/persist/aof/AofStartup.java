package io.ember.persist.aof;

import io.ember.engine.Engine;
import io.ember.persist.rdb.RdbFiles;
import io.ember.persist.rdb.RdbWriter;
import io.ember.util.Log;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Start-up with appendonly yes, as Redis 7.0 does it: read the manifest (aofLoadManifestFromDisk),
 * move an old single-file AOF into the directory (aofUpgradePrepare), load the files
 * (loadAppendOnlyFiles; the RDB dump is not read when the AOF is on, as in Redis), then
 * aofOpenIfNeededOnServerStart: create the directory, a base file when there is neither base nor
 * incr file (an RDB of the dataset with aof-use-rdb-preamble, else an AOF), open the last incr
 * file for appending (or create the first one) and persist the manifest. Any failure refuses the
 * start with Redis's message.
 */
public final class AofStartup {
    private AofStartup() {}

    /** Loads and opens the AOF; returns once the server may accept writes. Not on the engine thread. */
    public static void loadAndOpen(Engine engine) throws IOException, InterruptedException {
        var config = engine.config;
        Log log = engine.log;
        Path dir = config.dir.resolve(config.appenddirname);
        AofManifest am = loadManifest(dir, config.appendfilename, log);
        Path oldStyle = config.dir.resolve(config.appendfilename);
        if (Files.isRegularFile(oldStyle) && needsUpgrade(dir, am, config.appendfilename)) {
            am = upgrade(dir, am, oldStyle, config.appendfilename, log);
        }
        // The AOF is opened in the same engine task that ends the load: no write can run in
        // between (clients get -LOADING until then; see EmberServer) and escape the file.
        AofManifest manifest = am;
        AofLoader loader = am.base != null || !am.incr.isEmpty()
                ? AofLoader.create(engine, dir, am, () -> openOnStart(engine, dir, manifest)) : null;
        CompletableFuture<Void> done = new CompletableFuture<>();
        engine.loop().execute(() -> {
            if (loader != null) {
                engine.persistence.loadInSteps(loader, done);
                return;
            }
            try {
                openOnStart(engine, dir, manifest);
                engine.persistence.loading = null;
                done.complete(null);
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        await(done);
    }

    private static void await(CompletableFuture<Void> f) throws IOException, InterruptedException {
        try {
            f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            throw new IOException(e.getCause());
        }
    }

    /** aofLoadManifestFromDisk: an empty manifest when the directory or the manifest is missing. */
    static AofManifest loadManifest(Path dir, String appendfilename, Log log) throws IOException {
        if (!Files.isDirectory(dir)) {
            log.debug("The AOF directory " + dir.getFileName() + " doesn't exist");
            return new AofManifest();
        }
        Path file = dir.resolve(AofManifest.manifestName(appendfilename));
        if (!Files.exists(file)) {
            log.debug("The AOF manifest file " + file.getFileName() + " doesn't exist");
            return new AofManifest();
        }
        return AofManifest.load(file, log);
    }

    private static boolean needsUpgrade(Path dir, AofManifest am, String appendfilename) {
        return !Files.isDirectory(dir)
                || (am.base == null && am.incr.isEmpty())
                || (am.base != null && am.incr.isEmpty() && am.base.name().equals(appendfilename)
                        && !Files.exists(dir.resolve(appendfilename)));
    }

    /** aofUpgradePrepare: the old file becomes the base of a new manifest, inside the directory. */
    private static AofManifest upgrade(Path dir, AofManifest old, Path oldFile, String appendfilename, Log log)
            throws IOException {
        createDir(dir);
        AofManifest am = new AofManifest();
        am.history.addAll(old.history);
        am.base = new AofManifest.Entry(appendfilename, 1, AofManifest.BASE);
        am.currBaseSeq = 1;
        am.write(dir, appendfilename);
        try {
            Files.move(oldFile, dir.resolve(appendfilename), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new AofException("Error trying to move the old AOF file " + appendfilename + " into dir "
                    + dir.getFileName() + ": " + AppendOnlyFile.reason(e));
        }
        log.notice("Successfully migrated an old-style AOF file (" + appendfilename + ") into the AOF directory ("
                + dir.getFileName() + ").");
        return am;
    }

    static void createDir(Path dir) throws AofException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            String reason = Files.exists(dir) && !Files.isDirectory(dir) ? "Not a directory" : AppendOnlyFile.reason(e);
            throw new AofException("Can't open or create append-only dir " + dir.getFileName() + ": " + reason);
        }
    }

    /** aofOpenIfNeededOnServerStart (engine thread). */
    private static void openOnStart(Engine engine, Path dir, AofManifest am) throws IOException {
        var config = engine.config;
        Log log = engine.log;
        createDir(dir);
        boolean dirty = false;
        if (am.base == null && am.incr.isEmpty()) {
            String baseName = am.newBaseName(config.appendfilename, config.aofUseRdbPreamble);
            writeBase(engine, dir, baseName);
            dirty = true;
            log.notice("Creating AOF base file " + baseName + " on server start");
        }
        boolean existing = !am.incr.isEmpty();
        String incrName;
        if (existing) {
            incrName = am.incr.get(am.incr.size() - 1).name();
        } else {
            incrName = am.newIncrName(config.appendfilename);
            dirty = true;
        }
        Path incr = dir.resolve(incrName);
        try {
            FileChannel.open(incr, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND).close();
        } catch (IOException e) {
            throw new AofException("Can't open the append-only file " + incrName + ": " + AppendOnlyFile.reason(e));
        }
        if (dirty) am.write(dir, config.appendfilename);
        long size = 0, baseSize = 0;
        if (am.base != null) size += baseSize = Files.size(dir.resolve(am.base.name()));
        for (AofManifest.Entry e : am.incr) size += Files.size(dir.resolve(e.name()));
        AppendOnlyFile.open(engine, dir, am, incr, size, baseSize);
        log.notice((existing ? "Opening" : "Creating") + " AOF incr file " + incrName + " on server start");
    }

    /**
     * The base of a new AOF set, from the dataset as it is (empty at start-up): an RDB with the
     * aof-base aux field, or a command file (empty but for the timestamp annotation).
     */
    private static void writeBase(Engine engine, Path dir, String name) throws IOException {
        var config = engine.config;
        if (config.aofUseRdbPreamble) {
            RdbWriter writer = new RdbWriter(engine);
            try {
                RdbFiles.write(dir, name, config.rdbCompression, config.rdbChecksum,
                        out -> writer.writeSnapshot(out, engine, true));
            } catch (RdbFiles.SaveException e) {
                engine.log.warning(e.getMessage());
                throw new AofException("Can't create the AOF base file " + name);
            }
            return;
        }
        for (int i = 0; i < engine.dbCount(); i++) {
            if (engine.db(i).table().size() != 0) {
                throw new AofException("aof-use-rdb-preamble no needs the AOF rewrite for a non-empty dataset");
            }
        }
        String text = config.aofTimestampEnabled ? "#TS:" + System.currentTimeMillis() / 1000 + "\r\n" : "";
        Path tmp = dir.resolve("temp-rewriteaof-" + ProcessHandle.current().pid() + ".aof");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
        }
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        AppendOnlyFile.fsyncDir(dir);
    }
}
