package io.ember.pubsub;

import io.ember.testing.BlockingPair;
import io.ember.testing.NotificationCheck.Runner;
import io.ember.testing.RawConnection;
import io.ember.testing.SelfSubscriber;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Keyspace notifications of the list commands against redis-server 7.0: every command with its
 * no-op, error and emptying paths, seen by a separate subscriber (order of events) and by a RESP3
 * connection subscribed to its own events (order of events relative to the reply); blocking pops
 * served at once, inside MULTI and later by a push; class filtering; a seeded random run.
 */
class ListNotificationsDifferentialTest extends ScriptedNotificationsTest {

    /** Every list command, with its no-op, error and emptying paths. */
    @Override
    void script(Runner p) {
        // pushes: "new" for a created key, then lpush/rpush; nothing for a missing key with *X or errors
        p.run("rpush", "l", "a", "b", "c");
        p.run("lpush", "l", "x", "y");
        p.run("lpush", "n", "1");
        p.run("lpushx", "l", "p");
        p.run("rpushx", "l", "q", "r");
        p.run("lpushx", "missing", "a");
        p.run("rpushx", "missing", "a", "b");
        p.run("hset", "h", "f", "v");
        p.run("lpush", "h", "a");
        p.run("rpushx", "h", "a");
        p.run("lpush", "l");
        // pops: lpop/rpop, then del once empty; nothing for count 0, a missing key or errors
        p.run("lpop", "l");
        p.run("rpop", "l");
        p.run("lpop", "l", "2");
        p.run("rpop", "l", "2");
        p.run("lpop", "l", "0");
        p.run("lpop", "missing");
        p.run("rpop", "missing", "3");
        p.run("lpop", "l", "-1");
        p.run("lpop", "l", "x");
        p.run("lpop", "l", "1", "2");
        p.run("rpop", "h");
        p.run("rpop", "l", "100");
        p.run("lpop", "n");
        p.run("exists", "l", "n");
        // reads fire nothing of their own (a miss is "keymiss", class m)
        p.run("rpush", "r", "a", "b", "a");
        p.run("llen", "r");
        p.run("lindex", "r", "1");
        p.run("lrange", "r", "0", "-1");
        p.run("lpos", "r", "a", "count", "0");
        p.run("llen", "missing");
        p.run("lrange", "missing", "0", "-1");
        p.run("lpos", "missing", "a");
        // LSET, LINSERT
        p.run("lset", "r", "0", "A");
        p.run("lset", "r", "-1", "Z");
        p.run("lset", "r", "10", "x");
        p.run("lset", "r", "x", "x");
        p.run("lset", "missing", "0", "x");
        p.run("lset", "h", "0", "x");
        p.run("linsert", "r", "before", "b", "B");
        p.run("linsert", "r", "after", "Z", "end");
        p.run("linsert", "r", "after", "nosuch", "x");
        p.run("linsert", "missing", "before", "a", "x");
        p.run("linsert", "r", "middle", "a", "x");
        p.run("linsert", "h", "before", "a", "x");
        // LREM: lrem when something went, del when that emptied the list
        p.run("lrem", "r", "0", "nosuch");
        p.run("lrem", "r", "1", "B");
        p.run("lrem", "r", "x", "a");
        p.run("lrem", "missing", "1", "a");
        p.run("lrem", "h", "1", "a");
        p.run("rpush", "same", "a", "a", "a");
        p.run("lrem", "same", "-2", "a");
        p.run("lrem", "same", "0", "a");
        p.run("exists", "same");
        // LTRIM: ltrim even when nothing is trimmed, del when the range is empty
        p.run("ltrim", "r", "0", "-1");
        p.run("ltrim", "r", "1", "-2");
        p.run("ltrim", "missing", "0", "1");
        p.run("ltrim", "h", "0", "1");
        p.run("ltrim", "r", "x", "1");
        p.run("ltrim", "r", "5", "2");
        p.run("exists", "r");
        // LMOVE, RPOPLPUSH: destination's "new" and push, then the source's pop and del
        p.run("rpush", "src", "a", "b", "c", "d");
        p.run("lmove", "src", "dst", "left", "right");
        p.run("lmove", "src", "dst", "right", "left");
        p.run("lmove", "src", "src", "left", "right");
        p.run("lmove", "src", "dst", "RIGHT", "RIGHT");
        p.run("lmove", "src", "dst", "left", "left");
        p.run("lmove", "src", "dst", "left", "left");
        p.run("lmove", "dst", "h", "left", "left");
        p.run("lmove", "h", "dst", "left", "left");
        p.run("lmove", "dst", "dst", "up", "left");
        p.run("rpoplpush", "dst", "other");
        p.run("rpoplpush", "missing", "other");
        p.run("rpush", "one", "x");
        p.run("rpoplpush", "one", "one");
        p.run("lmove", "one", "one", "left", "left");
        p.run("rpoplpush", "one", "two");
        p.run("lrange", "two", "0", "-1");
        // LMPOP
        p.run("rpush", "m", "1", "2", "3");
        p.run("lmpop", "2", "missing", "m", "left", "count", "2");
        p.run("lmpop", "1", "m", "right", "count", "10");
        p.run("lmpop", "1", "m", "left");
        p.run("lmpop", "2", "h", "m", "left");
        p.run("lmpop", "0", "m", "left");
        p.run("lmpop", "1", "m", "middle");
        p.run("lmpop", "1", "m", "left", "count", "0");
        // blocking commands that can be served at once
        p.run("rpush", "b1", "a", "b");
        p.run("blpop", "missing", "b1", "0");
        p.run("brpop", "b1", "0");
        p.run("rpush", "b2", "a", "b", "c");
        p.run("blmove", "b2", "b3", "right", "left", "0");
        p.run("brpoplpush", "b2", "b3", "0");
        p.run("blmpop", "0", "2", "missing", "b3", "right", "count", "5");
        p.run("blmpop", "0", "1", "b2", "left");
        p.run("blpop", "h", "0");
        p.run("blmove", "h", "x", "left", "left", "0");
        p.run("blpop", "b1", "x");
        p.run("blpop", "b1", "-1");
        // inside MULTI they never block; the transaction's writes fire as EXEC runs them
        p.run("multi");
        p.run("blpop", "missing", "0");
        p.run("rpush", "tx", "a");
        p.run("blmove", "missing", "tx", "left", "left", "0");
        p.run("blmpop", "0", "1", "tx", "left", "count", "5");
        p.run("brpoplpush", "missing", "tx", "0");
        p.run("exec");
        // another database
        p.run("select", "3");
        p.run("rpush", "l3", "a");
        p.run("lmove", "l3", "l3b", "left", "left");
        p.run("select", "0");
    }

