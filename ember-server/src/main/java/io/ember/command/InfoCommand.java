package io.ember.command;

import io.ember.Version;
import io.ember.client.Client;
import io.ember.config.ServerConfig;
import io.ember.engine.Database;
import io.ember.engine.Engine;
import io.ember.stats.ProcessMetrics;
import io.ember.stats.ServerStats;
import io.ember.util.Bytes;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * INFO [section ...] with Redis 7.0's sections, field names and field order. Fields for
 * mechanisms Ember does not have yet (persistence, replication, Lua, active defrag...) report
 * the idle values Redis reports when those are unused; memory figures come from the JVM heap
 * until memory accounting exists. docs/info.md says where each number comes from.
 */
final class InfoCommand {
    private InfoCommand() {}

    /** Sections in output order. Redis also has "latencystats", which Ember does not implement. */
    private static final List<String> SECTIONS = List.of("server", "clients", "memory", "persistence", "stats",
            "replication", "cpu", "modules", "commandstats", "errorstats", "cluster", "keyspace");
    private static final Set<String> DEFAULT = Set.of("server", "clients", "memory", "persistence", "stats",
            "replication", "cpu", "modules", "errorstats", "cluster", "keyspace");

    /** A hex id derived from Ember's version (Redis's is a hash of its build). */
    private static final String BUILD_ID = buildId();

    private static String buildId() {
        long h = 0xcbf29ce484222325L; // FNV-1a
        for (char ch : Version.EMBER_VERSION.toCharArray()) h = (h ^ ch) * 0x100000001b3L;
        return Long.toHexString(h);
    }

    static void info(Client c, byte[][] argv, int argc) {
        Set<String> wanted = new HashSet<>();
        if (argc == 1) wanted.addAll(DEFAULT);
        for (int i = 1; i < argc; i++) {
            String s = Bytes.latin1(argv[i]).toLowerCase(Locale.ROOT);
            switch (s) {
                case "all", "everything" -> wanted.addAll(SECTIONS);
                case "default" -> wanted.addAll(DEFAULT);
                case "module_list" -> wanted.add("modules");
                default -> wanted.add(s);
            }
        }
        c.reply.verbatim(generate(c.engine, wanted));
    }

    static String generate(Engine e, Set<String> wanted) {
        Info out = new Info();
        for (String s : SECTIONS) {
            if (!wanted.contains(s)) continue;
            switch (s) {
                case "server" -> server(out.section("Server"), e);
                case "clients" -> clients(out.section("Clients"), e);
                case "memory" -> memory(out.section("Memory"), e);
                case "persistence" -> persistence(out.section("Persistence"), e);
                case "stats" -> stats(out.section("Stats"), e);
                case "replication" -> replication(out.section("Replication"), e);
                case "cpu" -> cpu(out.section("CPU"));
                case "modules" -> out.section("Modules");
                case "commandstats" -> commandstats(out.section("Commandstats"), e);
                case "errorstats" -> errorstats(out.section("Errorstats"), e);
                case "cluster" -> out.section("Cluster").f("cluster_enabled", 0);
                case "keyspace" -> keyspace(out.section("Keyspace"), e);
                default -> throw new IllegalStateException(s);
            }
        }
        return out.sb.toString();
    }

