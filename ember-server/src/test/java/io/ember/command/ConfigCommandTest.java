package io.ember.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.EmberServer;
import io.ember.config.ConfigFile;
import io.ember.config.ServerConfig;
import io.ember.testing.Differential;
import io.ember.testing.Differential.Mode;
import io.ember.testing.FreePort;
import io.ember.testing.RawConnection;
import io.ember.testing.RedisServerProcess;
import io.ember.testing.TestServer;
import io.ember.util.Log;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.protocol.ProtocolVersion;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/** CONFIG GET / SET / RESETSTAT / REWRITE / HELP, checked against redis-server where comparable. */
class ConfigCommandTest {
    static TestServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void getWithOnePatternSeveralPatternsAndGlobs() {
        try (Jedis j = server.jedis()) {
            assertEquals(Map.of("timeout", "0"), j.configGet("timeout"));
            assertEquals(Map.of("timeout", "0", "maxclients", "10000"), j.configGet("timeout", "maxclients"));
            assertEquals(Map.of("lfu-log-factor", "10", "lfu-decay-time", "1"), j.configGet("lfu-*"));
            assertEquals(Map.of("TIMEOUT", "0"), j.configGet("TIMEOUT", "timeout"), "exact names keep the caller's spelling");
            assertEquals(Map.of("dynamic-hz", "yes"), j.configGet("dyn?mic-h[xyz]"));
            assertEquals(Map.of(), j.configGet("no-such-option"));
            assertEquals(Integer.toString(server.port()), j.configGet("port").get("port"));
            assertTrue(j.configGet("*").size() >= 30, "every option matches *");
        }
    }

    @Test
    void lettuceReadsTheMapInResp2AndResp3() {
        for (ProtocolVersion v : List.of(ProtocolVersion.RESP2, ProtocolVersion.RESP3)) {
            RedisClient client = RedisClient.create(server.uri());
            client.setOptions(ClientOptions.builder().protocolVersion(v).build());
            try (StatefulRedisConnection<String, String> conn = client.connect()) {
                RedisCommands<String, String> r = conn.sync();
                assertEquals("OK", r.configSet(Map.of("lfu-log-factor", "12", "lfu-decay-time", "3")));
                assertEquals(Map.of("lfu-log-factor", "12", "lfu-decay-time", "3"), r.configGet("lfu-*"));
                assertEquals("OK", r.configSet("lfu-log-factor", "10"));
                assertEquals("OK", r.configSet("lfu-decay-time", "1"));
            } finally {
                client.shutdown();
            }
        }
    }

    /** Options whose values are the same on both servers (the harness starts both alike). */
    private static final List<String> COMPARABLE = List.of("bind", "protected-mode", "tcp-backlog", "timeout",
            "tcp-keepalive", "maxclients", "proto-max-bulk-len", "client-query-buffer-limit", "databases",
            "requirepass", "hz", "dynamic-hz", "loglevel", "pidfile", "daemonize", "enable-debug-command",
            "enable-protected-configs", "lazyfree-lazy-user-flush", "activerehashing", "maxmemory",
            "maxmemory-policy", "lfu-log-factor", "lfu-decay-time", "save", "appendonly", "shutdown-on-sigint",
            "shutdown-on-sigterm", "appendfilename", "appenddirname", "appendfsync", "aof-load-truncated",
            "aof-use-rdb-preamble", "aof-timestamp-enabled", "no-appendfsync-on-rewrite", "auto-aof-rewrite-percentage",
            "auto-aof-rewrite-min-size", "aof-rewrite-incremental-fsync");

