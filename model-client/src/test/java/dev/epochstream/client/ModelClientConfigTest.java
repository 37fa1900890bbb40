package dev.epochstream.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** build() validates and names the setting at fault; the consumer gets the settings the client relies on. */
class ModelClientConfigTest {

    private static ModelClientBuilder valid() {
        return ModelClient.builder().bootstrapServers("localhost:9092").topic("snapshots");
    }

    @Test
    void requiresServersAndTopic() {
        assertThatThrownBy(() -> ModelClient.builder().topic("t").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bootstrapServers is required");
        assertThatThrownBy(() -> ModelClient.builder().bootstrapServers("h:1").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topic is required");
    }

    @Test
    void refusesSettingsTheClientOwnsOrThatWouldBreakItsGuarantees() {
        assertThatThrownBy(() -> valid().property("bootstrap.servers", "other:1").build())
                .hasMessageContaining("'bootstrap.servers' is set by the model client");
        assertThatThrownBy(() -> valid().property("value.deserializer", "x").build())
                .hasMessageContaining("'value.deserializer'");
        assertThatThrownBy(() -> valid().property("isolation.level", "read_uncommitted").build())
                .hasMessageContaining("isolation.level=read_uncommitted is not allowed");
        assertThatThrownBy(() -> valid().property("enable.auto.commit", "true").build())
                .hasMessageContaining("enable.auto.commit=true is not allowed");
        assertThatThrownBy(() -> valid().property("allow.auto.create.topics", "true").build())
                .hasMessageContaining("allow.auto.create.topics=true is not allowed");
        assertThatThrownBy(() -> valid().historySize(0).build()).hasMessageContaining("historySize must be in [1, 100]");
        assertThatThrownBy(() -> valid().bootstrapTimeout(Duration.ZERO).build())
                .hasMessageContaining("bootstrapTimeout must be a positive duration");
        assertThatThrownBy(() -> valid().pollTimeout(Duration.ofMillis(-1)).build())
                .hasMessageContaining("pollTimeout");
    }

    @Test
    void theConsumerReadsCommittedDataWithTheCallersSecuritySettings() {
        Properties security = new Properties();
        security.setProperty("security.protocol", "SASL_SSL");
        security.setProperty("sasl.mechanism", "SCRAM-SHA-512");
        ModelClient client = valid().properties(security).property("isolation.level", "READ_COMMITTED")
                .keys("a", "b").keys(java.util.List.of("c")).build();
        client.close();

        ModelClientConfig cfg = new ModelClientConfig("h:1", "t", java.util.Set.of("b", "a"),
                java.util.Map.of("security.protocol", "SASL_SSL"), Duration.ofSeconds(1), Duration.ofMillis(10), 5,
                "svc", Duration.ofSeconds(30));
        Properties p = cfg.consumerProperties();
        assertThat(p).containsEntry("bootstrap.servers", "h:1").containsEntry("client.id", "svc")
                .containsEntry("isolation.level", "read_committed").containsEntry("enable.auto.commit", "false")
                .containsEntry("auto.offset.reset", "earliest").containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("allow.auto.create.topics", "false")
                .doesNotContainKey("group.id");
        assertThat(cfg.keys()).containsExactly("a", "b");
    }

    @Test
    void credentialsFromTheEnvironmentBecomeClientSettingsAndExplicitOnesWin() {
        java.util.Map<String, String> env = java.util.Map.of("EPOCHSTREAM_KAFKA_USERNAME", "svc",
                "EPOCHSTREAM_KAFKA_PASSWORD", "pw-xyz-123");
        try (ModelClient client = valid().credentialsFromEnvironment(env).build()) {
            assertThat(client.config().clientProperties()).containsEntry("security.protocol", "SASL_PLAINTEXT")
                    .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                    .hasEntrySatisfying("sasl.jaas.config", v -> assertThat(v).contains("username=\"svc\""));
            assertThat(client.config().toString()).contains("sasl.jaas.config=[hidden]", "SCRAM-SHA-512")
                    .doesNotContain("pw-xyz-123");
        }
        try (ModelClient client = valid().property("sasl.jaas.config", "explicit").property("sasl.mechanism", "SCRAM-SHA-256")
                .credentialsFromEnvironment(env).build()) {
            assertThat(client.config().clientProperties()).containsEntry("sasl.jaas.config", "explicit")
                    .containsEntry("sasl.mechanism", "SCRAM-SHA-256");
        }
        try (ModelClient client = valid().credentialsFromEnvironment(java.util.Map.of()).build()) {
            assertThat(client.config().clientProperties()).isEmpty();
        }
        assertThatThrownBy(() -> valid().credentialsFromEnvironment(java.util.Map.of("EPOCHSTREAM_KAFKA_USERNAME", "svc")))
                .hasMessageStartingWith("EPOCHSTREAM_KAFKA_PASSWORD: is not set");
    }
}
