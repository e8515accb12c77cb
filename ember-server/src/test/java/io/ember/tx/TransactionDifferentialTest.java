package io.ember.tx;

import io.ember.testing.Differential;
import io.ember.testing.Differential.Mode;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * MULTI/EXEC/WATCH against redis-server: hand-written cases for each rule, then a seeded random
 * interleaving of two connections (one transacting, one interfering) with zero divergences.
 */
class TransactionDifferentialTest {

    @Test
    void rulesMatchRedis() throws Exception {
        try (Differential d = new Differential()) {
            int other = d.newConnection();
            // a watched key modified by another connection aborts EXEC
            d.check("set", "a", "1");
            d.check("watch", "a");
            d.on(other, Mode.EXACT, "set", "a", "2");
            d.check("multi");
            d.check("get", "a");
            d.check("exec");
            // deleting or overwriting with the same value still counts as a change
            d.check("watch", "a");
            d.on(other, Mode.EXACT, "set", "a", "2");
            d.check("multi");
            d.check("exec");
            // modifications by the watching client itself also abort
            d.check("watch", "a");
            d.check("set", "a", "3");
            d.check("multi");
            d.check("exec");
            // queue-time errors: EXECABORT; runtime errors fail only their command
            d.check("multi");
            d.check("set", "a");
            d.check("get", "a");
            d.check("exec");
            d.check("multi");
            d.check("nosuch", "x");
            d.check("exec");
            d.check("multi");
            d.check("set", "a", "v", "ex", "notanumber");
            d.check("get", "a");
            d.check("exec");
            // control commands
            d.check("exec");
            d.check("discard");
            d.check("multi");
            d.check("multi");
            d.check("watch", "a");
            d.check("discard");
            d.check("unwatch");
            // UNWATCH forgets, so a later change does not abort
            d.check("watch", "a");
            d.check("unwatch");
            d.on(other, Mode.EXACT, "set", "a", "9");
            d.check("multi");
            d.check("get", "a");
            d.check("exec");
            // watching a key that does not exist, then another client creates it
            d.check("watch", "fresh");
            d.on(other, Mode.EXACT, "set", "fresh", "1");
            d.check("multi");
            d.check("exec");
            // a watched key that expires before EXEC aborts it
            d.check("set", "ttl", "v", "px", "60");
            d.check("watch", "ttl");
            Thread.sleep(120);
            d.check("multi");
            d.check("exec");
            // a key already expired when watched: its deletion is not a change
            d.check("set", "gone", "v", "px", "30");
            Thread.sleep(80);
            d.check("watch", "gone");
            d.check("get", "gone");
            d.check("multi");
            d.check("exec");
            // SELECT inside a transaction and watches per database
            d.check("watch", "a");
            d.on(other, Mode.EXACT, "select", "1");
            d.on(other, Mode.EXACT, "set", "a", "other-db");
            d.check("multi");
            d.check("select", "1");
            d.check("get", "a");
            d.check("select", "0");
            d.check("exec");
            d.on(other, Mode.EXACT, "select", "0");
            // RESET discards the transaction
            d.check("multi");
            d.check("set", "a", "x");
            d.check("reset");
            d.check("exec");
            d.check("get", "a");
            d.assertNoDivergence();
        }
    }

    @Test
    void randomInterleavingsMatchRedis() {
        Random rnd = new Random(20261121);
        String[] keys = {"k0", "k1", "k2", "k3"};
        try (Differential d = new Differential()) {
            int other = d.newConnection();
            for (int i = 0; i < 3000; i++) {
                String k = keys[rnd.nextInt(keys.length)];
                String v = Integer.toString(rnd.nextInt(5));
                int conn = rnd.nextInt(4) == 0 ? other : 0;
                switch (rnd.nextInt(11)) {
                    case 0 -> d.on(conn, Mode.EXACT, "watch", k, keys[rnd.nextInt(keys.length)]);
                    case 1 -> d.on(conn, Mode.EXACT, "multi");
                    case 2, 3 -> d.on(conn, Mode.EXACT, "exec");
                    case 4 -> d.on(conn, Mode.EXACT, "discard");
                    case 5 -> d.on(conn, Mode.EXACT, "unwatch");
                    case 6, 7 -> d.on(conn, Mode.EXACT, "set", k, v);
                    case 8 -> d.on(conn, Mode.EXACT, "get", k);
                    case 9 -> d.on(conn, Mode.EXACT, "set", k, v, rnd.nextBoolean() ? "nx" : "xx");
                    default -> d.on(conn, Mode.EXACT, "set", k);  // arity error: EXECABORT inside MULTI
                }
            }
            d.assertNoDivergence();
        }
    }
}
