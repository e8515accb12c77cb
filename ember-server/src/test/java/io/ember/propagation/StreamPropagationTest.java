package io.ember.propagation;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Streams: what Ember propagates equals redis-server 7.0's AOF (XADD with generated IDs and
 * trimming, XTRIM ~, XREADGROUP as XCLAIM + XGROUP SETID, XCLAIM/XAUTOCLAIM, XGROUP, XSETID...).
 * The milliseconds of generated IDs and XCLAIM's TIME come from each server's clock and are
 * compared within a tolerance.
 */
class StreamPropagationTest extends BlockingPropagationTestBase {
    @Test
    void xaddAndTrim() {
        step("XADD", "s", "1-1", "f", "v");
        step("XADD", "s", "1-*", "f", "v");
        step("XADD", "s", "2-0", "f", "v", "g", "w");
        step("XADD", "s", "MAXLEN", "2", "3-0", "f", "v");
        step("XADD", "s", "MAXLEN", "~", "2", "4-0", "f", "v");
        step("XADD", "s", "MAXLEN", "=", "10", "5-0", "f", "v");
        step("XADD", "s", "MINID", "3", "6-0", "f", "v");
        step("XADD", "s", "NOMKSTREAM", "7-0", "f", "v");
        step("XADD", "nos", "NOMKSTREAM", "7-0", "f", "v");
        step("XADD", "s", "1-0", "f", "v");
        step("XTRIM", "s", "MAXLEN", "10");
        step("XTRIM", "s", "MAXLEN", "2");
        step("XTRIM", "s", "MAXLEN", "~", "1");
        step("XTRIM", "s", "MINID", "~", "7");
        step("XTRIM", "s", "MAXLEN", "~", "0", "LIMIT", "10");
        step("XDEL", "s", "7-0", "99-0");
        step("XDEL", "s", "99-0");
        step("XSETID", "s", "100-0");
        step("XSETID", "s", "200-0", "ENTRIESADDED", "50", "MAXDELETEDID", "150-0");
        cap.assertNoDivergence();
    }

    @Test
    void generatedIds() {
        // replies are the generated IDs: compared (within the tolerance) in the propagated XADDs
        stepAny("XADD", "g", "*", "f", "v");
        stepAny("XADD", "g", "*", "f", "v");
        stepAny("XADD", "g", "MAXLEN", "1", "*", "f", "v");
        stepAny("XADD", "g2", "NOMKSTREAM", "*", "f", "v");
        stepAny("XADD", "g3", "MAXLEN", "~", "5", "*", "f", "v");
        step("XADD", "g4", "5-*", "f", "v");
        step("XADD", "g4", "5-*", "f", "v");
        cap.assertNoDivergence();
    }

    @Test
    void groups() {
        step("XADD", "q", "1-0", "a", "1");
        step("XADD", "q", "2-0", "a", "2");
        step("XADD", "q", "3-0", "a", "3");
        step("XGROUP", "CREATE", "q", "g", "0");
        step("XGROUP", "CREATE", "q", "g2", "$", "ENTRIESREAD", "2");
        step("XGROUP", "CREATE", "newq", "g", "$", "MKSTREAM");
        step("XGROUP", "CREATECONSUMER", "q", "g", "alice");
        step("XGROUP", "CREATECONSUMER", "q", "g", "alice");
        step("XREADGROUP", "GROUP", "g", "bob", "COUNT", "2", "STREAMS", "q", ">");
        step("XREADGROUP", "GROUP", "g", "bob", "STREAMS", "q", "0");
        step("XREADGROUP", "GROUP", "g", "carol", "NOACK", "STREAMS", "q", ">");
        step("XREADGROUP", "GROUP", "g", "dave", "STREAMS", "q", ">");
        step("XACK", "q", "g", "1-0", "9-0");
        step("XACK", "q", "g", "9-0");
        stepTimed("XCLAIM", "q", "g", "alice", "0", "2-0");
        stepTimed("XCLAIM", "q", "g", "alice", "0", "2-0", "JUSTID");
        stepTimed("XCLAIM", "q", "g", "alice", "0", "2-0", "IDLE", "5000", "RETRYCOUNT", "7");
        stepTimed("XCLAIM", "q", "g", "bob", "0", "3-0", "FORCE", "LASTID", "3-0");
        stepTimed("XCLAIM", "q", "g", "bob", "1000000", "2-0");
        stepTimed("XAUTOCLAIM", "q", "g", "erin", "0", "0");
        stepTimed("XAUTOCLAIM", "q", "g", "erin", "0", "0", "COUNT", "1", "JUSTID");
        step("XDEL", "q", "2-0");
        stepTimed("XAUTOCLAIM", "q", "g", "frank", "0", "0");
        step("XADD", "q", "4-0", "a", "4");
        step("XADD", "q", "5-0", "a", "5");
        step("XREADGROUP", "GROUP", "g", "gina", "STREAMS", "q", ">");
        step("XDEL", "q", "4-0");
        stepTimed("XCLAIM", "q", "g", "hank", "0", "4", "5-0");
        stepTimed("XCLAIM", "q", "g", "hank", "0", "9-0", "LASTID", "8-0");
        stepTimed("XCLAIM", "q", "g", "hank", "0", "9-0", "LASTID", "7-0");
        step("XGROUP", "SETID", "q", "g", "0");
        step("XGROUP", "SETID", "q", "g", "$", "ENTRIESREAD", "1");
        step("XGROUP", "DELCONSUMER", "q", "g", "bob");
        step("XGROUP", "DELCONSUMER", "q", "g", "nobody");
        step("XGROUP", "DESTROY", "q", "g");
        step("XGROUP", "DESTROY", "q", "g");
        cap.assertNoDivergence();
    }

