package io.ember.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.Version;
import io.ember.testing.Differential;
import io.ember.testing.TestServer;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.ProtocolVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** INFO: sections, field names and order as redis-server's, and values Ember actually knows. */
class InfoCommandTest {
    /** Fields Ember adds to Redis's (documented in docs/info.md). */
    private static final Set<String> EMBER_EXTRAS = Set.of("ember_version", "java_version");
    /** Sections whose lines depend on what ran (compared separately), and Redis's latencystats. */
    private static final Set<String> DYNAMIC = Set.of("Commandstats", "Errorstats", "Keyspace", "Latencystats");

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void lazyfreedObjectsCountsKeysFreedByAsyncFlushes() {
        try (TestServer own = TestServer.start(); Jedis j = own.jedis()) {
            for (int i = 0; i < 7; i++) j.set("lazy" + i, "v");
            j.flushAll(redis.clients.jedis.args.FlushMode.ASYNC);
            assertTrue(j.info("memory").contains("lazyfreed_objects:7\r\n"), j.info("memory"));
        }
    }

    @Test
    void sectionsFieldNamesAndOrderMatchRedis() {
        try (Differential d = new Differential()) {
            d.check("set", "k", "v");
            Map<String, List<String>> redis = fieldNames(info(d, true, "everything"));
            Map<String, List<String>> ember = fieldNames(info(d, false, "everything"));
            List<String> redisSections = new ArrayList<>(redis.keySet());
            redisSections.remove("Latencystats"); // latency tracking is not implemented
            assertEquals(redisSections, new ArrayList<>(ember.keySet()));
            for (String section : redisSections) {
                if (DYNAMIC.contains(section)) continue;
                List<String> emberFields = new ArrayList<>(ember.get(section));
                emberFields.removeAll(EMBER_EXTRAS);
                assertEquals(redis.get(section), emberFields, "fields of # " + section);
            }
        }
    }

    @Test
    void sectionSelectionMatchesRedis() {
        String[][] selections = {
            {}, {"all"}, {"everything"}, {"default"}, {"DEFAULT", "commandstats"}, {"modules"}, {"module_list"},
            {"CPU", "cpu", "server"}, {"keyspace", "all"}, {"Server"}, {"nosuch"}, {"a", "b", "c"},
            {"commandstats", "errorstats"}, {"persistence", "replication", "stats", "memory", "clients", "cluster"},
        };
        try (Differential d = new Differential()) {
            for (String[] sel : selections) {
                List<String> redis = headers(info(d, true, sel));
                redis.remove("Latencystats");
                assertEquals(redis, headers(info(d, false, sel)), "INFO " + String.join(" ", sel));
            }
        }
    }

    @Test
    void deterministicSectionsAreByteExactInResp2AndResp3() {
        try (Differential d = new Differential()) {
            d.check("set", "a", "1");
            d.check("set", "b", "2");
            d.check("select", "3");
            d.check("set", "c", "3");
            d.check("get", "x", "y");
            d.check("nosuchcommand");
            d.check("set", "c", "1", "nx", "xx");
            for (String proto : new String[] {"2", "3"}) {
                d.check(Differential.Mode.TYPE_ONLY, "hello", proto); // client ids differ
                d.check("info", "keyspace");
                d.check("info", "errorstats");
                d.check("info", "cluster");
                d.check("info", "modules");
                d.check("info", "nosuch");
                d.check("info", "cluster", "keyspace");
            }
            d.assertNoDivergence();
        }
    }

    @Test
    void commandstatsHaveRedisLineFormat() {
        try (Jedis j = server.jedis()) {
            j.configResetStat();
            j.set("cs", "1");
            j.get("cs");
            j.configGet("port");
            String info = j.info("commandstats");
            Pattern line = Pattern.compile("cmdstat_([a-z|]+):calls=(\\d+),usec=\\d+,usec_per_call=\\d+\\.\\d\\d,"
                    + "rejected_calls=(\\d+),failed_calls=(\\d+)");
            Map<String, String> calls = new TreeMap<>();
            for (String l : info.split("\r\n")) {
                if (l.startsWith("#") || l.isEmpty()) continue;
                Matcher m = line.matcher(l);
                assertTrue(m.matches(), l);
                calls.put(m.group(1), m.group(2));
            }
            assertEquals("1", calls.get("set"));
            assertEquals("1", calls.get("get"));
            assertEquals("1", calls.get("config|get"));
            assertEquals("1", calls.get("config|resetstat"));
        }
    }

