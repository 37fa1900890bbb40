package dev.epochstream.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class EmbeddedKafkaMainTest {

    @Test
    void parsesPortTopicsAndUsers() {
        EmbeddedKafkaConfig config = EmbeddedKafkaMain.parse(
                "--port", "19092", "--topics", "events,snapshots:3", "--topics", "more:2",
                "--sasl", "alice:s3cret", "--sasl", "bob:pass:with:colons").config();

        assertThat(config.port()).isEqualTo(19092);
        assertThat(config.topics()).containsExactly(
                TopicSpec.of("events", 1), TopicSpec.of("snapshots", 3), TopicSpec.of("more", 2));
        assertThat(config.scramUsers()).containsExactly(
                Map.entry("alice", "s3cret"), Map.entry("bob", "pass:with:colons"));
        assertThat(config.saslEnabled()).isTrue();
    }

    @Test
    void noArgumentsMeanAPlainBrokerOnAFreePort() {
        EmbeddedKafkaConfig config = EmbeddedKafkaMain.parse().config();

        assertThat(config.port()).isZero();
        assertThat(config.topics()).isEmpty();
        assertThat(config.saslEnabled()).isFalse();
    }

    @Test
    void rejectsBadArgumentsNamingThem() {
        assertThatThrownBy(() -> EmbeddedKafkaMain.parse("--verbose"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'--verbose'");
        assertThatThrownBy(() -> EmbeddedKafkaMain.parse("--port"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--port needs a value");
        assertThatThrownBy(() -> EmbeddedKafkaMain.parse("--port", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'x' is not a number");
        assertThatThrownBy(() -> EmbeddedKafkaMain.parse("--port", "70000"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
        assertThatThrownBy(() -> EmbeddedKafkaMain.parse("--topics", "a:zero"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'zero' is not a number");
        assertThatThrownBy(() -> EmbeddedKafkaMain.parse("--topics", "a:0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partitions must be >= 1");
        assertThatThrownBy(() -> EmbeddedKafkaMain.parse("--topics", "a,,b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("illegal topic name ''");
        assertThatThrownBy(() -> EmbeddedKafkaMain.parse("--sasl", "nopassword"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("USER:PASSWORD");
    }
}
