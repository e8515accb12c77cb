package io.ember.client;

/**
 * One line of CLIENT LIST / CLIENT INFO, with Redis 7.0's fields in Redis's order
 * (catClientInfoString). Fields Ember has no counterpart for keep Redis's neutral value
 * memory figures are
 * what Ember actually buffers for the client.
 */
public final class ClientInfo {
    private ClientInfo() {}

    /** Client types of CLIENT LIST TYPE / CLIENT KILL TYPE (getClientTypeByName). */
    public static final int TYPE_NORMAL = 0, TYPE_REPLICA = 1, TYPE_PUBSUB = 2, TYPE_MASTER = 3;

    /** Rough fixed heap cost of a connection (Client, handler, parser, reply objects), for tot-mem. */
    private static final long CLIENT_OVERHEAD = 1024;

    /** The type name to its code, or -1 (Redis accepts "slave" as an alias of "replica"). */
    public static int typeByName(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "normal" -> TYPE_NORMAL;
            case "slave", "replica" -> TYPE_REPLICA;
            case "pubsub" -> TYPE_PUBSUB;
            case "master" -> TYPE_MASTER;
            default -> -1;
        };
    }

    /** getClientType. MONITOR clients count as normal, as in Redis; Ember has no replicas yet. */
    public static int type(Client c) {
        return c.inPubSubMode() ? TYPE_PUBSUB : TYPE_NORMAL;
    }

    /**
     * The info line without the trailing newline. {@code argvMem} is the size of the arguments
     * of the command the client is executing (only the caller is mid-command on the engine thread).
     */
    public static String line(Client c, long nowMs, long argvMem) {
        long qbuf = c.queryBufferBytes;
        long multiMem = c.multi == null ? 0 : c.multi.argvBytes;
        long obl = c.reply.pendingBytes();
        long omem = c.conn == null ? 0 : c.conn.pendingOutputBytes();
        StringBuilder sb = new StringBuilder(256);
        sb.append("id=").append(c.id);
        sb.append(" addr=").append(c.conn == null ? "?:0" : c.conn.peerAddress());
        sb.append(" laddr=").append(c.conn == null ? "?:0" : c.conn.localAddress());
        sb.append(" fd=").append(c.conn == null ? -1 : c.conn.fd());
        sb.append(" name=").append(c.nameOrEmpty());
        sb.append(" age=").append(nowMs / 1000 - c.createdMs / 1000);
        sb.append(" idle=").append(nowMs / 1000 - c.lastInteractionMs / 1000);
        sb.append(" flags=").append(flags(c));
        sb.append(" db=").append(c.db.id);
        io.ember.pubsub.Subscriptions subs = c.subscriptionsOrNull();
        sb.append(" sub=").append(subs == null ? 0 : subs.channelCount());
        sb.append(" psub=").append(subs == null ? 0 : subs.patternCount());
        sb.append(" ssub=").append(subs == null ? 0 : subs.shardCount());
        sb.append(" multi=").append(c.multi == null ? -1 : c.multi.commands.size());
        sb.append(" qbuf=").append(qbuf);
        sb.append(" qbuf-free=0");
        sb.append(" argv-mem=").append(argvMem);
        sb.append(" multi-mem=").append(multiMem);
        // Ember has no fixed per-client reply buffer: output is allocated per batch and released
        // once written, so the static-buffer figures are zero.
        sb.append(" rbs=0 rbp=0");
        sb.append(" obl=").append(obl);
        sb.append(" oll=0");
        sb.append(" omem=").append(omem);
        sb.append(" tot-mem=").append(CLIENT_OVERHEAD + qbuf + argvMem + multiMem + obl + omem);
        sb.append(" events=").append(c.conn == null || c.conn.embedded() ? "" : omem > 0 ? "rw" : "r");
        sb.append(" cmd=").append(c.lastCommand == null ? "NULL" : c.lastCommand.fullName);
        sb.append(" user=").append(c.user);
        sb.append(" redir=").append(c.tracking == null ? -1 : c.tracking.redirect);
        sb.append(" resp=").append(c.resp());
        return sb.toString();
    }

    /** The flags letters, in Redis's order; 'N' when none apply. */
    static String flags(Client c) {
        StringBuilder f = new StringBuilder(4);
        if (c.monitor) f.append('O');
        if (c.inPubSubMode()) f.append('P');
        if (c.multi != null) f.append('x');
        if (c.blocked) f.append('b');
        if (c.tracking != null) {
            f.append('t');
            if (c.tracking.brokenRedirect) f.append('R');
            if (c.tracking.bcast) f.append('B');
        }
        if (c.dirtyCas) f.append('d');
        if (c.closeAfterReply) f.append('c');
        if (c.noEvict) f.append('e');
        if (f.length() == 0) f.append('N');
        return f.toString();
    }
}
