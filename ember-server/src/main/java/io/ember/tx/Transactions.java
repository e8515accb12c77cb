package io.ember.tx;

import io.ember.client.Client;

/** Transaction state changes shared by the dispatcher and the MULTI/EXEC/WATCH commands. */
public final class Transactions {
    private Transactions() {}

    public static void unwatchAll(Client c) {
        if (c.watched.isEmpty()) return;
        for (WatchedKey wk : c.watched) wk.db.watches.remove(wk);
        c.watched.clear();
    }

    /** Ends MULTI and forgets watches (EXEC, DISCARD, RESET, disconnect). */
    public static void discard(Client c) {
        c.multi = null;
        c.dirtyCas = false;
        unwatchAll(c);
    }

    /** A queued command was rejected: the transaction can only end in EXECABORT. */
    public static void flagDirtyExec(Client c) {
        if (c.multi != null) c.multi.dirtyExec = true;
    }

    /** EXEC must fail if a watched key that existed at WATCH time has expired since (isWatchedKeyExpired). */
    public static boolean watchedKeyExpired(Client c) {
        for (WatchedKey wk : c.watched) {
            if (wk.expiredAtWatch) continue;
            int ref = wk.db.peekRaw(wk.key);
            if (ref != 0 && wk.db.expired(ref)) return true;
        }
        return false;
    }
}
