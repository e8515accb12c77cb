package io.ember.script;

import party.iroiro.luajava.JFunction;
import party.iroiro.luajava.Lua;

/** The C libraries Redis links into its Lua (bit, cjson, ...), implemented in Java. */
final class Libraries {
    private Libraries() {}

    /** A library function's error (luaL_error's message), raised into Lua by {@link #function}. */
    static final class LuaError extends RuntimeException {
        LuaError(String m) {
            super(m, null, false, false);
        }
    }

    /** Sets field {@code name} of the table on top of the stack to f, turning a LuaError into a Lua error. */
    static void function(Lua L, Scripting s, String name, JFunction f) {
        L.push((JFunction) l -> {
            try {
                return f.__call(l);
            } catch (LuaError e) {
                return s.raise(l, e.getMessage());
            }
        });
        L.setField(-2, name);
    }

    static void register(Lua L, Scripting s) {
        BitLib.register(L, s);
        CjsonLib.register(L, s);
        StructLib.register(L, s);
        CmsgpackLib.register(L, s);
    }
}
