package io.ember.memory;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.FreePort;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * used_memory is an estimate; this checks it against the heap the JVM really retains. The server
 * runs in its own JVM with the launcher's heap layout (ZGC, no compressed references — what
 * bin/ember-server starts; the packaged jar does not exist yet when tests run, so the test
 * classpath is used); for each dataset the growth of INFO used_memory is compared with the
 * growth of the live objects counted by {@code jmap -histo:live} (a full GC, then the sum of
 * every live object).
 */
class MemoryEstimateTest {
    /** The stated error: the estimate is within this fraction of the retained heap. */
    static final double TOLERANCE = 0.10;

    static Process server;
    static int port;
    static Path jmap;

    @BeforeAll
    static void start() throws Exception {
        port = FreePort.find();
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:+UseZGC"));
        if (Runtime.version().feature() < 23) cmd.add("-XX:+ZGenerational"); // as the launcher
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.ember.Main",
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", ""));
        server = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try (Jedis j = new Jedis("127.0.0.1", port)) {
                j.ping();
                break;
            } catch (Exception notYet) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("ember-server did not start");
                Thread.sleep(100);
            }
        }
        jmap = Path.of(java).resolveSibling("jmap");
        assertTrue(Files.isExecutable(jmap), "jmap next to " + java);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.destroy();
    }

    private static long liveHeap() throws Exception {
        Process p = new ProcessBuilder(jmap.toString(), "-histo:live", Long.toString(server.pid()))
                .redirectErrorStream(true).start();
        long total = -1;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("Total")) total = Long.parseLong(line.trim().split("\\s+")[2]);
            }
        }
        p.waitFor();
        if (total < 0) throw new IllegalStateException("no Total line from jmap");
        return total;
    }

    private static long usedMemory(Jedis j) {
        for (String line : j.info("memory").split("\r\n")) {
            if (line.startsWith("used_memory:")) return Long.parseLong(line.substring(12));
        }
        throw new AssertionError("no used_memory");
    }

    private static String check(String name, int count, BiConsumer<Pipeline, Integer> load) throws Exception {
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            j.flushAll();
            long heap0 = liveHeap(), est0 = usedMemory(j);
            Pipeline p = j.pipelined();
            for (int i = 0; i < count; i++) load.accept(p, i);
            p.sync();
            long heap = liveHeap() - heap0, est = usedMemory(j) - est0;
            double ratio = (double) est / heap;
            String line = String.format("%s: estimate %d B, live heap %d B, ratio %.3f", name, est, heap, ratio);
            assertTrue(Math.abs(ratio - 1) <= TOLERANCE, line);
            return line;
        }
    }

    @Test
    void theEstimateFollowsTheRetainedHeapForEveryType() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add(check("strings", 200_000, (p, i) -> p.set("key:" + i, "value-" + i)));
        lines.add(check("small hashes", 50_000, (p, i) -> {
            for (int f = 0; f < 10; f++) p.hset("h:" + i, "field" + f, "v" + (i + f));
        }));
        lines.add(check("large hashes", 20, (p, i) -> {
            for (int f = 0; f < 5000; f++) p.hset("bh:" + i, "field" + f, "value" + f);
        }));
        lines.add(check("intsets", 50_000, (p, i) -> p.sadd("s:" + i, "1", "2", "3", Integer.toString(i))));
        lines.add(check("large sets", 20, (p, i) -> {
            for (int m = 0; m < 5000; m++) p.sadd("bs:" + i, "member:" + m);
        }));
        lines.add(check("small sorted sets", 50_000, (p, i) -> {
            for (int m = 0; m < 10; m++) p.zadd("z:" + i, m, "m" + m);
        }));
        lines.add(check("large sorted sets", 20, (p, i) -> {
            for (int m = 0; m < 5000; m++) p.zadd("bz:" + i, m * 0.5, "member:" + m);
        }));
        lines.add(check("lists", 20, (p, i) -> {
            for (int e = 0; e < 5000; e += 100) {
                String[] items = new String[100];
                for (int k = 0; k < 100; k++) items[k] = "element-" + (e + k);
                p.rpush("l:" + i, items);
            }
        }));
        System.out.println(String.join("\n", lines));
    }
}
