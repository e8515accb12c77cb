package io.ember.pubsub;

import io.ember.testing.NotificationCheck.Runner;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Keyspace events of the bitmap commands against redis-server: "setbit" for SETBIT and BITFIELD
 * only when a bit changed or the string was created or grown, "set"/"del" for BITOP's
 * destination, none for reads, no-ops and errors; the order relative to replies on a RESP3
 * connection; class filtering; a seeded random run.
 */
class BitmapNotificationsDifferentialTest extends ScriptedNotificationsTest {
    @Override
    void script(Runner r) {
        r.run("flushall");
        quietly("rpush", "list", "a");
        r.run("setbit", "b", "7", "1"); // new + setbit
        r.run("setbit", "b", "7", "1"); // unchanged: nothing
        r.run("setbit", "b", "7", "0");
        r.run("setbit", "b", "100", "0"); // grows: setbit
        r.run("setbit", "b", "x", "1");
        r.run("setbit", "list", "1", "1");
        r.run("getbit", "b", "7");
        r.run("getbit", "missing", "7");
        r.run("bitcount", "b");
        r.run("bitcount", "missing");
        r.run("bitpos", "b", "1");
        r.run("bitpos", "missing", "0");
        r.run("set", "s", "foobar");
        r.run("bitop", "and", "dest", "s", "b"); // new + set
        r.run("bitop", "or", "dest", "s"); // set
        r.run("bitop", "not", "dest", "missing"); // empty result: del
        r.run("bitop", "xor", "dest", "missing"); // nothing to delete: nothing
        r.run("bitop", "and", "dest", "list");
        r.run("bitfield", "f", "get", "u8", "0"); // read only: nothing, key not created
        r.run("bitfield", "f", "set", "u8", "0", "0"); // created: new + setbit
        r.run("bitfield", "f", "set", "u8", "0", "0"); // unchanged: nothing
        r.run("bitfield", "f", "incrby", "u8", "0", "5", "get", "u4", "0");
        r.run("bitfield", "f", "overflow", "fail", "incrby", "u8", "0", "300"); // failed: nothing
        r.run("bitfield", "f", "overflow", "fail", "incrby", "u8", "64", "300"); // grown but failed: nothing
        r.run("bitfield", "g", "overflow", "fail", "incrby", "u8", "64", "300"); // created, failed: new only
        r.run("bitfield", "f", "set", "u8", "200", "0"); // grows: setbit
        r.run("bitfield", "f", "foo");
        r.run("bitfield", "list", "set", "u8", "0", "1");
        r.run("bitfield_ro", "f", "get", "u8", "0");
        r.run("bitfield_ro", "f", "set", "u8", "0", "1");
        r.run("exists", "f", "g", "dest");
    }

    @Override
    String[] filterClasses() {
        return new String[] {"K$", "E$", "Eg", "Eg$"};
    }

    private static final String[] KEYS = {"a", "b", "c", "d"};

    @Test
    void randomBitmapCommandsFireTheSameEvents() {
        classes("AKEnm");
        Random rnd = new Random(0xB17B17L);
        for (int i = 0; i < 3000; i++) n.run(randomCommand(rnd));
        d.assertNoDivergence();
    }

    private static String[] randomCommand(Random rnd) {
        String k = KEYS[rnd.nextInt(KEYS.length)], k2 = KEYS[rnd.nextInt(KEYS.length)];
        String off = Integer.toString(rnd.nextInt(rnd.nextBoolean() ? 16 : 400));
        String bit = Integer.toString(rnd.nextInt(2));
        return switch (rnd.nextInt(12)) {
            case 0, 1, 2 -> new String[] {"setbit", k, off, bit};
            case 3 -> new String[] {"getbit", k, off};
            case 4 -> new String[] {"bitcount", k, "0", "-1", rnd.nextBoolean() ? "bit" : "byte"};
            case 5 -> new String[] {"bitpos", k, bit};
            case 6 -> new String[] {"bitop", rnd.nextBoolean() ? "and" : "xor", k, k2, KEYS[rnd.nextInt(KEYS.length)]};
            case 7 -> new String[] {"bitop", "not", k, k2};
            case 8, 9 -> new String[] {"bitfield", k, "overflow", rnd.nextBoolean() ? "fail" : "sat", "incrby",
                rnd.nextBoolean() ? "u4" : "i8", off, Integer.toString(rnd.nextInt(40) - 20), "get", "u8", "0"};
            case 10 -> new String[] {"bitfield", k, "set", "u2", off, bit};
            default -> new String[] {"del", k};
        };
    }
}