    private static void server(Info o, Engine e) {
        ServerConfig cfg = e.config;
        long nowUs = e.clock.currentMicros();
        long uptime = (System.currentTimeMillis() - e.startTimeMs) / 1000;
        o.f("redis_version", Version.REDIS_VERSION)
                .f("ember_version", Version.EMBER_VERSION)
                .f("redis_git_sha1", "00000000")
                .f("redis_git_dirty", 0)
                .f("redis_build_id", BUILD_ID)
                .f("redis_mode", "standalone")
                .f("os", ProcessMetrics.os())
                .f("arch_bits", 64)
                .f("monotonic_clock", "System.nanoTime")
                .f("multiplexing_api", e.transport().name())
                .f("atomicvar_api", "jvm")
                .f("gcc_version", "0.0.0")
                .f("java_version", Runtime.version().toString())
                .f("process_id", ProcessHandle.current().pid())
                .f("process_supervised", "no")
                .f("run_id", e.runId)
                .f("tcp_port", cfg.port)
                .f("server_time_usec", nowUs)
                .f("uptime_in_seconds", uptime)
                .f("uptime_in_days", uptime / 86400)
                .f("hz", cfg.hz)
                .f("configured_hz", cfg.configuredHz)
                .f("lru_clock", e.evictionClock.lruClock())
                .f("executable", executable())
                .f("config_file", cfg.configFile == null ? "" : cfg.configFile.toString())
                .f("io_threads_active", 0);
    }

    /** The launcher passes its own path; an embedded server reports the java binary. */
    private static String executable() {
        String launcher = System.getProperty("ember.executable");
        if (launcher != null && !launcher.isEmpty()) return Path.of(launcher).toAbsolutePath().normalize().toString();
        return ProcessHandle.current().info().command().orElse("");
    }

    private static void clients(Info o, Engine e) {
        long maxIn = 0, maxOut = 0;
        for (Client c : e.clients.all()) {
            maxIn = Math.max(maxIn, c.queryBufferBytes);
            maxOut = Math.max(maxOut, outputBytes(c));
        }
        o.f("connected_clients", e.clients.size())
                .f("cluster_connections", 0)
                .f("maxclients", e.config.option("maxclients").get())
                .f("client_recent_max_input_buffer", maxIn)
                .f("client_recent_max_output_buffer", maxOut)
                .f("blocked_clients", e.blocking.blockedClients())
                .f("tracking_clients", e.tracking.clients())
                .f("clients_in_timeout_table", 0);
    }

    private static long outputBytes(Client c) {
        return c.reply.pendingBytes() + (c.conn == null ? 0 : c.conn.pendingOutputBytes());
    }

    private static void memory(Info o, Engine e) {
        ServerStats st = e.stats;
        long clientsMem = 0;
        for (Client c : e.clients.all()) clientsMem += outputBytes(c) + c.queryBufferBytes;
        long startup = ServerStats.USED_MEMORY_STARTUP;
        long dataset = e.usedMemory() - startup;
        long used = startup + dataset + clientsMem;
        long heap = ProcessMetrics.heapUsed();
        long committed = Math.max(ProcessMetrics.heapCommitted(), heap);
        long rss = ProcessMetrics.rss();
        long peak = st.usedMemoryPeak(used);
        long overhead = startup + clientsMem;
        long net = used - startup;
        long system = ProcessMetrics.totalSystemMemory();
        io.ember.script.Functions fn = e.scripting.functions;
        o.f("used_memory", used)
                .f("used_memory_human", ProcessMetrics.human(used))
                .f("used_memory_rss", rss)
                .f("used_memory_rss_human", ProcessMetrics.human(rss))
                .f("used_memory_peak", peak)
                .f("used_memory_peak_human", ProcessMetrics.human(peak))
                .f("used_memory_peak_perc", pct(used, peak))
                .f("used_memory_overhead", overhead)
                .f("used_memory_startup", startup)
                .f("used_memory_dataset", dataset)
                .f("used_memory_dataset_perc", pct(dataset, net))
                .f("allocator_allocated", heap)
                .f("allocator_active", committed)
                .f("allocator_resident", rss)
                .f("total_system_memory", system)
                .f("total_system_memory_human", ProcessMetrics.human(system))
                .f("used_memory_lua", e.scripting.luaMemory())
                .f("used_memory_vm_eval", e.scripting.luaMemory())
                .f("used_memory_lua_human", ProcessMetrics.human(e.scripting.luaMemory()))
                .f("used_memory_scripts_eval", e.scripting.scriptsMemory())
                .f("number_of_cached_scripts", e.scripting.cachedScripts())
                .f("number_of_functions", fn.functionCount())
                .f("number_of_libraries", fn.libraryCount())
                .f("used_memory_vm_functions", fn.vmMemory())
                .f("used_memory_vm_total", e.scripting.luaMemory() + fn.vmMemory())
                .f("used_memory_vm_total_human", ProcessMetrics.human(e.scripting.luaMemory() + fn.vmMemory()))
                .f("used_memory_functions", fn.overheadMemory())
                .f("used_memory_scripts", e.scripting.scriptsMemory() + fn.overheadMemory())
                .f("used_memory_scripts_human", ProcessMetrics.human(e.scripting.scriptsMemory() + fn.overheadMemory()))
                .f("maxmemory", e.config.maxmemory)
                .f("maxmemory_human", ProcessMetrics.human(e.config.maxmemory))
                .f("maxmemory_policy", e.config.maxmemoryPolicy)
                .f("allocator_frag_ratio", ratio(committed, heap))
                .f("allocator_frag_bytes", committed - heap)
                .f("allocator_rss_ratio", ratio(rss, committed))
                .f("allocator_rss_bytes", rss - committed)
                .f("rss_overhead_ratio", "1.00")
                .f("rss_overhead_bytes", 0)
                .f("mem_fragmentation_ratio", ratio(rss, used))
                .f("mem_fragmentation_bytes", rss - used)
                .f("mem_not_counted_for_evict", 0)
                .f("mem_replication_backlog", 0)
                .f("mem_total_replication_buffers", 0)
                .f("mem_clients_slaves", 0)
                .f("mem_clients_normal", clientsMem)
                .f("mem_cluster_links", 0)
                .f("mem_aof_buffer", 0)
                .f("mem_allocator", "jvm-heap")
                .f("active_defrag_running", 0)
                .f("lazyfree_pending_objects", 0)
                .f("lazyfreed_objects", e.stats.lazyfreedObjects);
    }