    @Test
    void valuesAreTruthful() {
        try (Jedis j = server.jedis(); Jedis other = server.jedis()) {
            other.ping();
            String s = j.info();
            assertEquals(Version.REDIS_VERSION, field(s, "redis_version"));
            assertEquals(Version.EMBER_VERSION, field(s, "ember_version"));
            assertEquals(Integer.toString(server.port()), field(s, "tcp_port"));
            assertEquals(Long.toString(ProcessHandle.current().pid()), field(s, "process_id"));
            assertTrue(field(s, "run_id").matches("[0-9a-f]{40}"));
            assertTrue(field(s, "master_replid").matches("[0-9a-f]{40}"));
            assertEquals("", field(s, "config_file"));
            long now = System.currentTimeMillis() * 1000;
            assertTrue(Math.abs(Long.parseLong(field(s, "server_time_usec")) - now) < 5_000_000);
            assertTrue(Integer.parseInt(field(s, "connected_clients")) >= 2);
            assertTrue(Long.parseLong(field(s, "used_memory")) > 0);
            assertTrue(field(s, "used_memory_human").matches("\\d+(\\.\\d\\d[KMGTP])?B?"));
            assertTrue(Long.parseLong(field(s, "used_memory_rss")) > 0);
            assertTrue(field(s, "mem_fragmentation_ratio").matches("\\d+\\.\\d\\d"));
            assertTrue(Double.parseDouble(field(s, "used_cpu_user")) > 0);

            long dirty = Long.parseLong(field(j.info("persistence"), "rdb_changes_since_last_save"));
            long hits = Long.parseLong(field(j.info("stats"), "keyspace_hits"));
            long reads = Long.parseLong(field(j.info("stats"), "total_reads_processed"));
            j.set("truthful", "1");
            j.get("truthful");
            assertEquals(dirty + 1, Long.parseLong(field(j.info("persistence"), "rdb_changes_since_last_save")));
            String stats = j.info("stats");
            assertEquals(hits + 1, Long.parseLong(field(stats, "keyspace_hits")));
            assertTrue(Long.parseLong(field(stats, "total_reads_processed")) > reads);
            assertEquals("db0:keys=" + server.server().engine().db(0).size() + ",expires=0,avg_ttl=0",
                    j.info("keyspace").split("\r\n")[1]);
        }
    }

    @Test
    void lettuceReadsInfoInResp3() {
        RedisClient client = RedisClient.create(server.uri());
        client.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP3).build());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            String info = c.sync().info("server");
            assertTrue(info.startsWith("# Server\r\nredis_version:7.0.15\r\n"), info);
        } finally {
            client.shutdown();
        }
    }

    // ---- helpers, shared with ConfigCommandTest ----

    private static String info(Differential d, boolean redis, String... sections) {
        String[] args = new String[sections.length + 1];
        args[0] = "info";
        System.arraycopy(sections, 0, args, 1, sections.length);
        var c = redis ? d.redis().raw() : d.ember().raw();
        try (c) {
            return c.callValue(args).toString();
        }
    }

    /** Section title -> field names in order. */
    static Map<String, List<String>> fieldNames(String info) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        List<String> cur = null;
        for (String l : info.split("\r\n")) {
            if (l.startsWith("# ")) {
                cur = new ArrayList<>();
                out.put(l.substring(2), cur);
            } else if (!l.isEmpty() && cur != null) {
                cur.add(l.substring(0, l.indexOf(':')));
            }
        }
        return out;
    }

    static List<String> headers(String info) {
        return new ArrayList<>(fieldNames(info).keySet());
    }

    static String field(String info, String name) {
        for (String l : info.split("\r\n")) {
            if (l.startsWith(name + ":")) return l.substring(name.length() + 1);
        }
        throw new AssertionError("no field " + name + " in INFO");
    }

    /** The lines of one section, without its header. */
    static List<String> section(String info, String title) {
        List<String> out = new ArrayList<>();
        boolean in = false;
        for (String l : info.split("\r\n")) {
            if (l.startsWith("# ")) in = l.equals("# " + title);
            else if (in && !l.isEmpty()) out.add(l);
        }
        return out;
    }

    /** commandstats without the timings: name -> "calls=..,rejected_calls=..,failed_calls=..". */
    static Map<String, String> commandCalls(String info) {
        Map<String, String> out = new TreeMap<>();
        for (String l : section(info, "Commandstats")) {
            String name = l.substring(0, l.indexOf(':'));
            String v = l.substring(l.indexOf(':') + 1).replaceAll("usec=\\d+,usec_per_call=[0-9.]+,", "");
            out.put(name, v);
        }
        return out;
    }
}
