package io.ember.command;

import io.ember.client.Client;

/** SAVE and LASTSAVE (the persistence state lives in {@link io.ember.persist.Persistence}). */
final class PersistenceCommands {
    private PersistenceCommands() {}

    static void register(CommandTable t) {
        t.add("save", PersistenceCommands::save);
        t.add("lastsave", PersistenceCommands::lastsave);
    }

    /** SAVE: a foreground save that blocks every client until done; a failure replies a bare "-ERR" as Redis does. */
    static void save(Client c, byte[][] argv, int argc) {
        if (c.engine.persistence.saveForeground()) c.reply.ok();
        else c.reply.error("ERR");
    }

    /** LASTSAVE: unix time of the last successful save. */
    static void lastsave(Client c, byte[][] argv, int argc) {
        c.reply.integer(c.engine.persistence.lastSaveSeconds);
    }
}
