package io.ember.command;

import io.ember.client.Client;
import io.ember.tx.Transaction;
import io.ember.tx.Transactions;

/** MULTI, EXEC, DISCARD, WATCH, UNWATCH: optimistic transactions with Redis 7.0's semantics (multi.c). */
public final class TransactionCommands {
    private TransactionCommands() {}

    static void register(CommandTable t) {
        t.add("multi", TransactionCommands::multi);
        t.add("exec", TransactionCommands::exec);
        t.add("discard", TransactionCommands::discard);
        t.add("watch", TransactionCommands::watch);
        t.add("unwatch", TransactionCommands::unwatch);
    }

    static void multi(Client c, byte[][] argv, int argc) {
        if (c.multi != null) {
            c.reply.error("ERR MULTI calls can not be nested");
            return;
        }
        c.multi = new Transaction();
        c.reply.ok();
    }

    static void discard(Client c, byte[][] argv, int argc) {
        if (c.multi == null) {
            c.reply.error("ERR DISCARD without MULTI");
            return;
        }
        Transactions.discard(c);
        c.reply.ok();
    }

    /**
     * Runs the queued commands atomically, or fails: EXECABORT when a command was rejected while
     * queuing, a null reply when a watched key changed (or expired) since WATCH.
     */
    static void exec(Client c, byte[][] argv, int argc) {
        Transaction tx = c.multi;
        if (tx == null) {
            c.reply.error("ERR EXEC without MULTI");
            return;
        }
        if (Transactions.watchedKeyExpired(c)) c.dirtyCas = true;
        if (c.dirtyCas || tx.dirtyExec) {
            if (tx.dirtyExec) c.reply.error("EXECABORT Transaction discarded because of previous errors.");
            else c.reply.nullArray();
            Transactions.discard(c);
            return;
        }
        Transactions.unwatchAll(c);
        c.multi = null;
        c.engine.propagation.prevent(); // the queued commands propagate themselves, wrapped in MULTI/EXEC
        c.reply.arrayHeader(tx.commands.size());
        for (Transaction.Queued q : tx.commands) {
            c.lastCommand = q.command();
            c.engine.dispatcher.call(c, q.command(), q.argv(), q.argv().length);
        }
        c.dirtyCas = false;
    }

    static void watch(Client c, byte[][] argv, int argc) {
        if (c.multi != null) {
            c.reply.error("ERR WATCH inside MULTI is not allowed");
            return;
        }
        // Watching is pointless once a watched key changed: EXEC will fail anyway (Redis 7.0).
        if (!c.dirtyCas) {
            for (int i = 1; i < argc; i++) c.db.watches.watch(c, argv[i]);
        }
        c.reply.ok();
    }

    static void unwatch(Client c, byte[][] argv, int argc) {
        Transactions.unwatchAll(c);
        c.dirtyCas = false;
        c.reply.ok();
    }
}
