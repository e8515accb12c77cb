package io.ember.command;

import io.ember.testing.BlockingPair;
import io.ember.testing.Differential;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * XREAD BLOCK and XREADGROUP BLOCK on redis-server and Ember side by side (raw connections, the
 * blocked reply read only after the wake-up): "$" resolved when blocking, waiters woken in the
 * order they blocked by XADD, several readers served the same entry, group readers each given
 * new entries while others keep waiting, a destroyed group ending the wait with -NOGROUP,
 * timeouts, no blocking inside MULTI, XADD inside MULTI waking once EXEC ran, RESP3 map replies.
 */
class StreamBlockingTest {
    static Differential d;

    @BeforeAll
    static void start() {
        d = new Differential();
    }

    @AfterAll
    static void stop() {
        d.close();
    }

    @Test
    void xreadBlockWakesReadersInOrder() {
        try (BlockingPair a = new BlockingPair(d); BlockingPair b = new BlockingPair(d); BlockingPair w = new BlockingPair(d)) {
            w.call("del", "b:s", "b:t");
            w.call("xadd", "b:s", "1-1", "f", "v");
            a.send("xread", "block", "0", "streams", "b:s", "b:t", "$", "$");
            BlockingPair.awaitBlocked(d, 1);
            b.send("xread", "count", "1", "block", "0", "streams", "b:t", "0");
            BlockingPair.awaitBlocked(d, 2);
            w.call("xadd", "b:s", "1-0", "f", "v"); // error: not above the top item, wakes nobody
            w.call("xadd", "b:t", "5-1", "x", "1");
            a.read("xread woken by b:t");
            b.read("second xread woken by b:t");
            BlockingPair.awaitBlocked(d, 0);
            a.send("xread", "block", "0", "streams", "b:s", "$");
            BlockingPair.awaitBlocked(d, 1);
            w.call("xsetid", "b:s", "9-9"); // last ID moves without an entry: no wake-up
            w.call("xadd", "b:s", "10-1", "f", "1");
            a.read("xread after xsetid");
        }
        d.assertNoDivergence();
    }

    @Test
    void timeoutsAndMulti() {
        try (BlockingPair a = new BlockingPair(d); BlockingPair w = new BlockingPair(d)) {
            w.call("del", "m:s");
            a.call("xread", "block", "50", "streams", "m:s", "$");
            a.call("multi");
            a.call("xread", "block", "0", "streams", "m:s", "$");
            a.call("exec");
            a.send("xread", "block", "0", "streams", "m:s", "0");
            BlockingPair.awaitBlocked(d, 1);
            w.call("multi");
            w.call("xadd", "m:s", "1-1", "a", "1");
            w.call("xadd", "m:s", "2-1", "b", "2");
            w.call("exec");
            a.read("xread woken after exec");
            a.call("xread", "block", "x", "streams", "m:s", "$");
            a.call("xread", "block", "-1", "streams", "m:s", "$");
        }
        d.assertNoDivergence();
    }

    @Test
    void xreadgroupBlock() {
        try (BlockingPair a = new BlockingPair(d); BlockingPair b = new BlockingPair(d); BlockingPair w = new BlockingPair(d)) {
            w.call("del", "g:s");
            w.call("xgroup", "create", "g:s", "grp", "$", "mkstream");
            a.send("hello", "3");
            a.skip(); // client ids differ
            a.send("xreadgroup", "group", "grp", "alice", "block", "0", "streams", "g:s", ">");
            BlockingPair.awaitBlocked(d, 1);
            b.send("xreadgroup", "group", "grp", "bob", "count", "1", "block", "0", "streams", "g:s", ">");
            BlockingPair.awaitBlocked(d, 2);
            w.call("xadd", "g:s", "1-1", "f", "1");
            a.read("alice gets 1-1");
            w.call("xadd", "g:s", "2-1", "f", "2");
            b.read("bob gets 2-1");
            w.call("xpending", "g:s", "grp");
            w.call("xinfo", "groups", "g:s");
            b.send("xreadgroup", "group", "grp", "bob", "block", "0", "streams", "g:s", ">");
            BlockingPair.awaitBlocked(d, 1);
            w.call("xgroup", "destroy", "g:s", "grp");
            b.read("bob's group destroyed");
            b.call("xreadgroup", "group", "grp", "bob", "block", "10", "streams", "g:s", ">");
            w.call("xgroup", "create", "g:s", "grp2", "$");
            b.call("xreadgroup", "group", "grp2", "bob", "block", "30", "streams", "g:s", ">");
            w.call("xinfo", "groups", "g:s");
        }
        d.assertNoDivergence();
    }

