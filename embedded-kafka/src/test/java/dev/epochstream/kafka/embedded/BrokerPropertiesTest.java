package dev.epochstream.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import kafka.server.KafkaConfig;
import org.junit.jupiter.api.Test;

class BrokerPropertiesTest {

    private static final Path LOGS = Path.of("/tmp/does-not-matter/logs");

    @Test
    void defaultsSuitAnExactlyOnceSinkAndTwoMegabyteSnapshots() {
        Properties p = BrokerProperties.of(EmbeddedKafka.builder().config(), LOGS, 9092, 9093, "pw");

        assertThat(p).containsEntry("transaction.max.timeout.ms", "3600000")
                .containsEntry("transaction.state.log.replication.factor", "1")
                .containsEntry("transaction.state.log.min.isr", "1")
                .containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("share.coordinator.state.topic.replication.factor", "1")
                .containsEntry("group.initial.rebalance.delay.ms", "0")
                .containsEntry("auto.create.topics.enable", "false")
                .containsEntry("log.dirs", LOGS.toString());
        assertThat(Integer.parseInt(p.getProperty("message.max.bytes"))).isGreaterThanOrEqualTo(2 * 1024 * 1024 + 1024);
        assertThat(Integer.parseInt(p.getProperty("replica.fetch.max.bytes")))
                .isGreaterThanOrEqualTo(Integer.parseInt(p.getProperty("message.max.bytes")));
    }

    @Test
    void plainBrokerListensOnLoopbackWithoutSasl() {
        Properties p = BrokerProperties.of(EmbeddedKafka.builder().config(), LOGS, 9092, 9093, "pw");

        assertThat(p).containsEntry("listeners", "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093")
                .containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:9092")
                .containsEntry("controller.quorum.voters", "1@127.0.0.1:9093")
                .containsEntry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT")
                .doesNotContainKey("sasl.enabled.mechanisms");
        // Kafka's own validation accepts the set.
        assertThat(KafkaConfig.fromProps(p).nodeId()).isEqualTo(1);
    }

    @Test
    void saslBrokerAuthenticatesToItselfAsTheAdminUser() {
        EmbeddedKafkaConfig config = EmbeddedKafka.builder().saslScram(Map.of("alice", "a")).config();

        Properties p = BrokerProperties.of(config, LOGS, 9092, 9093, "admin-pw");

        String jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + EmbeddedKafkaConfig.ADMIN_USER + "\" password=\"admin-pw\";";
        assertThat(p).containsEntry("listeners", "SASL_PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093")
                .containsEntry("inter.broker.listener.name", "SASL_PLAINTEXT")
                .containsEntry("listener.security.protocol.map", "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT")
                .containsEntry("sasl.enabled.mechanisms", "SCRAM-SHA-256,SCRAM-SHA-512")
                .containsEntry("sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-256")
                .containsEntry("listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config", jaas)
                .containsEntry("listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config", jaas)
                .containsEntry("super.users", "User:" + EmbeddedKafkaConfig.ADMIN_USER);
        assertThat(KafkaConfig.fromProps(p).saslMechanismInterBrokerProtocol()).isEqualTo("SCRAM-SHA-256");
    }

    @Test
    void overridesReplaceDefaults() {
        EmbeddedKafkaConfig config = EmbeddedKafka.builder()
                .brokerProperty("transaction.max.timeout.ms", "900000")
                .brokerProperty("log.retention.ms", "-1")
                .config();

        Properties p = BrokerProperties.of(config, LOGS, 9092, 9093, "pw");

        assertThat(p).containsEntry("transaction.max.timeout.ms", "900000").containsEntry("log.retention.ms", "-1");
    }
}
