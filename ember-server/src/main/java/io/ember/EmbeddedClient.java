package io.ember;

import io.ember.client.Client;
import io.ember.client.InProcessConnection;
import io.ember.engine.Engine;
import io.ember.resp.RespReader;
import io.ember.resp.RespValue;
import io.ember.resp.Reply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Runs commands in the same JVM without a socket. The request goes through the same dispatcher
 * as a network request, on the engine thread, so atomicity and semantics are identical; the
 * reply is decoded into a {@link RespValue}. Calls block the caller until the engine answers.
 */
public final class EmbeddedClient implements AutoCloseable {
    private final Engine engine;
    private final Client client;
    /** The reply a blocked command's caller is waiting for (engine thread only). */
    private CompletableFuture<RespValue> pending;
    /** Callers whose replies the engine's reply gate holds until their writes are durable (appendfsync always). */
    private final java.util.ArrayDeque<CompletableFuture<RespValue>> awaitingDurable = new java.util.ArrayDeque<>();

    EmbeddedClient(Engine engine) {
        this.engine = engine;
        Reply reply = new Reply(new UnpooledByteBufAllocator(false), engine.stats);
        this.client = onEngine(() -> {
            Client c = new Client(engine.clients.nextId(), engine, reply, new Local(this), engine.nowMs());
            engine.clients.add(c);
            return c;
        });
    }

    public RespValue call(String... args) {
        byte[][] argv = new byte[args.length][];
        for (int i = 0; i < args.length; i++) argv[i] = args[i].getBytes(StandardCharsets.UTF_8);
        return call(argv);
    }

    /**
     * Runs one command and waits for its reply. A blocking command (BLPOP...) waits until it is
     * served or times out, like a network client would.
     */
    public RespValue call(byte[]... argv) {
        try {
            return callAsync(argv).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs one command; the future completes with its reply (later, if the command blocks). */
    public CompletableFuture<RespValue> callAsync(byte[]... argv) {
        if (argv.length == 0) throw new IllegalArgumentException("empty command");
        if (engine.inEngineThread()) throw new IllegalStateException("EmbeddedClient used from the engine thread");
        byte[][] copy = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) copy[i] = argv[i].clone(); // the caller may reuse its arrays
        CompletableFuture<RespValue> result = new CompletableFuture<>();
        engine.loop().execute(() -> {
            try {
                engine.dispatcher.process(client, copy, copy.length);
                if (client.blocked) pending = result; // completed by resumeInput when served
                else answer(result);
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** Completes {@code f} with the reply in the client's buffer, once the reply gate lets it go (engine thread). */
    private void answer(CompletableFuture<RespValue> f) {
        ByteBuf out = client.reply.takeOutput();
        if (out != null && engine.replyGate != null && engine.replyGate.hold(client, out)) {
            awaitingDurable.add(f);
            return;
        }
        f.complete(decode(out));
    }

    private static RespValue decode(ByteBuf out) {
        if (out == null) return null;
        try {
            byte[] bytes = new byte[out.readableBytes()];
            out.readBytes(bytes);
            return new RespReader(bytes).read();
        } finally {
            out.release();
        }
    }

    @Override
    public void close() {
        onEngine(() -> {
            engine.blocking.clientGone(client);
            engine.clients.remove(client);
            io.ember.tx.Transactions.discard(client);
            return null;
        });
    }

    private <T> T onEngine(java.util.concurrent.Callable<T> task) {
        try {
            if (engine.inEngineThread()) return task.call();
            return engine.loop().submit(task).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The embedded caller's side of the connection: same process, always local. */
    private static final class Local extends InProcessConnection {
        private final EmbeddedClient owner;

        Local(EmbeddedClient owner) {
            super("embedded:0", "embedded:0", true);
            this.owner = owner;
        }

        /** A blocked command was served or timed out: hand its reply to the waiting caller. */
        @Override
        public void resumeInput() {
            CompletableFuture<RespValue> waiting = owner.pending;
            if (waiting == null) return;
            owner.pending = null;
            owner.answer(waiting);
        }

        /** A reply held by the reply gate is now durable: the oldest waiting caller gets it. */
        @Override
        public void send(ByteBuf out) {
            CompletableFuture<RespValue> f = owner.awaitingDurable.poll();
            if (f == null) out.release();
            else f.complete(decode(out));
        }
    }
}
