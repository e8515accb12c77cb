package io.ember.persist;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/** Datasets for persistence tests: every type in its small and large encodings, in many databases. */
final class Datasets {
    private Datasets() {}

    private static final redis.clients.jedis.commands.ProtocolCommand XADD = () -> "XADD".getBytes();
    private static final redis.clients.jedis.commands.ProtocolCommand XGROUP = () -> "XGROUP".getBytes();
    private static final redis.clients.jedis.commands.ProtocolCommand XREADGROUP = () -> "XREADGROUP".getBytes();

    /** Fills databases 0..dbs-1 (each a little different) and leaves database 0 selected. */
    static void everyTypeAndEncoding(Jedis j, int dbs) {
        for (int db = 0; db < dbs; db++) {
            j.select(db);
            Pipeline p = j.pipelined();
            String d = "db" + db + ":";
            p.set(d + "int", Long.toString(db * 1_000_003L - 7));
            p.set(d + "big-int", "-9223372036854775808");
            p.set(d + "embstr", "hello " + db);
            p.set(d + "raw", "compressible ".repeat(100) + db);
            p.set(d + "bin", new String(new char[] {0, 1, 2, 255, '\r', '\n'}));
            p.set(d + "empty", "");
            p.setex(d + "ttl", 3600 + db, "expiring");
            p.hset(d + "hash-small", Map.of("f1", "v1", "f2", "2", "f3", ""));
            Map<String, String> big = new HashMap<>();
            for (int i = 0; i < 600; i++) big.put("field" + i, "value" + i * db);
            p.hset(d + "hash-big", big);
            p.sadd(d + "set-int", "1", "-5", "70000", "4294967296");
            p.sadd(d + "set-str", "a", "b", "c");
            for (int i = 0; i < 700; i++) p.sadd(d + "set-big", Integer.toString(i * 3));
            p.zadd(d + "zset-small", Map.of("a", 1.5, "b", -2.0, "c", 1e300));
            Map<String, Double> zbig = new HashMap<>();
            for (int i = 0; i < 300; i++) zbig.put("m" + i, i / 7.0);
            p.zadd(d + "zset-big", zbig);
            p.rpush(d + "list-small", "x", "1", "y", "");
            for (int i = 0; i < 5000; i++) p.rpush(d + "list-big", "element-" + i);
            p.rpush(d + "list-plain", "p".repeat(10_000), "small");
            for (int i = 1; i <= 150; i++) p.sendCommand(XADD, d + "stream", i + "-0", "f", "v" + i);
            p.sendCommand(XGROUP, "CREATE", d + "stream", "g", "0");
            p.sendCommand(XREADGROUP, "GROUP", "g", "c", "COUNT", "10", "STREAMS", d + "stream", ">");
            p.pexpire(d + "hash-big", 7_200_000L);
            p.sync();
        }
        j.select(0);
    }

    /** The TTLs set by {@link #everyTypeAndEncoding} are still there (within a minute). */
    static void assertTtlsKept(Jedis j, int dbs) {
        for (int db = 0; db < dbs; db++) {
            j.select(db);
            long ttl = j.ttl("db" + db + ":ttl");
            assertTrue(ttl > 3500 && ttl <= 3600 + db, "ttl " + ttl + " in db " + db);
            long ttl2 = j.ttl("db" + db + ":hash-big");
            assertTrue(ttl2 > 7100 && ttl2 <= 7200, "ttl " + ttl2);
        }
        j.select(0);
    }
}
