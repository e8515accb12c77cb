package io.ember.net;

import io.ember.config.ConfigException;
import io.ember.engine.Engine;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollChannelOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The TCP listeners: one server socket per {@code bind} address on {@code port}. Accepted
 * connections are registered on the engine's event loop. CONFIG SET port/bind rebinds: the new
 * sockets are opened first, and the old ones closed only if that worked.
 */
public final class NetServer {
    private final Engine engine;
    private final EventLoopGroup acceptGroup;
    private List<Channel> listeners = new ArrayList<>();

    public NetServer(Engine engine) {
        this.engine = engine;
        this.acceptGroup = engine.transport().newGroup(1, "ember-accept");
    }

    /** Opens the listeners; throws with Redis's wording when an address cannot be bound. */
    public void start() throws ConfigException {
        listeners = bindAll();
        engine.addShutdownHook(this::closeListeners);
    }

    /** Rebinds to the current port/bind settings (called on the engine thread). */
    public void rebind() throws ConfigException {
        List<Channel> fresh = bindAll();
        List<Channel> old = listeners;
        listeners = fresh;
        for (Channel c : old) c.close();
    }

    private List<Channel> bindAll() throws ConfigException {
        List<Channel> bound = new ArrayList<>();
        int port = engine.config.port;
        if (port == 0) return bound; // port 0: no TCP listener, as Redis
        for (String spec : engine.config.bind) {
            boolean optional = spec.startsWith("-");
            String addr = optional ? spec.substring(1) : spec;
            if (addr.equals("*")) addr = "0.0.0.0";
            if (addr.equals("::*")) addr = "::";
            try {
                bound.add(bootstrap().bind(addr, port).sync().channel());
            } catch (Exception e) {
                if (optional) continue;
                for (Channel c : bound) c.close();
                String reason = e.getMessage() == null ? e.toString() : e.getMessage();
                engine.log.warning("Warning: Could not create server TCP listening socket " + addr + ":" + port
                        + ": " + reason);
                throw new ConfigException("Failed listening on port " + port + " (TCP), aborting.");
            }
        }
        if (bound.isEmpty()) throw new ConfigException("Failed listening on port " + port + " (TCP), aborting.");
        return bound;
    }

    private ServerBootstrap bootstrap() {
        ServerBootstrap b = new ServerBootstrap()
                .group(acceptGroup, engine.group())
                .channel(engine.transport().serverChannel())
                .option(ChannelOption.SO_BACKLOG, engine.config.tcpBacklog)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(512 * 1024, 1024 * 1024))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        configureKeepalive(ch);
                        ch.pipeline().addLast(new ClientHandler(engine));
                    }
                });
        return b;
    }

    /** tcp-keepalive N: probes after N seconds idle, then every N/3 seconds, 3 probes (anetKeepAlive). */
    private void configureKeepalive(Channel ch) {
        int secs = engine.config.tcpKeepalive;
        if (secs <= 0) return;
        ch.config().setOption(ChannelOption.SO_KEEPALIVE, true);
        if (engine.transport().isEpoll()) {
            ch.config().setOption(EpollChannelOption.TCP_KEEPIDLE, secs);
            ch.config().setOption(EpollChannelOption.TCP_KEEPINTVL, Math.max(1, secs / 3));
            ch.config().setOption(EpollChannelOption.TCP_KEEPCNT, 3);
        }
    }

    /** The actual bound port (useful when configured with an ephemeral port in tests). */
    public int boundPort() {
        return listeners.isEmpty() ? 0
                : ((java.net.InetSocketAddress) listeners.get(0).localAddress()).getPort();
    }

    private void closeListeners() {
        // Wait (bounded) for the sockets to be closed, so the port is free once the engine has stopped.
        for (Channel c : listeners) c.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        acceptGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
