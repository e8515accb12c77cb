package io.ember.script;

import java.nio.ByteBuffer;
import party.iroiro.luajava.Lua;
import party.iroiro.luajava.LuaException;
import party.iroiro.luajava.lua51.Lua51;
import party.iroiro.luajava.lua51.Lua51Natives;

/**
 * One sandboxed Lua state: the standard libraries, the `redis` API, cjson/cmsgpack/bit/struct and
 * sandbox.lua's environment and runners. Redis keeps two (eval.c's for EVAL, function_lua.c's for
 * functions) and so does Ember: {@link Scripting} creates both from here, sharing the Java side
 * (API, libraries, hook, random stream).
 */
final class LuaVm {
    final Lua L;
    /** Helpers returned by sandbox.lua, as registry references (see the end of sandbox.lua). */
    final int prepareRef, runRef, setGlobalRef, memoryResetRef, callFunctionRef, loadLibraryRef;

    /** Registry table holding sandbox.lua's where() at [1], for errors raised from Java (luaL_where). */
    private static final String WHERE = "ember.where";

    LuaVm(Scripting s, long memoryLimit, byte[] sandbox) {
        L = new Lua51();
        try {
            for (String lib : new String[] {"base", "table", "string", "math", "debug"}) L.openLibrary(lib);
            L.createTable(0, 32);
            new RedisApi(s).register(L);
            L.setGlobal("redis");
            Libraries.register(L, s);
            L.createTable(0, 8);
            s.registerHelpers(L);
            L.push(l -> {
                l.newRegisteredMetatable(WHERE);
                l.pushValue(1);
                l.rawSetI(-2, 1);
                l.setTop(0);
                return 0;
            });
            L.setField(-2, "set_where");
            L.push((double) Math.max(1, memoryLimit / 1024));
            L.setField(-2, "memory_limit_kb");
            L.setGlobal("__ember");
            ByteBuffer b = ByteBuffer.allocateDirect(sandbox.length);
            b.put(sandbox).flip();
            L.load(b, "=sandbox");
            L.pCall(0, 6);
            loadLibraryRef = L.ref();
            callFunctionRef = L.ref();
            memoryResetRef = L.ref();
            setGlobalRef = L.ref();
            runRef = L.ref();
            prepareRef = L.ref();
        } catch (RuntimeException | LinkageError e) {
            L.close();
            throw e;
        }
    }

    /**
     * Compiles {@code code} under {@code chunkName} and gives it the sandbox environment: leaves the
     * function on the stack, or throws LuaException with Lua's message (stack emptied).
     */
    void compile(byte[] code, int from, String chunkName) throws LuaException {
        ByteBuffer buf = ByteBuffer.allocateDirect(Math.max(1, code.length - from));
        buf.put(code, from, code.length - from).flip();
        try {
            L.load(buf, chunkName);
        } catch (LuaException e) {
            L.setTop(0);
            throw e;
        }
        L.refGet(prepareRef);
        L.insert(-2);
        L.pCall(1, 1);
    }

    /** luaL_where for a Java function called by a script: "user_script:N: " or "". */
    static String where(Lua l) {
        l.getRegisteredMetatable(WHERE);
        l.rawGetI(-1, 1);
        l.pCall(0, 1);
        String w = l.toString(-1);
        l.pop(2);
        return w == null ? "" : w;
    }

    /** The Lua heap in bytes (lua_gc LUA_GCCOUNT / COUNTB, as Redis's luaMemory). */
    long memory() {
        Lua51Natives n = (Lua51Natives) L.getLuaNatives();
        return (long) n.lua_gc(L.getPointer(), 3 /* LUA_GCCOUNT */, 0) * 1024
                + n.lua_gc(L.getPointer(), 4 /* LUA_GCCOUNTB */, 0);
    }

    /** After a script that went past the memory cap: collect everything now and clear the flag. */
    void releaseMemoryIfOver(long memoryLimit) {
        if (memory() <= memoryLimit / 2) return;
        ((Lua51Natives) L.getLuaNatives()).lua_gc(L.getPointer(), 2 /* LUA_GCCOLLECT */, 0);
        L.refGet(memoryResetRef);
        L.pCall(0, 0);
    }

    void close() {
        L.close();
    }
}