    /**
     * A stream XREADGROUP waits on is deleted, overwritten, expired, renamed away or flushed: the
     * reader gets -UNBLOCKED; a plain XREAD keeps waiting; INFO errorstats counts the errors.
     */
    @Test
    void xreadgroupUnblockedWhenTheStreamGoes() {
        try (BlockingPair a = new BlockingPair(d); BlockingPair x = new BlockingPair(d); BlockingPair w = new BlockingPair(d)) {
            w.call("flushall");
            w.call("config", "resetstat");
            String[][] removals = {
                {"del", "u:s"}, {"set", "u:s", "string"}, {"pexpire", "u:s", "1"}, {"rename", "u:s", "u:other"},
                {"flushdb"}, {"flushall"}, {"unlink", "u:s"},
            };
            for (String[] removal : removals) {
                w.call("del", "u:s", "u:other");
                w.call("xgroup", "create", "u:s", "g", "$", "mkstream");
                a.send("xreadgroup", "group", "g", "c", "block", "0", "streams", "u:s", ">");
                BlockingPair.awaitBlocked(d, 1);
                w.call(removal);
                if (removal[0].equals("pexpire")) {
                    sleep(20);
                    w.call("exists", "u:s");
                }
                a.read("xreadgroup after " + String.join(" ", removal));
                BlockingPair.awaitBlocked(d, 0);
            }
            w.call("xgroup", "create", "u:s", "g", "$", "mkstream");
            x.send("xread", "block", "0", "streams", "u:s", "$");
            a.send("xreadgroup", "group", "g", "c", "block", "0", "streams", "u:s", ">");
            BlockingPair.awaitBlocked(d, 2);
            w.call("del", "u:s");
            a.read("xreadgroup after del with an xread waiting too");
            BlockingPair.awaitBlocked(d, 1);
            w.call("xadd", "u:s", "5-1", "f", "v");
            x.read("xread kept waiting, served by the new stream");
            w.call("info", "errorstats");
        }
        d.assertNoDivergence();
    }

    /** A stream that appears under a waited-for key by RENAME, COPY or MOVE serves XREAD waiters. */
    @Test
    void streamArrivingByRenameCopyOrMoveWakesXread() {
        try (BlockingPair a = new BlockingPair(d); BlockingPair w = new BlockingPair(d)) {
            String[][] arrivals = {{"rename", "r:src", "r:s"}, {"copy", "r:src", "r:s"}, {"move", "r:s", "0"}};
            for (String[] arrival : arrivals) {
                w.call("select", "0");
                w.call("del", "r:s", "r:src");
                a.send("xread", "block", "0", "streams", "r:s", "0");
                BlockingPair.awaitBlocked(d, 1);
                if (arrival[0].equals("move")) { // r:s made in db 1, then moved to db 0
                    w.call("select", "1");
                    w.call("del", "r:s");
                    w.call("xadd", "r:s", "1-1", "f", "v");
                    w.call(arrival);
                    w.call("select", "0");
                } else {
                    w.call("xadd", "r:src", "1-1", "f", "v");
                    w.call(arrival);
                }
                a.read("xread after " + arrival[0]);
                BlockingPair.awaitBlocked(d, 0);
            }
        }
        d.assertNoDivergence();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
