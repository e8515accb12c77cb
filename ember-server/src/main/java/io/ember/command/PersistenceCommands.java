package io.ember.command;

import io.ember.client.Client;
import io.ember.util.Bytes;

/** SAVE, BGSAVE, BGREWRITEAOF and LASTSAVE (the persistence state lives in {@link io.ember.persist.Persistence}). */
final class PersistenceCommands {
    private PersistenceCommands() {}

    static void register(CommandTable t) {
        t.add("save", PersistenceCommands::save);
        t.add("bgsave", PersistenceCommands::bgsave);
        t.add("lastsave", PersistenceCommands::lastsave);
        t.add("bgrewriteaof", PersistenceCommands::bgrewriteaof);
    }

    /** SAVE: a foreground save that blocks every client until done; a failure replies a bare "-ERR" as Redis does. */
    static void save(Client c, byte[][] argv, int argc) {
        if (c.engine.persistence.bgsaveInProgress()) {
            c.reply.error("ERR Background save already in progress");
            return;
        }
        if (c.engine.persistence.saveForeground()) c.reply.ok();
        else c.reply.error("ERR");
    }

    /**
     * BGSAVE [SCHEDULE]. As Redis 7.0, a BGSAVE inside MULTI/EXEC is only scheduled (the cron
     * starts it right after), and SCHEDULE matters only when something else blocks a save —
     * which, without AOF rewrites yet, never happens.
     */
    static void bgsave(Client c, byte[][] argv, int argc) {
        if (argc > 1 && !(argc == 2 && Bytes.eqIgnoreCase(argv[1], "schedule"))) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        var p = c.engine.persistence;
        if (p.bgsaveInProgress()) {
            c.reply.error("ERR Background save already in progress");
        } else if (p.aofRewrites.inProgress() && argc == 1) {
            c.reply.error("ERR Another child process is active (AOF?): can't BGSAVE right now. "
                    + "Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.");
        } else if (c.engine.dispatcher.callDepth() > 1 || p.aofRewrites.inProgress()) {
            p.bgsaveScheduled = true;
            c.reply.simple("Background saving scheduled");
        } else {
            p.startBgsave();
            c.reply.simple("Background saving started");
        }
    }

    /**
     * BGREWRITEAOF (bgrewriteaofCommand): scheduled while a BGSAVE runs or inside MULTI/EXEC,
     * the cron then starts it.
     */
    static void bgrewriteaof(Client c, byte[][] argv, int argc) {
        var rw = c.engine.persistence.aofRewrites;
        if (rw.inProgress()) {
            c.reply.error("ERR Background append only file rewriting already in progress");
        } else if (c.engine.persistence.bgsaveInProgress() || c.engine.dispatcher.callDepth() > 1) {
            rw.scheduled = true;
            c.reply.simple("Background append only file rewriting scheduled");
        } else {
            String err = rw.start();
            if (err == null) c.reply.simple("Background append only file rewriting started");
            else c.reply.error(err);
        }
    }

    /** LASTSAVE: unix time of the last successful save. */
    static void lastsave(Client c, byte[][] argv, int argc) {
        c.reply.integer(c.engine.persistence.lastSaveSeconds);
    }
}