    private static String pct(long part, long whole) {
        return String.format(Locale.ROOT, "%.2f%%", whole <= 0 ? 0.0 : part * 100.0 / whole);
    }

    private static String ratio(long a, long b) {
        return String.format(Locale.ROOT, "%.2f", b <= 0 ? 0.0 : (double) a / b);
    }

    private static void persistence(Info o, Engine e) {
        var p = e.persistence;
        var rw = p.aofRewrites;
        o.f("loading", p.loading != null ? 1 : 0);
        if (p.loading != null) {
            long elapsed = Math.max(1, System.currentTimeMillis() / 1000 - p.loadingStartSeconds);
            long read = p.loading.bytesRead(), total = p.loading.totalBytes();
            o.f("loading_start_time", p.loadingStartSeconds)
                    .f("loading_total_bytes", total)
                    .f("loading_rdb_used_mem", 0)
                    .f("loading_loaded_bytes", read)
                    .f("loading_loaded_perc", String.format("%.2f", total == 0 ? 0 : read * 100.0 / total))
                    .f("loading_eta_seconds", read == 0 ? 1 : (total - read) / (read / elapsed + 1));
        }
        o.f("async_loading", 0)
                .f("current_cow_peak", 0)
                .f("current_cow_size", 0)
                .f("current_cow_size_age", 0)
                .f("current_fork_perc", "0.00")
                .f("current_save_keys_processed", e.persistence.currentSaveKeysProcessed())
                .f("current_save_keys_total", e.persistence.currentSaveKeysTotal())
                .f("rdb_changes_since_last_save", e.dirty)
                .f("rdb_bgsave_in_progress", e.persistence.bgsaveInProgress() ? 1 : 0)
                .f("rdb_last_save_time", e.persistence.lastSaveSeconds)
                .f("rdb_last_bgsave_status", e.persistence.lastSaveOk ? "ok" : "err")
                .f("rdb_last_bgsave_time_sec", e.persistence.lastBgsaveSeconds)
                .f("rdb_current_bgsave_time_sec", e.persistence.currentBgsaveSeconds())
                .f("rdb_saves", e.persistence.rdbSaves)
                .f("rdb_last_cow_size", 0)
                .f("rdb_last_load_keys_expired", p.lastLoadKeysExpired)
                .f("rdb_last_load_keys_loaded", p.lastLoadKeysLoaded)
                .f("aof_enabled", p.aof != null ? 1 : 0)
                .f("aof_rewrite_in_progress", rw.inProgress() ? 1 : 0)
                .f("aof_rewrite_scheduled", rw.scheduled ? 1 : 0)
                .f("aof_last_rewrite_time_sec", rw.lastRewriteSeconds)
                .f("aof_current_rewrite_time_sec", rw.currentSeconds())
                .f("aof_last_bgrewrite_status", rw.lastRewriteOk ? "ok" : "err")
                .f("aof_rewrites", rw.rewrites)
                .f("aof_rewrites_consecutive_failures", rw.consecutiveFailures)
                .f("aof_last_write_status", p.aof == null || p.aof.lastWriteOk() ? "ok" : "err")
                .f("aof_last_cow_size", 0)
                .f("module_fork_in_progress", 0)
                .f("module_fork_last_cow_size", 0);
        if (p.aof != null) {
            o.f("aof_current_size", p.aof.currentSize())
                    .f("aof_base_size", p.aof.baseSize())
                    .f("aof_pending_rewrite", 0)
                    .f("aof_buffer_length", p.aof.bufferLength())
                    .f("aof_pending_bio_fsync", p.aof.fsyncInProgress() ? 1 : 0)
                    .f("aof_delayed_fsync", p.aof.delayedFsync());
        }
    }

