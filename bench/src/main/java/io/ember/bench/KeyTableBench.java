package io.ember.bench;

import io.ember.engine.KeyTable;
import java.nio.charset.StandardCharsets;
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
 * Lookups and insert/delete churn on a populated key table: a database's (which keeps each key's
 * hash) or a set's member table.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class KeyTableBench {
    @Param({"100000", "1000000"})
    int keys;

    @Param({"database", "member"})
    String kind;

    private KeyTable table;
    private byte[][] names;
    private int i;

    @Setup
    public void setup() {
        table = kind.equals("database") ? KeyTable.forDatabase() : new KeyTable();
        names = new byte[keys][];
        for (int k = 0; k < keys; k++) {
            names[k] = ("key:" + k).getBytes(StandardCharsets.ISO_8859_1);
            table.insert(names[k], names[k], 0);
        }
        while (table.rehashing()) table.rehashStep(1000);
    }

    @Benchmark
    public int findExisting() {
        i = (i + 7919) % keys;
        return table.find(names[i]);
    }

    @Benchmark
    public int deleteAndReinsert() {
        i = (i + 7919) % keys;
        table.delete(names[i]);
        return table.insert(names[i], names[i], 0);
    }
}
