package io.ember.script;

import java.io.ByteArrayOutputStream;
import party.iroiro.luajava.Lua;

/**
 * The `struct` library Redis bundles (Roberto Ierusalimschy's struct 0.2 with Redis's fixes):
 * pack, unpack and size of binary records on a 64-bit little-endian host (long and size_t are 8
 * bytes, int 4, maximum alignment 8), with its error texts.
 */
final class StructLib {
    private static final int MAXINTSIZE = 32, MAXALIGN = 8;

    private final Scripting s;

    private StructLib(Scripting s) {
        this.s = s;
    }

    static void register(Lua L, Scripting s) {
        StructLib lib = new StructLib(s);
        L.createTable(0, 3);
        Libraries.function(L, s, "pack", lib::pack);
        Libraries.function(L, s, "unpack", lib::unpack);
        Libraries.function(L, s, "size", lib::size);
        L.setGlobal("struct");
    }

    /** The format being walked, and the header options (endianness, alignment). */
    private static final class Format {
        final byte[] f;
        int i;
        boolean little = true;
        int align = 1;
        final String fname;

        Format(byte[] f, String fname) {
            this.f = f;
            this.fname = fname;
        }

        boolean more() {
            return i < f.length && f[i] != 0;
        }

        int getnum(int df) {
            if (i >= f.length || f[i] < '0' || f[i] > '9') return df;
            int a = 0;
            do {
                int d = f[i] - '0';
                if (a > Integer.MAX_VALUE / 10 || a * 10 > Integer.MAX_VALUE - d) throw new Libraries.LuaError("integral size overflow");
                a = a * 10 + d;
                i++;
            } while (i < f.length && f[i] >= '0' && f[i] <= '9');
            return a;
        }

        int optsize(int opt) {
            return switch (opt) {
                case 'B', 'b' -> 1;
                case 'H', 'h' -> 2;
                case 'L', 'l', 'T', 'd' -> 8;
                case 'f', 'x' -> opt == 'x' ? 1 : 4;
                case 'c' -> getnum(1);
                case 'i', 'I' -> {
                    int sz = getnum(4);
                    if (sz > MAXINTSIZE) {
                        throw new Libraries.LuaError("integral size " + sz + " is larger than limit of " + MAXINTSIZE);
                    }
                    yield sz;
                }
                default -> 0;
            };
        }

        long toalign(long len, int opt, int size) {
            if (size == 0 || opt == 'c') return 0;
            if (size > align) size = align;
            return (size - (len & (size - 1))) & (size - 1);
        }

        void control(int opt) {
            switch (opt) {
                case ' ' -> { }
                case '>' -> little = false;
                case '<' -> little = true;
                case '!' -> {
                    int a = getnum(MAXALIGN);
                    if (a == 0 || (a & (a - 1)) != 0) throw new Libraries.LuaError("alignment " + a + " is not a power of 2");
                    align = a;
                }
                default -> throw new Libraries.LuaError("bad argument #1 to '" + fname + "' (invalid format option '" + (char) opt + "')");
            }
        }
    }

    private static byte[] checkString(Lua L, int arg, String fname) {
        Lua.LuaType t = L.type(arg);
        if (t != Lua.LuaType.STRING && t != Lua.LuaType.NUMBER) {
            throw new Libraries.LuaError("bad argument #" + arg + " to '" + fname + "' (string expected, got " + typeName(L, arg) + ")");
        }
        return LuaBytes.toBytes(L, arg);
    }

    private static double checkNumber(Lua L, int arg, String fname) {
        if (!L.isNumber(arg)) {
            throw new Libraries.LuaError("bad argument #" + arg + " to '" + fname + "' (number expected, got " + typeName(L, arg) + ")");
        }
        return L.toNumber(arg);
    }

