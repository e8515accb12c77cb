package io.ember.script;

import io.ember.client.Client;
import io.ember.client.InProcessConnection;
import io.ember.engine.Engine;
import io.ember.memory.Eviction;
import io.ember.resp.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import party.iroiro.luajava.Lua;
import party.iroiro.luajava.LuaException;

/**
 * EVAL and its script cache (Redis's eval.c), and what scripts and functions share (script.c):
 * the run in progress, busy-reply-threshold, SCRIPT/FUNCTION KILL, the script client. EVAL has its
 * own Lua 5.1 state ({@link LuaVm}), created on first use and replaced by SCRIPT FLUSH; functions
 * have theirs in {@link Functions}. Both run on the engine thread. Scripts are compiled once per
 * SHA1 into a function whose environment is the protected globals, and run under Redis's error
 * handler.
 */
public final class Scripting {
    final Engine engine;
    final LuaBytes bytes = new LuaBytes();
    final ScriptCache cache = new ScriptCache();
    private final Rand48 rand = new Rand48();
    /** EVAL's Lua state; null until the first EVAL / SCRIPT LOAD and after SCRIPT FLUSH. */
    private LuaVm vm;
    private Lua L;
    /** FUNCTION / FCALL: the libraries and their own Lua state. */
    public final Functions functions = new Functions(this);
    /**
     * Cap of the Lua heap (bytes, per state); Redis has none. System property
     * ember.lua-memory-limit, read when a Lua state is created.
     */
    long memoryLimit;
    /** System.nanoTime() when a FUNCTION LOAD began running library code, 0 otherwise. */
    private long loadStartNanos;
    /** FUNCTION LOAD's time limit (Redis's LOAD_TIMEOUT_MS), 0 for none (loading from disk). */
    private long loadTimeoutMs;
    /** The script's own client: commands from redis.call run on it (Redis's lctx.lua_client). */
    Client fake;
    /** Non-null while a script runs. */
    ScriptRun current;
    /** The running script passed busy-reply-threshold: other clients get -BUSY. */
    private boolean timedOut;
    private long lastPollNanos;

    public static final String BUSY =
            "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
    /** Redis's shared.slowscripterr: the same when the busy script is a function. */
    public static final String BUSY_FUNCTION =
            "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";

    public Scripting(Engine engine) {
        this.engine = engine;
    }

    /** A script is executing (only observable from inside it, or from the hook). */
    public boolean running() {
        return current != null;
    }

    /** A script has run past busy-reply-threshold and the server answers others with -BUSY. */
    public boolean timedOut() {
        return timedOut;
    }

    /** The -BUSY error for the script running now (an EVAL script or a function). */
    public String busyError() {
        ScriptRun run = current;
        return run != null && run.function ? BUSY_FUNCTION : BUSY;
    }

