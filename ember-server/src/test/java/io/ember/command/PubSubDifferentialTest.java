package io.ember.command;

import io.ember.testing.Differential;
import io.ember.testing.Differential.Mode;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Pub/Sub against redis-server over raw connections: subscription replies and counts in RESP2
 * and RESP3, the RESP2 subscriber context, PING while subscribed, messages, pattern messages
 * and shard messages in both protocols, PUBLISH receiver counts, PUBSUB introspection, RESET,
 * and a seeded random run of (un)subscriptions and publishes over a few channels and patterns.
 */
class PubSubDifferentialTest {

    /** Sends a command whose reply is {@code replies} separate replies, and compares each. */
    private static void many(Differential d, int conn, int replies, String... cmd) {
        d.on(conn, Mode.EXACT, cmd);
        for (int i = 1; i < replies; i++) d.next(conn, Mode.EXACT, String.join(" ", cmd) + " reply " + (i + 1));
    }

    /** The next message a subscriber received. */
    private static void message(Differential d, int conn, String what) {
        d.next(conn, Mode.EXACT, what);
    }

    @Test
    void subscriptionsMessagesAndIntrospectionMatchRedis() {
        try (Differential d = new Differential()) {
            int pub = 0, sub2 = d.newConnection(), sub3 = d.newConnection();
            d.on(sub3, Mode.TYPE_ONLY, "hello", "3");

            many(d, sub2, 3, "subscribe", "news", "sport", "news");
            many(d, sub2, 2, "psubscribe", "n*", "s?ort");
            many(d, sub3, 2, "subscribe", "news", "weather");
            many(d, sub3, 1, "psubscribe", "*");
            many(d, sub3, 1, "ssubscribe", "shard1");

            // The RESP2 subscriber context; RESP3 subscribers may run anything.
            d.on(sub2, Mode.EXACT, "get", "k");
            d.on(sub2, Mode.EXACT, "config", "get", "maxmemory");
            d.on(sub2, Mode.EXACT, "pubsub", "numpat");
            d.on(sub2, Mode.EXACT, "ping");
            d.on(sub2, Mode.EXACT, "ping", "hello");
            d.on(sub2, Mode.EXACT, "ping", "a", "b");
            d.on(sub2, Mode.EXACT, "multi");
            d.on(sub2, Mode.EXACT, "nosuchcommand");
            d.on(sub3, Mode.EXACT, "set", "k", "v");
            d.on(sub3, Mode.EXACT, "ping");

            d.check("publish", "news", "hello"); // sub2: news + n*; sub3: news + *
            message(d, sub2, "message news");
            message(d, sub2, "pmessage n* news");
            message(d, sub3, "message news");
            message(d, sub3, "pmessage * news");
            d.check("publish", "sport", "");
            message(d, sub2, "message sport");
            message(d, sub2, "pmessage s?ort sport");
            message(d, sub3, "pmessage * sport");
            d.check("publish", "nobody-listens-here-but-star", "x");
            message(d, sub3, "pmessage * ...");
            d.check("spublish", "shard1", "s-msg");
            message(d, sub3, "smessage shard1");
            d.check("spublish", "shard2", "none");
            d.check("publish", "shard1", "plain publish reaches patterns, not shard subscribers");
            message(d, sub3, "pmessage * shard1");
            d.check("publish", "bin\u0000ary", "\r\n\u0000");
            message(d, sub3, "pmessage * binary");

            d.check(Mode.UNORDERED, "pubsub", "channels");
            d.check(Mode.UNORDERED, "pubsub", "channels", "n*");
            d.check("pubsub", "channels", "zzz*");
            d.check("pubsub", "channels", "a", "b");
            d.check("pubsub", "numsub", "news", "sport", "weather", "nothing");
            d.check("pubsub", "numsub");
            d.check("pubsub", "numpat");
            d.check("pubsub", "numpat", "extra");
            d.check("pubsub", "shardchannels");
            d.check("pubsub", "shardchannels", "shard*");
            d.check("pubsub", "shardnumsub", "shard1", "shard2");
            d.check("pubsub", "help");
            d.check("pubsub", "nosuch");
            d.check("pubsub");
            d.check("publish", "only-channel");
            d.check("subscribe");

            // Unsubscribing: named, all, and nothing left (a null channel).
            many(d, sub2, 2, "unsubscribe", "sport", "never-subscribed");
            d.on(sub2, Mode.EXACT, "unsubscribe"); // only news is left
            many(d, sub2, 2, "punsubscribe");
            d.on(sub2, Mode.EXACT, "punsubscribe");
            d.on(sub2, Mode.EXACT, "unsubscribe");
            d.on(sub2, Mode.EXACT, "get", "k"); // out of the subscriber context
            d.on(sub2, Mode.EXACT, "ping");
            d.on(sub3, Mode.EXACT, "sunsubscribe");
            d.on(sub3, Mode.EXACT, "sunsubscribe");
            d.check("pubsub", "numsub", "news", "sport");
            d.check("pubsub", "numpat");

            // RESET drops every subscription and returns to RESP2.
            d.on(sub3, Mode.EXACT, "reset");
            d.on(sub3, Mode.EXACT, "get", "k");
            d.check("pubsub", "numsub", "news", "weather");
            d.check("publish", "news", "gone");
            d.on(sub3, Mode.EXACT, "ping"); // no message arrived first

            // A RESP2 subscriber that leaves with shard channels still held.
            many(d, sub2, 1, "ssubscribe", "s1");
            many(d, sub2, 1, "subscribe", "c1");
            d.on(sub2, Mode.EXACT, "unsubscribe", "c1");
            d.on(sub2, Mode.EXACT, "get", "k");
            d.on(sub2, Mode.EXACT, "sunsubscribe", "s1");
            d.on(sub2, Mode.EXACT, "get", "k");

            // SUBSCRIBE inside MULTI: queued, then the EXEC reply carries the confirmation.
            d.on(sub2, Mode.EXACT, "multi");
            d.on(sub2, Mode.EXACT, "subscribe", "in-tx");
            d.on(sub2, Mode.EXACT, "exec");
            d.check("publish", "in-tx", "m");
            message(d, sub2, "message in-tx");
            d.assertNoDivergence();
        }
    }