    @Test
    void getAndSetMatchRedis() {
        try (Differential d = new Differential()) {
            for (String name : COMPARABLE) d.check("config", "get", name);
            d.check("config", "get", "Timeout");
            d.check("config", "get", "timeout", "TIMEOUT");
            d.check(Mode.UNORDERED, "config", "get", "timeout", "maxclients", "nosuch");
            d.check(Mode.UNORDERED, "config", "get", "lfu-*");
            d.check(Mode.UNORDERED, "config", "get", "*-lazy-user-flush", "maxmemory-p*", "dynamic-h?");
            d.check("config", "get", "nosuch*");
            // successful sets, then what GET shows
            String[][] sets = {
                {"timeout", "5"}, {"hz", "1000"}, {"hz", "0"}, {"hz", "20"}, {"maxmemory-policy", "ALLKEYS-LRU"},
                {"proto-max-bulk-len", "2mb"}, {"client-query-buffer-limit", "2GB"}, {"maxmemory", "0"},
                {"maxmemory", "k"}, {"save", ""}, {"appendonly", "no"}, {"appendonly", "NO"},
                {"shutdown-on-sigterm", "save now force"}, {"shutdown-on-sigterm", "default save"},
                {"shutdown-on-sigint", "NOSAVE"}, {"protected-mode", "No"}, {"loglevel", "Warning"},
                {"maxclients", "100"}, {"maxclients", "10000"}, {"requirepass", ""},
                {"lazyfree-lazy-user-flush", "yes"}, {"tcp-keepalive", "0"}, {"appendfsync", "ALWAYS"},
                {"appendfsync", "no"}, {"aof-load-truncated", "no"}, {"aof-use-rdb-preamble", "no"},
                {"aof-timestamp-enabled", "yes"}, {"no-appendfsync-on-rewrite", "yes"},
                {"auto-aof-rewrite-percentage", "0"}, {"auto-aof-rewrite-min-size", "1gb"},
                {"aof-rewrite-incremental-fsync", "no"},
            };
            for (String[] s : sets) {
                d.check("config", "set", s[0], s[1]);
                d.check("config", "get", s[0]);
            }
            d.check("config", "set", "timeout", "6", "tcp-keepalive", "60", "hz", "11");
            d.check(Mode.UNORDERED, "config", "get", "timeout", "tcp-keepalive", "hz");
            d.check(Mode.TYPE_ONLY, "hello", "3"); // client ids differ
            d.check("config", "get", "timeout");
            d.check("config", "get", "nosuch");
            d.assertNoDivergence();
        }
    }

    @Test
    void setErrorsMatchRedis() {
        try (Differential d = new Differential()) {
            String[][] bad = {
                {"port", "abc"}, {"port", "99999"}, {"port", "07000"}, {"port", "+7000"}, {"timeout", "1e3"},
                {"timeout", "-1"}, {"maxclients", "0"}, {"maxclients", "4294967296"}, {"hz", "-1"},
                {"proto-max-bulk-len", "10"}, {"proto-max-bulk-len", "2tb"}, {"proto-max-bulk-len", " 1mb"},
                {"proto-max-bulk-len", "-1"}, {"maxmemory-policy", "lru"}, {"loglevel", "foo"},
                {"protected-mode", "maybe"}, {"appendonly", "maybe"}, {"save", "10 1 x"}, {"save", "10"},
                {"save", "0 1"}, {"save", "10 -1"}, {"shutdown-on-sigterm", "foo"},
                {"shutdown-on-sigterm", "save nosave"}, {"shutdown-on-sigterm", ""},
                {"shutdown-on-sigterm", "now  force"}, {"foo", "bar"}, {"Foo", "1"}, {"databases", "3"},
                {"DATABASES", "3"}, {"tcp-backlog", "1"}, {"pidfile", "x"}, {"logfile", "x"}, {"daemonize", "no"},
                {"enable-debug-command", "yes"}, {"enable-protected-configs", "yes"}, {"dir", "/tmp"},
                {"PORT", "abc"}, {"lfu-log-factor", "x"}, {"appendfsync", "sometimes"}, {"appendfilename", "x"},
                {"appenddirname", "x"}, {"auto-aof-rewrite-percentage", "-1"}, {"auto-aof-rewrite-min-size", "-1"},
                {"aof-load-truncated", "maybe"},
            };
            for (String[] b : bad) d.check("config", "set", b[0], b[1]);
            for (String numeric : List.of("port", "timeout", "tcp-keepalive", "maxclients", "proto-max-bulk-len",
                    "client-query-buffer-limit", "hz", "lfu-log-factor", "lfu-decay-time")) {
                for (String v : List.of("-1", "9223372036854775808", "18446744073709551616", "99999999999999999999999",
                        "18446744073709551615gb", "abc", "")) {
                    d.check("config", "set", numeric, v);
                }
            }
            d.check("config", "set", "port", "1", "PORT", "2");
            d.check("config", "set", "timeout", "7", "timeout", "8");
            d.check("config", "set", "maxmemory-policy", "x", "maxmemory", "1");
            d.check("config", "set", "foo", "bar", "port", "1");
            d.check("config", "set", "timeout", "5", "foo", "bar");
            d.check("config", "set", "databases", "1", "foo", "bar");
            d.check("config", "set", "foo", "bar", "databases", "1");
            d.check("config", "set", "timeout", "20", "maxclients", "abc");
            d.check("config", "get", "timeout");
            d.check("config", "set", "a", "b", "c");
            d.check("config", "set");
            d.check("config", "set", "a");
            d.check("config", "get");
            d.check("config");
            d.check("config", "foo");
            d.check("config", "help");
            d.check("config", "help", "x");
            d.check("config", "resetstat", "x");
            d.check("config", "rewrite");
            d.check("config", "rewrite", "x");
            d.assertNoDivergence();
        }
    }

