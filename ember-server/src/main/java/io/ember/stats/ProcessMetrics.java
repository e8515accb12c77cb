package io.ember.stats;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What INFO reports about the process and the machine: JVM heap, resident set size, CPU times,
 * system memory, operating system. Reads /proc on Linux and falls back to the JVM's management
 * beans (or 0) elsewhere. Admin-path code: it may allocate.
 */
public final class ProcessMetrics {
    /** Linux reports CPU times in clock ticks of 1/100 s (USER_HZ) on every common platform. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessMetrics() {}

    /** Bytes of Java heap in use: Ember's used_memory until memory accounting exists. */
    public static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Bytes of heap the JVM has reserved from the OS (its "active" allocator memory). */
    public static long heapCommitted() {
        MemoryUsage u = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return Math.max(u.getCommitted(), u.getUsed());
    }

    /** Resident set size of the whole process (heap, metaspace, direct buffers, code). */
    public static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return heapCommitted();
    }

    public static long totalSystemMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return 0;
    }

    /**
     * CPU seconds {user, system, children user, children system} of the process, from
     * /proc/self/stat; elsewhere the process CPU time is all counted as user time.
     */
    public static double[] processCpu() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after "pid (comm) ", field 3 (state) is f[0]; utime is field 14, stime 15, cutime 16, cstime 17
            return new double[] {ticks(f[11]), ticks(f[12]), ticks(f[13]), ticks(f[14])};
        } catch (IOException | RuntimeException e) {
            double cpu = 0;
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                cpu = Math.max(0, os.getProcessCpuTime()) / 1e9;
            }
            return new double[] {cpu, 0, 0, 0};
        }
    }

    private static double ticks(String s) {
        return Long.parseLong(s) / TICKS_PER_SECOND;
    }

    /** CPU seconds {user, system} of the calling thread (INFO runs on the engine thread). */
    public static double[] currentThreadCpu() {
        ThreadMXBean t = ManagementFactory.getThreadMXBean();
        if (!t.isCurrentThreadCpuTimeSupported()) return new double[] {0, 0};
        long total = t.getCurrentThreadCpuTime();
        long user = t.getCurrentThreadUserTime();
        return new double[] {user / 1e9, Math.max(0, total - user) / 1e9};
    }

    /** "Linux 6.1.0-18-amd64 x86_64", the uname fields Redis prints. */
    public static String os() {
        String arch = System.getProperty("os.arch", "");
        if (arch.equals("amd64")) arch = "x86_64";
        return System.getProperty("os.name", "") + " " + System.getProperty("os.version", "") + " " + arch;
    }

    /** Redis's bytesToHuman: 1023B, 1.00K, 12.50M, 1.00G... */
    public static String human(long n) {
        if (n < 1024) return n + "B";
        String[] units = {"K", "M", "G", "T", "P"};
        double d = n;
        for (String unit : units) {
            d /= 1024;
            if (d < 1024 || unit.equals("P")) return String.format(Locale.ROOT, "%.2f%s", d, unit);
        }
        return n + "B";
    }
}
