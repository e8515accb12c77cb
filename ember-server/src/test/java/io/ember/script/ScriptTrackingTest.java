package io.ember.script;

import io.ember.testing.Differential;
import io.ember.testing.Differential.Mode;
import org.junit.jupiter.api.Test;

/**
 * Client-side caching through scripts and functions, against redis-server 7.0.15 over RESP3: once
 * a script runs a read-only command, its tracking caller tracks the keys its EVAL/FCALL declared
 * (Redis 7.0 takes them from the caller's command, not from what the script read: EVAL_RO reading
 * 'b' with 'nothere' declared tracks 'nothere'; a function reading an undeclared key tracks
 * nothing). A PING after each write is the fence, as in TrackingDifferentialTest.
 */
class ScriptTrackingTest {

    private static void fence(Differential d, int conn) {
        byte[] r = d.on(conn, Mode.EXACT, "ping");
        for (int i = 0; i < 100 && !new String(r).startsWith("+PONG"); i++) r = d.next(conn, Mode.EXACT, "invalidation");
    }

    @Test
    void keysReadByScriptsAreTrackedForTheCaller() {
        try (Differential d = new Differential()) {
            int writer = 0, reader = d.newConnection();
            d.check("mset", "a", "1", "b", "2", "c", "3", "d", "4");
            d.check("function", "load", "#!lua name=t\n"
                    + "redis.register_function{function_name='rd', callback=function(keys) return redis.call('get', keys[1]) end,"
                    + " flags={'no-writes'}}\n"
                    + "redis.register_function('rdother', function() return redis.call('get', 'd') end)");
            d.on(reader, Mode.TYPE_ONLY, "hello", "3");
            d.on(reader, Mode.EXACT, "client", "tracking", "on");
            d.on(reader, Mode.EXACT, "eval", "return redis.call('get', KEYS[1])", "1", "a");
            d.on(reader, Mode.EXACT, "eval_ro", "return redis.call('get', 'b')", "1", "nothere");
            d.on(reader, Mode.EXACT, "fcall_ro", "rd", "1", "c");
            d.on(reader, Mode.EXACT, "fcall", "rdother", "0");
            for (String k : new String[] {"a", "b", "nothere", "c", "d"}) {
                d.on(writer, Mode.EXACT, "set", k, "new");
                fence(d, reader);
            }
            // a script's write to a key it read: the caller gets the invalidation after the reply
            d.on(reader, Mode.EXACT, "eval", "local v = redis.call('get', 'a') redis.call('set', 'a', 'own') return v", "0");
            fence(d, reader);
            d.assertNoDivergence();
        }
    }
}
