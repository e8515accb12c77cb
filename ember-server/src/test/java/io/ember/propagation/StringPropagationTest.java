package io.ember.propagation;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * String commands: what Ember propagates equals what redis-server 7.0 appends to its AOF (SET EX
 * and SETEX become SET PXAT, GETEX becomes PEXPIREAT/PERSIST/DEL, INCRBYFLOAT becomes SET KEEPTTL,
 * GETDEL a DEL...).
 */
class StringPropagationTest extends PropagationTestBase {

    @Test
    void rewrites() {
        step("SET", "a", "1");
        step("SET", "a", "2", "EX", "100");
        step("SET", "a", "3", "PX", "100000");
        step("SET", "a", "4", "EXAT", future(200_000, true));
        step("SET", "a", "5", "PXAT", future(200_000, false));
        step("SET", "a", "6", "KEEPTTL");
        step("SET", "a", "7", "GET");
        step("SET", "a", "8", "NX");
        step("SET", "a", "9", "XX", "EX", "100", "GET");
        step("SET", "a", "10", "ex", "100", "nx");
        step("SET", "a", "x", "EX", "0");
        step("SETEX", "b", "100", "v");
        step("PSETEX", "b", "100000", "v");
        step("SETEX", "b", "-1", "v");
        step("SETNX", "c", "1");
        step("SETNX", "c", "2");
        step("GETSET", "c", "3");
        step("GETDEL", "c");
        step("GETDEL", "c");
        step("SET", "g", "v");
        step("GETEX", "g");
        step("GETEX", "g", "PERSIST");
        step("GETEX", "g", "EX", "100");
        step("GETEX", "g", "PX", "100000");
        step("GETEX", "g", "EXAT", future(300_000, true));
        step("GETEX", "g", "PXAT", future(300_000, false));
        step("GETEX", "g", "PERSIST");
        step("GETEX", "g", "PERSIST");
        step("GETEX", "g", "EXAT", "1");
        step("GETEX", "missing", "EX", "10");
        step("MSET", "m1", "1", "m2", "2");
        step("MSETNX", "m1", "1", "m3", "3");
        step("MSETNX", "m4", "1", "m3", "3");
        step("APPEND", "m1", "xyz");
        step("INCR", "n");
        step("DECR", "n");
        step("INCRBY", "n", "10");
        step("DECRBY", "n", "3");
        step("INCRBYFLOAT", "f", "1.5");
        step("INCRBYFLOAT", "f", "3e2");
        step("SET", "f", "1", "EX", "1000");
        step("INCRBYFLOAT", "f", "0.1");
        step("SETRANGE", "r", "5", "abc");
        step("SETRANGE", "r", "0", "");
        step("SETRANGE", "empty", "0", "");
        cap.assertNoDivergence();
    }

    @Test
    void lazyExpiryOfARead() throws Exception {
        cap.run("DEBUG", "SET-ACTIVE-EXPIRE", "0");
        try {
            step("SET", "lz", "v", "PX", "1");
            step("SET", "lz2", "v", "PX", "1");
            Thread.sleep(20);
            step("GET", "lz");
            step("SET", "lz2", "w");
            step("SET", "old", "x", "PXAT", "1000");
            step("SET", "old2", "x", "EXAT", "1");
            step("EXISTS", "old", "old2");
        } finally {
            cap.run("DEBUG", "SET-ACTIVE-EXPIRE", "1");
        }
        cap.assertNoDivergence();
    }

    @Test
    void randomStrings() {
        Random r = new Random(42);
        for (int i = 0; i < 1500; i++) {
            String k = "s" + r.nextInt(8);
            String[] cmd = switch (r.nextInt(14)) {
                case 0 -> new String[] {"SET", k, "v" + i};
                case 1 -> new String[] {"SET", k, "v" + i, "EX", Integer.toString(100 + r.nextInt(100))};
                case 2 -> new String[] {"SET", k, "v" + i, r.nextBoolean() ? "NX" : "XX", "PX", "100000", "GET"};
                case 3 -> new String[] {"SET", k, "v" + i, "KEEPTTL"};
                case 4 -> new String[] {"INCRBYFLOAT", k, "1.25"};
                case 5 -> new String[] {"INCR", k};
                case 6 -> new String[] {"GETEX", k, "EX", "500"};
                case 7 -> new String[] {"GETEX", k, "PERSIST"};
                case 8 -> new String[] {"GETDEL", k};
                case 9 -> new String[] {"APPEND", k, "x"};
                case 10 -> new String[] {"SETEX", k, "300", "v"};
                case 11 -> new String[] {"GETSET", k, Integer.toString(i)};
                case 12 -> new String[] {"MSETNX", k, "1", "s" + r.nextInt(8), "2"};
                default -> new String[] {"SETRANGE", k, Integer.toString(r.nextInt(5)), "ab"};
            };
            step(cmd);
        }
        cap.assertNoDivergence();
    }
}
