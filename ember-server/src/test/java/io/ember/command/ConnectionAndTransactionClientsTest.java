package io.ember.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.RawConnection;
import io.ember.testing.TestServer;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TransactionResult;
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
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Connection commands (PING, ECHO, SELECT, HELLO, AUTH, RESET, QUIT) and transactions (MULTI,
 * EXEC, DISCARD, WATCH, UNWATCH) through Lettuce, in RESP2 and RESP3, and through Jedis.
 */
class ConnectionAndTransactionClientsTest {
    static TestServer server;
    static RedisClient lettuce;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        lettuce = RedisClient.create(server.uri());
    }

    @AfterAll
    static void stop() {
        lettuce.shutdown();
        server.close();
    }

    private static StatefulRedisConnection<String, String> connect(ProtocolVersion protocol) {
        lettuce.setOptions(ClientOptions.builder().protocolVersion(protocol).build());
        return lettuce.connect();
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void connectionCommandsThroughLettuce(ProtocolVersion protocol) {
        try (StatefulRedisConnection<String, String> conn = connect(protocol)) {
            RedisCommands<String, String> r = conn.sync();
            assertEquals("PONG", r.ping());
            assertEquals("hello world", r.echo("hello world"));
            assertEquals("OK", r.select(3));
            r.set("only-in-3", "x");
            assertEquals("OK", r.select(0));
            assertNull(r.get("only-in-3"));
            assertThrows(RedisCommandExecutionException.class, () -> r.select(16));
            assertEquals("OK", r.clientSetname("lettuce-" + protocol));
            assertEquals("lettuce-" + protocol, r.clientGetname());
        }
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void transactionsThroughLettuce(ProtocolVersion protocol) {
        try (StatefulRedisConnection<String, String> conn = connect(protocol);
             StatefulRedisConnection<String, String> other = connect(protocol)) {
            RedisCommands<String, String> r = conn.sync();
            r.set("acct", "10");
            assertEquals("OK", r.watch("acct"));
            assertEquals("OK", r.multi());
            r.incrby("acct", 5);
            r.get("acct");
            TransactionResult ok = r.exec();
            assertFalse(ok.wasDiscarded());
            assertEquals(List.of(15L, "15"), ok.stream().toList());

            r.watch("acct");
            other.sync().set("acct", "0");
            r.multi();
            r.incrby("acct", 5);
            assertTrue(r.exec().wasDiscarded());
            assertEquals("0", r.get("acct"));

            r.watch("acct");
            assertEquals("OK", r.unwatch());
            other.sync().set("acct", "1");
            r.multi();
            r.incr("acct");
            assertEquals(List.of(2L), r.exec().stream().toList());

            r.multi();
            r.set("acct", "99");
            assertEquals("OK", r.discard());
            assertEquals("2", r.get("acct"));
        }
    }

    @Test
    void helloNegotiatesTheProtocolAndAuthenticatesInOneCall() {
        try (TestServer secured = TestServer.start("--requirepass", "s3cret")) {
            RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(secured.port())
                    .withPassword("s3cret".toCharArray()).build());
            try {
                for (ProtocolVersion p : new ProtocolVersion[] {ProtocolVersion.RESP2, ProtocolVersion.RESP3}) {
                    client.setOptions(ClientOptions.builder().protocolVersion(p).build());
                    try (StatefulRedisConnection<String, String> conn = client.connect()) {
                        assertEquals("PONG", conn.sync().ping());
                    }
                }
            } finally {
                client.shutdown();
            }
            try (Jedis j = new Jedis("127.0.0.1", secured.port())) {
                JedisDataException e = assertThrows(JedisDataException.class, () -> j.get("k"));
                assertEquals("NOAUTH Authentication required.", e.getMessage());
                assertThrows(JedisDataException.class, () -> j.auth("wrong"));
                assertEquals("OK", j.auth("s3cret"));
                assertEquals("OK", j.auth("default", "s3cret"));
                assertNull(j.get("k"));
            }
        }
    }

    @Test
    void resetRestoresAFreshConnectionAndQuitCloses() {
        try (RawConnection c = server.raw()) {
            c.call("SELECT", "2");
            c.call("CLIENT", "SETNAME", "before-reset");
            c.call("HELLO", "3");
            c.call("WATCH", "r");
            c.call("MULTI");
            assertEquals("+QUEUED\r\n", new String(c.call("SET", "r", "1")));
            assertEquals("+RESET\r\n", new String(c.call("RESET")));
            String info = new String(c.call("CLIENT", "INFO"));
            assertTrue(info.contains(" name= ") && info.contains(" db=0 ") && info.contains(" resp=2"), info);
            assertEquals("-ERR EXEC without MULTI\r\n", new String(c.call("EXEC")));
            assertEquals("+OK\r\n", new String(c.call("QUIT")));
            assertTrue(c.isClosedByPeer(2000));
        }
        try (Jedis j = server.jedis()) {
            j.watch("r");
            assertEquals("OK", j.unwatch());
            Transaction tx = j.multi();
            tx.set("r", "1");
            assertEquals("OK", tx.discard());
            assertNull(j.get("r"));
        }
    }
}