    @Test
    void savePointsAreSet() { // appendonly yes at run time: AofRewriteTest
        try (Jedis j = server.jedis()) {
            String before = j.configGet("save").get("save");
            j.configSet("save", "900 1 30 7");
            assertEquals("900 1 30 7", j.configGet("save").get("save"));
            j.configSet("save", before);
        }
    }

    @Test
    void allValuesAreValidatedBeforeAnyIsApplied() {
        try (Jedis j = server.jedis()) {
            j.configSet("lfu-decay-time", "4");
            assertThrows(JedisDataException.class, () -> j.configSet("lfu-decay-time", "5", "lfu-log-factor", "x"));
            assertEquals("4", j.configGet("lfu-decay-time").get("lfu-decay-time"));
            j.configSet("lfu-decay-time", "1");
        }
    }

    @Test
    void failedApplyRestoresEveryValueOfTheCommand() throws IOException {
        try (TestServer s = TestServer.start();
             ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Jedis j = s.jedis()) {
            int oldPort = s.port();
            JedisDataException e = assertThrows(JedisDataException.class,
                    () -> j.configSet("maxclients", "5", "port", Integer.toString(busy.getLocalPort())));
            assertEquals("ERR CONFIG SET failed (possibly related to argument 'port') - "
                    + "Unable to listen on this port. Check server logs.", e.getMessage());
            assertEquals(Map.of("maxclients", "10000", "port", Integer.toString(oldPort)),
                    j.configGet("maxclients", "port"));
            try (Jedis again = s.jedis()) {
                assertEquals("PONG", again.ping(), "the old listener still accepts");
            }
            // and a port that is free is taken
            int fresh = FreePort.find();
            assertEquals("OK", j.configSet("port", Integer.toString(fresh)));
            try (Jedis moved = new Jedis("127.0.0.1", fresh)) {
                assertEquals("PONG", moved.ping());
            }
            assertThrows(IOException.class, () -> new Socket("127.0.0.1", oldPort).close(), "old port closed");
        }
    }