    private static void stats(Info o, Engine e) {
        ServerStats s = e.stats;
        o.f("total_connections_received", e.clients.totalConnections())
                .f("total_commands_processed", s.totalCommands)
                .f("instantaneous_ops_per_sec", s.instantaneousOps())
                .f("total_net_input_bytes", s.netInputBytes)
                .f("total_net_output_bytes", s.netOutputBytes)
                .f("total_net_repl_input_bytes", 0)
                .f("total_net_repl_output_bytes", 0)
                .f("instantaneous_input_kbps", String.format(Locale.ROOT, "%.2f", s.instantaneousInputKbps()))
                .f("instantaneous_output_kbps", String.format(Locale.ROOT, "%.2f", s.instantaneousOutputKbps()))
                .f("instantaneous_input_repl_kbps", "0.00")
                .f("instantaneous_output_repl_kbps", "0.00")
                .f("rejected_connections", e.clients.rejectedConnections())
                .f("sync_full", 0)
                .f("sync_partial_ok", 0)
                .f("sync_partial_err", 0)
                .f("expired_keys", s.expiredKeys)
                .f("expired_stale_perc", String.format(Locale.ROOT, "%.2f", s.expiredStalePerc * 100))
                .f("expired_time_cap_reached_count", s.expiredTimeCapReached)
                .f("expire_cycle_cpu_milliseconds", s.expireCycleMicros / 1000)
                .f("evicted_keys", s.evictedKeys)
                .f("evicted_clients", 0)
                .f("total_eviction_exceeded_time", 0)
                .f("current_eviction_exceeded_time", 0)
                .f("keyspace_hits", s.keyspaceHits)
                .f("keyspace_misses", s.keyspaceMisses)
                .f("pubsub_channels", e.pubsub.channels.size())
                .f("pubsub_patterns", e.pubsub.patternCount())
                .f("pubsubshard_channels", e.pubsub.shardChannels.size())
                .f("latest_fork_usec", 0)
                .f("total_forks", 0)
                .f("migrate_cached_sockets", 0)
                .f("slave_expires_tracked_keys", 0)
                .f("active_defrag_hits", 0)
                .f("active_defrag_misses", 0)
                .f("active_defrag_key_hits", 0)
                .f("active_defrag_key_misses", 0)
                .f("total_active_defrag_time", 0)
                .f("current_active_defrag_time", 0)
                .f("tracking_total_keys", e.tracking.keys())
                .f("tracking_total_items", e.tracking.items())
                .f("tracking_total_prefixes", e.tracking.prefixCount())
                .f("unexpected_error_replies", s.unexpectedErrorReplies)
                .f("total_error_replies", s.totalErrorReplies)
                .f("dump_payload_sanitizations", 0)
                .f("total_reads_processed", s.totalReadsProcessed)
                .f("total_writes_processed", s.totalWritesProcessed)
                .f("io_threaded_reads_processed", 0)
                .f("io_threaded_writes_processed", 0)
                .f("reply_buffer_shrinks", 0)
                .f("reply_buffer_expands", 0);
    }

