package io.ember;

import io.ember.config.ConfigException;
import io.ember.config.ConfigFile;
import io.ember.config.ServerConfig;
import io.ember.util.Log;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** {@code ember-server [/path/to/ember.conf] [--option value ...]}, as redis-server. */
public final class Main {
    private Main() {}

    public static void main(String[] argv) throws Exception {
        List<String> args = Arrays.asList(argv);
        Path configFile = null;
        if (!args.isEmpty()) {
            String first = args.get(0);
            if (first.equals("-v") || first.equals("--version")) {
                System.out.println("Ember server v=" + Version.EMBER_VERSION + " redis_compat=" + Version.REDIS_VERSION
                        + " bits=64 java=" + Runtime.version().feature());
                return;
            }
            if (first.equals("-h") || first.equals("--help")) {
                usage();
                return;
            }
            if (!first.startsWith("-")) {
                configFile = Path.of(first);
                args = args.subList(1, args.size());
            }
        }
        ServerConfig config = new ServerConfig();
        try {
            ConfigFile.load(config, configFile, CommandLine.optionLines(args));
        } catch (ConfigFile.LoadException e) {
            System.err.println();
            System.err.println(e.getMessage());
            System.exit(1);
        }
        Log log = new Log();
        banner(config);
        EmberServer server;
        try {
            server = EmberServer.start(config, log);
        } catch (ConfigException e) {
            log.warning(e.getMessage());
            System.exit(1);
            return;
        }
        writePidFile(config, log);
        log.notice("Server initialized");
        log.notice("Ready to accept connections tcp");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!server.engine().shuttingDown()) {
                log.warning("Received SIGTERM scheduling shutdown...");
                server.close();
            }
        }));
        server.awaitShutdown();
        if (!config.pidfile.isEmpty()) Files.deleteIfExists(Path.of(config.pidfile));
        log.warning("Ember is now ready to exit, bye bye...");
    }

    private static void banner(ServerConfig config) {
        String gc = java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(java.lang.management.GarbageCollectorMXBean::getName).findFirst().orElse("?");
        System.out.println("Ember " + Version.EMBER_VERSION + " (Redis " + Version.REDIS_VERSION + " compatible), "
                + "Java " + Runtime.version() + ", GC " + gc);
        System.out.println("Running in standalone mode");
        System.out.println("Port: " + config.port);
        System.out.println("PID: " + ProcessHandle.current().pid());
        System.out.println("Config file: " + (config.configFile == null ? "none (embedded defaults)" : config.configFile));
        System.out.println();
    }

    private static void writePidFile(ServerConfig config, Log log) {
        if (config.pidfile.isEmpty()) return;
        try {
            Files.writeString(Path.of(config.pidfile), ProcessHandle.current().pid() + "\n");
        } catch (Exception e) {
            log.warning("Failed to write PID file: " + e.getMessage());
        }
    }

    private static void usage() {
        System.err.println("""
                Usage: ./ember-server [/path/to/ember.conf] [options] [-]
                       ./ember-server - (read config from stdin is not supported)
                       ./ember-server -v or --version
                       ./ember-server -h or --help

                Examples:
                       ./ember-server (run the server with default conf)
                       ./ember-server /etc/ember/6379.conf
                       ./ember-server --port 7777
                       ./ember-server /etc/myember.conf --loglevel verbose
                       ./ember-server --save "" --appendonly no
                """);
    }
}