    /** While busy: everything but allow-busy commands is refused, and SHUTDOWN only with NOSAVE. */
    public boolean refusedWhileBusy(io.ember.command.CommandSpec cmd, byte[][] argv, int argc) {
        if (!cmd.has(io.ember.command.CommandSpec.ALLOW_BUSY)) return true;
        if (cmd.fullName.equals("shutdown")) {
            for (int i = 1; i < argc; i++) {
                if (io.ember.util.Bytes.eqIgnoreCase(argv[i], "nosave")) {
                    if (current != null) current.killed = true; // let the engine thread leave the script
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    /** SCRIPT KILL ({@code eval}) and FUNCTION KILL: each kills only its own kind (scriptKill). */
    public void kill(Client c, boolean eval) {
        ScriptRun run = current;
        if (run == null) {
            c.reply.error("NOTBUSY No scripts in execution right now.");
        } else if (run.writeDirty) {
            c.reply.error("UNKILLABLE Sorry the script already executed write commands against the dataset. "
                    + "You can either wait the script termination or kill the server in a hard way using the "
                    + "SHUTDOWN NOSAVE command.");
        } else if (eval == run.function) {
            c.reply.error(eval ? BUSY_FUNCTION : BUSY);
        } else {
            run.killed = true;
            c.reply.ok();
        }
    }

    // ---- commands -------------------------------------------------------------------------

    /** EVAL, EVALSHA, EVAL_RO, EVALSHA_RO. */
    public void eval(Client c, byte[][] argv, int argc, boolean bySha, boolean readOnlyCommand) {
        // Effects replication (Redis 7): the AOF gets the commands the script ran, wrapped in
        // MULTI/EXEC when more than one, never the EVAL itself.
        c.engine.propagation.prevent();
        // Scripts are fed to MONITOR before the commands they run (EVAL itself skips it).
        if (!engine.monitors.isEmpty()) engine.monitors.feed(c, argv, argc);
        long numkeys = numkeysOrReply(c, argv, argc, "ERR value is not an integer or out of range");
        if (numkeys < 0) return;
        if (!stateReady(c)) return;
        ScriptCache.Script script;
        String sha;
        if (bySha) {
            sha = new String(argv[1], StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
            script = sha.length() == 40 ? cache.get(sha) : null;
            if (script == null) {
                c.reply.error("NOSCRIPT No matching script. Please use EVAL.");
                return;
            }
        } else {
            sha = sha1hex(argv[1]);
            script = cache.get(sha);
            if (script == null) {
                script = compile(c, argv[1], sha);
                if (script == null) return;
            }
        }
        Shebang sb = script.shebang();
        boolean oom = oomAtStart();
        if (!sb.has(Shebang.EVAL_COMPAT_MODE) && !mayRun(c, sb.flags(), readOnlyCommand, oom)) return;
        boolean readOnly = readOnlyCommand || sb.has(Shebang.NO_WRITES);
        boolean allowOom = !sb.has(Shebang.EVAL_COMPAT_MODE) && sb.has(Shebang.ALLOW_OOM);
        ScriptRun run = new ScriptRun(c, sha, readOnly, allowOom, oom, false, argv, argc);
        execute(c, vm, vm.runRef, script.functionRef(), run, argv, 3, (int) numkeys, argc);
    }

    /**
     * A script with flags (shebang or function) counts as a denyoom command unless it declares
     * allow-oom or no-writes (evalGetCommandFlags / fcallGetCommandFlags → scriptFlagsToCmdFlags),
     * so processCommand refuses it over maxmemory with the generic OOM error.
     */
    public boolean deniedOnOom(io.ember.command.CommandSpec cmd, byte[][] argv, int argc) {
        int flags;
        switch (cmd.fullName) {
            case "fcall", "fcall_ro" -> {
                Functions.Function f = functions.find(argv[1]);
                if (f == null) return false;
                flags = f.flags();
            }
            case "eval", "eval_ro" -> {
                ScriptCache.Script s = cache.get(sha1hex(argv[1]));
                try {
                    flags = s != null ? s.shebang().flags() : Shebang.parse(argv[1]).flags();
                } catch (Shebang.Invalid e) {
                    return false; // EVAL reports it
                }
            }
            case "evalsha", "evalsha_ro" -> {
                ScriptCache.Script s = argv[1].length == 40
                        ? cache.get(new String(argv[1], StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT)) : null;
                if (s == null) return false;
                flags = s.shebang().flags();
            }
            default -> {
                return false;
            }
        }
        return (flags & Shebang.EVAL_COMPAT_MODE) == 0 && (flags & (Shebang.ALLOW_OOM | Shebang.NO_WRITES)) == 0;
    }

    /**
     * The numkeys argument (argv[2]) of EVAL/FCALL checked against the arguments that follow;
     * -1 after replying with the error ({@code notInteger} differs: EVAL's and FCALL's).
     */
    static long numkeysOrReply(Client c, byte[][] argv, int argc, String notInteger) {
        if (!io.ember.util.Numbers.isLong(argv[2], 0, argv[2].length)) {
            c.reply.error(notInteger);
            return -1;
        }
        long numkeys = io.ember.util.Numbers.parseLong(argv[2]);
        if (numkeys > argc - 3) {
            c.reply.error("ERR Number of keys can't be greater than number of args");
            return -1;
        }
        if (numkeys < 0) {
            c.reply.error("ERR Number of keys can't be negative");
            return -1;
        }
        return numkeys;
    }

    /** maxmemory was exceeded when the script starts (Redis's server.script_oom). */
    boolean oomAtStart() {
        return engine.config.maxmemory != 0 && engine.eviction.perform() == Eviction.FAIL;
    }

    /**
     * scriptPrepareForRun's checks for a script with flags (a shebang, or a function), with
     * Redis's errors: OOM without allow-oom, writes while the disk is failing or from a *_RO command.
     */
    boolean mayRun(Client c, int flags, boolean readOnlyCommand, boolean oom) {
        if ((flags & (Shebang.ALLOW_OOM | Shebang.NO_WRITES)) == 0 && oom) { // no-writes implies allow-oom
            c.reply.error("OOM allow-oom flag is not set on the script, can not run it when used memory > 'maxmemory'");
            return false;
        }
        if ((flags & Shebang.NO_WRITES) == 0) {
            String diskError = engine.persistence.writesDeniedError();
            if (diskError != null) {
                c.reply.error(diskError);
                return false;
            }
            if (readOnlyCommand) {
                c.reply.error("ERR Can not execute a script with write flag using *_ro command.");
                return false;
            }
        }
        return true;
    }

    /** SCRIPT LOAD: compiles and caches, replying with the SHA1. */
    public void load(Client c, byte[] body) {
        if (!stateReady(c)) return;
        String sha = sha1hex(body);
        if (cache.get(sha) == null && compile(c, body, sha) == null) return;
        c.reply.bulk(sha.getBytes(StandardCharsets.ISO_8859_1));
    }

    public boolean exists(byte[] sha) {
        return cache.get(new String(sha, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT)) != null;
    }

    /** SCRIPT FLUSH: drops every script and starts a fresh Lua state, as Redis does. */
    public void flush() {
        cache.clear();
        if (vm != null) {
            vm.close();
            vm = null;
            L = null;
        }
    }

    public int cachedScripts() {
        return cache.size();
    }

    /** used_memory_scripts_eval. */
    public long scriptsMemory() {
        return cache.memory();
    }

    /** used_memory_lua: the Lua heap (what lua_gc(LUA_GCCOUNT) reports), or an empty state's size. */
    public long luaMemory() {
        return vm == null ? FRESH_STATE_BYTES : vm.memory();
    }

    /** What a fresh Lua state weighs, as Redis reports before any script. */
    static final long FRESH_STATE_BYTES = 31744;

    // ---- internals ------------------------------------------------------------------------

    private ScriptCache.Script compile(Client c, byte[] body, String sha) {
        Shebang sb;
        try {
            sb = Shebang.parse(body);
        } catch (Shebang.Invalid e) {
            c.reply.error("ERR " + e.getMessage());
            return null;
        }
        try {
            vm.compile(body, sb.length(), "@user_script");
        } catch (LuaException e) {
            c.reply.error("ERR Error compiling script (new function): " + e.getMessage());
            return null;
        }
        ScriptCache.Script s = new ScriptCache.Script(body.clone(), sb, L.ref());
        cache.put(sha, s);
        return s;
    }

    /**
     * Runs a compiled script or function ({@code fnRef}) through one of sandbox.lua's runners
     * ({@code runnerRef}: EVAL's sets KEYS/ARGV, FCALL's passes them as arguments), keys and args
     * from {@code argv[first..argc)}, and replies with its result (luaCallFunction).
     */
    void execute(Client c, LuaVm vm, int runnerRef, int fnRef, ScriptRun run, byte[][] argv, int first, int numkeys,
                 int argc) {
        Lua L = vm.L;
        fake.reply.setProtocol(2);
        fake.db = c.db;
        int n = argc - first;
        boolean inline = n <= INLINE_ARGS;
        if (!inline && !run.function) {
            setArrayGlobal(vm, "KEYS", argv, first, numkeys);
            setArrayGlobal(vm, "ARGV", argv, first + numkeys, n - numkeys);
        }
        current = run;
        try {
            L.refGet(runnerRef);
            L.refGet(fnRef);
            int nargs = 1;
            if (inline) {
                L.checkStack(n + 8);
                L.push(numkeys);
                for (int i = 0; i < n; i++) bytes.push(L, argv[first + i]);
                nargs = n + 2;
            } else if (run.function) {
                pushArray(L, argv, first, numkeys);
                pushArray(L, argv, first + numkeys, n - numkeys);
                nargs = 3;
            }
            L.pCall(nargs, 2);
            if (L.toBoolean(-2)) {
                LuaToReply.write(L, c.reply, fake.reply.protocol());
            } else {
                c.reply.error(ScriptErrors.raised(L, run.funcName));
            }
        } catch (LuaException e) {
            c.reply.error("ERR Error running script " + run.funcName + ", " + e.getMessage());
        } finally {
            if (timedOut) {
                timedOut = false;
                engine.log.warning("Slow script detected: script finished after "
                        + (System.nanoTime() - current.startNanos) / 1_000_000 + " milliseconds.");
            }
            current = null;
            L.setTop(0);
            fake.reply.release();
            vm.releaseMemoryIfOver(memoryLimit);
        }
    }

    /**
     * Runs a library's code (on top of vm's stack, compiled) with the load-time API and FUNCTION
     * LOAD's time limit ({@code timeoutMs}, 0 for none). Returns null, or Redis's error text.
     */
    String runLibraryCode(LuaVm vm, long timeoutMs) {
        Lua L = vm.L;
        L.refGet(vm.loadLibraryRef);
        L.insert(-2);
        loadStartNanos = System.nanoTime();
        loadTimeoutMs = timeoutMs;
        try {
            L.pCall(1, 2);
            if (L.toBoolean(-2)) return null;
            if (L.type(-1) == Lua.LuaType.TABLE) return ScriptErrors.fromTable(L, -1);
            return "ERR " + L.toString(-1); // luaExtractErrorInformation on a plain string
        } catch (LuaException e) {
            return "ERR " + e.getMessage();
        } finally {
            loadStartNanos = 0;
            L.setTop(0);
            vm.releaseMemoryIfOver(memoryLimit);
        }
    }

    private void pushArray(Lua L, byte[][] argv, int from, int n) {
        L.createTable(n, 0);
        for (int i = 0; i < n; i++) {
            bytes.push(L, argv[from + i]);
            L.rawSetI(-2, i + 1);
        }
    }

    /** Up to this many keys + args are passed as call arguments; more go through tables (Lua's C stack limit). */
    private static final int INLINE_ARGS = 200;

    private void setArrayGlobal(LuaVm vm, String name, byte[][] argv, int from, int n) {
        Lua L = vm.L;
        L.refGet(vm.setGlobalRef);
        L.push(name);
        L.createTable(n, 0);
        for (int i = 0; i < n; i++) {
            bytes.push(L, argv[from + i]);
            L.rawSetI(-2, i + 1);
        }
        L.pCall(2, 0);
    }

    /** Creates the Lua state if needed; false (with an error reply) when that failed. */
    private boolean stateReady(Client c) {
        try {
            ensureState();
            return true;
        } catch (RuntimeException | LinkageError e) {
            engine.log.warning("Failed to initialize the Lua scripting engine: " + e);
            c.reply.error("ERR Failed to initialize the Lua scripting engine: " + e.getMessage());
            return false;
        }
    }

    private void ensureState() {
        if (vm != null) return;
        vm = newVm();
        L = vm.L;
    }

    /** A new sandboxed Lua state (EVAL's or the functions'), with the script client created once. */
    LuaVm newVm() {
        memoryLimit = Long.getLong("ember.lua-memory-limit", 256L << 20);
        LuaVm v = new LuaVm(this, memoryLimit, resource("sandbox.lua"));
        if (fake == null) {
            fake = new Client(engine.clients.nextId(), engine, new Reply(new HeapAllocator(), engine.stats),
                    new InProcessConnection("", "lua", false), engine.nowMs());
        }
        return v;
    }

    /** Fills sandbox.lua's private __ember table (on top of the stack) with the Java helpers. */
    void registerHelpers(Lua L) {
        L.push(this::random);
        L.setField(-2, "random");
        L.push(l -> {
            rand.seed((int) l.toNumber(1));
            return 0;
        });
        L.setField(-2, "randomseed");
        L.push(this::hook);
        L.setField(-2, "hook");
        L.push(this::rep);
        L.setField(-2, "rep");
        L.push(new RegisterFunction(functions, bytes)::call);
        L.setField(-2, "register_function");
    }

    /**
     * Raises a Lua error from a Java library function the way luaL_error does: the message gets
     * the calling script's "user_script:N: " position. Returns the JFunction result (-1).
     */
    int raise(Lua l, String message) {
        l.setTop(0);
        String where = LuaVm.where(l);
        l.setTop(0);
        l.push(where + message);
        return -1;
    }

    /** string.rep (luaL_checklstring, luaL_checkint, Lua's texts), refusing results past the memory cap. */
    private int rep(Lua l) {
        Lua.LuaType t = l.type(1);
        if (t != Lua.LuaType.STRING && t != Lua.LuaType.NUMBER) {
            return raise(l, "bad argument #1 to 'rep' (string expected, got " + typeName(l, 1) + ")");
        }
        if (!l.isNumber(2)) return raise(l, "bad argument #2 to 'rep' (number expected, got " + typeName(l, 2) + ")");
        byte[] unit = LuaBytes.toBytes(l, 1);
        long n = (int) LuaToReply.cLong(l.toNumber(2)); // luaL_checkint: lua_Integer, then int
        if (n <= 0 || unit.length == 0) {
            l.setTop(0);
            l.push("");
            return 1;
        }
        if ((double) unit.length * n > memoryLimit) {
            l.setTop(0);
            ScriptErrors.push(l, bytes, "Lua memory limit exceeded (" + (Math.max(1, memoryLimit / 1024) * 1024) + " bytes)");
            return -1;
        }
        byte[] out = new byte[(int) (unit.length * n)];
        for (int i = 0; i < n; i++) System.arraycopy(unit, 0, out, i * unit.length, unit.length);
        l.setTop(0);
        bytes.push(l, out);
        return 1;
    }

    static String typeName(Lua l, int i) {
        if (l.isNone(i)) return "no value";
        return switch (l.type(i)) {
            case LIGHTUSERDATA, USERDATA -> "userdata";
            default -> l.type(i).name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** math.random as Redis's redis_math_random: rand48 scaled, with Lua's argument checks. */
    private int random(Lua l) {
        double r = (double) (rand.next() % Integer.MAX_VALUE) / Integer.MAX_VALUE;
        int n = l.getTop();
        if (n == 0) {
            l.push(r);
            return 1;
        }
        if (n > 2) return raise(l, "wrong number of arguments");
        for (int i = 1; i <= n; i++) {
            if (!l.isNumber(i)) {
                String got = l.isNone(i) ? "no value" : l.type(i).name().toLowerCase(java.util.Locale.ROOT);
                return raise(l, "bad argument #" + i + " to 'random' (number expected, got " + got + ")");
            }
        }
        int lo = n == 1 ? 1 : (int) l.toNumber(1);
        int hi = (int) l.toNumber(n);
        if (lo > hi) return raise(l, "bad argument #" + n + " to 'random' (interval is empty)");
        l.push(Math.floor(r * ((double) hi - lo + 1)) + lo);
        return 1;
    }

    /**
     * Called every 100,000 instructions (Redis's luaMaskCountHook): past busy-reply-threshold,
     * answers the other connections (at most every 10 ms); returns an error table to raise once
     * the script was killed, nothing otherwise.
     */
    private int hook(Lua l) {
        if (loadStartNanos != 0) { // FUNCTION LOAD running library code (luaEngineLoadHook)
            if (loadTimeoutMs > 0 && (System.nanoTime() - loadStartNanos) / 1_000_000 > loadTimeoutMs) {
                l.setTop(0);
                ScriptErrors.push(l, bytes, "FUNCTION LOAD timeout");
                return 1;
            }
            return 0;
        }
        ScriptRun run = current;
        if (run == null) return 0;
        long now = System.nanoTime();
        long threshold = engine.config.busyReplyThresholdMs;
        if (!timedOut && threshold > 0 && now - run.startNanos >= threshold * 1_000_000L) {
            timedOut = true;
            engine.log.warning("Slow script detected: still in execution after " + (now - run.startNanos) / 1_000_000
                    + " milliseconds. You can try killing the script using the SCRIPT KILL command. Script name is: "
                    + run.funcName + ".");
        }
        if (timedOut && now - lastPollNanos >= 10_000_000L) {
            lastPollNanos = now;
            pollOtherClients(run.caller);
        }
        if (run.killed) {
            engine.log.warning("Lua script killed by user with SCRIPT KILL.");
            l.setTop(0);
            ScriptErrors.push(l, bytes, "Script killed by user with SCRIPT KILL...");
            return 1;
        }
        return 0;
    }

    /** Redis's processEventsWhileBlocked, for the connections (not the script's caller). */
    private void pollOtherClients(Client caller) {
        engine.runQueuedTasksWhileBusy(); // connections accepted since: registered, then read below
        Client[] clients = engine.clients.all().toArray(new Client[0]);
        for (Client c : clients) {
            if (c != caller && c.conn != null) c.conn.pollWhileBusy();
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = Scripting.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("missing resource " + name, e);
        }
    }

    /** One digest per thread: getInstance costs more than hashing a short script. */
    private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });
    private static final java.util.HexFormat HEX = java.util.HexFormat.of();

    public static String sha1hex(byte[] b) {
        return HEX.formatHex(SHA1.get().digest(b));
    }
}
