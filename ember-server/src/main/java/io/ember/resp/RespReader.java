package io.ember.resp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Decodes complete RESP2/RESP3 values from a byte array. Not used on the request hot path. */
public final class RespReader {
    private final byte[] buf;
    private int pos;
    private final int end;

    public RespReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    public RespReader(byte[] buf, int off, int len) {
        this.buf = buf;
        this.pos = off;
        this.end = off + len;
    }

    public boolean hasMore() {
        return pos < end;
    }

    public int position() {
        return pos;
    }

    /** Reads one value; throws IllegalStateException on malformed or truncated input. */
    public RespValue read() {
        byte kind = buf[pos++];
        String line = line();
        switch (kind) {
            case '+':
                return new RespValue.Simple(line.getBytes(StandardCharsets.ISO_8859_1));
            case '-':
            case '!':
                if (kind == '!') return new RespValue.Error(new String(bulkBody(Integer.parseInt(line)), StandardCharsets.ISO_8859_1));
                return new RespValue.Error(line);
            case ':':
                return new RespValue.Int(Long.parseLong(line));
            case '$': {
                int n = Integer.parseInt(line);
                return n < 0 ? RespValue.NULL : new RespValue.Bulk(bulkBody(n));
            }
            case '=': {
                byte[] body = bulkBody(Integer.parseInt(line));
                return new RespValue.Verbatim(new String(body, 0, 3, StandardCharsets.ISO_8859_1),
                        java.util.Arrays.copyOfRange(body, 4, body.length));
            }
            case ',':
                return new RespValue.Double(parseDouble(line));
            case '(':
                return new RespValue.BigNumber(line);
            case '#':
                return new RespValue.Bool(line.equals("t"));
            case '_':
                return RespValue.NULL;
            case '*':
            case '~':
            case '>': {
                int n = Integer.parseInt(line);
                if (n < 0) return RespValue.NULL;
                List<RespValue> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) items.add(read());
                RespValue.AggregateKind k = kind == '*' ? RespValue.AggregateKind.ARRAY
                        : kind == '~' ? RespValue.AggregateKind.SET : RespValue.AggregateKind.PUSH;
                return new RespValue.Array(k, items);
            }
            case '%':
            case '|': {
                int n = Integer.parseInt(line);
                List<RespValue> flat = new ArrayList<>(2 * n);
                for (int i = 0; i < 2 * n; i++) flat.add(read());
                if (kind == '|') return read(); // attributes decorate the next value; drop them
                return new RespValue.Map(flat);
            }
            default:
                throw new IllegalStateException("bad RESP type byte '" + (char) kind + "' at " + (pos - 1));
        }
    }

    private static double parseDouble(String s) {
        return switch (s) {
            case "inf" -> java.lang.Double.POSITIVE_INFINITY;
            case "-inf" -> java.lang.Double.NEGATIVE_INFINITY;
            case "nan" -> java.lang.Double.NaN;
            default -> java.lang.Double.parseDouble(s);
        };
    }

    private String line() {
        int start = pos;
        while (pos + 1 < end && !(buf[pos] == '\r' && buf[pos + 1] == '\n')) pos++;
        if (pos + 1 >= end) throw new IllegalStateException("truncated RESP line");
        String s = new String(buf, start, pos - start, StandardCharsets.ISO_8859_1);
        pos += 2;
        return s;
    }

    private byte[] bulkBody(int n) {
        if (pos + n + 2 > end) throw new IllegalStateException("truncated RESP bulk");
        byte[] b = java.util.Arrays.copyOfRange(buf, pos, pos + n);
        pos += n + 2;
        return b;
    }
}
