package io.ember.persist.aof;

import io.ember.config.ConfigException;
import io.ember.engine.Engine;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * BGREWRITEAOF and what drives it, as Redis 7.0's aof.c without fork: the rewrite state for INFO,
 * starting a rewrite (rewriteAppendOnlyFileBackground: a new incr file first, then the snapshot,
 * {@link BackgroundRewrite}), its end (backgroundRewriteDoneHandler: the new base renamed into
 * place, the manifest swapped atomically, history files deleted), the automatic rewrite of the
 * cron and CONFIG SET appendonly yes/no (startAppendOnly/stopAppendOnly). A failed rewrite leaves
 * the previous AOF set as it was. Engine thread only. docs/persistence.md.
 */
public final class AofRewrites {
    private final Engine engine;
    private BackgroundRewrite running;
    /** aof_rewrite_scheduled: BGREWRITEAOF while a BGSAVE ran; the cron starts it when possible. */
    public boolean scheduled;
    public long lastRewriteSeconds = -1;
    public boolean lastRewriteOk = true;
    /** stat_aof_rewrites, stat_aofrw_consecutive_failures */
    public long rewrites, consecutiveFailures;

    public static final String CANT_REWRITE =
            "ERR Can't execute an AOF background rewriting. Please check the server logs for more information.";

    public AofRewrites(Engine engine) {
        this.engine = engine;
    }

    public boolean inProgress() {
        return running != null;
    }

    /** The first rewrite after CONFIG SET appendonly yes runs (SHUTDOWN refuses to stop then, unless FORCE). */
    public boolean writingInitialAof() {
        AppendOnlyFile aof = engine.persistence.aof;
        return running != null && aof != null && aof.waitRewrite;
    }

    public long currentSeconds() {
        return running == null ? -1 : (System.currentTimeMillis() - running.startedMs) / 1000;
    }

    /** Whether a BGSAVE blocks the rewrite (one snapshot at a time, as Redis has one child). */
    private boolean bgsaveRunning() {
        return engine.persistence.bgsaveInProgress();
    }

    /**
     * rewriteAppendOnlyFileBackground. Returns null when started, else the error to reply
     * (the reason is logged).
     */
    public String start() {
        if (running != null) return "ERR Background append only file rewriting already in progress";
        Path dir = engine.config.dir.resolve(engine.config.appenddirname);
        AppendOnlyFile aof = engine.persistence.aof;
        try {
            AofStartup.createDir(dir);
            if (aof != null) aof.openNewIncr();
        } catch (IOException e) {
            engine.log.warning(e.getMessage());
            engine.log.warning("Can't open new incr AOF file, rewrite aborted");
            lastRewriteOk = false;
            consecutiveFailures++;
            return CANT_REWRITE;
        }
        scheduled = false;
        rewrites++;
        running = new BackgroundRewrite(engine, dir, this::done);
        if (aof != null) aof.rewriteRunning(true);
        engine.log.notice("Background append only file rewriting started");
        return null;
    }

    private void done(BackgroundRewrite rw, BackgroundRewrite.Outcome outcome) {
        if (rw != running) return; // cancelled
        running = null;
        AppendOnlyFile aof = engine.persistence.aof;
        if (aof != null) aof.rewriteRunning(false);
        lastRewriteSeconds = (System.currentTimeMillis() - rw.startedMs) / 1000;
        switch (outcome) {
            case OK -> {
                try {
                    install(rw, aof);
                    lastRewriteOk = true;
                    consecutiveFailures = 0;
                    engine.log.notice("Background AOF rewrite terminated with success");
                    engine.log.notice("Background AOF rewrite finished successfully");
                } catch (IOException e) {
                    engine.log.warning(e.getMessage());
                    failed(aof);
                }
            }
            case FAILED -> {
                engine.log.warning("Background AOF rewrite terminated with error");
                failed(aof);
            }
            case CANCELLED -> engine.log.warning("Background AOF rewrite terminated by signal 10");
        }
    }

    private void failed(AppendOnlyFile aof) {
        lastRewriteOk = false;
        consecutiveFailures++;
        // appendonly turned on at run time keeps waiting for a base: try again from the cron
        if (aof != null && aof.waitRewrite) scheduled = true;
    }

