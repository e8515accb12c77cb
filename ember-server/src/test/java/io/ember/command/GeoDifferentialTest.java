package io.ember.command;

import io.ember.testing.Differential;
import io.ember.testing.Differential.Mode;
import io.ember.testing.NotificationCheck;
import io.ember.testing.RawConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The GEO commands against a real redis-server 7.0: hand-written errors and edge cases in RESP2
 * and RESP3, keyspace notifications, and a seeded random run (more than 10,000 commands) over
 * geo sets of both encodings filled with random points — anywhere, near the poles and the
 * limits ±85.05112878, along the antimeridian, exact duplicates (ties), integer members — with
 * random searches (circle or box, every unit, radii from zero to the whole planet, ASC/DESC/none,
 * COUNT with and without ANY, WITH* mixes, STORE/STOREDIST) whose replies are compared byte for
 * byte: Ember reproduces Redis's candidate order, so even unsorted replies must match exactly.
 */
class GeoDifferentialTest {
    static Differential d;
    static int resp3;
    static RawConnection redisSide, emberSide;

    @BeforeAll
    static void start() {
        d = new Differential();
        resp3 = d.newConnection();
        d.on(resp3, Mode.TYPE_ONLY, "hello", "3");
        redisSide = d.redis().raw();
        emberSide = d.ember().raw();
    }

    @BeforeEach
    void forgetEarlierDivergences() {
        d.divergences().clear();
        d.check("flushall");
    }

    @AfterAll
    static void stop() {
        redisSide.close();
        emberSide.close();
        d.close();
    }

    private static void both(String... args) {
        d.on(0, Mode.EXACT, args);
        d.on(resp3, Mode.EXACT, args);
    }

