package io.ember.type;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@link SkipList} and {@link ZSetValue} against a plain sorted model (a TreeSet of (score,
 * member)): ranks, the node at a rank, score and lex range ends, range deletions, score updates,
 * with the skiplist's links and spans checked after every step; and ZSetValue in both encodings
 * and across conversions, which must always hold the same members as the model.
 */
class SkipListTest {
    record Entry(double score, byte[] member) {}

    static final Comparator<Entry> ORDER = (a, b) -> {
        int c = Double.compare(a.score, b.score);
        if (a.score == b.score) c = 0; // -0 and 0 are equal scores
        return c != 0 ? c : Arrays.compareUnsigned(a.member, b.member);
    };

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] member(Random r) {
        return b("m" + r.nextInt(300));
    }

    private static double score(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> r.nextInt(5); // many equal scores: member order decides
            case 1 -> r.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            default -> r.nextInt(2000) / 8.0 - 100;
        };
    }

    @Test
    void ranksAndRangesFollowASortedModel() {
        Random r = new Random(1);
        SkipList list = new SkipList();
        Map<String, SkipList.Node> nodes = new HashMap<>();
        TreeSet<Entry> model = new TreeSet<>(ORDER);
        Map<String, Double> scores = new HashMap<>();
        ZDict dict = new ZDict();
        for (int step = 0; step < 20_000; step++) {
            byte[] m = member(r);
            String ms = new String(m, StandardCharsets.ISO_8859_1);
            int op = r.nextInt(10);
            if (op < 4) { // insert or update
                double s = score(r);
                Double cur = scores.get(ms);
                // half the updates nudge the score, which mostly keeps the node in place
                if (cur != null && r.nextBoolean()) s = cur + (r.nextBoolean() ? 1e-6 : -1e-6);
                if (cur == null) {
                    SkipList.Node n = list.insert(s, m);
                    nodes.put(ms, n);
                    dict.insert(n);
                } else {
                    model.remove(new Entry(cur, m));
                    list.updateScore(nodes.get(ms), s);
                    assertEquals(nodes.get(ms), dict.find(m));
                }
                model.add(new Entry(s, m));
                scores.put(ms, s);
            } else if (op < 6) { // delete
                Double cur = scores.remove(ms);
                assertEquals(cur != null, list.delete(cur == null ? 0 : cur, m));
                if (cur != null) {
                    model.remove(new Entry(cur, m));
                    nodes.remove(ms);
                    assertEquals(cur, dict.remove(m).score());
                }
            } else if (op == 6 && r.nextInt(20) == 0) { // delete a score range
                double lo = score(r), hi = score(r);
                ZRange.Score range = new ZRange.Score(lo, r.nextBoolean(), hi, r.nextBoolean());
                List<Entry> gone = new ArrayList<>();
                for (Entry e : model) if (!range.alwaysEmpty() && range.gteMin(e.score, e.member) && range.lteMax(e.score, e.member)) gone.add(e);
                assertEquals(gone.size(), list.deleteRange(range, dict));
                for (Entry e : gone) {
                    model.remove(e);
                    String k = new String(e.member, StandardCharsets.ISO_8859_1);
                    scores.remove(k);
                    nodes.remove(k);
                }
                assertEquals(model.size(), dict.size());
            } else if (op == 7 && r.nextInt(20) == 0 && !model.isEmpty()) { // delete a rank range
                long start = 1 + r.nextInt(model.size()), end = start + r.nextInt(5);
                List<Entry> all = new ArrayList<>(model);
                long expected = Math.min(end, all.size()) - start + 1;
                assertEquals(expected, list.deleteRangeByRank(start, end, dict));
                for (long k = start; k <= Math.min(end, all.size()); k++) {
                    Entry e = all.get((int) k - 1);
                    model.remove(e);
                    String key = new String(e.member, StandardCharsets.ISO_8859_1);
                    scores.remove(key);
                    nodes.remove(key);
                }
            } else { // queries
                List<Entry> all = new ArrayList<>(model);
                if (!all.isEmpty()) {
                    int i = r.nextInt(all.size());
                    Entry e = all.get(i);
                    assertEquals(i + 1, list.rank(e.score, e.member));
                    SkipList.Node n = list.byRank(i + 1);
                    assertTrue(Arrays.equals(e.member, n.member()) && e.score == n.score());
                }
                assertNull(list.byRank(all.size() + 1));
                assertEquals(0, list.rank(1e9, b("absent")));
                double lo = score(r), hi = score(r);
                ZRange.Score range = new ZRange.Score(lo, r.nextBoolean(), hi, r.nextBoolean());
                Entry first = null, last = null;
                for (Entry x : all) {
                    if (range.alwaysEmpty() || !range.gteMin(x.score, x.member) || !range.lteMax(x.score, x.member)) continue;
                    if (first == null) first = x;
                    last = x;
                }
                SkipList.Node f = list.firstInRange(range), l = list.lastInRange(range);
                assertEquals(first == null, f == null);
                assertEquals(last == null, l == null);
                if (first != null) {
                    assertTrue(Arrays.equals(first.member, f.member()));
                    assertTrue(Arrays.equals(last.member, l.member()));
                }
            }
            if (step % 100 == 0) assertNull(list.check());
            assertEquals(model.size(), list.length());
        }
        assertNull(list.check());
        // walking forward and back gives the model's order
        List<Entry> all = new ArrayList<>(model);
        int i = 0;
        for (SkipList.Node n = list.first(); n != null; n = n.next(), i++) assertTrue(Arrays.equals(all.get(i).member, n.member()));
        i = all.size() - 1;
        for (SkipList.Node n = list.last(); n != null; n = n.prev(), i--) assertTrue(Arrays.equals(all.get(i).member, n.member()));
    }

    @Test
    void lexRangesOnEqualScores() {
        SkipList list = new SkipList();
        String[] members = {"", "a", "aa", "ab", "b", "ba", "c", "\u00ff", "1", "10", "2"};
        for (String m : members) list.insert(0, b(m));
        String[][] cases = { // min, max, expected first, expected last (null: empty)
            {"-", "+", "", "\u00ff"}, {"[a", "(b", "a", "ab"}, {"(a", "[b", "aa", "b"}, {"[", "(1", "", ""},
            {"(ab", "(ba", "b", "b"}, {"+", "-", null, null}, {"[c", "[c", "c", "c"}, {"(c", "[c", null, null},
            {"-", "-", null, null}, {"[zz", "+", "\u00ff", "\u00ff"},
        };
        for (String[] c : cases) {
            ZRange.Lex range = ZRange.Lex.parse(b(c[0]), b(c[1]));
            SkipList.Node f = list.firstInRange(range), l = list.lastInRange(range);
            if (c[2] == null) {
                assertNull(f, Arrays.toString(c));
                assertNull(l, Arrays.toString(c));
            } else {
                assertEquals(c[2], new String(f.member(), StandardCharsets.ISO_8859_1), Arrays.toString(c));
                assertEquals(c[3], new String(l.member(), StandardCharsets.ISO_8859_1), Arrays.toString(c));
            }
        }
        assertNull(ZRange.Lex.parse(b("a"), b("+")));
        assertNull(ZRange.Lex.parse(b(""), b("+")));
        assertNull(ZRange.Lex.parse(b("-"), b("+x")));
        assertTrue(ZRange.Lex.parse(b("-"), new byte[] {'+', 0, 'x'}) != null); // C string: "+" then NUL
    }

    /** ZSetValue in both encodings and through conversions holds exactly the model's members, in order. */
    @Test
    void zsetValueMatchesTheModelInBothEncodings() {
        Random r = new Random(2);
        for (int round = 0; round < 20; round++) {
            long maxEntries = r.nextInt(3) == 0 ? 0 : 1 + r.nextInt(40);
            ZSetValue z = ZSetValue.create(1, 3, maxEntries, 16);
            TreeSet<Entry> model = new TreeSet<>(ORDER);
            Map<String, Double> scores = new HashMap<>();
            for (int step = 0; step < 400; step++) {
                byte[] m = r.nextInt(20) == 0 ? b("a-member-longer-than-sixteen-" + r.nextInt(3)) : b(Integer.toString(r.nextInt(60)));
                String ms = new String(m, StandardCharsets.ISO_8859_1);
                if (r.nextInt(3) > 0) {
                    double s = score(r);
                    int res = z.add(s, m, 0, maxEntries, 16);
                    Double cur = scores.put(ms, s);
                    if (cur != null) model.remove(new Entry(cur, m));
                    model.add(new Entry(s, m));
                    assertEquals(cur == null ? ZSetValue.ADDED : (cur == s ? 0 : ZSetValue.UPDATED), res);
                } else {
                    Double cur = scores.remove(ms);
                    assertEquals(cur != null, z.delete(m));
                    if (cur != null) model.remove(new Entry(cur, m));
                }
                if (z.length() > maxEntries) assertFalse(z.isListpack(), "over the threshold: skiplist");
                assertNull(z.check());
                assertEquals(model.size(), z.length());
                if (step % 40 == 0) {
                    List<Entry> all = new ArrayList<>(model);
                    int i = 0;
                    for (ZSetValue.Cursor c = z.first(); c.valid(); c.step(false), i++) {
                        assertTrue(Arrays.equals(all.get(i).member, c.member()));
                        assertEquals(all.get(i).score, c.score());
                        assertEquals(i, z.rank(c.member(), false));
                        assertEquals(all.size() - 1 - i, z.rank(c.member(), true));
                    }
                    assertEquals(all.size(), i);
                    ZSetValue copy = (ZSetValue) z.duplicate();
                    assertEquals(z.encoding(), copy.encoding());
                    z.add(1, b("changed-after-copy"), 0, maxEntries, 16);
                    assertTrue(Double.isNaN(copy.score(b("changed-after-copy"))));
                    z.delete(b("changed-after-copy"));
                }
            }
        }
    }

    /**
     * ZDict: lookups, removals and shrinking agree with a map, and a SCAN that runs while the
     * table grows and shrinks returns every member present from its start to its end.
     */
    @Test
    void dictScanVisitsEveryMemberAcrossResizes() {
        Random r = new Random(3);
        for (int round = 0; round < 30; round++) {
            ZDict dict = new ZDict();
            SkipList list = new SkipList();
            Map<String, SkipList.Node> model = new HashMap<>();
            int initial = r.nextInt(2000);
            for (int i = 0; i < initial; i++) {
                SkipList.Node n = list.insert(i, b("k" + i));
                dict.insert(n);
                model.put("k" + i, n);
            }
            java.util.Set<String> stable = new java.util.HashSet<>(model.keySet());
            java.util.Set<String> seen = new java.util.HashSet<>();
            boolean grow = r.nextBoolean();
            long cursor = 0;
            int next = initial;
            do {
                cursor = dict.scan(cursor, n -> seen.add(new String(n.member(), StandardCharsets.ISO_8859_1)));
                for (int k = 0; k < 3; k++) { // churn between steps: the table resizes under the cursor
                    if (grow && next > initial + 4000) break;
                    if (grow || model.isEmpty()) {
                        String m = "n" + next++;
                        SkipList.Node n = list.insert(0, b(m));
                        dict.insert(n);
                        model.put(m, n);
                    } else {
                        String m = model.keySet().iterator().next();
                        assertTrue(dict.remove(b(m)) == model.remove(m));
                        stable.remove(m);
                    }
                }
                if (!grow) dict.shrinkIfSparse();
            } while (cursor != 0);
            for (String m : stable) assertTrue(seen.contains(m), "scan missed " + m);
            assertEquals(model.size(), dict.size());
            for (Map.Entry<String, SkipList.Node> e : model.entrySet()) assertTrue(dict.find(b(e.getKey())) == e.getValue());
            assertNull(dict.find(b("absent")));
        }
    }
}
