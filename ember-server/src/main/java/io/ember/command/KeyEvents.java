package io.ember.command;

import io.ember.client.Client;
import io.ember.pubsub.KeyspaceEvents;

/**
 * Keyspace events fired by commands on the client's current database: the notifyKeyspaceEvent
 * calls of Redis's t_*.c. Publishing is {@link io.ember.pubsub.Notifier}'s job; with
 * notifications off each call costs one test.
 */
final class KeyEvents {
    private KeyEvents() {}

    /** Fires {@code event} of class {@code type} (a {@link KeyspaceEvents} bit) on {@code key}. */
    static void fire(Client c, int type, String event, byte[] key) {
        c.engine.notifier.notify(type, event, key, c.db.id);
    }

    /** "del" (class g): a collection removed because it became empty, or a STORE's emptied destination. */
    static void del(Client c, byte[] key) {
        c.engine.notifier.notify(KeyspaceEvents.GENERIC, "del", key, c.db.id);
    }
}