    @Test
    void randomSubscriptionsAndPublishesMatchRedis() {
        Random rnd = new Random(0x9B5B);
        String[] channels = {"a", "b", "ab", "news.1", "news.2"};
        String[] patterns = {"a*", "news.*", "?", "[ab]*", "*"};
        try (Differential d = new Differential()) {
            int[] subs = {d.newConnection(), d.newConnection(), d.newConnection()};
            d.on(subs[2], Mode.TYPE_ONLY, "hello", "3");
            for (int i = 0; i < 1500; i++) {
                int s = subs[rnd.nextInt(subs.length)];
                String ch = channels[rnd.nextInt(channels.length)];
                String pat = patterns[rnd.nextInt(patterns.length)];
                switch (rnd.nextInt(6)) {
                    case 0 -> d.on(s, Mode.EXACT, "subscribe", ch);
                    case 1 -> d.on(s, Mode.EXACT, "unsubscribe", ch);
                    case 2 -> d.on(s, Mode.EXACT, "psubscribe", pat);
                    case 3 -> d.on(s, Mode.EXACT, "punsubscribe", pat);
                    default -> {
                        byte[] receivers = d.check("publish", ch, "m" + i);
                        long n = Long.parseLong(new String(receivers, 1, receivers.length - 3));
                        // Deliveries go to the subscribers in order; read each one's share by PING fence.
                        if (n > 0) for (int sub : subs) drain(d, sub);
                    }
                }
                if (i % 100 == 0) {
                    d.check(Mode.UNORDERED, "pubsub", "channels");
                    d.check("pubsub", "numpat");
                    d.check("pubsub", "numsub", "a", "b", "ab", "news.1", "news.2");
                }
            }
            d.assertNoDivergence();
        }
    }

    /**
     * Reads a subscriber's messages up to the reply of a PING sent after them. Redis 7.0 walks
     * the patterns in its hash table's order, so messages are compared in any order.
     */
    private static void drain(Differential d, int conn) {
        d.untilUnordered(conn, PubSubDifferentialTest::isPong, "ping");
    }

    private static boolean isPong(byte[] reply) {
        String r = new String(reply, java.nio.charset.StandardCharsets.ISO_8859_1);
        return r.equals("+PONG\r\n") || r.startsWith("*2\r\n$4\r\npong\r\n");
    }
}
