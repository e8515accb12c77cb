package io.ember.command;

import static io.ember.testing.LettuceClients.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.LettuceClients;
import io.lettuce.core.models.stream.ClaimedMessages;
import io.lettuce.core.Consumer;
import io.lettuce.core.models.stream.PendingMessages;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Consumer groups as an application uses them, through Lettuce over RESP2 and RESP3: three
 * consumers share a stream's entries (each delivered once, acknowledged), a consumer that
 * "crashes" with entries pending has them claimed by another through XAUTOCLAIM once idle long
 * enough, and a consumer blocked in XREADGROUP BLOCK is woken by XADD from another connection.
 */
class StreamGroupLettuceTest {
    static LettuceClients lettuce;

    @BeforeAll
    static void start() {
        lettuce = LettuceClients.start();
    }

    @AfterAll
    static void stop() {
        lettuce.close();
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void consumersShareWorkAndClaimACrashedConsumersEntries(ProtocolVersion v) throws Exception {
        RedisCommands<String, String> r = lettuce.redis(v);
        String s = key(v, "jobs");
        assertEquals("OK", r.xgroupCreate(StreamOffset.from(s, "$"), "workers", XGroupCreateArgs.Builder.mkstream()));
        for (int i = 0; i < 30; i++) r.xadd(s, Map.of("job", String.valueOf(i)));
        assertEquals(30L, r.xlen(s));

        Set<String> seen = new HashSet<>();
        String[] names = {"w1", "w2", "crashy"};
        int round = 0;
        List<StreamMessage<String, String>> got;
        do {
            String name = names[round++ % 3];
            got = r.xreadgroup(Consumer.from("workers", name), XReadArgs.Builder.count(4), StreamOffset.lastConsumed(s));
            for (StreamMessage<String, String> m : got) {
                assertTrue(seen.add(m.getId()), "delivered twice: " + m.getId());
                if (!name.equals("crashy")) assertEquals(1L, r.xack(s, "workers", m.getId()));
            }
        } while (!got.isEmpty());
        assertEquals(30, seen.size());
        PendingMessages pending = r.xpending(s, "workers");
        long crashyPending = pending.getConsumerMessageCount().get("crashy");
        assertEquals(pending.getCount(), crashyPending);
        assertTrue(crashyPending > 0);

        // Nothing is idle long enough yet; then w1 takes over everything crashy left.
        ClaimedMessages<String, String> none = r.xautoclaim(s,
                XAutoClaimArgs.Builder.xautoclaim(Consumer.from("workers", "w1"), Duration.ofSeconds(60), "0-0"));
        assertTrue(none.getMessages().isEmpty());
        TimeUnit.MILLISECONDS.sleep(60);
        ClaimedMessages<String, String> claimed = r.xautoclaim(s,
                XAutoClaimArgs.Builder.xautoclaim(Consumer.from("workers", "w1"), Duration.ofMillis(50), "0-0").count(100));
        assertEquals(crashyPending, claimed.getMessages().size());
        assertEquals("0-0", claimed.getId());
        for (StreamMessage<String, String> m : claimed.getMessages()) {
            assertFalse(m.getBody().isEmpty());
            assertEquals(1L, r.xack(s, "workers", m.getId()));
        }
        assertEquals(0L, r.xpending(s, "workers").getCount());
        assertEquals(0L, r.xgroupDelconsumer(s, Consumer.from("workers", "crashy"))); // nothing left pending
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void xreadgroupBlockWakesOnXadd(ProtocolVersion v) throws Exception {
        RedisCommands<String, String> r = lettuce.redis(v);
        String s = key(v, "events");
        r.xgroupCreate(StreamOffset.from(s, "$"), "g", XGroupCreateArgs.Builder.mkstream());
        try (StatefulRedisConnection<String, String> waiter = lettuce.connect(v)) {
            RedisFuture<List<StreamMessage<String, String>>> f = waiter.async().xreadgroup(Consumer.from("g", "c"),
                    XReadArgs.Builder.block(Duration.ofSeconds(10)), StreamOffset.lastConsumed(s));
            long deadline = System.currentTimeMillis() + 5000;
            while (!r.info("clients").contains("blocked_clients:1")) {
                assertTrue(System.currentTimeMillis() < deadline, "never blocked");
                TimeUnit.MILLISECONDS.sleep(5);
            }
            String id = r.xadd(s, Map.of("hello", "world"));
            List<StreamMessage<String, String>> msgs = f.get(5, TimeUnit.SECONDS);
            assertEquals(1, msgs.size());
            assertEquals(id, msgs.get(0).getId());
            assertEquals(Map.of("hello", "world"), msgs.get(0).getBody());
            assertEquals(1L, r.xpending(s, "g").getCount());
            // XREAD BLOCK with $ as well
            RedisFuture<List<StreamMessage<String, String>>> x = waiter.async().xread(
                    XReadArgs.Builder.block(Duration.ofSeconds(10)), StreamOffset.latest(s));
            while (!r.info("clients").contains("blocked_clients:1")) TimeUnit.MILLISECONDS.sleep(5);
            String id2 = r.xadd(s, Map.of("n", "2"));
            assertEquals(id2, x.get(5, TimeUnit.SECONDS).get(0).getId());
        }
    }
}