    private static final String[][] EDGE_CASES = {
        {"geoadd", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"},
        {"geoadd", "Sicily", "ch", "13.361389", "38.115556", "Palermo", "15", "37", "Catania", "1", "1", "x"},
        {"geoadd", "Sicily", "nx", "0", "0", "x", "2", "2", "y"}, {"geoadd", "Sicily", "xx", "ch", "3", "3", "y", "4", "4", "z"},
        {"geoadd", "Sicily", "nx", "xx", "1", "1", "a"}, {"geoadd", "Sicily", "1", "1"}, {"geoadd", "Sicily", "nx", "ch", "ch"},
        {"geoadd", "Sicily", "gt", "1", "1", "a"}, {"geoadd", "Sicily", "181", "0", "a"}, {"geoadd", "Sicily", "0", "85.06", "a"},
        {"geoadd", "Sicily", "-180.0000001", "-85.05112879", "a"}, {"geoadd", "Sicily", "inf", "0", "a"},
        {"geoadd", "Sicily", "1e300", "-1e-300", "a"}, {"geoadd", "Sicily", "-0", "-0.0000001", "m0"}, {"geoadd", "Sicily", "x", "0", "a"},
        {"geoadd", "Sicily", "0", "nan", "a"}, {"geoadd", "Sicily", "1", "1", "a", "1", "100", "b"}, {"geoadd", "Sicily"},
        {"geoadd", "edge", "180", "85.05112878", "ne", "-180", "-85.05112878", "sw", "180", "-85.05112878", "se",
            "-180", "85.05112878", "nw", "0", "0", "o", "179.9999999", "0", "am", "-179.9999999", "0", "am2"},
        {"geopos", "edge", "ne", "sw", "se", "nw", "o", "am", "am2", "nope"}, {"geohash", "edge", "ne", "sw", "se", "nw", "o", "am", "nope"},
        {"geodist", "edge", "ne", "sw"}, {"geodist", "edge", "am", "am2", "km"}, {"geodist", "edge", "am", "am2", "FT"},
        {"geodist", "edge", "am", "am2", "mi"}, {"geodist", "edge", "am", "nope"}, {"geodist", "edge", "am", "o", "parsec"},
        {"geodist", "edge", "am", "o", "m", "x"}, {"geodist", "nokey", "a", "b"}, {"geodist", "nokey", "a", "b", "x"},
        {"geopos", "nokey", "a", "b"}, {"geopos", "nokey"}, {"geohash", "nokey", "a"}, {"geohash", "Sicily"},
        {"geopos", "Sicily", "Palermo", "Catania", "m0"}, {"geohash", "Sicily", "Palermo", "Catania", "m0"},
        {"set", "str", "x"}, {"geoadd", "str", "1", "1", "a"}, {"geoadd", "str", "1", "100", "a"}, {"geopos", "str", "a"},
        {"geohash", "str", "a"}, {"geodist", "str", "a", "b"}, {"geodist", "str", "a", "b", "yard"},
        {"geosearch", "str", "fromlonlat", "0", "0", "byradius", "1", "m"}, {"georadius", "str", "0", "0", "1", "m"},
        {"georadius", "str", "0", "100", "1", "m"}, {"georadiusbymember", "str", "a", "1", "m"},
        {"geosearchstore", "d", "str", "fromlonlat", "0", "0", "byradius", "1", "m"},
        // GEOSEARCH
        {"geosearch", "Sicily", "fromlonlat", "15", "37", "byradius", "200", "km", "asc"},
        {"geosearch", "Sicily", "fromlonlat", "15", "37", "byradius", "200", "km", "desc", "withdist", "withcoord", "withhash"},
        {"geosearch", "Sicily", "frommember", "Palermo", "bybox", "400", "400", "km", "withcoord", "withdist"},
        {"geosearch", "Sicily", "frommember", "Palermo", "bybox", "400", "400", "km", "count", "1", "withhash"},
        {"geosearch", "Sicily", "frommember", "Palermo", "byradius", "10000", "km", "count", "2", "any"},
        {"geosearch", "Sicily", "frommember", "nope", "byradius", "10", "km"},
        {"geosearch", "Sicily", "fromlonlat", "15", "37"}, {"geosearch", "Sicily", "byradius", "1", "m"},
        {"GeoSearch", "Sicily", "byradius", "1", "m"}, {"geosearch", "Sicily", "fromlonlat", "15", "37", "byradius", "1", "m", "any"},
        {"geosearch", "Sicily", "frommember", "x", "fromlonlat", "1", "1", "byradius", "1", "m"},
        {"geosearch", "Sicily", "fromlonlat", "1", "1", "frommember", "x", "byradius", "1", "m"},
        {"geosearch", "Sicily", "fromlonlat", "1", "1", "byradius", "1", "m", "bybox", "1", "1", "m"},
        {"geosearch", "Sicily", "fromlonlat", "1", "1", "bybox", "1", "1", "m", "byradius", "1", "m"},
        {"geosearch", "Sicily", "fromlonlat", "1", "1", "byradius", "-1", "m"}, {"geosearch", "Sicily", "fromlonlat", "1", "1", "byradius", "x", "m"},
        {"geosearch", "Sicily", "fromlonlat", "1", "1", "byradius", "1", "parsec"}, {"geosearch", "Sicily", "fromlonlat", "1", "1", "byradius", "1"},
        {"geosearch", "Sicily", "fromlonlat", "1", "1", "bybox", "-1", "1", "m"}, {"geosearch", "Sicily", "fromlonlat", "1", "1", "bybox", "1", "x", "m"},
        {"geosearch", "Sicily", "fromlonlat", "1", "1", "bybox", "y", "x", "m"}, {"geosearch", "Sicily", "fromlonlat", "1", "1", "bybox", "1", "1", "M"},
        {"geosearch", "Sicily", "fromlonlat", "1", "1", "bybox", "1", "-1", "mm"}, {"geosearch", "Sicily", "fromlonlat", "1", "1", "bybox", "1", "1"},
        {"geosearch", "Sicily", "fromlonlat", "200", "1", "byradius", "1", "m"}, {"geosearch", "Sicily", "fromlonlat", "x", "1", "byradius", "1", "m"},
        {"geosearch", "Sicily", "fromlonlat", "15", "37", "byradius", "200", "km", "count", "0"},
        {"geosearch", "Sicily", "fromlonlat", "15", "37", "byradius", "200", "km", "count", "-1"},
        {"geosearch", "Sicily", "fromlonlat", "15", "37", "byradius", "200", "km", "count", "x"},
        {"geosearch", "Sicily", "fromlonlat", "15", "37", "byradius", "200", "km", "count"},
        {"geosearch", "Sicily", "fromlonlat", "15", "37", "byradius", "200", "km", "store", "x"},
        {"geosearch", "Sicily", "fromlonlat", "15", "37", "byradius", "200", "km", "storedist"},
        {"geosearch", "Sicily", "fromlonlat", "15", "37", "byradius", "inf", "km"},
        {"geosearch", "Sicily", "fromlonlat", "15", "37", "byradius", "0", "km"},
        {"geosearch", "nokey", "frommember", "x", "byradius", "1", "m"}, {"geosearch", "nokey", "frommember", "x", "byradius", "-1", "m"},
        {"geosearch", "nokey", "fromlonlat", "15", "37", "bybox", "1", "1", "km", "withcoord"},
        {"geosearch", "nokey", "fromlonlat", "15", "37", "bybox", "1", "1", "km", "any"},
        // GEOSEARCHSTORE
        {"geosearchstore", "dst", "Sicily", "fromlonlat", "15", "37", "byradius", "200", "km"}, {"zrange", "dst", "0", "-1", "withscores"},
        {"object", "encoding", "dst"}, {"type", "dst"},
        {"geosearchstore", "dst", "Sicily", "fromlonlat", "15", "37", "byradius", "200", "km", "storedist", "desc", "count", "1"},
        {"zrange", "dst", "0", "-1", "withscores"},
        {"geosearchstore", "dst", "Sicily", "fromlonlat", "15", "37", "byradius", "200", "km", "withdist"},
        {"geosearchstore", "dst", "Sicily", "fromlonlat", "15", "37", "byradius", "200", "km", "store", "x"},
        {"geosearchstore", "dst", "Sicily", "fromlonlat", "15", "37", "byradius", "1", "m"}, {"exists", "dst"},
        {"set", "dst", "v"}, {"geosearchstore", "dst", "nokey", "fromlonlat", "15", "37", "byradius", "1", "m"}, {"exists", "dst"},
        {"set", "dst", "v"}, {"expire", "dst", "100"},
        {"geosearchstore", "dst", "Sicily", "fromlonlat", "15", "37", "byradius", "200", "km"}, {"ttl", "dst"},
        {"geosearchstore", "Sicily", "Sicily", "fromlonlat", "15", "37", "byradius", "200", "km"}, {"zrange", "Sicily", "0", "-1"},
        // GEORADIUS family
        {"geoadd", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"},
        {"georadius", "Sicily", "15", "37", "200", "km", "withdist", "withcoord", "withhash", "asc"},
        {"georadius", "Sicily", "15", "37", "200", "km", "count", "1", "any"},
        {"georadius", "Sicily", "15", "37", "200", "km", "store", "r1"}, {"zrange", "r1", "0", "-1", "withscores"},
        {"georadius", "Sicily", "15", "37", "200", "km", "storedist", "r2"}, {"zrange", "r2", "0", "-1", "withscores"},
        {"georadius", "Sicily", "15", "37", "200", "km", "store", "r3", "withdist"},
        {"georadius", "Sicily", "15", "37", "200", "km", "store"}, {"georadius", "Sicily", "15", "37", "200", "km", "frommember", "x"},
        {"georadius", "Sicily", "15", "37", "200"}, {"georadius", "Sicily", "15", "37", "-200", "km"},
        {"georadius", "nokey", "15", "37", "200", "km"}, {"georadius", "nokey", "15", "37", "200", "km", "store", "r1"}, {"exists", "r1"},
        {"georadius", "nokey", "15", "37", "x", "km"}, {"georadius", "nokey", "15", "100", "1", "km"},
        {"georadius_ro", "Sicily", "15", "37", "200", "km", "store", "r1"}, {"georadius_ro", "Sicily", "15", "37", "200", "km", "withdist"},
        {"georadiusbymember", "Sicily", "Palermo", "200", "km", "withdist"}, {"georadiusbymember", "Sicily", "nope", "200", "km"},
        {"georadiusbymember", "Sicily", "nope", "x", "km"}, {"georadiusbymember", "Sicily", "Palermo", "x", "km"},
        {"georadiusbymember", "nokey", "nope", "x", "km"}, {"georadiusbymember", "nokey", "a", "1", "km", "store", "r2"}, {"exists", "r2"},
        {"georadiusbymember", "nokey", "a", "1", "km", "bogus"}, {"georadiusbymember_ro", "Sicily", "Palermo", "1000", "km", "desc"},
        {"georadiusbymember_ro", "Sicily", "Palermo", "1000", "km", "storedist", "x"},
        {"georadiusbymember", "Sicily", "Palermo", "1000", "km", "storedist", "r4", "count", "1", "desc"}, {"zrange", "r4", "0", "-1", "withscores"},
        {"georadius", "Sicily"}, {"geosearch", "Sicily"}, {"geosearchstore", "x", "Sicily"}, {"geopos"}, {"geohash"}, {"geodist", "Sicily", "a"},
    };

    @Test
    void edgeCases() {
        for (String[] c : EDGE_CASES) both(c);
        // members stored as integers in a listpack come back as their decimal text
        both("geoadd", "ints", "10", "10", "1", "10.001", "10.001", "22", "10.002", "10", "-5");
        both("geosearch", "ints", "fromlonlat", "10", "10", "byradius", "1000", "km", "withhash", "withdist", "desc");
        both("geosearchstore", "ints2", "ints", "fromlonlat", "10", "10", "byradius", "1000", "km");
        both("object", "encoding", "ints2");
        d.assertNoDivergence();
    }

    @Test
    void notifications() {
        NotificationCheck n = new NotificationCheck(d, "KEA");
        n.run("geoadd", "g", "1", "1", "a", "2", "2", "b");
        n.run("geoadd", "g", "nx", "1", "1", "a");
        n.run("geoadd", "g", "1", "100", "a");
        n.run("geosearchstore", "d", "g", "fromlonlat", "1", "1", "byradius", "500", "km");
        n.run("georadius", "g", "1", "1", "500", "km", "store", "d2");
        n.run("georadiusbymember", "g", "a", "500", "km", "storedist", "d2");
        n.run("geosearchstore", "d", "g", "fromlonlat", "50", "50", "byradius", "1", "km");
        n.run("geosearchstore", "d2", "nokey", "fromlonlat", "50", "50", "byradius", "1", "km");
        n.run("geosearch", "g", "fromlonlat", "1", "1", "byradius", "500", "km");
        n.run("geopos", "g", "a");
        n.run("geodist", "nokey", "a", "b");
        d.check("config", "set", "notify-keyspace-events", "");
        d.assertNoDivergence();
    }

    /** COMMAND INFO / GETKEYS for the geo family come from Redis's own metadata: arity, flags, key specs. */
    @Test
    void commandMetadata() {
        d.check("command", "info", "geoadd", "geopos", "geodist", "geohash", "geosearch", "geosearchstore",
                "georadius", "georadius_ro", "georadiusbymember", "georadiusbymember_ro");
        d.check("command", "getkeys", "geosearchstore", "dst", "src", "fromlonlat", "0", "0", "byradius", "1", "m");
        d.check("command", "getkeys", "georadius", "src", "0", "0", "1", "m", "store", "d1", "storedist", "d2");
        d.check("command", "getkeys", "georadiusbymember_ro", "src", "a", "1", "m");
        d.check("command", "getkeys", "geoadd", "g", "1", "1", "a");
        d.assertNoDivergence();
    }

    /** A write invalidates a WATCH on its key only when it changes it, as in Redis. */
    @Test
    void watchIsInvalidatedByWrites() {
        int other = d.newConnection();
        String[][] writes = {
            {"geoadd", "w:g", "5", "5", "x"}, {"geoadd", "w:g", "nx", "1", "1", "a"}, {"geoadd", "w:g", "xx", "ch", "2", "2", "a"},
            {"geoadd", "w:g", "1", "1", "a"}, {"geoadd", "w:g", "1", "100", "a"},
            {"geosearchstore", "w:g", "w:src", "fromlonlat", "0", "0", "byradius", "500", "km"},
            {"geosearchstore", "w:g", "w:src", "fromlonlat", "50", "50", "byradius", "1", "km"},
            {"geosearchstore", "w:other", "w:g", "fromlonlat", "0", "0", "byradius", "500", "km"},
            {"georadius", "w:g", "0", "0", "500", "km", "store", "w:g"}, {"georadius", "w:src", "0", "0", "500", "km", "storedist", "w:g"},
            {"georadiusbymember", "w:src", "q", "1", "m", "store", "w:g"}, {"geosearch", "w:g", "fromlonlat", "1", "1", "byradius", "1", "km"},
            {"geopos", "w:g", "a"}, {"geodist", "w:g", "a", "b"},
        };
        d.check("geoadd", "w:src", "0.1", "0.1", "q", "0.2", "0.2", "r");
        for (String[] w : writes) {
            d.check("del", "w:g");
            d.check("geoadd", "w:g", "1", "1", "a", "2", "2", "b");
            d.check("watch", "w:g");
            d.on(other, Mode.EXACT, w);
            d.check("multi");
            d.check("zcard", "w:g");
            d.check("exec");
        }
        d.assertNoDivergence();
    }

    // ---- random run ----------------------------------------------------------------------------

    private static final String[] UNITS = {"m", "km", "ft", "mi", "M", "KM", "Ft", "mI"};
    private static final String[] KEYS = {"g0", "g1", "g2", "big"};

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.7f", v);
    }

    /** A random point: anywhere, near a pole or the latitude limits, near the antimeridian, or a hot spot. */
    private static String[] point(Random r) {
        double lon, lat;
        switch (r.nextInt(7)) {
            case 0 -> { lon = r.nextDouble() * 360 - 180; lat = (r.nextBoolean() ? 1 : -1) * (80 + r.nextDouble() * 5.05112878); }
            case 1 -> { lon = (r.nextBoolean() ? 180 : -180) - (r.nextBoolean() ? 1 : -1) * r.nextDouble() * 2; lat = r.nextDouble() * 170 - 85; }
            case 2 -> {
                String[] lims = {"180", "-180", "85.05112878", "-85.05112878", "0"};
                return new String[] {lims[r.nextInt(2) * 1 + (r.nextBoolean() ? 0 : 4) * 0 + (r.nextInt(3) == 0 ? 4 : 0) % 5 == 4 ? 4 : r.nextInt(2)],
                    lims[2 + r.nextInt(3)]};
            }
            case 3 -> { lon = 13 + r.nextDouble() * 0.5; lat = 38 + r.nextDouble() * 0.5; } // a dense spot
            case 4 -> { lon = 13.25; lat = 38.25; } // exact duplicates: distance ties
            default -> { lon = r.nextDouble() * 360 - 180; lat = r.nextDouble() * 170.1 - 85.05; }
        }
        lon = Math.max(-180, Math.min(180, lon));
        lat = Math.max(-85.05112878, Math.min(85.05112878, lat));
        return new String[] {num(lon), num(lat)};
    }

    private static String member(Random r) {
        return r.nextInt(4) == 0 ? Integer.toString(r.nextInt(300) - 50) : "m" + r.nextInt(400);
    }

    /** A radius, width or height: zero, tiny, regional or planetary, in some unit. */
    private static String distance(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> "0";
            case 1 -> num(r.nextDouble() * 100);
            case 2 -> num(r.nextDouble() * 1e5);
            case 3 -> num(r.nextDouble() * 3e6);
            case 4 -> num(r.nextDouble() * 2.5e7);
            default -> Integer.toString(r.nextInt(1000));
        };
    }

