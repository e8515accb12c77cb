package io.ember.engine;

import io.ember.client.Client;
import io.ember.client.ClientRegistry;
import io.ember.client.Monitors;
import io.ember.command.CommandTable;
import io.ember.command.Dispatcher;
import io.ember.config.ServerConfig;
import io.ember.persist.Persistence;
import io.ember.net.Transport;
import io.ember.memory.Eviction;
import io.ember.pubsub.Notifier;
import io.ember.pubsub.PubSub;
import io.ember.tracking.Tracking;
import io.ember.stats.ServerStats;
import io.ember.util.Log;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The engine: the keyspace, the command table and the one thread that runs every command.
 *
 * <p>That thread is a Netty event loop. Client connections are registered on it, so a request is
 * read, parsed, executed and answered on this thread with no hand-off, as in Redis's single
 * threaded event loop; embedded callers submit work to the same loop. Periodic work runs on it
 * from a timer at {@code hz} ({@link #cron()}).
 */
public final class Engine {
    public final ServerConfig config;
    public final Log log;
    public final ServerStats stats = new ServerStats();
    public final Clock clock = new Clock();
    public final EvictionClock evictionClock = new EvictionClock(this);
    public final ClientRegistry clients = new ClientRegistry();
    public final Monitors monitors = new Monitors();
    public final PubSub pubsub = new PubSub();
    /** maxmemory: evicts keys by policy when the memory estimate is over the limit. */
    public final Eviction eviction = new Eviction(this);
    /** Client-side caching: who may cache which keys, and their invalidation. */
    public final Tracking tracking = new Tracking(this);
    /** Keyspace notifications, published through {@link #pubsub}. */
    public final Notifier notifier;
    public final CommandTable commands;
    /** Clients parked by blocking commands. */
    public final Blocking blocking;
    public final Dispatcher dispatcher;
    public final long startTimeMs = System.currentTimeMillis();
    public final String runId = RunId.generate();
    /** Replication ID (INFO master_replid); distinct from the run ID, as in Redis. */
    public final String replId = RunId.generate();

    /** Lua scripting: EVAL, the script cache and the Lua state (created on first use). */
    public final io.ember.script.Scripting scripting = new io.ember.script.Scripting(this);

    /** Save state (last save time and status) and the foreground save. */
    public final Persistence persistence = new Persistence(this);

    /** What writes become for the AOF (and later replicas). */
    public final Propagation propagation = new Propagation();

    /** Holds replies until their writes are durable (the AOF under appendfsync always); null: none. */
    public ReplyGate replyGate;

    /** Changes since the last save (rdb_changes_since_last_save); commands add to it on writes. */
    public long dirty;
    /** DEBUG SET-ACTIVE-EXPIRE: the switch the active expiry cycle will obey. */
    public boolean activeExpireEnabled = true;
    /** Set by SHUTDOWN; the server process exits once the loop has stopped. */
    private volatile boolean shuttingDown;

    private final Database[] dbs;
    final ActiveExpiry activeExpiry;
    private final Transport transport;
    private final EventLoopGroup group;
    private final EventLoop loop;
    private ScheduledFuture<?> cronTask;
    private final List<Client> pendingWrites = new ArrayList<>();
    private boolean flushScheduled;
    private final List<Runnable> shutdownHooks = new ArrayList<>();
    private long cronLoops;

    public Engine(ServerConfig config, Log log) {
        this.config = config;
        this.notifier = new Notifier(config, pubsub);
        this.log = log;
        this.dbs = new Database[config.databases];
        for (int i = 0; i < dbs.length; i++) dbs[i] = new Database(i, this);
        this.activeExpiry = new ActiveExpiry(this, dbs.length);
        this.blocking = new Blocking(this, config.databases);
        this.commands = new CommandTable();
        this.dispatcher = new Dispatcher(this, commands);
        this.transport = Transport.best();
        this.group = transport.newEngineGroup("ember-engine");
        this.loop = group.next();
        scheduleCron();
    }

    public Transport transport() {
        return transport;
    }

    /** The engine thread's event loop: network channels register here, embedded calls run here. */
    public EventLoop loop() {
        return loop;
    }

    public EventLoopGroup group() {
        return group;
    }

    /**
     * From inside a busy script (engine thread): runs the tasks queued on the loop, such as the
     * registration of connections accepted meanwhile. Scheduled tasks (the cron) wait; tasks that
     * must not run inside a script (eviction, a signal's shutdown) check {@code scripting.running()}
     * and postpone themselves.
     */
    public void runQueuedTasksWhileBusy() {
        if (loop instanceof io.ember.net.Transport.QueuedTasks q) q.runQueued(1024);
    }

    public boolean inEngineThread() {
        return loop.inEventLoop();
    }

    public Database db(int i) {
        return dbs[i];
    }

    public int dbCount() {
        return dbs.length;
    }

    // ---- clients ----

    /**
     * Drops what the server holds for a client beyond its own object — MONITOR feed, Pub/Sub
     * subscriptions, client-side caching — when it disconnects, is killed or sends RESET.
     */
    public void detach(Client c) {
        if (c.monitor) {
            monitors.remove(c);
            c.monitor = false;
        }
        pubsub.forget(c);
        tracking.disable(c);
    }

    // ---- memory ----

    /**
     * used_memory as maxmemory sees it: the fixed startup part plus the estimate of every
     * database's entries (memory.MemoryEstimate, kept up to date on each change). O(databases).
     */
    public long usedMemory() {
        long used = ServerStats.USED_MEMORY_STARTUP;
        for (Database db : dbs) used += db.usedBytes();
        return used;
    }

    // ---- time ----

    public long nowMs() {
        return clock.nowMs();
    }

    /** Refreshes the cached time from a nanoTime reading, unless a command runs inside another (EXEC). */
    public void updateTime(long nanos) {
        if (!dispatcher.nested()) clock.update(nanos);
    }

    public void updateTime() {
        updateTime(System.nanoTime());
    }

    // ---- output of clients other than the one being served ----

    /** A reply was written to {@code c} outside its own request (MONITOR, later pub/sub): flush it soon. */
    public void markPendingWrite(Client c) {
        pendingWrites.add(c);
        if (!flushScheduled) {
            flushScheduled = true;
            loop.execute(flushTask);
        }
    }

    private final Runnable flushTask = this::flushPendingWrites;

    private void flushPendingWrites() {
        flushScheduled = false;
        for (Client c : pendingWrites) {
            if (c.conn != null) c.conn.flush();
        }
        pendingWrites.clear();
    }

    // ---- periodic work ----

    private void scheduleCron() {
        if (cronTask != null) cronTask.cancel(false);
        long period = Math.max(1, 1000 / Math.max(1, config.hz));
        cronTask = loop.scheduleAtFixedRate(this::cron, period, period, TimeUnit.MILLISECONDS);
    }

    /** Called when CONFIG SET hz changes the cron frequency. */
    public void hzChanged() {
        loop.execute(this::scheduleCron);
    }

    /**
     * Runs {@code hz} times per second on the engine thread (serverCron/databasesCron). Each step
     * is bounded in time so the engine never stalls: active expiry gets 25% of the cron period,
     * incremental rehash 1 ms per database. Eviction plugs in here.
     */
    void cron() {
        try {
            clock.rebase();
            cronLoops++;
            stats.sample(clock.nowMs(), usedMemory());
            closeTimedOutClients();
            if (persistence.loading != null) return; // as Redis: no databases cron while loading
            if (cronLoops % Math.max(1, config.hz) == 0) {
                for (Client c : clients.all()) c.reply.shrinkIfIdle(); // once a second
            }
            activeExpiry.cron();
            persistence.cron();
            tracking.limitTableSize();
            for (Database db : dbs) {
                db.table().shrinkIfSparse();
                if (config.activeRehashing && db.table().rehashing()) db.table().rehashFor(1);
            }
        } catch (Throwable t) {
            log.warning("cron failed: " + t);
        }
    }

    public long cronLoops() {
        return cronLoops;
    }

    private void closeTimedOutClients() {
        if (config.timeoutSeconds <= 0) return;
        long limit = config.timeoutSeconds * 1000L;
        for (Client c : List.copyOf(clients.all())) {
            if (c.conn != null && !c.monitor && clock.nowMs() - c.lastInteractionMs > limit) {
                log.verbose("Closing idle client");
                c.conn.close();
            }
        }
    }

    // ---- lifecycle ----

    /** Run on SHUTDOWN before the engine stops (closing listeners, removing the pid file). */
    public void addShutdownHook(Runnable r) {
        shutdownHooks.add(r);
    }

    public boolean shuttingDown() {
        return shuttingDown;
    }

    /** Stops the engine: runs shutdown hooks, closes clients and the event loop. */
    public void shutdown() {
        if (shuttingDown) return;
        shuttingDown = true;
        Runnable stop = () -> {
            for (Runnable r : shutdownHooks) {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    log.warning("shutdown step failed: " + e);
                }
            }
            for (Client c : List.copyOf(clients.all())) {
                if (c.conn != null) c.conn.close();
            }
            if (cronTask != null) cronTask.cancel(false);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        };
        if (loop.inEventLoop()) stop.run();
        else loop.execute(stop);
    }

    public void awaitTermination() throws InterruptedException {
        group.terminationFuture().await();
    }
}
