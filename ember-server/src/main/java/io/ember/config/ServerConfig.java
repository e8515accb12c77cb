package io.ember.config;

import static io.ember.config.ConfigOption.IMMUTABLE;
import static io.ember.config.ConfigOption.MULTI_ARG;
import static io.ember.config.ConfigOption.PROTECTED;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The server's configuration: plain fields that the engine reads directly, plus the table of
 * directives that maps redis.conf names onto them. Defaults are those of Redis 7.0's redis.conf
 * (bind 127.0.0.1 -::1, protected mode on). Only the engine thread changes values after startup.
 */
public final class ServerConfig {
    public static final String DEFAULT_BIND = "127.0.0.1 -::1";

    // ---- network ----
    public int port = 6379;
    public List<String> bind = List.of("127.0.0.1", "-::1");
    public boolean protectedMode = true;
    public int tcpBacklog = 511;
    public int timeoutSeconds = 0;
    public int tcpKeepalive = 300;
    public int maxclients = 10000;

    // ---- limits ----
    public long protoMaxBulkLen = 512L * 1024 * 1024;
    public long clientQueryBufferLimit = 1024L * 1024 * 1024;

    // ---- general ----
    public int databases = 16;
    public String requirepass = "";
    public int hz = 10;
    public int configuredHz = 10;
    public boolean dynamicHz = true;
    public String loglevel = "notice";
    public String logfile = "";
    public String pidfile = "";
    public Path dir = Path.of("").toAbsolutePath();
    public String enableDebugCommand = "no";
    public String enableProtectedConfigs = "no";
    public boolean lazyfreeLazyUserFlush = false;
    public boolean activeRehashing = true;

    // ---- memory policy (eviction itself arrives with the memory issue) ----
    public String maxmemoryPolicy = "noeviction";
    public int lfuLogFactor = 10;
    public int lfuDecayTime = 1;

    /** The config file the server was started with, absolute; null when started without one. */
    public Path configFile;

    /** Engine hooks run when a live option changes (rebind listeners, reschedule cron). */
    public interface ChangeHooks {
        void listenersChanged() throws ConfigException;
        void hzChanged();
        void requirepassChanged();
    }

    private ChangeHooks hooks;
    private final Map<String, ConfigOption> byName = new LinkedHashMap<>();
    private final List<ConfigOption> options = new ArrayList<>();

    public ServerConfig() {
        define();
    }

    public void setHooks(ChangeHooks hooks) {
        this.hooks = hooks;
    }

    ChangeHooks hooks() {
        return hooks;
    }

    public Collection<ConfigOption> options() {
        return options;
    }

    /** Finds an option by name or alias, case-insensitively. */
    public ConfigOption option(String name) {
        return byName.get(name.toLowerCase(Locale.ROOT));
    }

    private void add(ConfigOption o) {
        options.add(o);
        byName.put(o.name(), o);
        for (String alias : o.aliases()) byName.put(alias, o);
    }

