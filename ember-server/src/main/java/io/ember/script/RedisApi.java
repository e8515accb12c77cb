package io.ember.script;

import io.ember.client.Client;
import io.ember.command.CommandSpec;
import io.ember.resp.RespReader;
import io.ember.resp.RespValue;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import party.iroiro.luajava.JFunction;
import party.iroiro.luajava.Lua;

/**
 * The `redis` table scripts see (script_lua.c): call/pcall run a command through the dispatcher
 * on the script's own client, as EXEC does for queued commands, and convert its reply.
 */
final class RedisApi {
    static final long VERSION_NUM = 0x07000f; // 7.0.15
    static final int REPL_AOF = 1, REPL_REPLICA = 2, REPL_ALL = 3;

    private final Scripting s;

    RedisApi(Scripting s) {
        this.s = s;
    }

    /** Fills the table on top of the stack. */
    void register(Lua L) {
        fn(L, "call", l -> command(l, true));
        fn(L, "pcall", l -> command(l, false));
        fn(L, "sha1hex", this::sha1hex);
        fn(L, "error_reply", this::errorReply);
        fn(L, "status_reply", this::statusReply);
        fn(L, "log", this::log);
        fn(L, "setresp", this::setresp);
        fn(L, "set_repl", this::setRepl);
        fn(L, "replicate_commands", l -> {
            l.push(true);
            return 1;
        });
        fn(L, "breakpoint", l -> {
            l.push(false);
            return 1;
        });
        fn(L, "debug", l -> 0);
        constant(L, "LOG_DEBUG", 0);
        constant(L, "LOG_VERBOSE", 1);
        constant(L, "LOG_NOTICE", 2);
        constant(L, "LOG_WARNING", 3);
        constant(L, "REPL_NONE", 0);
        constant(L, "REPL_AOF", 1);
        constant(L, "REPL_SLAVE", 2);
        constant(L, "REPL_REPLICA", 2);
        constant(L, "REPL_ALL", 3);
        L.push(io.ember.Version.REDIS_VERSION);
        L.setField(-2, "REDIS_VERSION");
        constant(L, "REDIS_VERSION_NUM", VERSION_NUM);
    }

    private static void fn(Lua L, String name, JFunction f) {
        L.push(f);
        L.setField(-2, name);
    }

    private static void constant(Lua L, String name, long v) {
        L.push((double) v);
        L.setField(-2, name);
    }

    /** redis.call (raise = true) and redis.pcall. */
    private int command(Lua L, boolean raise) {
        ScriptRun run = s.current;
        int argc = L.getTop();
        if (run == null) return fail(L, "redis.call/pcall can only be called inside a script invocation", raise);
        if (argc == 0) return fail(L, "Please specify at least one argument for this redis lib call", raise);
        byte[][] argv = new byte[argc][];
        for (int i = 1; i <= argc; i++) {
            Lua.LuaType t = L.type(i);
            if (t != Lua.LuaType.STRING && t != Lua.LuaType.NUMBER) {
                return fail(L, "Lua redis lib command arguments must be strings or integers", raise);
            }
            // numbers become "%.17g" text, as luaArgsToRedisArgv formats them
            argv[i - 1] = t == Lua.LuaType.NUMBER ? io.ember.util.Doubles.format17g(L.toNumber(i)) : LuaBytes.toBytes(L, i);
        }
        CommandSpec cmd = s.engine.commands.lookup(argv, argc);
        if (cmd == null) return fail(L, "Unknown Redis command called from script", raise);
        if (!cmd.arityOk(argc)) return fail(L, "Wrong number of args calling Redis command from script", raise);
        if (cmd.has(CommandSpec.NOSCRIPT)) return fail(L, "This Redis command is not allowed from script", raise);
        if (cmd.has(CommandSpec.WRITE)) {
            if (run.readOnly) return fail(L, "Write commands are not allowed from read-only scripts.", raise);
            if (s.engine.persistence.writesDenied()) return fail(L, "-" + io.ember.persist.Persistence.MISCONF, raise);
        }
        if (!run.allowOom && run.oomAtStart && !run.writeDirty && cmd.has(CommandSpec.DENYOOM)) {
            return fail(L, "-OOM command not allowed when used memory > 'maxmemory'.", raise);
        }
        if (cmd.has(CommandSpec.WRITE)) run.writeDirty = true;

        Client fake = s.fake;
        fake.lastCommand = cmd;
        var propagation = s.engine.propagation;
        int mark = propagation.mark();
        s.engine.dispatcher.call(fake, cmd, argv, argc);
        // redis.set_repl without REPL_AOF: the command stays out of the AOF (Redis's call flags).
        if ((run.replFlags & REPL_AOF) == 0) propagation.discardFrom(mark);
        // A read-only command run by a script makes its caller track keys (call(): server.script_caller).
        // Redis 7.0 tracks the keys the caller's EVAL/FCALL declared, not those the command read:
        // trackingRememberKeys(caller) takes them from the caller's own command (checked against 7.0.15).
        // The caller's EVAL/FCALL is its lastCommand (set by the dispatcher and by EXEC).
        if (run.caller.tracking != null && cmd.has(CommandSpec.READONLY) && run.caller.lastCommand != null) {
            s.engine.tracking.rememberKeys(run.caller, run.caller.lastCommand, run.argv, run.argc);
        }
        RespValue reply = takeReply(fake);
        L.setTop(0);
        ReplyToLua.push(L, s.bytes, reply, fake.reply.resp3());
        if (raise && reply instanceof RespValue.Error) return -1;
        return 1;
    }

