package dev.epochstream.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.epochstream.learner.config.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code kafka.} keys pass to the Kafka clients, which only log a name they do not know: a typo a couple of
 * edits from a real client setting is refused at start-up with the setting it meant; real settings, and names
 * far from every one (a plugin's), pass.
 */
class KafkaKeyTyposTest {

    @Test
    void aTypoOfAClientSettingIsRefusedNamingTheSettingItMeant() {
        assertThatThrownBy(() -> JobConfigs.logistic(Map.of("kafka.bootstrap.server", "broker:9092")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("kafka.bootstrap.server: is not a Kafka client configuration: did you mean "
                        + "'kafka.bootstrap.servers'?");
        assertThatThrownBy(() -> JobConfigs.logistic(Map.of("kafka.max.poll.record", "10")))
                .hasMessageContaining("did you mean 'kafka.max.poll.records'?");
        assertThatThrownBy(() -> JobConfigs.logistic(Map.of("kafka.securty.protocol", "SASL_SSL")))
                .hasMessageContaining("did you mean 'kafka.security.protocol'?");
    }

    @Test
    void consumerProducerAndAdminSettingsAndPluginSettingsPass() {
        JobConfig c = JobConfigs.logistic(Map.of("kafka.max.poll.records", "10", "kafka.transaction.timeout.ms",
                "900000", "kafka.default.api.timeout.ms", "30000", "kafka.my.interceptor.endpoint", "http://x"));
        assertThat(c.kafkaProperties()).containsEntry("max.poll.records", "10")
                .containsEntry("my.interceptor.endpoint", "http://x");
    }
}
