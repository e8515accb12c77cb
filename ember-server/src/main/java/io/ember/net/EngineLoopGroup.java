package io.ember.net;

import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SingleThreadIoEventLoop;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.Executor;

/**
 * The engine's event loop group: one Netty loop whose queued tasks can also be run from inside a
 * busy script (Redis's processEventsWhileBlocked), so that connections accepted meanwhile get
 * registered and can be answered -BUSY, or send SCRIPT KILL.
 */
final class EngineLoopGroup extends MultiThreadIoEventLoopGroup {
    EngineLoopGroup(String threadName, IoHandlerFactory handlerFactory) {
        super(1, new DefaultThreadFactory(threadName, true), handlerFactory);
    }

    @Override
    protected IoEventLoop newChild(Executor executor, IoHandlerFactory ioHandlerFactory, Object... args) {
        return new EngineLoop(this, executor, ioHandlerFactory);
    }

    static final class EngineLoop extends SingleThreadIoEventLoop implements Transport.QueuedTasks {
        EngineLoop(IoEventLoopGroup parent, Executor executor, IoHandlerFactory factory) {
            super(parent, executor, factory);
        }

        /**
         * Runs what is queued now (not scheduled tasks such as the cron), at most {@code max}
         * tasks; a task queued meanwhile waits for the next call.
         */
        @Override
        public void runQueued(int max) {
            for (int i = 0; i < max; i++) {
                Runnable task = pollTask();
                if (task == null) return;
                safeExecute(task);
            }
        }
    }
}
