package io.ember.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.function.Executable;

/**
 * An Ember server with one Lettuce client and connection per protocol. Every command family is
 * tested through Lettuce over both RESP2 and RESP3 (the reply shapes differ and Lettuce must decode
 * both the same way), so each of those test classes needs this same setup; it starts one in
 * {@code @BeforeAll} and closes it in {@code @AfterAll}.
 */
public final class LettuceClients implements AutoCloseable {
    /** Redis's error for a command on a key of another type, the same text for every client. */
    public static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

    /** As {@link TestServer#jedis}: a hung command fails the test in 10 s, not in Lettuce's default 60. */
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final TestServer server;
    private final Map<ProtocolVersion, RedisClient> clients = new EnumMap<>(ProtocolVersion.class);
    private final Map<ProtocolVersion, StatefulRedisConnection<String, String>> connections = new EnumMap<>(ProtocolVersion.class);
    private final List<StatefulRedisConnection<String, String>> extra = new ArrayList<>();

    private LettuceClients(TestServer server) {
        this.server = server;
    }

    /** Starts a server with {@code serverArgs} (see {@link TestServer#start}) and connects over RESP2 and RESP3. */
    public static LettuceClients start(String... serverArgs) {
        LettuceClients c = new LettuceClients(TestServer.start(serverArgs));
        try {
            for (ProtocolVersion v : List.of(ProtocolVersion.RESP2, ProtocolVersion.RESP3)) {
                RedisClient client = RedisClient.create(c.server.uri());
                client.setOptions(ClientOptions.builder().protocolVersion(v).build());
                client.setDefaultTimeout(TIMEOUT);
                c.clients.put(v, client);
                c.connections.put(v, client.connect());
            }
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    public TestServer server() {
        return server;
    }

    /** The shared connection speaking {@code v}. */
    public StatefulRedisConnection<String, String> connection(ProtocolVersion v) {
        return of(connections, v);
    }

    /** Synchronous commands on the shared connection speaking {@code v}. */
    public RedisCommands<String, String> redis(ProtocolVersion v) {
        return connection(v).sync();
    }

    /**
     * A new connection speaking {@code v}, for a test that needs a second client or its own
     * connection state (SELECT, WATCH). The caller may close it; {@link #close} closes it otherwise.
     */
    public StatefulRedisConnection<String, String> connect(ProtocolVersion v) {
        StatefulRedisConnection<String, String> c = of(clients, v).connect();
        extra.add(c);
        return c;
    }

    private static <T> T of(Map<ProtocolVersion, T> byProtocol, ProtocolVersion v) {
        T t = byProtocol.get(v);
        if (t == null) throw new IllegalArgumentException("connected over RESP2 and RESP3 only, not " + v);
        return t;
    }

    /** Prefixes a key with the protocol, so that the RESP2 and RESP3 runs do not see each other's keys. */
    public static String key(ProtocolVersion v, String name) {
        return v.name() + ":" + name;
    }

    /** Asserts that {@code call} fails with the server error {@code message}. */
    public static void assertError(String message, Executable call) {
        RedisCommandExecutionException e = assertThrows(RedisCommandExecutionException.class, call);
        assertEquals(message, e.getMessage());
    }

    @Override
    public void close() {
        extra.forEach(StatefulRedisConnection::close);
        connections.values().forEach(StatefulRedisConnection::close);
        clients.values().forEach(RedisClient::shutdown);
        server.close();
    }
}
