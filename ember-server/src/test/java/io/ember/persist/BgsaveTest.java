package io.ember.persist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.Await;
import io.ember.testing.RedisServerProcess;
import io.ember.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.commands.ProtocolCommand;

/**
 * BGSAVE through real clients: the file it writes restores the same dataset after a restart, and
 * it is the dataset of the instant BGSAVE ran even while several clients keep writing.
 */
class BgsaveTest {
    @TempDir
    Path dir;

    static void awaitBgsaveDone(Jedis j) throws InterruptedException {
        Await.until(() -> j.info("persistence").contains("rdb_bgsave_in_progress:0"), "BGSAVE to finish", 60);
    }

    private static final ProtocolCommand DEBUG = () -> "DEBUG".getBytes();
    private static final ProtocolCommand BGSAVE = () -> "BGSAVE".getBytes();
    private static final ProtocolCommand DBSIZE = () -> "DBSIZE".getBytes();

    static String digest(Jedis j) {
        return new String((byte[]) j.sendCommand(DEBUG, "DIGEST"));
    }

    static String field(Jedis j, String section, String name) {
        for (String line : j.info(section).split("\r\n")) {
            if (line.startsWith(name + ":")) return line.substring(name.length() + 1);
        }
        throw new AssertionError("no " + name + " in INFO " + section);
    }

    @Test
    void everyTypeAndDatabaseSurvivesBgsaveAndSaveWithARestart() throws Exception {
        String digest;
        try (TestServer s = TestServer.start("--dir", dir.toString(), "--enable-debug-command", "yes");
             Jedis j = s.jedis()) {
            Datasets.everyTypeAndEncoding(j, 16);
            digest = digest(j);
            assertEquals("Background saving started", j.bgsave());
            awaitBgsaveDone(j);
            assertEquals("ok", field(j, "persistence", "rdb_last_bgsave_status"));
            assertEquals("0", field(j, "persistence", "rdb_changes_since_last_save"));
        }
        try (TestServer s = TestServer.start("--dir", dir.toString(), "--enable-debug-command", "yes");
             Jedis j = s.jedis()) {
            assertEquals(digest, digest(j), "after BGSAVE + restart");
            Datasets.assertTtlsKept(j, 16);
            j.set("after", "restart");
            digest = digest(j);
            assertEquals("OK", j.save());
        }
        try (TestServer s = TestServer.start("--dir", dir.toString(), "--enable-debug-command", "yes");
             Jedis j = s.jedis()) {
            assertEquals(digest, digest(j), "after SAVE + restart");
        }
    }

