package io.ember.persist.aof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.FreePort;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Durability under kill -9: bin/ember-server runs as a separate process with the AOF on; several
 * clients write and record what was acknowledged; the process is killed with SIGKILL at a random
 * moment, restarted on the same directory, and every acknowledged write must be there (and
 * nothing beyond the one write per client that may have been in flight). With appendfsync
 * everysec the loss is measured as the time between the last surviving acknowledged write and
 * the kill.
 */
class AofCrashIT {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final Path LAUNCHER = ROOT.resolve("bin/ember-server");
    private static final int CLIENTS = 4;

    @TempDir
    Path dir;
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (Process p : started) {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private Process launch(int port, String policy) throws Exception {
        Path log = dir.resolve("ember-" + started.size() + ".log");
        Process p = new ProcessBuilder(LAUNCHER.toString(), "--port", Integer.toString(port), "--dir", dir.toString(),
                "--save", "", "--appendonly", "yes", "--appendfsync", policy)
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        started.add(p);
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            assertTrue(p.isAlive(), () -> "the server exited: " + read(log));
            try (Socket s = new Socket("127.0.0.1", port); Jedis j = new Jedis("127.0.0.1", port)) {
                if (j.info("persistence").contains("\nloading:0")) return p; // PING answers while loading
            } catch (Exception e) {
                Thread.sleep(20);
            }
        }
        throw new AssertionError("not ready: " + read(log));
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** One writer: INCR on its counter and RPUSH of the same number, remembering acknowledgements. */
    private static Thread writer(int port, int id, AtomicLongArray acked, long[] ackTimes) {
        Thread t = new Thread(() -> {
            try (Jedis j = new Jedis("127.0.0.1", port, 5_000)) {
                while (!Thread.currentThread().isInterrupted()) {
                    long n = j.incr("counter:" + id);
                    j.rpush("list:" + id, Long.toString(n));
                    acked.set(id, n);
                    ackTimes[id] = System.nanoTime();
                }
            } catch (Exception e) {
                // the server was killed
            }
        });
        t.start();
        return t;
    }

    @Test
    void acknowledgedWritesSurviveKill9UnderAlways() throws Exception {
        Random random = new Random(20260601);
        AtomicLongArray acked = new AtomicLongArray(CLIENTS);
        long[] ackTimes = new long[CLIENTS];
        long deadline = System.currentTimeMillis() + 120_000;
        int cycles = 0;
        for (; cycles < 20 && System.currentTimeMillis() < deadline; cycles++) {
            int port = FreePort.find();
            Process p = launch(port, "always");
            verify(port, acked, 1);
            List<Thread> writers = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) writers.add(writer(port, i, acked, ackTimes));
            Thread.sleep(50 + random.nextInt(400));
            p.destroyForcibly(); // SIGKILL
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
            for (Thread t : writers) t.join(10_000);
        }
        assertEquals(20, cycles, "20 kill -9 cycles within the time bound");
        int port = FreePort.find();
        launch(port, "always");
        verify(port, acked, 1);
        long total = 0;
        for (int i = 0; i < CLIENTS; i++) total += acked.get(i);
        assertTrue(total > 100, "writes were acknowledged: " + total);
    }

    /** Every acknowledged write is there, and at most {@code inFlight} more per client. */
    private static void verify(int port, AtomicLongArray acked, int inFlight) {
        try (Jedis j = new Jedis("127.0.0.1", port, 10_000)) {
            for (int i = 0; i < CLIENTS; i++) {
                String c = j.get("counter:" + i);
                long counter = c == null ? 0 : Long.parseLong(c);
                long ack = acked.get(i);
                assertTrue(counter >= ack, "client " + i + ": acknowledged " + ack + ", found " + counter);
                assertTrue(counter <= ack + inFlight, "client " + i + ": acknowledged " + ack + ", found " + counter);
                List<String> list = j.lrange("list:" + i, 0, -1);
                // every acknowledged RPUSH, in order, possibly one more in flight
                assertTrue(list.size() >= ack && list.size() <= ack + inFlight, "list " + i + " has " + list.size());
                for (int k = 0; k < ack; k++) assertEquals(Long.toString(k + 1), list.get(k), "list " + i + " at " + k);
                acked.set(i, counter); // the next cycle continues from what is on disk
                if (list.size() != counter) { // the RPUSH of the in-flight INCR did not make it: re-add it
                    j.rpush("list:" + i, Long.toString(counter));
                }
            }
        }
    }

    @Test
    void everysecLosesAtMostAboutTwoSeconds() throws Exception {
        long worstLossMs = 0;
        for (int cycle = 0; cycle < 3; cycle++) {
            int port = FreePort.find();
            Process p = launch(port, "everysec");
            String key = "ev:" + cycle;
            long[] ackTimes = new long[4_000_000]; // ack time of each counter value
            long[] acked = new long[1];
            Thread w = new Thread(() -> {
                try (Jedis j = new Jedis("127.0.0.1", port, 5_000)) {
                    while (true) {
                        long n = j.incr(key);
                        if (n >= ackTimes.length) break;
                        ackTimes[(int) n] = System.nanoTime();
                        acked[0] = n;
                    }
                } catch (Exception e) {
                    // killed
                }
            });
            w.start();
            Thread.sleep(1500);
            long killedAt = System.nanoTime();
            p.destroyForcibly(); // SIGKILL
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
            w.join(10_000);
            int port2 = FreePort.find();
            Process q = launch(port2, "everysec");
            try (Jedis j = new Jedis("127.0.0.1", port2)) {
                String v = j.get(key);
                long found = v == null ? 0 : Long.parseLong(v);
                assertTrue(found <= acked[0] + 1, "found " + found + ", acknowledged " + acked[0]);
                if (found < acked[0]) {
                    long lossMs = (killedAt - ackTimes[(int) found + 1]) / 1_000_000;
                    worstLossMs = Math.max(worstLossMs, lossMs);
                }
            }
            q.destroyForcibly();
            q.waitFor(10, TimeUnit.SECONDS);
        }
        System.out.println("everysec: worst loss window under kill -9: " + worstLossMs + " ms");
        assertTrue(worstLossMs <= 2500, "lost the writes of the last " + worstLossMs + " ms");
    }

    @Test
    void writeErrorUnderAlwaysExitsWithoutAcknowledging() throws Exception {
        AofBadInputTest.fullDiskSet(dir);
        int port = FreePort.find();
        Process p = launch(port, "always");
        try (Jedis j = new Jedis("127.0.0.1", port, 10_000)) {
            Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> j.set("a", "1"));
            assertTrue(e instanceof redis.clients.jedis.exceptions.JedisConnectionException, e.toString());
        }
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue());
        String log = read(dir.resolve("ember-0.log"));
        assertTrue(log.contains("Error writing to the AOF file: No space left on device"), log);
        assertTrue(log.contains("Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting..."), log);
    }
}
