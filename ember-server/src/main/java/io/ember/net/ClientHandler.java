package io.ember.net;

import io.ember.client.Client;
import io.ember.client.ClientInfo;
import io.ember.client.OutputLimits;
import io.ember.client.Connection;
import io.ember.engine.Engine;
import io.ember.resp.ProtocolException;
import io.ember.resp.QueryBuffer;
import io.ember.resp.Reply;
import io.ember.resp.RequestParser;
import io.ember.tx.Transactions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * One client connection, running on the engine thread. Received bytes are copied into the query
 * buffer, parsed into requests and executed immediately; replies collect in the client's reply
 * buffer and are written by the engine's pending-writes task once every ready connection has
 * been read (so a pipeline of N commands costs one write). A client that stops reading its
 * replies stops being read (back-pressure) instead of growing the heap.
 */
final class ClientHandler extends ChannelInboundHandlerAdapter implements Connection {
    private static final long UNAUTH_QUERY_LIMIT = 1024 * 1024;

    private final Engine engine;
    private final RequestParser parser = new RequestParser();
    private final QueryBuffer query = new QueryBuffer();
    private Channel channel;
    private Client client;
    /** No more requests are read: a reply is pending before the close (QUIT, protocol error). */
    private boolean closing;
    /** The close waits for replies held by the reply gate (appendfsync always). */
    private boolean closeAfterHeld;
    private String peer, local;

    ClientHandler(Engine engine) {
        this.engine = engine;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        peer = format((InetSocketAddress) channel.remoteAddress());
        local = format((InetSocketAddress) channel.localAddress());
        if (engine.clients.size() >= engine.config.maxclients) {
            engine.clients.connectionRejected();
            rejectConnection("-ERR max number of clients reached\r\n");
            return;
        }
        if (engine.config.protectedMode && engine.config.requirepass.isEmpty() && !isLocal()) {
            engine.clients.connectionRejected();
            rejectConnection(ProtectedMode.DENIED);
            return;
        }
        engine.updateTime();
        client = new Client(engine.clients.nextId(), engine, new Reply(ctx.alloc(), engine.stats), this, engine.nowMs());
        engine.clients.add(client);
    }

    private void rejectConnection(String message) {
        closing = true;
        channel.writeAndFlush(Unpooled.copiedBuffer(message, StandardCharsets.ISO_8859_1))
                .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (closing || client == null) {
            in.release();
            return;
        }
        engine.stats.netInputBytes += in.readableBytes();
        engine.stats.totalReadsProcessed++;
        try {
            query.append(in);
        } finally {
            in.release();
        }
        processInput();
    }

    private void processInput() {
        try {
            while (!closing && !client.blocked && query.isReadable()) {
                if (!parser.parse(query, engine.config.protoMaxBulkLen, engine.dispatcher.authRequired(client))) {
                    break;
                }
                boolean keepOpen = engine.dispatcher.process(client, parser.argv(), parser.argc());
                parser.reset();
                if (!keepOpen) {
                    closeNow();
                    return;
                }
                if (client.closeAfterReply) closing = true;
            }
        } catch (ProtocolException e) {
            client.reply.error(e.replyMessage());
            engine.log.verbose("Protocol error (" + e.getMessage() + ") from client: id=" + client.id + " addr=" + peer);
            closing = true;
        }
        if (!closing && overQueryBufferLimit()) {
            engine.log.warning("Closing client that reached max query buffer length: id=" + client.id + " addr=" + peer);
            closeNow();
            return;
        }
        query.compact();
        client.queryBufferBytes = query.readable() + parser.pendingArgBytes();
        if (closing) closeAfterFlush();
    }

    /** Sends what is buffered and closes, once held replies (if any) have gone out. */
    private void closeAfterFlush() {
        if (client != null && engine.replyGate != null) {
            ByteBuf out = client.reply.takeOutput();
            if (engine.replyGate.hold(client, out == null ? Unpooled.EMPTY_BUFFER : out)) {
                closeAfterHeld = true;
                return;
            }
            if (out != null) send(out);
        } else {
            flush();
        }
        channel.close();
    }