    /**
     * Four clients write while a slowed-down BGSAVE runs (the walk is throttled by the writer,
     * which sleeps per key). Each client t runs iterations j = 0, 1, 2...: INCR ctr:t, RPUSH list:t j,
     * SET t:(j mod M) "j" — so the value of ctr:t in the image says how far client t had got at the
     * instant of the snapshot, and every other key of client t must show exactly that instant: the
     * list holds 0..c-1 (or 0..c-2), each key the last iteration before c that wrote it. A snapshot
     * that read keys at different moments would show later iterations on keys it reached late.
     * The counter must also lie between what was acknowledged before BGSAVE was sent and what was
     * sent after its reply. The dump is checked by loading it into redis-server 7.0.
     */
    @Test
    void theDumpIsTheDatasetOfTheInstantBgsaveRan() throws Exception {
        int writers = 4;
        int keysPerWriter = 20_000;
        String original = "o".repeat(500);
        try (TestServer s = TestServer.start("--dir", dir.toString(), "--rdb-key-save-delay", "15");
             Jedis control = s.jedis()) {
            Pipeline p = control.pipelined();
            for (int t = 0; t < writers; t++) {
                for (int k = 0; k < keysPerWriter; k++) p.set(t + ":" + k, original);
            }
            p.sync();
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch started = new CountDownLatch(writers);
            long[] ackedBefore = new long[writers];
            long[] sentAfter = new long[writers];
            AtomicLong bgsaveSent = new AtomicLong(Long.MAX_VALUE);
            AtomicLong bgsaveAcked = new AtomicLong(Long.MAX_VALUE);
            AtomicLong writesDuringSave = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < writers; t++) {
                int id = t;
                Thread th = new Thread(() -> {
                    try (Jedis j = s.jedis()) {
                        started.countDown();
                        for (long i = 0; !stop.get() && i < 10_000_000; i++) {
                            long sent = System.nanoTime();
                            long c = j.incr("ctr:" + id);
                            long acked = System.nanoTime();
                            if (acked < bgsaveSent.get()) ackedBefore[id] = c;
                            if (sent > bgsaveAcked.get() && sentAfter[id] == 0) sentAfter[id] = c;
                            j.rpush("list:" + id, Long.toString(i));
                            j.set(id + ":" + (i % keysPerWriter), Long.toString(i));
                            if (sent > bgsaveAcked.get()) writesDuringSave.incrementAndGet();
                        }
                    }
                });
                th.start();
                threads.add(th);
            }
            started.await();
            Thread.sleep(300);
            bgsaveSent.set(System.nanoTime());
            assertEquals("Background saving started", control.bgsave());
            bgsaveAcked.set(System.nanoTime());
            awaitBgsaveDone(control);
            stop.set(true);
            for (Thread th : threads) th.join(30_000);
            assertEquals("ok", field(control, "persistence", "rdb_last_bgsave_status"));
            assertTrue(writesDuringSave.get() > 1000, "clients wrote while the save ran: " + writesDuringSave.get());

            Path copy = Files.createDirectories(dir.resolve("redis"));
            Files.copy(dir.resolve("dump.rdb"), copy.resolve("dump.rdb"));
            try (RedisServerProcess redis = RedisServerProcess.start("--dir", copy.toString());
                 Jedis r = new Jedis("127.0.0.1", redis.port())) {
                for (int t = 0; t < writers; t++) {
                    long c = Long.parseLong(r.get("ctr:" + t));
                    assertTrue(c >= ackedBefore[t], "counter " + c + " >= acknowledged before BGSAVE " + ackedBefore[t]);
                    assertTrue(sentAfter[t] == 0 || c < sentAfter[t], "counter " + c + " < sent after BGSAVE " + sentAfter[t]);
                    List<String> list = r.lrange("list:" + t, 0, -1);
                    assertTrue(list.size() == c || list.size() == c - 1, "list length " + list.size() + " for counter " + c);
                    for (int i = 0; i < list.size(); i++) assertEquals(Integer.toString(i), list.get(i));
                    long lastDone = list.size() - 1; // iterations up to here pushed; their SET may be pending only for the last
                    for (int k = 0; k < keysPerWriter; k++) {
                        String v = r.get(t + ":" + k);
                        long newest = lastDone - Math.floorMod(lastDone - k, keysPerWriter); // newest j <= lastDone with j % M == k
                        String expected = newest >= 0 ? Long.toString(newest) : original;
                        String previous = newest - keysPerWriter >= 0 ? Long.toString(newest - keysPerWriter) : original;
                        assertTrue(v.equals(expected) || (newest == lastDone && v.equals(previous)),
                                "key " + t + ":" + k + " = " + abbreviate(v) + ", expected " + abbreviate(expected));
                    }
                }
                assertEquals(writers * (keysPerWriter + 2L), r.dbSize(), "key count as of BGSAVE");
            }
        }
    }

    @Test
    void debugReloadSavesFlushesAndLoadsBack() throws Exception {
        try (TestServer s = TestServer.start("--dir", dir.toString(), "--enable-debug-command", "yes");
             Jedis j = s.jedis()) {
            Datasets.everyTypeAndEncoding(j, 3);
            String before = digest(j);
            assertEquals("OK", new String((byte[]) j.sendCommand(DEBUG, "RELOAD")));
            assertEquals(before, digest(j));
            j.set("extra", "1");
            j.del("db0:int");
            assertEquals("OK", new String((byte[]) j.sendCommand(DEBUG, "RELOAD", "NOSAVE")));
            assertEquals(before, digest(j), "NOSAVE reloads the file as it is");
            j.set("db0:raw", "changed");
            j.set("extra", "2");
            assertEquals("OK", new String((byte[]) j.sendCommand(DEBUG, "RELOAD", "NOSAVE", "NOFLUSH", "MERGE")));
            assertEquals("2", j.get("extra"), "keys not in the file stay");
            assertEquals(before.length(), digest(j).length());
            assertTrue(j.get("db0:raw").startsWith("compressible"), "conflicting keys come from the file");
            redis.clients.jedis.exceptions.JedisDataException e = org.junit.jupiter.api.Assertions.assertThrows(
                    redis.clients.jedis.exceptions.JedisDataException.class, () -> j.sendCommand(DEBUG, "RELOAD", "X"));
            assertEquals("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.", e.getMessage());
        }
    }

    @Test
    void aSavePointStartsABackgroundSaveFromTheCron() throws Exception {
        try (TestServer s = TestServer.start("--dir", dir.toString(), "--save", "1", "3"); Jedis j = s.jedis()) {
            long before = j.lastsave();
            j.set("a", "1");
            j.set("b", "2");
            Thread.sleep(2500);
            assertEquals(before, j.lastsave(), "two changes are below the save point");
            assertEquals(false, Files.exists(dir.resolve("dump.rdb")));
            j.set("c", "3");
            Await.until(() -> j.lastsave() > before && field(j, "persistence", "rdb_changes_since_last_save").equals("0"),
                    "the save point's BGSAVE", 10);
            assertTrue(Files.size(dir.resolve("dump.rdb")) > 0);
        }
    }

    private static String abbreviate(String v) {
        return v.length() > 20 ? v.substring(0, 20) + "..." : v;
    }
}
