package io.ember.testing;

import io.ember.EmberServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import redis.clients.jedis.Jedis;

/**
 * An Ember server started in-process on a free loopback port, for integration tests that talk
 * to it over TCP with real clients. Unless the arguments name a {@code --dir}, the server works
 * in a fresh temporary directory (removed on close), so no test reads or leaves a dump.rdb in the
 * build's working directory; and unless they name {@code --save}, it has no save points.
 */
public final class TestServer implements AutoCloseable {
    private final EmberServer server;
    /** The temporary dir this class created, or null when the test chose its own. */
    private final Path ownDir;

    private TestServer(EmberServer server, Path ownDir) {
        this.server = server;
        this.ownDir = ownDir;
    }

    /** Starts with the embedded defaults plus {@code args} (redis-server style options). */
    public static TestServer start(String... args) {
        List<String> all = new ArrayList<>(List.of("--bind", "127.0.0.1", "--port", Integer.toString(FreePort.find())));
        Path ownDir = null;
        if (!List.of(args).contains("--dir")) {
            ownDir = tempDir();
            all.addAll(List.of("--dir", ownDir.toString()));
        }
        // No save points unless the test asks: a background save in the middle of an unrelated
        // test would only make its timing noisy.
        if (!List.of(args).contains("--save")) all.addAll(List.of("--save", ""));
        all.addAll(List.of(args));
        try {
            return new TestServer(EmberServer.start(null, all.toArray(String[]::new)), ownDir);
        } catch (Exception e) {
            deleteTree(ownDir);
            throw new IllegalStateException("could not start Ember: " + e.getMessage(), e);
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("ember-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes a directory and what it holds (best effort: a test's leftovers must not fail it). */
    public static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) return;
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            // left for the OS's temp cleaner
        }
    }

    /** The server's data directory ("dir"). */
    public Path dir() {
        return server.engine().config.dir;
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
        deleteTree(ownDir);
    }
}
