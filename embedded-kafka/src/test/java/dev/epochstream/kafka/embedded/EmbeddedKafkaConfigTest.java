package dev.epochstream.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class EmbeddedKafkaConfigTest {

    @Test
    void builderGathersSettings() {
        EmbeddedKafkaConfig config = EmbeddedKafka.builder()
                .brokerProperty("log.retention.ms", "-1")
                .topic(TopicSpec.of("a"))
                .saslScram(Map.of("alice", "x"))
                .saslScram(Map.of("bob", "y"))
                .port(19092)
                .startupTimeout(Duration.ofSeconds(5))
                .config();

        assertThat(config.brokerProperties()).containsExactly(Map.entry("log.retention.ms", "-1"));
        assertThat(config.topics()).containsExactly(TopicSpec.of("a"));
        assertThat(config.scramUsers()).containsOnlyKeys("alice", "bob");
        assertThat(config.saslEnabled()).isTrue();
        assertThat(config.port()).isEqualTo(19092);
        assertThat(config.dataParent()).isNull();
        assertThat(EmbeddedKafka.builder().config().saslEnabled()).isFalse();
    }

    @Test
    void rejectsWiringKeysNamingThem() {
        for (String key : EmbeddedKafkaConfig.RESERVED_KEYS) {
            assertThatThrownBy(() -> EmbeddedKafka.builder().brokerProperty(key, "x").config())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + key + "'");
        }
        assertThatThrownBy(() -> EmbeddedKafka.builder()
                .brokerProperty("listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config", "x").config())
                .hasMessageContaining("use saslScram");
    }

    @Test
    void rejectsBadUsersTopicsPortsAndTimeouts() {
        assertThatThrownBy(() -> EmbeddedKafka.builder().saslScram(Map.of(EmbeddedKafkaConfig.ADMIN_USER, "x")).config())
                .hasMessageContaining("reserved");
        assertThatThrownBy(() -> EmbeddedKafka.builder().saslScram(Map.of("a,b", "x")).config())
                .hasMessageContaining("without ','");
        assertThatThrownBy(() -> EmbeddedKafka.builder().saslScram(Map.of("a", "")).config())
                .hasMessageContaining("non-empty password");
        assertThatThrownBy(() -> EmbeddedKafka.builder().topic(TopicSpec.of("t")).topic(TopicSpec.of("t", 2)).config())
                .hasMessageContaining("'t' is declared twice");
        assertThatThrownBy(() -> EmbeddedKafka.builder().port(-1).config()).hasMessageContaining("port");
        assertThatThrownBy(() -> EmbeddedKafka.builder().startupTimeout(Duration.ZERO).config())
                .hasMessageContaining("startupTimeout");
    }
}
