package io.ember.net;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/** Netty's native epoll transport when the platform has it, NIO otherwise. */
public record Transport(String name, IoHandlerFactory handlerFactory, Class<? extends ServerChannel> serverChannel) {

    public static Transport best() {
        if (!Boolean.getBoolean("ember.nio") && Epoll.isAvailable()) {
            return new Transport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class);
        }
        return new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class);
    }

    public EventLoopGroup newGroup(int threads, String threadName) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(threadName, true), handlerFactory);
    }

    /** The engine's single loop; it implements {@link QueuedTasks}. */
    public EventLoopGroup newEngineGroup(String threadName) {
        return new EngineLoopGroup(threadName, handlerFactory);
    }

    /** An event loop whose queued tasks can be run from inside a long command (a busy script). */
    public interface QueuedTasks {
        void runQueued(int max);
    }

    public boolean isEpoll() {
        return name.equals("epoll");
    }
}