    /** List events on either channel alone; generic ones; another family's (nothing); all. */
    @Override
    String[] filterClasses() {
        return new String[] {"Kl", "El", "Eg", "Kg", "KEh", "K$", "KEA"};
    }

    /** A few list writes, ending with FLUSHALL (whose own event is not this family's), so each class starts from nothing. */
    @Override
    void filterScript(Runner p) {
        p.run("rpush", "k", "a", "b");
        p.run("lmove", "k", "k2", "left", "right");
        p.run("rpop", "k");
        p.run("ltrim", "k2", "1", "0");
        p.run("flushall");
    }

    /** With "new" but without "keymiss". */
    @Override
    String selfSubscriberClasses() {
        return "AKEn";
    }

    // ---- blocked clients served later --------------------------------------------------------

    /**
     * Clients blocked on missing keys, served by a later push: the push's events come first, then
     * the served client's (pop, the destination's "new" and push for BLMOVE, del), in the order
     * the clients are served; a client woken for a destination of the wrong type gets WRONGTYPE.
     */
    void servedLater(Runner p) {
        try (BlockingPair a = new BlockingPair(d); BlockingPair b = new BlockingPair(d)) {
            a.send("blpop", "k", "0");
            BlockingPair.awaitBlocked(d, 1);
            p.run("rpush", "k", "x", "y");
            a.read("blpop served");
            a.send("brpop", "k2", "0");
            BlockingPair.awaitBlocked(d, 1);
            p.run("lpush", "k2", "only");
            a.read("brpop served, key emptied");

            a.send("blmove", "src", "dst", "left", "right", "0");
            BlockingPair.awaitBlocked(d, 1);
            p.run("rpush", "src", "v");
            a.read("blmove served");
            a.send("brpoplpush", "src", "dst", "0");
            BlockingPair.awaitBlocked(d, 1);
            p.run("lpush", "src", "w1", "w2");
            a.read("brpoplpush served onto an existing list");

            a.send("blmove", "rot", "rot", "left", "right", "0");
            BlockingPair.awaitBlocked(d, 1);
            p.run("rpush", "rot", "r1", "r2");
            a.read("blmove rotating the list it waited for");

            p.run("hset", "hash", "f", "v");
            a.send("brpoplpush", "src2", "hash", "0");
            BlockingPair.awaitBlocked(d, 1);
            p.run("rpush", "src2", "z");
            a.read("brpoplpush woken for a wrong-type destination");

            a.send("blmpop", "0", "2", "m1", "m2", "right", "count", "5");
            BlockingPair.awaitBlocked(d, 1);
            p.run("rpush", "m2", "1", "2");
            a.read("blmpop served");

            // two clients on one key: one push serves the first, the second waits for the next
            a.send("blpop", "q", "0");
            BlockingPair.awaitBlocked(d, 1);
            b.send("brpop", "q", "0");
            BlockingPair.awaitBlocked(d, 2);
            p.run("rpush", "q", "1");
            a.read("first waiter");
            BlockingPair.awaitBlocked(d, 1);
            p.run("rpush", "q", "2", "3");
            b.read("second waiter");

            // a chain: BLMOVE's push creates the key the other client waits for
            a.send("blmove", "c1", "c2", "left", "left", "0");
            BlockingPair.awaitBlocked(d, 1);
            b.send("blpop", "c2", "0");
            BlockingPair.awaitBlocked(d, 2);
            p.run("rpush", "c1", "x");
            a.read("blmove in a chain");
            b.read("blpop served by the blmove");

            // a transaction: both pushes fire as EXEC runs, the served pops after it
            a.send("blpop", "t1", "0");
            BlockingPair.awaitBlocked(d, 1);
            b.send("blpop", "t2", "0");
            BlockingPair.awaitBlocked(d, 2);
            p.run("multi");
            p.run("rpush", "t2", "a");
            p.run("rpush", "t1", "b", "c");
            p.run("exec");
            a.read("blpop after exec");
            b.read("blpop after exec");

            // a key pushed and emptied again inside one transaction serves nobody (and misses silently)
            a.send("brpop", "gone", "0");
            BlockingPair.awaitBlocked(d, 1);
            p.run("multi");
            p.run("rpush", "gone", "a");
            p.run("lpop", "gone");
            p.run("exec");
            p.run("rpush", "gone", "b");
            a.read("brpop after the key came back");
        }
    }

