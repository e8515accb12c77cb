package io.ember.testing;

import io.ember.engine.Engine;
import io.ember.engine.Propagation;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Compares what Ember propagates with what redis-server 7.0 appends to its AOF for the same
 * commands. The reference runs with {@code appendonly yes, appendfsync always}; its incr file is
 * read from where the last comparison stopped. Ember runs in-process with a
 * {@link Propagation.Listener} on its engine thread that records each command plus the SELECT
 * Redis's feedAppendOnlyFile writes when the database changes.
 *
 * <p>Arguments equal byte for byte, except absolute times each server takes from its own clock
 * (PXAT/PEXPIREAT milliseconds, the milliseconds of a stream ID generated for {@code *}), which
 * may differ by up to {@link #TIME_TOLERANCE_MS}.
 */
public final class PropagationCapture implements AutoCloseable {
    public static final long TIME_TOLERANCE_MS = 5_000;

    private final RedisServerProcess redis;
    private final TestServer ember;
    private final Path aof;
    private long aofOffset;
    private final List<byte[][]> emberFed = new ArrayList<>(); // guarded by itself
    private int emberSelected = -1; // engine thread only
    private final List<RawConnection[]> pairs = new ArrayList<>();
    private final List<String> divergences = new ArrayList<>();
    private long checks;

    private PropagationCapture(String[] redisArgs, String[] emberArgs) {
        List<String> r = new ArrayList<>(List.of("--appendonly", "yes", "--appendfsync", "always",
                "--aof-timestamp-enabled", "no", "--aof-use-rdb-preamble", "yes"));
        r.addAll(List.of(redisArgs));
        redis = RedisServerProcess.start(r.toArray(String[]::new));
        aof = redis.dir().resolve("appendonlydir").resolve("appendonly.aof.1.incr.aof");
        List<String> e = new ArrayList<>(List.of("--enable-debug-command", "yes"));
        e.addAll(List.of(emberArgs));
        ember = TestServer.start(e.toArray(String[]::new));
        Engine engine = ember.server().engine();
        try {
            engine.loop().submit(() -> engine.propagation.addListener(this::record)).get();
        } catch (Exception ex) {
            close();
            throw new IllegalStateException(ex);
        }
        newConnection();
    }

    /** Both servers with the same extra options. */
    public static PropagationCapture start(String... serverArgs) {
        return new PropagationCapture(serverArgs, serverArgs);
    }

    public RedisServerProcess redis() {
        return redis;
    }

    public TestServer ember() {
        return ember;
    }

    private void record(int db, byte[][] argv, int argc) {
        synchronized (emberFed) {
            if (db != emberSelected) {
                emberFed.add(new byte[][] {"SELECT".getBytes(StandardCharsets.US_ASCII),
                    Integer.toString(db).getBytes(StandardCharsets.US_ASCII)});
                emberSelected = db;
            }
            byte[][] copy = new byte[argc][];
            for (int i = 0; i < argc; i++) copy[i] = argv[i].clone();
            emberFed.add(copy);
        }
    }

    /** Opens one more connection to each server; returns its index. */
    public int newConnection() {
        pairs.add(new RawConnection[] {redis.raw(), ember.raw()});
        return pairs.size() - 1;
    }

    /** Runs a command on connection 0 of both; replies must be equal byte for byte. */
    public byte[] run(String... args) {
        return on(0, true, args);
    }

    /** Runs a command on connection 0 of both without comparing replies (random results). */
    public byte[] runAny(String... args) {
        return on(0, false, args);
    }

    public byte[] on(int connection, boolean compareReplies, String... args) {
        return onBytes(connection, compareReplies, RawConnection.args(args));
    }

    /** Binary arguments (a DUMP payload) on connection 0; replies compared. */
    public byte[] runBytes(byte[]... args) {
        return onBytes(0, true, args);
    }

    public byte[] onBytes(int connection, boolean compareReplies, byte[]... args) {
        RawConnection[] p = pairs.get(connection);
        byte[] expected = p[0].callBytes(args);
        byte[] actual = p[1].callBytes(args);
        if (compareReplies && !Arrays.equals(expected, actual)) {
            divergences.add("reply to " + new String(args[0], StandardCharsets.ISO_8859_1) + "\n    redis: " + Differential.show(expected)
                    + "\n    ember: " + Differential.show(actual));
        }
        return actual;
    }

    /** Sends without reading (a command that blocks). */
    public void send(int connection, String... args) {
        byte[] req = RawConnection.encode(RawConnection.args(args));
        for (RawConnection c : pairs.get(connection)) c.send(req);
    }

    /** Reads the next reply on a connection of both and compares them. */
    public void expectReply(int connection, String what) {
        RawConnection[] p = pairs.get(connection);
        byte[] expected = p[0].readReply();
        byte[] actual = p[1].readReply();
        if (!Arrays.equals(expected, actual)) {
            divergences.add("reply (" + what + ")\n    redis: " + Differential.show(expected)
                    + "\n    ember: " + Differential.show(actual));
        }
    }

    /**
     * Compares what each server propagated since the last comparison; {@code label} names the
     * step in reports. Returns the commands Redis wrote, for targeted assertions.
     */
    public List<List<String>> compare(String label) {
        checks++;
        List<byte[][]> expected = readAof();
        List<byte[][]> actual = takeEmber();
        if (!sameCommands(expected, actual)) {
            divergences.add("propagated after " + label + "\n    redis: " + show(expected) + "\n    ember: " + show(actual));
        }
        return strings(expected);
    }

    /**
     * Like {@link #compare} for commands whose effect is random (SPOP, SRANDMEMBER's siblings):
     * only the number of commands, each one's name, key and argument count must match.
     */
    public List<List<String>> compareShape(String label) {
        checks++;
        List<byte[][]> expected = readAof();
        List<byte[][]> actual = takeEmber();
        boolean same = expected.size() == actual.size();
        for (int i = 0; same && i < expected.size(); i++) {
            byte[][] x = expected.get(i), y = actual.get(i);
            same = x.length == y.length && Arrays.equals(x[0], y[0]) && (x.length < 2 || Arrays.equals(x[1], y[1]));
        }
        if (!same) {
            divergences.add("propagated (shape) after " + label + "\n    redis: " + show(expected) + "\n    ember: " + show(actual));
        }
        return strings(expected);
    }

    /**
     * What each server propagated since the last comparison, {redis, ember}, for tests whose
     * servers cannot agree command for command (eviction picks different keys): they assert on it.
     */
    public List<List<List<String>>> takeBoth() {
        checks++;
        return List.of(strings(readAof()), strings(takeEmber()));
    }

    /**
     * Waits (up to 5 s) until both servers propagated at least {@code n} commands since the last
     * comparison (active expiry, eviction run from timers), then compares.
     */
    public List<List<String>> compareWhenBoth(String label, int n) throws InterruptedException {
        waitFor(() -> aofSize() > aofOffset && countEmber() >= n, label);
        Thread.sleep(50); // let both finish the cycle in progress
        return compare(label);
    }

    private static void waitFor(BooleanSupplier c, String what) throws InterruptedException {
        Await.until(c, what, 5);
    }

    private long aofSize() {
        try {
            return Files.size(aof);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int countEmber() {
        synchronized (emberFed) {
            return emberFed.size();
        }
    }

    private List<byte[][]> takeEmber() {
        synchronized (emberFed) {
            List<byte[][]> l = new ArrayList<>(emberFed);
            emberFed.clear();
            return l;
        }
    }

    private List<byte[][]> readAof() {
        byte[] data;
        try (RandomAccessFile f = new RandomAccessFile(aof.toFile(), "r")) {
            long len = f.length();
            data = new byte[(int) (len - aofOffset)];
            f.seek(aofOffset);
            f.readFully(data);
            aofOffset = len;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<byte[][]> out = new ArrayList<>();
        int[] pos = {0};
        while (pos[0] < data.length) {
            int n = (int) number(data, pos, '*');
            byte[][] argv = new byte[n][];
            for (int i = 0; i < n; i++) {
                int len = (int) number(data, pos, '$');
                argv[i] = Arrays.copyOfRange(data, pos[0], pos[0] + len);
                pos[0] += len + 2;
            }
            out.add(argv);
        }
        return out;
    }

    private static long number(byte[] data, int[] pos, char prefix) {
        if (data[pos[0]] != prefix) throw new IllegalStateException("unexpected AOF byte at " + pos[0]);
        int i = pos[0] + 1;
        long v = 0;
        while (data[i] != '\r') v = v * 10 + (data[i++] - '0');
        pos[0] = i + 2;
        return v;
    }

    static boolean sameCommands(List<byte[][]> a, List<byte[][]> b) {
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) {
            byte[][] x = a.get(i), y = b.get(i);
            if (x.length != y.length) return false;
            for (int j = 0; j < x.length; j++) {
                if (!sameArg(x[j], y[j])) return false;
            }
        }
        return true;
    }

    /** Equal bytes, or both absolute unix-ms times (or ms-seq stream IDs) within the tolerance. */
    static boolean sameArg(byte[] a, byte[] b) {
        if (Arrays.equals(a, b)) return true;
        String x = new String(a, StandardCharsets.ISO_8859_1), y = new String(b, StandardCharsets.ISO_8859_1);
        long[] tx = time(x), ty = time(y);
        if (tx == null || ty == null) return false;
        // The sequence number of a generated ID depends on whether its ms was already used on that
        // server: only the presence of one must match.
        return Math.abs(tx[0] - ty[0]) <= TIME_TOLERANCE_MS && (tx[1] == -1) == (ty[1] == -1);
    }

    /** {ms, seq} of "<ms>" or "<ms>-<seq>" where ms looks like a current unix time in ms. */
    private static long[] time(String s) {
        int dash = s.indexOf('-');
        try {
            long ms = Long.parseLong(dash < 0 ? s : s.substring(0, dash));
            long seq = dash < 0 ? -1 : Long.parseLong(s.substring(dash + 1));
            return ms > 1_000_000_000_000L && ms < 10_000_000_000_000L ? new long[] {ms, seq} : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static List<List<String>> strings(List<byte[][]> cmds) {
        List<List<String>> out = new ArrayList<>();
        for (byte[][] c : cmds) {
            List<String> l = new ArrayList<>();
            for (byte[] a : c) l.add(new String(a, StandardCharsets.ISO_8859_1));
            out.add(l);
        }
        return out;
    }

    private static String show(List<byte[][]> cmds) {
        StringBuilder sb = new StringBuilder("[");
        for (List<String> c : strings(cmds)) {
            if (sb.length() > 1) sb.append(" | ");
            String s = String.join(" ", c);
            sb.append(s.length() > 200 ? s.substring(0, 200) + "..." : s);
        }
        return sb.append(']').toString();
    }

    public List<String> divergences() {
        return divergences;
    }

    public long checks() {
        return checks;
    }

    /** Fails listing the divergences collected since the last call (then forgets them). */
    public void assertNoDivergence() {
        if (divergences.isEmpty()) return;
        StringBuilder sb = new StringBuilder(divergences.size() + " divergence(s) from redis-server in " + checks
                + " comparisons:\n");
        for (String d : divergences.subList(0, Math.min(30, divergences.size()))) sb.append("  ").append(d).append('\n');
        divergences.clear(); // reported once: the next test of the class starts clean
        throw new AssertionError(sb.toString());
    }

    @Override
    public void close() {
        for (RawConnection[] p : pairs) {
            for (RawConnection c : p) c.close();
        }
        if (ember != null) ember.close();
        if (redis != null) redis.close();
    }
}
