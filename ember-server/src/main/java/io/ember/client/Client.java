package io.ember.client;

import io.ember.command.CommandSpec;
import io.ember.engine.Database;
import io.ember.engine.Engine;
import io.ember.pubsub.Subscriptions;
import io.ember.tracking.ClientTracking;
import io.ember.resp.Reply;
import io.ember.tx.Transaction;
import io.ember.tx.WatchedKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-connection state, owned by the engine thread: selected database, protocol, name,
 * authentication, transaction and watches, reply mode. Network and embedded clients are the
 * same class; only their {@link Connection} differs.
 */
public final class Client {
    /** CLIENT REPLY modes. */
    public static final int REPLY_ON = 0, REPLY_OFF = 1, REPLY_SKIP_NEXT = 2, REPLY_SKIP = 3;

    public final long id;
    public final Engine engine;
    public final Reply reply;
    public final Connection conn;
    public final long createdMs;
    public long lastInteractionMs;

    public Database db;
    public byte[] name;
    public boolean authenticated;
    public String user = "default";

    /** Set by QUIT and protocol errors: close once the pending replies are written. */
    public boolean closeAfterReply;
    public boolean monitor;
    public boolean noEvict;
    public int replyMode = REPLY_ON;

    /** Non-null between MULTI and EXEC/DISCARD. */
    public Transaction multi;
    /** Keys WATCHed by this client; empty when none. */
    public final List<WatchedKey> watched = new ArrayList<>(0);
    /** A watched key changed: the next EXEC must fail. */
    public boolean dirtyCas;

    /** Parked by a blocking command (engine.Blocking): its input is not read meanwhile. */
    public boolean blocked;

    /** Pub/Sub subscriptions; null until the first SUBSCRIBE/PSUBSCRIBE/SSUBSCRIBE. */
    private Subscriptions subscriptions;

    /** CLIENT TRACKING settings; null while tracking is off. */
    public ClientTracking tracking;

    /** When the pending output first passed the soft limit (unix seconds), 0 when below it. */
    public long obufSoftLimitReachedSec;

    /** Command being executed / last executed (CLIENT LIST cmd=). */
    public CommandSpec lastCommand;
    /** Bytes of the request currently being parsed, for CLIENT LIST qbuf. */
    public long queryBufferBytes;
    /** AOF offset right after this client's last write (Redis 7.2's c->woff): what WAITAOF waits for. */
    public long aofWriteOffset;

    public Client(long id, Engine engine, Reply reply, Connection conn, long nowMs) {
        this.id = id;
        this.engine = engine;
        this.reply = reply;
        this.conn = conn;
        this.createdMs = nowMs;
        this.lastInteractionMs = nowMs;
        this.db = engine.db(0);
        this.authenticated = engine.config.requirepass.isEmpty();
    }

    public int resp() {
        return reply.protocol();
    }

    public boolean inMulti() {
        return multi != null;
    }

    /** The client's subscriptions, created on first use. */
    public Subscriptions subscriptions() {
        if (subscriptions == null) subscriptions = new Subscriptions();
        return subscriptions;
    }

    public Subscriptions subscriptionsOrNull() {
        return subscriptions;
    }

    public void clearSubscriptions() {
        subscriptions = null;
    }

    /** Redis's CLIENT_PUBSUB flag (RESP2 subscriber context). */
    public boolean inPubSubMode() {
        return subscriptions != null && subscriptions.pubsubMode;
    }

    public String nameOrEmpty() {
        return name == null ? "" : io.ember.util.Bytes.latin1(name);
    }
}