    @Test
    void blockedClientsServedLaterFireTheirPopAfterThePush() {
        classes("AKEmn");
        servedLater(n::run);
        d.assertNoDivergence();
    }

    @Test
    void blockedClientsServedLaterAsSeenByTheSubscribedPusher() {
        try (SelfSubscriber self = new SelfSubscriber(d, "AKE")) {
            servedLater(self::run);
        }
        d.assertNoDivergence();
    }

    /** A RESP3 client blocked while subscribed to its own keys: its reply, then its pop's events. */
    @Test
    void aSubscribedBlockedClientSeesItsReplyBeforeItsPopEvents() {
        try (BlockingPair w = new BlockingPair(d)) {
            d.check("config", "set", "notify-keyspace-events", "KEA");
            w.send("hello", "3");
            w.skip(); // the client ids differ
            w.call("psubscribe", "__keyevent@*");
            w.send("blpop", "k", "0");
            BlockingPair.awaitBlocked(d, 1);
            d.check("rpush", "k", "a");
            for (String what : new String[] {"rpush push", "blpop reply", "lpop push", "del push"}) w.read(what);
            w.call("ping");
            d.assertNoDivergence();
        }
    }

    // ---- random run ----------------------------------------------------------------------------

    private static final String[] KEYS = {"a", "b", "c", "d"};
    private static final String[] ELEMENTS = {"x", "y", "z", "1", "22"};

