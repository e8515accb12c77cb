package io.ember.command;

import io.ember.testing.Differential;
import io.ember.testing.Differential.Mode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** SORT and SORT_RO against redis-server: every option, every source type, STORE, errors. */
class SortDifferentialTest {

    private static void data(Differential d) {
        d.check("rpush", "nums", "3", "1", "10", "2.5", "-4", "1e2", "0x10", " 7");
        d.check("rpush", "words", "pear", "apple", "Banana", "cherry", "apple", "date");
        d.check("rpush", "mixed", "1", "two", "3");
        d.check("sadd", "iset", "5", "3", "9", "1", "7");
        d.check("sadd", "sset", "x", "a", "m", "b", "zz");
        d.check("zadd", "zs", "3", "c", "1", "a", "2", "b", "5", "e", "4", "d");
        for (String w : new String[] {"pear", "apple", "Banana", "cherry", "date", "x", "a", "m", "b", "zz", "c", "d", "e"}) {
            d.check("set", "w_" + w, Integer.toString(w.hashCode() % 97));
            d.check("hset", "h_" + w, "name", w.toUpperCase(), "len", Integer.toString(w.length()));
            d.check("set", "label_" + w, "L" + w);
        }
        d.check("set", "str", "value");
    }

    @Test
    void optionsTypesAndErrorsMatchRedis() {
        try (Differential d = new Differential()) {
            data(d);
            String[][] cases = {
                {"sort", "nums"}, {"sort", "nums", "desc"}, {"sort", "nums", "limit", "1", "3"}, {"sort", "nums", "limit", "-5", "2"},
                {"sort", "nums", "limit", "6", "10"}, {"sort", "nums", "limit", "20", "1"}, {"sort", "nums", "limit", "0", "-1"},
                {"sort", "nums", "asc", "desc", "asc"}, {"sort", "words"}, {"sort", "words", "alpha"},
                {"sort", "words", "alpha", "desc", "limit", "1", "2"}, {"sort", "mixed"}, {"sort", "mixed", "alpha"},
                {"sort", "iset"}, {"sort", "iset", "desc"}, {"sort", "sset", "alpha"}, {"sort", "sset"},
                {"sort", "zs"}, {"sort", "zs", "alpha", "desc"}, {"sort", "zs", "by", "nosort"},
                {"sort", "zs", "by", "nosort", "desc"}, {"sort", "zs", "by", "nosort", "limit", "1", "2"},
                {"sort", "zs", "by", "nosort", "desc", "limit", "1", "3"}, {"object", "encoding", "zs"},
                {"sort", "words", "by", "w_*"}, {"sort", "words", "by", "w_*", "desc"}, {"sort", "words", "by", "w_*", "get", "#"},
                {"sort", "words", "by", "w_*", "get", "label_*", "get", "#", "get", "h_*->name", "get", "h_*->nope", "get", "nostar"},
                {"sort", "words", "by", "h_*->len"}, {"sort", "words", "by", "nosort"}, {"sort", "words", "by", "nosort", "desc"},
                {"sort", "words", "by", "nosort", "limit", "1", "3"}, {"sort", "words", "by", "nosort", "desc", "limit", "2", "2"},
                {"sort", "words", "by", "missing_*"}, {"sort", "words", "by", "missing_*", "alpha"},
                {"sort", "words", "alpha", "get", "h_*->"}, {"sort", "words", "alpha", "get", "h_*->name->x"},
                {"sort", "words", "alpha", "store", "dst"}, {"lrange", "dst", "0", "-1"}, {"ttl", "dst"},
                {"sort", "iset", "store", "dst"}, {"lrange", "dst", "0", "-1"}, {"sort", "nokey", "store", "dst"}, {"exists", "dst"},
                {"sort", "sset", "by", "nosort", "store", "dst2"}, {"lrange", "dst2", "0", "-1"},
                {"sort", "words", "alpha", "get", "label_*", "get", "nothing_*", "store", "dst3"}, {"lrange", "dst3", "0", "-1"},
                {"sort_ro", "words", "alpha"}, {"sort_ro", "words", "alpha", "store", "x"}, {"sort_ro", "nums", "limit", "0", "2"},
                {"sort", "nokey"}, {"sort", "nokey", "alpha", "limit", "0", "5"}, {"sort", "str"}, {"sort", "str", "bogus"},
                {"sort", "words"}, {"sort", "nums", "limit", "a", "1"}, {"sort", "nums", "limit", "1"}, {"sort", "nums", "bogus"},
                {"sort", "nums", "store"}, {"sort", "nums", "by"}, {"sort", "nums", "get"}, {"sort", "words", "by", "w_*", "alpha"},
            };
            for (String[] cmd : cases) d.check(cmd);
            // A set without order: BY nosort without STORE returns it in the set's order.
            d.check(Mode.UNORDERED, "sort", "sset", "by", "nosort");
            d.check(Mode.UNORDERED, "sort", "iset", "by", "nosort", "get", "#");
            for (int proto : new int[] {3, 2}) {
                d.check(Mode.TYPE_ONLY, "hello", Integer.toString(proto));
                d.check("sort", "nums", "limit", "0", "3");
                d.check("sort", "words", "alpha", "get", "nothing_*");
            }
            d.assertNoDivergence();
        }
    }

