package io.ember.persist.aof;

import io.ember.client.Client;
import io.ember.engine.Engine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Clients parked by WAITAOF (Redis 7.2, blockForAofFsync) until the AOF offset they wait for is
 * fsynced or their timeout passes. No thread waits: the AOF's fsync report and the timeout are
 * engine-loop tasks. Ember has no replicas, so the replica count is always 0 (a WAITAOF asking
 * for replicas waits for its timeout, as Redis without replicas). Engine thread only.
 */
public final class AofWaiters {
    public static final String AOF_OFF = "ERR WAITAOF cannot be used when numlocal is set but appendonly is disabled.";

    private static final class Waiter {
        final Client client;
        final long target;
        final long numlocal, numreplicas;
        ScheduledFuture<?> timeout;

        Waiter(Client client, long target, long numlocal, long numreplicas) {
            this.client = client;
            this.target = target;
            this.numlocal = numlocal;
            this.numreplicas = numreplicas;
        }
    }

    private final Engine engine;
    private final List<Waiter> waiting = new ArrayList<>();

    public AofWaiters(Engine engine) {
        this.engine = engine;
    }

    /** The offset a WAITAOF issued now waits for: everything fed to the AOF so far (-1: AOF off). */
    public long currentTarget() {
        AppendOnlyFile aof = engine.persistence.aof;
        return aof == null ? -1 : aof.fedOffset();
    }

    /** 1 when the AOF has fsynced up to {@code target}. */
    public long acked(long target) {
        AppendOnlyFile aof = engine.persistence.aof;
        return aof != null && target >= 0 && aof.fsyncedOffset() >= target ? 1 : 0;
    }

    /** Parks {@code c} (its command returns without a reply); {@code deadlineMs} 0 waits forever. */
    public void block(Client c, long target, long numlocal, long numreplicas, long deadlineMs) {
        Waiter w = new Waiter(c, target, numlocal, numreplicas);
        waiting.add(w);
        c.blocked = true;
        if (deadlineMs > 0) {
            long delay = Math.max(0, deadlineMs - engine.nowMs());
            w.timeout = engine.loop().schedule(() -> timedOut(w), delay, TimeUnit.MILLISECONDS);
        }
    }

    /** The AOF's durable offset advanced (processClientsWaitingAofFsync). */
    public void fsynced() {
        if (waiting.isEmpty()) return;
        for (int i = 0; i < waiting.size(); i++) {
            Waiter w = waiting.get(i);
            long ack = acked(w.target);
            if (ack >= w.numlocal && w.numreplicas == 0) {
                waiting.remove(i--);
                reply(w, ack);
            }
        }
    }

    /** appendonly no: clients waiting for a local fsync get the error, as Redis 7.2. */
    public void aofStopped() {
        for (int i = 0; i < waiting.size(); i++) {
            Waiter w = waiting.get(i);
            if (w.numlocal == 0) continue;
            waiting.remove(i--);
            if (w.timeout != null) w.timeout.cancel(false);
            if (!gone(w.client)) {
                w.client.reply.error(AOF_OFF);
                wake(w.client);
            }
        }
    }

    private void timedOut(Waiter w) {
        if (!waiting.remove(w)) return;
        reply(w, acked(w.target));
    }

    private void reply(Waiter w, long ack) {
        if (w.timeout != null) w.timeout.cancel(false);
        Client c = w.client;
        if (gone(c)) return;
        c.reply.arrayHeader(2);
        c.reply.integer(ack);
        c.reply.integer(0);
        wake(c);
    }

    /** A client that disconnected while parked is dropped silently. */
    private boolean gone(Client c) {
        return c.conn != null && engine.clients.get(c.id) != c;
    }

    private void wake(Client c) {
        c.blocked = false;
        if (c.lastCommand != null) c.lastCommand.calls++; // counted when served, as a blocking command
        engine.stats.totalCommands++;
        engine.markPendingWrite(c);
        if (c.conn != null) c.conn.resumeInput();
    }
}
