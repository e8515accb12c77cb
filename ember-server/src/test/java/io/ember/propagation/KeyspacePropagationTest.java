package io.ember.propagation;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Keyspace commands, expiry and transactions: what Ember propagates equals what redis-server 7.0
 * appends to its AOF (EXPIRE family as PEXPIREAT, an expire in the past as DEL, FLUSHALL forced
 * on an empty server, MULTI/EXEC wrapping, SELECT inside a transaction, lazy-expiry DELs...).
 */
class KeyspacePropagationTest extends PropagationTestBase {

    @Test
    void expireFamily() {
        step("SET", "k", "v");
        step("EXPIRE", "k", "100");
        step("PEXPIRE", "k", "100000");
        step("EXPIREAT", "k", future(300_000, true));
        step("PEXPIREAT", "k", future(300_000, false));
        step("EXPIRE", "k", "100", "NX");
        step("EXPIRE", "k", "1000", "GT");
        step("EXPIRE", "k", "10", "LT");
        step("EXPIRE", "k", "10", "XX");
        step("TTL", "k");
        step("PERSIST", "k");
        step("PERSIST", "k");
        step("EXPIRE", "missing", "10");
        step("SET", "k2", "v");
        step("EXPIRE", "k2", "-1");
        step("SET", "k3", "v");
        step("PEXPIREAT", "k3", "1000");
        step("SET", "k4", "v");
        step("EXPIREAT", "k4", "1");
        step("SET", "k5", "v");
        step("PEXPIRE", "k5", "0");
        cap.assertNoDivergence();
    }

    @Test
    void keyspace() {
        step("FLUSHALL");
        step("FLUSHALL");
        step("FLUSHDB");
        step("FLUSHALL", "ASYNC");
        step("FLUSHDB", "SYNC");
        step("SET", "a", "1");
        step("DEL", "a", "b");
        step("DEL", "a", "b");
        step("SET", "a", "1");
        step("UNLINK", "a");
        step("SET", "a", "1", "EX", "100");
        step("RENAME", "a", "b");
        step("RENAME", "b", "b");
        step("RENAMENX", "b", "c");
        step("SET", "d", "1");
        step("RENAMENX", "c", "d");
        step("COPY", "c", "e");
        step("COPY", "c", "e");
        step("COPY", "c", "e", "REPLACE");
        step("COPY", "c", "e", "DB", "2");
        step("MOVE", "c", "3");
        step("SELECT", "3");
        step("GET", "c");
        step("SET", "x", "1");
        step("SELECT", "0");
        step("SWAPDB", "0", "3");
        step("SWAPDB", "0", "3");
        step("SWAPDB", "5", "6");
        step("DUMP", "d");
        step("RPUSH", "list", "3", "1", "2");
        step("SORT", "list", "STORE", "sorted");
        step("SORT", "list", "LIMIT", "0", "1", "STORE", "sorted");
        step("SORT", "nolist", "STORE", "sorted");
        step("TOUCH", "d");
        step("PUBLISH", "ch", "msg");
        step("FLUSHDB");
        step("FLUSHDB");
        step("FLUSHALL", "SYNC");
        cap.assertNoDivergence();
    }

    @Test
    void restore() {
        step("SET", "src", "hello");
        byte[] dump = cap.ember().jedis().dump("src");
        String payload = new String(dump, java.nio.charset.StandardCharsets.ISO_8859_1);
        // RESTORE through both servers with the same payload (binary: sent as latin-1 bytes)
        runBytes("RESTORE", "r1", "0", payload);
        runBytes("RESTORE", "r2", "100000", payload);
        runBytes("RESTORE", "r3", future(100_000, false), payload, "ABSTTL");
        runBytes("RESTORE", "r1", "0", payload, "REPLACE");
        runBytes("RESTORE", "r4", "0", payload, "IDLETIME", "10");
        runBytes("RESTORE", "r5", "1000", payload, "ABSTTL");
        runBytes("RESTORE", "r1", "1000", payload, "ABSTTL", "REPLACE");
        runBytes("RESTORE", "r2", "100000", payload, "REPLACE", "FREQ", "5");
        cap.assertNoDivergence();
    }

