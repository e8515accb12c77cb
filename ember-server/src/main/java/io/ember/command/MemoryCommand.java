package io.ember.command;

import io.ember.client.Client;
import io.ember.engine.Database;
import io.ember.engine.Engine;
import io.ember.memory.MemoryEstimate;
import io.ember.stats.ProcessMetrics;
import io.ember.stats.ServerStats;
import io.ember.util.Bytes;
import io.ember.util.Doubles;
import java.util.List;

/**
 * MEMORY USAGE, STATS, DOCTOR, MALLOC-STATS, PURGE and HELP. The figures are Ember's estimates
 * (memory.MemoryEstimate: the heap a key and its value retain), not allocator statistics;
 * docs/memory.md says how they relate to the JVM heap.
 */
final class MemoryCommand {
    private MemoryCommand() {}

    static void register(CommandTable t) {
        t.addSub("memory", "usage", MemoryCommand::usage);
        t.addSub("memory", "stats", MemoryCommand::stats);
        t.addSub("memory", "doctor", MemoryCommand::doctor);
        t.addSub("memory", "malloc-stats", (c, argv, argc) -> c.reply.bulk("Stats not supported for the current allocator"));
        t.addSub("memory", "purge", (c, argv, argc) -> c.reply.ok());
        t.addSub("memory", "help", MemoryCommand::help);
    }

    /** MEMORY USAGE key [SAMPLES n]: the estimate is exact in O(1), so SAMPLES is parsed and ignored. */
    static void usage(Client c, byte[][] argv, int argc) {
        for (int j = 3; j < argc; j++) {
            if (Bytes.eqIgnoreCase(argv[j], "samples") && j + 1 < argc) {
                long[] n = new long[1];
                if (!Args.longOrReply(c, argv[++j], null, n)) return;
                if (n[0] < 0) {
                    c.reply.error(Errors.SYNTAX);
                    return;
                }
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
        Database db = c.db;
        int ref = db.peekRaw(argv[2]); // like Redis, without expiring the key
        if (ref == 0) {
            c.reply.nullBulk();
            return;
        }
        c.reply.integer(MemoryEstimate.entryBytes(db.key(ref), db.value(ref), db.table().expireAt(ref) != 0));
    }

    static void stats(Client c, byte[][] argv, int argc) {
        Engine e = c.engine;
        long startup = ServerStats.USED_MEMORY_STARTUP;
        long used = e.usedMemory();
        long dataset = used - startup;
        long peak = e.stats.usedMemoryPeak(used);
        long keys = 0;
        for (int i = 0; i < e.dbCount(); i++) keys += e.db(i).size();
        long heap = ProcessMetrics.heapUsed(), committed = Math.max(heap, ProcessMetrics.heapCommitted());
        long rss = ProcessMetrics.rss();
        c.reply.mapHeader(20);
        field(c, "peak.allocated", peak);
        field(c, "total.allocated", used);
        field(c, "startup.allocated", startup);
        field(c, "replication.backlog", 0);
        field(c, "clients.slaves", 0);
        field(c, "clients.normal", 0);
        field(c, "aof.buffer", 0);
        field(c, "overhead.total", startup);
        field(c, "keys.count", keys);
        field(c, "keys.bytes-per-key", keys == 0 ? 0 : dataset / keys);
        field(c, "dataset.bytes", dataset);
        c.reply.bulk("dataset.percentage");
        c.reply.doubleFormatted(Doubles.format17g(percent(dataset, used - startup)));
        c.reply.bulk("peak.percentage");
        c.reply.doubleFormatted(Doubles.format17g(percent(used, peak)));
        field(c, "allocator.allocated", heap);
        field(c, "allocator.active", committed);
        field(c, "allocator.resident", rss);
        c.reply.bulk("allocator-fragmentation.ratio");
        c.reply.doubleFormatted(Doubles.format17g(ratio(committed, heap)));
        field(c, "allocator-fragmentation.bytes", committed - heap);
        c.reply.bulk("fragmentation");
        c.reply.doubleFormatted(Doubles.format17g(ratio(rss, used)));
        field(c, "fragmentation.bytes", rss - used);
    }

    private static void field(Client c, String name, long v) {
        c.reply.bulk(name);
        c.reply.integer(v);
    }

    private static double percent(long part, long whole) {
        return whole <= 0 ? 0.0 : part * 100.0 / whole;
    }

    private static double ratio(long a, long b) {
        return b <= 0 ? 0.0 : (double) a / b;
    }

    /** MEMORY DOCTOR: Redis's texts for an empty instance, a high peak, or nothing to report. */
    static void doctor(Client c, byte[][] argv, int argc) {
        long used = c.engine.usedMemory();
        long peak = c.engine.stats.usedMemoryPeak(used);
        String report;
        if (used < 5L << 20) {
            report = "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be "
                    + "used in these conditions. Please, leave for your mission on Earth and fill it with some data. "
                    + "The new Sam and I will be back to our programming as soon as I finished rebooting.\n";
        } else if (peak / 1.5 > used) {
            report = "Sam, I detected a few issues in this Redis instance memory implants:\n\n"
                    + " * Peak memory: In the past this instance used more than 150% the memory that is currently "
                    + "using. The allocator is normally not able to release memory after a peak, so you can expect "
                    + "to see a big fragmentation ratio, however this is actually harmless and is only due to the "
                    + "memory peak, and if the Redis instance Resident Set Size (RSS) is currently bigger than "
                    + "expected, the memory will be used as soon as you fill the Redis instance with more data. If "
                    + "the memory peak was only occasional and you want to try to reclaim memory, please try the "
                    + "MEMORY PURGE command, otherwise the only other option is to shutdown and restart the "
                    + "instance.\n\nI'm here to keep you safe, Sam. I want to help you.\n";
        } else {
            report = "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs "
                    + "on this base.\n";
        }
        c.reply.verbatim(report);
    }

    static void help(Client c, byte[][] argv, int argc) {
        Help.reply(c, argv[0], List.of(
                "DOCTOR",
                "    Return memory problems reports.",
                "MALLOC-STATS",
                "    Return internal statistics report from the memory allocator.",
                "PURGE",
                "    Attempt to purge dirty pages for reclamation by the allocator.",
                "STATS",
                "    Return information about the memory usage of the server.",
                "USAGE <key> [SAMPLES <count>]",
                "    Return memory in bytes used by <key> and its value. Nested values are",
                "    sampled up to <count> times (default: 5, 0 means sample all)."));
    }
}
