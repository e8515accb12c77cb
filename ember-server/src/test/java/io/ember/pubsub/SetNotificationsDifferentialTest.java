package io.ember.pubsub;

import io.ember.resp.RespValue;
import io.ember.testing.Differential.Mode;
import io.ember.testing.RawConnection;
import io.ember.testing.SelfSubscriber;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Keyspace notifications of the set commands against redis-server 7.0: SADD, SREM, SPOP (with
 * and without count), SMOVE and the STORE variants, each with its no-op and error paths, the
 * "del" of a set that became empty or of an emptied destination, class filtering, the order of
 * the pushes relative to the reply on a subscribed RESP3 connection, and a seeded random run.
 *
 * <p>Each test has its own servers; keys of other types are made with events off
 * ({@link NotificationsDifferentialTestBase}).
 */
class SetNotificationsDifferentialTest extends NotificationsDifferentialTestBase {
    /** Side connections for reading state without going through the harness. */
    RawConnection redisSide, emberSide;

    @BeforeEach
    void openSides() {
        redisSide = d.redis().raw();
        emberSide = d.ember().raw();
    }

    @AfterEach
    void closeSides() {
        redisSide.close();
        emberSide.close();
    }

    @Test
    void saddAndSrem() {
        classes("AKEn"); // with "new", to see it comes first
        n.run("sadd", "s", "a", "b", "c");
        n.run("sadd", "s", "a", "b"); // nothing added: no event
        n.run("sadd", "s", "b", "d");
        n.run("sadd", "i", "1", "2", "3");
        n.run("sadd", "i", "x"); // intset to hashtable
        quietly("set", "str", "v");
        n.run("sadd", "str", "a"); // WRONGTYPE
        n.run("srem", "missing", "a");
        n.run("srem", "s", "zz", "yy"); // nothing removed
        n.run("srem", "s", "a", "zz");
        n.run("srem", "str", "a");
        n.run("srem", "s", "b", "c", "d", "e"); // the last ones: srem, then del
        n.run("srem", "i", "1", "2", "3", "x");
        n.run("sadd", "s");  // arity errors fire nothing
        n.run("srem", "s");
        d.assertNoDivergence();
    }

