package io.ember.command;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.resp.RespReader;
import io.ember.resp.RespValue;
import io.ember.testing.Differential;
import io.ember.testing.Differential.Mode;
import io.ember.testing.RawConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Keyspace commands against a real redis-server: hand-written edge cases (RESP2 and RESP3) and
 * a seeded random run mixing keyspace commands, string writes and short TTLs.
 *
 * <p>Timing is the difficulty: both servers expire keys by the wall clock, and each command
 * reaches Redis slightly before Ember. The random run therefore puts every expiry on a grid of
 * {@link #GRID} ms (absolute PXAT/PEXPIREAT times, or relative ones computed to land there) and
 * sends commands only more than {@link #GUARD} ms away from a grid point, so no key can expire
 * between the two servers' executions of the same command. Active expiry is off on both sides,
 * so keys disappear only through commands, identically. Replies that carry a time (TTL, PTTL,
 * EXPIRETIME, PEXPIRETIME) are compared with a tolerance.
 */
class KeyspaceDifferentialTest {
    private static final long GRID = 50;
    private static final long GUARD = 10;

    private static void disableActiveExpiry(Differential d) {
        try (RawConnection r = d.redis().raw()) {
            r.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
        }
        try {
            d.ember().server().engine().loop().submit(() -> d.ember().server().engine().activeExpireEnabled = false).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- edge cases ----

    private static void edgeCases(Differential d) {
        d.check("flushall");
        d.check("object", "help");
        d.check("set", "a", "5");
        d.check("object", "refcount", "a");
        d.check("object", "encoding", "a");
        d.check("set", "b", "hello");
        d.check("object", "encoding", "b");
        d.check("object", "refcount", "b");
        d.check("set", "c", "12345678901234567890123456789012345678901234567890");
        d.check("object", "encoding", "c");
        d.check("set", "big", "123456789012");
        d.check("object", "encoding", "big");
        d.check("object", "refcount", "big");
        d.check("object", "encoding", "nokey");
        d.check("object", "refcount", "nokey");
        d.check("object", "freq", "a");
        d.check("object", "freq", "nokey");
        d.check("object", "idletime", "nokey");
        d.check("object", "foo");
        d.check("object");
        d.check("object", "encoding");
        d.check("object", "encoding", "a", "b");
        d.check("type", "a");
        d.check("type", "nokey");
        d.check("exists", "a", "b", "nokey", "a");
        d.check("del", "a", "nokey");
        d.check("del", "a");
        d.check("unlink", "b", "b");
        d.check("set", "b", "hello");
        d.check("rename", "nokey", "x");
        d.check("renamenx", "nokey", "x");
        d.check("rename", "nokey", "nokey");
        d.check("rename", "b", "b");
        d.check("renamenx", "b", "b");
        d.check("rename", "b", "b2");
        d.check("renamenx", "b2", "c");
        d.check("renamenx", "b2", "d");
        d.check("get", "d");
        d.check("move", "d", "0");
        d.check("move", "d", "16");
        d.check("move", "d", "-1");
        d.check("move", "d", "abc");
        d.check("move", "d", "99999999999");
        d.check("move", "nokey", "1");
        d.check("move", "d", "1");
        d.check("move", "d", "1");
        d.check("copy", "c", "c");
        d.check("copy", "c", "c", "db", "0");
        d.check("copy", "c", "e", "db", "16");
        d.check("copy", "c", "e", "db");
        d.check("copy", "c", "e", "foo");
        d.check("copy", "c", "e", "replace", "replace");
        d.check("copy", "c", "e");
        d.check("copy", "c", "e", "db", "x");
        d.check("copy", "c", "e", "db", "99999999999");
        d.check("copy", "nokey", "e", "db", "1");
        d.check("copy", "c", "c", "db", "1");
        d.check("copy", "c", "c", "db", "1");
        d.check("copy", "c", "c", "DB", "1", "REPLACE");
        d.check("object", "encoding", "e");
        d.check("swapdb", "0", "x");
        d.check("swapdb", "x", "0");
        d.check("swapdb", "0", "16");
        d.check("swapdb", "-1", "0");
        d.check("swapdb", "0", "0");
        d.check("swapdb", "99999999999", "0");
        d.check("swapdb", "0");
        d.check("flushdb", "foo");
        d.check("flushdb", "async", "extra");
        d.check("flushall", "now");
        d.check("dbsize");
        d.check("dbsize", "x");
        d.check("touch", "c", "e", "nokey", "c");
        d.check("touch");
        d.check("expire", "c", "10", "nx", "xx");
        d.check("expire", "c", "10", "gt", "lt");
        d.check("expire", "c", "10", "nx", "gt");
        d.check("expire", "c", "10", "nx", "lt");
        d.check("expire", "c", "10", "foo");
        d.check("expire", "c", "abc", "foo");
        d.check("expire", "c", "abc");
        d.check("expire", "c", "");
        d.check("expire", "c", "1.5");
        d.check("expire", "c", "99999999999999999");
        d.check("pexpire", "c", "9223372036854775807");
        d.check("expireat", "c", "-9223372036854775808");
        d.check("expire", "c", "-9223372036854775808");
        d.check("expire", "c", "9223372036854775");
        d.check("expire", "nokey", "9223372036854775");
        d.check("ttl", "c");
        d.check("pexpireat", "c", "9223372036854775807");
        d.check("expiretime", "c");
        d.check("pexpiretime", "c");
        d.check("persist", "c");
        d.check("persist", "c");
        d.check("expire", "c", "100", "xx");
        d.check("expire", "c", "100", "gt");
        d.check("expire", "c", "100", "nx");
        d.check("expire", "c", "100", "nx");
        d.check("expire", "c", "200", "lt");
        d.check("ttl", "c");
        d.check("expire", "c", "50", "LT");
        d.check("expire", "c", "300", "Gt");
        d.check("ttl", "c");
        d.check("pexpireat", "c", "4102444800123", "gt");
        d.check("pexpireat", "c", "4102444800123", "gt"); // equal is not greater
        d.check("pexpireat", "c", "4102444800123", "lt"); // nor less
        d.check("pexpireat", "c", "4102444800122", "lt");
        d.check("pexpiretime", "c");
        d.check("expire", "c", "-1", "lt");
        d.check("exists", "c");
        d.check("set", "c", "v");
        d.check("expire", "c", "0");
        d.check("exists", "c");
        d.check("set", "c", "v");
        d.check("pexpireat", "c", "1");
        d.check("exists", "c");
        d.check("set", "c", "v");
        d.check("expireat", "c", "100", "nx");
        d.check("exists", "c");
        d.check("set", "c", "v");
        d.check("expireat", "c", "4102444800", "nx");
        d.check("expiretime", "c");
        d.check("pexpiretime", "c");
        d.check("rename", "c", "c2");
        d.check("expiretime", "c2");
        d.check("copy", "c2", "c3");
        d.check("pexpiretime", "c3");
        d.check("move", "c3", "2");
        d.check("select", "2");
        d.check("expiretime", "c3");
        d.check("select", "0");
        d.check("ttl", "nokey");
        d.check("pttl", "nokey");
        d.check("expiretime", "nokey");
        d.check("pexpiretime", "nokey");
        d.check("persist", "nokey");
        d.check("expire", "nokey", "10");
        d.check("ttl", "d");
        d.check(Mode.UNORDERED, "keys", "*");
        d.check("dbsize");
        d.check("flushall", "SYNC");
        d.check("flushdb", "ASYNC");
        d.check("dbsize");
        d.check("randomkey");
        d.check("keys", "*");
        d.check("scan", "0");
        for (String k : List.of("a", "b", "c", "ab", "abc", "x*y", "h\\llo")) d.check("set", k, "1");
        d.check(Mode.UNORDERED, "keys", "*");
        d.check(Mode.UNORDERED, "keys", "?");
        d.check(Mode.UNORDERED, "keys", "a*");
        d.check(Mode.UNORDERED, "keys", "[ab]");
        d.check(Mode.UNORDERED, "keys", "[^a]");
        d.check(Mode.UNORDERED, "keys", "x\\*y");
        d.check(Mode.UNORDERED, "keys", "*[");
        d.check(Mode.UNORDERED, "keys", "h\\\\llo");
        d.check("keys", "nomatch");
        d.check(Mode.SCAN, "scan", "", "count", "100");
        d.check("scan", " 0");
        d.check(Mode.SCAN, "scan", "+0", "count", "100");
        d.check(Mode.SCAN, "scan", "-0", "count", "100");
        d.check("scan", "18446744073709551616");
        d.check("scan", "-18446744073709551616");
        d.check("scan", "0x");
        d.check("scan", "-");
        d.check("scan", "abc");
        d.check(Mode.SCAN, "scan", "00", "count", "100");
        d.check("scan", "0", "count", "0");
        d.check("scan", "0", "count", "-1");
        d.check("scan", "0", "count", "abc");
        d.check("scan", "0", "count");
        d.check("scan", "0", "match");
        d.check("scan", "0", "type");
        d.check("scan", "0", "type", "foo");
        d.check(Mode.SCAN, "scan", "0", "type", "STRING", "count", "100");
        d.check(Mode.SCAN, "scan", "0", "type", "string", "count", "100");
        d.check("scan", "0", "foo", "bar");
        d.check("scan", "0 ");
        d.check(Mode.SCAN, "scan", "0", "count", "9223372036854775807");
        d.check(Mode.SCAN, "scan", "0", "match", "a*", "count", "100");
        d.check(Mode.SCAN, "scan", "0", "match", "*", "count", "100");
        d.check(Mode.SCAN, "scan", "0", "match", "*", "match", "a", "count", "1000", "count", "100");
        d.check("scan", "0", "type", "none", "count", "100");
        d.check("type", "ab");
        d.check("dbsize");
        d.check(Mode.TYPE_ONLY, "randomkey");
        d.check("flushall");
    }

    @Test
    void edgeCasesMatchRedisInResp2AndResp3() {
        try (Differential d = new Differential()) {
            disableActiveExpiry(d);
            edgeCases(d);
            d.check(Mode.TYPE_ONLY, "hello", "3"); // the client ids differ
            edgeCases(d);
            d.assertNoDivergence();
        }
    }

    @Test
    void expiredKeysMatchRedis() throws InterruptedException {
        try (Differential d = new Differential()) {
            disableActiveExpiry(d);
            d.check("set", "live", "1");
            for (String k : List.of("e1", "e2", "e3", "e4", "e5", "e6")) d.check("set", k, "v", "px", "1");
            Thread.sleep(20);
            d.check("dbsize"); // expired keys are still counted
            d.check(Mode.UNORDERED, "keys", "*"); // ... but never listed
            d.check("dbsize"); // ... and KEYS did not reclaim them
            d.check("exists", "e1", "live");
            d.check("dbsize");
            d.check("scan", "0", "match", "e2", "type", "none", "count", "100"); // Redis's TYPE none quirk
            d.check("dbsize");
            d.check(Mode.SCAN, "scan", "0", "match", "e*", "count", "100");
            d.check("dbsize");
            d.check("set", "x", "v", "px", "1");
            Thread.sleep(5);
            d.check("rename", "x", "y");
            d.check("set", "x", "v", "px", "1");
            d.check("set", "y", "v");
            Thread.sleep(5);
            d.check("renamenx", "y", "x");
            d.check("set", "x", "v", "px", "1");
            Thread.sleep(5);
            d.check("move", "y", "1");
            d.check("select", "1");
            d.check("set", "z", "v", "px", "1");
            Thread.sleep(5);
            d.check("select", "0");
            d.check("copy", "y", "z", "db", "1");
            d.check("set", "x", "v", "px", "1");
            Thread.sleep(5);
            d.check("expire", "x", "100");
            d.check("persist", "x");
            d.check("del", "x");
            d.check("touch", "x");
            d.check("type", "x");
            d.check("object", "encoding", "x");
            d.check("dbsize");
            d.check("select", "1");
            d.check("dbsize");
            d.assertNoDivergence();
        }
    }

    /** WATCH against FLUSHDB, FLUSHALL, SWAPDB, expiry commands, also for keys already expired at WATCH time. */
    @Test
    void watchInvalidationMatchesRedis() throws InterruptedException {
        try (Differential d = new Differential()) {
            disableActiveExpiry(d);
            int other = d.newConnection();
            String[][] changes = {
                {"flushdb"}, {"flushall"}, {"flushdb", "async"}, {"swapdb", "0", "1"}, {"swapdb", "0", "0"},
                {"expire", "w", "100"}, {"persist", "w"}, {"rename", "w", "w2"}, {"move", "w", "1"},
                {"copy", "src", "w", "replace"}, {"del", "w"}, {"expire", "w", "-1"}, {"touch", "w"},
                {"expire", "w", "100", "xx"}, {"renamenx", "src", "w"},
            };
            for (String[] change : changes) {
                for (String setup : List.of("present", "absent", "expired", "elsewhere")) {
                    d.check("flushall");
                    d.check("set", "src", "s");
                    switch (setup) {
                        case "present" -> d.check("set", "w", "1");
                        case "expired" -> {
                            d.check("set", "w", "1", "px", "1");
                            Thread.sleep(5);
                        }
                        case "elsewhere" -> {
                            d.check("select", "1");
                            d.check("set", "w", "in db 1");
                            d.check("select", "0");
                        }
                        default -> { }
                    }
                    d.check("watch", "w");
                    d.on(other, Mode.EXACT, change);
                    d.check("multi");
                    d.check("ping");
                    d.check("exec");
                }
            }
            d.assertNoDivergence();
        }
    }

    // ---- seeded random run ----

    /** A second connection pair, for exchanges that cannot be compared by Differential. */
    private static final class Aux implements AutoCloseable {
        final RawConnection redis, ember;
        int db;

        Aux(Differential d) {
            redis = d.redis().raw();
            ember = d.ember().raw();
        }

        void select(int n) {
            if (n == db) return;
            redis.call("select", Integer.toString(n));
            ember.call("select", Integer.toString(n));
            db = n;
        }

        @Override
        public void close() {
            redis.close();
            ember.close();
        }
    }

    private static final class Run {
        final Differential d;
        final Aux aux;
        final Random rnd;
        int db;
        /** Per database: RANDOMKEY may have reclaimed a different set of expired keys on each side. */
        final boolean[] tainted = new boolean[3];
        int timingArtifacts;
        int ops;

        Run(Differential d, Aux aux, long seed) {
            this.d = d;
            this.aux = aux;
            this.rnd = new Random(seed);
        }

        static long phase(long t) {
            return Math.floorMod(t, GRID);
        }

        /** Waits until at least {@code need} ms remain before the next grid point (an expiry instant). */
        void waitForWindow(long need) {
            while (true) {
                long now = System.currentTimeMillis();
                long p = phase(now);
                if (p >= GUARD && p <= GRID - GUARD - need) return;
                long sleep = p < GUARD ? GUARD - p : GRID - p + GUARD;
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        }

        /**
         * Runs one exchange inside a safe window. If it overran into a grid point and diverged,
         * the divergence may be the clock's, not Ember's: it is counted, not reported, and both
         * servers are reset so the run continues from identical states.
         */
        void exchange(long need, Runnable r) {
            waitForWindow(need);
            long start = System.currentTimeMillis();
            int before = d.divergences().size();
            r.run();
            ops++;
            long end = System.currentTimeMillis();
            boolean overran = end / GRID != start / GRID || phase(end) > GRID - GUARD / 2;
            if (overran && d.divergences().size() > before) {
                d.divergences().subList(before, d.divergences().size()).clear();
                timingArtifacts++;
                d.check("flushall");
                java.util.Arrays.fill(tainted, false);
            }
        }

        String key() {
            return "k" + rnd.nextInt(10);
        }

        String value() {
            return switch (rnd.nextInt(4)) {
                case 0 -> Integer.toString(rnd.nextInt(20));
                case 1 -> "v" + rnd.nextInt(100);
                case 2 -> "x".repeat(40 + rnd.nextInt(10));
                default -> Long.toString(rnd.nextLong());
            };
        }

        /** An absolute expiry instant on the grid, 1..4 grid steps ahead. */
        long gridTarget() {
            long now = System.currentTimeMillis();
            return (now / GRID + 1 + rnd.nextInt(4)) * GRID;
        }

        String[] expireOption() {
            return switch (rnd.nextInt(8)) {
                case 0 -> new String[] {"nx"};
                case 1 -> new String[] {"xx"};
                case 2 -> new String[] {"gt"};
                case 3 -> new String[] {"lt"};
                default -> new String[0];
            };
        }

        static String[] concat(String[] a, String... b) {
            String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, r, a.length, b.length);
            return r;
        }

        void step() {
            int op = rnd.nextInt(100);
            if (op < 14) {
                set();
            } else if (op < 20) {
                exchange(0, () -> d.check("get", key()));
            } else if (op < 24) {
                exchange(0, () -> d.check(rnd.nextBoolean() ? "del" : "unlink", key(), key()));
            } else if (op < 28) {
                exchange(0, () -> d.check("exists", key(), key(), key()));
            } else if (op < 30) {
                exchange(0, () -> d.check("type", key()));
            } else if (op < 34) {
                exchange(0, () -> d.check(rnd.nextBoolean() ? "rename" : "renamenx", key(), key()));
            } else if (op < 37) {
                exchange(0, () -> d.check("move", key(), Integer.toString(rnd.nextInt(3))));
            } else if (op < 41) {
                copy();
            } else if (op < 43) {
                exchange(0, () -> d.check("touch", key(), key()));
            } else if (op < 46) {
                exchange(0, () -> d.check("object", "encoding", key()));
            } else if (op < 60) {
                expire();
            } else if (op < 68) {
                ttl();
            } else if (op < 71) {
                exchange(0, () -> d.check("persist", key()));
            } else if (op < 75) {
                String pattern = switch (rnd.nextInt(4)) {
                    case 0 -> "*";
                    case 1 -> "k[0-4]";
                    case 2 -> "k?";
                    default -> "*" + rnd.nextInt(10);
                };
                exchange(0, () -> d.check(Mode.UNORDERED, "keys", pattern));
            } else if (op < 80) {
                fullScan(rnd.nextInt(3) == 0 ? "k[5-9]" : null, rnd.nextInt(4) == 0 ? "string" : null);
            } else if (op < 83) {
                exchange(0, () -> d.check(Mode.TYPE_ONLY, "randomkey"));
                tainted[db] = true;
            } else if (op < 87) {
                if (tainted[db]) fullScan(null, null); // reclaim on both sides first
                exchange(0, () -> d.check("dbsize"));
            } else if (op < 93) {
                int n = rnd.nextInt(3);
                exchange(0, () -> d.check("select", Integer.toString(n)));
                db = n;
            } else if (op < 95) {
                int a = rnd.nextInt(3), b = rnd.nextInt(3);
                exchange(0, () -> d.check("swapdb", Integer.toString(a), Integer.toString(b)));
                boolean t = tainted[a];
                tainted[a] = tainted[b];
                tainted[b] = t;
            } else if (op < 96) {
                exchange(0, () -> d.check("flushdb"));
                tainted[db] = false;
            } else if (op < 99 || rnd.nextInt(3) != 0) {
                String k = key();
                String[] bad = switch (rnd.nextInt(5)) {
                    case 0 -> new String[] {"move", k, Integer.toString(db)};
                    case 1 -> new String[] {"copy", k, k};
                    case 2 -> new String[] {"expire", k, "10", "nx", "gt"};
                    case 3 -> new String[] {"pexpire", k, "9223372036854775807"};
                    default -> new String[] {"scan", "x"};
                };
                exchange(0, () -> d.check(bad));
            } else {
                // Let time pass over a grid point or two, so keys expire between commands.
                try {
                    Thread.sleep(GRID * (1 + rnd.nextInt(2)));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        }

        void set() {
            String k = key(), v = value();
            String[] args = switch (rnd.nextInt(9)) {
                case 0 -> new String[] {"set", k, v};
                case 1 -> new String[] {"set", k, v, "nx"};
                case 2 -> new String[] {"set", k, v, "xx"};
                case 3 -> new String[] {"set", k, v, "keepttl"};
                case 4, 5 -> new String[] {"set", k, v, "pxat", Long.toString(gridTarget())};
                case 6 -> new String[] {"set", k, v, "ex", "100"};
                default -> null;
            };
            if (args != null) {
                exchange(0, () -> d.check(args));
            } else {
                exchange(0, () -> d.check("set", k, v, "px",
                        Long.toString(gridTarget() - System.currentTimeMillis())));
            }
        }

        void copy() {
            String a = key(), b = key();
            List<String> args = new ArrayList<>(List.of("copy", a, b));
            if (rnd.nextBoolean()) args.addAll(List.of("db", Integer.toString(rnd.nextInt(3))));
            if (rnd.nextBoolean()) args.add("replace");
            exchange(0, () -> d.check(args.toArray(String[]::new)));
        }

        /** Makes every far-future relative TTL of the run distinct. */
        private long uniqueTtl;

        void expire() {
            String k = key();
            String[] opt = expireOption();
            switch (rnd.nextInt(7)) {
                // Relative TTLs far in the future are unique per call: with GT/LT, two equal amounts
                // would compare "now" at two instants, which a millisecond boundary can decide either way.
                case 0 -> exchange(0, () -> d.check(concat(new String[] {"expire", k, Long.toString(100 + uniqueTtl++)}, opt)));
                case 1 -> exchange(0, () -> d.check(concat(new String[] {"expire", k, rnd.nextBoolean() ? "0" : "-5"}, opt)));
                case 2 -> exchange(0, () -> d.check(concat(new String[] {"pexpireat", k, Long.toString(gridTarget())}, opt)));
                case 3 -> exchange(0, () -> d.check(concat(new String[] {"expireat", k,
                        Long.toString(System.currentTimeMillis() / 1000 + 2)}, opt)));
                case 4 -> exchange(0, () -> d.check(concat(new String[] {"pexpire", k,
                        Long.toString(100_000 + 1000 * uniqueTtl++)}, opt)));
                default -> exchange(0, () -> d.check(concat(new String[] {"pexpire", k,
                        Long.toString(gridTarget() - System.currentTimeMillis())}, opt)));
            }
        }

        /** TTL-like replies: equal -1/-2, or times within a tolerance. */
        void ttl() {
            String k = key();
            // (OBJECT IDLETIME is left out: Redis's shared integers 0..9999 share one LRU clock.)
            String cmd = switch (rnd.nextInt(4)) {
                case 0 -> "ttl";
                case 1 -> "pttl";
                case 2 -> "expiretime";
                default -> "pexpiretime";
            };
            long tolerance = cmd.startsWith("p") ? 15 : 1;
            String[] args = {cmd, k};
            exchange(0, () -> {
                aux.select(db);
                byte[] a = aux.redis.call(args), b = aux.ember.call(args);
                RespValue va = new RespReader(a).read(), vb = new RespReader(b).read();
                boolean same = java.util.Arrays.equals(a, b)
                        || va instanceof RespValue.Int x && vb instanceof RespValue.Int y
                        && x.value() >= 0 && y.value() >= 0 && Math.abs(x.value() - y.value()) <= tolerance;
                if (!same) {
                    d.divergences().add(String.join(" ", args) + " (db " + db + ")\n    redis: "
                            + Differential.show(a) + "\n    ember: " + Differential.show(b));
                }
            });
        }

        /** A whole SCAN iteration on each side (the cursors differ), compared as sets. */
        void fullScan(String match, String type) {
            List<String> opts = new ArrayList<>(List.of("count", Integer.toString(1 + rnd.nextInt(8))));
            if (match != null) opts.addAll(List.of("match", match));
            if (type != null) opts.addAll(List.of("type", type));
            exchange(20, () -> {
                aux.select(db);
                Set<String> a = scanAll(aux.redis, opts), b = scanAll(aux.ember, opts);
                if (!a.equals(b)) {
                    d.divergences().add("SCAN " + opts + " (db " + db + ")\n    redis: " + a + "\n    ember: " + b);
                }
            });
            if (match == null) tainted[db] = false;
        }

        static Set<String> scanAll(RawConnection c, List<String> opts) {
            Set<String> keys = new TreeSet<>();
            String cursor = "0";
            int calls = 0;
            do {
                List<String> args = new ArrayList<>(List.of("scan", cursor));
                args.addAll(opts);
                RespValue.Array reply = (RespValue.Array) new RespReader(c.call(args.toArray(String[]::new))).read();
                cursor = reply.items().get(0).toString();
                for (RespValue k : ((RespValue.Array) reply.items().get(1)).items()) {
                    keys.add(new String(((RespValue.Bulk) k).value(), StandardCharsets.UTF_8));
                }
            } while (!cursor.equals("0") && ++calls < 10_000);
            return keys;
        }
    }

    private static long expiredKeys(Differential d) {
        try {
            return d.ember().server().engine().loop().submit(() -> d.ember().server().engine().stats.expiredKeys).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void seededRandomRunMatchesRedis() {
        try (Differential d = new Differential(); Aux aux = new Aux(d)) {
            disableActiveExpiry(d);
            d.check("flushall");
            Run run = new Run(d, aux, 20240611L);
            while (run.ops < 4000) run.step();
            long expired = expiredKeys(d);
            System.out.println("random run: " + run.ops + " exchanges, " + d.commandsRun() + " compared commands, "
                    + expired + " keys expired, " + run.timingArtifacts + " clock overruns reset");
            d.assertNoDivergence();
            assertTrue(expired >= 40, "keys must expire during the run: " + expired);
            assertTrue(run.timingArtifacts <= run.ops / 100, "too many exchanges overran the time window");
        }
    }
}
