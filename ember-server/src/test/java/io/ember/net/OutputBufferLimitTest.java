package io.ember.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.Differential;
import io.ember.testing.RawConnection;
import io.ember.testing.Await;
import io.ember.testing.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * client-output-buffer-limit: the option as redis-server parses and prints it, and clients that
 * stop reading — a subscriber while a million messages are published, a normal client that
 * pipelines large replies — disconnected by the hard or soft limit of their class, with the
 * server's heap unchanged.
 */
class OutputBufferLimitTest {

    @Test
    void optionIsParsedPrintedAndRefusedAsByRedis() {
        String[][] sets = {
            {"pubsub 1mb 512kb 10"}, {"normal 10mb 5mb 30 slave 1gb 100mb 0"}, {"replica 1 2 3"}, {"pubsub 0 0 0"},
            {"normal 1k 2K 3"}, {"pubsub 1mb"}, {"master 1 1 1"}, {"bogus 1 1 1"}, {"pubsub x 1 1"},
            {"pubsub 1 1 -1"}, {"pubsub 1 1 5x"}, {""}, {"PUBSUB 4mb 2mb 7"},
        };
        try (Differential d = new Differential()) {
            for (String[] s : sets) {
                d.check("config", "set", "client-output-buffer-limit", s[0]);
                d.check("config", "get", "client-output-buffer-limit");
            }
            d.assertNoDivergence();
        }
    }

    /** A subscriber socket with a tiny receive buffer that subscribes and then never reads. */
    private static Socket stalledSubscriber(int port, String channel) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("127.0.0.1", port));
        OutputStream out = s.getOutputStream();
        out.write(RawConnection.encode(RawConnection.args("subscribe", channel)));
        out.flush();
        return s;
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void aSubscriberThatStopsReadingIsDisconnectedAndTheHeapStaysFlat() throws Exception {
        try (TestServer server = TestServer.start(); Jedis pub = server.jedis();
             Socket sub = stalledSubscriber(server.port(), "firehose")) {
            Await.until(() -> pub.pubsubNumSub("firehose").get("firehose") == 1L, "subscribed", 10);
            long heapBefore = heapAfterGc();
            byte[] payload = "m".repeat(64).getBytes(StandardCharsets.US_ASCII);
            long delivered = 0;
            for (int batch = 0; batch < 100; batch++) { // 10^6 messages, 10,000 per pipeline
                Pipeline p = pub.pipelined();
                for (int i = 0; i < 10_000; i++) p.publish("firehose".getBytes(StandardCharsets.US_ASCII), payload);
                for (Object r : p.syncAndReturnAll()) delivered += (Long) r;
            }
            // The default pubsub hard limit is 32 MB: about 350,000 messages of this size.
            assertTrue(delivered > 100_000 && delivered < 900_000, "delivered before the cut: " + delivered);
            assertEquals(0L, pub.pubsubNumSub("firehose").get("firehose"));
            assertEquals(0L, pub.publish("firehose", "after"));
            assertTrue(!pub.clientList().contains("flags=P"), pub.clientList());
            long heapAfter = heapAfterGc();
            assertTrue(heapAfter - heapBefore < 24L << 20,
                    "heap grew by " + ((heapAfter - heapBefore) >> 20) + " MB while 10^6 messages were published");
        }
    }

    @Test
    void theSoftLimitDisconnectsOnlyAfterItsSecondsHavePassed() throws Exception {
        try (TestServer server = TestServer.start(); Jedis pub = server.jedis();
             Socket sub = stalledSubscriber(server.port(), "slow")) {
            pub.configSet("client-output-buffer-limit", "pubsub 0 256kb 1");
            Await.until(() -> pub.pubsubNumSub("slow").get("slow") == 1L, "subscribed", 10);
            byte[] payload = new byte[1024];
            // Enough to fill the socket buffers and stay over 256 KB pending in the server.
            Pipeline p = pub.pipelined();
            for (int i = 0; i < 16_384; i++) p.publish("slow".getBytes(StandardCharsets.US_ASCII), payload);
            p.sync();
            assertEquals(1L, pub.publish("slow", "still over the soft limit, not for long yet"));
            Thread.sleep(2_200);
            pub.publish("slow", "now past the soft seconds"); // the check runs when output is written
            Await.until(() -> pub.pubsubNumSub("slow").get("slow") == 0L, "disconnected after the soft seconds", 10);
        }
    }

    @Test
    void aNormalClientPipeliningLargeRepliesIsCutAtItsHardLimit() throws Exception {
        try (TestServer server = TestServer.start(); Jedis j = server.jedis()) {
            j.set("big", "x".repeat(100_000));
            j.configSet("client-output-buffer-limit", "normal 2mb 0 0");
            try (Socket s = new Socket()) {
                s.setReceiveBufferSize(4096);
                s.connect(new InetSocketAddress("127.0.0.1", server.port()));
                s.getOutputStream().write("CLIENT SETNAME greedy\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] gets = "GET big\r\n".repeat(2_000).getBytes(StandardCharsets.US_ASCII); // 200 MB of replies
                try {
                    s.getOutputStream().write(gets);
                } catch (IOException closedMeanwhile) {
                    // the server may close the connection while the requests are still being sent
                }
                Await.until(() -> !j.clientList().contains("name=greedy"), "the greedy client is disconnected", 10);
            }
            j.configSet("client-output-buffer-limit", "normal 0 0 0");
            assertEquals(100_000, j.get("big").length()); // and the server goes on serving
        }
    }

}
