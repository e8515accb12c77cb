package io.ember.pubsub;

import io.ember.testing.Differential.Mode;
import io.ember.testing.NotificationCheck.Runner;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Keyspace events of the type-agnostic keyspace commands and the expiry commands against
 * redis-server: DEL/UNLINK (one "del" per removed key), RENAME/RENAMENX ("new" of the target,
 * rename_from, rename_to), MOVE ("new", move_from, move_to in their databases), COPY ("new",
 * copy_to), EXPIRE family ("expire" after the reply, or "del" before it for a time already past),
 * PERSIST, and no event at all from FLUSHDB, FLUSHALL, SWAPDB and the read-only commands (but
 * "expired" wherever a lookup reclaims a key, and no keymiss from OBJECT). Active expiry is off.
 */
class KeyspaceNotificationsDifferentialTest extends ScriptedNotificationsTest {

    @Override
    void script(Runner r) {
        String future = Long.toString(System.currentTimeMillis() / 1000 + 100_000);
        String futureMs = Long.toString(System.currentTimeMillis() + 100_000_000L);
        r.run("flushall");

        // DEL / UNLINK
        r.run("set", "a", "1");
        r.run("set", "b", "2");
        r.run("del", "a", "b", "nokey");
        r.run("del", "a");
        r.run("set", "a", "1");
        r.run("del", "a", "a");
        r.run("set", "a", "1");
        quietly("rpush", "l", "x");
        r.run("unlink", "a", "nokey", "l");
        r.run("unlink", "a");
        r.run("set", "gone", "1", "exat", "1");
        r.run("del", "gone"); // reclaimed by the lookup: "expired", and 0

        // Reads: nothing, except keymiss (m) and "expired" from lookups that reclaim.
        r.run("set", "a", "1");
        r.run("set", "gone", "1", "exat", "1");
        r.run("exists", "a", "gone", "nokey");
        r.run("set", "gone", "1", "exat", "1");
        r.run("type", "gone");
        r.run("type", "a");
        r.run("set", "gone", "1", "exat", "1");
        r.run("touch", "a", "gone", "nokey");
        r.run("set", "gone", "1", "exat", "1");
        r.run("ttl", "gone");
        r.run("ttl", "a");
        r.run("pttl", "nokey");
        r.run("expiretime", "a");
        r.run("pexpiretime", "nokey");
        r.run("set", "gone", "1", "exat", "1");
        r.run("keys", "*"); // skips the expired key without reclaiming it
        r.run("dbsize");
        r.run("object", "encoding", "nokey");
        r.run("object", "encoding", "a");
        r.run("object", "refcount", "a");
        r.run("object", "encoding", "gone"); // reclaimed: "expired", no keymiss

        // RENAME / RENAMENX
        r.run("flushall");
        r.run("rename", "nokey", "x");
        r.run("renamenx", "nokey", "x");
        r.run("set", "r1", "v");
        r.run("rename", "r1", "r1");
        r.run("renamenx", "r1", "r1");
        r.run("rename", "r1", "r2");
        r.run("set", "r3", "v", "ex", "100");
        r.run("rename", "r3", "r2"); // overwrites: no del for the old r2
        r.run("renamenx", "r2", "r4");
        r.run("set", "r5", "v");
        r.run("renamenx", "r4", "r5");
        quietly("rpush", "rl", "a", "b");
        r.run("rename", "rl", "rl2");
        r.run("set", "rx", "v", "exat", "1");
        r.run("rename", "rx", "ry");
        r.run("set", "ry", "v", "exat", "1");
        r.run("rename", "r5", "ry"); // the target is reclaimed by the lookup first
        r.run("set", "rz", "v", "exat", "1");
        r.run("renamenx", "ry", "rz");

        // MOVE
        r.run("flushall");
        r.run("move", "m", "1");
        r.run("set", "m", "v");
        r.run("move", "m", "0");
        r.run("move", "m", "99");
        r.run("move", "m", "x");
        r.run("set", "m", "v", "ex", "100");
        r.run("move", "m", "1");
        r.run("set", "m", "v");
        r.run("move", "m", "1"); // exists in db 1
        r.run("select", "1");
        r.run("move", "m", "0");
        r.run("set", "m2", "v", "exat", "1");
        r.run("move", "m2", "0");
        r.run("select", "0");
        quietly("rpush", "ml", "a");
        r.run("move", "ml", "2");

        // COPY
        r.run("flushall");
        r.run("copy", "nokey", "x");
        r.run("set", "c", "v");
        r.run("copy", "c", "c");
        r.run("copy", "c", "c2");
        r.run("copy", "c", "c2");
        r.run("copy", "c", "c2", "replace");
        r.run("copy", "c", "c2", "db", "1");
        r.run("copy", "c", "c2", "db", "1", "replace");
        r.run("copy", "c", "c", "db", "1", "replace");
        r.run("copy", "c", "c2", "db", "x");
        r.run("copy", "c", "c2", "db", "99");
        r.run("copy", "c", "c2", "bogus");
        r.run("set", "c", "v", "ex", "100");
        r.run("copy", "c", "c3");
        quietly("rpush", "cl", "a", "b");
        r.run("copy", "cl", "cl2");
        r.run("set", "cx", "v", "exat", "1");
        r.run("copy", "cx", "cy");

        // EXPIRE family and PERSIST
        r.run("flushall");
        r.run("expire", "nokey", "10");
        r.run("pexpire", "nokey", "-10");
        r.run("set", "e", "v");
        r.run("expire", "e", "100");
        r.run("pexpire", "e", "100000");
        r.run("expireat", "e", future);
        r.run("pexpireat", "e", futureMs);
        r.run("expire", "e", "100", "nx");
        r.run("expire", "e", "200", "xx");
        r.run("expire", "e", "50", "gt");
        r.run("expire", "e", "500", "gt");
        r.run("expire", "e", "600", "lt");
        r.run("expire", "e", "10", "lt");
        r.run("expire", "e", "10", "nx", "xx");
        r.run("expire", "e", "10", "gt", "lt");
        r.run("expire", "e", "10", "bogus");
        r.run("expire", "e", "abc");
        r.run("expire", "e", "9223372036854775807");
        r.run("pexpireat", "e", "9223372036854775807");
        r.run("set", "e", "v");
        r.run("expire", "e", "100", "xx");
        r.run("expire", "e", "100", "gt");
        r.run("expire", "e", "100", "lt");
        r.run("expire", "e", "-1"); // already past: del, before the reply
        r.run("set", "e", "v");
        r.run("pexpire", "e", "0");
        r.run("set", "e", "v");
        r.run("expireat", "e", "1");
        r.run("set", "e", "v");
        r.run("pexpireat", "e", "1", "nx");
        r.run("set", "e", "v", "ex", "100");
        r.run("expire", "e", "-5", "lt");
        r.run("set", "e", "v", "ex", "100");
        r.run("expire", "e", "-5", "gt"); // refused: no event
        r.run("set", "gone", "v", "exat", "1");
        r.run("expire", "gone", "100");
        r.run("persist", "nokey");
        r.run("set", "p", "v");
        r.run("persist", "p");
        r.run("expire", "p", "100");
        r.run("persist", "p");
        r.run("persist", "p");
        r.run("set", "gone", "v", "exat", "1");
        r.run("persist", "gone");

        // FLUSHDB, FLUSHALL, SWAPDB fire nothing.
        r.run("set", "f1", "v");
        r.run("select", "1");
        r.run("set", "f2", "v");
        r.run("select", "0");
        r.run("swapdb", "0", "1");
        r.run("swapdb", "1", "1");
        r.run("swapdb", "0", "x");
        r.run("flushdb");
        r.run("flushdb", "async");
        r.run("set", "f3", "v");
        r.run("flushall", "sync");
        r.run("flushall", "bogus");

        // RANDOMKEY and SCAN reclaim expired keys they meet.
        r.run("set", "gone", "v", "exat", "1");
        r.run("randomkey");
        r.run("set", "gone", "v", "exat", "1");
        r.run("scan", "0");
        r.run("set", "gone", "v", "exat", "1");
        r.run("scan", "0", "type", "string");
    }

