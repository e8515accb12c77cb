package io.ember.pubsub;

import io.ember.util.ByteKey;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What one client is subscribed to (created on its first subscription). Sets keep subscription
 * order, which is the order UNSUBSCRIBE without arguments reports them in.
 */
public final class Subscriptions {
    final Set<ByteKey> channels = new LinkedHashSet<>();
    final Set<ByteKey> patterns = new LinkedHashSet<>();
    final Set<ByteKey> shardChannels = new LinkedHashSet<>();
    /**
     * Redis's CLIENT_PUBSUB flag: set by any subscription, cleared by an unsubscribe command that
     * leaves nothing (channels, patterns and shard channels). While it is set a RESP2 client may
     * only run the subscription commands, PING, QUIT and RESET.
     */
    public boolean pubsubMode;

    /** Channels plus patterns: the count in (P)SUBSCRIBE and (P)UNSUBSCRIBE replies. */
    public int count() {
        return channels.size() + patterns.size();
    }

    public int channelCount() {
        return channels.size();
    }

    public int patternCount() {
        return patterns.size();
    }

    public int shardCount() {
        return shardChannels.size();
    }
}
