package io.ember.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ember.testing.TestServer;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SortArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SortingParams;
import redis.clients.jedis.exceptions.JedisDataException;

/** SORT and SORT_RO through Jedis and Lettuce (RESP2 and RESP3). */
class SortCommandsTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        try (Jedis j = server.jedis()) {
            j.rpush("ids", "3", "1", "2");
            for (String id : new String[] {"1", "2", "3"}) {
                j.set("weight_" + id, Integer.toString(10 - Integer.parseInt(id)));
                j.hset("user:" + id, "name", "user" + id);
            }
            j.sadd("tags", "redis", "java", "ember");
            j.zadd("ranked", 1, "c");
            j.zadd("ranked", 2, "a");
            j.zadd("ranked", 3, "b");
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void jedisSortsWithEveryOption() {
        try (Jedis j = server.jedis()) {
            assertEquals(List.of("1", "2", "3"), j.sort("ids"));
            assertEquals(List.of("3", "2", "1"), j.sort("ids", new SortingParams().desc()));
            assertEquals(List.of("ember", "java", "redis"), j.sort("tags", new SortingParams().alpha()));
            assertEquals(List.of("3", "2", "1"), j.sort("ids", new SortingParams().by("weight_*")));
            assertEquals(List.of("user3", "user2"),
                    j.sort("ids", new SortingParams().by("weight_*").get("user:*->name").limit(0, 2)));
            assertEquals(List.of("c", "a", "b"), j.sort("ranked", new SortingParams().by("nosort")));
            assertEquals(3L, j.sort("ids", new SortingParams().desc(), "sorted"));
            assertEquals(List.of("3", "2", "1"), j.lrange("sorted", 0, -1));
            assertEquals(List.of("1", "2"), j.sortReadonly("ids", new SortingParams().limit(0, 2)));
            JedisDataException e = assertThrows(JedisDataException.class, () -> j.sort("tags"));
            assertEquals("ERR One or more scores can't be converted into double", e.getMessage());
            j.set("plain", "x");
            e = assertThrows(JedisDataException.class, () -> j.sort("plain"));
            assertEquals(Errors.WRONGTYPE, e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void lettuceSortsInBothProtocols(ProtocolVersion protocol) {
        RedisClient client = RedisClient.create(server.uri());
        client.setOptions(ClientOptions.builder().protocolVersion(protocol).build());
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            RedisCommands<String, String> r = conn.sync();
            assertEquals(List.of("1", "2", "3"), r.sort("ids"));
            assertEquals(List.of("user3", "user2", "user1"),
                    r.sort("ids", SortArgs.Builder.by("weight_*").get("user:*->name")));
            assertEquals(List.of("b", "a", "c"), r.sort("ranked", SortArgs.Builder.by("nosort").desc()));
            assertEquals(Long.valueOf(3), r.sortStore("tags", SortArgs.Builder.alpha(), "tags-sorted"));
            assertEquals(List.of("ember", "java", "redis"), r.lrange("tags-sorted", 0, -1));
            assertEquals(List.of("3"), r.sortReadOnly("ids", SortArgs.Builder.desc().limit(0, 1)));
        } finally {
            client.shutdown();
        }
    }
}
