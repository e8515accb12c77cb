package io.ember.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.function.Executable;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The fixture the Jedis command tests share: one server per test class and a new Jedis
 * connection, {@link #j}, for each test. A subclass calls {@link #startServer} from its own
 * {@code @BeforeAll} with the server options it needs; this class closes the server after the
 * class, and opens {@code j} before a subclass's {@code @BeforeEach} runs.
 */
public abstract class JedisTestBase {
    /** Redis's error for a command on a key of another type. */
    protected static final String WRONGTYPE = LettuceClients.WRONGTYPE;

    protected static TestServer server;
    protected Jedis j;

    /** Starts this class's server with {@code args} (see {@link TestServer#start}). */
    protected static void startServer(String... args) {
        if (server != null) throw new IllegalStateException("a server is already running");
        server = TestServer.start(args);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) server.close();
        server = null;
    }

    @BeforeEach
    void openJedis() {
        j = server.jedis();
    }

    @AfterEach
    void closeJedis() {
        j.close();
    }

    /** Asserts that {@code call} fails with the server error {@code message}. */
    protected static void assertError(String message, Executable call) {
        JedisDataException e = assertThrows(JedisDataException.class, call);
        assertEquals(message, e.getMessage());
    }
}