    private static void replication(Info o, Engine e) {
        o.f("role", "master")
                .f("connected_slaves", 0)
                .f("master_failover_state", "no-failover")
                .f("master_replid", e.replId)
                .f("master_replid2", "0000000000000000000000000000000000000000")
                .f("master_repl_offset", 0)
                .f("second_repl_offset", -1)
                .f("repl_backlog_active", 0)
                .f("repl_backlog_size", 1048576)
                .f("repl_backlog_first_byte_offset", 0)
                .f("repl_backlog_histlen", 0);
    }

    private static void cpu(Info o) {
        double[] p = ProcessMetrics.processCpu();
        double[] t = ProcessMetrics.currentThreadCpu();
        o.f("used_cpu_sys", seconds(p[1]))
                .f("used_cpu_user", seconds(p[0]))
                .f("used_cpu_sys_children", seconds(p[3]))
                .f("used_cpu_user_children", seconds(p[2]))
                .f("used_cpu_sys_main_thread", seconds(t[1]))
                .f("used_cpu_user_main_thread", seconds(t[0]));
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.6f", s);
    }

    /** One line per command or subcommand that was called, failed or rejected since RESETSTAT. */
    private static void commandstats(Info o, Engine e) {
        for (CommandSpec cmd : e.commands.all()) {
            commandLine(o, cmd);
            for (CommandSpec sub : cmd.subcommands()) commandLine(o, sub);
        }
    }

    private static void commandLine(Info o, CommandSpec cmd) {
        if (cmd.calls == 0 && cmd.failedCalls == 0 && cmd.rejectedCalls == 0) return;
        float perCall = cmd.calls == 0 ? 0 : (float) cmd.micros / cmd.calls;
        o.f("cmdstat_" + cmd.fullName, "calls=" + cmd.calls + ",usec=" + cmd.micros + ",usec_per_call="
                + String.format(Locale.ROOT, "%.2f", perCall) + ",rejected_calls=" + cmd.rejectedCalls
                + ",failed_calls=" + cmd.failedCalls);
    }

    private static void errorstats(Info o, Engine e) {
        for (Map.Entry<String, Long> err : e.stats.errorCodes.entrySet()) {
            o.f("errorstat_" + err.getKey(), "count=" + err.getValue());
        }
    }

    private static void keyspace(Info o, Engine e) {
        for (int i = 0; i < e.dbCount(); i++) {
            Database db = e.db(i);
            if (db.size() == 0) continue;
            o.f("db" + i, "keys=" + db.size() + ",expires=" + db.table().expiresCount() + ",avg_ttl=" + db.avgTtl);
        }
    }

    /** The INFO text: "# Section" headers, "field:value" lines, a blank line between sections. */
    private static final class Info {
        final StringBuilder sb = new StringBuilder(4096);

        Info section(String title) {
            if (sb.length() > 0) sb.append("\r\n");
            sb.append("# ").append(title).append("\r\n");
            return this;
        }

        Info f(String name, Object value) {
            sb.append(name).append(':').append(value).append("\r\n");
            return this;
        }
    }
}
