package io.ember.bench;

import io.ember.type.ZRange;
import io.ember.type.ZSetValue;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A skiplist-encoded sorted set of 10k to 1M members: the cost of ZADD (a new member, then its
 * removal to keep the size; or a changed score), ZRANK, and ZRANGE BYSCORE with LIMIT must grow
 * with log n only.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Xmx3g"})
public class SortedSetBench {
    @Param({"10000", "100000", "1000000"})
    int members;

    /**
     * random: members picked all over the set (every search misses the CPU caches on a large set,
     * so the figure mixes log n steps with memory latency); ordered: members in score order, so
     * consecutive searches share their path and the figure shows the log n work itself.
     */
    @Param({"random", "ordered"})
    String access;

    private ZSetValue z;
    private byte[][] names;
    private double[] scores;
    private byte[][] fresh;
    private int i;
    private int[] order;

    @Setup
    public void setup() {
        Random r = new Random(42);
        z = ZSetValue.newSkiplist();
        names = new byte[members][];
        scores = new double[members];
        for (int k = 0; k < members; k++) {
            names[k] = ("member:" + k).getBytes(StandardCharsets.ISO_8859_1);
            scores[k] = r.nextInt(members * 4) / 4.0;
            z.add(scores[k], names[k], 0, 0, 64);
        }
        Integer[] byScore = new Integer[members];
        for (int k = 0; k < members; k++) byScore[k] = k;
        java.util.Arrays.sort(byScore, (a, b) -> Double.compare(scores[a], scores[b]));
        order = new int[members];
        for (int k = 0; k < members; k++) order[k] = access.equals("random") ? k : byScore[k];
        fresh = new byte[1024][];
        for (int k = 0; k < fresh.length; k++) fresh[k] = ("fresh:" + k).getBytes(StandardCharsets.ISO_8859_1);
    }

    private int next() {
        i = access.equals("random") ? (i + 7919) % members : (i + 1) % members;
        return order[i];
    }

    /** ZADD of a member not in the set, then ZREM of it: insert and delete, O(log n) each. */
    @Benchmark
    public int zaddNewMember() {
        int k = next();
        byte[] m = fresh[k & 1023];
        int r = z.add(scores[k] + 0.5, m, 0, 0, 64);
        z.delete(m);
        return r;
    }

    /** ZADD changing an existing member's score (skiplist update in place or reinsert). */
    @Benchmark
    public int zaddUpdateScore() {
        int k = next();
        scores[k] += 1.25;
        return z.add(scores[k], names[k], 0, 0, 64);
    }

    /**
     * ZADD (or ZINCRBY) nudging an existing member's score so that it keeps its place, as a
     * leaderboard's small increments mostly do: updated in place, no descent.
     */
    @Benchmark
    public int zaddScoreInPlace() {
        int k = next();
        scores[k] += 1e-9;
        return z.add(scores[k], names[k], 0, 0, 64);
    }

    @Benchmark
    public long zrank() {
        return z.rank(names[next()], false);
    }

    /** ZRANGE key min +inf BYSCORE LIMIT 100 10: find the range start, jump 100, read 10. */
    @Benchmark
    public double zrangeByScoreLimit() {
        double min = scores[next()];
        ZRange.Score range = new ZRange.Score(min, false, Double.POSITIVE_INFINITY, false);
        ZSetValue.Cursor c = z.inRange(range, false);
        z.skip(c, 100, false);
        double sum = 0;
        for (int n = 0; n < 10 && c.valid() && c.inside(range, false); n++) {
            sum += c.score();
            c.step(false);
        }
        return sum;
    }
}