    @Test
    void randomSortsMatchRedis() {
        Random rnd = new Random(4242);
        try (Differential d = new Differential()) {
            List<String> elements = new ArrayList<>();
            for (int i = 0; i < 40; i++) elements.add(i % 3 == 0 ? Integer.toString(rnd.nextInt(200) - 50) : "e" + i);
            for (int i = 0; i < 40; i++) {
                // weights unique, so ALPHA BY never meets ties (whose order Redis leaves unspecified)
                d.check("set", "w_" + elements.get(i), Integer.toString(1000 + i * 7 % 40));
                d.check("hset", "h_" + elements.get(i), "f", "v" + (char) ('a' + i % 26) + i);
            }
            for (int round = 0; round < 300; round++) {
                d.check("del", "l", "s", "z", "dst");
                int n = rnd.nextInt(15);
                List<String> numeric = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    String e = elements.get(rnd.nextInt(elements.size()));
                    d.check("rpush", "l", e);
                    d.check("sadd", "s", e);
                    d.check("zadd", "z", Integer.toString(rnd.nextInt(5)), e);
                    if (!e.startsWith("e")) numeric.add(e);
                }
                for (String key : new String[] {"l", "s", "z"}) {
                    for (int k = 0; k < 4; k++) {
                        List<String> cmd = new ArrayList<>(List.of(rnd.nextBoolean() ? "sort" : "sort_ro", key));
                        boolean byNosort = false;
                        switch (rnd.nextInt(4)) {
                            case 0 -> cmd.add("alpha");
                            case 1 -> { cmd.add("by"); cmd.add("w_*"); }
                            case 2 -> { cmd.add("by"); cmd.add("h_*->f"); cmd.add("alpha"); }
                            default -> { cmd.add("by"); cmd.add("nosort"); byNosort = true; }
                        }
                        if (rnd.nextBoolean()) cmd.add("desc");
                        if (rnd.nextBoolean()) {
                            cmd.add("limit");
                            cmd.add(Integer.toString(rnd.nextInt(6) - 1));
                            cmd.add(Integer.toString(rnd.nextInt(8) - 1));
                        }
                        if (rnd.nextBoolean()) { cmd.add("get"); cmd.add(rnd.nextBoolean() ? "#" : "h_*->f"); }
                        boolean store = cmd.get(0).equals("sort") && rnd.nextInt(4) == 0;
                        if (store) { cmd.add("store"); cmd.add("dst"); }
                        // Only a set's own order is unspecified, and only when nothing is sorted.
                        Mode mode = key.equals("s") && byNosort && !store ? Mode.UNORDERED : Mode.EXACT;
                        if (mode == Mode.UNORDERED && cmd.contains("limit")) continue; // which members: unspecified
                        d.check(mode, cmd.toArray(String[]::new));
                        if (store) d.check("lrange", "dst", "0", "-1");
                    }
                }
                d.check("object", "encoding", "z");
            }
            d.assertNoDivergence();
        }
    }

    /**
     * ALPHA with BY values that tie (equal or missing) has no tie-break in Redis: a full sort keeps
     * the list's order (glibc's merge sort), a LIMIT narrower than the list gives pqsort's order.
     * Lists of up to 120 elements take pqsort through insertion sort, median of three and of nine.
     */
    @Test
    void tiesUnderAlphaByFollowRedisSortAlgorithms() {
        Random rnd = new Random(77);
        try (Differential d = new Differential()) {
            for (int i = 0; i < 6; i++) d.check("set", "t_" + i, "w" + (i % 3));
            for (int round = 0; round < 60; round++) {
                d.check("del", "l");
                int n = 1 + rnd.nextInt(120);
                for (int i = 0; i < n; i++) d.check("rpush", "l", Integer.toString(rnd.nextInt(12)));
                for (int k = 0; k < 6; k++) {
                    List<String> cmd = new ArrayList<>(List.of("sort", "l", "by", rnd.nextBoolean() ? "t_*" : "missing_*", "alpha"));
                    if (rnd.nextBoolean()) cmd.add("desc");
                    if (k > 0) {
                        cmd.add("limit");
                        cmd.add(Integer.toString(rnd.nextInt(n + 2) - 1));
                        cmd.add(Integer.toString(rnd.nextInt(n + 2) - 1));
                    }
                    cmd.add("get");
                    cmd.add("#");
                    d.check(cmd.toArray(String[]::new));
                }
            }
            d.assertNoDivergence();
        }
    }
}
