package io.ember.command;

import static io.ember.config.ServerConfig.SHUTDOWN_FORCE;
import static io.ember.config.ServerConfig.SHUTDOWN_NOSAVE;
import static io.ember.config.ServerConfig.SHUTDOWN_NOW;
import static io.ember.config.ServerConfig.SHUTDOWN_SAVE;

import io.ember.client.Client;
import io.ember.engine.Engine;
import io.ember.util.Bytes;
import io.ember.util.Numbers;
import java.time.Instant;

/** Server commands: INFO (in {@link InfoCommand}), SHUTDOWN, TIME. */
public final class ServerCommands {
    private ServerCommands() {}

    static void register(CommandTable t) {
        t.add("info", InfoCommand::info);
        t.add("shutdown", ServerCommands::shutdown);
        t.add("time", ServerCommands::time);
    }

    /** TIME: the wall clock now (not the cached command time), as seconds and microseconds. */
    static void time(Client c, byte[][] argv, int argc) {
        Instant now = Instant.now();
        c.reply.arrayHeader(2);
        c.reply.bulk(Numbers.toBytes(now.getEpochSecond()));
        c.reply.bulk(Numbers.toBytes(now.getNano() / 1000));
    }

    /**
     * SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]. Ember has no replicas to wait for, so a
     * shutdown is never pending (ABORT always answers that none is in progress) and NOW changes
     * nothing. On success the connection just closes, as in Redis.
     */
    static void shutdown(Client c, byte[][] argv, int argc) {
        int flags = 0;
        boolean abort = false;
        for (int i = 1; i < argc; i++) {
            if (Bytes.eqIgnoreCase(argv[i], "nosave")) flags |= SHUTDOWN_NOSAVE;
            else if (Bytes.eqIgnoreCase(argv[i], "save")) flags |= SHUTDOWN_SAVE;
            else if (Bytes.eqIgnoreCase(argv[i], "now")) flags |= SHUTDOWN_NOW;
            else if (Bytes.eqIgnoreCase(argv[i], "force")) flags |= SHUTDOWN_FORCE;
            else if (Bytes.eqIgnoreCase(argv[i], "abort")) abort = true;
            else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
        if ((abort && flags != 0) || ((flags & SHUTDOWN_NOSAVE) != 0 && (flags & SHUTDOWN_SAVE) != 0)) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        if (abort) {
            c.reply.error("ERR No shutdown in progress.");
            return;
        }
        if (!shutdownServer(c.engine, flags)) c.reply.error("ERR Errors trying to SHUTDOWN. Check logs.");
    }

    /**
     * Redis's prepareForShutdown/finishShutdown: a running BGSAVE is stopped; with save points
     * (unless NOSAVE) or with SAVE, a final foreground save; if it fails the server keeps running
     * unless FORCE says to exit anyway. Then the engine stops: listeners close, clients are
     * disconnected, and the standalone launcher exits 0 (removing the pid file). Also used for
     * SIGTERM / SIGINT. Runs on the engine thread.
     *
     * @return false when the server must keep running (the reason has been logged)
     */
    public static boolean shutdownServer(Engine engine, int flags) {
        engine.log.warning("User requested shutdown...");
        if (engine.persistence.bgsaveInProgress()) {
            engine.log.warning("There is a child saving an .rdb. Killing it!");
            engine.persistence.cancelBgsave();
        }
        if (engine.persistence.aofRewrites.inProgress()) {
            if (engine.persistence.aofRewrites.writingInitialAof() && (flags & SHUTDOWN_FORCE) == 0) {
                // appendonly was just turned on: the AOF has no base yet, stopping now would lose data
                engine.log.warning("Writing initial AOF, can't exit.");
                engine.log.warning("Errors trying to shut down the server. Check the logs for more information.");
                return false;
            }
            engine.log.warning("There is a child rewriting the AOF. Killing it!");
            engine.persistence.aofRewrites.cancel();
        }
        if (engine.persistence.loading != null) {
            // Saving now would overwrite the dump with half of it.
            flags = (flags & ~SHUTDOWN_SAVE) | SHUTDOWN_NOSAVE;
        }
        boolean savePoints = !engine.config.saveParams.isEmpty() && (flags & SHUTDOWN_NOSAVE) == 0;
        if (savePoints || (flags & SHUTDOWN_SAVE) != 0) {
            engine.log.notice("Saving the final RDB snapshot before exiting.");
            if (!engine.persistence.saveForeground()) {
                if ((flags & SHUTDOWN_FORCE) == 0) {
                    engine.log.warning("Error trying to save the DB, can't exit.");
                    engine.log.warning("Errors trying to shut down the server. Check the logs for more information.");
                    return false;
                }
                engine.log.warning("Error trying to save the DB. Exit anyway.");
            }
        }
        engine.shutdown();
        return true;
    }
}
