package dev.epochstream.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.junit.jupiter.api.Test;

/** The operator counters report a total and one counter per key group that counted. */
class KeyGroupCounterTest {

    /** Records every counter registered under its full name. */
    private static final class Recording extends UnregisteredMetricsGroup {
        private final String prefix;
        private final Map<String, Counter> counters;

        Recording(String prefix, Map<String, Counter> counters) {
            this.prefix = prefix;
            this.counters = counters;
        }

        @Override
        public Counter counter(String name) {
            return counters.computeIfAbsent(prefix + name, n -> new SimpleCounter());
        }

        @Override
        public MetricGroup addGroup(String key, String value) {
            return new Recording(prefix + key + "." + value + ".", counters);
        }
    }

    @Test
    void countsPerOperatorAndPerKeyGroup() {
        Map<String, Counter> counters = new TreeMap<>();
        KeyGroupCounter c = new KeyGroupCounter(new Recording("", counters), "eventsTrained", 128);
        c.inc("alpha", 20);
        c.inc("beta", 5);
        c.inc("alpha", 20);
        c.inc("gamma", 0);

        int ka = KeyGroupRangeAssignment.assignToKeyGroup("alpha", 128);
        int kb = KeyGroupRangeAssignment.assignToKeyGroup("beta", 128);
        assertThat(counters.get("eventsTrained").getCount()).isEqualTo(45);
        if (ka != kb) {
            assertThat(counters.get("keyGroup." + ka + ".eventsTrained").getCount()).isEqualTo(40);
            assertThat(counters.get("keyGroup." + kb + ".eventsTrained").getCount()).isEqualTo(5);
            assertThat(counters).hasSize(3);
        } else {
            assertThat(counters.get("keyGroup." + ka + ".eventsTrained").getCount()).isEqualTo(45);
        }
        assertThat(counters.keySet()).as("a key group that never counted is not registered")
                .noneMatch(n -> n.equals("keyGroup." + KeyGroupRangeAssignment.assignToKeyGroup("gamma", 128)
                        + ".eventsTrained") && KeyGroupRangeAssignment.assignToKeyGroup("gamma", 128) != ka
                        && KeyGroupRangeAssignment.assignToKeyGroup("gamma", 128) != kb);
    }
}
