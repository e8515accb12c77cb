package io.ember.command;

import io.ember.client.Client;
import io.ember.util.Bytes;

/** SAVE, BGSAVE, BGREWRITEAOF, WAITAOF and LASTSAVE (the persistence state lives in {@link io.ember.persist.Persistence}). */
final class PersistenceCommands {
    private PersistenceCommands() {}

    static void register(CommandTable t) {
        t.add("save", PersistenceCommands::save);
        t.add("bgsave", PersistenceCommands::bgsave);
        t.add("lastsave", PersistenceCommands::lastsave);
        t.add("bgrewriteaof", PersistenceCommands::bgrewriteaof);
        t.add("waitaof", PersistenceCommands::waitaof); // Redis 7.2 (metadata: redis72-commands.resp3)
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

    /**
     * WAITAOF numlocal numreplicas timeout (Redis 7.2 waitaofCommand): [1, 0] once the AOF has
     * fsynced the client's own last write, else the client is parked (AofWaiters) until then or
     * the timeout in ms; never blocks inside MULTI/EXEC. No replicas: their count is 0, and asking for some waits for the timeout.
     */
    static void waitaof(Client c, byte[][] argv, int argc) {
        long[] v = new long[1];
        if (!Args.rangeLongOrReply(c, argv[1], 0, 1, null, v)) return;
        long numlocal = v[0];
        if (!Args.rangeLongOrReply(c, argv[2], 0, Long.MAX_VALUE, "value is out of range, must be positive", v)) return;
        long numreplicas = v[0];
        if (!Args.longOrReply(c, argv[3], "timeout is not an integer or out of range", v)) return;
        long timeout = v[0];
        if (timeout < 0) {
            c.reply.error("ERR timeout is negative");
            return;
        }
        long now = c.engine.nowMs();
        if (timeout > 0) {
            if (timeout > Long.MAX_VALUE - now) {
                c.reply.error("ERR timeout is out of range");
                return;
            }
            timeout += now;
        }
        var waiters = c.engine.persistence.aofWaiters;
        if (numlocal != 0 && c.engine.persistence.aof == null) {
            c.reply.error(io.ember.persist.aof.AofWaiters.AOF_OFF);
            return;
        }
        // the AOF was reopened since the client's last write (appendonly no/yes): wait for all of it
        long target = Math.min(c.aofWriteOffset, waiters.currentTarget());
        long acked = waiters.acked(target);
        if ((acked >= numlocal && numreplicas == 0) || c.engine.dispatcher.callDepth() > 1) {
            c.reply.arrayHeader(2);
            c.reply.integer(acked);
            c.reply.integer(0);
            return;
        }
        waiters.block(c, target, numlocal, numreplicas, timeout);
    }

    /** LASTSAVE: unix time of the last successful save. */
    static void lastsave(Client c, byte[][] argv, int argc) {
        c.reply.integer(c.engine.persistence.lastSaveSeconds);
    }
}
