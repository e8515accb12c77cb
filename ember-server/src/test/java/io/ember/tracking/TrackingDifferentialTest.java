package io.ember.tracking;

import io.ember.testing.Differential;
import io.ember.testing.Differential.Mode;
import org.junit.jupiter.api.Test;

/**
 * Client-side caching against redis-server over raw connections: CLIENT TRACKING's options and
 * errors, invalidation pushes in RESP3 (default mode, OPTIN, OPTOUT, NOLOOP, BCAST with
 * prefixes, flushes, expiry), the client's own writes invalidated after its reply, and RESP2
 * redirection to a subscriber of __redis__:invalidate, including a redirect that breaks.
 * A PING after each step is the fence: any message Redis sent and Ember did not (or the other
 * way round) shows up as a divergence there.
 */
class TrackingDifferentialTest {

    private static void fence(Differential d, int conn) {
        byte[] r = d.on(conn, Mode.EXACT, "ping");
        for (int i = 0; i < 100 && !new String(r).startsWith("+PONG") && !new String(r).startsWith("*2\r\n$4\r\npong"); i++) {
            r = d.next(conn, Mode.EXACT, "invalidation");
        }
    }

    @Test
    void optionsAndErrorsMatchRedis() {
        try (Differential d = new Differential()) {
            String[][] cmds = {
                {"client", "tracking"}, {"client", "tracking", "maybe"}, {"client", "tracking", "on", "bogus"},
                {"client", "tracking", "on", "prefix", "a"}, {"client", "tracking", "on", "bcast", "optin"},
                {"client", "tracking", "on", "optin", "optout"}, {"client", "tracking", "on", "redirect", "x"},
                {"client", "tracking", "on", "redirect", "999999"}, {"client", "tracking", "on", "redirect"},
                {"client", "tracking", "on", "bcast", "prefix", "ab", "prefix", "abc"},
                {"client", "tracking", "on", "bcast", "prefix", "abc", "prefix", "ab"},
                {"client", "getredir"}, {"client", "trackinginfo"}, {"client", "caching", "yes"},
                {"client", "tracking", "on", "optin"}, {"client", "trackinginfo"}, {"client", "caching", "no"},
                {"client", "caching", "maybe"}, {"client", "caching", "yes"}, {"client", "trackinginfo"},
                {"client", "tracking", "on", "optout"}, {"client", "tracking", "on", "bcast"},
                {"client", "tracking", "on", "optin", "noloop"}, {"client", "trackinginfo"}, {"client", "getredir"},
                {"client", "tracking", "off"}, {"client", "trackinginfo"},
                {"client", "tracking", "on", "bcast", "prefix", "user:", "prefix", "order:"}, {"client", "trackinginfo"},
                {"client", "tracking", "on", "bcast", "prefix", "user:1"}, {"client", "tracking", "on", "bcast", "prefix", "item:"},
                {"client", "trackinginfo"}, {"client", "tracking", "on"}, {"client", "tracking", "off"},
                {"client", "tracking", "on", "bcast"}, {"client", "trackinginfo"}, {"client", "tracking", "off"},
                {"client", "tracking", "off"}, {"client", "caching", "yes"},
            };
            for (String[] c : cmds) d.check(c);
            d.on(0, Mode.TYPE_ONLY, "hello", "3");
            d.check("client", "tracking", "on", "optout", "noloop");
            d.check("client", "trackinginfo");
            d.check("client", "caching", "no");
            d.check("client", "trackinginfo");
            d.check("get", "k");
            d.check("client", "trackinginfo"); // caching applies to one command
            d.assertNoDivergence();
        }
    }

    @Test
    void invalidationsInResp3MatchRedis() throws InterruptedException {
        try (Differential d = new Differential()) {
            int writer = 0, reader = d.newConnection();
            d.on(reader, Mode.TYPE_ONLY, "hello", "3");
            d.check("mset", "a", "1", "b", "2", "c", "3");
            d.on(reader, Mode.EXACT, "client", "tracking", "on");
            d.on(reader, Mode.EXACT, "get", "a");
            d.on(reader, Mode.EXACT, "mget", "b", "c", "nokey");
            d.on(reader, Mode.EXACT, "get", "a");
            d.check("set", "a", "10");
            fence(d, reader);
            d.check("set", "a", "11"); // already invalidated: nothing until read again
            fence(d, reader);
            d.check("del", "b", "c", "nokey");
            fence(d, reader);
            d.check("set", "nokey", "x");
            fence(d, reader);
            // The client's own write: the reply first, then the invalidation.
            d.on(reader, Mode.EXACT, "get", "a");
            d.on(reader, Mode.EXACT, "set", "a", "own");
            fence(d, reader);
            // Inside a transaction the invalidations follow EXEC's reply.
            d.on(reader, Mode.EXACT, "get", "a");
            d.on(reader, Mode.EXACT, "multi");
            d.on(reader, Mode.EXACT, "incr", "n");
            d.on(reader, Mode.EXACT, "set", "a", "tx");
            d.on(reader, Mode.EXACT, "exec");
            fence(d, reader);
            // Expiry invalidates too.
            d.on(reader, Mode.EXACT, "set", "e", "1", "px", "30");
            d.on(reader, Mode.EXACT, "get", "e");
            Thread.sleep(80);
            d.check("get", "e");
            fence(d, reader);
            // Type errors and other databases still track the key name.
            d.check("lpush", "list", "x");
            d.on(reader, Mode.EXACT, "get", "list");
            d.on(reader, Mode.EXACT, "select", "1");
            d.on(reader, Mode.EXACT, "get", "other");
            d.check("rpush", "list", "y");
            d.check("set", "other", "db0");
            fence(d, reader);
            // FLUSHALL: one null invalidation.
            d.on(reader, Mode.EXACT, "get", "a");
            d.check("flushall");
            fence(d, reader);
            // NOLOOP: no invalidation for the client's own writes.
            d.on(reader, Mode.EXACT, "select", "0");
            d.on(reader, Mode.EXACT, "client", "tracking", "on", "noloop");
            d.on(reader, Mode.EXACT, "get", "x");
            d.on(reader, Mode.EXACT, "set", "x", "mine");
            fence(d, reader);
            d.on(reader, Mode.EXACT, "get", "x");
            d.check("set", "x", "theirs");
            fence(d, reader);
            d.on(reader, Mode.EXACT, "client", "tracking", "off");
            d.on(reader, Mode.EXACT, "get", "x");
            d.check("set", "x", "untracked");
            fence(d, reader);
            d.assertNoDivergence();
        }
    }

