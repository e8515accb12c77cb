package io.ember;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.FreePort;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/ember-server as a real process (failsafe runs this after package built the shaded jar):
 * JDK lookup, --version/--help, banner, config file, bad config, stdin config, redis-cli,
 * SHUTDOWN and signals ending the process with exit code 0 and removing the pid file.
 */
class LauncherIT {
    static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    static final Path LAUNCHER = ROOT.resolve("bin/ember-server");

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @BeforeAll
    static void jarExists() {
        assertTrue(Files.exists(ROOT.resolve("ember-server/target/ember-server.jar")),
                "the shaded jar is built by the package phase, before integration tests run");
    }

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (Process p : started) {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** A launched server: its process and the file collecting its stdout and stderr. */
    record Server(Process process, Path log, int port) {
        String output() throws IOException {
            return Files.readString(log, StandardCharsets.ISO_8859_1);
        }
    }

    private Server launch(int port, Map<String, String> env, String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile(dir, "ember", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        started.add(p);
        if (stdin != null) p.getOutputStream().write(stdin.getBytes(StandardCharsets.ISO_8859_1));
        p.getOutputStream().close();
        return new Server(p, log, port);
    }

    private Server startServer(String... args) throws Exception {
        return awaitReady(launch(0, Map.of(), null, args), portOf(args));
    }

    private static int portOf(String[] args) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--port")) return Integer.parseInt(args[i + 1]);
        }
        return 0;
    }

