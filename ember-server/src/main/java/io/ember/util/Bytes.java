package io.ember.util;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Small helpers for the {@code byte[]} keys and values used everywhere in the data path. */
public final class Bytes {
    public static final byte[] EMPTY = new byte[0];

    private Bytes() {}

    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Decodes bytes one char per byte: lossless for any binary content, used for messages and names. */
    public static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    public static String latin1(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }

    /** Case-insensitive comparison of an argument with a lower-case ASCII literal. */
    public static boolean eqIgnoreCase(byte[] arg, String lowerLiteral) {
        int n = lowerLiteral.length();
        if (arg.length != n) return false;
        for (int i = 0; i < n; i++) {
            int c = arg[i];
            if (c >= 'A' && c <= 'Z') c += 32;
            if (c != lowerLiteral.charAt(i)) return false;
        }
        return true;
    }

    public static byte[] toLowerCase(byte[] b) {
        byte[] r = null;
        for (int i = 0; i < b.length; i++) {
            byte c = b[i];
            if (c >= 'A' && c <= 'Z') {
                if (r == null) r = b.clone();
                r[i] = (byte) (c + 32);
            }
        }
        return r == null ? b : r;
    }

    public static boolean equals(byte[] a, byte[] b) {
        return Arrays.equals(a, b);
    }

    public static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
