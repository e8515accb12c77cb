package io.ember;

import io.ember.config.ConfigException;
import io.ember.config.ConfigFile;
import io.ember.config.ServerConfig;
import io.ember.engine.Engine;
import io.ember.net.NetServer;
import io.ember.persist.rdb.RdbFormatException;
import io.ember.util.Log;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A running Ember: engine plus TCP listeners. {@link Main} uses it for the standalone server; a
 * JVM application can start one in-process the same way and talk to it over the network or
 * through {@link EmbeddedClient} without a socket.
 */
public final class EmberServer implements AutoCloseable {
    private final Engine engine;
    private final NetServer net;

    private EmberServer(Engine engine, NetServer net) {
        this.engine = engine;
        this.net = net;
    }

    /**
     * Starts a server from an optional config file and redis-server style arguments, e.g.
     * {@code start(null, "--port", "7000", "--save", "")}.
     */
    public static EmberServer start(Path configFile, String... args) throws ConfigFile.LoadException, ConfigException, IOException {
        ServerConfig config = new ServerConfig();
        ConfigFile.load(config, configFile, CommandLine.optionLines(List.of(args)));
        return start(config, new Log());
    }

    public static EmberServer start(ServerConfig config, Log log) throws ConfigException, IOException {
        log.setLevel(config.loglevel);
        log.setFile(config.logfile);
        Engine engine = new Engine(config, log);
        NetServer net = new NetServer(engine);
        try {
            engine.loop().submit(() -> {
                net.start();
                if (config.appendonly) engine.persistence.loading = io.ember.persist.Persistence.STARTING;
                return null;
            }).get();
            loadDataFromDisk(engine);
        } catch (ExecutionException e) {
            engine.shutdown();
            if (e.getCause() instanceof ConfigException ce) throw ce;
            if (e.getCause() instanceof RdbFormatException re) throw re;
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } catch (IOException | RuntimeException e) {
            engine.shutdown(); // the AOF could not be loaded or opened: no server
            throw e;
        }
        config.setHooks(new ServerConfig.ChangeHooks() {
            @Override public void listenersChanged() throws ConfigException { net.rebind(); }
            @Override public void hzChanged() { engine.hzChanged(); }
            @Override public void requirepassChanged() { }
            @Override public void loglevelChanged() { log.setLevel(config.loglevel); }
            @Override public void appendonlyChanged(boolean on) throws ConfigException {
                // startAppendOnly / stopAppendOnly (only on a change, as Redis's apply function)
                if (on && engine.persistence.aof == null) engine.persistence.aofRewrites.startAppendOnly();
                else if (!on && engine.persistence.aof != null) engine.persistence.aofRewrites.stopAppendOnly();
            }
        });
        return new EmberServer(engine, net);
    }

    /**
     * loadDataFromDisk: with appendonly yes the AOF (docs/persistence.md); otherwise
     * dir/dbfilename, if it exists, in steps on the engine thread while
     * clients may already connect (they get -LOADING until it is done); returns when loaded. A
     * file that cannot be read refuses the start (reason and offset).
     */
    private static void loadDataFromDisk(Engine engine) throws ExecutionException,
            InterruptedException, IOException {
        if (engine.config.appendonly) {
            // As Redis 7.0: with the AOF on, the AOF is the data set; dump.rdb is not read.
            io.ember.persist.aof.AofStartup.loadAndOpen(engine);
            return;
        }
        Path file = engine.config.dir.resolve(engine.config.dbfilename);
        if (!Files.isRegularFile(file)) return;
        CompletableFuture<Void> done = new CompletableFuture<>();
        engine.loop().execute(() -> engine.persistence.loadInSteps(file, done));
        try {
            done.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RdbFormatException re) {
                // Main logs the message and exits 1, as redis-server does on a corrupt RDB.
                throw new ExecutionException(new RdbFormatException(
                        "Fatal error loading the DB (" + file + "): " + re.reason(), re.offset()));
            }
            throw e;
        }
    }

    public Engine engine() {
        return engine;
    }

    /** The TCP port actually listened on. */
    public int port() {
        return net.boundPort();
    }

    /** A client that runs commands on the engine thread without a socket. */
    public EmbeddedClient embeddedClient() {
        return new EmbeddedClient(engine);
    }

    /** Blocks until SHUTDOWN (or {@link #close()}) has stopped the engine. */
    public void awaitShutdown() throws InterruptedException {
        engine.awaitTermination();
    }

    @Override
    public void close() {
        engine.shutdown();
        try {
            engine.awaitTermination();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
