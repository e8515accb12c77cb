package io.ember.persist.aof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.RedisServerProcess;
import io.ember.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Bad AOF input at start-up, each case also given to redis-server 7.0.15: a corrupt manifest, a
 * missing file, a torn last command (aof-load-truncated yes and no), an unfinished MULTI, garbage
 * in the middle, a file where the directory must be. Ember refuses or recovers as Redis does, with
 * Redis's message, and nothing before the damage is lost.
 */
class AofBadInputTest {
    @TempDir
    Path dir;

    private Path aofDir() {
        return dir.resolve("appendonlydir");
    }

    /** A valid directory: empty RDB base (written by Ember) and an incr file with some commands. */
    private void validSet(String incr) throws Exception {
        TestServer.deleteTree(aofDir());
        try (TestServer s = TestServer.start("--dir", dir.toString(), "--appendonly", "yes")) {
            // nothing written: Ember creates the base and an empty incr file
        }
        Files.writeString(aofDir().resolve("appendonly.aof.1.incr.aof"), incr, StandardCharsets.ISO_8859_1);
    }

    private static String cmd(String... args) {
        StringBuilder sb = new StringBuilder("*" + args.length + "\r\n");
        for (String a : args) sb.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        return sb.toString();
    }

    private static final String GOOD = cmd("SELECT", "0") + cmd("SET", "a", "1") + cmd("RPUSH", "l", "x", "y")
            + cmd("INCR", "n");

