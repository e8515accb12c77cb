package io.ember.testing;

import io.ember.resp.RespReader;
import io.ember.resp.RespValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs the same commands against a real redis-server and against Ember and compares replies.
 * Divergences are collected (with the command that caused them) so a randomized run can report
 * all of them at once; {@link #assertNoDivergence()} fails the test if there was any.
 */
public final class Differential implements AutoCloseable {
    /** How two replies are compared. */
    public enum Mode {
        /** Byte for byte. */
        EXACT,
        /** The top-level array's elements as a multiset (KEYS, SMEMBERS...). */
        UNORDERED,
        /** SCAN-like [cursor, [elements]]: cursors are not compared, elements as a multiset. */
        SCAN,
        /**
         * Field/value pairs in hash-table order (HGETALL, HRANDFIELD WITHVALUES of a hashtable):
         * the same aggregate type holding the same pairs, whether flat, a map or nested pairs.
         */
        PAIRS,
        /** Only that both replied with the same RESP type (and error or not). */
        TYPE_ONLY
    }

    private final RedisServerProcess redis;
    private final TestServer ember;
    private final List<RawConnection[]> pairs = new ArrayList<>();
    private final List<String> divergences = new ArrayList<>();
    private long commands;

    public Differential(String... serverArgs) {
        this.redis = RedisServerProcess.start(serverArgs);
        this.ember = TestServer.start(withDebug(serverArgs));
        newConnection();
    }

    private static String[] withDebug(String[] args) {
        List<String> all = new ArrayList<>(List.of("--enable-debug-command", "yes"));
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    /** Opens one more connection to each server; returns its index for {@link #on}. */
    public int newConnection() {
        pairs.add(new RawConnection[] {redis.raw(), ember.raw()});
        return pairs.size() - 1;
    }

    public RedisServerProcess redis() {
        return redis;
    }

    public TestServer ember() {
        return ember;
    }

    /** Runs on connection 0 and compares exactly. Returns Ember's reply bytes. */
    public byte[] check(String... args) {
        return on(0, Mode.EXACT, args);
    }

    public byte[] check(Mode mode, String... args) {
        return on(0, mode, args);
    }

    public byte[] on(int connection, Mode mode, String... args) {
        return onBytes(connection, mode, RawConnection.args(args));
    }

    public byte[] onBytes(int connection, Mode mode, byte[]... args) {
        RawConnection[] p = pairs.get(connection);
        byte[] expected = p[0].callBytes(args);
        byte[] actual = p[1].callBytes(args);
        commands++;
        if (!same(mode, expected, actual)) {
            divergences.add(describe(args) + "\n    redis: " + show(expected) + "\n    ember: " + show(actual));
        }
        return actual;
    }

    /**
     * Runs a command that must name something differing between the servers (a client ID):
     * {@code redisArgs} on redis-server, {@code emberArgs} on Ember; compares the replies.
     */
    public byte[] onEach(int connection, Mode mode, String[] redisArgs, String[] emberArgs) {
        RawConnection[] p = pairs.get(connection);
        byte[] expected = p[0].call(redisArgs);
        byte[] actual = p[1].call(emberArgs);
        commands++;
        if (!same(mode, expected, actual)) {
            divergences.add(String.join(" ", emberArgs) + "\n    redis: " + show(expected) + "\n    ember: " + show(actual));
        }
        return actual;
    }

    /** The CLIENT ID of a connection on each server: {redis, ember}. */
    public String[] clientIds(int connection) {
        RawConnection[] p = pairs.get(connection);
        return new String[] {Long.toString(((RespValue.Int) p[0].callValue("CLIENT", "ID")).value()),
            Long.toString(((RespValue.Int) p[1].callValue("CLIENT", "ID")).value())};
    }

    /** Sends raw bytes (possibly malformed) to both and compares the next reply of each. */
    public void rawCheck(int connection, byte[] request) {
        RawConnection[] p = pairs.get(connection);
        p[0].send(request);
        p[1].send(request);
        byte[] expected = p[0].readReply();
        byte[] actual = p[1].readReply();
        commands++;
        if (!Arrays.equals(expected, actual)) {
            divergences.add(show(request) + "\n    redis: " + show(expected) + "\n    ember: " + show(actual));
        }
    }

    /**
     * Reads the next reply each server sends on a connection without sending anything (a
     * subscriber's messages) and compares them. {@code what} names the expectation in reports.
     */
    public byte[] next(int connection, Mode mode, String what) {
        RawConnection[] p = pairs.get(connection);
        byte[] expected = p[0].readReply();
        byte[] actual = p[1].readReply();
        commands++;
        if (!same(mode, expected, actual)) {
            divergences.add("(next on connection " + connection + ": " + what + ")\n    redis: " + show(expected)
                    + "\n    ember: " + show(actual));
        }
        return actual;
    }

    /**
     * Sends a command on one connection of each server and reads replies until one satisfies
     * {@code last} (a fence such as PING's reply); all replies read are compared as a multiset.
     * For messages whose relative order Redis leaves to a hash table (pattern subscriptions).
     */
    public void untilUnordered(int connection, java.util.function.Predicate<byte[]> last, String... args) {
        RawConnection[] p = pairs.get(connection);
        List<String> expected = readUntil(p[0], last, args), actual = readUntil(p[1], last, args);
        commands++;
        List<String> e = new ArrayList<>(expected), a = new ArrayList<>(actual);
        e.sort(null);
        a.sort(null);
        if (!e.equals(a)) {
            divergences.add(String.join(" ", args) + " (replies up to the fence, any order)\n    redis: " + expected
                    + "\n    ember: " + actual);
        }
    }

    private static List<String> readUntil(RawConnection c, java.util.function.Predicate<byte[]> last, String... args) {
        c.send(RawConnection.encode(RawConnection.args(args)));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            byte[] r = c.readReply();
            out.add(show(r));
            if (last.test(r)) break;
        }
        return out;
    }

    public long commandsRun() {
        return commands;
    }

    public List<String> divergences() {
        return divergences;
    }

    public void assertNoDivergence() {
        if (divergences.isEmpty()) return;
        StringBuilder sb = new StringBuilder(divergences.size() + " divergence(s) from redis-server in "
                + commands + " commands:\n");
        for (String d : divergences.subList(0, Math.min(30, divergences.size()))) sb.append("  ").append(d).append('\n');
        throw new AssertionError(sb.toString());
    }

    static boolean same(Mode mode, byte[] a, byte[] b) {
        if (Arrays.equals(a, b)) return true;
        if (mode == Mode.EXACT) return false;
        RespValue va = new RespReader(a).read(), vb = new RespReader(b).read();
        return switch (mode) {
            case TYPE_ONLY -> va.getClass() == vb.getClass();
            case UNORDERED -> va instanceof RespValue.Array x && vb instanceof RespValue.Array y
                    && x.kind() == y.kind() && multiset(x.items()).equals(multiset(y.items()));
            case PAIRS -> a[0] == b[0] && pairs(va).equals(pairs(vb));
            case SCAN -> va instanceof RespValue.Array x && vb instanceof RespValue.Array y
                    && x.items().size() == 2 && y.items().size() == 2
                    && x.items().get(1) instanceof RespValue.Array xs && y.items().get(1) instanceof RespValue.Array ys
                    && multiset(xs.items()).equals(multiset(ys.items()));
            default -> false;
        };
    }

    /** A reply's pairs as a multiset of "key=value" (flat pairs, a map, or an array of 2-arrays). */
    private static Map<String, Integer> pairs(RespValue v) {
        List<RespValue> items = switch (v) {
            case RespValue.Map m -> m.flat();
            case RespValue.Array a -> a.items();
            default -> List.of(v);
        };
        List<RespValue> flat = new ArrayList<>();
        for (RespValue i : items) {
            if (i instanceof RespValue.Array p && p.items().size() == 2) flat.addAll(p.items());
            else flat.add(i);
        }
        Map<String, Integer> m = new HashMap<>();
        if (flat.size() % 2 != 0) return Map.of("odd", flat.size());
        for (int i = 0; i < flat.size(); i += 2) m.merge(canonical(flat.get(i)) + "=" + canonical(flat.get(i + 1)), 1, Integer::sum);
        return m;
    }

    private static Map<String, Integer> multiset(List<RespValue> items) {
        Map<String, Integer> m = new HashMap<>();
        for (RespValue v : items) m.merge(canonical(v), 1, Integer::sum);
        return m;
    }

    private static String canonical(RespValue v) {
        return switch (v) {
            case RespValue.Bulk b -> "$" + new String(b.value(), StandardCharsets.ISO_8859_1);
            case RespValue.Simple s -> "+" + s;
            case RespValue.Array a -> {
                StringBuilder sb = new StringBuilder("*[");
                for (RespValue i : a.items()) sb.append(canonical(i)).append(',');
                yield sb.append(']').toString();
            }
            default -> Objects.toString(v);
        };
    }

    static String describe(byte[][] args) {
        StringBuilder sb = new StringBuilder();
        for (byte[] a : args) sb.append(show(a)).append(' ');
        return sb.toString().trim();
    }

    public static String show(byte[] b) {
        StringBuilder sb = new StringBuilder();
        int n = Math.min(b.length, 300);
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xff;
            if (c == '\r') sb.append("\\r");
            else if (c == '\n') sb.append("\\n");
            else if (c >= 32 && c < 127) sb.append((char) c);
            else sb.append(String.format("\\x%02x", c));
        }
        if (b.length > n) sb.append("...(").append(b.length).append(" bytes)");
        return sb.toString();
    }

    @Override
    public void close() {
        for (RawConnection[] p : pairs) {
            p[0].close();
            p[1].close();
        }
        ember.close();
        redis.close();
    }
}
