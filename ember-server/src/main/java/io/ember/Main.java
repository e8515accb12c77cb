package io.ember;

import io.ember.command.ServerCommands;
import io.ember.config.ConfigException;
import io.ember.config.ConfigFile;
import io.ember.config.ServerConfig;
import io.ember.engine.Engine;
import io.ember.util.Log;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@code ember-server [/path/to/ember.conf] [-] [--option value ...]}, as redis-server: loads the
 * configuration (a bad one is reported with file and line, exit code 1), starts the server,
 * writes the pid file, and exits 0 once SHUTDOWN, SIGTERM or SIGINT has stopped it.
 */
public final class Main {
    private Main() {}

    public static void main(String[] argv) throws Exception {
        List<String> args = Arrays.asList(argv);
        if (!args.isEmpty()) {
            String first = args.get(0);
            if (first.equals("-v") || first.equals("--version")) {
                System.out.println(versionLine());
                return;
            }
            if (first.equals("-h") || first.equals("--help")) {
                System.out.println(USAGE);
                return;
            }
        }
        CommandLine.Parsed cl = CommandLine.parse(args);
        ServerConfig config = new ServerConfig();
        Log log = new Log();
        if (cl.readStdin()) log.warning("Reading config from stdin");
        try {
            ConfigFile.load(config, cl.configFile(), cl.readStdin() ? System.in : null, cl.optionLines());
        } catch (ConfigFile.LoadException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
        EmberServer server;
        try {
            server = EmberServer.start(config, log);
        } catch (ConfigException | IOException e) {
            log.warning(e.getMessage());
            System.exit(1);
            return;
        }
        banner(log, config, server.port());
        log.notice("Ember version=" + Version.EMBER_VERSION + ", redis_version=" + Version.REDIS_VERSION
                + ", pid=" + ProcessHandle.current().pid() + ", just started");
        if (config.configFile == null && !cl.readStdin()) {
            log.warning("Warning: no config file specified, using the default config. In order to specify a config "
                    + "file use ember-server /path/to/ember.conf");
        } else {
            log.notice("Configuration loaded");
        }
        writePidFile(config, log);
        Signals.install(server.engine());
        log.notice("Server initialized");
        log.notice("Ready to accept connections tcp");
        server.awaitShutdown();
        removePidFile(config, log);
        log.warning("Ember is now ready to exit, bye bye...");
        System.exit(0);
    }

    static String versionLine() {
        return "Ember server v=" + Version.EMBER_VERSION + " redis_version=" + Version.REDIS_VERSION
                + " bits=64 java=" + Runtime.version();
    }

    private static void banner(Log log, ServerConfig config, int port) {
        log.raw("");
        log.raw("Ember " + Version.EMBER_VERSION + " (Redis " + Version.REDIS_VERSION + " compatible) 64 bit, "
                + "Java " + Runtime.version() + ", GC " + gcName());
        log.raw("Running in standalone mode");
        log.raw("Port: " + port);
        log.raw("PID: " + ProcessHandle.current().pid());
        log.raw("Config file: " + (config.configFile == null ? "none (built-in defaults)" : config.configFile));
        log.raw("");
    }

    /** The collector in use, from the names of the JVM's GC beans ("ZGC Minor Cycles"...). */
    private static String gcName() {
        StringBuilder names = new StringBuilder();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) names.append(gc.getName()).append(';');
        String n = names.toString();
        if (n.contains("ZGC Minor")) return "generational ZGC";
        if (n.contains("ZGC")) return "ZGC";
        if (n.contains("G1")) return "G1";
        if (n.contains("Shenandoah")) return "Shenandoah";
        if (n.contains("PS ") || n.contains("Parallel")) return "Parallel";
        if (n.contains("Copy") || n.contains("MarkSweepCompact")) return "Serial";
        return n.isEmpty() ? "unknown" : n.substring(0, n.indexOf(';'));
    }

    private static void writePidFile(ServerConfig config, Log log) {
        if (config.pidfile.isEmpty()) return;
        try {
            Files.writeString(Path.of(config.pidfile), ProcessHandle.current().pid() + "\n");
        } catch (IOException e) {
            log.warning("Failed to write PID file: " + e.getMessage());
        }
    }

    private static void removePidFile(ServerConfig config, Log log) {
        if (config.pidfile.isEmpty()) return;
        log.notice("Removing the pid file.");
        try {
            Files.deleteIfExists(Path.of(config.pidfile));
        } catch (IOException e) {
            log.warning("Error removing the pid file: " + e.getMessage());
        }
    }

    /**
     * SIGTERM and SIGINT shut the server down as Redis does (shutdown-on-sigterm/-sigint give the
     * SHUTDOWN flags), so the process exits 0 after an orderly stop. A second SIGINT during the
     * shutdown exits at once. Where the JVM does not let us handle signals, a shutdown hook stops
     * the engine instead (the exit code is then the JVM's).
     */
    static final class Signals {
        private Signals() {}

        static void install(Engine engine) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal("TERM"), s -> received(engine, "SIGTERM"));
                sun.misc.Signal.handle(new sun.misc.Signal("INT"), s -> received(engine, "SIGINT"));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    if (!engine.shuttingDown()) engine.shutdown();
                }, "ember-shutdown"));
            }
        }

        private static void received(Engine engine, String signal) {
            if (engine.shuttingDown()) {
                if (signal.equals("SIGINT")) {
                    engine.log.warning("You insist... exiting now.");
                    if (!engine.config.pidfile.isEmpty()) Path.of(engine.config.pidfile).toFile().delete();
                    Runtime.getRuntime().halt(1);
                }
                return;
            }
            engine.log.warning("Received " + signal + " scheduling shutdown...");
            int flags = signal.equals("SIGINT") ? engine.config.shutdownOnSigint : engine.config.shutdownOnSigterm;
            try {
                engine.loop().execute(() -> shutdownOnSignal(engine, signal, flags));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the engine is already stopping
            }
        }
    }

    /** The shutdown a signal asked for; not from inside a busy script, as Redis's cron waits for it. */
    private static void shutdownOnSignal(Engine engine, String signal, int flags) {
        if (engine.scripting.running()) {
            engine.loop().schedule(() -> shutdownOnSignal(engine, signal, flags), 10, java.util.concurrent.TimeUnit.MILLISECONDS);
            return;
        }
        if (!ServerCommands.shutdownServer(engine, flags)) {
            engine.log.warning(signal + " received but errors trying to shut down the server, "
                    + "check the logs for more information");
        }
    }

    private static final String USAGE = """
            Usage: ./ember-server [/path/to/ember.conf] [options] [-]
                   ./ember-server - (read config from stdin)
                   ./ember-server -v or --version
                   ./ember-server -h or --help

            Examples:
                   ./ember-server (run the server with default conf)
                   echo 'maxclients 100' | ./ember-server -
                   ./ember-server /etc/ember/6379.conf
                   ./ember-server --port 7777
                   ./ember-server /etc/myember.conf --loglevel verbose -
                   ./ember-server --save "" --appendonly no

            Options are the directives of ember.conf (see conf/ember.conf and
            docs/configuration.md), given as --name value. The JVM flags come from
            the EMBER_JAVA_OPTS environment variable.""";
}
