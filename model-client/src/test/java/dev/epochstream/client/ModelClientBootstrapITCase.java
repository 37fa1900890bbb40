package dev.epochstream.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.epochstream.kafka.embedded.EmbeddedKafka;
import dev.epochstream.kafka.embedded.TopicSpec;
import dev.epochstream.learner.config.TrainingConfig;
import dev.epochstream.schemas.ModelSnapshot;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

/**
 * start() against brokers as services meet them: a stock broker that would create a misspelt topic, and a
 * broker that is down when the service starts. Each test runs its own broker, because each needs one the
 * other tests' must not be: created with auto-create on, or started after the client.
 */
class ModelClientBootstrapITCase {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final TrainingConfig classifier = TestModels.classifier();

    @Test
    void aMissingTopicFailsStartEvenWhereTheBrokerWouldCreateIt() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().brokerProperty("auto.create.topics.enable", "true").start();
             ModelClient client = ModelClient.builder().bootstrapServers(kafka.bootstrapServers())
                     .topic("model-snapshot-typo").bootstrapTimeout(Duration.ofSeconds(10)).build()) {
            assertThatThrownBy(client::start).isInstanceOf(BootstrapException.class)
                    .hasMessageContaining("model-snapshot-typo");
            try (Admin admin = Admin.create(adminProperties(kafka))) {
                assertThat(admin.listTopics().names().get()).doesNotContain("model-snapshot-typo");
            }
        }
    }

    @Test
    void aBrokerThatComesUpAfterStartIsFollowedOnceItAnswers() throws Exception {
        int port = freePort();
        List<ModelSnapshot> versions = TestModels.versions(classifier, "a", 1, 5);
        try (ModelClient client = ModelClient.builder().bootstrapServers("127.0.0.1:" + port).topic("snapshots")
                .bootstrapTimeout(Duration.ofSeconds(2)).build()) {
            // the documented timeout: start() gives up, the client keeps trying
            assertThatThrownBy(client::start).isInstanceOf(BootstrapException.class);
            assertThat(client.metrics().failure()).isNull();

            try (EmbeddedKafka kafka = EmbeddedKafka.builder().port(port)
                    .topic(TopicSpec.of("snapshots", 1).compacted()).start();
                 SnapshotPublisher publisher = new SnapshotPublisher(kafka, "snapshots")) {
                publisher.commit(versions.get(0));
                assertThat(client.awaitBootstrap(WAIT)).isTrue();
                Await.until(WAIT, "version 1 served", () -> client.servingVersion("a").isPresent());
                assertThat(client.servingVersion("a")).hasValue(versions.get(0).getVersion());
            }
        }
    }

    private static Properties adminProperties(EmbeddedKafka kafka) {
        Properties p = new Properties();
        p.putAll(kafka.clientProperties());
        return p;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
