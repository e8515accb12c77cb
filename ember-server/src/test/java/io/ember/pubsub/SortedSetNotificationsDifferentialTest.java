package io.ember.pubsub;

import io.ember.testing.BlockingPair;
import io.ember.testing.SelfSubscriber;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Keyspace notifications of the sorted set commands against redis-server 7.0: ZADD (every
 * option, INCR firing "zincr"), ZINCRBY, ZREM, ZREMRANGEBY*, ZPOPMIN/MAX, ZMPOP, the blocking pops
 * served at once and served later (their events fire when a write serves them), the STORE
 * variants and ZRANGESTORE, each with no-op and error paths and the "del" of an emptied key or
 * destination; class filtering; the pushes' order relative to the reply on a subscribed RESP3
 * connection; and a seeded random run.
 *
 * <p>Each test has its own servers; keys of other types are made with events off
 * ({@link NotificationsDifferentialTestBase}).
 */
class SortedSetNotificationsDifferentialTest extends NotificationsDifferentialTestBase {
    @Test
    void zaddAndZincrby() {
        classes("AKEn");
        n.run("zadd", "z", "1", "a", "2", "b"); // new, then zadd
        n.run("zadd", "z", "1", "a"); // same score: nothing
        n.run("zadd", "z", "5", "a"); // updated, reply 0: zadd
        n.run("zadd", "z", "ch", "6", "a", "2", "b");
        n.run("zadd", "z", "nx", "9", "a"); // exists: nothing
        n.run("zadd", "z", "nx", "3", "c");
        n.run("zadd", "z", "xx", "3", "nosuch"); // nothing
        n.run("zadd", "missing", "xx", "1", "a"); // no key created, nothing
        n.run("zadd", "missing", "xx", "incr", "1", "a");
        n.run("zadd", "z", "gt", "1", "a"); // lower: nothing
        n.run("zadd", "z", "gt", "10", "a");
        n.run("zadd", "z", "lt", "20", "a"); // higher: nothing
        n.run("zadd", "z", "lt", "gt", "1", "a"); // errors fire nothing
        n.run("zadd", "z", "nx", "xx", "1", "a");
        n.run("zadd", "z", "1", "a", "2");
        n.run("zadd", "z", "x", "a");
        n.run("zadd", "z", "nan", "a");
        n.run("zadd", "z", "incr", "1", "a", "2", "b");
        n.run("zadd", "z", "incr", "2.5", "a"); // zincr
        n.run("zadd", "z", "incr", "0", "a"); // the score does not change: nothing
        n.run("zadd", "z", "nx", "incr", "1", "a"); // nil, nothing
        n.run("zadd", "z", "incr", "1", "new"); // added by INCR: zincr
        n.run("zincrby", "z", "1", "a");
        n.run("zincrby", "z2", "1", "a"); // new key: new, zincr
        n.run("zincrby", "z", "x", "a");
        n.run("zadd", "z", "inf", "inf");
        n.run("zincrby", "z", "-inf", "inf"); // NaN: error, nothing
        n.run("zincrby", "z", "0", "inf");
        quietly("set", "str", "v");
        n.run("zadd", "str", "1", "a");
        n.run("zincrby", "str", "1", "a");
        d.assertNoDivergence();
    }

