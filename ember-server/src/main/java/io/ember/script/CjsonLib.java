package io.ember.script;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import party.iroiro.luajava.Lua;
import party.iroiro.luajava.lua51.Lua51Natives;

/**
 * The `cjson` library as Redis bundles it (lua_cjson 2.1.0, default settings): numbers encoded
 * with Lua's own "%.14g" conversion, '/' escaped, empty tables as {}, arrays when every key is a
 * positive integer and the array is not excessively sparse, cjson.null a NULL lightuserdata.
 * Tables are walked with lua_next, so object member order is the Lua table's, as in Redis.
 */
final class CjsonLib {
    private static final int MAX_DEPTH = 1000;
    private static final String[] TOKEN_NAMES = {"T_OBJ_BEGIN", "T_OBJ_END", "T_ARR_BEGIN", "T_ARR_END", "T_STRING",
        "T_NUMBER", "T_BOOLEAN", "T_NULL", "T_COLON", "T_COMMA", "T_END", "T_WHITESPACE", "T_ERROR", "T_UNKNOWN"};

    private final Scripting s;

    private CjsonLib(Scripting s) {
        this.s = s;
    }

    static void register(Lua L, Scripting s) {
        CjsonLib lib = new CjsonLib(s);
        L.createTable(0, 4);
        Libraries.function(L, s, "encode", lib::encode);
        Libraries.function(L, s, "decode", lib::decode);
        pushNull(L);
        L.setField(-2, "null");
        L.push("cjson");
        L.setField(-2, "_NAME");
        L.push("2.1.0");
        L.setField(-2, "_VERSION");
        L.setGlobal("cjson");
    }

    private static void pushNull(Lua L) {
        ((Lua51Natives) L.getLuaNatives()).lua_pushlightuserdata(L.getPointer(), 0);
    }

    // ---- encode ---------------------------------------------------------------------------

    private int encode(Lua L) {
        if (L.getTop() != 1) throw new Libraries.LuaError("bad argument #1 to 'encode' (expected 1 argument)");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        encodeValue(L, 1, out, 0);
        byte[] b = out.toByteArray();
        L.setTop(0);
        s.bytes.push(L, b);
        return 1;
    }

    private void encodeValue(Lua L, int idx, ByteArrayOutputStream out, int depth) {
        switch (L.type(idx)) {
            case STRING -> encodeString(LuaBytes.toBytes(L, idx), out);
            case NUMBER -> encodeNumber(L, idx, out);
            case BOOLEAN -> out.writeBytes(L.toBoolean(idx) ? TRUE : FALSE);
            case NIL -> out.writeBytes(NULL);
            case TABLE -> encodeTable(L, idx, out, depth + 1);
            case LIGHTUSERDATA -> {
                if (isNullPointer(L, idx)) out.writeBytes(NULL);
                else throw unsupported(L, idx);
            }
            default -> throw unsupported(L, idx);
        }
    }

    private static boolean isNullPointer(Lua L, int idx) {
        pushNull(L);
        boolean eq = L.rawEqual(idx < 0 ? idx - 1 : idx, -1);
        L.pop(1);
        return eq;
    }

    private static Libraries.LuaError unsupported(Lua L, int idx) {
        return new Libraries.LuaError("Cannot serialise " + typeName(L, idx) + ": type not supported");
    }