    private boolean overQueryBufferLimit() {
        long q = query.readable() + parser.pendingArgBytes()
                + (client.multi != null ? client.multi.argvBytes : 0);
        return q > engine.config.clientQueryBufferLimit
                || (q > UNAUTH_QUERY_LIMIT && engine.dispatcher.authRequired(client));
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (client != null) engine.markPendingWrite(client);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (channel.isWritable()) {
            channel.config().setAutoRead(true);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        parser.reset();
        if (client != null) {
            engine.blocking.clientGone(client);
            engine.clients.remove(client);
            engine.detach(client);
            Transactions.discard(client);
            client.reply.release();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        engine.log.verbose("Error on client connection " + peer + ": " + cause.getMessage());
        closeNow();
    }

    // ---- Connection ----

    /** Sends the client's buffered replies, unless the reply gate holds them for now (appendfsync always). */
    @Override
    public void flush() {
        if (client == null) return;
        ByteBuf out = client.reply.takeOutput();
        if (out == null) return;
        if (engine.replyGate != null && engine.replyGate.hold(client, out)) return;
        send(out);
    }

    @Override
    public void send(ByteBuf out) {
        if (!out.isReadable() || !channel.isActive()) {
            out.release();
            if (closeAfterHeld) channel.close();
            return;
        }
        engine.stats.netOutputBytes += out.readableBytes();
        engine.stats.totalWritesProcessed++;
        channel.writeAndFlush(out, channel.voidPromise());
        // Output the peer has not taken yet: a client that stops reading (a subscriber that
        // falls behind) is disconnected past its class's client-output-buffer-limit.
        long pending = pendingOutputBytes();
        if (pending > 0 && OutputLimits.exceeded(client, pending)) {
            engine.log.warning("Client " + ClientInfo.line(client, engine.nowMs(), 0)
                    + " scheduled to be closed ASAP for overcoming of output buffer limits.");
            closeNow();
            return;
        }
        if (pending == 0) client.obufSoftLimitReachedSec = 0;
        if (!channel.isWritable()) channel.config().setAutoRead(false);
        if (closeAfterHeld) channel.close();
    }

    /** Direct buffer the busy-script poll reads into: one per engine thread (several servers may share a JVM). */
    private static final ThreadLocal<java.nio.ByteBuffer> BUSY_READ_BUFFER =
            ThreadLocal.withInitial(() -> java.nio.ByteBuffer.allocateDirect(16 * 1024));

    /**
     * Reads this connection's socket behind Netty's back (the event loop is inside a script) and
     * runs what arrived: the dispatcher answers -BUSY or runs the allowed commands. Epoll only: an
     * NIO connection waits until the script ends.
     */
    @Override
    public void pollWhileBusy() {
        if (client == null || closing || client.blocked || !channel.isActive()) return;
        if (!(channel instanceof io.netty.channel.unix.UnixChannel ec)) return;
        java.nio.ByteBuffer bb = BUSY_READ_BUFFER.get();
        try {
            int n;
            while ((n = ec.fd().read(bb, 0, bb.capacity())) > 0) {
                bb.clear().limit(n);
                ByteBuf in = Unpooled.wrappedBuffer(bb);
                engine.stats.netInputBytes += n;
                query.append(in);
                bb.clear();
                processInput();
                if (closing || client.blocked) break;
            }
        } catch (java.io.IOException e) {
            return; // the normal read path sees the error once the script is over
        }
        flush();
    }

    @Override
    public void resumeInput() {
        // Not from inside the command that unblocked us: after it, on the engine loop.
        engine.loop().execute(() -> {
            if (channel.isActive() && !closing && !client.blocked && query.isReadable()) {
                processInput();
                engine.markPendingWrite(client); // no read completes here to flush these replies
            }
        });
    }

    @Override
    public void close() {
        closing = true;
        closeAfterFlush();
    }

    private void closeNow() {
        closing = true;
        channel.close();
    }

    @Override
    public String peerAddress() {
        return peer;
    }

    @Override
    public String localAddress() {
        return local;
    }

    @Override
    public boolean isLocal() {
        InetSocketAddress a = (InetSocketAddress) channel.remoteAddress();
        return a != null && a.getAddress() != null && a.getAddress().isLoopbackAddress();
    }

    @Override
    public long pendingOutputBytes() {
        return channel.unsafe().outboundBuffer() == null ? 0 : channel.unsafe().outboundBuffer().totalPendingWriteBytes();
    }

    @Override
    public int fd() {
        if (channel instanceof io.netty.channel.unix.UnixChannel u) return u.fd().intValue();
        return -1;
    }

    private static String format(InetSocketAddress a) {
        if (a == null) return "?:0";
        String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        int pct = host.indexOf('%');
        if (pct >= 0) host = host.substring(0, pct);
        return host + ":" + a.getPort();
    }
}
