package io.ember.script;

import io.ember.resp.Reply;
import io.ember.util.Bytes;
import io.ember.util.Doubles;
import java.nio.charset.StandardCharsets;
import party.iroiro.luajava.Lua;

/**
 * The value on top of the Lua stack as the script's reply, by Redis's rules
 * (luaReplyToRedisReply): string → bulk, number → integer (truncated), true → 1 (RESP3 script:
 * #t), false → null (RESP3 script: #f), table with err → error, ok → status, double, big_number,
 * map, set, verbatim_string → their RESP3 types; any other table → array up to the first nil.
 * Pops the value.
 */
final class LuaToReply {
    private LuaToReply() {}

    /**
     * @param scriptResp the protocol the script selected with redis.setresp (booleans depend on it)
     */
    static void write(Lua L, Reply r, int scriptResp) {
        L.checkStack(4);
        switch (L.type(-1)) {
            case STRING -> r.bulk(LuaBytes.toBytes(L, -1));
            case NUMBER -> r.integer(cLong(L.toNumber(-1)));
            case BOOLEAN -> {
                boolean b = L.toBoolean(-1);
                if (scriptResp == 2) {
                    if (b) r.integer(1);
                    else r.nullBulk();
                } else {
                    r.bool(b);
                }
            }
            case TABLE -> table(L, r, scriptResp);
            default -> r.nullBulk();
        }
        L.pop(1);
    }

    private static void table(Lua L, Reply r, int scriptResp) {
        byte[] s = stringField(L, "err");
        if (s != null) {
            r.error(ScriptErrors.fromTable(L, -1));
            return;
        }
        s = stringField(L, "ok");
        if (s != null) {
            r.simple(sanitize(cString(s)));
            return;
        }
        L.push("double");
        L.rawGet(-2);
        if (L.type(-1) == Lua.LuaType.NUMBER) {
            double d = L.toNumber(-1);
            L.pop(1);
            r.doubleFormatted(Doubles.format17g(d));
            return;
        }
        L.pop(1);
        s = stringField(L, "big_number");
        if (s != null) {
            r.bigNumber(new String(sanitize(s), StandardCharsets.ISO_8859_1));
            return;
        }
        if (tableField(L, "map")) {
            int handle = r.deferLength();
            long n = 0;
            L.pushNil();
            while (L.next(-2) != 0) {
                L.pushValue(-2); // key copy: conversion pops it
                write(L, r, scriptResp);
                write(L, r, scriptResp);
                n++;
            }
            L.pop(1);
            r.setDeferredMap(handle, n);
            return;
        }
        if (tableField(L, "set")) {
            int handle = r.deferLength();
            long n = 0;
            L.pushNil();
            while (L.next(-2) != 0) {
                L.pop(1);
                L.pushValue(-1);
                write(L, r, scriptResp);
                n++;
            }
            L.pop(1);
            r.setDeferredSet(handle, n);
            return;
        }
        if (tableField(L, "verbatim_string")) {
            byte[] format = stringField(L, "format");
            byte[] text = stringField(L, "string");
            L.pop(1);
            if (format != null && text != null) {
                r.verbatim(new String(text, StandardCharsets.UTF_8));
                return;
            }
        }
        int handle = r.deferLength();
        long n = 0;
        for (int j = 1; ; j++) {
            L.rawGetI(-1, j);
            if (L.type(-1) == Lua.LuaType.NIL) {
                L.pop(1);
                break;
            }
            write(L, r, scriptResp);
            n++;
        }
        r.setDeferredArray(handle, n);
    }

    /** C's (long long) cast on x86-64: out of range and NaN give LLONG_MIN (Java would saturate). */
    static long cLong(double d) {
        if (d != d || d >= 9.223372036854775807E18 || d < -9.223372036854775808E18) return Long.MIN_VALUE;
        return (long) d;
    }

    /** t[name] when it is a string (rawget, as Redis), else null; leaves the stack as it was. */
    static byte[] stringField(Lua L, String name) {
        L.push(name);
        L.rawGet(-2);
        byte[] v = L.type(-1) == Lua.LuaType.STRING ? LuaBytes.toBytes(L, -1) : null;
        L.pop(1);
        return v;
    }

    /** Pushes t[name] and returns true when it is a table; leaves the stack as it was otherwise. */
    private static boolean tableField(Lua L, String name) {
        L.push(name);
        L.rawGet(-2);
        if (L.type(-1) == Lua.LuaType.TABLE) return true;
        L.pop(1);
        return false;
    }

    /** Status and big-number texts: CR and LF become spaces (sdsmapchars). */
    static byte[] sanitize(byte[] s) {
        for (int i = 0; i < s.length; i++) {
            if (s[i] == '\r' || s[i] == '\n') s[i] = ' ';
        }
        return s;
    }

    /** Up to the first NUL, as C strings are read. */
    static byte[] cString(byte[] s) {
        for (int i = 0; i < s.length; i++) {
            if (s[i] == 0) return java.util.Arrays.copyOf(s, i);
        }
        return s;
    }
}
