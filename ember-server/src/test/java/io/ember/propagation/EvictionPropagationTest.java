package io.ember.propagation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.resp.RespValue;
import io.ember.testing.RawConnection;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Eviction: each server's memory estimate differs, so they evict different keys; what must agree
 * is the form. Redis 7.0 propagates each evicted key as a DEL of its own, before (and not wrapped
 * with) the command that made room, which is then propagated alone.
 */
class EvictionPropagationTest extends PropagationTestBase {

    @Test
    void evictedKeysGoOutAsDelsBeforeTheWriteUnwrapped() {
        String filler = "x".repeat(1000);
        for (int i = 0; i < 60; i++) cap.run("SET", "k" + i, filler);
        cap.compare("filling");
        // Each server's limit: its own used_memory now, less 40 kB (of the 60 kB of filler).
        setLimit(cap.redis().raw());
        setLimit(cap.ember().raw());
        cap.takeBoth();
        // Writes past the limit: eviction runs before each of them, on the memory used then.
        List<String> writes = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            cap.run("SET", "n" + i, filler);
            writes.add("SET n" + i);
        }
        List<List<List<String>>> both = cap.takeBoth();
        for (int s = 0; s < 2; s++) {
            String who = s == 0 ? "redis" : "ember";
            List<List<String>> ops = both.get(s);
            // DELs of evicted keys, each on its own, between the writes; nothing wrapped in MULTI/EXEC
            List<String> names = new java.util.ArrayList<>();
            int dels = 0;
            for (List<String> op : ops) {
                if (op.get(0).equals("DEL") && op.size() == 2) dels++;
                else names.add(op.get(0) + " " + op.get(1));
            }
            assertEquals(writes, names, who + ": " + ops);
            assertTrue(dels > 0, who + " evicted nothing: " + ops);
        }
        cap.run("CONFIG", "SET", "maxmemory", "0");
        cap.takeBoth(); // evictions until the limit went away
        cap.run("FLUSHALL");
        cap.compare("FLUSHALL");
        cap.assertNoDivergence();
    }

    private static void setLimit(RawConnection c) {
        try (c) {
            String info = new String(((RespValue.Bulk) c.callValue("INFO", "memory")).value(), java.nio.charset.StandardCharsets.ISO_8859_1);
            long used = 0;
            for (String line : info.split("\r\n")) {
                if (line.startsWith("used_memory:")) used = Long.parseLong(line.substring(12));
            }
            c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
            // Below the current figure: used_memory drops when this connection closes (its buffers
            // are tens of kB in Redis), and the writes that follow must run into the limit for sure.
            c.call("CONFIG", "SET", "maxmemory", Long.toString(used - 40_000));
        }
    }
}
