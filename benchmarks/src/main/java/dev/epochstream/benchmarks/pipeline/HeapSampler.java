package dev.epochstream.benchmarks.pipeline;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Peak heap use while a run goes on, and the machine's load average. */
final class HeapSampler {
    private final List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans();
    private long peakUsed;
    private long peakOldAfterGc;

    void sample() {
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        peakUsed = Math.max(peakUsed, used);
        for (MemoryPoolMXBean pool : pools) {
            // G1 Old Gen (or the tenured pool of another collector): occupancy after the last collection
            if (pool.getType() == MemoryType.HEAP && pool.getName().contains("Old")) {
                MemoryUsage after = pool.getCollectionUsage();
                if (after != null) {
                    peakOldAfterGc = Math.max(peakOldAfterGc, after.getUsed());
                }
            }
        }
    }

    long peakUsedMb() {
        return peakUsed >> 20;
    }

    long peakOldAfterGcMb() {
        return peakOldAfterGc >> 20;
    }

    /** The 1-minute load average from /proc/loadavg, NaN where there is none. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (Exception e) {
            return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        }
    }

    /** CPU time of this whole process (every thread), in nanoseconds; -1 where the JVM cannot tell. */
    static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }
}
