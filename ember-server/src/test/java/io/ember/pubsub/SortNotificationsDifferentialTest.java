package io.ember.pubsub;

import io.ember.testing.NotificationCheck.Runner;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Keyspace events of SORT ... STORE against redis-server: "sortstore" (list class) on the
 * destination, after "new" when it did not exist; "del" (generic) when an empty result removes
 * an existing destination, nothing when there was none; nothing for errors, SORT without STORE
 * and SORT_RO (only the keymiss of lookups, with m). Sources are built with notifications off:
 * their own events belong to the list, set and sorted set commands.
 */
class SortNotificationsDifferentialTest extends ScriptedNotificationsTest {

    @Override
    void script(Runner r) {
        r.run("flushall");
        quietly("rpush", "l", "3", "1", "2");
        r.run("sort", "l", "store", "dst");
        r.run("sort", "l", "store", "dst");
        r.run("sort", "l", "desc", "limit", "0", "2", "store", "dst");
        r.run("sort", "l", "limit", "5", "10", "store", "dst"); // empty: the destination is deleted
        r.run("sort", "l", "limit", "5", "10", "store", "dst"); // no destination: nothing
        r.run("sort", "nokey", "store", "dst2");
        r.run("set", "dst3", "v");
        r.run("sort", "l", "store", "dst3"); // overwrites a string: sortstore only
        r.run("set", "dst3", "v", "ex", "100");
        r.run("sort", "nokey", "store", "dst3");
        r.run("sort", "l", "store", "l"); // onto its own source
        r.run("set", "gone", "v", "exat", "1");
        r.run("sort", "l", "store", "gone"); // target reclaimed first: "expired", then "new"
        r.run("set", "gone", "v", "exat", "1");
        r.run("sort", "gone", "store", "d");

        quietly("sadd", "s", "b", "a", "c");
        r.run("sort", "s", "alpha", "store", "d");
        r.run("sort", "s", "store", "d"); // not numbers: error, no event
        r.run("sort", "s", "by", "nosort", "store", "d"); // a set with STORE is still sorted
        quietly("zadd", "z", "1", "x", "2", "y");
        r.run("sort", "z", "by", "nosort", "store", "d");
        r.run("sort", "z", "alpha", "desc", "limit", "0", "1", "store", "d");
        r.run("sort", "z", "by", "nosort", "limit", "3", "1", "store", "d");

        r.run("set", "w_1", "10");
        r.run("set", "w_2", "5");
        r.run("set", "w_3", "1");
        r.run("sort", "l", "by", "w_*", "store", "d");
        r.run("sort", "l", "by", "w_*", "get", "#", "get", "w_*", "store", "d");
        r.run("sort", "l", "get", "nokey_*", "store", "d"); // empty strings for missing values
        quietly("hset", "h_1", "f", "a");
        r.run("sort", "l", "by", "nosort", "get", "h_*->f", "store", "d");

        r.run("set", "str", "v");
        r.run("sort", "str", "store", "d");
        r.run("sort", "l", "store");
        r.run("sort", "l", "limit", "0", "x", "store", "d");
        r.run("sort", "l", "bogus", "store", "d");
        r.run("sort", "l");
        r.run("sort", "l", "by", "w_*", "get", "nokey_*");
        r.run("sort_ro", "l");
        r.run("sort_ro", "l", "store", "d");
    }

    /** sortstore is of the list class, the del of an emptied destination of the generic class. */
    @Override
    String[] filterClasses() {
        return new String[] {"Kl", "Eg"};
    }

    // ---- seeded random run ----

    private static final String[] SOURCES = {"l1", "l2", "s1", "z1", "d1", "nokey"};
    private static final String[] TARGETS = {"d1", "d2", "l2", "str"};

    /**
     * The keymiss events of BY lookups come in the order the elements were loaded. Sets hold
     * integers only, so they are intsets loaded in order on both servers; sorted sets are never
     * sorted BY a pattern here, because Redis loads them from their dict, in the order of its
     * randomly seeded hash (no reference order to compare with).
     */
    @Test
    void randomSortStoreFiresTheSameEvents() {
        classes("AKEnm");
        Random rnd = new Random(0x5027L);
        refill(rnd);
        for (int i = 0; i < 2000; i++) {
            String src = SOURCES[rnd.nextInt(SOURCES.length)], dst = TARGETS[rnd.nextInt(TARGETS.length)];
            switch (rnd.nextInt(12)) {
                case 0 -> refill(rnd);
                case 1 -> n.run("set", "w_" + rnd.nextInt(10), rnd.nextInt(8) == 0 ? "abc" : Integer.toString(rnd.nextInt(20)));
                case 2 -> n.run("del", rnd.nextBoolean() ? "w_" + rnd.nextInt(10) : dst);
                case 3 -> n.run("set", "str", "v");
                case 4 -> n.run(randomSort(rnd, src, null));
                default -> n.run(randomSort(rnd, src, dst));
            }
        }
        d.assertNoDivergence();
    }

    private void refill(Random rnd) {
        n.run("config", "set", "notify-keyspace-events", "");
        for (String k : new String[] {"l1", "l2", "s1", "z1"}) n.run("del", k);
        for (int j = 0; j < 1 + rnd.nextInt(6); j++) {
            String e = Integer.toString(rnd.nextInt(10));
            n.run("rpush", "l1", rnd.nextInt(20) == 0 ? "x" : e);
            n.run("lpush", "l2", e);
            n.run("sadd", "s1", e);
            n.run("zadd", "z1", Integer.toString(rnd.nextInt(5)), e);
        }
        n.run("config", "set", "notify-keyspace-events", classes);
    }

    private static String[] randomSort(Random rnd, String src, String store) {
        List<String> cmd = new ArrayList<>(List.of("sort", src));
        switch (rnd.nextInt(4)) {
            case 0 -> cmd.addAll(src.equals("z1") ? List.of("by", "nosort") : List.of("by", "w_*"));
            case 1 -> cmd.addAll(List.of("by", "nosort"));
            default -> { }
        }
        if (rnd.nextInt(3) == 0) cmd.addAll(List.of("limit", Integer.toString(rnd.nextInt(4) - 1), Integer.toString(rnd.nextInt(5) - 1)));
        if (rnd.nextInt(3) == 0) cmd.addAll(List.of("get", "#"));
        if (rnd.nextInt(3) == 0) cmd.addAll(List.of("get", "w_*"));
        if (rnd.nextInt(4) == 0) cmd.add("alpha");
        if (rnd.nextBoolean()) cmd.add("desc");
        if (store != null) cmd.addAll(List.of("store", store));
        return cmd.toArray(String[]::new);
    }
}
