package io.ember.script;

import java.io.ByteArrayOutputStream;
import party.iroiro.luajava.Lua;

/**
 * The `cmsgpack` library Redis bundles (lua_cmsgpack 0.4.0): pack(...) concatenates the
 * encodings of its arguments; integral numbers use the smallest int format, others float32 when
 * exact else float64; a table whose keys are exactly 1..n is an array, any other a map (walked
 * with lua_next); tables nested deeper than 16 become nil. unpack / unpack_one / unpack_limit.
 */
final class CmsgpackLib {
    private static final int MAX_NESTING = 16;

    private final Scripting s;

    private CmsgpackLib(Scripting s) {
        this.s = s;
    }

    static void register(Lua L, Scripting s) {
        CmsgpackLib lib = new CmsgpackLib(s);
        L.createTable(0, 6);
        Libraries.function(L, s, "pack", lib::pack);
        Libraries.function(L, s, "unpack", l -> lib.unpackFull(l, 0, 0));
        Libraries.function(L, s, "unpack_one", l -> {
            int offset = l.isNoneOrNil(2) ? 0 : (int) checkNumber(l, 2, "unpack_one");
            l.setTop(1);
            return lib.unpackFull(l, 1, offset);
        });
        Libraries.function(L, s, "unpack_limit", l -> {
            int limit = (int) checkNumber(l, 2, "unpack_limit");
            int offset = l.isNoneOrNil(3) ? 0 : (int) checkNumber(l, 3, "unpack_limit");
            l.setTop(1);
            return lib.unpackFull(l, limit, offset);
        });
        L.push("lua-cmsgpack");
        L.setField(-2, "_NAME");
        L.push("lua-cmsgpack 0.4.0");
        L.setField(-2, "_VERSION");
        L.push("Copyright (C) 2012, Salvatore Sanfilippo");
        L.setField(-2, "_COPYRIGHT");
        L.push("MessagePack C implementation for Lua");
        L.setField(-2, "_DESCRIPTION");
        L.setGlobal("cmsgpack");
    }

    private static double checkNumber(Lua L, int arg, String fname) {
        if (!L.isNumber(arg)) {
            String got = L.isNone(arg) ? "no value" : L.type(arg).name().toLowerCase(java.util.Locale.ROOT);
            throw new Libraries.LuaError("bad argument #" + arg + " to '" + fname + "' (number expected, got " + got + ")");
        }
        return L.toNumber(arg);
    }

    // ---- pack -----------------------------------------------------------------------------

