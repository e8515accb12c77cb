package io.ember.pubsub;

import io.ember.testing.Differential.Mode;
import io.ember.testing.NotificationCheck.Runner;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Keyspace notifications of the hash commands against redis-server 7.0: every write with its
 * no-op and error paths and the deletion of an emptied hash, seen by a separate subscriber (order
 * of events) and by a RESP3 connection subscribed to its own events (order relative to the
 * reply); reads fire nothing but "keymiss"; class filtering; a seeded random run.
 */
class HashNotificationsDifferentialTest extends ScriptedNotificationsTest {

    @Override
    void script(Runner p) {
        // HSET, HMSET: "new" for a created hash, then hset, even when no field was added
        p.run("hset", "h", "f1", "v1", "f2", "v2");
        p.run("hset", "h", "f1", "v1");
        p.run("hset", "h", "f1");
        p.run("hmset", "h", "f3", "v3", "f4", "v4");
        p.run("hmset", "h2", "a", "1");
        p.run("hmset", "h2", "a");
        // HSETNX: nothing when the field exists
        p.run("hsetnx", "h", "f1", "x");
        p.run("hsetnx", "h", "f5", "v5");
        p.run("hsetnx", "h3", "f", "v");
        // wrong type: an error and nothing published
        p.run("rpush", "list", "a");
        p.run("hset", "list", "f", "v");
        p.run("hmset", "list", "f", "v");
        p.run("hsetnx", "list", "f", "v");
        p.run("hdel", "list", "f");
        p.run("hincrby", "list", "f", "1");
        p.run("hincrbyfloat", "list", "f", "1");
        // HDEL: hdel when something went, then del when the hash is empty
        p.run("hdel", "h", "nosuch");
        p.run("hdel", "missing", "f");
        p.run("hdel", "h", "f1", "nosuch", "f2");
        p.run("hdel", "h", "f3", "f4", "f5", "f5");
        p.run("exists", "h");
        p.run("hdel", "h3", "f");
        // HINCRBY
        p.run("hincrby", "c", "n", "5");
        p.run("hincrby", "c", "n", "-7");
        p.run("hincrby", "c", "n", "x");
        p.run("hincrby", "c", "n", "9223372036854775808");
        p.run("hset", "c", "s", "abc", "big", "9223372036854775807", "f", "1.5");
        p.run("hincrby", "c", "s", "1");
        p.run("hincrby", "c", "big", "1");
        p.run("hincrby", "c", "big", "0");
        p.run("hincrby", "c", "f", "1");
        p.run("hincrby", "c2", "new", "-1");
        // HINCRBYFLOAT
        p.run("hincrbyfloat", "c", "fl", "1.5");
        p.run("hincrbyfloat", "c", "fl", "-0.25");
        p.run("hincrbyfloat", "c", "n", "3");
        p.run("hincrbyfloat", "c", "fl", "x");
        p.run("hincrbyfloat", "c", "fl", "inf");
        p.run("hincrbyfloat", "c", "fl", "nan");
        p.run("hincrbyfloat", "c", "s", "1");
        p.run("hincrbyfloat", "c3", "f", "2.5e3");
        // reads fire nothing of their own (a miss is "keymiss", class m)
        p.run("hget", "c", "n");
        p.run("hget", "missing", "f");
        p.run("hmget", "c", "n", "nosuch");
        p.run("hmget", "missing", "f");
        p.run("hlen", "c");
        p.run("hlen", "missing");
        p.run("hstrlen", "c", "s");
        p.run("hexists", "c", "s");
        p.run("hexists", "missing", "s");
        p.run("hkeys", "c");
        p.run("hvals", "c");
        p.run("hgetall", "c");
        p.run("hgetall", "missing");
        p.run("hrandfield", "h2");
        p.run("hrandfield", "missing", "2");
        p.run("hscan", "c2", "0");
        p.run("hscan", "missing", "0");
        // a hashtable-encoded hash fires the same events, and is deleted when emptied too
        p.run("hset", "big", "f", "x".repeat(100), "g", "1");
        p.run("hincrby", "big", "g", "2");
        p.run("hdel", "big", "f");
        p.run("hdel", "big", "g");
        p.run("exists", "big");
        // a transaction fires as EXEC runs its commands
        p.run("multi");
        p.run("hset", "tx", "a", "1");
        p.run("hincrby", "tx", "a", "1");
        p.run("hdel", "tx", "a");
        p.run("hsetnx", "tx", "b", "2");
        p.run("exec");
        // another database
        p.run("select", "3");
        p.run("hset", "h", "f", "v");
        p.run("hincrbyfloat", "h", "f2", "1");
        p.run("hdel", "h", "f", "f2");
        p.run("select", "0");
    }

    /** Hash events on either channel alone; generic ones; another family's (nothing); all. */
    @Override
    String[] filterClasses() {
        return new String[] {"Kh", "Eh", "Eg", "Kg", "KEl", "Ehg", "KEA"};
    }

    /** Every hash write once, ending with the key deleted, so each class starts from nothing. */
    @Override
    void filterScript(Runner p) {
        p.run("hset", "k", "a", "1", "b", "2");
        p.run("hincrby", "k", "a", "1");
        p.run("hincrbyfloat", "k", "b", "0.5");
        p.run("hsetnx", "k", "c", "3");
        p.run("hdel", "k", "a", "b", "c");
    }

    private static final String[] KEYS = {"a", "b", "c", "d"};
    private static final String[] FIELDS = {"f1", "f2", "f3", "f4", "f5"};
    private static final String[] VALUES = {"0", "7", "-3", "1.5", "abc", "", "9223372036854775807", "x".repeat(70)};
    private static final String[] INCREMENTS = {"1", "-1", "100", "x", "9223372036854775807", "2.5", "-0.5"};

    /** A seeded random mix of the hash writes and a few reads over four keys (sometimes a list, popped away again). */
    @Test
    void randomCommandsFireTheSameEvents() {
        Random rnd = new Random(7_0_15);
        classes("AKEmn");
        for (int i = 0; i < 3000; i++) {
            String k = pick(rnd, KEYS), f = pick(rnd, FIELDS), f2 = pick(rnd, FIELDS), v = pick(rnd, VALUES);
            String[] cmd = switch (rnd.nextInt(16)) {
                case 0, 1, 2 -> new String[] {"hset", k, f, v};
                case 3 -> new String[] {"hset", k, f, v, f2, pick(rnd, VALUES)};
                case 4 -> new String[] {"hmset", k, f, v};
                case 5 -> new String[] {"hsetnx", k, f, v};
                case 6, 7 -> new String[] {"hdel", k, f};
                case 8 -> new String[] {"hdel", k, f, f2, pick(rnd, FIELDS)};
                case 9, 10 -> new String[] {"hincrby", k, f, pick(rnd, INCREMENTS)};
                case 11 -> new String[] {"hincrbyfloat", k, f, pick(rnd, INCREMENTS)};
                case 12 -> new String[] {"hget", k, f};
                case 13 -> new String[] {"hlen", k};
                case 14 -> rnd.nextInt(3) == 0 ? new String[] {"rpush", k, v} : new String[] {"rpop", k, "100"};
                default -> new String[] {"hexists", k, f};
            };
            n.run(Mode.EXACT, cmd);
        }
        d.assertNoDivergence();
    }

    private static String pick(Random rnd, String[] from) {
        return from[rnd.nextInt(from.length)];
    }
}
