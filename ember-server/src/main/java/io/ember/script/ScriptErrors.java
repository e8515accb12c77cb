package io.ember.script;

import java.nio.charset.StandardCharsets;
import party.iroiro.luajava.Lua;

/** Redis's error tables ({err=..., source=..., line=...}) and the texts built from them. */
final class ScriptErrors {
    private ScriptErrors() {}

    /** The err field of the error table at the top of the stack (the reply of `return {err=...}`). */
    static String fromTable(Lua L, int idx) {
        byte[] err = LuaToReply.stringField(L, "err");
        return err == null ? "" : new String(err, StandardCharsets.ISO_8859_1);
    }

    /**
     * The reply of a script that raised an error: "msg script: sha, on @user_script:N." when the
     * error handler recorded where it happened (luaCallFunction).
     */
    static String raised(Lua L, String funcName) {
        if (L.type(-1) != Lua.LuaType.TABLE) {
            return "ERR Error running script " + funcName + ", " + L.toString(-1);
        }
        byte[] err = LuaToReply.stringField(L, "err");
        byte[] source = LuaToReply.stringField(L, "source");
        L.push("line");
        L.rawGet(-2);
        String line = L.type(-1) == Lua.LuaType.NUMBER || L.type(-1) == Lua.LuaType.STRING ? L.toString(-1) : null;
        L.pop(1);
        String msg = err == null ? "" : new String(err, StandardCharsets.ISO_8859_1);
        if (source != null && line != null) {
            return msg + " script: " + funcName + ", on " + new String(source, StandardCharsets.ISO_8859_1) + ":" + line + ".";
        }
        return msg;
    }

    /**
     * Pushes Redis's error table for a message (luaPushErrorBuff): "-CODE text" keeps its code,
     * anything else gets ERR; trailing CR/LF removed.
     */
    static void push(Lua L, LuaBytes bytes, String message) {
        String code;
        String msg;
        if (message.startsWith("-")) {
            int sp = message.indexOf(' ');
            if (sp < 0) {
                code = "ERR";
                msg = message.substring(1);
            } else {
                code = message.substring(1, sp);
                msg = message.substring(sp + 1);
            }
        } else {
            code = "ERR";
            msg = message;
        }
        msg = trimCrlf(msg);
        L.createTable(0, 1);
        bytes.push(L, (code + " " + msg).getBytes(StandardCharsets.ISO_8859_1));
        L.setField(-2, "err");
    }

    private static String trimCrlf(String s) {
        int a = 0, b = s.length();
        while (a < b && (s.charAt(a) == '\r' || s.charAt(a) == '\n')) a++;
        while (b > a && (s.charAt(b - 1) == '\r' || s.charAt(b - 1) == '\n')) b--;
        return s.substring(a, b);
    }
}