    private void define() {
        add(Options.number("port", List.of(), 0, 65535, 6379, false, 0, () -> port, v -> {
            int old = port;
            port = (int) v;
            if (hooks != null) {
                try {
                    hooks.listenersChanged();
                } catch (ConfigException e) {
                    port = old;
                    throw new ConfigException("Unable to listen on this port");
                }
            }
        }));
        add(new BindOption(this));
        add(Options.bool("protected-mode", true, 0, () -> protectedMode, v -> protectedMode = v));
        add(Options.number("tcp-backlog", List.of(), 0, Integer.MAX_VALUE, 511, false, IMMUTABLE,
                () -> tcpBacklog, v -> tcpBacklog = (int) v));
        add(Options.number("timeout", List.of(), 0, Integer.MAX_VALUE, 0, false, 0,
                () -> timeoutSeconds, v -> timeoutSeconds = (int) v));
        add(Options.number("tcp-keepalive", List.of(), 0, Integer.MAX_VALUE, 300, false, 0,
                () -> tcpKeepalive, v -> tcpKeepalive = (int) v));
        add(Options.number("maxclients", List.of(), 1, Integer.MAX_VALUE, 10000, false, 0,
                () -> maxclients, v -> maxclients = (int) v));
        add(Options.number("proto-max-bulk-len", List.of(), 1024 * 1024, Long.MAX_VALUE, 512L * 1024 * 1024, true, 0,
                () -> protoMaxBulkLen, v -> protoMaxBulkLen = v));
        add(Options.number("client-query-buffer-limit", List.of(), 1024 * 1024, Long.MAX_VALUE, 1024L * 1024 * 1024,
                true, 0, () -> clientQueryBufferLimit, v -> clientQueryBufferLimit = v));
        add(Options.number("databases", List.of(), 1, Integer.MAX_VALUE, 16, false, IMMUTABLE,
                () -> databases, v -> databases = (int) v));
        add(Options.string("requirepass", "", 0, () -> requirepass, v -> {
            requirepass = v;
            if (hooks != null) hooks.requirepassChanged();
        }));
        add(Options.number("hz", List.of(), 0, Integer.MAX_VALUE, 10, false, 0, () -> configuredHz, v -> {
            configuredHz = (int) Math.max(1, Math.min(500, v));
            hz = configuredHz;
            if (hooks != null) hooks.hzChanged();
        }));
        add(Options.bool("dynamic-hz", true, 0, () -> dynamicHz, v -> dynamicHz = v));
        add(Options.enumeration("loglevel", List.of("debug", "verbose", "notice", "warning"), "notice", 0,
                () -> loglevel, v -> loglevel = v));
        add(Options.string("logfile", "", IMMUTABLE, () -> logfile, v -> logfile = v));
        add(Options.string("pidfile", "", 0, () -> pidfile, v -> pidfile = v));
        add(Options.string("dir", dir.toString(), PROTECTED, () -> dir.toString(), v -> {
            Path p = dir.resolve(v).normalize();
            if (!p.toFile().isDirectory()) throw new ConfigException("No such file or directory");
            dir = p;
        }));
        List<String> debugValues = List.of("no", "yes", "local");
        add(Options.enumeration("enable-debug-command", debugValues, "no", IMMUTABLE,
                () -> enableDebugCommand, v -> enableDebugCommand = v));
        add(Options.enumeration("enable-protected-configs", debugValues, "no", IMMUTABLE,
                () -> enableProtectedConfigs, v -> enableProtectedConfigs = v));
        add(Options.bool("lazyfree-lazy-user-flush", false, 0, () -> lazyfreeLazyUserFlush,
                v -> lazyfreeLazyUserFlush = v));
        add(Options.bool("activerehashing", true, 0, () -> activeRehashing, v -> activeRehashing = v));
        add(Options.enumeration("maxmemory-policy", List.of("volatile-lru", "volatile-lfu", "volatile-random",
                "volatile-ttl", "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"), "noeviction", 0,
                () -> maxmemoryPolicy, v -> maxmemoryPolicy = v));
        add(Options.number("lfu-log-factor", List.of(), 0, Integer.MAX_VALUE, 10, false, 0,
                () -> lfuLogFactor, v -> lfuLogFactor = (int) v));
        add(Options.number("lfu-decay-time", List.of(), 0, Integer.MAX_VALUE, 1, false, 0,
                () -> lfuDecayTime, v -> lfuDecayTime = (int) v));
        add(new NotYetOption("save", "", MULTI_ARG, "persistence (RDB snapshots) is not implemented yet"));
        add(new NotYetOption("appendonly", "no", 0, "persistence (the AOF) is not implemented yet"));
        add(new NotYetOption("maxmemory", "0", 0, "maxmemory and eviction are not implemented yet"));
    }

    public boolean lfuPolicy() {
        return maxmemoryPolicy.endsWith("-lfu");
    }

    public boolean lruPolicy() {
        return maxmemoryPolicy.endsWith("-lru");
    }

    /** Whether a protected or debug feature is allowed for a client (the yes/local/no options). */
    public static boolean allows(String setting, boolean localClient) {
        return setting.equals("yes") || (setting.equals("local") && localClient);
    }

    /** A recognised directive whose only accepted value is "off" until its mechanism exists. */
    static final class NotYetOption extends ConfigOption {
        private final String off;
        private final String why;

        NotYetOption(String name, String off, int flags, String why) {
            super(name, List.of(), flags);
            this.off = off;
            this.why = why;
        }

        @Override public String get() { return off; }
        @Override public String defaultValue() { return off; }

        @Override
        public Applier parse(List<String> args, boolean startup) throws ConfigException {
            String v = String.join(" ", args);
            boolean isOff = v.equals(off) || (name().equals("appendonly") && v.equalsIgnoreCase("no"))
                    || (name().equals("maxmemory") && Options.parseMemory(v) == 0);
            if (!isOff) throw new ConfigException("'" + name() + " " + v + "' is not supported: " + why);
            return () -> {};
        }
    }
}
