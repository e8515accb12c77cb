package io.ember.pubsub;

import io.ember.testing.NotificationCheck.Runner;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Keyspace events of the string commands against redis-server: every command with its no-op
 * and error paths (no event), the side events of SET/GETEX options (expire, persist, del), the
 * order of events and replies on a RESP3 connection receiving its own events, class filtering,
 * and a seeded random run. (Active expiry is off: see
 * {@link NotificationsDifferentialTestBase}.)
 */
class StringNotificationsDifferentialTest extends ScriptedNotificationsTest {
    /** Every string command, its options, no-ops and errors. */
    @Override
    void script(Runner r) {
        String future = Long.toString(System.currentTimeMillis() / 1000 + 100_000);
        String futureMs = Long.toString(System.currentTimeMillis() + 100_000_000L);
        r.run("flushall");
        quietly("rpush", "list", "a", "b");

        // SET and its options: new + set, then expire for EX/PX/EXAT/PXAT (also on overwrite).
        r.run("set", "s", "v");
        r.run("set", "s", "v2");
        r.run("set", "s", "v3", "nx"); // exists: no event
        r.run("set", "s", "v4", "xx");
        r.run("set", "nokey", "v", "xx"); // missing: no event
        r.run("set", "s2", "v", "nx");
        r.run("set", "s", "v5", "get");
        r.run("set", "s3", "v", "get"); // missing: null reply first, then events
        r.run("set", "s", "1", "ex", "100");
        r.run("set", "s", "2", "px", "100000");
        r.run("set", "s", "3", "exat", future);
        r.run("set", "s", "4", "pxat", futureMs);
        r.run("set", "s", "5", "keepttl");
        r.run("set", "s", "6", "ex", "100", "get");
        r.run("set", "s", "7", "xx", "get", "px", "5000000");
        r.run("set", "s", "8", "nx", "get"); // exists: the old value, no event
        r.run("set", "list", "v", "get"); // WRONGTYPE: no event
        r.run("set", "s", "v", "ex", "0");
        r.run("set", "s", "v", "ex", "abc");
        r.run("set", "s", "v", "px", "-5");
        r.run("set", "s", "v", "nx", "xx");
        r.run("set", "s", "v", "keepttl", "ex", "10");
        r.run("set", "s", "v", "ex");
        r.run("set", "s", "v", "bogus");
        r.run("set", "past", "v", "exat", "1"); // stored already expired
        r.run("get", "past"); // lazily expired: "expired"
        quietly("rpush", "list2", "x");
        r.run("set", "list2", "now-a-string"); // overwrites another type: set only

        r.run("setnx", "nx", "1");
        r.run("setnx", "nx", "2");
        r.run("setex", "ex", "100", "v");
        r.run("setex", "ex", "100", "v2");
        r.run("setex", "ex", "0", "v");
        r.run("setex", "ex", "x", "v");
        r.run("psetex", "pex", "100000", "v");
        r.run("psetex", "pex", "-1", "v");

        r.run("getset", "gs", "1");
        r.run("getset", "gs", "2");
        r.run("set", "gs", "3", "ex", "100");
        r.run("getset", "gs", "4"); // drops the TTL, no persist event
        r.run("getset", "list", "x");

        r.run("getdel", "gs");
        r.run("getdel", "gs");
        r.run("getdel", "list");

        r.run("set", "ge", "v");
        r.run("getex", "ge");
        r.run("getex", "ge", "persist"); // no TTL: no event
        r.run("getex", "ge", "ex", "100");
        r.run("getex", "ge", "px", "100000");
        r.run("getex", "ge", "exat", future);
        r.run("getex", "ge", "pxat", futureMs);
        r.run("getex", "ge", "persist");
        r.run("getex", "ge", "ex", "0");
        r.run("getex", "ge", "ex", "nan");
        r.run("getex", "ge", "ex", "10", "px", "10");
        r.run("getex", "ge", "keepttl");
        r.run("getex", "ge", "exat", "1"); // already past: del
        r.run("getex", "ge", "ex", "10");
        r.run("set", "ge", "v");
        r.run("getex", "ge", "pxat", "1");
        r.run("getex", "list", "ex", "10");
        r.run("getex", "missing", "ex", "10");

        r.run("mset", "m1", "1", "m2", "2", "m1", "3");
        r.run("mset", "m1", "1", "m2");
        r.run("mset", "list", "overwritten");
        quietly("rpush", "list", "a", "b");
        r.run("msetnx", "m1", "x", "m9", "y"); // one exists: nothing
        r.run("msetnx", "n1", "x", "n2", "y", "n1", "z");
        r.run("msetnx", "n3");

        r.run("append", "ap", "x");
        r.run("append", "ap", "yz");
        r.run("append", "ap", "");
        r.run("append", "list", "x");

        r.run("incr", "i");
        r.run("incr", "i");
        r.run("decr", "i");
        r.run("decr", "d");
        r.run("incrby", "i", "10");
        r.run("incrby", "i", "x");
        r.run("decrby", "i", "3");
        r.run("decrby", "i", "-9223372036854775808");
        r.run("set", "big", "9223372036854775807");
        r.run("incr", "big"); // overflow: no event
        r.run("incr", "ap"); // not an integer
        r.run("incr", "list");
        r.run("incrbyfloat", "f", "1.5");
        r.run("incrbyfloat", "f", "2");
        r.run("incrbyfloat", "i", "0.25");
        r.run("incrbyfloat", "f", "abc");
        r.run("incrbyfloat", "f", "inf");
        r.run("incrbyfloat", "ap", "1");
        r.run("incrbyfloat", "list", "1");
        r.run("set", "ttl", "5", "ex", "100");
        r.run("incr", "ttl"); // keeps the TTL, no expire/persist event
        r.run("incrbyfloat", "ttl", "1");

        r.run("setrange", "sr", "0", ""); // missing, nothing to write: no key, no event
        r.run("setrange", "sr", "3", "ab");
        r.run("setrange", "sr", "0", "X");
        r.run("setrange", "sr", "1", ""); // nothing to write: no event
        r.run("setrange", "sr", "-1", "x");
        r.run("setrange", "sr", "x", "x");
        r.run("setrange", "sr", "600000000", "x"); // too long
        r.run("setrange", "list", "0", "x");
        r.run("setrange", "i", "0", "7");

        // Reads fire nothing (misses only with m).
        r.run("get", "s");
        r.run("get", "missing");
        r.run("mget", "s", "missing", "list");
        r.run("strlen", "s");
        r.run("getrange", "s", "0", "-1");
        r.run("substr", "s", "0", "1");
        r.run("lcs", "s", "ap");
        r.run("lcs", "s", "ap", "len");
        r.run("lcs", "s", "nothing", "idx");
    }

