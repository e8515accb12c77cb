package io.ember.client;

/** The transport side of a client: a socket for network clients, nothing for embedded callers. */
public interface Connection {
    /** "ip:port" of the peer, as CLIENT LIST's addr. */
    String peerAddress();

    /** How MONITOR names the client ("lua" for the script client, as replicationFeedMonitors). */
    default String monitorAddress() {
        return peerAddress();
    }

    /** "ip:port" of our end, as CLIENT LIST's laddr. */
    String localAddress();

    /** True when the peer is on a loopback address (enable-debug-command local, protected mode). */
    boolean isLocal();

    /** Sends what the client's Reply buffered. Safe to call with nothing buffered. */
    void flush();

    /**
     * Sends replies taken from the client's buffer earlier and held back by the engine's
     * {@link io.ember.engine.ReplyGate} (appendfsync always) until their writes were durable.
     */
    default void send(io.netty.buffer.ByteBuf out) {
        out.release();
    }

    /** Closes after pending output is written. */
    void close();

    /** Bytes queued in the transport and not yet written to the socket. */
    long pendingOutputBytes();

    int fd();

    /** A blocked client was served or timed out: process the input it had already sent. */
    default void resumeInput() { }

    /** True for an in-process caller without a socket: CLIENT KILL cannot disconnect it. */
    default boolean embedded() {
        return false;
    }

    /**
     * While a script runs past busy-reply-threshold the engine thread is inside the script: the
     * script's hook calls this on every other connection to read and answer pending requests
     * (-BUSY, or the few commands allowed while busy), as Redis's processEventsWhileBlocked.
     */
    default void pollWhileBusy() { }
}