    private static String typeName(Lua L, int idx) {
        return switch (L.type(idx)) {
            case LIGHTUSERDATA, USERDATA -> "userdata";
            default -> L.type(idx).name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static void encodeNumber(Lua L, int idx, ByteArrayOutputStream out) {
        double d = L.toNumber(idx);
        if (Double.isNaN(d) || Double.isInfinite(d)) throw new Libraries.LuaError("Cannot serialise number: must not be NaN or Inf");
        L.pushValue(idx);
        out.writeBytes(L.toString(-1).getBytes(StandardCharsets.ISO_8859_1)); // lua_tostring: "%.14g"
        L.pop(1);
    }

    private void encodeTable(Lua L, int idx, ByteArrayOutputStream out, int depth) {
        if (depth > MAX_DEPTH) throw new Libraries.LuaError("Cannot serialise, excessive nesting (" + depth + ")");
        int t = idx < 0 ? L.getTop() + idx + 1 : idx;
        L.checkStack(6);
        int len = arrayLength(L, t);
        if (len >= 0) {
            out.write('[');
            for (int i = 1; i <= len; i++) {
                if (i > 1) out.write(',');
                L.rawGetI(t, i);
                encodeValue(L, L.getTop(), out, depth);
                L.pop(1);
            }
            out.write(']');
            return;
        }
        out.write('{');
        boolean first = true;
        L.pushNil();
        while (L.next(t) != 0) {
            if (!first) out.write(',');
            first = false;
            int key = L.getTop() - 1;
            switch (L.type(key)) {
                case STRING -> encodeString(LuaBytes.toBytes(L, key), out);
                case NUMBER -> {
                    out.write('"');
                    encodeNumber(L, key, out);
                    out.write('"');
                }
                default -> throw new Libraries.LuaError("Cannot serialise " + typeName(L, key) + ": table key must be a number or string");
            }
            out.write(':');
            encodeValue(L, L.getTop(), out, depth);
            L.pop(1);
        }
        out.write('}');
    }

    /** lua_array_length: the array size, or -1 when the table must be an object (or is empty). */
    private static int arrayLength(Lua L, int t) {
        double max = 0;
        int items = 0;
        L.pushNil();
        while (L.next(t) != 0) {
            if (L.type(-2) == Lua.LuaType.NUMBER) {
                double k = L.toNumber(-2);
                if (Math.floor(k) == k && k >= 1) {
                    if (k > max) max = k;
                    items++;
                    L.pop(1);
                    continue;
                }
            }
            L.pop(2);
            return -1;
        }
        // encode_sparse_array defaults: convert=0, ratio=2, safe=10
        if (max > 10 && max > items * 2.0) {
            throw new Libraries.LuaError("Cannot serialise table: excessively sparse array");
        }
        return items == 0 ? -1 : (int) max;
    }

    private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

    private static void encodeString(byte[] b, ByteArrayOutputStream out) {
        out.write('"');
        for (byte x : b) {
            int c = x & 0xff;
            switch (c) {
                case '"' -> out.writeBytes(new byte[] {'\\', '"'});
                case '\\' -> out.writeBytes(new byte[] {'\\', '\\'});
                case '/' -> out.writeBytes(new byte[] {'\\', '/'});
                case '\b' -> out.writeBytes(new byte[] {'\\', 'b'});
                case '\f' -> out.writeBytes(new byte[] {'\\', 'f'});
                case '\n' -> out.writeBytes(new byte[] {'\\', 'n'});
                case '\r' -> out.writeBytes(new byte[] {'\\', 'r'});
                case '\t' -> out.writeBytes(new byte[] {'\\', 't'});
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.writeBytes(String.format("\\u%04x", c).getBytes(StandardCharsets.US_ASCII));
                    } else {
                        out.write(c);
                    }
                }
            }
        }
        out.write('"');
    }

    // ---- decode ---------------------------------------------------------------------------

    private int decode(Lua L) {
        if (L.getTop() != 1) throw new Libraries.LuaError("bad argument #1 to 'decode' (expected 1 argument)");
        if (L.type(1) != Lua.LuaType.STRING && L.type(1) != Lua.LuaType.NUMBER) {
            throw new Libraries.LuaError("bad argument #1 to 'decode' (string expected, got " + typeName(L, 1) + ")");
        }
        byte[] json = LuaBytes.toBytes(L, 1);
        L.setTop(0);
        Parser p = new Parser(L, json);
        p.next();
        p.value(0);
        p.next();
        if (p.tok != T_END) p.fail("the end");
        return 1;
    }

    private static final int T_OBJ_BEGIN = 0, T_OBJ_END = 1, T_ARR_BEGIN = 2, T_ARR_END = 3, T_STRING = 4,
            T_NUMBER = 5, T_BOOLEAN = 6, T_NULL = 7, T_COLON = 8, T_COMMA = 9, T_END = 10, T_ERROR = 12;

    /** lua_cjson's tokenizer and recursive parser, with its error texts. */
    private final class Parser {
        final Lua L;
        final byte[] b;
        int pos;
        int tok, tokIndex;
        String errorText;
        byte[] str;
        double num;
        boolean bool;

        Parser(Lua L, byte[] b) {
            this.L = L;
            this.b = b;
        }

        void fail(String expected) {
            String found = tok == T_ERROR ? errorText : TOKEN_NAMES[tok];
            throw new Libraries.LuaError("Expected " + expected + " but found " + found + " at character " + (tokIndex + 1));
        }

        void value(int depth) {
            switch (tok) {
                case T_STRING -> s.bytes.push(L, str);
                case T_NUMBER -> L.push(num);
                case T_BOOLEAN -> L.push(bool);
                case T_NULL -> pushNull(L);
                case T_OBJ_BEGIN -> object(depth + 1);
                case T_ARR_BEGIN -> array(depth + 1);
                default -> fail("value");
            }
        }

        void checkDepth(int depth) {
            if (depth > MAX_DEPTH) {
                throw new Libraries.LuaError("Found too many nested data structures (" + depth + ") at character " + (tokIndex + 1));
            }
            L.checkStack(4);
        }

        void object(int depth) {
            checkDepth(depth);
            L.newTable();
            next();
            if (tok == T_OBJ_END) return;
            while (true) {
                if (tok != T_STRING) fail("object key string");
                s.bytes.push(L, str);
                next();
                if (tok != T_COLON) fail("colon");
                next();
                value(depth);
                L.rawSet(-3);
                next();
                if (tok == T_OBJ_END) return;
                if (tok != T_COMMA) fail("comma or object end");
                next();
            }
        }

