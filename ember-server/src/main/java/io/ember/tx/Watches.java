package io.ember.tx;

import io.ember.client.Client;
import io.ember.engine.Database;
import io.ember.util.ByteKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The WATCHed keys of one database and the clients watching them (multi.c). Any change to a
 * watched key marks its watchers dirty so their EXEC returns a null reply.
 */
public final class Watches {
    private final Database db;
    private final Map<ByteKey, List<WatchedKey>> byKey = new HashMap<>();

    public Watches(Database db) {
        this.db = db;
    }

    public boolean isEmpty() {
        return byKey.isEmpty();
    }

    /** WATCH key: remembers whether it had already expired, as Redis 7.0 does. */
    public void watch(Client c, byte[] key) {
        for (WatchedKey wk : c.watched) {
            if (wk.db == db && java.util.Arrays.equals(wk.key, key)) return;
        }
        int ref = db.peekRaw(key);
        boolean expired = ref != 0 && db.expired(ref);
        WatchedKey wk = new WatchedKey(c, db, key, expired);
        byKey.computeIfAbsent(new ByteKey(key), k -> new ArrayList<>(2)).add(wk);
        c.watched.add(wk);
    }

    void remove(WatchedKey wk) {
        ByteKey k = new ByteKey(wk.key);
        List<WatchedKey> list = byKey.get(k);
        if (list == null) return;
        list.remove(wk);
        if (list.isEmpty()) byKey.remove(k);
    }

    /** The key changed: every watcher becomes dirty (touchWatchedKey). */
    public void touch(byte[] key) {
        if (byKey.isEmpty()) return;
        List<WatchedKey> list = byKey.get(new ByteKey(key));
        if (list == null) return;
        for (WatchedKey wk : List.copyOf(list)) {
            if (wk.expiredAtWatch) {
                // Deleting a key that had already expired when watched is not a change.
                if (db.peekRaw(key) == 0) {
                    wk.expiredAtWatch = false;
                    continue;
                }
                break; // Redis 7.0 stops here (multi.c); kept for identical behaviour
            }
            wk.client.dirtyCas = true;
            Transactions.unwatchAll(wk.client);
        }
    }

    /**
     * FLUSHDB/FLUSHALL/SWAPDB, called before the contents change (touchAllWatchedKeysInDb):
     * watchers of a key that exists here, or in {@code replacedWith}, become dirty, except where
     * the key was already expired when watched and stays logically absent.
     */
    public void touchAll(Database replacedWith) {
        if (byKey.isEmpty()) return;
        for (Map.Entry<ByteKey, List<WatchedKey>> e : List.copyOf(byKey.entrySet())) {
            byte[] key = e.getKey().bytes();
            boolean existsHere = db.peekRaw(key) != 0;
            int other = replacedWith == null ? 0 : replacedWith.peekRaw(key);
            if (!existsHere && other == 0) continue;
            boolean otherExpired = other != 0 && replacedWith.expired(other);
            for (WatchedKey wk : e.getValue()) {
                if (wk.expiredAtWatch) {
                    if (other == 0) {
                        wk.expiredAtWatch = false;
                        continue;
                    } else if (otherExpired) {
                        continue;
                    }
                } else if (!existsHere && otherExpired) {
                    wk.expiredAtWatch = true;
                    continue;
                }
                wk.client.dirtyCas = true;
            }
        }
    }
}
