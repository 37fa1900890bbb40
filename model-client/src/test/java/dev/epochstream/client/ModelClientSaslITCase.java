package dev.epochstream.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.epochstream.kafka.embedded.EmbeddedKafkaExtension;
import dev.epochstream.kafka.embedded.TopicSpec;
import dev.epochstream.learner.config.TrainingConfig;
import dev.epochstream.schemas.ModelSnapshot;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client on a broker that requires SASL/SCRAM: a login from the environment variables or from explicit
 * properties works; a wrong one fails start() at once with a typed error naming the broker and mechanism,
 * and the password shows nowhere.
 */
class ModelClientSaslITCase {

    /** Quotes, backslash, comma, '=' and non-ASCII: must survive the JAAS line. */
    private static final String PASSWORD = "s\"v\\c,p=w é-4711";

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.builder()
            .saslScram(Map.of("svc", PASSWORD)).build();

    private static final TopicSpec SNAPSHOTS = TopicSpec.of("snapshots", 1).compacted();

    private final TrainingConfig classifier = TestModels.classifier();
    private final List<ModelSnapshot> a = TestModels.versions(classifier, "a", 2, 1);

    private ModelClientBuilder builder(String topic) {
        return ModelClient.builder().bootstrapServers(KAFKA.kafka().bootstrapServers()).topic(topic)
                .pollTimeout(Duration.ofMillis(100)).bootstrapTimeout(Duration.ofSeconds(30));
    }

    @Test
    void loginFromTheEnvironmentVariables() throws Exception {
        String topic = KAFKA.uniqueTopic(SNAPSHOTS);
        try (SnapshotPublisher pub = new SnapshotPublisher(KAFKA.kafka(), topic);
             ModelClient client = builder(topic).credentialsFromEnvironment(Map.of(
                     "EPOCHSTREAM_KAFKA_USERNAME", "svc", "EPOCHSTREAM_KAFKA_PASSWORD", PASSWORD)).build()) {
            pub.commit(a.get(0));
            client.start();
            assertThat(client.servingVersion("a")).hasValue(a.get(0).getVersion());
            pub.commit(a.get(1));
            Await.until(Duration.ofSeconds(20), "version 2 of a", () -> client.servingVersion("a").orElse(-1) == 2);
            assertThat(client.config().toString()).doesNotContain(PASSWORD);
            assertThat(client.metrics().toString()).doesNotContain(PASSWORD);
        }
    }

    @Test
    void loginFromExplicitProperties() {
        String topic = KAFKA.uniqueTopic(SNAPSHOTS);
        Properties login = KAFKA.kafka().clientProperties("svc", PASSWORD); // SCRAM-SHA-256
        login.remove("bootstrap.servers");
        try (SnapshotPublisher pub = new SnapshotPublisher(KAFKA.kafka(), topic);
             ModelClient client = builder(topic).properties(login).build()) {
            pub.commit(a.get(0));
            client.start();
            assertThat(client.servingVersion("a")).hasValue(a.get(0).getVersion());
        }
    }

    @Test
    void wrongPasswordFailsStartAtOnceNamingBrokerAndMechanism() {
        String topic = KAFKA.uniqueTopic(SNAPSHOTS);
        long t0 = System.nanoTime();
        try (ModelClient client = builder(topic).credentialsFromEnvironment(Map.of(
                "EPOCHSTREAM_KAFKA_USERNAME", "svc", "EPOCHSTREAM_KAFKA_PASSWORD", "not-" + PASSWORD)).build()) {
            assertThatThrownBy(client::start).isInstanceOf(AuthenticationFailedException.class)
                    .isInstanceOf(BootstrapException.class)
                    .hasMessage("authentication failed at " + KAFKA.kafka().bootstrapServers() + " (SASL SCRAM-SHA-512): "
                            + "check EPOCHSTREAM_KAFKA_USERNAME/PASSWORD or sasl.jaas.config")
                    .hasRootCauseInstanceOf(SaslAuthenticationException.class)
                    .satisfies(e -> assertThat(stackTrace(e)).doesNotContain(PASSWORD));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
            assertThat(client.metrics().failure()).doesNotContain(PASSWORD);
        }
    }

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }
}
