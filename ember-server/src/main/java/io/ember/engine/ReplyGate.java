package io.ember.engine;

import io.ember.client.Client;
import io.netty.buffer.ByteBuf;

/**
 * Holds clients' replies back until the writes they acknowledge are durable (appendfsync always:
 * the AOF's group commit). A connection asks before sending what its client's reply buffer holds.
 */
public interface ReplyGate {
    /**
     * Takes {@code out}, the replies taken from {@code c}'s buffer, to send them later through
     * {@code c.conn.send}; returns false when they may go out now (then the caller sends them).
     */
    boolean hold(Client c, ByteBuf out);
}
