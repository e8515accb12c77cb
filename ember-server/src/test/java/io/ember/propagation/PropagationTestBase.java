package io.ember.propagation;

import io.ember.testing.PropagationCapture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** One redis-server with AOF and one Ember per test class, compared after every step. */
abstract class PropagationTestBase {
    static PropagationCapture cap;

    @BeforeAll
    static void start() {
        cap = PropagationCapture.start();
    }

    @AfterAll
    static void stop() {
        cap.close();
    }

    /** Runs a command on both (replies compared) and compares what each propagated. */
    static void step(String... cmd) {
        cap.run(cmd);
        cap.compare(String.join(" ", cmd));
    }

    /** A command whose reply is random (SPOP, SRANDMEMBER...): only the propagation is compared. */
    static void stepAny(String... cmd) {
        cap.runAny(cmd);
        cap.compare(String.join(" ", cmd));
    }

    /** An absolute time {@code ms} from now, in ms or seconds. */
    static String future(long ms, boolean seconds) {
        long t = System.currentTimeMillis() + ms;
        return Long.toString(seconds ? t / 1000 : t);
    }
}
