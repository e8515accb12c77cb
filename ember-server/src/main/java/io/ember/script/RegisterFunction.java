package io.ember.script;

import io.ember.util.Bytes;
import java.util.Locale;
import party.iroiro.luajava.Lua;

/**
 * redis.register_function, available only while FUNCTION LOAD runs a library's code
 * (function_lua.c's luaRegisterFunction): the positional form (name, callback) and the named
 * form {function_name=, callback=, flags=, description=}, with Redis's error texts. The callback
 * is kept in the Lua registry; the function joins the library being loaded.
 */
final class RegisterFunction {
    private final Functions functions;
    private final LuaBytes bytes;

    RegisterFunction(Functions functions, LuaBytes bytes) {
        this.functions = functions;
        this.bytes = bytes;
    }

    /** redis.register_function(name, callback) or redis.register_function{function_name=..., callback=..., ...}. */
    int call(Lua l) {
        Functions.Library li = functions.loading();
        if (li == null) return fail(l, "redis.register_function can only be called on FUNCTION LOAD command", -1);
        int argc = l.getTop();
        if (argc < 1 || argc > 2) return fail(l, "wrong number of arguments to redis.register_function", -1);
        String name = null;
        byte[] desc = null;
        int flags = 0;
        int ref = -1;
        if (argc == 1) {
            if (l.type(1) != Lua.LuaType.TABLE) {
                return fail(l, "calling redis.register_function with a single argument is only applicable to Lua table "
                        + "(representing named arguments).", ref);
            }
            l.pushNil();
            while (l.next(1) != 0) {
                if (!l.isString(-2)) return fail(l, "named argument key given to redis.register_function is not a string", ref);
                l.pushValue(-2); // a copy: lua_tostring would turn a number key into a string and break next
                String k = Bytes.latin1(LuaBytes.toBytes(l, -1));
                l.pop(1);
                switch (k.toLowerCase(Locale.ROOT)) {
                    case "function_name" -> {
                        if (!l.isString(-1)) {
                            return fail(l, "function_name argument given to redis.register_function must be a string", ref);
                        }
                        name = Bytes.latin1(LuaBytes.toBytes(l, -1));
                    }
                    case "description" -> {
                        if (!l.isString(-1)) {
                            return fail(l, "description argument given to redis.register_function must be a string", ref);
                        }
                        desc = LuaBytes.toBytes(l, -1);
                    }
                    case "callback" -> {
                        if (!l.isFunction(-1)) {
                            return fail(l, "callback argument given to redis.register_function must be a function", ref);
                        }
                        if (ref != -1) l.unref(ref);
                        l.pushValue(-1);
                        ref = l.ref();
                    }
                    case "flags" -> {
                        if (l.type(-1) != Lua.LuaType.TABLE) {
                            return fail(l, "flags argument to redis.register_function must be a table representing "
                                    + "function flags", ref);
                        }
                        flags = readFlags(l);
                        if (flags < 0) return fail(l, "unknown flag given", ref);
                    }
                    default -> {
                        return fail(l, "unknown argument given to redis.register_function", ref);
                    }
                }
                l.pop(1);
            }
            if (name == null) return fail(l, "redis.register_function must get a function name argument", ref);
            if (ref == -1) return fail(l, "redis.register_function must get a callback argument", ref);
        } else {
            if (!l.isString(1)) return fail(l, "first argument to redis.register_function must be a string", ref);
            if (!l.isFunction(2)) return fail(l, "second argument to redis.register_function must be a function", ref);
            name = Bytes.latin1(LuaBytes.toBytes(l, 1));
            l.pushValue(2);
            ref = l.ref();
        }
        // functionLibCreateFunction. Unlike Redis, names differing only in case are refused within
        // one library too (Redis accepts them and then fails an assertion when linking the library).
        if (!Functions.validName(name)) return fail(l, Functions.INVALID_NAME, ref);
        for (String existing : li.functions.keySet()) {
            if (existing.equalsIgnoreCase(name)) return fail(l, "Function already exists in the library", ref);
        }
        li.functions.put(name, new Functions.Function(name, desc, flags, ref));
        l.setTop(0);
        return 0;
    }

    /** The flags table (luaRegisterFunctionReadFlags): -1 on a non-string or unknown flag. */
    private static int readFlags(Lua l) {
        int flags = 0;
        for (int j = 1; ; j++) {
            l.push(j);
            l.getTable(-2);
            if (l.type(-1) == Lua.LuaType.NIL) {
                l.pop(1);
                return flags;
            }
            if (!l.isString(-1)) {
                l.pop(1);
                return -1;
            }
            int f = Shebang.flag(Bytes.latin1(LuaBytes.toBytes(l, -1)), true);
            l.pop(1);
            if (f == 0) return -1;
            flags |= f;
        }
    }

    /** Raises Redis's error table for {@code message}, releasing a callback already referenced. */
    private int fail(Lua l, String message, int ref) {
        if (ref != -1) l.unref(ref);
        l.setTop(0);
        ScriptErrors.push(l, bytes, message);
        return -1;
    }
}
