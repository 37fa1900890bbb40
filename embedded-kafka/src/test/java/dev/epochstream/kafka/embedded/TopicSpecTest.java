package dev.epochstream.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TopicSpecTest {

    @Test
    void factoriesAndWithersBuildNewSpecs() {
        TopicSpec base = TopicSpec.of("snapshots", 3);
        TopicSpec compacted = base.compacted().withConfig("max.message.bytes", "4194304");

        assertThat(base.configs()).isEmpty();
        assertThat(compacted.name()).isEqualTo("snapshots");
        assertThat(compacted.partitions()).isEqualTo(3);
        assertThat(compacted.configs()).containsExactly(
                Map.entry("cleanup.policy", "compact"), Map.entry("max.message.bytes", "4194304"));
        assertThat(TopicSpec.of("one")).isEqualTo(new TopicSpec("one", 1, Map.of()));
        assertThat(compacted.withName("other")).isEqualTo(new TopicSpec("other", 3, compacted.configs()));
    }

    @Test
    void configsAreCopiedAndReadOnly() {
        Map<String, String> configs = new HashMap<>();
        configs.put("retention.ms", "-1");
        TopicSpec spec = new TopicSpec("t", 1, configs);

        configs.put("retention.ms", "1");

        assertThat(spec.configs()).containsExactly(Map.entry("retention.ms", "-1"));
        assertThatThrownBy(() -> spec.configs().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void rejectsWhatKafkaWouldReject() {
        assertThatThrownBy(() -> TopicSpec.of("has space")).hasMessageContaining("illegal topic name 'has space'");
        assertThatThrownBy(() -> TopicSpec.of("..")).hasMessageContaining("illegal topic name");
        assertThatThrownBy(() -> TopicSpec.of("x".repeat(250))).hasMessageContaining("1 to 249");
        assertThatThrownBy(() -> TopicSpec.of("t", 0)).hasMessageContaining("partitions must be >= 1, got 0");
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("k", null);
        assertThatThrownBy(() -> new TopicSpec("t", 1, nullValue)).hasMessageContaining("must not be null");
    }
}