    /** String events on the keyspace channel only; generic ones, then expiry ones, on keyevent. */
    @Override
    String[] filterClasses() {
        return new String[] {"K$", "Eg", "Ex"};
    }

    // ---- seeded random run ----

    private static final String[] KEYS = {"a", "b", "c", "d", "e"};
    private static final String[] VALUES = {"1", "-7", "10", "abc", "", "1.5", "9223372036854775807", "x y"};

    @Test
    void randomStringCommandsFireTheSameEvents() {
        classes("AKEnm");
        Random rnd = new Random(0x57121E5L);
        for (int i = 0; i < 3000; i++) {
            String[] cmd = randomCommand(rnd);
            if (cmd[0].equals("rpush")) quietly(cmd);
            else n.run(cmd);
        }
        d.assertNoDivergence();
    }

    private static String[] randomCommand(Random rnd) {
        String k = KEYS[rnd.nextInt(KEYS.length)], k2 = KEYS[rnd.nextInt(KEYS.length)];
        String v = VALUES[rnd.nextInt(VALUES.length)];
        String ttl = Integer.toString(100 + rnd.nextInt(1000));
        return switch (rnd.nextInt(24)) {
            case 0, 1 -> setWithOptions(rnd, k, v);
            case 2 -> new String[] {"setnx", k, v};
            case 3 -> new String[] {"setex", k, rnd.nextInt(8) == 0 ? "0" : ttl, v};
            case 4 -> new String[] {"psetex", k, ttl + "000", v};
            case 5 -> new String[] {"getset", k, v};
            case 6 -> new String[] {"getdel", k};
            case 7 -> getexWithOptions(rnd, k);
            case 8 -> new String[] {"mset", k, v, k2, VALUES[rnd.nextInt(VALUES.length)]};
            case 9 -> new String[] {"msetnx", k, v, k2, v};
            case 10 -> new String[] {"append", k, v};
            case 11 -> new String[] {"incr", k};
            case 12 -> new String[] {"decr", k};
            case 13 -> new String[] {"incrby", k, Integer.toString(rnd.nextInt(200) - 100)};
            case 14 -> new String[] {"decrby", k, Integer.toString(rnd.nextInt(200) - 100)};
            case 15 -> new String[] {"incrbyfloat", k, rnd.nextBoolean() ? "0.5" : v};
            case 16 -> new String[] {"setrange", k, Integer.toString(rnd.nextInt(6)), rnd.nextInt(4) == 0 ? "" : "zz"};
            case 17 -> new String[] {"get", k};
            case 18 -> new String[] {"mget", k, k2};
            case 19 -> new String[] {"del", k, k2};
            case 20 -> new String[] {"expire", k, rnd.nextInt(4) == 0 ? "-1" : ttl};
            case 21 -> new String[] {"persist", k};
            case 22 -> new String[] {"strlen", k};
            default -> rnd.nextInt(4) == 0 ? new String[] {"rpush", k, "x"} : new String[] {"exists", k};
        };
    }

    private static String[] setWithOptions(Random rnd, String k, String v) {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("set", k, v));
        switch (rnd.nextInt(4)) {
            case 0 -> cmd.add("nx");
            case 1 -> cmd.add("xx");
            default -> { }
        }
        if (rnd.nextInt(3) == 0) cmd.add("get");
        switch (rnd.nextInt(7)) {
            case 0 -> cmd.addAll(java.util.List.of("ex", Integer.toString(100 + rnd.nextInt(100))));
            case 1 -> cmd.addAll(java.util.List.of("px", Integer.toString(100_000 + rnd.nextInt(100))));
            case 2 -> cmd.addAll(java.util.List.of("exat", rnd.nextBoolean() ? "1" : Long.toString(System.currentTimeMillis() / 1000 + 1000)));
            case 3 -> cmd.add("keepttl");
            default -> { }
        }
        return cmd.toArray(String[]::new);
    }

    private static String[] getexWithOptions(Random rnd, String k) {
        return switch (rnd.nextInt(6)) {
            case 0 -> new String[] {"getex", k};
            case 1 -> new String[] {"getex", k, "persist"};
            case 2 -> new String[] {"getex", k, "ex", Integer.toString(100 + rnd.nextInt(100))};
            case 3 -> new String[] {"getex", k, "pxat", rnd.nextBoolean() ? "1" : Long.toString(System.currentTimeMillis() + 1_000_000)};
            case 4 -> new String[] {"getex", k, "exat", "1"};
            default -> new String[] {"getex", k, "ex", "-1"};
        };
    }
}
