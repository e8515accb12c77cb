package io.ember.engine;

import io.ember.client.Client;
import io.ember.command.CommandSpec;
import io.ember.util.ByteKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Clients parked by blocking commands (BLPOP, BLMOVE, BZPOPMIN...), as Redis's blocked.c: a
 * blocked client is never a blocked thread. It is queued on each key it waits for, in the order
 * clients blocked, and reads no further input until it is served, times out or disconnects.
 *
 * <p>When a write makes a key able to serve waiters (a list or sorted set key is created), the key
 * is signalled ready; after the current top-level command — after EXEC as a whole, so a push
 * inside MULTI wakes clients only once the transaction ran — the waiting clients' commands are
 * run again in FIFO order for as long as the key can serve them. A command that still cannot
 * be served simply keeps its place in the queue.
 *
 * <p>Command side: a handler that finds nothing to return calls {@link #canBlock} and, if
 * allowed, {@link #block}; otherwise it replies its "nothing" value (a blocking command inside
 * MULTI never blocks, as in Redis).
 */
public final class Blocking {
    /** What a timed-out client receives: RESP null array (BLPOP...) or null bulk (BLMOVE...). */
    public enum TimeoutReply { NULL_ARRAY, NULL_BULK }

    /** A parked client: what it runs again when woken. */
    private static final class Waiter {
        final Client client;
        final Database db;
        final List<ByteKey> keys;
        final CommandSpec command;
        final byte[][] argv;
        final TimeoutReply timeoutReply;
        ScheduledFuture<?> timeout;

        Waiter(Client client, Database db, List<ByteKey> keys, CommandSpec command, byte[][] argv, TimeoutReply reply) {
            this.client = client;
            this.db = db;
            this.keys = keys;
            this.command = command;
            this.argv = argv;
            this.timeoutReply = reply;
        }
    }

    private final Engine engine;
    /** Per database: key -> clients waiting for it, oldest first. */
    private final List<Map<ByteKey, ArrayDeque<Waiter>>> waiting = new ArrayList<>();
    private final Map<Client, Waiter> byClient = new HashMap<>();
    /** Keys signalled ready since the last {@link #serveReadyKeys}, in signalling order. */
    private final LinkedHashSet<ReadyKey> ready = new LinkedHashSet<>();
    /** The client whose command is being re-run: blocking again keeps its queue position. */
    private Client rerunning;
    /** Set when the re-run command found nothing to serve and asked to block again. */
    private boolean blockedAgain;
    /** The ready key the re-run command is serving (see {@link #readyKey}). */
    private byte[] servingKey;

    private record ReadyKey(Database db, ByteKey key) {}

    Blocking(Engine engine, int databases) {
        this.engine = engine;
        for (int i = 0; i < databases; i++) waiting.add(new HashMap<>());
    }

    public int blockedClients() {
        return byClient.size();
    }

    /** Whether the command running for {@code c} may block (not inside MULTI/EXEC). */
    public boolean canBlock(Client c) {
        return engine.dispatcher.callDepth() <= 1 || c == rerunning;
    }

    /**
     * Parks {@code c} on {@code keys} until one of them can serve it or {@code deadlineMs} (unix
     * ms, 0 = never) passes. The command ({@code argv}) is run again when a key is ready.
     */
    public void block(Client c, Database db, byte[][] keys, int firstKey, int keyCount, long deadlineMs,
                      byte[][] argv, int argc, TimeoutReply timeoutReply) {
        if (c == rerunning && byClient.containsKey(c)) { // still waiting: keep its place
            blockedAgain = true;
            c.blocked = true;
            return;
        }
        List<ByteKey> keyList = new ArrayList<>(keyCount);
        for (int i = 0; i < keyCount; i++) {
            ByteKey k = new ByteKey(keys[firstKey + i]);
            if (!keyList.contains(k)) keyList.add(k);
        }
        Waiter w = new Waiter(c, db, keyList, c.lastCommand, java.util.Arrays.copyOf(argv, argc), timeoutReply);
        Map<ByteKey, ArrayDeque<Waiter>> perKey = waiting.get(db.id);
        for (ByteKey k : keyList) perKey.computeIfAbsent(k, x -> new ArrayDeque<>()).add(w);
        byClient.put(c, w);
        c.blocked = true;
        if (deadlineMs > 0) {
            long delay = Math.max(0, deadlineMs - engine.nowMs());
            w.timeout = engine.loop().schedule(() -> timedOut(w), delay, TimeUnit.MILLISECONDS);
        }
    }

    /** A key of {@code db} may now serve waiters (a list or sorted set was created there). */
    public void signalKeyAsReady(Database db, byte[] key) {
        if (byClient.isEmpty()) return;
        ByteKey k = new ByteKey(key);
        if (waiting.get(db.id).containsKey(k)) ready.add(new ReadyKey(db, k));
    }

    /** SWAPDB/FLUSH moved whole datasets: every key with waiters in {@code db} may be ready. */
    public void signalDatabase(Database db) {
        if (byClient.isEmpty()) return;
        for (ByteKey k : waiting.get(db.id).keySet()) ready.add(new ReadyKey(db, k));
    }

    /**
     * While a woken client's command runs again: the key that became ready for it, else null.
     * Redis 7.0 serves a woken client from that key only (not from the first of its keys that
     * has data, and without looking at the others' types), so commands that follow 7.0 use it.
     */
    public byte[] readyKey(Client c) {
        return c == rerunning ? servingKey : null;
    }

    public boolean hasReadyKeys() {
        return !ready.isEmpty();
    }

    /**
     * Serves clients waiting on the keys signalled ready (handleClientsBlockedOnKeys). Runs after
     * each top-level command; commands run here may signal more keys, which are served too.
     */
    public void serveReadyKeys() {
        while (!ready.isEmpty()) {
            ReadyKey rk = ready.iterator().next();
            ready.remove(rk);
            ArrayDeque<Waiter> queue = waiting.get(rk.db.id).get(rk.key);
            if (queue == null) continue;
            // Every waiter in blocking order, as Redis walks the key's clients: one the key cannot
            // serve (a command for another type) keeps its place and the next one is tried.
            for (Waiter w : queue.toArray(new Waiter[0])) {
                if (byClient.get(w.client) != w) continue; // served or gone meanwhile
                if (rk.db.peekRaw(rk.key.bytes()) == 0) break; // nothing left to serve
                servingKey = rk.key.bytes();
                try {
                    rerun(w);
                } finally {
                    servingKey = null;
                }
            }
            int ref = rk.db.lookup(rk.key.bytes());
            if (ref == 0 || rk.db.type(ref) != io.ember.type.ValueType.STREAM) unblockGroupReaders(queue);
        }
    }

    /**
     * unblockDeletedStreamReadgroupClients: the stream XREADGROUP clients wait on was deleted or
     * replaced by another type; they get an error instead of waiting for a group that is gone.
     */
    private void unblockGroupReaders(ArrayDeque<Waiter> queue) {
        for (Waiter w : queue.toArray(new Waiter[0])) {
            if (byClient.get(w.client) != w || !w.command.fullName.equals("xreadgroup")) continue;
            remove(w);
            w.command.calls++;
            w.command.failedCalls++;
            engine.stats.totalCommands++;
            w.client.reply.error("UNBLOCKED the stream key no longer exists");
            wake(w.client);
        }
    }

    /** Runs a waiter's command again; true if it was served (it is then unblocked). */
    private boolean rerun(Waiter w) {
        Client c = w.client;
        Database saved = c.db;
        c.db = w.db;
        rerunning = c;
        blockedAgain = false;
        c.blocked = false; // runs as a normal command; block() sets it again if still nothing to serve
        try {
            engine.updateTime();
            c.lastCommand = w.command;
            engine.dispatcher.call(c, w.command, w.argv, w.argv.length);
        } finally {
            rerunning = null;
            if (c.db == w.db) c.db = saved;
        }
        if (blockedAgain) return false;
        remove(w);
        wake(c);
        return true;
    }

    private void timedOut(Waiter w) {
        if (byClient.get(w.client) != w) return;
        remove(w);
        Client c = w.client;
        w.command.calls++; // a timed-out blocking command still counts as one call
        engine.stats.totalCommands++;
        if (w.timeoutReply == TimeoutReply.NULL_ARRAY) c.reply.nullArray();
        else c.reply.nullBulk();
        wake(c);
    }

    /** The client disconnected (or was reset) while blocked: forget it without a reply. */
    public void clientGone(Client c) {
        Waiter w = byClient.get(c);
        if (w != null) remove(w);
    }

    private void remove(Waiter w) {
        byClient.remove(w.client);
        w.client.blocked = false;
        if (w.timeout != null) w.timeout.cancel(false);
        Map<ByteKey, ArrayDeque<Waiter>> perKey = waiting.get(w.db.id);
        for (ByteKey k : w.keys) {
            ArrayDeque<Waiter> q = perKey.get(k);
            if (q == null) continue;
            q.remove(w);
            if (q.isEmpty()) perKey.remove(k);
        }
    }

    /** Sends the woken client's reply and lets it read its pending input again. */
    private void wake(Client c) {
        engine.markPendingWrite(c);
        if (c.conn != null) c.conn.resumeInput();
    }
}