        void array(int depth) {
            checkDepth(depth);
            L.newTable();
            next();
            if (tok == T_ARR_END) return;
            for (int i = 1; ; i++) {
                value(depth);
                L.rawSetI(-2, i);
                next();
                if (tok == T_ARR_END) return;
                if (tok != T_COMMA) fail("comma or array end");
                next();
            }
        }

        void next() {
            while (pos < b.length && (b[pos] == ' ' || b[pos] == '\t' || b[pos] == '\n' || b[pos] == '\r')) pos++;
            tokIndex = pos;
            if (pos >= b.length || b[pos] == 0) {
                tok = T_END;
                return;
            }
            int c = b[pos];
            switch (c) {
                case '{' -> single(T_OBJ_BEGIN);
                case '}' -> single(T_OBJ_END);
                case '[' -> single(T_ARR_BEGIN);
                case ']' -> single(T_ARR_END);
                case ':' -> single(T_COLON);
                case ',' -> single(T_COMMA);
                case '"' -> string();
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) number();
                    else if (word("true")) literal(T_BOOLEAN, true);
                    else if (word("false")) literal(T_BOOLEAN, false);
                    else if (word("null")) literal(T_NULL, false);
                    else error("invalid token");
                }
            }
        }

        private void single(int t) {
            tok = t;
            pos++;
        }

        private boolean word(String w) {
            if (pos + w.length() > b.length) return false;
            for (int i = 0; i < w.length(); i++) {
                if (b[pos + i] != w.charAt(i)) return false;
            }
            return true;
        }

        private void literal(int t, boolean v) {
            tok = t;
            bool = v;
            pos += t == T_NULL ? 4 : (v ? 4 : 5);
        }

        private void error(String text) {
            tok = T_ERROR;
            tokIndex = pos; // cjson reports where the scan stopped
            errorText = text;
        }

        /** strtod over the longest prefix that parses, as cjson does (hex and inf/nan refused). */
        private void number() {
            int end = pos;
            while (end < b.length && "0123456789+-.eE".indexOf(b[end]) >= 0) end++;
            for (int e = end; e > pos; e--) {
                String t = new String(b, pos, e - pos, StandardCharsets.ISO_8859_1);
                try {
                    if (t.endsWith("e") || t.endsWith("E") || t.endsWith("+") || t.endsWith(".") && t.length() == 1) continue;
                    num = Double.parseDouble(t);
                    tok = T_NUMBER;
                    pos = e;
                    return;
                } catch (NumberFormatException ignored) {
                    // shorter prefix
                }
            }
            error("invalid number");
        }

        private void string() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            pos++;
            while (true) {
                if (pos >= b.length) {
                    error("unexpected end of string");
                    return;
                }
                int c = b[pos] & 0xff;
                if (c == '"') break;
                if (c != '\\') {
                    out.write(c);
                    pos++;
                    continue;
                }
                if (pos + 1 >= b.length) {
                    error("unexpected end of string");
                    return;
                }
                int e = b[pos + 1];
                switch (e) {
                    case '"', '\\', '/' -> out.write(e);
                    case 'b' -> out.write('\b');
                    case 'f' -> out.write('\f');
                    case 'n' -> out.write('\n');
                    case 'r' -> out.write('\r');
                    case 't' -> out.write('\t');
                    case 'u' -> {
                        int at = pos;
                        int cp = unicodeEscape();
                        if (cp < 0) {
                            pos = at;
                            error("invalid unicode escape code");
                            return;
                        }
                        out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                        continue;
                    }
                    default -> {
                        error("invalid escape code");
                        return;
                    }
                }
                pos += 2;
            }
            pos++;
            tok = T_STRING;
            str = out.toByteArray();
        }

        /** \\uXXXX (with a surrogate pair), advancing past it; -1 when invalid. */
        private int unicodeEscape() {
            int hi = hex4(pos + 2);
            if (hi < 0) return -1;
            pos += 6;
            if (hi >= 0xD800 && hi <= 0xDBFF) {
                if (pos + 1 >= b.length || b[pos] != '\\' || b[pos + 1] != 'u') return -1;
                int lo = hex4(pos + 2);
                if (lo < 0xDC00 || lo > 0xDFFF) return -1;
                pos += 6;
                return 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
            }
            if (hi >= 0xDC00 && hi <= 0xDFFF) return -1;
            return hi;
        }

        private int hex4(int at) {
            if (at + 4 > b.length) return -1;
            int v = 0;
            for (int i = at; i < at + 4; i++) {
                int d = Character.digit(b[i], 16);
                if (d < 0) return -1;
                v = v * 16 + d;
            }
            return v;
        }
    }
}