    private static RespValue takeReply(Client fake) {
        ByteBuf out = fake.reply.takeOutput();
        if (out == null) return new RespValue.Null();
        try {
            if (out.hasArray()) return new RespReader(out.array(), out.arrayOffset() + out.readerIndex(), out.readableBytes()).read();
            byte[] bytes = new byte[out.readableBytes()];
            out.readBytes(bytes);
            return new RespReader(bytes).read();
        } finally {
            out.release();
        }
    }

    /** Pushes Redis's error table; raises it (redis.call) or returns it (redis.pcall). */
    private int fail(Lua L, String message, boolean raise) {
        L.setTop(0);
        ScriptErrors.push(L, s.bytes, message);
        return raise ? -1 : 1;
    }

    private int sha1hex(Lua L) {
        if (L.getTop() != 1) return luaError(L, "wrong number of arguments");
        byte[] b = LuaBytes.toBytes(L, 1);
        L.push(Scripting.sha1hex(b == null ? new byte[0] : b));
        return 1;
    }

    private int errorReply(Lua L) {
        if (L.getTop() != 1 || L.type(-1) != Lua.LuaType.STRING) {
            return returnError(L, "wrong number or type of arguments");
        }
        String e = new String(LuaBytes.toBytes(L, 1), StandardCharsets.ISO_8859_1);
        L.setTop(0);
        ScriptErrors.push(L, s.bytes, e.startsWith("-") ? e : "-" + e);
        return 1;
    }

    private int statusReply(Lua L) {
        if (L.getTop() != 1 || L.type(-1) != Lua.LuaType.STRING) {
            return returnError(L, "wrong number or type of arguments");
        }
        byte[] v = LuaBytes.toBytes(L, 1);
        L.setTop(0);
        L.createTable(0, 1);
        s.bytes.push(L, v);
        L.setField(-2, "ok");
        return 1;
    }

    private int log(Lua L) {
        int argc = L.getTop();
        if (argc < 2) return luaError(L, "redis.log() requires two arguments or more.");
        if (L.type(1) != Lua.LuaType.NUMBER) return luaError(L, "First argument must be a number (log level).");
        int level = (int) L.toNumber(1);
        if (level < 0 || level > 3) return luaError(L, "Invalid debug level.");
        StringBuilder msg = new StringBuilder();
        for (int i = 2; i <= argc; i++) {
            byte[] b = LuaBytes.toBytes(L, i);
            if (b == null) continue;
            if (i > 2) msg.append(' ');
            msg.append(new String(b, StandardCharsets.UTF_8));
        }
        switch (level) {
            case 0 -> s.engine.log.debug(msg.toString());
            case 1 -> s.engine.log.verbose(msg.toString());
            case 2 -> s.engine.log.notice(msg.toString());
            default -> s.engine.log.warning(msg.toString());
        }
        return 0;
    }

    private int setresp(Lua L) {
        if (L.getTop() != 1) return luaError(L, "redis.setresp() requires one argument.");
        int resp = (int) L.toNumber(1);
        if (resp != 2 && resp != 3) return luaError(L, "RESP version must be 2 or 3.");
        s.fake.reply.setProtocol(resp);
        return 0;
    }

    private int setRepl(Lua L) {
        if (s.current == null) return luaError(L, "redis.set_repl can only be called inside a script invocation");
        if (L.getTop() != 1) return luaError(L, "redis.set_repl() requires two arguments.");
        int flags = (int) L.toNumber(1);
        if ((flags & ~3) != 0) {
            return luaError(L, "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
        }
        s.current.replFlags = flags;
        return 0;
    }

    /** luaPushError + return: the error table is the function's result. */
    private int returnError(Lua L, String msg) {
        L.setTop(0);
        ScriptErrors.push(L, s.bytes, msg);
        return 1;
    }

    /** luaPushError + luaError: raises {err="ERR msg"}. */
    private int luaError(Lua L, String msg) {
        L.setTop(0);
        ScriptErrors.push(L, s.bytes, msg);
        return -1;
    }
}
