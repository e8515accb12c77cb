package io.ember.testing;

import io.ember.EmberServer;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Jedis;

/**
 * An Ember server started in-process on a free loopback port, for integration tests that talk
 * to it over TCP with real clients.
 */
public final class TestServer implements AutoCloseable {
    private final EmberServer server;

    private TestServer(EmberServer server) {
        this.server = server;
    }

    /** Starts with the embedded defaults plus {@code args} (redis-server style options). */
    public static TestServer start(String... args) {
        List<String> all = new ArrayList<>(List.of("--bind", "127.0.0.1", "--port", Integer.toString(FreePort.find())));
        all.addAll(List.of(args));
        try {
            return new TestServer(EmberServer.start(null, all.toArray(String[]::new)));
        } catch (Exception e) {
            throw new IllegalStateException("could not start Ember: " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.port();
    }

    public EmberServer server() {
        return server;
    }

    public Jedis jedis() {
        return new Jedis("127.0.0.1", port(), 10_000);
    }

    public RawConnection raw() {
        return new RawConnection("127.0.0.1", port());
    }

    public String uri() {
        return "redis://127.0.0.1:" + port();
    }

    @Override
    public void close() {
        server.close();
    }
}