    private int pack(Lua L) {
        int n = L.getTop();
        if (n == 0) throw new Libraries.LuaError("bad argument #0 to 'pack' (MessagePack pack needs input.)");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 1; i <= n; i++) encode(L, i, out, 0);
        L.setTop(0);
        s.bytes.push(L, out.toByteArray());
        return 1;
    }

    private void encode(Lua L, int idx, ByteArrayOutputStream out, int level) {
        Lua.LuaType t = L.type(idx);
        if (t == Lua.LuaType.TABLE && level == MAX_NESTING) t = Lua.LuaType.NIL;
        switch (t) {
            case STRING -> {
                byte[] b = LuaBytes.toBytes(L, idx);
                int len = b.length;
                if (len < 32) {
                    out.write(0xa0 | len);
                } else if (len <= 0xff) {
                    out.write(0xd9);
                    out.write(len);
                } else if (len <= 0xffff) {
                    out.write(0xda);
                    be(out, len, 2);
                } else {
                    out.write(0xdb);
                    be(out, len, 4);
                }
                out.write(b, 0, len);
            }
            case BOOLEAN -> out.write(L.toBoolean(idx) ? 0xc3 : 0xc2);
            case NUMBER -> number(L.toNumber(idx), out);
            case TABLE -> table(L, idx, out, level);
            default -> out.write(0xc0);
        }
    }

    private static void number(double n, ByteArrayOutputStream out) {
        long i = LuaToReply.cLong(n);
        if (!Double.isInfinite(n) && (double) i == n) {
            integer(i, out);
            return;
        }
        float f = (float) n;
        if (n == (double) f) {
            out.write(0xca);
            be(out, Float.floatToRawIntBits(f) & 0xFFFFFFFFL, 4);
        } else {
            out.write(0xcb);
            be(out, Double.doubleToRawLongBits(n), 8);
        }
    }

    private static void integer(long n, ByteArrayOutputStream out) {
        if (n >= 0) {
            if (n <= 127) {
                out.write((int) n);
            } else if (n <= 0xff) {
                out.write(0xcc);
                out.write((int) n);
            } else if (n <= 0xffff) {
                out.write(0xcd);
                be(out, n, 2);
            } else if (n <= 0xffffffffL) {
                out.write(0xce);
                be(out, n, 4);
            } else {
                out.write(0xcf);
                be(out, n, 8);
            }
        } else if (n >= -32) {
            out.write((int) n & 0xff);
        } else if (n >= -128) {
            out.write(0xd0);
            out.write((int) n & 0xff);
        } else if (n >= -32768) {
            out.write(0xd1);
            be(out, n, 2);
        } else if (n >= -2147483648L) {
            out.write(0xd2);
            be(out, n, 4);
        } else {
            out.write(0xd3);
            be(out, n, 8);
        }
    }

    private static void be(ByteArrayOutputStream out, long v, int size) {
        for (int k = size - 1; k >= 0; k--) out.write((int) (v >>> (8 * k)) & 0xff);
    }

    private void table(Lua L, int idx, ByteArrayOutputStream out, int level) {
        int t = idx < 0 ? L.getTop() + idx + 1 : idx;
        L.checkStack(4);
        if (isArray(L, t)) {
            int len = L.rawLength(t);
            if (len <= 15) {
                out.write(0x90 | len);
            } else if (len <= 0xffff) {
                out.write(0xdc);
                be(out, len, 2);
            } else {
                out.write(0xdd);
                be(out, len, 4);
            }
            for (int j = 1; j <= len; j++) {
                L.rawGetI(t, j);
                encode(L, L.getTop(), out, level + 1);
                L.pop(1);
            }
            return;
        }
        long len = 0;
        L.pushNil();
        while (L.next(t) != 0) {
            L.pop(1);
            len++;
        }
        if (len <= 15) {
            out.write(0x80 | (int) len);
        } else if (len <= 0xffff) {
            out.write(0xde);
            be(out, len, 2);
        } else {
            out.write(0xdf);
            be(out, len, 4);
        }
        L.pushNil();
        while (L.next(t) != 0) {
            encode(L, L.getTop() - 1, out, level + 1);
            encode(L, L.getTop(), out, level + 1);
            L.pop(1);
        }
    }

    /** table_is_an_array: every key a positive int-valued number and max key == count. */
    private static boolean isArray(Lua L, int t) {
        long count = 0;
        double max = 0;
        L.pushNil();
        while (L.next(t) != 0) {
            L.pop(1);
            double n;
            if (L.type(-1) != Lua.LuaType.NUMBER || (n = L.toNumber(-1)) <= 0 || (double) (int) n != n) {
                L.pop(1);
                return false;
            }
            if (n > max) max = n;
            count++;
        }
        return max == count;
    }

    // ---- unpack ---------------------------------------------------------------------------

    private static final int EOF = 1, BADFMT = 2;

    private final class Cursor {
        final byte[] b;
        int p;
        int err;

        Cursor(byte[] b, int p) {
            this.b = b;
            this.p = p;
        }

        int left() {
            return b.length - p;
        }

        boolean need(int n) {
            if (left() < n) {
                err = EOF;
                return false;
            }
            return true;
        }

        long be(int n) {
            long v = 0;
            for (int i = 0; i < n; i++) v = (v << 8) | (b[p + i] & 0xff);
            p += n;
            return v;
        }
    }

    private int unpackFull(Lua L, int limit, int offset) {
        if (L.type(1) != Lua.LuaType.STRING && L.type(1) != Lua.LuaType.NUMBER) {
            String got = L.isNone(1) ? "no value" : L.type(1).name().toLowerCase(java.util.Locale.ROOT);
            throw new Libraries.LuaError("bad argument #1 to 'unpack' (string expected, got " + got + ")");
        }
        byte[] b = LuaBytes.toBytes(L, 1);
        boolean all = limit == 0 && offset == 0;
        if (offset < 0 || limit < 0) {
            throw new Libraries.LuaError("Invalid request to unpack with offset of " + offset + " and limit of " + b.length + ".");
        }
        if (offset > b.length) throw new Libraries.LuaError("Start offset " + offset + " greater than input length " + b.length + ".");
        if (all) limit = Integer.MAX_VALUE;
        L.setTop(0);
        Cursor c = new Cursor(b, offset);
        int cnt = 0;
        for (; c.left() > 0 && cnt < limit; cnt++) {
            L.checkStack(2);
            decode(L, c);
            if (c.err == EOF) throw new Libraries.LuaError("Missing bytes in input.");
            if (c.err == BADFMT) throw new Libraries.LuaError("Bad data format in input.");
        }
        if (!all) {
            L.push((double) (c.left() == 0 ? -1 : b.length - c.left()));
            L.insert(1);
            cnt++;
        }
        return cnt;
    }

    /** Pushes one decoded value (or sets c.err, pushing nothing useful). */
    private void decode(Lua L, Cursor c) {
        if (!c.need(1)) return;
        int t = c.b[c.p] & 0xff;
        switch (t) {
            case 0xcc, 0xcd, 0xce -> {
                int n = t == 0xcc ? 1 : t == 0xcd ? 2 : 4;
                if (!c.need(1 + n)) return;
                c.p++;
                L.push((double) c.be(n));
            }
            case 0xcf -> {
                if (!c.need(9)) return;
                c.p++;
                L.push((double) c.be(8)); // read as int64, as lua_cmsgpack 0.4.0 does
            }
            case 0xd0, 0xd1, 0xd2, 0xd3 -> {
                int n = 1 << (t - 0xd0);
                if (!c.need(1 + n)) return;
                c.p++;
                long v = c.be(n);
                int shift = 64 - 8 * n;
                L.push((double) ((v << shift) >> shift));
            }
            case 0xc0 -> {
                c.p++;
                L.pushNil();
            }
            case 0xc2, 0xc3 -> {
                c.p++;
                L.push(t == 0xc3);
            }
            case 0xca -> {
                if (!c.need(5)) return;
                c.p++;
                L.push((double) Float.intBitsToFloat((int) c.be(4)));
            }
            case 0xcb -> {
                if (!c.need(9)) return;
                c.p++;
                L.push(Double.longBitsToDouble(c.be(8)));
            }
            case 0xd9, 0xda, 0xdb -> {
                int n = t == 0xd9 ? 1 : t == 0xda ? 2 : 4;
                if (!c.need(1 + n)) return;
                c.p++;
                string(L, c, c.be(n));
            }
            case 0xdc, 0xdd -> {
                int n = t == 0xdc ? 2 : 4;
                if (!c.need(1 + n)) return;
                c.p++;
                array(L, c, c.be(n));
            }
            case 0xde, 0xdf -> {
                int n = t == 0xde ? 2 : 4;
                if (!c.need(1 + n)) return;
                c.p++;
                map(L, c, c.be(n));
            }
            default -> {
                if (t <= 0x7f) {
                    c.p++;
                    L.push((double) t);
                } else if (t >= 0xe0) {
                    c.p++;
                    L.push((double) (byte) t);
                } else if ((t & 0xe0) == 0xa0) {
                    c.p++;
                    string(L, c, t & 0x1f);
                } else if ((t & 0xf0) == 0x90) {
                    c.p++;
                    array(L, c, t & 0x0f);
                } else if ((t & 0xf0) == 0x80) {
                    c.p++;
                    map(L, c, t & 0x0f);
                } else {
                    c.err = BADFMT;
                }
            }
        }
    }

    private void string(Lua L, Cursor c, long len) {
        if (c.left() < len) {
            c.err = EOF;
            return;
        }
        s.bytes.push(L, c.b, c.p, (int) len);
        c.p += (int) len;
    }

    private void array(Lua L, Cursor c, long len) {
        L.checkStack(2);
        L.newTable();
        for (long j = 1; j <= len; j++) {
            decode(L, c);
            if (c.err != 0) return;
            L.rawSetI(-2, (int) j);
        }
    }

    private void map(Lua L, Cursor c, long len) {
        L.checkStack(3);
        L.newTable();
        for (long j = 0; j < len; j++) {
            decode(L, c);
            if (c.err != 0) return;
            decode(L, c);
            if (c.err != 0) return;
            Lua.LuaType kt = L.type(-2);
            if (kt == Lua.LuaType.NIL) throw new Libraries.LuaError("table index is nil");
            if (kt == Lua.LuaType.NUMBER && Double.isNaN(L.toNumber(-2))) throw new Libraries.LuaError("table index is NaN");
            L.rawSet(-3);
        }
    }
}
