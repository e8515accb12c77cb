package io.ember.script;

import io.ember.client.Client;

/** The script or function being executed right now (Redis's scriptRunCtx): who called it and what it did. */
final class ScriptRun {
    final Client caller;
    /** Name shown in error replies and FUNCTION STATS: the script's SHA1 or the function's name. */
    final String funcName;
    final boolean readOnly;
    final boolean allowOom;
    /** maxmemory was exceeded when the script started (Redis's server.script_oom). */
    final boolean oomAtStart;
    /** A function (FCALL) rather than an EVAL script: selects the BUSY and KILL texts. */
    final boolean function;
    /** The caller's command, for FUNCTION STATS (valid while the run lasts). */
    final byte[][] argv;
    final int argc;
    final long startNanos;
    /** A write command ran: SCRIPT KILL is refused from then on. */
    boolean writeDirty;
    /**
     * redis.set_repl's targets for the commands run from now on: REPL_AOF (1) and REPL_REPLICA
     * (2) bits, both by default. Only the AOF bit has an effect until replication exists.
     */
    int replFlags = RedisApi.REPL_ALL;
    volatile boolean killed;

    ScriptRun(Client caller, String funcName, boolean readOnly, boolean allowOom, boolean oomAtStart, boolean function,
              byte[][] argv, int argc) {
        this.caller = caller;
        this.funcName = funcName;
        this.readOnly = readOnly;
        this.allowOom = allowOom;
        this.oomAtStart = oomAtStart;
        this.function = function;
        this.argv = argv;
        this.argc = argc;
        this.startNanos = System.nanoTime();
    }
}
