package io.ember.tracking;

import io.ember.client.Client;
import io.ember.command.CommandKeys;
import io.ember.command.CommandSpec;
import io.ember.engine.Engine;
import io.ember.resp.Reply;
import io.ember.util.ByteKey;
import io.ember.util.Bytes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Server-assisted client-side caching (Redis's tracking.c). In the default mode the server
 * remembers which clients read which keys and, when a key changes, tells each of them once
 * ("invalidate" push in RESP3, or a message on {@code __redis__:invalidate} to the RESP2
 * subscriber a client redirects to) and forgets the key. In BCAST mode clients name key prefixes
 * instead and hear about every change under them, batched per event-loop iteration.
 *
 * <p>Keys are tracked by name alone, whatever the database, as in Redis. Owned by the engine thread.
 */
public final class Tracking {
    private static final byte[] INVALIDATE = Bytes.ascii("invalidate");
    private static final byte[] MESSAGE = Bytes.ascii("message");
    private static final byte[] CHANNEL = Bytes.ascii("__redis__:invalidate");
    private static final byte[] REDIR_BROKEN = Bytes.ascii("tracking-redir-broken");
    private static final byte[] NULL2 = Bytes.ascii("$-1\r\n"), NULL3 = Bytes.ascii("_\r\n");

    /** A BCAST prefix: its clients and the keys changed under it since the last broadcast. */
    private static final class Prefix {
        final Set<Client> clients = new LinkedHashSet<>();
        /** Changed key → the client that first changed it (for NOLOOP), in key order. */
        final TreeMap<byte[], Client> keys = new TreeMap<>(Arrays::compareUnsigned);
    }

    private final Engine engine;
    /** Default mode: key → IDs of clients that read it since it last changed. */
    private final Map<ByteKey, Set<Long>> table = new HashMap<>();
    private long items;
    private final TreeMap<byte[], Prefix> prefixes = new TreeMap<>(Arrays::compareUnsigned);
    private int clients;
    /** The client running a command: its own invalidations wait until the command has replied. */
    private Client current;
    /** Invalidations for {@link #current} (null entries: everything, after a flush). */
    private final List<byte[]> pendingForCurrent = new ArrayList<>();
    private boolean broadcastScheduled;
    /** Rounds in a row the table stayed over tracking-table-max-keys (more effort each time). */
    private int overLimitRounds;

    public Tracking(Engine engine) {
        this.engine = engine;
    }

    // ---- statistics (INFO) ----

    public int clients() {
        return clients;
    }

    public int keys() {
        return table.size();
    }

    public long items() {
        return items;
    }

    public int prefixCount() {
        return prefixes.size();
    }

    // ---- CLIENT TRACKING ON/OFF ----

    /**
     * enableTracking. Turning BCAST tracking on again adds prefixes to the ones the client has;
     * BCAST without a prefix means every key (the empty prefix).
     */
    public void enable(Client c, long redirect, boolean bcast, boolean optin, boolean optout, boolean noloop,
                       List<byte[]> newPrefixes) {
        ClientTracking old = c.tracking;
        if (old == null) clients++;
        ClientTracking t = new ClientTracking(redirect, bcast, optin, optout, noloop);
        if (old != null) {
            t.prefixes.addAll(old.prefixes);
            t.caching = old.caching; // a pending CLIENT CACHING survives, as Redis keeps the flag
        }
        c.tracking = t;
        if (!bcast) return;
        List<byte[]> add = newPrefixes.isEmpty() ? List.of(Bytes.EMPTY) : newPrefixes;
        for (byte[] p : add) {
            ByteKey k = new ByteKey(p);
            if (!t.prefixes.contains(k)) t.prefixes.add(k);
            prefixes.computeIfAbsent(p, x -> new Prefix()).clients.add(c);
        }
    }

    /** disableTracking (also on RESET and disconnect). Keys the client read stay in the table until they change. */
    public void disable(Client c) {
        ClientTracking t = c.tracking;
        if (t == null) return;
        for (ByteKey k : t.prefixes) {
            Prefix p = prefixes.get(k.bytes());
            if (p == null) continue;
            p.clients.remove(c);
            if (p.clients.isEmpty()) prefixes.remove(k.bytes());
        }
        c.tracking = null;
        clients--;
    }

    /**
     * checkPrefixCollisionsOrReply: the error text when one of {@code given} overlaps (is a prefix
     * of, or has as prefix) one the client already has or another one given; null when none do.
     */
    public static String prefixCollision(Client c, List<byte[]> given) {
        for (int i = 0; i < given.size(); i++) {
            byte[] p = given.get(i);
            if (c.tracking != null) {
                for (ByteKey k : c.tracking.prefixes) {
                    if (overlap(p, k.bytes())) {
                        return "ERR Prefix '" + Bytes.latin1(p) + "' overlaps with an existing prefix '"
                                + Bytes.latin1(k.bytes()) + "'. Prefixes for a single client must not overlap.";
                    }
                }
            }
            for (int j = i + 1; j < given.size(); j++) {
                if (overlap(p, given.get(j))) {
                    return "ERR Prefix '" + Bytes.latin1(p) + "' overlaps with another provided prefix '"
                            + Bytes.latin1(given.get(j)) + "'. Prefixes for a single client must not overlap.";
                }
            }
        }
        return null;
    }

    private static boolean overlap(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        return Arrays.equals(a, 0, n, b, 0, n);
    }

    // ---- around each command ----

    /** The dispatcher is about to run a command for {@code c}. */
    public void beginCommand(Client c) {
        current = c;
    }

    /**
     * The command has replied: deliver the client's own invalidations after that reply, and end a
     * CLIENT CACHING yes/no, which covers one command (or one transaction) only.
     */
    public void endCommand(Client c, CommandSpec cmd) {
        current = null;
        if (!pendingForCurrent.isEmpty()) {
            if (c.tracking != null) {
                for (byte[] key : pendingForCurrent) send(c, key);
            }
            pendingForCurrent.clear();
        }
        ClientTracking t = c.tracking;
        if (t != null && t.caching && c.multi == null && !isClientCommand(cmd)) {
            t.caching = false;
        }
    }

    private static boolean isClientCommand(CommandSpec cmd) {
        return cmd != null && (cmd.parent != null ? cmd.parent : cmd).name.equals("client");
    }

    /** trackingRememberKeys: a read-only command ran; remember its keys for the client. */
    public void rememberKeys(Client c, CommandSpec cmd, byte[][] argv, int argc) {
        ClientTracking t = c.tracking;
        if (t == null || t.bcast) return;
        if ((t.optin && !t.caching) || (t.optout && t.caching)) return;
        for (int[] k : CommandKeys.find(cmd, argv, argc)) {
            Set<Long> ids = table.computeIfAbsent(new ByteKey(argv[k[0]]), x -> new LinkedHashSet<>(2));
            if (ids.add(c.id)) items++;
        }
    }

    // ---- invalidation ----

    /** A key changed (written, deleted, expired): trackingInvalidateKey with broadcast. */
    public void keyChanged(byte[] key) {
        if (!prefixes.isEmpty()) rememberForBroadcast(key);
        if (!table.isEmpty()) invalidate(key);
    }

    private void invalidate(byte[] key) {
        Set<Long> ids = table.remove(new ByteKey(key));
        if (ids == null) return;
        items -= ids.size();
        for (long id : ids) {
            Client target = engine.clients.get(id);
            if (target == null || target.tracking == null || target.tracking.bcast) continue;
            if (target.tracking.noloop && target == current) continue;
            if (target == current) pendingForCurrent.add(key);
            else send(target, key);
        }
    }

    /** FLUSHDB/FLUSHALL: every tracking client drops its whole cache; the table is emptied. */
    public void flushed() {
        if (clients > 0) {
            for (Client c : engine.clients.all()) {
                if (c.tracking == null) continue;
                if (c == current) pendingForCurrent.add(null);
                else send(c, (byte[]) null);
            }
        }
        table.clear();
        items = 0;
    }

    private void rememberForBroadcast(byte[] key) {
        for (Map.Entry<byte[], Prefix> e : prefixes.entrySet()) {
            byte[] p = e.getKey();
            if (key.length >= p.length && Arrays.equals(key, 0, p.length, p, 0, p.length)) {
                e.getValue().keys.putIfAbsent(key, current);
            }
        }
        if (!broadcastScheduled) {
            broadcastScheduled = true;
            engine.loop().execute(this::broadcast); // after this loop iteration's commands, as beforeSleep
        }
    }

    /** trackingBroadcastInvalidationMessages: per prefix, one message of its changed keys to each client. */
    private void broadcast() {
        broadcastScheduled = false;
        List<byte[]> keys = new ArrayList<>();
        for (Prefix p : prefixes.values()) {
            if (p.keys.isEmpty()) continue;
            for (Client c : p.clients) {
                keys.clear();
                for (Map.Entry<byte[], Client> k : p.keys.entrySet()) {
                    if (c.tracking != null && c.tracking.noloop && k.getValue() == c) continue;
                    keys.add(k.getKey());
                }
                if (!keys.isEmpty()) send(c, keys);
            }
            p.keys.clear();
        }
        limitTableSize();
    }

    /**
     * trackingLimitUsedSlots: over tracking-table-max-keys, invalidate keys (each as if it had
     * changed) until back under it, with more effort each round the table stays over.
     */
    public void limitTableSize() {
        long max = engine.config.trackingTableMaxKeys;
        if (max == 0 || table.size() <= max) {
            overLimitRounds = 0;
            return;
        }
        int effort = 100 * (overLimitRounds + 1);
        Iterator<ByteKey> it = table.keySet().iterator();
        List<byte[]> victims = new ArrayList<>();
        while (effort-- > 0 && it.hasNext() && table.size() - victims.size() > max) victims.add(it.next().bytes());
        for (byte[] k : victims) invalidate(k);
        overLimitRounds = table.size() > max ? overLimitRounds + 1 : 0;
    }

    // ---- messages ----

    private void send(Client target, byte[] keyOrNull) {
        Client dest = destination(target);
        if (dest == null || !header(dest, target)) return;
        if (keyOrNull == null) {
            dest.reply.raw(target.resp() >= 3 ? NULL3 : NULL2); // the tracking client's null, as Redis
        } else {
            dest.reply.arrayHeader(1);
            dest.reply.bulk(keyOrNull);
        }
        engine.markPendingWrite(dest);
    }

    private void send(Client target, List<byte[]> keys) {
        Client dest = destination(target);
        if (dest == null || !header(dest, target)) return;
        dest.reply.bulkArray(keys);
        engine.markPendingWrite(dest);
    }

    /** Where the client's invalidations go: itself, its redirect target, or nowhere (broken redirect). */
    private Client destination(Client target) {
        long redirect = target.tracking.redirect;
        if (redirect == 0) return target;
        Client r = engine.clients.get(redirect);
        if (r != null) return r;
        target.tracking.brokenRedirect = true;
        if (target.resp() >= 3) {
            target.reply.pushHeader(2);
            target.reply.bulk(REDIR_BROKEN);
            target.reply.integer(redirect);
            engine.markPendingWrite(target);
        }
        return null;
    }

    /** The message header: a RESP3 push, or a Pub/Sub message for a RESP2 subscriber redirected to. */
    private static boolean header(Client dest, Client target) {
        Reply r = dest.reply;
        if (dest.resp() >= 3) {
            r.pushHeader(2);
            r.bulk(INVALIDATE);
            return true;
        }
        if (dest != target && dest.inPubSubMode()) {
            r.pushHeader(3);
            r.bulk(MESSAGE);
            r.bulk(CHANNEL);
            return true;
        }
        return false; // RESP2 without redirection: nothing can be sent
    }
}