    @Test
    void protectedConfigsNeedEnableProtectedConfigs() throws IOException {
        Path sub = Files.createDirectories(dir.resolve("data"));
        try (TestServer s = TestServer.start("--enable-protected-configs", "local"); Jedis j = s.jedis()) {
            assertEquals("OK", j.configSet("dir", sub.toString()));
            assertEquals(sub.toString(), j.configGet("dir").get("dir"));
            assertEquals("OK", j.configSet("dir", ".."));
            assertEquals(dir.toString(), j.configGet("dir").get("dir"), "relative to the current dir, as chdir");
            JedisDataException e = assertThrows(JedisDataException.class, () -> j.configSet("dir", "nope"));
            assertEquals("ERR CONFIG SET failed (possibly related to argument 'dir') - No such file or directory",
                    e.getMessage());
        }
        try (Jedis j = server.jedis()) {
            JedisDataException e = assertThrows(JedisDataException.class, () -> j.configSet("dir", sub.toString()));
            assertEquals("ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config",
                    e.getMessage());
        }
    }

    @Test
    void loglevelAndHzChangesTakeEffect() {
        try (Jedis j = server.jedis()) {
            j.configSet("hz", "50");
            assertTrue(InfoCommandTest.field(j.info("server"), "hz").equals("50"));
            j.configSet("hz", "10");
            j.configSet("loglevel", "warning");
            assertEquals("warning", server.server().engine().config.loglevel);
            j.configSet("loglevel", "notice");
        }
    }

    /** The counters RESETSTAT clears, read from INFO after the same commands on both servers. */
    @Test
    void resetstatClearsStatsCommandstatsAndErrorstatsLikeRedis() {
        try (Differential d = new Differential()) {
            d.newConnection();
            d.check("set", "k", "v");
            d.check("get", "k");
            d.check("get", "missing");
            d.check("get", "a", "b");
            d.check("nosuchcommand");
            d.check("config", "set", "port", "x");
            String[] fields = {"total_commands_processed", "total_error_replies", "keyspace_hits", "keyspace_misses",
                "rejected_connections"};
            compareInfo(d, fields);
            d.check("config", "resetstat");
            fields = Arrays.copyOf(fields, fields.length + 1);
            fields[fields.length - 1] = "total_connections_received"; // the harness's readiness probe is gone
            compareInfo(d, fields);
            d.check("get", "k");
            compareInfo(d, fields);
            d.assertNoDivergence();
        }
    }

    private static void compareInfo(Differential d, String[] fields) {
        String redis = d.redis().raw().callValue("info", "everything").toString();
        String ember = d.ember().raw().callValue("info", "everything").toString();
        for (String f : fields) {
            assertEquals(InfoCommandTest.field(redis, f), InfoCommandTest.field(ember, f), f);
        }
        assertEquals(InfoCommandTest.section(redis, "Errorstats"), InfoCommandTest.section(ember, "Errorstats"));
        assertEquals(InfoCommandTest.commandCalls(redis), InfoCommandTest.commandCalls(ember));
    }

    @Test
    void rewriteWithoutConfigFileIsAnError() {
        try (Jedis j = server.jedis()) {
            JedisDataException e = assertThrows(JedisDataException.class, j::configRewrite);
            assertEquals("ERR The server is running without a config file", e.getMessage());
        }
    }

