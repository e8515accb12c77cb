package io.ember.testing;

import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real redis-server (the reference implementation) started as a child process on a free
 * loopback port, without persistence. Differential tests compare Ember's replies with its
 * replies. The binary comes from the Debian redis-server package that the test command installs;
 * when it is missing the test fails with a message saying so, it is never skipped.
 */
public final class RedisServerProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path dir;

    private RedisServerProcess(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    public static String binary() {
        for (String candidate : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
            if (new File(candidate).canExecute()) return candidate;
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(File.pathSeparator)) {
                File f = new File(d, "redis-server");
                if (f.canExecute()) return f.getPath();
            }
        }
        throw new IllegalStateException("redis-server (the reference for differential tests) is not installed. "
                + "Run bin/ember-test, which installs the Debian redis-server package, or: apt-get install redis-server");
    }

    public static RedisServerProcess start(String... extraArgs) {
        // A free port can be taken by another process before redis-server binds it (tests run in
        // parallel on one machine): this server then exits, and must not be mistaken for the
        // one answering on the port. Nothing is sent to the server here (stats tests count).
        for (int attempt = 1; ; attempt++) {
            RedisServerProcess r = startOnce(FreePort.find(), extraArgs);
            if (r.awaitReady()) return r;
            r.close();
            if (attempt == 3) throw new IllegalStateException("redis-server could not bind a port three times: see " + r.dir);
        }
    }

    private static RedisServerProcess startOnce(int port, String... extraArgs) {
        try {
            Path dir = Files.createTempDirectory("ember-ref-redis");
            List<String> cmd = new ArrayList<>(List.of(binary(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no",
                    "--enable-debug-command", "yes", "--logfile", dir.resolve("redis.log").toString()));
            cmd.addAll(List.of(extraArgs));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile());
            pb.environment().put("LC_ALL", "C"); // SORT ALPHA collates with strcoll: byte order, as Ember
            return new RedisServerProcess(pb.start(), port, dir);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until this process logged that it accepts connections (true) or exited, which is
     * what it does when its port was taken (false).
     */
    private boolean awaitReady() {
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) return false;
            if (logged("Ready to accept connections")) {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    return true;
                } catch (IOException e) {
                    // listening any moment now
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        throw new IllegalStateException("redis-server did not start on port " + port + ": see " + dir);
    }

    private boolean logged(String text) {
        for (String name : new String[] {"redis.log", "stdout.log"}) {
            try {
                if (Files.readString(dir.resolve(name), java.nio.charset.StandardCharsets.ISO_8859_1).contains(text)) return true;
            } catch (IOException e) {
                // not written yet
            }
        }
        return false;
    }

    public int port() {
        return port;
    }

    /** The temporary directory the server was started in (its --dir unless the extra args named another). */
    public Path dir() {
        return dir;
    }

    public RawConnection raw() {
        return new RawConnection("127.0.0.1", port);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