    @Test
    void zremAndRangeRemovals() {
        n.run("zrem", "missing", "a");
        n.run("zadd", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e");
        n.run("zrem", "z", "x", "y");
        n.run("zrem", "z", "a", "x");
        n.run("zremrangebyrank", "z", "10", "20");
        n.run("zremrangebyrank", "z", "3", "1");
        n.run("zremrangebyrank", "z", "0", "0");
        n.run("zremrangebyrank", "z", "x", "1");
        n.run("zremrangebyscore", "z", "100", "200");
        n.run("zremrangebyscore", "z", "(2", "3");
        n.run("zremrangebyscore", "z", "x", "3");
        n.run("zadd", "l", "0", "a", "0", "b", "0", "c", "0", "d");
        n.run("zremrangebylex", "l", "[x", "[z");
        n.run("zremrangebylex", "l", "[a", "(c");
        n.run("zremrangebylex", "l", "a", "c");
        n.run("zremrangebylex", "l", "-", "+"); // emptied: zremrangebylex, del
        n.run("zremrangebyscore", "z", "-inf", "+inf"); // emptied
        n.run("zadd", "z", "1", "a", "2", "b");
        n.run("zremrangebyrank", "z", "0", "-1");
        n.run("zadd", "z", "1", "a", "2", "b");
        n.run("zrem", "z", "a", "b", "c"); // zrem, del
        n.run("zremrangebyrank", "missing", "0", "-1");
        n.run("zremrangebyscore", "missing", "0", "1");
        n.run("zremrangebylex", "missing", "-", "+");
        quietly("set", "str", "v");
        n.run("zrem", "str", "a");
        n.run("zremrangebyrank", "str", "0", "-1");
        n.run("zremrangebyscore", "str", "0", "1");
        n.run("zremrangebylex", "str", "-", "+");
        d.assertNoDivergence();
    }

    @Test
    void popsFireZpopminOrZpopmax() {
        n.run("zpopmin", "missing");
        n.run("zpopmax", "missing", "2");
        n.run("zadd", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e");
        n.run("zpopmin", "z");
        n.run("zpopmax", "z");
        n.run("zpopmin", "z", "0");
        n.run("zpopmin", "z", "-1");
        n.run("zpopmin", "z", "1", "2");
        n.run("zpopmax", "z", "2");
        n.run("zpopmin", "z", "10"); // the last one: zpopmin, del
        n.run("zadd", "z", "1", "a");
        n.run("zpopmax", "z"); // zpopmax, del
        n.run("zmpop", "2", "missing", "z", "min");
        n.run("zadd", "z", "1", "a", "2", "b", "3", "c");
        n.run("zmpop", "2", "missing", "z", "max");
        n.run("zmpop", "1", "z", "min", "count", "5"); // zpopmin, del
        n.run("zmpop", "0", "z", "min");
        n.run("zmpop", "1", "z", "sideways");
        n.run("zmpop", "1", "z", "min", "count", "0");
        n.run("zadd", "y", "1", "a", "2", "b");
        n.run("bzpopmin", "missing", "y", "0"); // served at once
        n.run("bzpopmax", "y", "0");
        n.run("zadd", "y", "1", "a", "2", "b", "3", "c");
        n.run("bzmpop", "0", "2", "missing", "y", "max", "count", "2");
        n.run("bzmpop", "0", "1", "y", "min");
        n.run("bzpopmin", "y", "x");
        quietly("set", "str", "v");
        n.run("zpopmin", "str");
        n.run("zmpop", "1", "str", "min");
        n.run("bzpopmin", "str", "0");
        n.run("bzmpop", "0", "1", "str", "max");
        n.run("multi");
        n.run("bzpopmin", "missing", "0"); // inside MULTI: never blocks, nothing fires
        n.run("bzmpop", "0", "1", "missing", "min");
        n.run("zadd", "m", "1", "a");
        n.run("bzpopmax", "m", "0");
        n.run("exec");
        d.assertNoDivergence();
    }

    /** A blocked pop fires its events when a later write serves it, right after that write's own. */
    @Test
    void blockedPopsFireWhenServed() {
        classes("AKEn");
        try (BlockingPair a = new BlockingPair(d); BlockingPair b = new BlockingPair(d)) {
            a.send("bzpopmin", "q", "0");
            BlockingPair.awaitBlocked(d, 1);
            n.run("zadd", "q", "1", "x", "2", "y"); // new, zadd, then the served pop's zpopmin
            a.read("bzpopmin served");

            a.send("bzpopmax", "q2", "q", "0"); // q still has a member: served at once
            a.read("bzpopmax at once");
            n.fence();

            a.send("bzpopmax", "q", "0");
            b.send("bzmpop", "0", "2", "q", "other", "min", "count", "5");
            BlockingPair.awaitBlocked(d, 2);
            n.run("zadd", "q", "1", "x", "2", "y", "3", "z"); // zadd; zpopmax; zpopmin, del
            a.read("bzpopmax served");
            b.read("bzmpop served");

            a.send("bzpopmin", "q", "0");
            BlockingPair.awaitBlocked(d, 1);
            n.run("zadd", "src", "1", "x");
            n.run("zunionstore", "q", "1", "src"); // new, zunionstore; zpopmin, del
            a.read("served by ZUNIONSTORE");

            a.call("select", "3");
            a.send("bzmpop", "0", "1", "q", "max");
            BlockingPair.awaitBlocked(d, 1);
            d.check("select", "3");
            n.run("zadd", "q", "1", "x", "2", "y"); // in db 3
            a.read("served in db 3");
            d.check("select", "0");

            a.send("bzpopmin", "q", "0.05"); // times out: nothing fires
            a.read("timed out");
            n.fence();

            a.call("select", "0");
            a.send("bzpopmin", "q", "0");
            BlockingPair.awaitBlocked(d, 1);
            n.run("multi");
            n.run("zadd", "q", "1", "x");
            n.run("zrem", "q", "x");
            n.run("zadd", "q", "2", "y");
            n.run("exec"); // served after the transaction as a whole
            a.read("served after EXEC");
        }
        d.assertNoDivergence();
    }

    @Test
    void storeVariantsFireOnTheDestination() {
        classes("AKEn");
        n.run("zadd", "a", "1", "x", "2", "y", "3", "z");
        n.run("zadd", "b", "5", "y", "6", "w");
        n.run("sadd", "s", "x", "q");
        for (String cmd : new String[] {"zunionstore", "zinterstore", "zdiffstore"}) {
            n.run(cmd, "dst", "2", "a", "b"); // new destination
            n.run(cmd, "dst", "2", "a", "b"); // overwritten: no "new"
            quietly("set", "dst", "str", "ex", "100");
            n.run(cmd, "dst", "2", "a", "s"); // a string with a TTL replaced; a set as input
            n.run(cmd, "dst", "2", "m1", "m2"); // empty: del
            n.run(cmd, "dst", "2", "m1", "m2"); // nothing to delete
            n.run(cmd, "dst", "0", "a");
            n.run(cmd, "dst", "3", "a");
            quietly("set", "str", "v");
            n.run(cmd, "dst", "2", "a", "str"); // WRONGTYPE
            n.run(cmd, "a", "1", "a"); // the destination is also the source
        }
        n.run("zunionstore", "dst", "2", "a", "b", "weights", "1", "x");
        n.run("zunionstore", "dst", "2", "a", "b", "aggregate", "max");
        n.run("zinterstore", "dst", "2", "a", "b", "weights", "2", "3");
        n.run("zadd", "dst", "1", "x");
        n.run("zdiffstore", "dst", "2", "a", "a"); // empty: del
        n.run("zrangestore", "r", "a", "0", "-1");
        n.run("zrangestore", "r", "a", "0", "0"); // overwritten
        n.run("zrangestore", "r", "a", "(1", "+inf", "byscore", "limit", "0", "1");
        n.run("zrangestore", "r", "a", "[z", "-", "bylex", "rev");
        n.run("zrangestore", "r", "a", "10", "20"); // empty: del
        n.run("zrangestore", "r", "a", "10", "20"); // nothing to delete
        n.run("zadd", "r", "1", "x");
        n.run("zrangestore", "r", "missing", "0", "-1"); // missing source: del
        n.run("zrangestore", "r", "str", "0", "-1");
        n.run("zrangestore", "r", "a", "0", "-1", "withscores");
        n.run("zrangestore", "r", "a", "x", "1");
        d.assertNoDivergence();
    }

    @Test
    void classesFilterTheEvents() {
        classes("Kz"); // zset events, keyspace channel only
        n.run("zadd", "z", "1", "a", "2", "b");
        n.run("zpopmin", "z", "5"); // zpopmin yes, del no
        classes("Eg"); // generic only, keyevent channel
        n.run("zadd", "z", "1", "a");
        n.run("zrem", "z", "a"); // del only
        n.run("zadd", "z", "1", "a");
        n.run("zinterstore", "d", "1", "z");
        n.run("zinterstore", "d", "1", "missing");
        classes("KEs"); // another type: nothing
        n.run("zadd", "z", "2", "b");
        n.run("zremrangebyrank", "z", "0", "-1");
        classes("Ez");
        n.run("zincrby", "z", "1", "a");
        n.run("zrangestore", "d", "z", "0", "-1");
        classes("");
        n.run("zadd", "z", "1", "b");
        n.run("zpopmax", "z", "5");
        d.assertNoDivergence();
    }

    /** On a subscribed RESP3 connection the pushes fall before, inside or after the reply, as from Redis. */
    @Test
    void pushesAndTheReplyComeInRedisOrder() {
        try (SelfSubscriber self = new SelfSubscriber(d, classes)) {
            self.run("zadd", "z", "1", "a", "2", "b", "3", "c"); // reply, zadd
            self.run("zincrby", "z", "1", "a"); // reply, zincr
            self.run("zrem", "z", "a"); // zrem, reply
            self.run("zpopmin", "z"); // the push inside the reply
            self.run("zpopmax", "z", "3"); // inside, then del after
            self.run("zadd", "z", "1", "a", "2", "b", "3", "c");
            self.run("zmpop", "1", "z", "min", "count", "2");
            self.run("bzpopmax", "z", "0");
            self.run("zadd", "z", "1", "a", "2", "b", "3", "c");
            self.run("zremrangebyscore", "z", "1", "1"); // event, reply
            self.run("zunionstore", "d", "1", "z"); // reply, event
            self.run("zrangestore", "d", "z", "5", "6"); // reply, del
            self.run("zdiffstore", "d", "1", "z");
            self.run("zinterstore", "d", "2", "z", "missing");
            self.run("zremrangebyrank", "z", "0", "-1"); // event, del, reply
        }
        d.assertNoDivergence();
    }

    private static final String[] KEYS = {"z0", "z1", "z2", "z3", "s0", "str"};
    private static final String[] MEMBERS = {"a", "b", "c", "d", "e", "f", "1", "2"};
    private static final String[] SCORES = {"0", "1", "2", "3", "-1", "1.5", "inf", "-inf"};

    /**
     * A seeded random run over a small keyspace, every event compared (with "new" and "keymiss"
     * too). Lex ranges are used only on keys whose members all score 0: on mixed scores their
     * result depends on the skiplist's random levels, in Redis as in Ember.
     */
    @Test
    void randomCommandsFireTheSameEvents() {
        d.check("config", "set", "zset-max-listpack-entries", "4");
        classes("AKEnm");
        Random rnd = new Random(0x25e7);
        for (int i = 0; i < 3000; i++) {
            String k = key(rnd);
            switch (rnd.nextInt(20)) {
                case 0, 1, 2, 3 -> n.run(zadd(rnd, k));
                case 4 -> n.run("zincrby", k, score(rnd), member(rnd));
                case 5, 6 -> n.run(withMembers(rnd, "zrem", k));
                case 7 -> n.run("zremrangebyrank", k, Integer.toString(rnd.nextInt(5) - 2), Integer.toString(rnd.nextInt(5) - 2));
                case 8 -> n.run("zremrangebyscore", k, bound(rnd), bound(rnd));
                case 9 -> lexCommand(rnd, k);
                case 10 -> n.run(rnd.nextBoolean() ? "zpopmin" : "zpopmax", k, Integer.toString(rnd.nextInt(4)));
                case 11 -> n.run("zmpop", "2", k, key(rnd), rnd.nextBoolean() ? "min" : "max", "count",
                        Integer.toString(1 + rnd.nextInt(3)));
                case 12 -> n.run(rnd.nextBoolean() ? "bzpopmin" : "bzpopmax", k, key(rnd), "0.01");
                case 13 -> n.run(withKeys(rnd, "zunionstore", k));
                case 14 -> n.run(withKeys(rnd, "zinterstore", k));
                case 15 -> n.run(withKeys(rnd, "zdiffstore", k));
                case 16 -> n.run("zrangestore", k, key(rnd), Integer.toString(rnd.nextInt(3)), Integer.toString(rnd.nextInt(4) - 1));
                case 17 -> n.run("zscore", k, member(rnd));
                case 18 -> n.run("sadd", "s0", member(rnd));
                default -> {
                    if (rnd.nextBoolean()) quietly("del", k);
                    else quietly("set", "str", "v");
                }
            }
        }
        d.assertNoDivergence();
    }

    private static final String[] LEX_KEYS = {"lex0", "lex1"};

    /** ZADD with score 0, ZREMRANGEBYLEX or ZRANGESTORE BYLEX on a key whose members all score 0. */
    private void lexCommand(Random rnd, String other) {
        String k = LEX_KEYS[rnd.nextInt(LEX_KEYS.length)];
        switch (rnd.nextInt(3)) {
            case 0 -> n.run("zadd", k, "0", member(rnd), "0", member(rnd));
            case 1 -> n.run("zremrangebylex", k, lexBound(rnd), lexBound(rnd));
            default -> n.run("zrangestore", other, k, lexBound(rnd), lexBound(rnd), "bylex");
        }
    }

    private static String key(Random rnd) {
        return KEYS[rnd.nextInt(KEYS.length)];
    }

    private static String member(Random rnd) {
        return MEMBERS[rnd.nextInt(MEMBERS.length)];
    }

    private static String score(Random rnd) {
        return SCORES[rnd.nextInt(SCORES.length)];
    }

    private static String bound(Random rnd) {
        String s = SCORES[rnd.nextInt(6)];
        return rnd.nextInt(4) == 0 ? "(" + s : s;
    }

    private static String lexBound(Random rnd) {
        return switch (rnd.nextInt(6)) {
            case 0 -> "-";
            case 1 -> "+";
            case 2 -> "(" + member(rnd);
            default -> "[" + member(rnd);
        };
    }

    /** ZADD with random options (some invalid together, which must fire nothing). */
    private static String[] zadd(Random rnd, String key) {
        List<String> a = new ArrayList<>(List.of("zadd", key));
        String[] options = {"nx", "xx", "gt", "lt", "ch", "incr"};
        for (String o : options) if (rnd.nextInt(6) == 0) a.add(o);
        for (int j = a.contains("incr") ? 1 : 1 + rnd.nextInt(3); j > 0; j--) {
            a.add(score(rnd));
            a.add(member(rnd));
        }
        return a.toArray(String[]::new);
    }

    private static String[] withMembers(Random rnd, String cmd, String key) {
        List<String> a = new ArrayList<>(List.of(cmd, key));
        for (int j = 1 + rnd.nextInt(3); j > 0; j--) a.add(member(rnd));
        return a.toArray(String[]::new);
    }

    private static String[] withKeys(Random rnd, String cmd, String dst) {
        int keys = 1 + rnd.nextInt(3);
        List<String> a = new ArrayList<>(List.of(cmd, dst, Integer.toString(keys)));
        for (int j = keys; j > 0; j--) a.add(key(rnd));
        if (!cmd.equals("zdiffstore") && rnd.nextInt(4) == 0) {
            a.add("aggregate");
            a.add(rnd.nextBoolean() ? "min" : "max");
        }
        return a.toArray(String[]::new);
    }
}
