package io.ember.command;

import io.ember.client.Client;
import io.ember.config.ServerConfig;
import io.ember.engine.Engine;
import io.ember.memory.Eviction;
import io.ember.tx.Transactions;
import io.ember.util.Bytes;

/**
 * Runs one request the way Redis's processCommand/call do: find the command, check arity,
 * protection, authentication and transaction state (in Redis's order, with its error texts),
 * then either queue it (inside MULTI) or execute it and account for it in INFO commandstats.
 * Network and embedded clients both enter here.
 */
public final class Dispatcher {
    private final Engine engine;
    private final CommandTable table;
    /** Nesting depth of {@link #call}: EXEC runs commands inside a call. */
    private int callDepth;

    public Dispatcher(Engine engine, CommandTable table) {
        this.engine = engine;
        this.table = table;
    }

    public CommandTable table() {
        return table;
    }

    /** Processes one complete request. Returns false when the connection must close right away. */
    public boolean process(Client c, byte[][] argv, int argc) {
        engine.tracking.beginCommand(c);
        boolean keepOpen = processCommand(c, argv, argc);
        engine.tracking.endCommand(c, c.lastCommand);
        if (c.replyMode >= Client.REPLY_SKIP_NEXT) advanceReplySkip(c);
        return keepOpen;
    }

    /**
     * CLIENT REPLY SKIP, as Redis's resetClient does it after every request: the request that
     * follows SKIP runs with replies suppressed, and the one after that is answered again.
     */
    private static void advanceReplySkip(Client c) {
        if (c.replyMode == Client.REPLY_SKIP) {
            c.replyMode = Client.REPLY_ON;
            c.reply.setSuppressed(false);
        } else {
            c.replyMode = Client.REPLY_SKIP;
            c.reply.setSuppressed(true);
        }
    }

    private boolean processCommand(Client c, byte[][] argv, int argc) {
        long start = System.nanoTime();
        engine.updateTime(start);
        c.lastInteractionMs = engine.nowMs();
        CommandSpec cmd = table.lookup(argv, argc);
        if (cmd == null) {
            if (Bytes.eqIgnoreCase(argv[0], "host:") || Bytes.eqIgnoreCase(argv[0], "post")) {
                engine.log.warning("Possible SECURITY ATTACK detected. It looks like somebody is sending POST or Host: "
                        + "commands to Redis. This is likely due to an attacker attempting to use Cross Protocol "
                        + "Scripting to compromise your Redis instance. Connection aborted.");
                return false;
            }
            reject(c, null, unknownCommandMessage(argv, argc));
            return true;
        }
        c.lastCommand = cmd;
        if (!cmd.arityOk(argc)) {
            reject(c, cmd, "ERR wrong number of arguments for '" + cmd.fullName + "' command");
            return true;
        }
        if (cmd.protectedCommand
                && !ServerConfig.allows(engine.config.enableDebugCommand, c.conn == null || c.conn.isLocal())) {
            reject(c, cmd, "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", "
                    + "you can run it from a local connection, otherwise you need to set this option in the "
                    + "configuration file, and then restart the server.");
            return true;
        }
        if (authRequired(c) && !cmd.has(CommandSpec.NO_AUTH) && !isAuthFree(cmd)) {
            reject(c, cmd, "NOAUTH Authentication required.");
            return true;
        }
        // nothing is evicted while a script is busy (Redis's isInsideYieldingLongCommand)
        if (engine.config.maxmemory != 0 && !engine.scripting.running() && engine.eviction.perform() == Eviction.FAIL
                && (deniedOnOom(c, cmd) || engine.scripting.deniedOnOom(cmd, argv, argc))) {
            reject(c, cmd, "OOM command not allowed when used memory > 'maxmemory'.");
            return true;
        }
        if (engine.scripting.timedOut() && engine.scripting.refusedWhileBusy(cmd, argv, argc)) {
            reject(c, cmd, engine.scripting.busyError());
            return true;
        }
        if (engine.persistence.loading != null && !cmd.has(CommandSpec.LOADING)) {
            reject(c, cmd, io.ember.persist.Persistence.LOADING_ERROR);
            return true;
        }
        String diskError = engine.persistence.writesDeniedError();
        if (diskError != null && (hasFlagOrQueued(c, cmd, CommandSpec.WRITE) || cmd.fullName.equals("ping"))) {
            reject(c, cmd, diskError);
            return true;
        }
        if (c.inPubSubMode() && !c.reply.resp3() && !allowedWhileSubscribed(cmd)) {
            reject(c, cmd, "ERR Can't execute '" + cmd.fullName + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / "
                    + "PING / QUIT / RESET are allowed in this context");
            return true;
        }
        if (c.multi != null && cmd.has(CommandSpec.NO_MULTI)) {
            reject(c, cmd, "ERR Command not allowed inside a transaction");
            return true;
        }
        // MONITOR makes a client a replica in Redis's eyes, and replicas may not touch the keyspace.
        if (c.monitor && cmd.has(CommandSpec.READONLY | CommandSpec.WRITE | CommandSpec.MAY_REPLICATE)) {
            reject(c, cmd, "ERR Replica can't interact with the keyspace");
            return true;
        }
        if (c.multi != null && !isTransactionControl(cmd)) {
            c.multi.queue(cmd, argv, argc);
            c.reply.raw(QUEUED);
            return true;
        }
        call(c, cmd, argv, argc, start);
        if (engine.blocking.hasReadyKeys()) engine.blocking.serveReadyKeys();
        return true;
    }