    /** Generic events on keyevent, expiry ones on keyspace, string ones with "new" on keyspace. */
    @Override
    String[] filterClasses() {
        return new String[] {"Eg", "Kx", "K$n"};
    }

    // ---- seeded random run ----

    private static final String[] KEYS = {"a", "b", "c", "d", "e", "f"};

    @Test
    void randomKeyspaceCommandsFireTheSameEvents() {
        classes("AKEnm");
        Random rnd = new Random(0x4E75L);
        for (int i = 0; i < 4000; i++) {
            String[] cmd = randomCommand(rnd);
            if (cmd[0].equals("rpush")) quietly(cmd);
            else if (cmd[0].equals("keys")) n.run(Mode.UNORDERED, cmd);
            else n.run(cmd);
        }
        d.assertNoDivergence();
    }

    private static String[] randomCommand(Random rnd) {
        String k = KEYS[rnd.nextInt(KEYS.length)], k2 = KEYS[rnd.nextInt(KEYS.length)];
        String db = Integer.toString(rnd.nextInt(2));
        String ttl = Integer.toString(rnd.nextInt(5) == 0 ? -rnd.nextInt(10) : 100 + rnd.nextInt(1000));
        // No SCAN: the order in which it reclaims several expired keys follows each server's hash table.
        return switch (rnd.nextInt(22)) {
            case 0, 1, 2 -> rnd.nextInt(4) == 0 ? new String[] {"set", k, "v", "exat", "1"}
                    : rnd.nextBoolean() ? new String[] {"set", k, "v", "ex", "500"} : new String[] {"set", k, "v"};
            case 3 -> new String[] {"del", k, k2};
            case 4 -> new String[] {"unlink", k};
            case 5 -> new String[] {"rename", k, k2};
            case 6 -> new String[] {"renamenx", k, k2};
            case 7 -> new String[] {"move", k, db};
            case 8 -> copy(rnd, k, k2, db);
            case 9 -> withExpireFlag(rnd, new String[] {"expire", k, ttl});
            case 10 -> withExpireFlag(rnd, new String[] {"pexpire", k, ttl + "000"});
            case 11 -> new String[] {rnd.nextBoolean() ? "expireat" : "pexpireat", k,
                rnd.nextBoolean() ? "1" : Long.toString(System.currentTimeMillis() + 1_000_000)};
            case 12 -> new String[] {"persist", k};
            case 13 -> new String[] {"exists", k, k2};
            case 14 -> new String[] {"type", k};
            case 15 -> new String[] {"touch", k};
            case 16 -> new String[] {"select", db};
            case 17 -> rnd.nextInt(10) == 0 ? new String[] {"swapdb", "0", "1"} : new String[] {"incr", k};
            case 18 -> rnd.nextInt(40) == 0 ? new String[] {"flushdb"} : new String[] {"append", k, "x"};
            case 19 -> new String[] {"rpush", k, "x"};
            case 20 -> rnd.nextBoolean() ? new String[] {"getex", k, "persist"} : new String[] {"getex", k, "pxat", "1"};
            default -> new String[] {"keys", "*"};
        };
    }

    private static String[] copy(Random rnd, String k, String k2, String db) {
        List<String> cmd = new ArrayList<>(List.of("copy", k, k2));
        if (rnd.nextBoolean()) cmd.addAll(List.of("db", db));
        if (rnd.nextBoolean()) cmd.add("replace");
        return cmd.toArray(String[]::new);
    }

    private static String[] withExpireFlag(Random rnd, String[] cmd) {
        int f = rnd.nextInt(6);
        if (f >= 4) return cmd;
        String[] out = java.util.Arrays.copyOf(cmd, cmd.length + 1);
        out[cmd.length] = new String[] {"nx", "xx", "gt", "lt"}[f];
        return out;
    }
}
