package io.ember.command;

import io.ember.client.Client;
import io.ember.engine.Database;
import io.ember.pubsub.KeyspaceEvents;

/**
 * Keyspace events fired by commands: the notifyKeyspaceEvent calls of Redis's t_*.c, db.c,
 * expire.c and sort.c. Every command class fires through here; the database layer's own events
 * (new, expired, keymiss, evicted) stay in {@link Database}. Publishing is
 * {@link io.ember.pubsub.Notifier}'s job; with notifications off each call costs one test.
 */
final class KeyEvents {
    private KeyEvents() {}

    /** Fires {@code event} of class {@code type} (a {@link KeyspaceEvents} bit) on {@code key}, in the client's db. */
    static void fire(Client c, int type, String event, byte[] key) {
        c.engine.notifier.notify(type, event, key, c.db.id);
    }

    /** Like {@link #fire} in database {@code db}: the target of MOVE and COPY ... DB. */
    static void fireIn(Client c, Database db, int type, String event, byte[] key) {
        c.engine.notifier.notify(type, event, key, db.id);
    }

    /**
     * "del" (class g) on a key a command deleted: DEL, GETDEL, an expire time already past, a
     * collection left empty, an emptied STORE destination.
     */
    static void del(Client c, byte[] key) {
        c.engine.notifier.notify(KeyspaceEvents.GENERIC, "del", key, c.db.id);
    }
}
