package io.ember.script;

import io.ember.client.Client;

/** The script being executed right now (Redis's scriptRunCtx): who called it and what it did. */
final class ScriptRun {
    final Client caller;
    /** Name shown in error replies: the script's SHA1. */
    final String funcName;
    final boolean readOnly;
    final boolean allowOom;
    /** maxmemory was exceeded when the script started (Redis's server.script_oom). */
    final boolean oomAtStart;
    final long startNanos;
    /** A write command ran: SCRIPT KILL is refused from then on. */
    boolean writeDirty;
    volatile boolean killed;

    ScriptRun(Client caller, String funcName, boolean readOnly, boolean allowOom, boolean oomAtStart) {
        this.caller = caller;
        this.funcName = funcName;
        this.readOnly = readOnly;
        this.allowOom = allowOom;
        this.oomAtStart = oomAtStart;
        this.startNanos = System.nanoTime();
    }
}