    /**
     * A seeded random mix of every list command over four keys (one sometimes a hash), compared
     * with all events (also "new" and "keymiss"). Blocking commands run directly when one of
     * their keys exists (they cannot block then) and inside MULTI otherwise.
     */
    @Test
    void randomCommandsFireTheSameEvents() {
        Random rnd = new Random(20240604);
        classes("AKEmn");
        try (RawConnection peek = d.redis().raw(); RawConnection emberPeek = d.ember().raw()) {
            for (int i = 0; i < 3000; i++) {
                String k = pick(rnd, KEYS), k2 = pick(rnd, KEYS), e = pick(rnd, ELEMENTS);
                String end = rnd.nextBoolean() ? "left" : "right", end2 = rnd.nextBoolean() ? "left" : "right";
                String idx = Integer.toString(rnd.nextInt(9) - 4), idx2 = Integer.toString(rnd.nextInt(9) - 4);
                String cnt = Integer.toString(rnd.nextInt(4));
                String[] cmd = switch (rnd.nextInt(24)) {
                    case 0, 1, 2 -> new String[] {"rpush", k, e, pick(rnd, ELEMENTS)};
                    case 3, 4 -> new String[] {"lpush", k, e};
                    case 5 -> new String[] {rnd.nextBoolean() ? "lpushx" : "rpushx", k, e};
                    case 6 -> new String[] {"lpop", k};
                    case 7 -> new String[] {"rpop", k, cnt};
                    case 8 -> new String[] {"lset", k, idx, e};
                    case 9 -> new String[] {"linsert", k, rnd.nextBoolean() ? "before" : "after", e, "ins"};
                    case 10 -> new String[] {"lrem", k, idx, e};
                    case 11 -> new String[] {"ltrim", k, idx, idx2};
                    case 12 -> new String[] {"lmove", k, k2, end, end2};
                    case 13 -> new String[] {"rpoplpush", k, k2};
                    case 14 -> new String[] {"lmpop", "2", k, k2, end, "count", Integer.toString(rnd.nextInt(3) + 1)};
                    case 15 -> new String[] {"blpop", k, k2, "0"};
                    case 16 -> new String[] {"brpop", k, "0"};
                    case 17 -> new String[] {"blmove", k, k2, end, end2, "0"};
                    case 18 -> new String[] {"brpoplpush", k, k2, "0"};
                    case 19 -> new String[] {"blmpop", "0", "2", k, k2, end, "count", "2"};
                    case 20 -> new String[] {"lrange", k, idx, idx2};
                    case 21 -> new String[] {"lpos", k, e};
                    case 22 -> new String[] {"hset", k, "f", e};
                    default -> new String[] {"llen", k};
                };
                // (the peek's EXISTS fires "keymiss" on both servers alike)
                if (cmd[0].startsWith("b") && !canServe(peek, cmd) & !canServe(emberPeek, cmd)) {
                    n.run("multi");
                    n.run(cmd);
                    n.run("exec");
                } else {
                    n.run(cmd);
                }
            }
            d.assertNoDivergence();
        }
    }

    private static String pick(Random rnd, String[] from) {
        return from[rnd.nextInt(from.length)];
    }

    /** Whether a blocking command would answer at once: one of the keys it pops from exists. */
    private static boolean canServe(RawConnection redis, String[] cmd) {
        int first = cmd[0].equals("blmpop") ? 3 : 1;
        int last = switch (cmd[0]) {
            case "blmove", "brpoplpush" -> 1; // the source only
            case "blmpop" -> 4;
            default -> cmd.length - 2; // BLPOP, BRPOP: every key before the timeout
        };
        for (int i = first; i <= last; i++) {
            if (new String(redis.call("exists", cmd[i]), StandardCharsets.ISO_8859_1).equals(":1\r\n")) return true;
        }
        return false;
    }
}