    @Test
    void optinOptoutAndBroadcastMatchRedis() {
        try (Differential d = new Differential()) {
            int reader = d.newConnection(), bcast = d.newConnection();
            d.on(reader, Mode.TYPE_ONLY, "hello", "3");
            d.on(bcast, Mode.TYPE_ONLY, "hello", "3");
            d.on(reader, Mode.EXACT, "client", "tracking", "on", "optin");
            d.on(reader, Mode.EXACT, "get", "k1"); // not cached: no CACHING YES
            d.on(reader, Mode.EXACT, "client", "caching", "yes");
            d.on(reader, Mode.EXACT, "get", "k2");
            d.on(reader, Mode.EXACT, "get", "k3"); // CACHING YES covered one command only
            d.check("mset", "k1", "1", "k2", "2", "k3", "3");
            fence(d, reader);
            d.on(reader, Mode.EXACT, "client", "tracking", "off");
            d.on(reader, Mode.EXACT, "client", "tracking", "on", "optout");
            d.on(reader, Mode.EXACT, "get", "k1");
            d.on(reader, Mode.EXACT, "client", "caching", "no");
            d.on(reader, Mode.EXACT, "get", "k2");
            d.check("mset", "k1", "1", "k2", "2");
            fence(d, reader);

            d.on(bcast, Mode.EXACT, "client", "tracking", "on", "bcast", "prefix", "user:", "prefix", "order:", "noloop");
            d.check("mset", "user:2", "x", "user:1", "y", "item:1", "z", "order:9", "w");
            fence(d, bcast);
            d.check("set", "user:1", "again");
            d.check("del", "order:9");
            fence(d, bcast);
            d.on(bcast, Mode.EXACT, "set", "user:3", "own write, NOLOOP");
            fence(d, bcast);
            d.on(bcast, Mode.EXACT, "client", "tracking", "on", "bcast", "prefix", "item:");
            d.check("set", "item:2", "now covered");
            fence(d, bcast);
            d.check("flushdb");
            fence(d, bcast);
            d.assertNoDivergence();
        }
    }

    @Test
    void resp2RedirectionToASubscriberMatchesRedis() {
        try (Differential d = new Differential()) {
            int reader = d.newConnection(), listener = d.newConnection();
            String[] ids = d.clientIds(listener); // before subscribing: CLIENT ID is refused after
            d.on(listener, Mode.EXACT, "subscribe", "__redis__:invalidate");
            d.onEach(reader, Mode.EXACT, new String[] {"client", "tracking", "on", "redirect", ids[0]},
                    new String[] {"client", "tracking", "on", "redirect", ids[1]});
            d.on(reader, Mode.TYPE_ONLY, "client", "getredir"); // the IDs differ
            d.on(reader, Mode.EXACT, "get", "r");
            d.check("set", "r", "1");
            fence(d, listener);
            d.on(reader, Mode.EXACT, "get", "r");
            d.check("flushall");
            fence(d, listener);
            d.on(reader, Mode.EXACT, "client", "tracking", "off");
            d.on(reader, Mode.EXACT, "get", "r");
            d.check("set", "r", "2"); // tracking off: nothing
            fence(d, listener);

            // A RESP3 client whose redirect target disconnects is told once, then flagged.
            int resp3 = d.newConnection(), target = d.newConnection();
            d.on(resp3, Mode.TYPE_ONLY, "hello", "3");
            String[] t = d.clientIds(target);
            d.onEach(resp3, Mode.EXACT, new String[] {"client", "tracking", "on", "redirect", t[0]},
                    new String[] {"client", "tracking", "on", "redirect", t[1]});
            d.on(resp3, Mode.EXACT, "get", "s");
            d.on(target, Mode.EXACT, "quit");
            d.check("set", "s", "1");
            d.on(resp3, Mode.TYPE_ONLY, "ping"); // reads the tracking-redir-broken push (its ID differs)
            d.next(resp3, Mode.EXACT, "the PING reply after the push");
            d.on(resp3, Mode.EXACT, "get", "s");
            d.check("set", "s", "2"); // still broken: told again at each invalidation
            d.on(resp3, Mode.TYPE_ONLY, "ping");
            d.next(resp3, Mode.EXACT, "the PING reply after the push");
            d.on(resp3, Mode.TYPE_ONLY, "client", "trackinginfo"); // the redirect ID differs
            d.assertNoDivergence();
        }
    }
}
