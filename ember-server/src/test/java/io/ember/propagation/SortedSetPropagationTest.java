package io.ember.propagation;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Sorted sets: what Ember propagates equals redis-server 7.0's AOF (ZINCRBY, the *STORE
 * commands, ZPOPMIN/ZMPOP, blocking pops served at once and after a ZADD).
 */
class SortedSetPropagationTest extends BlockingPropagationTestBase {
    @Test
    void plainCommands() {
        step("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e");
        step("ZADD", "z", "1", "a");
        step("ZADD", "z", "NX", "9", "a");
        step("ZADD", "z", "XX", "CH", "9", "a");
        step("ZADD", "z", "INCR", "1.5", "a");
        step("ZINCRBY", "z", "2.5", "b");
        step("ZINCRBY", "z", "1e2", "new");
        step("ZREM", "z", "new", "nope");
        step("ZREM", "z", "nope");
        step("ZREMRANGEBYSCORE", "z", "100", "200");
        step("ZREMRANGEBYRANK", "z", "0", "0");
        step("ZREMRANGEBYLEX", "z", "-", "+");
        step("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e");
        step("ZPOPMIN", "z");
        step("ZPOPMAX", "z", "2");
        step("ZPOPMIN", "noz", "2");
        step("ZMPOP", "2", "noz", "z", "MIN", "COUNT", "10");
        step("ZADD", "z", "1", "a", "2", "b", "3", "c");
        step("ZMPOP", "1", "z", "MAX");
        step("ZADD", "z2", "1", "a", "7", "q");
        step("ZUNIONSTORE", "d", "2", "z", "z2");
        step("ZINTERSTORE", "d", "2", "z", "z2", "WEIGHTS", "1", "2");
        step("ZDIFFSTORE", "d", "2", "z", "z2");
        step("ZRANGESTORE", "d", "z", "0", "-1");
        step("ZRANGESTORE", "d", "z", "5", "9");
        step("ZINTERSTORE", "d", "2", "z", "noz");
        stepAny("ZRANDMEMBER", "z");
        cap.assertNoDivergence();
    }

    @Test
    void blocking() throws Exception {
        step("ZADD", "bz", "1", "a", "2", "b", "3", "c", "4", "d");
        step("BZPOPMIN", "nobz", "bz", "0");
        step("BZPOPMAX", "bz", "0");
        step("BZMPOP", "0", "1", "bz", "MIN", "COUNT", "5");
        step("MULTI");
        step("BZPOPMIN", "nobz", "0");
        step("EXEC");
        servedLater(new String[] {"BZPOPMIN", "w1", "0"}, "ZADD", "w1", "1", "a", "2", "b");
        servedLater(new String[] {"BZPOPMAX", "w2", "0"}, "ZADD", "w2", "1", "a", "2", "b");
        servedLater(new String[] {"BZMPOP", "0", "1", "w3", "MAX", "COUNT", "5"}, "ZADD", "w3", "1", "a", "2", "b");
        servedLater(new String[] {"BZMPOP", "0", "1", "w4", "MIN"}, "ZADD", "w4", "1", "a", "2", "b");
        cap.assertNoDivergence();
    }

    @Test
    void randomSortedSets() {
        Random r = new Random(5);
        for (int i = 0; i < 1500; i++) {
            String k = "z" + r.nextInt(3), k2 = "z" + r.nextInt(3);
            String m = "m" + r.nextInt(6);
            String[] cmd = switch (r.nextInt(12)) {
                case 0, 1 -> new String[] {"ZADD", k, Integer.toString(r.nextInt(10)), m};
                case 2 -> new String[] {"ZINCRBY", k, "0.5", m};
                case 3 -> new String[] {"ZREM", k, m};
                case 4 -> new String[] {"ZPOPMIN", k, Integer.toString(1 + r.nextInt(2))};
                case 5 -> new String[] {"ZPOPMAX", k};
                case 6 -> new String[] {"BZPOPMIN", k, k2, "0.001"};
                case 7 -> new String[] {"ZMPOP", "2", k, k2, "MAX", "COUNT", "2"};
                case 8 -> new String[] {"ZUNIONSTORE", k2, "2", k, k2};
                case 9 -> new String[] {"ZADD", k, "INCR", "1", m};
                case 10 -> new String[] {"BZMPOP", "0.001", "1", k, "MIN"};
                default -> new String[] {"ZRANGESTORE", k2, k, "0", "1"};
            };
            step(cmd);
        }
        cap.assertNoDivergence();
    }
}
