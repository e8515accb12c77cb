package io.ember.persist.aof;

import io.ember.client.Client;
import io.ember.engine.Engine;
import io.ember.engine.Propagation;
import io.ember.engine.ReplyGate;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The AOF while appendonly is on, engine side. It listens to {@link Propagation} and encodes each
 * command into the buffer ({@link AofEncoder}); once per engine loop iteration, and before any
 * reply is sent, the buffer goes to the {@link AofWriter} (usually written, and under always
 * fsynced, there and then, as Redis does in beforeSleep). Under appendfsync always it is also the
 * engine's {@link ReplyGate}: when a write went to the writer thread instead, replies produced
 * while it is not yet fsynced are taken out of the clients' buffers and kept, in order, until the
 * writer reports the fsync that covers them, so no write is acknowledged before it is durable.
 * Everything here runs on the engine thread except what the writer reports.
 */
public final class AppendOnlyFile implements Propagation.Listener, ReplyGate {
    private record Held(long ticket, Client client, ByteBuf out) {}

    private final Engine engine;
    private final AofEncoder encoder = new AofEncoder();
    private final AofWriter writer;
    /** aof_current_size = sizeOffset + bytes written (the base and incr files' sizes when opened, adjusted by rewrites). */
    private long sizeOffset;
    private long baseSize;
    /** The AOF directory and its manifest as it is on disk (plus, while waiting for the first rewrite, the open incr file). */
    final Path dir;
    AofManifest manifest;
    /**
     * Turned on at run time (CONFIG SET appendonly yes): writes go to an incr file that is not in
     * the manifest until the first rewrite has written a base (Redis's AOF_WAIT_REWRITE).
     */
    boolean waitRewrite;
    /** Bytes fed when the rewrite switched to a new incr file: the new file's bytes are those after. */
    private long fedAtSwitch;
    /** Bytes fed to the AOF since it was opened: a held reply waits until this much is durable. */
    private long fed;
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private boolean submitScheduled;
    private final AtomicBoolean releaseScheduled = new AtomicBoolean();
    private final Runnable submitTask = this::submit;
    private final Runnable releaseTask = this::release;
    private boolean closed;

