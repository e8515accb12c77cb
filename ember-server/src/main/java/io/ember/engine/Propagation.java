package io.ember.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What changes to the dataset become for the AOF (and later replicas): Redis's propagate(),
 * alsoPropagate() and propagatePendingCommands().
 *
 * <p>A command that changed the dataset (it raised {@link Engine#dirty}) is propagated as it was
 * executed: its own arguments, or what its handler chose with {@link #rewrite} (SET EX becomes
 * SET PXAT, BLPOP becomes LPOP...), or nothing after {@link #prevent}. Deletions the server
 * makes by itself (expiry, eviction) and extra commands a handler adds go through
 * {@link #alsoPropagate}. Everything collected during one top-level call — a command, an EXEC
 * with its queued commands, a served blocked client — reaches the listeners when that call ends,
 * wrapped in MULTI/EXEC when it is more than one command, as Redis 7.0 does. Outside a call
 * (active expiry, eviction) each command goes out on its own.
 *
 * <p>With no listener attached nothing is copied or collected: the cost for a server without AOF
 * is one check per write.
 */
public final class Propagation {
    /** Receives propagated commands in order; {@code db} is the database they apply to. */
    public interface Listener {
        void propagate(int db, byte[][] argv, int argc);
    }

    private record Op(int db, byte[][] argv) {}

    private static final byte[][] MULTI = {{'M', 'U', 'L', 'T', 'I'}};
    private static final byte[][] EXEC = {{'E', 'X', 'E', 'C'}};
    private static final byte[] DEL = {'D', 'E', 'L'};

    private final List<Listener> listeners = new ArrayList<>();
    private final ArrayList<Op> pending = new ArrayList<>();
    /** Call frames in progress (EXEC and scripts nest calls); ops wait for the outermost to end. */
    private int depth;
    /** Per frame, set by the running command's handler: its rewrite, and NORMAL/PREVENTED/FORCED. */
    private byte[][][] rewritten = new byte[8][][];
    private byte[] mode = new byte[8];
    private static final byte NORMAL = 0, PREVENTED = 1, FORCED = 2;

    public void addListener(Listener l) {
        listeners.add(l);
    }

    public void removeListener(Listener l) {
        listeners.remove(l);
    }

    /** True when something listens: handlers may skip building rewrites otherwise. */
    public boolean enabled() {
        return !listeners.isEmpty();
    }

    /** The running command is to be propagated as {@code argv} instead of its own arguments. */
    public void rewrite(byte[]... argv) {
        if (depth > 0 && enabled()) rewritten[depth - 1] = argv;
    }

    /**
     * The running command is not propagated itself (EXEC and scripts propagate the commands they
     * run; a command that only adds {@link #alsoPropagate} ops).
     */
    public void prevent() {
        if (depth > 0) mode[depth - 1] = PREVENTED;
    }

    /** The running command is propagated even if it changed nothing (FLUSHALL on an empty server). */
    public void force() {
        if (depth > 0) mode[depth - 1] = FORCED;
    }

    /** An extra command to propagate, after those already collected (Redis's alsoPropagate). */
    public void alsoPropagate(int db, byte[]... argv) {
        if (!enabled()) return;
        pending.add(new Op(db, argv));
        if (depth == 0) flush();
    }

    /** A key the server removed by itself (expiry, eviction): a DEL, as Redis propagates it. */
    public void propagateDeletion(int db, byte[] key) {
        if (enabled()) alsoPropagate(db, DEL, key);
    }

    /** How many ops are collected so far: a mark for {@link #discardFrom}. */
    public int mark() {
        return pending.size();
    }

    /**
     * Drops the ops collected since {@code mark}: the command a script just ran is not to be
     * propagated (redis.set_repl without the AOF target).
     */
    public void discardFrom(int mark) {
        for (int i = pending.size() - 1; i >= mark; i--) pending.remove(i);
    }

    // ---- called by the dispatcher around every command ----

    /** Opens a call frame. */
    public void beginCall() {
        if (depth == mode.length) {
            mode = Arrays.copyOf(mode, depth * 2);
            rewritten = Arrays.copyOf(rewritten, depth * 2);
        }
        mode[depth] = NORMAL;
        rewritten[depth] = null;
        depth++;
    }

    /**
     * Closes a call frame: collects the command if it changed the dataset (or was forced), and
     * hands everything collected to the listeners when the outermost call ends.
     */
    public void endCall(int db, byte[][] argv, int argc, boolean changedData) {
        int f = --depth;
        byte m = mode[f];
        if ((changedData && m == NORMAL || m == FORCED) && enabled()) {
            byte[][] r = rewritten[f];
            if (f == 0 && pending.isEmpty()) {
                // the usual case, a lone top-level write: straight to the listeners, nothing copied
                rewritten[f] = null;
                if (r != null) feed(db, r, r.length);
                else feed(db, argv, argc);
                return;
            }
            pending.add(new Op(db, r != null ? r : Arrays.copyOf(argv, argc)));
        }
        rewritten[f] = null;
        if (f == 0) flush();
    }

    /** propagatePendingCommands: MULTI/EXEC around more than one command. */
    private void flush() {
        int n = pending.size();
        if (n == 0) return;
        boolean wrap = n > 1;
        if (wrap) feed(pending.get(0).db, MULTI, 1);
        for (int i = 0; i < n; i++) {
            Op op = pending.get(i);
            feed(op.db, op.argv, op.argv.length);
        }
        // Redis feeds EXEC with no database (no SELECT before it): the last command's keeps it so.
        if (wrap) feed(pending.get(n - 1).db, EXEC, 1);
        pending.clear();
    }

    private void feed(int db, byte[][] argv, int argc) {
        for (int i = 0; i < listeners.size(); i++) listeners.get(i).propagate(db, argv, argc);
    }
}
