package dev.epochstream.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.epochstream.kafka.embedded.EmbeddedKafka;
import dev.epochstream.kafka.embedded.TopicSpec;
import dev.epochstream.learner.config.TrainingConfig;
import dev.epochstream.schemas.ModelSnapshot;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
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
        try (ModelClient client = startedBeforeItsBroker(port)) {
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

    /**
     * A broker provisioned with the service: down when start() gives up, then up before its topic exists. The
     * client waits for the topic instead of failing (nobody would hear of that failure: start() has returned).
     */
    @Test
    void aTopicCreatedAfterTheLateBrokerAnsweredIsFollowedToo() throws Exception {
        int port = freePort();
        List<ModelSnapshot> versions = TestModels.versions(classifier, "a", 1, 7);
        try (ModelClient client = startedBeforeItsBroker(port)) {
            try (EmbeddedKafka kafka = EmbeddedKafka.builder().port(port).start()) {
                // the broker answers without the topic: the client keeps waiting, nothing failed
                assertThat(client.awaitBootstrap(Duration.ofSeconds(3))).isFalse();
                assertThat(client.metrics().failure()).isNull();
                kafka.createTopic(TopicSpec.of("snapshots", 1).compacted());
                try (SnapshotPublisher publisher = new SnapshotPublisher(kafka, "snapshots")) {
                    publisher.commit(versions.get(0));
                    assertThat(client.awaitBootstrap(WAIT)).isTrue();
                    Await.until(WAIT, "version 1 served", () -> client.servingVersion("a").isPresent());
                }
            }
        }
    }

    /**
     * A client of topic "snapshots" at {@code port}, where no broker listens: start() gives up (the documented
     * timeout) and the client keeps trying.
     */
    private static ModelClient startedBeforeItsBroker(int port) {
        ModelClient client = ModelClient.builder().bootstrapServers("127.0.0.1:" + port).topic("snapshots")
                .bootstrapTimeout(Duration.ofSeconds(2)).build();
        assertThatThrownBy(client::start).isInstanceOf(BootstrapException.class);
        return client;
    }

    private static Properties adminProperties(EmbeddedKafka kafka) {
        Properties p = new Properties();
        p.putAll(kafka.clientProperties());
        return p;
    }

    /**
     * A free port below Linux's default ephemeral range (32768-60999): the client connects to the port again and
     * again while no broker listens, and a connection whose own local port is the destination (TCP's
     * self-connect, possible inside the ephemeral range) would take the port before the broker binds it.
     */
    private static int freePort() throws IOException {
        SplittableRandom random = new SplittableRandom();
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = 20_000 + random.nextInt(12_000);
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException taken) {
                // another one
            }
        }
        throw new IOException("no free port in 20000-31999");
    }
}
