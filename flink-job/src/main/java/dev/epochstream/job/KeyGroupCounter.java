package dev.epochstream.job;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

/**
 * A counter of the training operator, reported once for the operator and once per key group
 * ({@code <operator>.keyGroup.<n>.<name>}), so a hot or stuck key group shows in the web UI and any
 * reporter. Key-group counters are registered when their group first counts, so a subtask only reports
 * the key groups it serves.
 */
final class KeyGroupCounter {
    private final MetricGroup group;
    private final String name;
    private final int maxParallelism;
    private final Counter total;
    private final Counter[] perKeyGroup;

    KeyGroupCounter(MetricGroup group, String name, int maxParallelism) {
        this.group = group;
        this.name = name;
        this.maxParallelism = maxParallelism;
        this.total = group.counter(name);
        this.perKeyGroup = new Counter[maxParallelism];
    }

    void inc(String key, long n) {
        if (n == 0) {
            return;
        }
        total.inc(n);
        int kg = KeyGroupRangeAssignment.assignToKeyGroup(key, maxParallelism);
        Counter c = perKeyGroup[kg];
        if (c == null) {
            c = group.addGroup("keyGroup", Integer.toString(kg)).counter(name);
            perKeyGroup[kg] = c;
        }
        c.inc(n);
    }

    long total() {
        return total.getCount();
    }
}