    /**
     * backgroundRewriteDoneHandler: the temp base gets its name in the new manifest, the manifest
     * is persisted (temp file, fsync, rename, dir fsync), then history files are deleted. Until
     * the rename of the manifest the old set stays what a restart loads.
     */
    private void install(BackgroundRewrite rw, AppendOnlyFile aof) throws IOException {
        var config = engine.config;
        Path dir = rw.temp.getParent();
        AofManifest current = aof != null ? aof.manifest : AofStartup.loadManifest(dir, config.appendfilename, engine.log);
        AofManifest next = current.copy();
        String baseName = next.newBaseName(config.appendfilename, rw.rdb);
        Path base = dir.resolve(baseName);
        try {
            Files.move(rw.temp, base, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            BackgroundRewrite.deleteQuietly(rw.temp);
            throw new AofException("Error trying to rename the temporary AOF file " + rw.temp.getFileName() + " into "
                    + baseName + ": " + AppendOnlyFile.reason(e));
        }
        // with the AOF off there is no incr file to keep: the new base is the whole set
        next.markIncrAsHistory(aof != null);
        try {
            next.write(dir, config.appendfilename);
        } catch (AofException e) {
            BackgroundRewrite.deleteQuietly(base);
            throw e;
        }
        if (aof != null) {
            aof.manifest = next;
            aof.rewriteDone(rw.size);
        }
        for (AofManifest.Entry h : next.history) {
            BackgroundRewrite.deleteQuietly(dir.resolve(h.name()));
            engine.log.notice("Removing the history file " + h.name() + " in the background");
        }
        if (!next.history.isEmpty()) {
            next.history.clear();
            try {
                next.write(dir, config.appendfilename); // the manifest without the deleted files, as Redis leaves it
            } catch (AofException e) {
                engine.log.warning(e.getMessage()); // the history lines only name files that are gone
            }
        }
    }

    /** Stops a running rewrite (SHUTDOWN, appendonly no): its temp file is removed, the set is unchanged. */
    public void cancel() {
        BackgroundRewrite rw = running;
        if (rw == null) return;
        running = null;
        rw.cancel();
        AppendOnlyFile aof = engine.persistence.aof;
        if (aof != null) aof.rewriteRunning(false);
        engine.log.warning("Killing running AOF rewrite child");
    }

    /**
     * The cron's part: a scheduled rewrite once no BGSAVE runs, else the automatic one when the
     * AOF grew by auto-aof-rewrite-percentage over its base and is at least auto-aof-rewrite-min-size.
     */
    public void cron() {
        if (running != null || bgsaveRunning()) return;
        if (scheduled) {
            if (!limited()) start();
            return;
        }
        AppendOnlyFile aof = engine.persistence.aof;
        var config = engine.config;
        if (aof == null || aof.waitRewrite || config.autoAofRewritePercentage == 0) return;
        long size = aof.currentSize();
        if (size < config.autoAofRewriteMinSize) return;
        long base = aof.baseSize() == 0 ? 1 : aof.baseSize();
        long growth = (size * 100 / base) - 100;
        if (growth >= config.autoAofRewritePercentage && !limited()) {
            engine.log.notice("Starting automatic rewriting of AOF on " + growth + "% growth");
            start();
        }
    }

    private long nextDelayMinutes, nextRewriteSeconds;

    /**
     * aofRewriteLimited: after 3 consecutive failures, automatic and scheduled rewrites wait 1
     * minute, then 2, 4... up to an hour between attempts (BGREWRITEAOF itself is not limited).
     */
    private boolean limited() {
        if (consecutiveFailures < 3) {
            nextDelayMinutes = 0;
            nextRewriteSeconds = 0;
            return false;
        }
        long now = System.currentTimeMillis() / 1000;
        if (nextRewriteSeconds != 0) {
            if (now < nextRewriteSeconds) return true;
            nextRewriteSeconds = 0;
            return false;
        }
        nextDelayMinutes = nextDelayMinutes == 0 ? 1 : Math.min(60, nextDelayMinutes * 2);
        nextRewriteSeconds = now + nextDelayMinutes * 60;
        engine.log.warning("Background AOF rewrite has repeatedly failed and triggered the limit, will retry in "
                + nextDelayMinutes + " minutes");
        return true;
    }

    /**
     * startAppendOnly (CONFIG SET appendonly yes): writes go at once to a new incr file, not yet
     * in the manifest; a rewrite writes the base and then persists a manifest of base + that file.
     */
    public void startAppendOnly() throws ConfigException {
        var config = engine.config;
        Path dir = config.dir.resolve(config.appenddirname);
        try {
            AofStartup.createDir(dir);
            AofManifest am = AofStartup.loadManifest(dir, config.appendfilename, engine.log);
            String name = am.newIncrName(config.appendfilename);
            Path incr = dir.resolve(name);
            FileChannel.open(incr, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING).close();
            cancel();
            AppendOnlyFile aof = AppendOnlyFile.open(engine, dir, am, incr, 0, 0);
            aof.waitRewrite = true;
        } catch (IOException e) {
            engine.log.warning("Redis needs to enable the AOF but can't open the append only file: " + e.getMessage());
            throw new ConfigException("Failed to enable AOF, check logs");
        }
        if (bgsaveRunning()) {
            scheduled = true;
            engine.log.notice("AOF was enabled but there is already another background operation. An AOF background "
                    + "was scheduled to start when possible.");
        } else if (start() != null) {
            engine.log.warning("Redis needs to enable the AOF but can't trigger a background AOF rewrite operation. "
                    + "Check the above logs for more info about the error.");
            scheduled = true;
        }
    }

    /** stopAppendOnly: the AOF is flushed and closed, a running rewrite is killed. */
    public void stopAppendOnly() {
        cancel();
        scheduled = false;
        AppendOnlyFile aof = engine.persistence.aof;
        if (aof != null) aof.stop();
        engine.persistence.aofWaiters.aofStopped();
    }
}
