package io.ember.script;

import party.iroiro.luajava.Lua;

/** The C libraries Redis links into its Lua (bit, cjson, ...), implemented in Java. */
final class Libraries {
    private Libraries() {}

    static void register(Lua L, Scripting s) {
        BitLib.register(L, s);
        CjsonLib.register(L, s);
        StructLib.register(L, s);
        CmsgpackLib.register(L, s);
    }
}