    private static Server awaitReady(Server s, int port) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            if (s.output().contains("Ready to accept connections")) return new Server(s.process(), s.log(), port);
            if (!s.process().isAlive()) throw new AssertionError("ember-server exited:\n" + s.output());
            Thread.sleep(50);
        }
        throw new AssertionError("ember-server did not start:\n" + s.output());
    }

    /** Runs a short command to completion: {exit code, output}. */
    private static String[] run(String stdin, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (stdin != null) p.getOutputStream().write(stdin.getBytes(StandardCharsets.ISO_8859_1));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "timed out: " + String.join(" ", cmd));
        return new String[] {Integer.toString(p.exitValue()), out};
    }

    /**
     * Makes the server's next save fail (a directory where its temp file must go, which stops
     * root too); returns that directory. The server's dir must be this test's {@code dir}.
     */
    private Path blockSave(int port) throws Exception {
        String pid = cli(port, "info", "server").lines().filter(l -> l.startsWith("process_id:"))
                .map(l -> l.substring("process_id:".length()).strip()).findFirst().orElseThrow();
        return Files.createDirectory(dir.resolve("temp-" + pid + ".rdb"));
    }

    private static String cli(int port, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
        cmd.addAll(List.of(args));
        String[] r = run(null, cmd.toArray(String[]::new));
        assertEquals("0", r[0], r[1]);
        return r[1].strip();
    }

    private static int exitCode(Server s) throws Exception {
        assertTrue(s.process().waitFor(20, TimeUnit.SECONDS), "the server did not exit:\n" + s.output());
        return s.process().exitValue();
    }

    @Test
    void versionAndHelpWithAnOldJavaHome() throws Exception {
        // JAVA_HOME pointing to an old JDK: the launcher goes on looking for a JDK 21+
        String[] v = run(null, "env", "JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64", LAUNCHER.toString(), "--version");
        assertEquals("0", v[0], v[1]);
        assertTrue(v[1].startsWith("Ember server v=" + Version.EMBER_VERSION + " redis_version=7.0.15 bits=64 java="),
                v[1]);
        int feature = Integer.parseInt(v[1].replaceAll("(?s).*java=(\\d+).*", "$1"));
        assertTrue(feature >= 21, v[1]);
        String[] h = run(null, LAUNCHER.toString(), "--help");
        assertEquals("0", h[0]);
        assertTrue(h[1].contains("Usage: ./ember-server [/path/to/ember.conf] [options] [-]"), h[1]);
    }

    @Test
    void configFileBannerRedisCliAndShutdown() throws Exception {
        int port = FreePort.find();
        Path pidfile = dir.resolve("ember.pid");
        Path conf = dir.resolve("ember.conf");
        Files.writeString(conf, "port " + port + "\npidfile " + pidfile + "\nmaxclients 321\ndir " + dir + "\n");
        Server s = awaitReady(launch(port, Map.of(), null, conf.toString()), port);
        long pid = s.process().pid();
        String out = s.output();
        assertTrue(out.contains("Ember " + Version.EMBER_VERSION + " (Redis 7.0.15 compatible)"), out);
        assertTrue(out.contains("GC generational ZGC"), out);
        assertTrue(out.contains("Port: " + port + "\n"), out);
        assertTrue(out.contains("PID: " + pid + "\n"), out);
        assertTrue(out.contains("Config file: " + conf.toAbsolutePath() + "\n"), out);
        assertEquals(pid + "\n", Files.readString(pidfile));

        assertEquals("PONG", cli(port, "ping"));
        // an interactive-style session: commands piped into redis-cli, one per line
        String[] session = run("set greeting hello\nget greeting\nconfig get maxclients\ninfo server\n",
                "redis-cli", "-p", Integer.toString(port));
        assertEquals("0", session[0], session[1]);
        session[1] = session[1].replace("\r", "");
        assertTrue(session[1].startsWith("OK\nhello\nmaxclients\n321\n# Server\n"), session[1]);
        assertTrue(session[1].contains("config_file:" + conf.toAbsolutePath()), session[1]);
        assertTrue(session[1].contains("executable:" + LAUNCHER), session[1]);

        Path blocker = blockSave(port);
        assertEquals("ERR Errors trying to SHUTDOWN. Check logs.", cli(port, "shutdown", "save"));
        assertTrue(s.process().isAlive(), "SHUTDOWN SAVE could not save, so the server keeps running");
        Files.delete(blocker);
        cli(port, "shutdown", "save");
        assertEquals(0, exitCode(s));
        assertTrue(Files.size(dir.resolve("dump.rdb")) > 0, "the final save was written");
        assertFalse(Files.exists(pidfile), "the pid file is removed");
        assertTrue(s.output().contains("Ember is now ready to exit, bye bye..."), s.output());
    }

    @Test
    void sigtermAndSigintExitZero() throws Exception {
        for (String signal : List.of("TERM", "INT")) {
            int port = FreePort.find();
            Path pidfile = dir.resolve("ember-" + signal + ".pid");
            Server s = startServer("--port", Integer.toString(port), "--pidfile", pidfile.toString());
            assertEquals("PONG", cli(port, "ping"));
            String[] kill = run(null, "kill", "-" + signal, Long.toString(s.process().pid()));
            assertEquals("0", kill[0], kill[1]);
            assertEquals(0, exitCode(s), s.output());
            assertTrue(s.output().contains("Received SIG" + signal + " scheduling shutdown..."), s.output());
            assertFalse(Files.exists(pidfile));
        }
    }

    @Test
    void sigtermWithShutdownOnSigtermSaveKeepsRunning() throws Exception {
        int port = FreePort.find();
        Server s = startServer("--port", Integer.toString(port), "--shutdown-on-sigterm", "save", "--dir", dir.toString());
        blockSave(port);
        run(null, "kill", "-TERM", Long.toString(s.process().pid()));
        long deadline = System.currentTimeMillis() + 10_000;
        while (!s.output().contains("SIGTERM received but errors trying to shut down the server")) {
            assertTrue(System.currentTimeMillis() < deadline, s.output());
            Thread.sleep(50);
        }
        assertEquals("PONG", cli(port, "ping"));
        cli(port, "config", "set", "shutdown-on-sigterm", "default");
        cli(port, "config", "set", "save", ""); // no save points: the default SIGTERM does not save
        s.process().destroy(); // SIGTERM again, now with the default behaviour
        assertEquals(0, exitCode(s));
    }

    @Test
    void badConfigExitsOneNamingFileAndLine() throws Exception {
        Path conf = dir.resolve("bad.conf");
        Files.writeString(conf, "# comment\nport 7000\nmaxclients abc\n");
        String[] r = run(null, LAUNCHER.toString(), conf.toString());
        assertEquals("1", r[0], r[1]);
        assertTrue(r[1].contains("*** FATAL CONFIG FILE ERROR (Ember " + Version.EMBER_VERSION + ") ***\n"
                + "Reading the configuration file " + conf.toAbsolutePath() + ", at line 3\n"
                + ">>> 'maxclients abc'\nargument couldn't be parsed into an integer"), r[1]);
        String[] missing = run(null, LAUNCHER.toString(), dir.resolve("none.conf").toString());
        assertEquals("1", missing[0]);
        assertTrue(missing[1].contains("Fatal error, can't open config file '" + dir.resolve("none.conf") + "'"),
                missing[1]);
        String[] option = run(null, LAUNCHER.toString(), "--daemonize", "yes");
        assertEquals("1", option[0]);
        assertTrue(option[1].contains(">>> 'daemonize \"yes\"'\nUnsupported value"), option[1]);
    }

    @Test
    void configFromStandardInput() throws Exception {
        int port = FreePort.find();
        Server s = awaitReady(launch(port, Map.of(), "port " + port + "\ntimeout 77\n", "-", "--maxclients", "55"),
                port);
        assertEquals("timeout\n77\nmaxclients\n55", cli(port, "config", "get", "timeout", "maxclients")
                .replace("\r", ""));
        assertTrue(cli(port, "config", "rewrite").contains("The server is running without a config file"));
        cli(port, "shutdown", "nosave");
        assertEquals(0, exitCode(s));
    }

    @Test
    void theSampleConfigStartsAndSurvivesRewrite() throws Exception {
        Path copy = dir.resolve("ember.conf");
        Files.copy(ROOT.resolve("conf/ember.conf"), copy);
        int port = FreePort.find();
        Server s = startServer(copy.toString(), "--port", Integer.toString(port));
        assertEquals("maxclients\n10000", cli(port, "config", "get", "maxclients"));
        assertEquals("OK", cli(port, "config", "set", "timeout", "30"));
        assertEquals("OK", cli(port, "config", "rewrite"));
        String rewritten = Files.readString(copy);
        assertTrue(rewritten.startsWith("# Ember configuration file (redis.conf syntax).\n"), "comments kept");
        assertTrue(rewritten.contains("\ntimeout 30\n"), rewritten);
        assertTrue(rewritten.contains("\nport " + port + "\n"), "the command-line port is now in the file");
        assertTrue(rewritten.contains("\ndir \"" + dir + "\"\n"), rewritten);
        cli(port, "shutdown");
        assertEquals(0, exitCode(s));

        int port2 = FreePort.find();
        Server again = startServer(copy.toString(), "--port", Integer.toString(port2));
        assertEquals("timeout\n30", cli(port2, "config", "get", "timeout"));
        again.process().destroy();
        assertEquals(0, exitCode(again));
    }
}