    /** Ember's refusal message (the start fails) or null when it starts; the server is closed again. */
    private String emberStart(String... extra) {
        List<String> args = new ArrayList<>(List.of("--dir", dir.toString(), "--appendonly", "yes"));
        args.addAll(List.of(extra));
        try (TestServer s = TestServer.start(args.toArray(String[]::new))) {
            return null;
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    /** redis-server on the same directory (a copy): its log, after it exited or was stopped. */
    private String redisStart(String... extra) throws Exception {
        Path copy = Files.createTempDirectory("ember-aof-redis");
        try {
            copyTree(dir, copy);
            List<String> cmd = new ArrayList<>(List.of(RedisServerProcess.binary(), "--port",
                    Integer.toString(io.ember.testing.FreePort.find()), "--bind", "127.0.0.1", "--save", "",
                    "--dir", copy.toString(), "--appendonly", "yes", "--daemonize", "no"));
            cmd.addAll(List.of(extra));
            Path log = copy.resolve("redis-output.log");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(2, TimeUnit.SECONDS)) {
                p.destroy();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            return Files.readString(log, StandardCharsets.ISO_8859_1);
        } finally {
            TestServer.deleteTree(copy);
        }
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (var paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** Both refuse to start, and Redis's log contains Ember's message. */
    private void bothRefuse(String expected, String... extra) throws Exception {
        String redis = redisStart(extra); // on a copy, before Ember may truncate a file
        assertTrue(redis.contains(expected), "Redis: " + redis);
        String ember = emberStart(extra);
        assertTrue(ember != null && ember.contains(expected), "Ember: " + ember);
    }

    private void writeManifest(String text) throws Exception {
        Files.writeString(aofDir().resolve("appendonly.aof.manifest"), text, StandardCharsets.ISO_8859_1);
    }

    @Test
    void corruptManifests() throws Exception {
        validSet(GOOD);
        String base = "file appendonly.aof.1.base.rdb seq 1 type b\n";
        String incr = "file appendonly.aof.1.incr.aof seq 1 type i\n";
        writeManifest("");
        bothRefuse("Found an empty AOF manifest");
        writeManifest(base + "\n" + incr);
        bothRefuse("Invalid AOF manifest file format");
        writeManifest(base + "file appendonly.aof.1.incr.aof seq 1\n");
        bothRefuse("Invalid AOF manifest file format");
        writeManifest(base + "file appendonly.aof.1.incr.aof seq x type i\n");
        bothRefuse("Invalid AOF manifest file format");
        writeManifest(base + base + incr);
        bothRefuse("Found duplicate base file information");
        writeManifest(base + incr + incr);
        bothRefuse("Found a non-monotonic sequence number");
        writeManifest(base + "file appendonly.aof.1.incr.aof seq 1 type x\n");
        bothRefuse("Unknown AOF file type");
        writeManifest(base + "file ../appendonly.aof.1.incr.aof seq 1 type i\n");
        bothRefuse("File can't be a path, just a filename");
        writeManifest(base + "file appendonly.aof.1.incr.aof seq 1 type i"); // no final newline
        bothRefuse("The AOF manifest file contains too long line");
        writeManifest(base + "file \"unbalanced seq 1 type i\n");
        bothRefuse("Invalid AOF manifest file format");
        // comments and extra keys are fine
        writeManifest("# comment\n" + base + "file appendonly.aof.1.incr.aof seq 1 type i extra key\n");
        assertNull(emberStart());
    }

    @Test
    void missingIncrFile() throws Exception {
        validSet(GOOD);
        Files.delete(aofDir().resolve("appendonly.aof.1.incr.aof"));
        bothRefuse("Unable to obtain the AOF file appendonly.aof.1.incr.aof length. stat: No such file or directory");
        assertTrue(Files.exists(aofDir().resolve("appendonly.aof.1.base.rdb")), "the set is left as it was");
    }

    @Test
    void tornLastCommandIsTrimmedWhenAllowed() throws Exception {
        String torn = GOOD + "*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$5\r\nhel";
        validSet(torn);
        String message = "Unexpected end of file reading the append only file appendonly.aof.1.incr.aof. You can: "
                + "1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. "
                + "2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.";
        bothRefuse(message, "--aof-load-truncated", "no");
        assertEquals(torn.length(), Files.size(aofDir().resolve("appendonly.aof.1.incr.aof")), "untouched");
        String redisLog = redisStart();
        assertTrue(redisLog.contains("!!! Truncating the AOF appendonly.aof.1.incr.aof at offset " + GOOD.length() + " !!!"),
                redisLog);
        Path log = dir.resolve("ember.log");
        try (TestServer s = TestServer.start("--dir", dir.toString(), "--appendonly", "yes", "--logfile", log.toString());
             Jedis j = s.jedis()) {
            assertEquals("1", j.get("a"));
            assertEquals(List.of("x", "y"), j.lrange("l", 0, -1));
            assertNull(j.get("b"));
            j.set("after", "restart"); // appended after the trimmed tail
        }
        String text = Files.readString(log);
        assertTrue(text.contains("!!! Warning: short read while loading the AOF file appendonly.aof.1.incr.aof!!!"), text);
        assertTrue(text.contains("!!! Truncating the AOF appendonly.aof.1.incr.aof at offset " + GOOD.length() + " !!!"), text);
        assertTrue(text.contains("AOF appendonly.aof.1.incr.aof loaded anyway because aof-load-truncated is enabled"), text);
        try (TestServer s = TestServer.start("--dir", dir.toString(), "--appendonly", "yes"); Jedis j = s.jedis()) {
            assertEquals("restart", j.get("after"));
            assertEquals("1", j.get("n"));
        }
    }

    @Test
    void unfinishedMultiAtTheEndIsReverted() throws Exception {
        validSet(GOOD + cmd("MULTI") + cmd("SET", "t", "1") + cmd("INCR", "n"));
        String redisLog = redisStart();
        assertTrue(redisLog.contains("Revert incomplete MULTI/EXEC transaction in AOF file appendonly.aof.1.incr.aof"),
                redisLog);
        try (TestServer s = TestServer.start("--dir", dir.toString(), "--appendonly", "yes"); Jedis j = s.jedis()) {
            assertNull(j.get("t"));
            assertEquals("1", j.get("n"));
        }
        assertEquals(GOOD.length(), Files.size(aofDir().resolve("appendonly.aof.1.incr.aof")));
    }

    @Test
    void garbageInTheMiddleRefusesToStart() throws Exception {
        validSet(cmd("SET", "a", "1") + "garbage\r\n" + cmd("SET", "b", "2"));
        bothRefuse("Bad file format reading the append only file appendonly.aof.1.incr.aof: make a backup of your AOF "
                + "file, then use ./redis-check-aof --fix <filename.manifest>");
        validSet(cmd("SET", "a", "1") + "*2\r\nxx\r\n" + cmd("SET", "b", "2"));
        bothRefuse("Bad file format reading the append only file appendonly.aof.1.incr.aof");
        validSet(cmd("SET", "a", "1") + cmd("NOSUCHCMD", "x") + cmd("SET", "b", "2"));
        bothRefuse("Unknown command 'NOSUCHCMD' reading the append only file appendonly.aof.1.incr.aof");
    }

    @Test
    void aFileWhereTheDirectoryMustBe() throws Exception {
        Files.writeString(dir.resolve("appendonlydir"), "not a directory");
        bothRefuse("Can't open or create append-only dir appendonlydir: Not a directory");
    }

    @Test
    void timestampAnnotationsAreSkipped() throws Exception {
        validSet("#TS:1700000000\r\n" + GOOD + "#TS:1700000001\r\n" + cmd("SET", "c", "3"));
        try (TestServer s = TestServer.start("--dir", dir.toString(), "--appendonly", "yes"); Jedis j = s.jedis()) {
            assertEquals("3", j.get("c"));
        }
    }

    @Test
    void appendonlyNoAtRunTimeFlushesAndStops() throws Exception {
        try (TestServer s = TestServer.start("--dir", dir.toString(), "--appendonly", "yes"); Jedis j = s.jedis()) {
            j.set("k", "v");
            j.configSet("appendonly", "no");
            assertTrue(j.info("persistence").contains("aof_enabled:0"));
            j.set("not-logged", "x");
        }
        String incr = Files.readString(aofDir().resolve("appendonly.aof.1.incr.aof"), StandardCharsets.ISO_8859_1);
        assertEquals(cmd("SELECT", "0") + cmd("SET", "k", "v"), incr);
    }

    /** A set whose next incr file is a link to /dev/full: every write to it fails with ENOSPC. */
    static void fullDiskSet(Path dir) throws Exception {
        try (TestServer s = TestServer.start("--dir", dir.toString(), "--appendonly", "yes")) {
            // creates the base
        }
        Path aofDir = dir.resolve("appendonlydir");
        Files.delete(aofDir.resolve("appendonly.aof.1.incr.aof"));
        Files.writeString(aofDir.resolve("appendonly.aof.manifest"), "file appendonly.aof.1.base.rdb seq 1 type b\n");
        Files.createSymbolicLink(aofDir.resolve("appendonly.aof.1.incr.aof"), Path.of("/dev/full"));
    }

    @Test
    void writeErrorsGiveMisconfUnderEverysec() throws Exception {
        fullDiskSet(dir);
        String expected = "MISCONF Errors writing to the AOF file: No space left on device";
        try (TestServer s = TestServer.start("--dir", dir.toString(), "--appendonly", "yes"); Jedis j = s.jedis()) {
            assertEquals("OK", j.set("a", "1")); // executed before the write failed, as in Redis
            io.ember.testing.Await.until(() -> j.info("persistence").contains("aof_last_write_status:err"),
                    "the write error", 10);
            var e = assertThrows(redis.clients.jedis.exceptions.JedisDataException.class, () -> j.set("b", "2"));
            assertEquals(expected, e.getMessage());
            e = assertThrows(redis.clients.jedis.exceptions.JedisDataException.class, j::ping);
            assertEquals(expected, e.getMessage());
            assertEquals("1", j.get("a")); // reads go on
            assertTrue(j.info("persistence").matches("(?s).*aof_buffer_length:[1-9].*"), "the data stays queued");
        }
        try (RedisServerProcess redis = RedisServerProcess.start("--dir", dir.toString(), "--appendonly", "yes");
             Jedis j = new Jedis("127.0.0.1", redis.port())) {
            assertEquals("OK", j.set("a", "1"));
            var e = assertThrows(redis.clients.jedis.exceptions.JedisDataException.class, () -> j.set("b", "2"));
            assertEquals(expected, e.getMessage());
        }
    }

    @Test
    void aTornFileThatIsNotTheLastRefusesToStart() throws Exception {
        validSet(GOOD + "*2\r\n$3\r\nGET");
        Files.writeString(aofDir().resolve("appendonly.aof.2.incr.aof"), cmd("SET", "z", "1"));
        writeManifest("file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n"
                + "file appendonly.aof.2.incr.aof seq 2 type i\n");
        bothRefuse("Fatal error: the truncated file is not the last file");
    }

    /**
     * An old single-file AOF in dir (RDB preamble plus a command tail) is moved into the directory
     * as the base and loaded, as Redis 7.0 upgrades it.
     */
    @Test
    void oldStyleAofIsMigrated() throws Exception {
        validSet("");
        byte[] rdb = Files.readAllBytes(aofDir().resolve("appendonly.aof.1.base.rdb"));
        TestServer.deleteTree(aofDir());
        byte[] tail = (cmd("SELECT", "0") + cmd("SET", "old", "style") + cmd("RPUSH", "l", "a")).getBytes(
                StandardCharsets.ISO_8859_1);
        byte[] old = java.util.Arrays.copyOf(rdb, rdb.length + tail.length);
        System.arraycopy(tail, 0, old, rdb.length, tail.length);
        Files.write(dir.resolve("appendonly.aof"), old);
        String redisLog = redisStart();
        assertTrue(redisLog.contains("Successfully migrated an old-style AOF file (appendonly.aof) into the AOF "
                + "directory (appendonlydir)."), redisLog);
        Path log = dir.resolve("ember.log");
        try (TestServer s = TestServer.start("--dir", dir.toString(), "--appendonly", "yes", "--logfile", log.toString());
             Jedis j = s.jedis()) {
            assertEquals("style", j.get("old"));
            j.rpush("l", "b");
        }
        String text = Files.readString(log);
        assertTrue(text.contains("Successfully migrated an old-style AOF file (appendonly.aof) into the AOF directory "
                + "(appendonlydir)."), text);
        assertTrue(text.contains("Reading RDB preamble from AOF file..."), text);
        assertTrue(text.contains("Reading the remaining AOF tail..."), text);
        assertEquals("file appendonly.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n",
                Files.readString(aofDir().resolve("appendonly.aof.manifest")));
        assertTrue(!Files.exists(dir.resolve("appendonly.aof")));
        try (TestServer s = TestServer.start("--dir", dir.toString(), "--appendonly", "yes"); Jedis j = s.jedis()) {
            assertEquals(List.of("a", "b"), j.lrange("l", 0, -1));
        }
    }
}
