package io.ember.propagation;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hashes and sets: what Ember propagates equals redis-server 7.0's AOF (HINCRBYFLOAT as HSET,
 * SPOP as SREM or DEL, SMOVE, the *STORE commands...).
 */
class HashSetPropagationTest extends PropagationTestBase {

    @Test
    void hashes() {
        step("HSET", "h", "a", "1", "b", "2");
        step("HSET", "h", "a", "1");
        step("HSETNX", "h", "a", "1");
        step("HSETNX", "h", "c", "3");
        step("HMSET", "h", "d", "4");
        step("HINCRBY", "h", "a", "5");
        step("HINCRBYFLOAT", "h", "b", "1.5");
        step("HINCRBYFLOAT", "h", "n", "2e3");
        step("HDEL", "h", "a", "zz");
        step("HDEL", "h", "zz");
        step("HDEL", "h", "b", "c", "d", "n");
        cap.assertNoDivergence();
    }

    @Test
    void sets() {
        step("SADD", "s", "a", "b", "c");
        step("SADD", "s", "a");
        step("SREM", "s", "a", "x");
        step("SREM", "s", "x");
        step("SADD", "one", "x");
        stepAny("SPOP", "one");
        step("SADD", "one", "x");
        stepAny("SPOP", "one", "1");
        step("SADD", "two", "x", "y");
        stepAny("SPOP", "two", "5");
        step("SADD", "s2", "b", "d");
        stepAny("SPOP", "s2", "0");
        stepAny("SPOP", "nos", "2");
        stepAny("SRANDMEMBER", "s", "2");
        step("SMOVE", "s", "s2", "b");
        step("SMOVE", "s", "s2", "nope");
        step("SMOVE", "s", "s3", "c");
        step("SADD", "u", "1", "2");
        step("SINTERSTORE", "d", "u", "s2");
        step("SUNIONSTORE", "d", "u", "s2");
        step("SDIFFSTORE", "d", "u", "s2");
        step("SINTERSTORE", "d", "u", "nos");
        step("SINTERSTORE", "d", "u", "nos");
        cap.assertNoDivergence();
    }

    @Test
    void spopWithCountKeepingSomeMembers() {
        // Which members go is random; with one member per batch the propagated SREMs must match
        // in shape: compare the command names and keys, and that both removed as many members.
        step("SADD", "big", "1", "2", "3", "4", "5", "6", "7", "8");
        cap.runAny("SPOP", "big", "3");
        cap.compareShape("SPOP big 3");
        cap.runAny("SPOP", "big");
        cap.compareShape("SPOP big");
        // most of the set: Redis builds the set of members that stay
        step("SADD", "big2", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
        cap.runAny("SPOP", "big2", "9");
        cap.compareShape("SPOP big2 9");
        step("SADD", "str", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
        cap.runAny("SPOP", "str", "2");
        cap.compareShape("SPOP str 2");
        cap.runAny("SPOP", "str", "7");
        cap.compareShape("SPOP str 7");
        cap.assertNoDivergence();
    }

    @Test
    void randomHashesAndSets() {
        Random r = new Random(3);
        for (int i = 0; i < 1500; i++) {
            String h = "h" + r.nextInt(3), s = "s" + r.nextInt(3), s2 = "s" + r.nextInt(3);
            String f = "f" + r.nextInt(5);
            String[] cmd = switch (r.nextInt(12)) {
                case 0 -> new String[] {"HSET", h, f, "v" + i};
                case 1 -> new String[] {"HINCRBYFLOAT", h, "fl" + r.nextInt(2), "0.5"};
                case 2 -> new String[] {"HDEL", h, f};
                case 3 -> new String[] {"HINCRBY", h, "i", "3"};
                case 4, 5 -> new String[] {"SADD", s, f, "g" + r.nextInt(3)};
                case 6 -> new String[] {"SREM", s, f};
                case 7 -> new String[] {"SMOVE", s, s2, f};
                case 8 -> new String[] {"SUNIONSTORE", s2, s, "h0".equals(h) ? s2 : s};
                case 9 -> new String[] {"SPOP", s, "100"}; // whole set: reply order may differ, DEL compared
                case 10 -> new String[] {"HSETNX", h, f, "x"};
                default -> new String[] {"SINTERSTORE", s2, s, s2};
            };
            if (cmd[0].equals("SPOP")) stepAny(cmd);
            else step(cmd);
        }
        cap.assertNoDivergence();
    }
}
