package io.ember.script;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import party.iroiro.luajava.Lua;

/**
 * Moves byte strings between Java and Lua without a charset in between. luajava pushes Java
 * Strings through JNI's modified UTF-8, which is only byte-exact for ASCII without NUL; any other
 * byte string is pushed by loading a tiny precompiled Lua 5.1 chunk whose one constant is the
 * string (LOADK + RETURN), which lua_load copies byte for byte.
 */
final class LuaBytes {
    /** Reused buffer for the chunk (direct: luajava hands its address to lua_load). */
    private ByteBuffer chunk = ByteBuffer.allocateDirect(256).order(ByteOrder.LITTLE_ENDIAN);

    void push(Lua L, byte[] b) {
        push(L, b, 0, b.length);
    }

    void push(Lua L, byte[] b, int off, int n) {
        if (plainAscii(b, off, n)) {
            L.push(new String(b, off, n, StandardCharsets.ISO_8859_1));
            return;
        }
        ByteBuffer c = chunkFor(b, off, n);
        L.load(c, "=bytes");
        L.pCall(0, 1);
    }

    void push(Lua L, String s) {
        push(L, s.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean plainAscii(byte[] b, int off, int n) {
        for (int i = off; i < off + n; i++) {
            if (b[i] <= 0) return false; // NUL or >= 0x80
        }
        return true;
    }

    /** The bytes of a Lua string (or of a number, converted as Lua does) at idx; null otherwise. */
    static byte[] toBytes(Lua L, int idx) {
        ByteBuffer bb = L.toDirectBuffer(idx); // a view of Lua's own bytes: copied right away
        if (bb == null) return null;
        byte[] out = new byte[bb.remaining()];
        bb.get(out);
        return out;
    }

    /** A Lua 5.1 binary chunk (64-bit, little endian, double numbers) returning one string constant. */
    private ByteBuffer chunkFor(byte[] s, int off, int n) {
        int size = 96 + n;
        if (chunk.capacity() < size) {
            chunk = ByteBuffer.allocateDirect(Integer.highestOneBit(size) * 2).order(ByteOrder.LITTLE_ENDIAN);
        }
        ByteBuffer b = chunk;
        b.clear();
        // header: ESC "Lua", version 5.1, format 0, little endian, int 4, size_t 8, instruction 4, number 8, not integral
        b.put((byte) 27).put((byte) 'L').put((byte) 'u').put((byte) 'a').put((byte) 0x51).put((byte) 0).put((byte) 1)
                .put((byte) 4).put((byte) 8).put((byte) 4).put((byte) 8).put((byte) 0);
        b.putLong(0); // source name: none
        b.putInt(0).putInt(0); // line defined, last line defined
        b.put((byte) 0).put((byte) 0).put((byte) 2).put((byte) 2); // upvalues, params, vararg flag, max stack
        b.putInt(2);
        b.putInt(1); // LOADK A=0 Bx=0
        b.putInt(30 | (2 << 23)); // RETURN A=0 B=2
        b.putInt(1); // one constant
        b.put((byte) 4).putLong(n + 1L).put(s, off, n).put((byte) 0); // LUA_TSTRING, size with the NUL
        b.putInt(0); // nested functions
        b.putInt(0).putInt(0).putInt(0); // debug: line info, locals, upvalue names
        b.flip();
        return b;
    }
}
