package dev.epochstream.benchmarks.pipeline;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * CPU time of a run split by thread group (the job's operator chains, the broker, the producers), so that
 * a throughput difference between two runs can be pinned on the threads that caused it. The process total
 * says how much CPU a run took, not where: the job's task threads end with the job, so they are sampled
 * while it runs and each thread's largest reading is kept. What the JVM spends outside Java threads (JIT
 * compilers, garbage collector) is the process total minus the Java threads' sum.
 */
final class ThreadCpuSampler {
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    /** CPU nanoseconds of each thread when the run started (0 for threads started since). */
    private final Map<Long, Long> atStart = new HashMap<>();
    /** The latest CPU nanoseconds read for each thread, and its name. */
    private final Map<Long, Long> latest = new HashMap<>();
    private final Map<Long, String> names = new HashMap<>();
    private final boolean supported;

    ThreadCpuSampler() {
        supported = threads.isThreadCpuTimeSupported();
        if (supported) {
            threads.setThreadCpuTimeEnabled(true);
            for (long id : threads.getAllThreadIds()) {
                long cpu = threads.getThreadCpuTime(id);
                if (cpu >= 0) {
                    atStart.put(id, cpu);
                }
            }
        }
    }

    void sample() {
        if (!supported) {
            return;
        }
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long cpu = threads.getThreadCpuTime(info.getThreadId());
            if (cpu >= 0) {
                latest.put(info.getThreadId(), cpu);
                names.putIfAbsent(info.getThreadId(), info.getThreadName());
            }
        }
    }

    /**
     * Seconds of CPU per thread group since construction, largest first, plus "JVM (JIT, GC)" for what the
     * process used beyond its Java threads ({@code processCpuS}); empty where thread CPU time is unsupported.
     */
    Map<String, Double> byGroup(double processCpuS) {
        Map<String, Double> groups = new HashMap<>();
        double sum = 0;
        for (Map.Entry<Long, Long> e : latest.entrySet()) {
            double s = (e.getValue() - atStart.getOrDefault(e.getKey(), 0L)) / 1e9;
            groups.merge(group(names.get(e.getKey())), s, Double::sum);
            sum += s;
        }
        if (supported && processCpuS > 0) {
            groups.put("JVM (JIT, GC)", Math.max(0, processCpuS - sum));
        }
        Map<String, Double> sorted = new LinkedHashMap<>();
        groups.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /** One line: each group's CPU seconds and microseconds per event, the small ones folded into "other". */
    static String line(Map<String, Double> groups, long events) {
        StringBuilder b = new StringBuilder("  cpu by thread:");
        double other = 0;
        for (Map.Entry<String, Double> e : groups.entrySet()) {
            if (e.getValue() < 0.2) {
                other += e.getValue();
            } else {
                b.append(String.format(Locale.ROOT, " %s %.1f s (%.2f µs/ev);", e.getKey(), e.getValue(),
                        1e6 * e.getValue() / Math.max(1, events)));
            }
        }
        b.append(String.format(Locale.ROOT, " other %.1f s", other));
        return b.toString();
    }

    /** A thread's group: its name up to the first " -> " or " (" (operator chains), digits folded. */
    static String group(String name) {
        String n = name == null ? "?" : name;
        int cut = n.length();
        for (String end : new String[] {" -> ", " (", "#"}) {
            int i = n.indexOf(end);
            if (i > 0) {
                cut = Math.min(cut, i);
            }
        }
        return n.substring(0, cut).replaceAll("\\d+", "N");
    }
}
