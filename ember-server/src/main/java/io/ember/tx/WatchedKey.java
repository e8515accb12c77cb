package io.ember.tx;

import io.ember.client.Client;
import io.ember.engine.Database;

/**
 * One WATCHed key of one client. {@code expiredAtWatch} remembers that the key had logically
 * expired already when WATCH ran (Redis 7.0 semantics: its later deletion is not a change).
 */
public final class WatchedKey {
    public final Client client;
    public final Database db;
    public final byte[] key;
    boolean expiredAtWatch;

    WatchedKey(Client client, Database db, byte[] key, boolean expiredAtWatch) {
        this.client = client;
        this.db = db;
        this.key = key;
        this.expiredAtWatch = expiredAtWatch;
    }
}
