package io.ember.pubsub;

import io.ember.testing.NotificationCheck.Runner;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Keyspace events of the HyperLogLog commands against redis-server: "pfadd" when PFADD changed a
 * register or created the key and for every PFMERGE, none for PFCOUNT (even when it refreshes
 * the cached cardinality), PFDEBUG, no-ops and errors; order relative to replies; class
 * filtering; a seeded random run.
 */
class HyperLogLogNotificationsDifferentialTest extends ScriptedNotificationsTest {
    @Override
    void script(Runner r) {
        r.run("flushall");
        quietly("rpush", "list", "a");
        r.run("pfadd", "h", "a", "b"); // new + pfadd
        r.run("pfadd", "h", "a"); // no register changed: nothing
        r.run("pfadd", "h"); // nothing
        r.run("pfadd", "e"); // created without elements: new + pfadd
        r.run("pfcount", "h"); // refreshes the cache: no event
        r.run("pfcount", "h", "e", "missing");
        r.run("pfcount", "missing");
        r.run("pfadd", "list", "a");
        r.run("pfmerge", "m", "h", "e"); // new + pfadd
        r.run("pfmerge", "m"); // pfadd even with nothing new
        r.run("pfmerge", "m", "list");
        r.run("pfdebug", "todense", "m");
        r.run("pfdebug", "encoding", "m");
        r.run("pfdebug", "encoding", "missing");
        r.run("set", "s", "not an hll at all, long enough");
        r.run("pfadd", "s", "x");
        r.run("pfmerge", "s", "h");
        r.run("exists", "h", "e", "m");
    }

    @Override
    String[] filterClasses() {
        return new String[] {"K$", "E$", "Eg"};
    }

    private static final String[] KEYS = {"a", "b", "c"};

    @Test
    void randomHyperLogLogCommandsFireTheSameEvents() {
        classes("AKEnm");
        Random rnd = new Random(0x4711L);
        for (int i = 0; i < 3000; i++) n.run(randomCommand(rnd));
        d.assertNoDivergence();
    }

    private static String[] randomCommand(Random rnd) {
        String k = KEYS[rnd.nextInt(KEYS.length)], k2 = KEYS[rnd.nextInt(KEYS.length)];
        return switch (rnd.nextInt(8)) {
            case 0, 1, 2 -> new String[] {"pfadd", k, "e" + rnd.nextInt(60), "e" + rnd.nextInt(60)};
            case 3 -> new String[] {"pfcount", k};
            case 4 -> new String[] {"pfcount", k, k2};
            case 5 -> new String[] {"pfmerge", k, k2};
            case 6 -> new String[] {"get", k};
            default -> new String[] {"del", k};
        };
    }
}