    /** A command whose propagation carries a time from the server's clock (XCLAIM ... TIME ms). */
    static void stepTimed(String... cmd) {
        cap.runAny(cmd); // replies carry idle times
        cap.compare(String.join(" ", cmd));
    }

    @Test
    void blockingReadGroup() throws Exception {
        step("XGROUP", "CREATE", "bq", "g", "$", "MKSTREAM");
        cap.send(blocker, "XREADGROUP", "GROUP", "g", "c1", "BLOCK", "0", "STREAMS", "bq", ">");
        Thread.sleep(100);
        cap.run("XADD", "bq", "5-0", "f", "v");
        cap.expectReply(blocker, "XREADGROUP BLOCK");
        cap.compare("XREADGROUP BLOCK served by XADD");
        cap.send(blocker, "XREADGROUP", "GROUP", "g", "c2", "NOACK", "BLOCK", "0", "STREAMS", "bq", ">");
        Thread.sleep(100);
        cap.run("XADD", "bq", "5-1", "f", "v");
        cap.expectReply(blocker, "XREADGROUP NOACK BLOCK");
        cap.compare("XREADGROUP NOACK BLOCK served by XADD");
        cap.send(blocker, "XREAD", "BLOCK", "0", "STREAMS", "bq", "$");
        Thread.sleep(100);
        cap.run("XADD", "bq", "6-0", "f", "v");
        cap.expectReply(blocker, "XREAD BLOCK");
        cap.compare("XREAD BLOCK served by XADD");
        cap.assertNoDivergence();
    }

    @Test
    void randomStreams() {
        Random r = new Random(13);
        long id = 1;
        step("XGROUP", "CREATE", "rs", "g", "0", "MKSTREAM");
        for (int i = 0; i < 1200; i++) {
            String consumer = "c" + r.nextInt(3);
            switch (r.nextInt(9)) {
                case 0, 1, 2 -> step("XADD", "rs", r.nextBoolean() ? "MAXLEN" : "MINID", r.nextBoolean() ? "~" : "=",
                        Long.toString(r.nextInt(20) + (r.nextBoolean() ? 0 : id - 10)), (id++) + "-0", "f", "v");
                case 3 -> step("XREADGROUP", "GROUP", "g", consumer, "COUNT", "2", "STREAMS", "rs", ">");
                case 4 -> step("XACK", "rs", "g", (id - r.nextInt(5)) + "-0");
                case 5 -> stepTimed("XCLAIM", "rs", "g", consumer, "0", (id - 1 - r.nextInt(5)) + "-0", "JUSTID");
                case 6 -> stepTimed("XAUTOCLAIM", "rs", "g", consumer, "0", "0", "COUNT", "2");
                case 7 -> step("XDEL", "rs", (id - r.nextInt(5)) + "-0");
                default -> step("XTRIM", "rs", "MAXLEN", "~", Integer.toString(r.nextInt(30)));
            }
        }
        cap.assertNoDivergence();
    }
}
