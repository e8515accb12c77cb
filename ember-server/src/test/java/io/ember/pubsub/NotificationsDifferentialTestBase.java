package io.ember.pubsub;

import io.ember.testing.Differential;
import io.ember.testing.NotificationCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every keyspace-notification differential test shares: its own redis-server and Ember per
 * test (a subscriber that fell out of step would blur every later comparison), active expiry off
 * on both (keys set with a past time go only through a command's lookup, "expired", identically),
 * a {@link NotificationCheck} subscribed from the start with {@link #classes} in force, and
 * {@link #quietly} for keys of other families whose events are not under test.
 */
abstract class NotificationsDifferentialTestBase {
    Differential d;
    NotificationCheck n;
    /** The notify-keyspace-events value in force (restored after {@link #quietly}). */
    String classes = "AKE";

    @BeforeEach
    void startServers() {
        d = new Differential();
        d.check("debug", "set-active-expire", "0");
        n = new NotificationCheck(d, classes);
    }

    @AfterEach
    void stopServers() {
        d.close();
    }

    /** Sets notify-keyspace-events on both servers (through the check: its events are compared too). */
    void classes(String value) {
        classes = value;
        n.run("config", "set", "notify-keyspace-events", value);
    }

    /** Runs a command with events off on both servers (setting up keys of other types). */
    void quietly(String... cmd) {
        d.check("config", "set", "notify-keyspace-events", "");
        d.check(cmd);
        d.check("config", "set", "notify-keyspace-events", classes);
    }
}
