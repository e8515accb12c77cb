package io.ember.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.Differential;
import io.ember.testing.Differential.Mode;
import io.ember.testing.TestServer;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** MEMORY: replies and errors compared with redis-server, and sizes that follow the data. */
class MemoryCommandTest {

    @Test
    void errorsHelpAndEmptyCasesMatchRedis() {
        try (Differential d = new Differential()) {
            d.check("set", "k", "v");
            String[][] same = {
                {"memory", "usage", "missing"}, {"memory", "usage", "k", "samples"}, {"memory", "usage", "k", "samples", "x"},
                {"memory", "usage", "k", "samples", "-1"}, {"memory", "usage", "k", "bogus"}, {"memory", "usage"},
                {"memory", "help"}, {"memory", "purge"}, {"memory", "doctor"}, {"memory", "nosuch"}, {"memory"},
                {"memory", "stats", "extra"},
            };
            for (String[] c : same) d.check(c);
            d.check(Mode.TYPE_ONLY, "memory", "usage", "k");
            d.check(Mode.TYPE_ONLY, "memory", "usage", "k", "samples", "0");
            d.check(Mode.TYPE_ONLY, "memory", "stats");
            d.on(0, Mode.TYPE_ONLY, "hello", "3");
            d.check("memory", "doctor");
            d.check(Mode.TYPE_ONLY, "memory", "stats");
            d.assertNoDivergence();
        }
    }

    @Test
    void usageFollowsTheSizeOfEachValue() {
        try (TestServer s = TestServer.start(); Jedis j = s.jedis()) {
            j.set("small", "x");
            j.set("big", "x".repeat(10_000));
            long small = j.memoryUsage("small"), big = j.memoryUsage("big");
            assertTrue(small > 0 && small < 100, "small: " + small);
            assertTrue(big > 10_000 && big < 10_200, "big: " + big);
            for (int i = 0; i < 1000; i++) j.hset("h", "field" + i, "value" + i);
            long hash = j.memoryUsage("h");
            for (int i = 1000; i < 2000; i++) j.hset("h", "field" + i, "value" + i);
            assertTrue(j.memoryUsage("h") > hash * 1.7, "a hash twice as large costs about twice as much");
            assertNull(j.memoryUsage("missing"));
            long before = Long.parseLong(j.memoryStats().get("dataset.bytes").toString());
            j.del("big");
            long after = Long.parseLong(j.memoryStats().get("dataset.bytes").toString());
            assertEquals(big, before - after, "deleting a key gives back exactly its estimate");
        }
    }
}
