package io.ember;

import io.ember.testing.Differential;
import io.ember.testing.Differential.Mode;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * All of this command families interleaved, against redis-server: strings, keyspace and
 * expiry commands, transactions with WATCH broken by a second connection, SELECT/SWAPDB/FLUSHDB
 * and MOVE/COPY across databases, in RESP2 and RESP3. Expiry uses absolute timestamps far in the
 * future (EXPIREAT/PEXPIREAT, read back with EXPIRETIME) so the comparison is exact and not timing
 * dependent; short-lived keys are covered by the keyspace and transaction differential tests.
 * The run is repeated in RESP2 and RESP3.
 */
class MixedDifferentialTest {
    private static final String[] KEYS = {"a", "b", "c", "{x}1", "n1", "n2"};

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void seededInterleavingOfEveryFamilyMatchesRedis(int protocol) {
        Random rnd = new Random(0xE3BE + protocol);
        long future = System.currentTimeMillis() / 1000 + 100_000;
        try (Differential d = new Differential()) {
            int other = d.newConnection();
            boolean[] inMulti = new boolean[2];
            for (int c = 0; c < 2; c++) d.on(c, Mode.TYPE_ONLY, "hello", Integer.toString(protocol)); // ids differ
            for (int i = 0; i < 4000; i++) {
                int conn = rnd.nextInt(5) == 0 ? other : 0;
                String k = KEYS[rnd.nextInt(KEYS.length)];
                String k2 = KEYS[rnd.nextInt(KEYS.length)];
                String v = Integer.toString(rnd.nextInt(20) - 5);
                String[] cmd = switch (rnd.nextInt(33)) {
                    case 0 -> new String[] {"set", k, v};
                    case 1 -> new String[] {"get", k};
                    case 2 -> new String[] {"incr", k};
                    case 3 -> new String[] {"incrby", k, v};
                    case 4 -> new String[] {"incrbyfloat", k, "0." + rnd.nextInt(100)};
                    case 5 -> new String[] {"append", k, v};
                    case 6 -> new String[] {"mset", k, v, k2, v};
                    case 7 -> new String[] {"msetnx", k, v, k2, v};
                    case 8 -> new String[] {"mget", k, k2, "missing"};
                    case 9 -> new String[] {"getset", k, v};
                    case 10 -> new String[] {"getdel", k};
                    case 11 -> new String[] {"setrange", k, Integer.toString(rnd.nextInt(4)), v};
                    case 12 -> new String[] {"getrange", k, "0", Integer.toString(rnd.nextInt(5) - 2)};
                    case 13 -> new String[] {"del", k, k2};
                    case 14 -> new String[] {"exists", k, k2, k};
                    case 15 -> new String[] {"rename", k, k2};
                    case 16 -> new String[] {"renamenx", k, k2};
                    case 17 -> new String[] {"expireat", k, Long.toString(future + rnd.nextInt(100)),
                                             rnd.nextBoolean() ? "gt" : "nx"};
                    case 18 -> new String[] {"pexpireat", k, Long.toString((future + rnd.nextInt(100)) * 1000)};
                    case 19 -> new String[] {"expiretime", k};
                    case 20 -> new String[] {"persist", k};
                    case 21 -> new String[] {"type", k};
                    case 22 -> new String[] {"object", "encoding", k};
                    case 23 -> new String[] {"copy", k, k2, "db", Integer.toString(rnd.nextInt(2)), "replace"};
                    case 24 -> new String[] {"move", k, Integer.toString(rnd.nextInt(3))};
                    case 25 -> new String[] {"select", Integer.toString(rnd.nextInt(3))};
                    case 26 -> rnd.nextInt(6) == 0 ? new String[] {"swapdb", "0", "1"} : new String[] {"dbsize"};
                    case 27 -> rnd.nextInt(10) == 0 ? new String[] {"flushdb"} : new String[] {"strlen", k};
                    case 28 -> new String[] {"watch", k, k2};
                    case 29 -> new String[] {"multi"};
                    case 30, 31 -> new String[] {"exec"};
                    default -> new String[] {rnd.nextBoolean() ? "discard" : "unwatch"};
                };
                String reply = new String(d.on(conn, Mode.EXACT, cmd), java.nio.charset.StandardCharsets.ISO_8859_1);
                if (cmd[0].equals("multi") && reply.equals("+OK\r\n")) inMulti[conn] = true;
                if (cmd[0].equals("exec") || cmd[0].equals("discard")) inMulti[conn] = false;
                // KEYS order is unspecified: compared as a set, and not inside MULTI (EXEC nests it).
                if (rnd.nextInt(50) == 0 && !inMulti[conn]) d.on(conn, Mode.UNORDERED, "keys", "*");
            }
            d.assertNoDivergence();
        }
    }
}
