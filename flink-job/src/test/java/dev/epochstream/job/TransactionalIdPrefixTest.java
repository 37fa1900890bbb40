package dev.epochstream.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The transactional id prefixes of the exactly-once sinks: two jobs at the default group id that differ in
 * any topic have different prefixes (shared prefixes made them fence each other), and one configuration
 * always gives the same prefix (a restart finds its own transactions).
 */
class TransactionalIdPrefixTest {

    private static String prefix(Map<String, String> extra, String sink) {
        JobConfig c = JobConfigs.logistic(extra);
        return EpochstreamJob.transactionalIdPrefix(c, sink, sink.equals("metrics") ? c.metricsTopic() : c.snapshotsTopic());
    }

    @Test
    void jobsAtTheDefaultGroupIdWritingToOtherTopicsHaveOtherPrefixes() {
        assertThat(prefix(Map.of("topic.metrics", "a.metrics"), "metrics"))
                .isNotEqualTo(prefix(Map.of("topic.metrics", "b.metrics"), "metrics"));
        assertThat(prefix(Map.of("topic.snapshots", "a.snapshots"), "snapshots"))
                .isNotEqualTo(prefix(Map.of("topic.snapshots", "b.snapshots"), "snapshots"));
    }

    @Test
    void jobsReadingOtherEventsIntoOneOutputTopicHaveOtherPrefixes() {
        assertThat(prefix(Map.of("topic.events", "a.events"), "metrics"))
                .isNotEqualTo(prefix(Map.of("topic.events", "b.events"), "metrics"));
    }

    @Test
    void theTwoSinksOfOneJobHaveOtherPrefixesEvenOnOneTopic() {
        Map<String, String> oneTopic = Map.of("topic.metrics", "out", "topic.snapshots", "out");
        assertThat(prefix(oneTopic, "metrics")).isNotEqualTo(prefix(oneTopic, "snapshots"));
    }

    @Test
    void oneConfigurationAlwaysGivesTheSamePrefix() {
        Map<String, String> config = Map.of("kafka.group.id", "fraud", "topic.events", "fraud.events",
                "topic.metrics", "fraud.metrics");
        assertThat(prefix(config, "metrics")).isEqualTo(prefix(config, "metrics"))
                .isEqualTo("fraud-metrics-fraud.events-fraud.metrics");
    }
}