    private static String typeName(Lua L, int arg) {
        if (L.isNone(arg)) return "no value";
        return switch (L.type(arg)) {
            case LIGHTUSERDATA, USERDATA -> "userdata";
            default -> L.type(arg).name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private int pack(Lua L) {
        Format h = new Format(checkString(L, 1, "pack"), "pack");
        int arg = 2;
        long total = 0;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (h.more()) {
            int opt = h.f[h.i++];
            int size = h.optsize(opt);
            long toalign = h.toalign(total, opt, size);
            total += toalign;
            while (toalign-- > 0) b.write(0);
            switch (opt) {
                case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I' -> {
                    double n = checkNumber(L, arg++, "pack");
                    long v = n < 0 ? (long) n : n < 9.223372036854775807E18 ? (long) n : (long) (n - 18446744073709551616.0);
                    byte[] buf = new byte[size];
                    for (int k = 0; k < size; k++) {
                        buf[h.little ? k : size - 1 - k] = (byte) (k < 8 ? v >>> (8 * k) : 0);
                    }
                    b.writeBytes(buf);
                }
                case 'x' -> b.write(0);
                case 'f' -> {
                    int bits = Float.floatToRawIntBits((float) checkNumber(L, arg++, "pack"));
                    putBytes(b, bits & 0xFFFFFFFFL, 4, h.little);
                }
                case 'd' -> putBytes(b, Double.doubleToRawLongBits(checkNumber(L, arg++, "pack")), 8, h.little);
                case 'c', 's' -> {
                    byte[] str = checkString(L, arg++, "pack");
                    if (size == 0) size = str.length;
                    if (str.length < size) throw new Libraries.LuaError("bad argument #" + arg + " to 'pack' (string too short)");
                    b.write(str, 0, size);
                    if (opt == 's') {
                        b.write(0);
                        size++;
                    }
                }
                default -> h.control(opt);
            }
            total += size;
        }
        L.setTop(0);
        s.bytes.push(L, b.toByteArray());
        return 1;
    }

    private static void putBytes(ByteArrayOutputStream b, long v, int size, boolean little) {
        for (int k = 0; k < size; k++) {
            int shift = little ? 8 * k : 8 * (size - 1 - k);
            b.write((int) (v >>> shift) & 0xff);
        }
    }

    private static long getBytes(byte[] d, int pos, int size, boolean little) {
        long l = 0;
        for (int k = 0; k < size; k++) {
            int at = little ? pos + size - 1 - k : pos + k;
            l = (l << 8) | (d[at] & 0xff);
        }
        return l;
    }

    private int unpack(Lua L) {
        Format h = new Format(checkString(L, 1, "unpack"), "unpack");
        byte[] data = checkString(L, 2, "unpack");
        long ld = data.length;
        long pos = 1;
        if (!L.isNoneOrNil(3)) pos = (long) checkNumber(L, 3, "unpack");
        if (pos <= 0) throw new Libraries.LuaError("bad argument #3 to 'unpack' (offset must be 1 or greater)");
        pos--;
        L.setTop(0);
        int n = 0;
        while (h.more()) {
            int opt = h.f[h.i++];
            long size = h.optsize(opt);
            pos += h.toalign(pos, opt, (int) size);
            if (!(size <= ld && pos <= ld - size)) throw new Libraries.LuaError("bad argument #2 to 'unpack' (data string too short)");
            L.checkStack(2);
            switch (opt) {
                case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I' -> {
                    // all bytes are shifted through a 64-bit value, as the C code does
                    long l = getBytes(data, (int) pos, (int) size, h.little);
                    double res;
                    if (Character.isLowerCase(opt)) {
                        long mask = -1L << ((size * 8 - 1) & 63); // x86 masks the shift count
                        if ((l & mask) != 0) l |= mask;
                        res = (double) l;
                    } else {
                        res = l >= 0 ? (double) l : (double) (l >>> 1) * 2.0 + (l & 1);
                    }
                    L.push(res);
                    n++;
                }
                case 'x' -> { }
                case 'f' -> {
                    L.push((double) Float.intBitsToFloat((int) getBytes(data, (int) pos, 4, h.little)));
                    n++;
                }
                case 'd' -> {
                    L.push(Double.longBitsToDouble(getBytes(data, (int) pos, 8, h.little)));
                    n++;
                }
                case 'c' -> {
                    if (size == 0) {
                        if (n == 0 || !L.isNumber(-1)) throw new Libraries.LuaError("format 'c0' needs a previous size");
                        size = (long) L.toNumber(-1);
                        L.pop(1);
                        n--;
                        if (!(size <= ld && pos <= ld - size)) {
                            throw new Libraries.LuaError("bad argument #2 to 'unpack' (data string too short)");
                        }
                    }
                    s.bytes.push(L, data, (int) pos, (int) size);
                    n++;
                }
                case 's' -> {
                    int e = (int) pos;
                    while (e < data.length && data[e] != 0) e++;
                    if (e >= data.length) throw new Libraries.LuaError("unfinished string in data");
                    size = e - pos + 1;
                    s.bytes.push(L, data, (int) pos, (int) size - 1);
                    n++;
                }
                default -> h.control(opt);
            }
            pos += size;
        }
        L.push((double) (pos + 1));
        return n + 1;
    }

    private int size(Lua L) {
        Format h = new Format(checkString(L, 1, "size"), "size");
        long pos = 0;
        while (h.more()) {
            int opt = h.f[h.i++];
            int size = h.optsize(opt);
            pos += h.toalign(pos, opt, size);
            if (opt == 's') throw new Libraries.LuaError("bad argument #1 to 'size' (option 's' has no fixed size)");
            if (opt == 'c' && size == 0) throw new Libraries.LuaError("bad argument #1 to 'size' (option 'c0' has no fixed size)");
            if (!Character.isLetterOrDigit(opt)) h.control(opt);
            pos += size;
        }
        L.setTop(0);
        L.push((double) pos);
        return 1;
    }
}