    @Test
    void spopWithAndWithoutCount() {
        n.run("spop", "missing");
        n.run("spop", "missing", "3");
        n.run("sadd", "one", "x");
        n.run("spop", "one"); // spop, then del
        n.run("sadd", "s", "1", "2", "3");
        n.run("spop", "s", "0"); // count 0: nothing happens
        n.run("spop", "s", "-1");
        n.run("spop", "s", "x");
        n.run("spop", "s", "1", "2");
        n.run(Mode.TYPE_ONLY, "spop", "s"); // a random member: only the events are compared
        n.run(Mode.TYPE_ONLY, "spop", "s", "1");
        n.run(Mode.TYPE_ONLY, "spop", "s", "5"); // the rest: spop, then del
        n.run("sadd", "big", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
        n.run(Mode.TYPE_ONLY, "spop", "big", "2"); // random extraction
        n.run(Mode.TYPE_ONLY, "spop", "big", "7"); // building the set that stays
        n.run(Mode.TYPE_ONLY, "spop", "big", "1000"); // what is left: spop, del
        quietly("set", "str", "v");
        n.run("spop", "str");
        n.run("spop", "str", "2");
        d.assertNoDivergence();
    }

    @Test
    void smoveFiresSremAndSaddOnBothKeys() {
        classes("AKEn");
        n.run("smove", "missing", "d", "a");
        n.run("sadd", "s", "a", "b", "c");
        n.run("smove", "s", "s", "a"); // same key: a no-op
        n.run("smove", "s", "d", "zz"); // not a member
        n.run("smove", "s", "d", "a"); // srem s, new d, sadd d
        n.run("sadd", "e", "b");
        n.run("smove", "s", "e", "b"); // already in e: only srem
        n.run("smove", "s", "e", "c"); // the last member: srem, del s, sadd e
        quietly("set", "str", "v");
        n.run("smove", "str", "e", "b");
        n.run("smove", "e", "str", "b");
        n.run("sadd", "f", "1");
        n.run("smove", "f", "e", "1");
        d.assertNoDivergence();
    }

    @Test
    void storeVariantsFireOnTheDestination() {
        classes("AKEn");
        n.run("sadd", "a", "1", "2", "3");
        n.run("sadd", "b", "2", "3", "4");
        for (String cmd : new String[] {"sinterstore", "sunionstore", "sdiffstore"}) {
            n.run(cmd, "dst", "a", "b"); // new destination
            n.run(cmd, "dst", "a", "b"); // overwritten: no "new"
            quietly("set", "dst", "str", "ex", "100");
            n.run(cmd, "dst", "b", "a"); // a string with a TTL replaced
            n.run(cmd, "dst", "a", "a", "a");
            n.run(cmd, "dst", "missing1", "missing2"); // empty result: del
            n.run(cmd, "dst", "missing1", "missing2"); // nothing to delete: no event
            n.run(cmd, "a", "a", "b"); // the destination is also a source
            n.run("sadd", "a", "1", "2", "3");
            quietly("set", "str", "v");
            n.run(cmd, "dst", "a", "str"); // WRONGTYPE: nothing
            n.run(cmd, "str", "a"); // a string destination is simply replaced
            quietly("set", "str", "v");
        }
        n.run("sadd", "dst", "x");
        n.run("sinterstore", "dst", "a", "missing", "b"); // a missing input: del before the reply
        n.run("sinterstore", "dst", "a", "missing");
        n.run("sadd", "dst", "x");
        n.run("sdiffstore", "dst", "a", "a"); // empty: del
        n.run("sadd", "c", "7");
        n.run("sadd", "dst", "x");
        n.run("sinterstore", "dst", "a", "c"); // disjoint: empty result, del after the reply
        d.assertNoDivergence();
    }

    @Test
    void classesFilterTheEvents() {
        n.run("sadd", "s", "a", "b");
        classes("Ks"); // set events, keyspace channel only
        n.run("sadd", "s", "c");
        n.run("srem", "s", "a", "b", "c"); // srem yes, del (generic) no
        classes("Eg"); // only generic, keyevent channel
        n.run("sadd", "s", "a", "b");
        n.run(Mode.UNORDERED, "spop", "s", "2"); // del only
        n.run("sadd", "t", "a");
        n.run("smove", "t", "u", "a");
        classes("KEz"); // another type: nothing
        n.run("sadd", "s", "a");
        n.run("sunionstore", "d", "s");
        classes("Es");
        n.run("sunionstore", "d", "s");
        n.run("sinterstore", "d", "missing");
        classes("");
        n.run("sadd", "s", "b");
        n.run("srem", "s", "a", "b");
        d.assertNoDivergence();
    }

    @Test
    void otherDatabasesAndTransactions() {
        d.check("select", "5");
        n.run("sadd", "s", "a", "b");
        n.run("smove", "s", "t", "a");
        n.run("multi");
        n.run("sadd", "s", "c");
        n.run("srem", "s", "b", "c");
        n.run("sunionstore", "u", "t");
        n.run("spop", "t");
        n.run("exec");
        d.assertNoDivergence();
    }

    /** On a subscribed RESP3 connection the pushes fall before, inside or after the reply, as from Redis. */
    @Test
    void pushesAndTheReplyComeInRedisOrder() {
        try (SelfSubscriber self = new SelfSubscriber(d, classes)) {
            self.run("sadd", "s", "1", "2", "3"); // sadd, then the reply
            self.run("sadd", "s", "1");
            self.run("srem", "s", "1"); // srem, then the reply
            self.run("spop", "s", "5"); // spop, reply, del
            self.run("sadd", "s", "1", "2");
            self.run("spop", "s", "2");
            self.run("sadd", "s", "7");
            self.run("spop", "s"); // spop, reply, del
            self.run("sadd", "s", "1", "2");
            self.run("smove", "s", "t", "1");
            self.run("sinterstore", "d", "s", "s"); // reply, then sinterstore
            self.run("sinterstore", "d", "s", "missing"); // del, then the reply
            self.run("sunionstore", "d", "s");
            self.run("sdiffstore", "d", "s", "s"); // reply, then del
            self.run("srem", "s", "2"); // srem, del, reply
        }
        d.assertNoDivergence();
    }

    private static final String[] KEYS = {"s0", "s1", "s2", "s3", "str"};
    private static final String[] MEMBERS = {"1", "2", "3", "4", "5", "-7", "a", "b", "c"};

    /**
     * A seeded random run over a small keyspace, every event compared (with "new" and "keymiss"
     * too). SPOP's members are random, so after each SPOP the popped key is made equal on both
     * servers again, with events off.
     */
    @Test
    void randomCommandsFireTheSameEvents() {
        d.check("config", "set", "set-max-intset-entries", "4");
        classes("AKEnm");
        Random rnd = new Random(0x5e7e);
        for (int i = 0; i < 3000; i++) {
            String k = key(rnd), k2 = key(rnd);
            switch (rnd.nextInt(14)) {
                case 0, 1, 2 -> n.run(withMembers(rnd, "sadd", k));
                case 3, 4 -> n.run(withMembers(rnd, "srem", k));
                case 5 -> {
                    if (rnd.nextBoolean()) n.run(Mode.TYPE_ONLY, "spop", k);
                    else n.run(Mode.TYPE_ONLY, "spop", k, Integer.toString(rnd.nextInt(6) - 1));
                    resync(k);
                }
                case 6, 7 -> n.run("smove", k, k2, member(rnd));
                case 8 -> n.run(withKeys(rnd, "sinterstore", k));
                case 9 -> n.run(withKeys(rnd, "sunionstore", k));
                case 10 -> n.run(withKeys(rnd, "sdiffstore", k));
                case 11 -> n.run("sismember", k, member(rnd));
                case 12 -> n.run("scard", k);
                default -> {
                    if (rnd.nextBoolean()) quietly("del", k);
                    else quietly("set", "str", "v");
                }
            }
        }
        d.check("config", "set", "set-max-intset-entries", "512");
        d.assertNoDivergence();
    }

    private static String key(Random rnd) {
        return KEYS[rnd.nextInt(KEYS.length)];
    }

    private static String member(Random rnd) {
        return MEMBERS[rnd.nextInt(MEMBERS.length)];
    }

    private static String[] withMembers(Random rnd, String cmd, String key) {
        List<String> a = new ArrayList<>(List.of(cmd, key));
        for (int j = 1 + rnd.nextInt(3); j > 0; j--) a.add(member(rnd));
        return a.toArray(String[]::new);
    }

    private static String[] withKeys(Random rnd, String cmd, String dst) {
        List<String> a = new ArrayList<>(List.of(cmd, dst));
        for (int j = 1 + rnd.nextInt(3); j > 0; j--) a.add(key(rnd));
        return a.toArray(String[]::new);
    }

    /** Makes {@code key} hold the same set on both servers (redis-server's), with events off. */
    private void resync(String key) {
        d.check("config", "set", "notify-keyspace-events", "");
        TreeSet<String> want = members(redisSide, key), have = members(emberSide, key);
        if (!want.equals(have)) {
            d.check("del", key); // events are off here
            List<String> a = new ArrayList<>(List.of("sadd", key));
            a.addAll(want);
            if (!want.isEmpty()) d.check(a.toArray(String[]::new));
        }
        d.check("config", "set", "notify-keyspace-events", classes);
    }

    private static TreeSet<String> members(RawConnection c, String key) {
        TreeSet<String> out = new TreeSet<>();
        if (c.callValue("type", key).toString().equals("set")) {
            for (RespValue v : ((RespValue.Array) c.callValue("smembers", key)).items()) out.add(v.toString());
        }
        return out;
    }
}
