package io.ember.pubsub;

import io.ember.testing.Differential;
import io.ember.testing.NotificationCheck;
import org.junit.jupiter.api.Test;

/**
 * notify-keyspace-events against redis-server: how each class string is parsed and printed, and
 * the events fired outside commands' own code — new keys (n), lazy expiry (x), key misses (m).
 */
class KeyspaceEventsConfigDifferentialTest {

    @Test
    void classStringsAreParsedAndPrintedAsByRedis() {
        String[] values = {"", "K", "E", "KE", "A", "AKE", "KEA", "g$lshzxetd", "g$lshzxetdKE", "Ag", "Kx", "Ex",
            "Km", "KEm", "An", "KEn", "nKE", "AKEmn", "gK", "$E", "lshz", "KEg$", "t", "d", "e", "AKEt",
            "b", "KEb", "a", "k", " ", "KE ", "K E"};
        try (Differential d = new Differential()) {
            for (String v : values) {
                d.check("config", "set", "notify-keyspace-events", v);
                d.check("config", "get", "notify-keyspace-events");
            }
            d.check("config", "set", "notify-keyspace-events", "K", "E");
            d.assertNoDivergence();
        }
    }

    @Test
    void newExpiredAndKeymissEventsMatchRedis() throws InterruptedException {
        try (Differential d = new Differential()) {
            NotificationCheck n = new NotificationCheck(d, "AKEmn");
            n.run("set", "a", "1", "px", "20");
            n.run("get", "missing");
            n.run("exists", "missing");
            Thread.sleep(60);
            n.run("get", "a"); // lazily expired: "expired", then the miss
            n.run("config", "set", "notify-keyspace-events", "Kx");
            n.run("set", "b", "1", "px", "20");
            Thread.sleep(60);
            n.run("get", "b");
            n.run("config", "set", "notify-keyspace-events", "Em");
            n.run("get", "nothing");
            n.run("select", "3");
            n.run("config", "set", "notify-keyspace-events", "KEmn");
            n.run("get", "in-db-3");
            d.assertNoDivergence();
        }
    }
}
