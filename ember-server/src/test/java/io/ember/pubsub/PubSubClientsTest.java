package io.ember.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.TestServer;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * Pub/Sub through the clients people use: Lettuce's pub/sub connections over RESP2 and RESP3
 * (pushes), channel and pattern listeners, sharded channels, expired-key events; Jedis's
 * JedisPubSub loop with subscriptions changed while it runs.
 */
class PubSubClientsTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Collects "kind channel message" lines from a Lettuce listener. */
    static final class Recorder extends RedisPubSubAdapter<String, String> {
        final BlockingQueue<String> seen = new LinkedBlockingQueue<>();

        @Override
        public void message(String channel, String message) {
            seen.add("message " + channel + " " + message);
        }

        @Override
        public void message(String pattern, String channel, String message) {
            seen.add("pmessage " + pattern + " " + channel + " " + message);
        }

        @Override
        public void smessage(String channel, String message) {
            seen.add("smessage " + channel + " " + message);
        }

        String next() throws InterruptedException {
            String s = seen.poll(5, TimeUnit.SECONDS);
            if (s == null) throw new AssertionError("no message within 5 s");
            return s;
        }
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void lettuceChannelPatternAndShardSubscriptions(ProtocolVersion protocol) throws Exception {
        RedisClient client = RedisClient.create(server.uri());
        client.setOptions(ClientOptions.builder().protocolVersion(protocol).build());
        client.setDefaultTimeout(Duration.ofSeconds(10));
        try (StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
             var pub = client.connect()) {
            Recorder rec = new Recorder();
            sub.addListener(rec);
            String p = protocol.name();
            sub.sync().subscribe(p + ":orders", p + ":users");
            sub.sync().psubscribe(p + ":ord*");
            sub.sync().ssubscribe(p + ":shard");
            assertEquals(2L, pub.sync().publish(p + ":orders", "o1")); // channel + pattern
            assertEquals("message " + p + ":orders o1", rec.next());
            assertEquals("pmessage " + p + ":ord* " + p + ":orders o1", rec.next());
            assertEquals(1L, pub.sync().publish(p + ":users", "u1"));
            assertEquals("message " + p + ":users u1", rec.next());
            assertEquals(1L, pub.sync().spublish(p + ":shard", "s1"));
            assertEquals("smessage " + p + ":shard s1", rec.next());
            assertEquals(List.of(p + ":orders", p + ":users"),
                    pub.sync().pubsubChannels(p + ":*").stream().sorted().toList());
            assertEquals(1L, pub.sync().pubsubNumsub(p + ":orders").get(p + ":orders"));
            if (protocol == ProtocolVersion.RESP3) {
                // A RESP3 subscriber may run any command on the same connection.
                assertEquals("PONG", sub.sync().ping());
                assertEquals(0L, sub.sync().publish("nobody", "x"));
            }
            sub.sync().unsubscribe(p + ":orders");
            assertEquals(1L, pub.sync().publish(p + ":orders", "o2")); // the pattern only
            assertEquals("pmessage " + p + ":ord* " + p + ":orders o2", rec.next());
            sub.sync().punsubscribe();
            assertEquals(0L, pub.sync().publish(p + ":orders", "o3"));
            if (protocol == ProtocolVersion.RESP3) { // Lettuce itself refuses SUNSUBSCRIBE in RESP2 mode
                sub.sync().sunsubscribe(p + ":shard");
                assertEquals(0L, pub.sync().spublish(p + ":shard", "s2"));
            }
        } finally {
            client.shutdown();
        }
    }

    @Test
    void lettuceSeesExpiredEventsOfLazyAndActiveExpiry() throws Exception {
        RedisClient client = RedisClient.create(server.uri());
        try (StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
             var cmd = client.connect()) {
            cmd.sync().configSet("notify-keyspace-events", "Ex");
            Recorder rec = new Recorder();
            sub.addListener(rec);
            sub.sync().psubscribe("__keyevent@0__:expired");
            cmd.sync().set("lazy", "v");
            cmd.sync().pexpire("lazy", 30);
            cmd.sync().set("active", "v");
            cmd.sync().pexpire("active", 30);
            Thread.sleep(60);
            cmd.sync().get("lazy"); // expires it now; "active" goes in the expiry cycle
            String first = rec.next(), second = rec.next();
            assertEquals(List.of("pmessage __keyevent@0__:expired __keyevent@0__:expired active",
                            "pmessage __keyevent@0__:expired __keyevent@0__:expired lazy"),
                    List.of(first, second).stream().sorted().toList());
            cmd.sync().configSet("notify-keyspace-events", "");
        } finally {
            client.shutdown();
        }
    }

    @Test
    void jedisPubSubLoopWithSubscriptionsChangedWhileRunning() throws Exception {
        CountDownLatch ready = new CountDownLatch(1);
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onSubscribe(String channel, int count) {
                if (channel.equals("jedis:a")) ready.countDown();
            }

            @Override
            public void onMessage(String channel, String message) {
                seen.add(channel + "=" + message);
                if (message.equals("add-pattern")) psubscribe("jedis:p*");
                if (message.equals("stop")) unsubscribe();
            }

            @Override
            public void onPMessage(String pattern, String channel, String message) {
                seen.add(pattern + ">" + channel + "=" + message);
                if (message.equals("quit")) punsubscribe();
            }
        };
        Thread loop = new Thread(() -> {
            try (Jedis j = server.jedis()) {
                j.subscribe(listener, "jedis:a");
            }
        });
        loop.start();
        try (Jedis pub = server.jedis()) {
            assertTrue(ready.await(5, TimeUnit.SECONDS));
            pub.publish("jedis:a", "hello");
            assertEquals("jedis:a=hello", seen.poll(5, TimeUnit.SECONDS));
            pub.publish("jedis:a", "add-pattern");
            assertEquals("jedis:a=add-pattern", seen.poll(5, TimeUnit.SECONDS));
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (pub.pubsubNumPat() == 0 && System.nanoTime() < deadline) Thread.sleep(10);
            assertEquals(1L, pub.publish("jedis:pq", "via pattern"));
            assertEquals("jedis:p*>jedis:pq=via pattern", seen.poll(5, TimeUnit.SECONDS));
            pub.publish("jedis:a", "stop"); // leaves the pattern: still subscribed
            assertEquals("jedis:a=stop", seen.poll(5, TimeUnit.SECONDS));
            pub.publish("jedis:px", "quit"); // nothing left: the loop returns
            assertEquals("jedis:p*>jedis:px=quit", seen.poll(5, TimeUnit.SECONDS));
            loop.join(5_000);
            assertTrue(!loop.isAlive(), "the subscribe loop ended after the last unsubscribe");
            assertEquals(0L, pub.pubsubNumPat());
        }
    }
}
