package io.ember.persist.aof;

import io.ember.client.Client;
import io.ember.client.InProcessConnection;
import io.ember.command.CommandSpec;
import io.ember.engine.Engine;
import io.ember.persist.Loader;
import io.ember.persist.rdb.RdbFormatException;
import io.ember.persist.rdb.RdbLoader;
import io.ember.resp.Reply;
import io.ember.tx.Transactions;
import io.ember.util.Log;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * loadAppendOnlyFiles, in bounded steps on the engine thread: the base file (RDB through
 * {@link RdbLoader}, or commands) and then each incremental file, replayed through the command
 * handlers by a fake client whose replies are dropped. MULTI/EXEC is honoured; an unfinished MULTI
 * at the end is reverted like a short read. A short read in the last file is trimmed when
 * aof-load-truncated is yes (the file is truncated at the last complete command); any other
 * problem refuses the start with Redis's log lines ({@link AofException}).
 */
final class AofLoader implements Loader {
    private record FileToLoad(String name, boolean base, long size) {}

    /** What runs on the engine thread right after the last file, while clients still get -LOADING. */
    interface AtEnd {
        void run() throws IOException;
    }

    private final Engine engine;
    private final Log log;
    private final Path dir;
    private final List<FileToLoad> files = new ArrayList<>();
    private final long totalBytes;
    private final Client fake;
    private final long startedNanos = System.nanoTime();

    private int index = -1;
    private long doneBytes;
    private long fileStartNanos;
    private RdbLoader rdb;
    private AofCommandReader reader;
    private long validUpTo, validBeforeMulti;
    private long keysLoaded, keysExpired;
    private final AtEnd atEnd;

    /**
     * Checks that every file of the manifest exists (getBaseAndIncrAppendOnlyFilesSize). Returns
     * null when they are all empty (AOF_EMPTY: nothing to load).
     */
    static AofLoader create(Engine engine, Path dir, AofManifest am, AtEnd atEnd) throws AofException {
        AofLoader l = new AofLoader(engine, dir, am, atEnd);
        return l.totalBytes == 0 ? null : l;
    }

    private AofLoader(Engine engine, Path dir, AofManifest am, AtEnd atEnd) throws AofException {
        this.engine = engine;
        this.atEnd = atEnd;
        this.log = engine.log;
        this.dir = dir;
        long total = 0;
        if (am.base != null) total += add(am.base.name(), true);
        for (AofManifest.Entry e : am.incr) total += add(e.name(), false);
        this.totalBytes = total;
        this.fake = new Client(Long.MAX_VALUE, engine, new Reply(new UnpooledByteBufAllocator(false), engine.stats),
                new InProcessConnection("aof:0", "aof:0", true), engine.nowMs()); // Redis's AOF client has no connection
    }

    private long add(String name, boolean base) throws AofException {
        try {
            long size = Files.size(dir.resolve(name));
            files.add(new FileToLoad(name, base, size));
            return size;
        } catch (IOException e) {
            throw new AofException("Unable to obtain the AOF file " + name + " length. stat: " + AppendOnlyFile.reason(e));
        }
    }

    @Override
    public boolean step(long budgetNanos) throws IOException {
        long deadline = System.nanoTime() + budgetNanos;
        while (true) {
            if (rdb == null && reader == null) {
                if (index + 1 >= files.size()) {
                    finish();
                    return true;
                }
                openNext();
                continue;
            }
            if (rdb != null) {
                if (!stepRdb(deadline)) return false;
                continue;
            }
            if (!replay(deadline)) return false;
        }
    }

    private void openNext() throws IOException {
        index++;
        FileToLoad f = files.get(index);
        fileStartNanos = System.nanoTime();
        validUpTo = validBeforeMulti = 0;
        if (f.size == 0) return; // AOF_EMPTY: nothing in it, and an empty incr file is fine
        Path p = dir.resolve(f.name);
        byte[] sig = new byte[5];
        try (InputStream in = Files.newInputStream(p)) {
            int n = in.readNBytes(sig, 0, 5);
            if (n == 5 && new String(sig, StandardCharsets.ISO_8859_1).equals("REDIS")) {
                boolean oldStyle = f.name.equals(engine.config.appendfilename);
                log.notice(oldStyle ? "Reading RDB preamble from AOF file..." : "Reading RDB base file on AOF loading...");
                rdb = RdbLoader.openAofPreamble(engine, p);
                return;
            }
        } catch (IOException e) {
            throw new AofException("Fatal error: can't open the append log file " + f.name + " for reading: "
                    + AppendOnlyFile.reason(e));
        }
        openCommands(p, 0);
    }

    private void openCommands(Path p, long offset) throws IOException {
        reader = new AofCommandReader(Files.newInputStream(p), offset, files.get(index).size);
        validUpTo = offset;
    }

    private boolean stepRdb(long deadline) throws IOException {
        FileToLoad f = files.get(index);
        try {
            if (!rdb.step(Math.max(0, deadline - System.nanoTime()))) return false;
        } catch (RdbFormatException e) {
            log.warning("Internal error in RDB reading offset " + e.offset() + " -> " + e.reason());
            closeCurrent();
            boolean oldStyle = f.name.equals(engine.config.appendfilename);
            throw new AofException(oldStyle
                    ? "Error reading the RDB preamble of the AOF file " + f.name + ", AOF loading aborted"
                    : "Error reading the RDB base file " + f.name + ", AOF loading aborted");
        }
        long end = rdb.bytesRead();
        keysLoaded += rdb.keysLoaded();
        keysExpired += rdb.keysExpired();
        rdb.close();
        rdb = null;
        if (f.name.equals(engine.config.appendfilename)) log.notice("Reading the remaining AOF tail...");
        openCommands(dir.resolve(f.name), end);
        return true;
    }

