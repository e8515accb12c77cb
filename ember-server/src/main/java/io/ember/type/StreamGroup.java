package io.ember.type;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A consumer group (streamCG): last delivered ID, entries read (-1 when unknown, for the lag),
 * the group's pending entries list and its consumers, each with its own PEL sharing the same
 * {@link Nack} objects.
 */
public final class StreamGroup {
    /** A pending entry (streamNACK): its owner, last delivery time and delivery count. */
    public static final class Nack {
        public Consumer consumer;
        public long deliveryTime;
        public long deliveryCount;

        public Nack(Consumer consumer, long deliveryTime, long deliveryCount) {
            this.consumer = consumer;
            this.deliveryTime = deliveryTime;
            this.deliveryCount = deliveryCount;
        }
    }

    /** A consumer (streamConsumer): name, last time seen, its own PEL. */
    public static final class Consumer {
        public final byte[] name;
        public long seenTime;
        public final TreeMap<StreamId, Nack> pel = new TreeMap<>();

        public Consumer(byte[] name, long seenTime) {
            this.name = name;
            this.seenTime = seenTime;
        }
    }

    public StreamId lastId;
    public long entriesRead;
    public final TreeMap<StreamId, Nack> pel = new TreeMap<>();
    public final TreeMap<byte[], Consumer> consumers = new TreeMap<>(Arrays::compareUnsigned);

    public StreamGroup(StreamId lastId, long entriesRead) {
        this.lastId = lastId;
        this.entriesRead = entriesRead;
    }

    StreamGroup duplicate() {
        StreamGroup g = new StreamGroup(lastId, entriesRead);
        for (Consumer c : consumers.values()) {
            Consumer nc = new Consumer(c.name, c.seenTime);
            g.consumers.put(nc.name, nc);
        }
        for (Map.Entry<StreamId, Nack> e : pel.entrySet()) {
            Nack n = e.getValue();
            Consumer owner = g.consumers.get(n.consumer.name);
            Nack nn = new Nack(owner, n.deliveryTime, n.deliveryCount);
            g.pel.put(e.getKey(), nn);
            owner.pel.put(e.getKey(), nn);
        }
        return g;
    }

    long memoryBytes() {
        return 96 + pel.size() * 120L + consumers.size() * 96L;
    }
}
