package io.ember.propagation;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Lists: what Ember propagates equals redis-server 7.0's AOF, including blocking pops served at
 * once (BLPOP as LPOP, BLMOVE as LMOVE...) and served later by a push from another client.
 */
class ListPropagationTest extends BlockingPropagationTestBase {
    @Test
    void plainCommands() {
        step("RPUSH", "l", "a", "b", "c", "d", "e");
        step("LPUSH", "l", "z");
        step("LPUSHX", "l", "y");
        step("RPUSHX", "nol", "y");
        step("LINSERT", "l", "BEFORE", "b", "x");
        step("LINSERT", "l", "AFTER", "nope", "x");
        step("LSET", "l", "0", "w");
        step("LREM", "l", "0", "x");
        step("LREM", "l", "0", "nope");
        step("LTRIM", "l", "0", "100");
        step("LTRIM", "l", "1", "-2");
        step("LPOP", "l");
        step("RPOP", "l", "2");
        step("LPOP", "nol");
        step("RPUSH", "l2", "1", "2", "3");
        step("RPOPLPUSH", "l2", "l3");
        step("LMOVE", "l2", "l3", "LEFT", "RIGHT");
        step("LMOVE", "l3", "l3", "RIGHT", "LEFT");
        step("LMPOP", "2", "nol", "l3", "LEFT", "COUNT", "5");
        step("LMPOP", "1", "l", "RIGHT");
        step("LTRIM", "l", "5", "1");
        cap.assertNoDivergence();
    }

    @Test
    void blockingServedAtOnce() {
        step("RPUSH", "b1", "a", "b", "c", "d");
        step("BLPOP", "nob", "b1", "0");
        step("BRPOP", "b1", "0");
        step("BRPOPLPUSH", "b1", "b2", "0");
        step("BLMOVE", "b2", "b1", "LEFT", "LEFT", "0");
        step("BLMPOP", "0", "2", "nob", "b1", "RIGHT", "COUNT", "10");
        step("RPUSH", "b1", "a", "b", "c", "d");
        step("BLMOVE", "b1", "b2", "left", "right", "0");
        step("BLMPOP", "0", "1", "b1", "LEFT");
        step("BLPOP", "nob", "0.01");
        step("MULTI");
        step("BLPOP", "nob", "0");
        step("EXEC");
        cap.assertNoDivergence();
    }

    @Test
    void blockingServedLater() throws Exception {
        servedLater(new String[] {"BLPOP", "w1", "0"}, "RPUSH", "w1", "a", "b");
        servedLater(new String[] {"BRPOP", "w2", "w2b", "0"}, "LPUSH", "w2b", "x");
        servedLater(new String[] {"BRPOPLPUSH", "w3", "w4", "0"}, "RPUSH", "w3", "x", "y");
        servedLater(new String[] {"BLMOVE", "w5", "w6", "RIGHT", "LEFT", "0"}, "RPUSH", "w5", "x", "y");
        servedLater(new String[] {"BLMPOP", "0", "1", "w7", "LEFT", "COUNT", "3"}, "RPUSH", "w7", "x", "y");
        step("RPUSH", "w1b", "m");
        servedLater(new String[] {"BLPOP", "w8", "0"}, "LMOVE", "w1b", "w8", "LEFT", "LEFT");
        servedLater(new String[] {"BRPOPLPUSH", "w11", "w12", "0"}, "RPUSH", "w11", "x");
        servedLater(new String[] {"BLMOVE", "w13", "w13", "left", "right", "0"}, "RPUSH", "w13", "x", "y");
        cap.run("SELECT", "2");
        cap.on(blocker, true, "SELECT", "2");
        servedLater(new String[] {"BLPOP", "w9", "0"}, "RPUSH", "w9", "q");
        cap.run("SELECT", "0");
        cap.on(blocker, true, "SELECT", "0");
        // a transaction whose push serves a waiter
        cap.send(blocker, "BLPOP", "w10", "0");
        Thread.sleep(100);
        cap.run("MULTI");
        cap.run("RPUSH", "w10", "a");
        cap.run("SET", "s", "1");
        cap.run("EXEC");
        cap.expectReply(blocker, "BLPOP w10");
        cap.compare("BLPOP w10 served by EXEC");
        cap.assertNoDivergence();
    }

    @Test
    void randomLists() {
        Random r = new Random(11);
        for (int i = 0; i < 1500; i++) {
            String k = "r" + r.nextInt(4), k2 = "r" + r.nextInt(4);
            String[] cmd = switch (r.nextInt(14)) {
                case 0, 1 -> new String[] {"RPUSH", k, "v" + i, "w" + i};
                case 2 -> new String[] {"LPUSH", k, "v" + i};
                case 3 -> new String[] {"LPOP", k};
                case 4 -> new String[] {"RPOP", k, Integer.toString(r.nextInt(3))};
                case 5 -> new String[] {"LMOVE", k, k2, r.nextBoolean() ? "LEFT" : "RIGHT", "RIGHT"};
                case 6 -> new String[] {"BLPOP", k, k2, "0.001"};
                case 7 -> new String[] {"BLMOVE", k, k2, "LEFT", "LEFT", "0.001"};
                case 8 -> new String[] {"LTRIM", k, Integer.toString(r.nextInt(3)), "-1"};
                case 9 -> new String[] {"LREM", k, "1", "v" + r.nextInt(i + 1)};
                case 10 -> new String[] {"LSET", k, "0", "s" + i};
                case 11 -> new String[] {"LMPOP", "2", k, k2, "RIGHT", "COUNT", "2"};
                case 12 -> new String[] {"BRPOPLPUSH", k, k2, "0.001"};
                default -> new String[] {"LINSERT", k, "AFTER", "v" + r.nextInt(i + 1), "n"};
            };
            step(cmd);
        }
        cap.assertNoDivergence();
    }
}
