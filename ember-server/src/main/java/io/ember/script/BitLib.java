package io.ember.script;

import party.iroiro.luajava.Lua;

/**
 * The `bit` library (LuaBitOp 1.0.2, which Redis bundles): 32-bit operations on numbers, results
 * as signed 32-bit integers, arguments normalised the way LuaBitOp does (add 2^52+2^51 and keep
 * the low 32 bits, i.e. round to nearest, wrap modulo 2^32).
 */
final class BitLib {
    private BitLib() {}

    interface Op {
        int apply(int a, int b);
    }

    static void register(Lua L, Scripting s) {
        L.createTable(0, 12);
        Libraries.function(L, s, "tobit", l -> ret(l, arg(l, 1, "tobit")));
        Libraries.function(L, s, "bnot", l -> ret(l, ~arg(l, 1, "bnot")));
        fold(L, s, "band", (a, b) -> a & b);
        fold(L, s, "bor", (a, b) -> a | b);
        fold(L, s, "bxor", (a, b) -> a ^ b);
        shift(L, s, "lshift", (a, n) -> a << n);
        shift(L, s, "rshift", (a, n) -> a >>> n);
        shift(L, s, "arshift", (a, n) -> a >> n);
        shift(L, s, "rol", Integer::rotateLeft);
        shift(L, s, "ror", Integer::rotateRight);
        Libraries.function(L, s, "bswap", l -> ret(l, Integer.reverseBytes(arg(l, 1, "bswap"))));
        Libraries.function(L, s, "tohex", BitLib::tohex);
        L.setGlobal("bit");
    }

    private static void fold(Lua L, Scripting s, String name, Op op) {
        Libraries.function(L, s, name, l -> {
            int v = arg(l, 1, name);
            int n = l.getTop();
            for (int i = 2; i <= n; i++) v = op.apply(v, arg(l, i, name));
            return ret(l, v);
        });
    }

    private static void shift(Lua L, Scripting s, String name, Op op) {
        Libraries.function(L, s, name, l -> ret(l, op.apply(arg(l, 1, name), arg(l, 2, name) & 31)));
    }

    private static int tohex(Lua l) {
        int b = arg(l, 1, "tohex");
        int n = l.isNoneOrNil(2) ? 8 : arg(l, 2, "tohex");
        boolean upper = false;
        if (n < 0) {
            n = -n;
            upper = true;
        }
        if (n > 8) n = 8;
        char[] out = new char[n];
        String digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
        for (int i = n - 1; i >= 0; i--) {
            out[i] = digits.charAt(b & 15);
            b >>>= 4;
        }
        l.push(new String(out));
        return 1;
    }

    private static int ret(Lua l, int v) {
        l.push((double) v);
        return 1;
    }

    /** luaL_checknumber + LuaBitOp's barg; raises Lua's "bad argument" error when not a number. */
    private static int arg(Lua l, int i, String fname) {
        if (!l.isNumber(i)) {
            String got = l.isNone(i) ? "no value" : l.type(i).name().toLowerCase(java.util.Locale.ROOT);
            throw new Libraries.LuaError("bad argument #" + i + " to '" + fname + "' (number expected, got " + got + ")");
        }
        double d = l.toNumber(i) + 6755399441055744.0;
        return (int) Double.doubleToRawLongBits(d);
    }

}