    private static void runBytes(String... cmd) {
        byte[][] argv = new byte[cmd.length][];
        for (int i = 0; i < cmd.length; i++) argv[i] = cmd[i].getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        cap.runBytes(argv);
        cap.compare(cmd[0] + " " + cmd[1]);
    }

    @Test
    void transactions() {
        step("MULTI");
        step("SET", "t1", "1");
        step("EXEC");
        step("MULTI");
        step("SET", "t1", "1");
        step("INCR", "t2");
        step("EXEC");
        step("MULTI");
        step("GET", "t1");
        step("EXEC");
        step("MULTI");
        step("EXEC");
        step("MULTI");
        step("SET", "t1", "2");
        step("SELECT", "4");
        step("SET", "t1", "3");
        step("SELECT", "0");
        step("EXEC");
        step("MULTI");
        step("SELECT", "5");
        step("SET", "t5", "3");
        step("SELECT", "6");
        step("SET", "t6", "3");
        step("EXEC");
        step("SET", "after", "1");
        step("MULTI");
        step("SET", "t1", "x", "EX", "100");
        step("INCRBYFLOAT", "f", "1.5");
        step("GETDEL", "t1");
        step("EXEC");
        step("MULTI");
        step("FLUSHALL");
        step("EXEC");
        step("MULTI");
        step("SET", "a", "1");
        step("DISCARD");
        step("WATCH", "w");
        step("SET", "w", "1");
        step("MULTI");
        step("SET", "w", "2");
        step("EXEC");
        cap.assertNoDivergence();
    }

    @Test
    void lazyExpiry() throws Exception {
        cap.run("DEBUG", "SET-ACTIVE-EXPIRE", "0");
        try {
            step("SET", "e1", "v", "PX", "1");
            step("SET", "e2", "v", "PX", "1");
            step("SET", "e3", "v", "PX", "1");
            step("SET", "e4", "v", "PX", "1");
            step("SET", "e5", "v", "PX", "1");
            Thread.sleep(20);
            step("EXISTS", "e1", "e2");
            step("MULTI");
            step("GET", "e3");
            step("SET", "z", "1");
            step("EXEC");
            step("MULTI");
            step("GET", "e4");
            step("EXEC");
            step("SELECT", "2");
            step("SET", "e5", "1");
            step("SELECT", "0");
            step("SET", "e5", "w");
        } finally {
            cap.run("DEBUG", "SET-ACTIVE-EXPIRE", "1");
        }
        cap.assertNoDivergence();
    }

    @Test
    void activeExpiry() throws Exception {
        step("SET", "ax", "v", "PX", "50");
        cap.compareWhenBoth("active expiry of ax", 1);
        cap.assertNoDivergence();
    }

    @Test
    void randomKeyspace() {
        Random r = new Random(7);
        for (int i = 0; i < 1200; i++) {
            String k = "k" + r.nextInt(6), k2 = "k" + r.nextInt(6);
            String[] cmd = switch (r.nextInt(16)) {
                case 0, 1 -> new String[] {"SET", k, "v" + i};
                case 2 -> new String[] {"EXPIRE", k, Integer.toString(100 + r.nextInt(100)), r.nextBoolean() ? "GT" : "NX"};
                case 3 -> new String[] {"PEXPIRE", k, Integer.toString(100000 + r.nextInt(100))};
                case 4 -> new String[] {"PERSIST", k};
                case 5 -> new String[] {"RENAME", k, k2};
                case 6 -> new String[] {"RENAMENX", k, k2};
                case 7 -> new String[] {"COPY", k, k2, "REPLACE"};
                case 8 -> new String[] {"MOVE", k, "1"};
                case 9 -> new String[] {"DEL", k, k2};
                case 10 -> new String[] {"SWAPDB", "0", "1"};
                case 11 -> new String[] {"SELECT", Integer.toString(r.nextInt(2))};
                case 12 -> new String[] {"EXPIREAT", k, "1"};
                case 13 -> new String[] {"RPUSH", k, "3", "1"};
                case 14 -> new String[] {"SORT", k, "STORE", k2};
                default -> new String[] {"UNLINK", k};
            };
            step(cmd);
        }
        cap.run("SELECT", "0");
        cap.assertNoDivergence();
    }
}