    private static final byte[] QUEUED = Bytes.ascii("+QUEUED\r\n");

    private static boolean isTransactionControl(CommandSpec cmd) {
        String n = cmd.fullName;
        return n.equals("exec") || n.equals("discard") || n.equals("multi") || n.equals("watch")
                || n.equals("quit") || n.equals("reset");
    }

    /** A command that may grow memory (denyoom), or an EXEC whose queue holds one. */
    private static boolean deniedOnOom(Client c, CommandSpec cmd) {
        return hasFlagOrQueued(c, cmd, CommandSpec.DENYOOM);
    }

    /** The command has {@code flag}, or it is an EXEC and a queued command has it. */
    private static boolean hasFlagOrQueued(Client c, CommandSpec cmd, int flag) {
        if (cmd.has(flag)) return true;
        if (c.multi == null || !cmd.fullName.equals("exec")) return false;
        for (io.ember.tx.Transaction.Queued q : c.multi.commands) {
            if (q.command().has(flag)) return true;
        }
        return false;
    }

    /** What a RESP2 subscriber may still run (its connection otherwise only carries messages). */
    private static boolean allowedWhileSubscribed(CommandSpec cmd) {
        return switch (cmd.fullName) {
            case "subscribe", "unsubscribe", "psubscribe", "punsubscribe", "ssubscribe", "sunsubscribe",
                 "ping", "quit", "reset" -> true;
            default -> false;
        };
    }

    /** AUTH and HELLO carry no_auth in Redis's table; QUIT and RESET are allowed before AUTH too. */
    private static boolean isAuthFree(CommandSpec cmd) {
        return cmd.fullName.equals("quit") || cmd.fullName.equals("reset");
    }

    public boolean authRequired(Client c) {
        return !c.authenticated && !engine.config.requirepass.isEmpty();
    }

    private void reject(Client c, CommandSpec cmd, String message) {
        Transactions.flagDirtyExec(c);
        if (cmd != null) cmd.rejectedCalls++;
        c.reply.error(message);
    }

    /** Executes a command with statistics and monitoring (Redis's call()). */
    public void call(Client c, CommandSpec cmd, byte[][] argv, int argc) {
        call(c, cmd, argv, argc, System.nanoTime());
    }

    private void call(Client c, CommandSpec cmd, byte[][] argv, int argc, long start) {
        long errorsBefore = engine.stats.totalErrorReplies;
        long dirtyBefore = engine.dirty;
        callDepth++;
        engine.propagation.beginCall();
        try {
            cmd.handler.execute(c, argv, argc);
        } finally {
            callDepth--;
            engine.propagation.endCall(c.db.id, argv, argc, engine.dirty != dirtyBefore);
        }
        var aof = engine.persistence.aof;
        if (aof != null && engine.dirty != dirtyBefore) c.aofWriteOffset = aof.fedOffset();
        if (c.tracking != null && cmd.has(CommandSpec.READONLY) && !isReadOnlyScript(cmd)) {
            engine.tracking.rememberKeys(c, cmd, argv, argc);
        }
        if (c.blocked) return; // counted once, when served or timed out (Redis's updateStatsOnUnblock)
        cmd.micros += (System.nanoTime() - start) / 1000;
        cmd.calls++;
        engine.stats.totalCommands++;
        if (engine.stats.totalErrorReplies > errorsBefore) cmd.failedCalls++;
        if (!engine.monitors.isEmpty() && !cmd.has(CommandSpec.SKIP_MONITOR) && !cmd.has(CommandSpec.ADMIN)) {
            engine.monitors.feed(c, argv, argc);
        }
    }

    /**
     * EVAL_RO, EVALSHA_RO, FCALL_RO track nothing by themselves: their keys are tracked when their
     * script runs a read-only command (RedisApi), as Redis's call() excludes them.
     */
    private static boolean isReadOnlyScript(CommandSpec cmd) {
        String n = cmd.fullName;
        return n.equals("eval_ro") || n.equals("evalsha_ro") || n.equals("fcall_ro");
    }

    /** Number of {@link #call}s in progress: 1 inside a command, 2 or more inside EXEC. */
    public int callDepth() {
        return callDepth;
    }

    /** True while a command runs inside another (EXEC): time stays fixed for the outer call. */
    public boolean nested() {
        return callDepth > 0;
    }

    /** Redis's texts for an unknown command or subcommand (at most 128 bytes of each argument). */
    private String unknownCommandMessage(byte[][] argv, int argc) {
        CommandSpec base = table.lookup(argv[0]);
        if (base != null && base.isContainer()) {
            return "ERR unknown subcommand '" + cString(argv[1], 128) + "'. Try "
                    + base.name.toUpperCase(java.util.Locale.ROOT) + " HELP.";
        }
        StringBuilder args = new StringBuilder();
        // Redis allows one byte more than the 128 it budgets for the list (checked against 7.0.15).
        for (int i = 1; i < argc && args.length() < 128; i++) {
            args.append('\'').append(cString(argv[i], 129 - args.length())).append("' ");
        }
        return "ERR unknown command '" + cString(argv[0], 128) + "', with args beginning with: " + args;
    }

    /** Up to {@code max} bytes, stopping at a NUL as C's %.*s does. */
    private static String cString(byte[] b, int max) {
        int n = 0;
        while (n < b.length && n < max && b[n] != 0) n++;
        return Bytes.latin1(b, 0, n);
    }
}