    /**
     * The same hand-written file, the same CONFIG SETs, then CONFIG REWRITE on both servers: the
     * files must be equal except for Redis-only directives (users, latency tracking) and the
     * order of the appended block (Redis appends in hash table order).
     */
    @Test
    void rewriteKeepsCommentsAndOrderLikeRedis() throws Exception {
        String template = """
                # Test config: this comment stays
                port PORT
                save ""
                appendonly no
                dir DIR
                bind 127.0.0.1

                # clients
                maxclients 100
                   MAXCLIENTS 200
                timeout 0
                loglevel notice
                requirepass secret
                pidfile DIR/x.pid
                include DIR/inc.conf
                """;
        Files.writeString(dir.resolve("inc.conf"), "tcp-keepalive 100\n");
        int redisPort = FreePort.find(), emberPort = FreePort.find();
        Path redisFile = dir.resolve("redis.conf"), emberFile = dir.resolve("ember.conf");
        Files.writeString(redisFile, template.replace("PORT", "" + redisPort).replace("DIR", dir.toString()));
        Files.writeString(emberFile, template.replace("PORT", "" + emberPort).replace("DIR", dir.toString()));
        Process redis = new ProcessBuilder(RedisServerProcess.binary(), redisFile.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        ServerConfig config = new ServerConfig();
        ConfigFile.load(config, emberFile, List.of());
        try (EmberServer ember = EmberServer.start(config, new Log())) {
            awaitPort(redisPort);
            String[] set = {"config", "set", "maxclients", "10000", "timeout", "5", "hz", "20", "requirepass", "",
                "loglevel", "warning", "maxmemory-policy", "allkeys-lru", "proto-max-bulk-len", "2mb"};
            for (int port : new int[] {redisPort, emberPort}) {
                try (RawConnection c = new RawConnection("127.0.0.1", port)) {
                    assertEquals("+OK\r\n", str(c.call("auth", "secret")));
                    assertEquals("+OK\r\n", str(c.call(set)));
                    assertEquals("+OK\r\n", str(c.call("config", "rewrite")));
                }
            }
            assertSameRewrite(Files.readString(redisFile), Files.readString(emberFile));

            // lines that are not directives become "# ???" comments; a second rewrite is stable
            for (Path f : List.of(redisFile, emberFile)) {
                Files.writeString(f, Files.readString(f) + "nonsense-directive 1\nloglevel \"unbalanced\nmaxclients 7\n");
            }
            for (int port : new int[] {redisPort, emberPort}) {
                try (RawConnection c = new RawConnection("127.0.0.1", port)) {
                    assertEquals("+OK\r\n", str(c.call("config", "set", "timeout", "0")));
                    assertEquals("+OK\r\n", str(c.call("config", "rewrite")));
                }
            }
            String rewritten = Files.readString(emberFile);
            assertSameRewrite(Files.readString(redisFile), rewritten);
            assertTrue(rewritten.contains("\n# ??? nonsense-directive 1\n"), rewritten);
            assertTrue(rewritten.contains("\ntimeout 0\n"), "a directive in the file stays even at its default");
            assertTrue(!rewritten.contains("requirepass"), "an unset password is removed");

            // the rewritten file loads back to the running values
            ServerConfig reloaded = new ServerConfig();
            ConfigFile.load(reloaded, emberFile, List.of());
            assertEquals(20, reloaded.configuredHz);
            assertEquals("warning", reloaded.loglevel);
            assertEquals(10000, reloaded.maxclients);
            assertEquals(2 * 1024 * 1024, reloaded.protoMaxBulkLen);
            assertEquals("", reloaded.requirepass);
        } finally {
            redis.destroy();
            redis.waitFor();
        }
    }

    /** Compares two rewritten files, ignoring port lines, Redis-only lines and the appended order. */
    private static void assertSameRewrite(String redis, String ember) {
        List<String> r = normalize(redis), e = normalize(ember);
        int rs = r.indexOf("# Generated by CONFIG REWRITE"), es = e.indexOf("# Generated by CONFIG REWRITE");
        assertEquals(r.subList(0, Math.max(rs, 0)), e.subList(0, Math.max(es, 0)), "before the appended block:\n"
                + redis + "\n---\n" + ember);
        Set<String> ra = new LinkedHashSet<>(r.subList(rs + 1, r.size())), ea = new LinkedHashSet<>(e.subList(es + 1, e.size()));
        assertEquals(ra, ea, "appended block:\n" + redis + "\n---\n" + ember);
    }

    private static List<String> normalize(String file) {
        List<String> out = new ArrayList<>();
        for (String line : file.split("\n", -1)) {
            if (line.startsWith("port ") || line.startsWith("user ") || line.startsWith("latency-tracking-info-percentiles")) {
                continue;
            }
            out.add(line);
        }
        return out;
    }

    private static String str(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static void awaitPort(int port) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(20);
            }
        }
        throw new AssertionError("nothing listens on " + port);
    }
}