    private AppendOnlyFile(Engine engine, Path dir, AofManifest manifest, Path incrFile, long sizeAtOpen, long baseSize,
            Runnable fatalExit) throws IOException {
        this.engine = engine;
        this.dir = dir;
        this.manifest = manifest;
        this.sizeOffset = sizeAtOpen;
        this.baseSize = baseSize;
        FileChannel ch = FileChannel.open(incrFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        this.writer = new AofWriter(ch, engine.config, engine.log, this::synced, fatalExit);
    }

    /**
     * Starts appending to {@code incrFile} (engine thread): attaches to propagation and, for
     * appendfsync always, to the connections' reply flush.
     */
    static AppendOnlyFile open(Engine engine, Path dir, AofManifest manifest, Path incrFile, long sizeAtOpen,
            long baseSize) throws IOException {
        AppendOnlyFile aof = new AppendOnlyFile(engine, dir, manifest, incrFile, sizeAtOpen, baseSize,
                AppendOnlyFile::exitProcess);
        engine.propagation.addListener(aof);
        engine.replyGate = aof;
        engine.persistence.aof = aof;
        engine.addShutdownHook(aof::shutdown);
        return aof;
    }

    /** exit(1) as Redis: no shutdown sequence (it could acknowledge or save what is not durable). */
    private static void exitProcess() {
        System.out.flush();
        Runtime.getRuntime().halt(1);
    }

    // ---- the write path (engine thread) ----

    @Override
    public void propagate(int db, byte[][] argv, int argc) {
        if (closed) return;
        int before = encoder.size();
        encoder.append(db, argv, argc, engine.config.aofTimestampEnabled, engine.nowMs() / 1000);
        fed += encoder.size() - before;
        if (!submitScheduled) {
            submitScheduled = true;
            engine.loop().execute(submitTask); // after this iteration's reads, with the reply flush
        }
    }

    /** Hands the buffer to the writer. */
    private void submit() {
        submitScheduled = false;
        if (encoder.size() > 0) writer.submit(encoder.take());
    }

    @Override
    public boolean hold(Client c, ByteBuf out) {
        if (submitScheduled) submit(); // the AOF is written before replies go out (Redis's beforeSleep order)
        if (held.isEmpty() && (writer.replyable() >= fed || !engine.config.appendfsync.equals("always"))) return false;
        held.add(new Held(fed, c, out));
        return true;
    }

    /** Writer thread: the durable (or, skipping fsyncs during a rewrite, the written) offset advanced. */
    private void synced() {
        if (releaseScheduled.compareAndSet(false, true)) engine.loop().execute(releaseTask);
    }

    /** Sends the held replies whose writes are now on disk, in the order they were held. */
    private void release() {
        releaseScheduled.set(false);
        long replyable = writer.replyable();
        while (!held.isEmpty() && held.peek().ticket <= replyable) {
            Held h = held.poll();
            h.client.conn.send(h.out);
        }
        if (!closed) engine.persistence.aofWaiters.fsynced(); // once stopped, WAITAOF gets the AOF-off error
    }

    // ---- state for INFO and the dispatcher ----

    /** -MISCONF while the last write (or background fsync) failed; null when writes may go on. */
    public String writeError() {
        String e = writer.writeError;
        if (e == null) e = writer.fsyncError;
        return e == null ? null : "MISCONF Errors writing to the AOF file: " + e;
    }

    public boolean lastWriteOk() {
        return writer.writeError == null && writer.fsyncError == null;
    }

    public long currentSize() {
        return sizeOffset + writer.written();
    }

    // ---- rewrite support (engine thread) ----

    /**
     * openNewIncrAofForAppend: what is fed from now on goes to a new incr file (seq + 1). With the
     * AOF on the manifest listing it is persisted at once, as Redis 7.0 does; while waiting for the
     * first rewrite the open incr file is kept and nothing is persisted.
     */
    void openNewIncr() throws IOException {
        if (waitRewrite) return;
        String name = manifest.newIncrName(engine.config.appendfilename);
        FileChannel ch;
        try {
            ch = FileChannel.open(dir.resolve(name), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            manifest.dropLastIncr();
            throw new AofException("Can't open the append-only file " + name + ": " + reason(e));
        }
        try {
            manifest.write(dir, engine.config.appendfilename);
        } catch (AofException e) {
            manifest.dropLastIncr();
            ch.close();
            java.nio.file.Files.deleteIfExists(dir.resolve(name));
            throw e;
        }
        submit();
        encoder.forgetSelectedDb();
        writer.switchTo(ch);
        fedAtSwitch = fed;
    }

    /** The rewrite's base replaced everything before the current incr file. */
    void rewriteDone(long newBaseSize) {
        waitRewrite = false;
        baseSize = newBaseSize;
        // current size = new base + what went to the current incr file (fed after the switch)
        sizeOffset = newBaseSize - Math.min(fedAtSwitch, writer.written());
    }

    /** no-appendfsync-on-rewrite: no fsync while a rewrite runs. */
    void rewriteRunning(boolean running) {
        writer.skipFsync = running && engine.config.noAppendfsyncOnRewrite;
    }

    /** Bytes durably written since opened, and bytes fed (WAITAOF's offsets). */
    public long fsyncedOffset() {
        return writer.synced();
    }

    public long fedOffset() {
        return fed;
    }

    public long baseSize() {
        return baseSize;
    }

    /** aof_buffer_length: fed and not yet written. */
    public long bufferLength() {
        return encoder.size() + writer.queuedBytes();
    }

    public boolean fsyncInProgress() {
        return writer.fsyncInProgress();
    }

    public long delayedFsync() {
        return writer.delayedFsync.get();
    }

    // ---- stopping ----

    /** appendonly no at run time (stopAppendOnly): write and fsync what is buffered, then detach. */
    public void stop() {
        if (closed) return;
        closed = true;
        engine.propagation.removeListener(this);
        submit();
        writer.stop(30_000);
        release();
        if (engine.replyGate == this) engine.replyGate = null;
        if (engine.persistence.aof == this) engine.persistence.aof = null;
        for (Held h : held) h.client.conn.send(h.out);
        held.clear();
    }

    private void shutdown() {
        if (closed) return;
        engine.log.notice("Calling fsync() on the AOF file.");
        stop();
    }

    // ---- helpers shared by the package ----

    /** strerror's wording for the usual cases, else the exception's own. */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) return "Permission denied";
        if (e instanceof NoSuchFileException) return "No such file or directory";
        if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason();
        return String.valueOf(e.getMessage());
    }

    /** fsyncFileDir: makes renames and new files in {@code dir} durable. */
    static void fsyncDir(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
