package io.ember.pubsub;

import io.ember.client.Client;
import io.ember.resp.Reply;
import io.ember.util.ByteKey;
import io.ember.util.Bytes;
import io.ember.util.Glob;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The server's subscriptions (Redis's pubsub.c): channel and shard-channel subscribers, pattern
 * subscribers, and publishing to them. Owned by the engine thread.
 *
 * <p>Subscribers of a channel are kept in the order they subscribed and receive a message in
 * that order, as Redis's per-channel client lists do; a client subscribed to a channel and to
 * a matching pattern receives the message once per subscription.
 */
public final class PubSub {
    private static final byte[] MESSAGE = Bytes.ascii("message");
    private static final byte[] PMESSAGE = Bytes.ascii("pmessage");
    private static final byte[] SMESSAGE = Bytes.ascii("smessage");

    /** One kind of channel subscription: plain channels or shard channels. */
    public static final class Channels {
        private final Map<ByteKey, LinkedHashSet<Client>> subscribers = new HashMap<>();
        private final boolean shard;

        Channels(boolean shard) {
            this.shard = shard;
        }

        /** Number of channels with at least one subscriber (PUBSUB NUMSUB, INFO pubsub_channels). */
        public int size() {
            return subscribers.size();
        }

        public int subscriberCount(byte[] channel) {
            LinkedHashSet<Client> s = subscribers.get(new ByteKey(channel));
            return s == null ? 0 : s.size();
        }

        /** Active channels matching {@code pattern} (all when null). */
        public List<byte[]> matching(byte[] pattern) {
            List<byte[]> out = new ArrayList<>();
            for (ByteKey k : subscribers.keySet()) {
                if (pattern == null || Glob.matches(pattern, k.bytes(), false)) out.add(k.bytes());
            }
            return out;
        }

        private java.util.Set<ByteKey> of(Client c) {
            Subscriptions s = c.subscriptions();
            return shard ? s.shardChannels : s.channels;
        }

        /** Returns false when {@code c} was already subscribed. */
        public boolean subscribe(Client c, byte[] channel) {
            ByteKey k = new ByteKey(channel);
            if (!of(c).add(k)) return false;
            subscribers.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(c);
            return true;
        }

        /** Returns false when {@code c} was not subscribed. */
        public boolean unsubscribe(Client c, byte[] channel) {
            ByteKey k = new ByteKey(channel);
            if (c.subscriptionsOrNull() == null || !of(c).remove(k)) return false;
            LinkedHashSet<Client> s = subscribers.get(k);
            s.remove(c);
            if (s.isEmpty()) subscribers.remove(k);
            return true;
        }

        /** The channels {@code c} is subscribed to, in subscription order (a copy). */
        public List<byte[]> subscribedBy(Client c) {
            List<byte[]> out = new ArrayList<>();
            if (c.subscriptionsOrNull() == null) return out;
            for (ByteKey k : of(c)) out.add(k.bytes());
            return out;
        }

        private long deliver(byte[] channel, byte[] message) {
            LinkedHashSet<Client> s = subscribers.get(new ByteKey(channel));
            if (s == null) return 0;
            for (Client c : s) {
                Reply r = c.reply;
                r.pushHeader(3);
                r.bulk(shard ? SMESSAGE : MESSAGE);
                r.bulk(channel);
                r.bulk(message);
                c.engine.markPendingWrite(c);
            }
            return s.size();
        }
    }

    public final Channels channels = new Channels(false);
    public final Channels shardChannels = new Channels(true);
    /** Pattern -> subscribers, patterns in the order first subscribed. */
    private final Map<ByteKey, LinkedHashSet<Client>> patterns = new LinkedHashMap<>();

    /** Number of distinct patterns with a subscriber (PUBSUB NUMPAT, INFO pubsub_patterns). */
    public int patternCount() {
        return patterns.size();
    }

    public boolean psubscribe(Client c, byte[] pattern) {
        ByteKey k = new ByteKey(pattern);
        if (!c.subscriptions().patterns.add(k)) return false;
        patterns.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(c);
        return true;
    }

    public boolean punsubscribe(Client c, byte[] pattern) {
        ByteKey k = new ByteKey(pattern);
        if (c.subscriptionsOrNull() == null || !c.subscriptions().patterns.remove(k)) return false;
        LinkedHashSet<Client> s = patterns.get(k);
        s.remove(c);
        if (s.isEmpty()) patterns.remove(k);
        return true;
    }

    public List<byte[]> patternsOf(Client c) {
        List<byte[]> out = new ArrayList<>();
        if (c.subscriptionsOrNull() == null) return out;
        for (ByteKey k : c.subscriptions().patterns) out.add(k.bytes());
        return out;
    }

    /** PUBLISH: delivers to channel subscribers, then to matching patterns; returns the receivers. */
    public long publish(byte[] channel, byte[] message) {
        long receivers = channels.deliver(channel, message);
        if (patterns.isEmpty()) return receivers;
        for (Map.Entry<ByteKey, LinkedHashSet<Client>> e : patterns.entrySet()) {
            byte[] pattern = e.getKey().bytes();
            if (!Glob.matches(pattern, channel, false)) continue;
            for (Client c : e.getValue()) {
                Reply r = c.reply;
                r.pushHeader(4);
                r.bulk(PMESSAGE);
                r.bulk(pattern);
                r.bulk(channel);
                r.bulk(message);
                c.engine.markPendingWrite(c);
                receivers++;
            }
        }
        return receivers;
    }

    /** SPUBLISH: shard-channel subscribers only (no patterns). */
    public long publishShard(byte[] channel, byte[] message) {
        return shardChannels.deliver(channel, message);
    }

    /** Drops every subscription of a client that is going away or RESET (no replies). */
    public void forget(Client c) {
        if (c.subscriptionsOrNull() == null) return;
        for (byte[] ch : channels.subscribedBy(c)) channels.unsubscribe(c, ch);
        for (byte[] ch : shardChannels.subscribedBy(c)) shardChannels.unsubscribe(c, ch);
        for (byte[] p : patternsOf(c)) punsubscribe(c, p);
        c.clearSubscriptions();
    }
}