    private static void search(Random r, List<String> cmd, boolean search, boolean store) {
        if (r.nextInt(10) < 8) {
            if (r.nextInt(5) == 0) {
                cmd.add("desc");
            } else if (r.nextBoolean()) {
                cmd.add(r.nextBoolean() ? "asc" : "ASC");
            }
        }
        if (r.nextInt(3) == 0) {
            cmd.add("count");
            cmd.add(Integer.toString(1 + r.nextInt(r.nextBoolean() ? 5 : 200)));
            if (r.nextInt(3) == 0) cmd.add("any");
        }
        if (!store) {
            if (r.nextInt(3) == 0) cmd.add("withdist");
            if (r.nextInt(3) == 0) cmd.add("withcoord");
            if (r.nextInt(4) == 0) cmd.add("withhash");
        } else if (search && r.nextBoolean()) {
            cmd.add("storedist");
        }
    }

    @Test
    void randomOperations() {
        Random r = new Random(0x6e0L);
        d.check("config", "set", "zset-max-listpack-entries", "64");
        // one big set: skiplist encoded, dense enough for searches that find hundreds
        List<String> big = new ArrayList<>(List.of("geoadd", "big"));
        for (int i = 0; i < 600; i++) {
            String[] p = point(r);
            big.add(p[0]);
            big.add(p[1]);
            big.add("b" + i);
        }
        d.check(big.toArray(String[]::new));
        d.check("set", "str", "text");
        int ops = 11_000;
        for (int op = 0; op < ops; op++) {
            String key = KEYS[r.nextInt(KEYS.length)];
            int conn = r.nextInt(8) == 0 ? resp3 : 0;
            List<String> cmd = new ArrayList<>();
            int kind = r.nextInt(100);
            if (kind < 22) {
                cmd.add("geoadd");
                cmd.add(key.equals("big") && r.nextInt(4) != 0 ? "g0" : key);
                int opt = r.nextInt(10);
                if (opt == 0) cmd.add("nx");
                if (opt == 1) cmd.add("xx");
                if (r.nextInt(5) == 0) cmd.add("ch");
                int n = 1 + r.nextInt(r.nextBoolean() ? 3 : 20);
                for (int i = 0; i < n; i++) {
                    String[] p = point(r);
                    cmd.add(p[0]);
                    cmd.add(p[1]);
                    cmd.add(member(r));
                }
            } else if (kind < 27) {
                cmd.add("geopos");
                cmd.add(key);
                for (int i = r.nextInt(4); i >= 0; i--) cmd.add(r.nextBoolean() ? member(r) : "b" + r.nextInt(600));
            } else if (kind < 31) {
                cmd.add("geohash");
                cmd.add(key);
                for (int i = r.nextInt(4); i >= 0; i--) cmd.add(r.nextBoolean() ? member(r) : "b" + r.nextInt(600));
            } else if (kind < 36) {
                cmd.add("geodist");
                cmd.add(key);
                cmd.add(key.equals("big") ? "b" + r.nextInt(600) : member(r));
                cmd.add(key.equals("big") ? "b" + r.nextInt(600) : member(r));
                if (r.nextBoolean()) cmd.add(UNITS[r.nextInt(UNITS.length)]);
            } else if (kind < 90) {
                boolean store = r.nextInt(5) == 0;
                int form = r.nextInt(6);
                String from = key.equals("big") ? "b" + r.nextInt(600) : member(r);
                if (form < 3) {
                    cmd.add(store ? "geosearchstore" : "geosearch");
                    if (store) cmd.add("dst" + r.nextInt(2));
                    cmd.add(key);
                    if (r.nextInt(3) == 0) {
                        cmd.add("frommember");
                        cmd.add(from);
                    } else {
                        String[] p = point(r);
                        cmd.add("fromlonlat");
                        cmd.add(p[0]);
                        cmd.add(p[1]);
                    }
                    if (r.nextBoolean()) {
                        cmd.add("byradius");
                        cmd.add(distance(r));
                    } else {
                        cmd.add("bybox");
                        cmd.add(distance(r));
                        cmd.add(distance(r));
                    }
                    cmd.add(UNITS[r.nextInt(UNITS.length)]);
                    search(r, cmd, true, store);
                } else {
                    boolean byMember = form >= 5;
                    boolean ro = !store && r.nextInt(3) == 0;
                    cmd.add((byMember ? "georadiusbymember" : "georadius") + (ro ? "_ro" : ""));
                    cmd.add(key);
                    if (byMember) {
                        cmd.add(from);
                    } else {
                        String[] p = point(r);
                        cmd.add(p[0]);
                        cmd.add(p[1]);
                    }
                    cmd.add(distance(r));
                    cmd.add(UNITS[r.nextInt(UNITS.length)]);
                    search(r, cmd, false, store);
                    if (store) {
                        cmd.add(r.nextBoolean() ? "store" : "storedist");
                        cmd.add("dst" + r.nextInt(2));
                    }
                }
                d.on(conn, Mode.EXACT, cmd.toArray(String[]::new));
                if (store) {
                    String dst = cmd.get(0).equals("geosearchstore") ? cmd.get(1) : cmd.get(cmd.size() - 1);
                    // STOREDIST scores show all 17 digits of each distance
                    d.check("zrange", dst, "0", "-1", "withscores");
                    d.check("object", "encoding", dst);
                }
                continue;
            } else if (kind < 94) {
                cmd.add("zrem");
                cmd.add(key);
                for (int i = r.nextInt(5); i >= 0; i--) cmd.add(member(r));
            } else if (kind < 95) {
                cmd.add("del");
                cmd.add(key.equals("big") ? "g1" : key);
            } else if (kind < 97) {
                // the wrong type: every command refuses a string
                String[] wrong = {"geopos str a", "geohash str a", "geodist str a b",
                    "geosearch str fromlonlat 0 0 byradius 1 km", "georadius str 0 0 1 km", "geoadd str 0 0 a"};
                for (String w : wrong[r.nextInt(wrong.length)].split(" ")) cmd.add(w);
            } else {
                cmd.add("zrange");
                cmd.add(key);
                cmd.add("0");
                cmd.add("-1");
                cmd.add("withscores");
            }
            d.on(conn, Mode.EXACT, cmd.toArray(String[]::new));
            if (op % 500 == 0) {
                for (String k : KEYS) d.check("object", "encoding", k);
            }
        }
        d.check("config", "set", "zset-max-listpack-entries", "128");
        System.out.println("GeoDifferentialTest: " + d.commandsRun() + " commands");
        d.assertNoDivergence();
    }
}
