package io.ember.config;

import static io.ember.config.ConfigOption.IMMUTABLE;
import static io.ember.config.ConfigOption.PROTECTED;
import static io.ember.config.ConfigOption.SENSITIVE;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The server's configuration: plain fields that the engine reads directly, plus the table of
 * directives that maps redis.conf names onto them. Names, aliases, defaults, bounds and flags are
 * Redis 7.0's (config.c); the one deliberate difference is the default bind, 127.0.0.1 -::1 as in
 * Redis's sample redis.conf rather than every interface. Only the engine thread changes values
 * after startup. docs/configuration.md lists every option.
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
    /** busy-reply-threshold (alias lua-time-limit), ms: after it a running script lets others get -BUSY. */
    public long busyReplyThresholdMs = 5000;
    /** maxclients as configured (up to 2^32-1, as Redis); {@link #maxclients} is capped to an int. */
    private long maxclientsConfigured = 10000;

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
    /** maxmemory-samples: keys sampled per database when looking for an eviction candidate. */
    public int maxmemorySamples = 5;
    /** maxmemory-eviction-tenacity (0..100): how long one eviction step may run. */
    public int maxmemoryEvictionTenacity = 10;
    /** client-output-buffer-limit: {hard, soft, soft seconds} for normal, replica and pubsub clients. */
    public long[][] clientOutputBufferLimits = {
        ClientOutputBufferLimitOption.DEFAULTS[0].clone(), ClientOutputBufferLimitOption.DEFAULTS[1].clone(),
        ClientOutputBufferLimitOption.DEFAULTS[2].clone()};
    /** active-expire-effort (1..10): how much work active expiry does per cycle. */
    public int activeExpireEffort = 1;
    /** tracking-table-max-keys: keys remembered for client-side caching before the oldest are invalidated (0: no limit). */
    public long trackingTableMaxKeys = 1_000_000;
    /** notify-keyspace-events as {@link io.ember.pubsub.KeyspaceEvents} bits (0: off). */
    public int notifyKeyspaceEvents = 0;
    public int lfuLogFactor = 10;
    public int lfuDecayTime = 1;
    /** Always 0 until memory accounting and eviction exist: other values are refused. */
    public long maxmemory = 0;

    // ---- persistence (RDB) ----
    public String dbfilename = "dump.rdb";
    public boolean rdbCompression = true;
    public boolean rdbChecksum = true;
    /** sanitize-dump-payload: "no", "yes" or "clients" (RESTORE payload validation). */
    public String sanitizeDumpPayload = "no";
    public boolean stopWritesOnBgsaveError = true;
    public boolean rdbDelSyncFiles = false;
    /** rdb-key-save-delay: microseconds of sleep per key saved (a testing aid, as in Redis). */
    public int rdbKeySaveDelay = 0;
    /** key-load-delay: microseconds of sleep per key loaded (a testing aid, as in Redis). */
    public int keyLoadDelay = 0;

    // ---- compact encodings of small collections (Redis 7.0 defaults) ----
    /** Per quicklist node: negative = size class (-1 4 KB ... -5 64 KB), positive = max entries. */
    public int listMaxListpackSize = -2;
    public long hashMaxListpackEntries = 512;
    public long hashMaxListpackValue = 64;
    public long setMaxIntsetEntries = 512;
    public long zsetMaxListpackEntries = 128;
    public long zsetMaxListpackValue = 64;
    /** A sparse HyperLogLog longer than this (header included) is converted to dense. */
    public long hllSparseMaxBytes = 3000;
    /** Stream node limits: listpack bytes (memory units) and entries; 0 means no limit. */
    public long streamNodeMaxBytes = 4096;
    public long streamNodeMaxEntries = 100;

    // ---- persistence ----
    /** RDB snapshot points {seconds, changes} (see {@link SaveOption}); Redis's defaults. */
    public List<long[]> saveParams = List.of(new long[] {3600, 1}, new long[] {300, 100}, new long[] {60, 10000});
    public boolean appendonly = false;

    // ---- append-only file (docs/persistence.md) ----
    public String appendfilename = "appendonly.aof";
    public String appenddirname = "appendonlydir";
    /** appendfsync: "always", "everysec" or "no". */
    public String appendfsync = "everysec";
    public boolean aofLoadTruncated = true;
    public boolean aofUseRdbPreamble = true;
    public boolean aofTimestampEnabled = false;
    public boolean noAppendfsyncOnRewrite = false;
    /** auto-aof-rewrite-percentage / -min-size: the automatic rewrite (AofRewrites.cron). */
    public int autoAofRewritePercentage = 100;
    public long autoAofRewriteMinSize = 64L * 1024 * 1024;
    public boolean aofRewriteIncrementalFsync = true;

    // ---- shutdown ----
    /** SHUTDOWN / shutdown-on-sig* flag bits, as Redis's SHUTDOWN_SAVE, _NOSAVE, _NOW, _FORCE. */
    public static final int SHUTDOWN_SAVE = 1, SHUTDOWN_NOSAVE = 2, SHUTDOWN_NOW = 4, SHUTDOWN_FORCE = 8;
    public int shutdownOnSigterm = 0;
    public int shutdownOnSigint = 0;

    /** The config file the server was started with, absolute; null when started without one. */
    public Path configFile;

    /** Engine hooks run when a live option changes (rebind listeners, reschedule cron). */
    public interface ChangeHooks {
        void listenersChanged() throws ConfigException;
        void hzChanged();
        void requirepassChanged();

        default void loglevelChanged() { }

        /** CONFIG SET appendonly at run time; throws to refuse the change. */
        default void appendonlyChanged(boolean on) throws ConfigException { }
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

    /** Registers an option (package-private so tests can add options with aliases). */
    void add(ConfigOption o) {
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
                    throw new ConfigException("Unable to listen on this port. Check server logs.");
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
        add(Options.number("busy-reply-threshold", List.of("lua-time-limit"), 0, Long.MAX_VALUE, 5000, false, 0,
                () -> busyReplyThresholdMs, v -> busyReplyThresholdMs = v));
        add(Options.number("maxclients", List.of(), 1, 0xFFFFFFFFL, 10000, false, 0,
                () -> maxclientsConfigured, v -> {
                    maxclientsConfigured = v;
                    maxclients = (int) Math.min(v, Integer.MAX_VALUE);
                }));
        add(Options.number("proto-max-bulk-len", List.of(), 1024 * 1024, Long.MAX_VALUE, 512L * 1024 * 1024, true, 0,
                () -> protoMaxBulkLen, v -> protoMaxBulkLen = v));
        add(Options.number("client-query-buffer-limit", List.of(), 1024 * 1024, Long.MAX_VALUE, 1024L * 1024 * 1024,
                true, 0, () -> clientQueryBufferLimit, v -> clientQueryBufferLimit = v));
        add(Options.number("databases", List.of(), 1, Integer.MAX_VALUE, 16, false, IMMUTABLE,
                () -> databases, v -> databases = (int) v));
        add(Options.string("requirepass", "", true, SENSITIVE, () -> requirepass, v -> {
            requirepass = v;
            if (hooks != null) hooks.requirepassChanged();
        }));
        // Redis keeps the configured value and clamps the running hz to 1..500.
        add(Options.number("hz", List.of(), 0, Integer.MAX_VALUE, 10, false, 0, () -> configuredHz, v -> {
            configuredHz = (int) Math.max(1, Math.min(500, v));
            hz = configuredHz;
            if (hooks != null) hooks.hzChanged();
        }));
        add(Options.bool("dynamic-hz", true, 0, () -> dynamicHz, v -> dynamicHz = v));
        add(Options.enumeration("loglevel", List.of("debug", "verbose", "notice", "warning"), "notice", 0,
                () -> loglevel, v -> {
                    loglevel = v;
                    if (hooks != null) hooks.loglevelChanged();
                }));
        add(Options.string("logfile", "", IMMUTABLE, () -> logfile, v -> logfile = v));
        add(Options.string("pidfile", "", true, IMMUTABLE, () -> pidfile, v -> pidfile = v));
        add(new DirOption(this));
        add(Options.bool("daemonize", List.of(), false, IMMUTABLE, () -> false, v -> { },
                v -> v ? "Unsupported value: a JVM cannot fork, so Ember runs in the foreground; "
                        + "use your service manager (systemd, docker) to run it in the background" : null));
        List<String> protectedAction = List.of("no", "yes", "local");
        add(Options.enumeration("enable-debug-command", protectedAction, "no", IMMUTABLE,
                () -> enableDebugCommand, v -> enableDebugCommand = v));
        add(Options.enumeration("enable-protected-configs", protectedAction, "no", IMMUTABLE,
                () -> enableProtectedConfigs, v -> enableProtectedConfigs = v));
        add(Options.bool("lazyfree-lazy-user-flush", false, 0, () -> lazyfreeLazyUserFlush,
                v -> lazyfreeLazyUserFlush = v));
        add(Options.bool("activerehashing", true, 0, () -> activeRehashing, v -> activeRehashing = v));
        add(Options.number("maxmemory", List.of(), 0, Long.MAX_VALUE, 0, true, 0, () -> maxmemory, v -> maxmemory = v));
        add(Options.number("maxmemory-samples", List.of(), 1, 64, 5, false, 0,
                () -> maxmemorySamples, v -> maxmemorySamples = (int) v));
        add(Options.number("maxmemory-eviction-tenacity", List.of(), 0, 100, 10, false, 0,
                () -> maxmemoryEvictionTenacity, v -> maxmemoryEvictionTenacity = (int) v));
        add(Options.enumeration("maxmemory-policy", List.of("volatile-lru", "volatile-lfu", "volatile-random",
                "volatile-ttl", "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"), "noeviction", 0,
                () -> maxmemoryPolicy, v -> maxmemoryPolicy = v));
        add(Options.number("lfu-log-factor", List.of(), 0, Integer.MAX_VALUE, 10, false, 0,
                () -> lfuLogFactor, v -> lfuLogFactor = (int) v));
        add(Options.number("lfu-decay-time", List.of(), 0, Integer.MAX_VALUE, 1, false, 0,
                () -> lfuDecayTime, v -> lfuDecayTime = (int) v));
        add(Options.number("list-max-listpack-size", List.of("list-max-ziplist-size"), Integer.MIN_VALUE,
                Integer.MAX_VALUE, -2, false, 0, () -> listMaxListpackSize, v -> listMaxListpackSize = (int) v));
        add(Options.number("list-compress-depth", List.of(), 0, Integer.MAX_VALUE, 0, false, 0, () -> 0, v -> { },
                v -> v != 0 ? "Unsupported value: Ember does not compress quicklist nodes yet, "
                        + "so the only accepted value is list-compress-depth 0" : null));
        add(Options.number("hash-max-listpack-entries", List.of("hash-max-ziplist-entries"), 0, Long.MAX_VALUE, 512,
                false, 0, () -> hashMaxListpackEntries, v -> hashMaxListpackEntries = v));
        add(Options.number("hash-max-listpack-value", List.of("hash-max-ziplist-value"), 0, Long.MAX_VALUE, 64,
                false, 0, () -> hashMaxListpackValue, v -> hashMaxListpackValue = v));
        add(Options.number("set-max-intset-entries", List.of(), 0, Long.MAX_VALUE, 512, false, 0,
                () -> setMaxIntsetEntries, v -> setMaxIntsetEntries = v));
        add(Options.number("zset-max-listpack-entries", List.of("zset-max-ziplist-entries"), 0, Long.MAX_VALUE, 128,
                false, 0, () -> zsetMaxListpackEntries, v -> zsetMaxListpackEntries = v));
        add(Options.number("zset-max-listpack-value", List.of("zset-max-ziplist-value"), 0, Long.MAX_VALUE, 64,
                false, 0, () -> zsetMaxListpackValue, v -> zsetMaxListpackValue = v));
        add(Options.number("hll-sparse-max-bytes", List.of(), 0, Long.MAX_VALUE, 3000, true, 0,
                () -> hllSparseMaxBytes, v -> hllSparseMaxBytes = v));
        add(Options.number("stream-node-max-bytes", List.of(), 0, Long.MAX_VALUE, 4096, true, 0,
                () -> streamNodeMaxBytes, v -> streamNodeMaxBytes = v));
        add(Options.number("stream-node-max-entries", List.of(), 0, Long.MAX_VALUE, 100, false, 0,
                () -> streamNodeMaxEntries, v -> streamNodeMaxEntries = v));
        add(new NotifyKeyspaceEventsOption(this));
        add(new ClientOutputBufferLimitOption(this));
        add(Options.number("active-expire-effort", List.of(), 1, 10, 1, false, 0,
                () -> activeExpireEffort, v -> activeExpireEffort = (int) v));
        add(Options.number("tracking-table-max-keys", List.of(), 0, Long.MAX_VALUE, 1_000_000, false, 0,
                () -> trackingTableMaxKeys, v -> trackingTableMaxKeys = v));
        add(new SaveOption(this));
        add(Options.string("dbfilename", "dump.rdb", false, PROTECTED, () -> dbfilename, v -> dbfilename = v,
                v -> v.indexOf('/') >= 0 ? "dbfilename can't be a path, just a filename" : null));
        add(Options.bool("rdbcompression", true, 0, () -> rdbCompression, v -> rdbCompression = v));
        add(Options.bool("rdbchecksum", true, IMMUTABLE, () -> rdbChecksum, v -> rdbChecksum = v));
        add(Options.enumeration("sanitize-dump-payload", List.of("no", "yes", "clients"), "no", 0,
                () -> sanitizeDumpPayload, v -> sanitizeDumpPayload = v));
        add(Options.bool("stop-writes-on-bgsave-error", true, 0, () -> stopWritesOnBgsaveError,
                v -> stopWritesOnBgsaveError = v));
        add(Options.bool("rdb-del-sync-files", false, 0, () -> rdbDelSyncFiles, v -> rdbDelSyncFiles = v));
        add(Options.number("rdb-key-save-delay", List.of(), Integer.MIN_VALUE, Integer.MAX_VALUE, 0, false, 0,
                () -> rdbKeySaveDelay, v -> rdbKeySaveDelay = (int) v));
        add(Options.number("key-load-delay", List.of(), Integer.MIN_VALUE, Integer.MAX_VALUE, 0, false, 0,
                () -> keyLoadDelay, v -> keyLoadDelay = (int) v));
        add(Options.bool("appendonly", List.of(), false, 0, () -> appendonly, v -> {
            if (hooks != null) hooks.appendonlyChanged(v);
            appendonly = v;
        }, null));
        add(Options.string("appendfilename", "appendonly.aof", false, IMMUTABLE, () -> appendfilename,
                v -> appendfilename = v, v -> v.isEmpty() ? "appendfilename can't be empty"
                        : !isBaseName(v) ? "appendfilename can't be a path, just a filename" : null));
        add(Options.string("appenddirname", "appendonlydir", false, IMMUTABLE, () -> appenddirname,
                v -> appenddirname = v, v -> v.isEmpty() ? "appenddirname can't be empty"
                        : !isBaseName(v) ? "appenddirname can't be a path, just a dirname" : null));
        add(Options.enumeration("appendfsync", List.of("everysec", "always", "no"), "everysec", 0,
                () -> appendfsync, v -> appendfsync = v));
        add(Options.bool("aof-load-truncated", true, 0, () -> aofLoadTruncated, v -> aofLoadTruncated = v));
        add(Options.bool("aof-use-rdb-preamble", true, 0, () -> aofUseRdbPreamble, v -> aofUseRdbPreamble = v));
        add(Options.bool("aof-timestamp-enabled", false, 0, () -> aofTimestampEnabled, v -> aofTimestampEnabled = v));
        add(Options.bool("no-appendfsync-on-rewrite", false, 0, () -> noAppendfsyncOnRewrite,
                v -> noAppendfsyncOnRewrite = v));
        add(Options.number("auto-aof-rewrite-percentage", List.of(), 0, Integer.MAX_VALUE, 100, false, 0,
                () -> autoAofRewritePercentage, v -> autoAofRewritePercentage = (int) v));
        add(Options.number("auto-aof-rewrite-min-size", List.of(), 0, Long.MAX_VALUE, 64L * 1024 * 1024, true, 0,
                () -> autoAofRewriteMinSize, v -> autoAofRewriteMinSize = v));
        add(Options.bool("aof-rewrite-incremental-fsync", true, 0, () -> aofRewriteIncrementalFsync,
                v -> aofRewriteIncrementalFsync = v));
        List<String> shutdownFlags = List.of("default", "save", "nosave", "now", "force");
        Options.LongCheck saveAndNosave = v -> (v & SHUTDOWN_SAVE) != 0 && (v & SHUTDOWN_NOSAVE) != 0
                ? "shutdown options SAVE and NOSAVE can't be used simultaneously" : null;
        add(Options.flags("shutdown-on-sigint", shutdownFlags, 0, () -> shutdownOnSigint,
                v -> shutdownOnSigint = v, saveAndNosave));
        add(Options.flags("shutdown-on-sigterm", shutdownFlags, 0, () -> shutdownOnSigterm,
                v -> shutdownOnSigterm = v, saveAndNosave));
    }

    /** Redis's pathIsBaseName: no '/' and no '\\'. */
    private static boolean isBaseName(String v) {
        return v.indexOf('/') < 0 && v.indexOf('\\') < 0;
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
}
