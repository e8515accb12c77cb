package io.ember.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.Version;
import io.ember.testing.RedisServerProcess;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config file reader: redis.conf syntax, include, units, and errors that name file and line. */
class ConfigFileTest {
    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.ISO_8859_1);
        return p;
    }

    private ServerConfig load(String content) throws Exception {
        ServerConfig c = new ServerConfig();
        ConfigFile.load(c, write("ember.conf", content), List.of());
        return c;
    }

    private String loadError(String content) throws IOException {
        Path p = write("bad.conf", content);
        ConfigFile.LoadException e = assertThrows(ConfigFile.LoadException.class,
                () -> ConfigFile.load(new ServerConfig(), p, List.of()));
        return e.getMessage();
    }

    private static String header() {
        return "\n*** FATAL CONFIG FILE ERROR (Ember " + Version.EMBER_VERSION + ") ***\n";
    }

    @Test
    void commentsBlankLinesQuotesEscapesAndCaseInsensitiveNames() throws Exception {
        ServerConfig c = load("""
                # a comment

                   # an indented comment
                PORT 7000\r
                \tMaxClients   123
                requirepass "a\\"b\\x41\\n c"
                loglevel WARNING
                maxmemory-policy 'allkeys-lru'
                """);
        assertEquals(7000, c.port);
        assertEquals(123, c.maxclients);
        assertEquals("a\"bA\n c", c.requirepass);
        assertEquals("warning", c.loglevel, "enum values are stored in their canonical spelling");
        assertEquals("allkeys-lru", c.maxmemoryPolicy);
        assertEquals(dir.resolve("ember.conf").toAbsolutePath(), c.configFile);
    }

    @Test
    void repeatedDirectivesKeepTheLastValue() throws Exception {
        ServerConfig c = load("maxclients 100\ntimeout 5\nmaxclients 200\n");
        assertEquals(200, c.maxclients);
        assertEquals(5, c.timeoutSeconds);
    }

    @Test
    void memoryUnitsAreCaseInsensitivePowersOf1000Or1024() throws Exception {
        String[][] cases = {
            {"2mb", "2097152"}, {"2MB", "2097152"}, {"2Mb", "2097152"}, {"2m", "2000000"}, {"2M", "2000000"},
            {"1gb", "1073741824"}, {"1G", "1000000000"}, {"2048kb", "2097152"}, {"1500k", "1500000"},
            {"1048576", "1048576"}, {"1048576b", "1048576"}, {"1048576B", "1048576"},
        };
        for (String[] t : cases) {
            ServerConfig c = load("proto-max-bulk-len " + t[0] + "\n");
            assertEquals(t[1], c.option("proto-max-bulk-len").get(), t[0]);
        }
        assertTrue(loadError("proto-max-bulk-len 2tb\n").endsWith("\nargument must be a memory value"));
        assertTrue(loadError("proto-max-bulk-len -2mb\n").endsWith("\nargument must be a memory value"));
        assertTrue(loadError("proto-max-bulk-len 1k\n")
                .endsWith("\nargument must be between 1048576 and 9223372036854775807 inclusive"));
    }

    @Test
    void hzIsClampedTo500AsRedisDoes() throws Exception {
        ServerConfig c = load("hz 1000\n");
        assertEquals(500, c.configuredHz);
        assertEquals("500", c.option("hz").get());
    }

    @Test
    void errorsNameFileLineAndDirective() throws IOException {
        Path p = dir.resolve("bad.conf").toAbsolutePath();
        assertEquals(header() + "Reading the configuration file " + p + ", at line 3\n>>> 'foo-bar 1'\n"
                + "Bad directive or wrong number of arguments", loadError("port 7000\n\nfoo-bar 1\n"));
        assertEquals(header() + "Reading the configuration file " + p + ", at line 1\n>>> 'port 1 2'\n"
                + "wrong number of arguments", loadError("port 1 2\n"));
        assertEquals(header() + "Reading the configuration file " + p + ", at line 2\n>>> 'loglevel \"unbalanced'\n"
                + "Unbalanced quotes in configuration line", loadError("# x\nloglevel \"unbalanced\n"));
        assertTrue(loadError("port abc\n").endsWith(">>> 'port abc'\nargument couldn't be parsed into an integer"));
        assertTrue(loadError("port 70000\n").endsWith("\nargument must be between 0 and 65535 inclusive"));
        assertTrue(loadError("protected-mode maybe\n").endsWith("\nargument must be 'yes' or 'no'"));
        assertTrue(loadError("loglevel loud\n").endsWith(
                "\nargument(s) must be one of the following: debug, verbose, notice, warning"));
        assertTrue(loadError("port\n").endsWith(">>> 'port'\nwrong number of arguments"));
        assertTrue(loadError("include\n").endsWith("\nBad directive or wrong number of arguments"));
    }

    @Test
    void savePointsParseAsRedisAppendonlyOptionsAndDaemonizeAcceptsOnlyOff() throws Exception {
        ServerConfig c = load("save \"\"\nsave \"\"\nappendonly no\ndaemonize no\nmaxmemory 0\n");
        assertEquals("", c.option("save").get());
        assertEquals("no", c.option("appendonly").get());
        assertEquals("3600 1 300 100 60 10000", new ServerConfig().option("save").get(), "Redis's defaults");
        assertEquals("900 1 300 10", load("save 900 1\nsave 300 10\n").option("save").get(),
                "the first line replaces the defaults, the next ones add");
        assertEquals("60 5", load("save 900 1\nsave \"\"\nsave 60 5\n").option("save").get());
        assertTrue(loadError("save 900\n").endsWith("\nInvalid save parameters"), "syntax is checked first");
        assertTrue(loadError("save 0 1\n").endsWith("\nInvalid save parameters"));
        assertEquals("yes", load("appendonly yes\n").option("appendonly").get());
        assertEquals("always", load("appendfsync ALWAYS\n").option("appendfsync").get());
        assertTrue(loadError("appendfsync sometimes\n").endsWith(
                "\nargument(s) must be one of the following: everysec, always, no"));
        assertTrue(loadError("appenddirname a/b\n").endsWith("\nappenddirname can't be a path, just a dirname"));
        assertTrue(loadError("appendfilename \"\"\n").endsWith("\nappendfilename can't be empty"));
        assertTrue(loadError("appendonly maybe\n").endsWith("\nargument must be 'yes' or 'no'"));
        assertTrue(loadError("daemonize yes\n").contains("\nUnsupported value: a JVM cannot fork"));
        assertEquals("104857600", load("maxmemory 100mb\n").option("maxmemory").get());
    }

    @Test
    void includeLoadsFilesInPlaceAndReportsErrorsInTheIncludedFile() throws Exception {
        Path inner = write("inner.conf", "timeout 7\n");
        Path middle = write("middle.conf", "maxclients 50\ninclude " + inner + "\n");
        ServerConfig c = load("maxclients 10\ninclude " + middle + "\ntcp-keepalive 9\n");
        assertEquals(50, c.maxclients);
        assertEquals(7, c.timeoutSeconds);
        assertEquals(9, c.tcpKeepalive);

        ServerConfig later = load("include " + middle + "\nmaxclients 60\n");
        assertEquals(60, later.maxclients, "a directive after the include overrides it");

        Path broken = write("broken.conf", "# fine\nport 1\ntimeout -1\n");
        assertEquals(header() + "Reading the configuration file " + broken.toAbsolutePath() + ", at line 3\n"
                + ">>> 'timeout -1'\nargument must be between 0 and 2147483647 inclusive",
                loadError("port 2\ninclude " + broken + "\n"));

        Path missing = dir.resolve("missing.conf");
        assertEquals("Fatal error, can't open config file '" + missing + "': No such file or directory",
                loadError("include " + missing + "\n"));
    }

    @Test
    void includeWithWildcardsLoadsMatchingFilesInNameOrder() throws Exception {
        Files.createDirectories(dir.resolve("conf.d"));
        write("conf.d/b.conf", "maxclients 2\ntimeout 2\n");
        write("conf.d/a.conf", "maxclients 1\ntcp-keepalive 1\n");
        write("conf.d/c.txt", "maxclients 3\n");
        ServerConfig c = load("include " + dir.resolve("conf.d") + "/*.conf\n");
        assertEquals(2, c.maxclients);
        assertEquals(2, c.timeoutSeconds);
        assertEquals(1, c.tcpKeepalive);
        ServerConfig none = load("include " + dir.resolve("conf.d") + "/*.none\nmaxclients 4\n");
        assertEquals(4, none.maxclients, "a wildcard matching nothing is not an error");
    }

    @Test
    void selfIncludeIsStoppedInsteadOfRecursingForever() throws IOException {
        Path self = dir.resolve("self.conf");
        Files.writeString(self, "include " + self + "\n");
        ConfigFile.LoadException e = assertThrows(ConfigFile.LoadException.class,
                () -> ConfigFile.load(new ServerConfig(), self, List.of()));
        assertTrue(e.getMessage().endsWith("\nToo many nested includes"), e.getMessage());
    }

    @Test
    void deprecatedDirectivesAreIgnoredLikeRedis() throws Exception {
        ServerConfig c = load("list-max-ziplist-entries 512\nlua-replicate-commands yes\nport 7001\n");
        assertEquals(7001, c.port);
    }

    @Test
    void commandLineOptionsAndStdinComeAfterTheFile() throws Exception {
        Path file = write("base.conf", "maxclients 10\ntimeout 1\ntcp-keepalive 1\n");
        ServerConfig c = new ServerConfig();
        ConfigFile.load(c, file, new ByteArrayInputStream("timeout 2\ntcp-keepalive 2\n".getBytes()),
                List.of("tcp-keepalive \"3\""));
        assertEquals(10, c.maxclients);
        assertEquals(2, c.timeoutSeconds);
        assertEquals(3, c.tcpKeepalive);

        ConfigFile.LoadException e = assertThrows(ConfigFile.LoadException.class, () -> ConfigFile.load(
                new ServerConfig(), null, null, List.of("port \"7000\"", "maxclients \"abc\"")));
        assertEquals(header() + "Reading the command line, at option 2\n>>> 'maxclients \"abc\"'\n"
                + "argument couldn't be parsed into an integer", e.getMessage());

        e = assertThrows(ConfigFile.LoadException.class, () -> ConfigFile.load(new ServerConfig(), null,
                new ByteArrayInputStream("port 1\nloglevel foo\n".getBytes()), List.of()));
        assertTrue(e.getMessage().startsWith(header() + "Reading the configuration from standard input, at line 2\n"
                + ">>> 'loglevel foo'\n"), e.getMessage());
    }

    @Test
    void unopenableLogfileIsAStartupError() throws IOException {
        String msg = loadError("logfile " + dir.resolve("no/such/dir/ember.log") + "\n");
        assertEquals(header() + "Can't open the log file: No such file or directory", msg);
    }

    @Test
    void aliasesSetTheSameOption() throws Exception {
        ServerConfig c = new ServerConfig();
        long[] value = {100};
        c.add(Options.number("test-replica-priority", List.of("test-slave-priority"), 0, Integer.MAX_VALUE, 100,
                false, 0, () -> value[0], v -> value[0] = v));
        ConfigFile.load(c, write("alias.conf", "TEST-SLAVE-PRIORITY 7\n"), List.of());
        assertEquals(7, value[0]);
        assertEquals(c.option("test-replica-priority"), c.option("test-slave-priority"));
    }

    @Test
    void theSampleConfigLoadsAndDocumentsEveryOption() throws Exception {
        Path sample = Path.of(System.getProperty("user.dir")).getParent().resolve("conf/ember.conf");
        assertTrue(Files.exists(sample), sample + " is missing");
        ServerConfig c = new ServerConfig();
        ConfigFile.load(c, sample, List.of());
        String text = Files.readString(sample);
        List<String> undocumented = new ArrayList<>();
        for (ConfigOption o : c.options()) {
            Matcher m = Pattern.compile("(?m)^#? ?" + Pattern.quote(o.name()) + " ").matcher(text);
            if (!m.find()) undocumented.add(o.name());
        }
        assertEquals(List.of(), undocumented, "options missing from conf/ember.conf");
    }

    /**
     * The error text (offending line and reason) is Redis's for the same bad line; only the
     * header and the "Reading ..." line differ (Ember names the file).
     */
    @Test
    void errorTextsMatchRedisServer() throws Exception {
        String[] badLines = {
            "foo-bar 1", "port 1 2", "port abc", "port 70000", "timeout -1", "protected-mode maybe",
            "loglevel loud", "maxmemory-policy lru", "proto-max-bulk-len 2tb", "proto-max-bulk-len 1k",
            "hz \"10", "save 900", "save 0 1", "appendonly maybe", "maxclients 0", "databases 0",
            "tcp-keepalive 1x", "enable-debug-command sometimes", "dir " + dir.resolve("nope"),
            "shutdown-on-sigterm save nosave", "shutdown-on-sigterm sometimes", "bind 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17",
        };
        List<String> diffs = new ArrayList<>();
        for (String line : badLines) {
            String ember = loadError("# comment\n" + line + "\n");
            String redis = redisConfigError("# comment\n" + line + "\n");
            String[] e = ember.split("\n"), r = redis.split("\n");
            // [0] "", [1] header, [2] "Reading ...", [3] ">>> 'line'", [4] reason
            if (r.length < 5 || !e[3].equals(r[3]) || !e[4].equals(r[4])) {
                diffs.add(line + "\n  redis: " + redis.replace("\n", " | ") + "\n  ember: " + ember.replace("\n", " | "));
            }
            assertEquals("Reading the configuration file, at line 2", r[2]);
        }
        assertEquals(List.of(), diffs);
    }

    private String redisConfigError(String content) throws Exception {
        Path p = write("redis-bad.conf", content);
        Process proc = new ProcessBuilder(RedisServerProcess.binary(), p.toString()).redirectErrorStream(true).start();
        if (!proc.waitFor(10, TimeUnit.SECONDS)) {
            proc.destroyForcibly();
            throw new AssertionError("redis-server accepted: " + content);
        }
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        int start = out.indexOf("\n*** FATAL CONFIG FILE ERROR");
        if (start < 0) throw new AssertionError("no config error from redis-server for " + content + ": " + out);
        return out.substring(start).stripTrailing();
    }
}
