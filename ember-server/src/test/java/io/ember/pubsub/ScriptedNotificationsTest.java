package io.ember.pubsub;

import io.ember.testing.NotificationCheck.Runner;
import io.ember.testing.SelfSubscriber;
import org.junit.jupiter.api.Test;

/**
 * A family whose commands are covered by one script, run four ways (JUnit runs these tests once
 * per subclass): with every event class, with "new" and "keymiss" too, under narrower class
 * strings, and on a RESP3 connection subscribed to its own events (the order of events relative
 * to each reply; a separate subscriber sees only their order among themselves).
 */
abstract class ScriptedNotificationsTest extends NotificationsDifferentialTestBase {
    /** Every command of the family, with its no-op, error and emptying paths. */
    abstract void script(Runner r);

    /** The narrower notify-keyspace-events values {@link #onlyEnabledClassesArePublished} runs under. */
    abstract String[] filterClasses();

    /** What runs under each of {@link #filterClasses}: the script unless a family has a shorter one. */
    void filterScript(Runner r) {
        script(r);
    }

    /** The classes of the RESP3 self-subscribed run. */
    String selfSubscriberClasses() {
        return "AKEnm";
    }

    @Test
    void everyCommandFiresRedisEvents() {
        script(n::run);
        d.assertNoDivergence();
    }

    /** With n and m: "new" before the command's own event, "keymiss" of read lookups, in order. */
    @Test
    void newAndKeymissEventsInterleaveAsInRedis() {
        classes("AKEnm");
        script(n::run);
        d.assertNoDivergence();
    }

    /** Only the enabled classes and channels are published. */
    @Test
    void onlyEnabledClassesArePublished() {
        for (String cls : filterClasses()) {
            classes(cls);
            filterScript(n::run);
        }
        d.assertNoDivergence();
    }

    @Test
    void eventsComeBeforeOrAfterTheReplyAsInRedis() {
        classes = selfSubscriberClasses(); // what quietly() restores; SelfSubscriber sets it on both
        try (SelfSubscriber self = new SelfSubscriber(d, classes)) {
            script(self::run);
        }
        d.assertNoDivergence();
    }
}
