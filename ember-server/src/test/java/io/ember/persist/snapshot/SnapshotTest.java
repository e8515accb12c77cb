package io.ember.persist.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.engine.Engine;
import io.ember.persist.rdb.RdbOutput;
import io.ember.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * The snapshot mechanism on its own, with a minimal format (db marker, key, string value): the
 * image a slow consumer receives equals the dataset at the moment the snapshot began, whatever
 * clients do meanwhile. The full BGSAVE tests prove the same through RDB files.
 */
class SnapshotTest {
    private static final String OLD = "a".repeat(600);

    /** Records "db:key" -> value from the replayed stream. */
    private static final class Collector extends RdbOutput {
        final Map<String, String> image = new HashMap<>();
        int db = -1;
        String pendingKey;
        int chunks;

        @Override public void write(int b) { db = b; }
        @Override public void write(byte[] b, int off, int len) {
            if (len != 1) throw new AssertionError("unexpected raw bytes");
            db = b[off];
        }
        @Override public void writeString(byte[] b, int off, int len) {
            String s = new String(b, off, len, StandardCharsets.ISO_8859_1);
            if (pendingKey == null) {
                pendingKey = s;
            } else {
                String previous = image.put(db + ":" + pendingKey, s);
                if (previous != null) throw new AssertionError("entry serialized twice: " + pendingKey);
                pendingKey = null;
            }
        }
    }

    private static final Snapshot.Format FORMAT = new Snapshot.Format() {
        @Override public void selectDb(RdbOutput out, int db, long keys, long keysWithTtl) { out.write(db); }
        @Override public void entry(RdbOutput out, byte[] key, Object value, int meta, long expireAtMs) {
            out.writeString(key);
            out.writeString(value instanceof byte[] b ? b : ("<" + value.getClass().getSimpleName() + ">").getBytes());
        }
    };

    @Test
    void imageEqualsTheDatasetAtTheStartDespiteConcurrentChanges() throws Exception {
        int n = 60_000;
        try (TestServer server = TestServer.start(); Jedis j = server.jedis()) {
            Pipeline p = j.pipelined();
            for (int i = 0; i < n; i++) p.set("key:" + i, OLD);
            p.select(3);
            for (int i = 0; i < 1000; i++) p.set("three:" + i, OLD);
            p.select(0);
            p.sync();
            Engine engine = server.server().engine();
            Snapshot snapshot = engine.loop().submit(() -> Snapshot.begin(engine, FORMAT)).get();
            Collector out = new Collector();
            // A slow consumer: the walk must wait for it (the staged bytes exceed the pending bound).
            CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> {
                try {
                    return snapshot.drainTo(new RdbOutput() {
                        @Override public void write(int b) { out.write(b); }
                        @Override public void write(byte[] b, int off, int len) { out.write(b, off, len); }
                        @Override public void writeString(byte[] b, int off, int len) {
                            out.writeString(b, off, len);
                            if (len > 500 && ++out.chunks % 400 == 0) sleep(1);
                        }
                    });
                } catch (InterruptedException e) {
                    throw new RuntimeException(e);
                }
            });
            // Meanwhile: overwrite, append, delete, create, expire, move and flush.
            Pipeline w = j.pipelined();
            for (int i = n - 1; i >= 0; i -= 3) w.set("key:" + i, "new");
            for (int i = 1; i < n; i += 7) w.append("key:" + i, "more");
            for (int i = 2; i < n; i += 11) w.del("key:" + i);
            for (int i = 0; i < 5000; i++) w.set("created:" + i, "x");
            for (int i = 5; i < n; i += 13) w.pexpire("key:" + i, 1);
            w.move("key:4", 3);
            w.select(3);
            w.sendCommand(redis.clients.jedis.Protocol.Command.FLUSHDB, new String[0]);
            w.set("three:after", "y");
            w.sync();
            assertTrue(drained.get(60, TimeUnit.SECONDS), "the snapshot completed");

            Map<String, String> expected = new HashMap<>();
            for (int i = 0; i < n; i++) expected.put("0:key:" + i, OLD);
            for (int i = 0; i < 1000; i++) expected.put("3:three:" + i, OLD);
            assertEquals(expected.size(), out.image.size(), "key count");
            assertEquals(expected, out.image);
            assertEquals(null, engine.db(0).table().guard, "guards removed at the end");
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
