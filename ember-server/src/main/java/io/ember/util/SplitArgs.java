package io.ember.util;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a line into arguments with the rules of Redis's sdssplitargs, shared by inline requests
 * and config files: blanks separate, "double quotes" take \n \r \t \b \a \xHH escapes, 'single
 * quotes' only \', and a closing quote must be followed by a blank. A NUL byte ends the line.
 */
public final class SplitArgs {
    private SplitArgs() {}

    /** The arguments, or null when quotes are unbalanced. */
    public static List<byte[]> split(byte[] line) {
        int n = line.length;
        for (int i = 0; i < n; i++) {
            if (line[i] == 0) {
                n = i;
                break;
            }
        }
        List<byte[]> out = new ArrayList<>();
        ByteArrayOutputStream cur = new ByteArrayOutputStream();
        int p = 0;
        while (true) {
            while (p < n && isSpace(line[p])) p++;
            if (p >= n) return out;
            boolean inq = false, insq = false, done = false;
            cur.reset();
            while (!done) {
                byte c = p < n ? line[p] : 0;
                byte next = p + 1 < n ? line[p + 1] : 0;
                if (inq) {
                    if (c == '\\' && next == 'x' && p + 3 < n && isHex(line[p + 2]) && isHex(line[p + 3])) {
                        cur.write(hex(line[p + 2]) * 16 + hex(line[p + 3]));
                        p += 3;
                    } else if (c == '\\' && next != 0) {
                        p++;
                        cur.write(switch (line[p]) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> 7;
                            default -> line[p];
                        });
                    } else if (c == '"') {
                        if (next != 0 && !isSpace(next)) return null;
                        done = true;
                    } else if (c == 0) {
                        return null;
                    } else {
                        cur.write(c);
                    }
                } else if (insq) {
                    if (c == '\\' && next == '\'') {
                        p++;
                        cur.write('\'');
                    } else if (c == '\'') {
                        if (next != 0 && !isSpace(next)) return null;
                        done = true;
                    } else if (c == 0) {
                        return null;
                    } else {
                        cur.write(c);
                    }
                } else {
                    switch (c) {
                        case ' ', '\n', '\r', '\t', 0 -> done = true;
                        case '"' -> inq = true;
                        case '\'' -> insq = true;
                        default -> cur.write(c);
                    }
                }
                if (p < n) p++;
            }
            out.add(cur.toByteArray());
        }
    }

    /**
     * Quotes a value the way Redis's sdscatrepr does, so that {@link #split} reads it back as one
     * argument: always in double quotes, with \\ \" \n \r \t \a \b escapes and \xHH for other
     * non-printable bytes. Used for config files written by CONFIG REWRITE and command-line options.
     * Characters are taken as bytes (Latin-1), as config values are.
     */
    public static String repr(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 2);
        appendRepr(sb, value.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        return sb.toString();
    }

    /** {@link #repr} of raw bytes, appended to {@code sb} (MONITOR lines, DEBUG output). */
    public static void appendRepr(StringBuilder sb, byte[] value) {
        sb.append('"');
        for (byte b : value) {
            int c = b & 0xff;
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 7 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                default -> {
                    if (c >= 0x20 && c < 0x7f) sb.append((char) c);
                    else sb.append(String.format("\\x%02x", c));
                }
            }
        }
        sb.append('"');
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == '\f';
    }

    private static boolean isHex(byte c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static int hex(byte c) {
        if (c <= '9') return c - '0';
        return (c | 0x20) - 'a' + 10;
    }
}