    /** Runs commands until the deadline; false when time ran out first. */
    private boolean replay(long deadline) throws IOException {
        FileToLoad f = files.get(index);
        for (int n = 0; ; n++) {
            if ((n & 63) == 63 && System.nanoTime() > deadline) return false;
            AofCommandReader.Result r = reader.next();
            switch (r) {
                case COMMAND -> {
                    if (!execute(f, reader.argv())) throw formatError(f);
                    if (engine.config.aofLoadTruncated) validUpTo = reader.offset();
                    if (engine.config.keyLoadDelay > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(engine.config.keyLoadDelay * 1000L);
                    }
                }
                case EOF -> {
                    if (fake.multi != null) {
                        log.warning("Revert incomplete MULTI/EXEC transaction in AOF file " + f.name);
                        validUpTo = validBeforeMulti;
                        Transactions.discard(fake);
                        shortRead(f);
                    } else {
                        fileDone(f, false);
                    }
                    return true;
                }
                case SHORT_READ -> {
                    shortRead(f);
                    return true;
                }
                case FORMAT_ERROR -> throw formatError(f);
            }
        }
    }

    /** Runs one command as the fake client; false when it cannot be run (a format problem). */
    private boolean execute(FileToLoad f, byte[][] argv) throws IOException {
        CommandSpec cmd = engine.dispatcher.table().lookup(argv, argv.length);
        if (cmd == null) {
            closeCurrent();
            throw new AofException("Unknown command '" + new String(argv[0], StandardCharsets.ISO_8859_1)
                    + "' reading the append only file " + f.name);
        }
        if (!cmd.arityOk(argv.length)) return false;
        if (cmd.fullName.equals("multi")) validBeforeMulti = validUpTo;
        engine.updateTime();
        fake.lastCommand = cmd;
        if (fake.multi != null && !cmd.fullName.equals("exec")) {
            fake.multi.queue(cmd, argv, argv.length);
        } else {
            cmd.handler.execute(fake, argv, argv.length);
        }
        ByteBuf out = fake.reply.takeOutput();
        if (out != null) out.release();
        if (fake.blocked) engine.blocking.clientGone(fake); // the AOF client never blocks
        return true;
    }

    /** uxeof: trims the torn tail when allowed (and this is the last file), else refuses to start. */
    private void shortRead(FileToLoad f) throws IOException {
        closeCurrent();
        if (engine.config.aofLoadTruncated) {
            log.warning("!!! Warning: short read while loading the AOF file " + f.name + "!!!");
            log.warning("!!! Truncating the AOF " + f.name + " at offset " + validUpTo + " !!!");
            try (RandomAccessFile raf = new RandomAccessFile(dir.resolve(f.name).toFile(), "rw")) {
                raf.setLength(validUpTo);
                raf.getFD().sync();
            } catch (IOException e) {
                log.warning("Error truncating the AOF file " + f.name + ": " + AppendOnlyFile.reason(e));
                throw new AofException(unexpectedEof(f));
            }
            log.warning("AOF " + f.name + " loaded anyway because aof-load-truncated is enabled");
            if (index != files.size() - 1) throw new AofException("Fatal error: the truncated file is not the last file");
            fileDone(f, true);
            return;
        }
        throw new AofException(unexpectedEof(f));
    }

    private static String unexpectedEof(FileToLoad f) {
        return "Unexpected end of file reading the append only file " + f.name + ". You can: "
                + "1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. "
                + "2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.";
    }

    private AofException formatError(FileToLoad f) throws IOException {
        long at = reader.offset();
        closeCurrent();
        log.warning("AOF format error in " + f.name + " near offset " + at + " (last valid command ends at offset "
                + validUpTo + ")");
        return new AofException("Bad file format reading the append only file " + f.name
                + ": make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>");
    }

    private void fileDone(FileToLoad f, boolean truncated) throws IOException {
        closeCurrent();
        doneBytes += f.size;
        log.notice(String.format("DB loaded from %s file %s: %.3f seconds", f.base ? "base" : "incr", f.name,
                (System.nanoTime() - fileStartNanos) / 1e9));
    }

    private void finish() throws IOException {
        log.notice(String.format("DB loaded from append only file: %.3f seconds", (System.nanoTime() - startedNanos) / 1e9));
        atEnd.run();
    }

    private void closeCurrent() throws IOException {
        if (rdb != null) {
            rdb.close();
            rdb = null;
        }
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }

    @Override
    public long bytesRead() {
        long current = rdb != null ? rdb.bytesRead() : reader != null ? reader.offset() : 0;
        return doneBytes + current;
    }

    @Override
    public long totalBytes() {
        return totalBytes;
    }

    @Override
    public long keysLoaded() {
        return keysLoaded;
    }

    @Override
    public long keysExpired() {
        return keysExpired;
    }

    @Override
    public void close() throws IOException {
        closeCurrent();
        if (fake.multi != null) Transactions.discard(fake);
        fake.reply.release();
    }
}
