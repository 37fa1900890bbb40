package dev.epochstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.epochstream.job.BrokerCheck;
import dev.epochstream.job.JobConfig;
import dev.epochstream.kafka.embedded.EmbeddedKafkaConfig;
import dev.epochstream.kafka.embedded.EmbeddedKafkaExtension;
import dev.epochstream.kafka.embedded.TopicSpec;
import dev.epochstream.learner.config.RawConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Before the job starts, the snapshot and dead-letter topics' max.message.bytes are read and compared
 * with the largest record the job writes there; a topic too small is refused with the command that fixes
 * it, and a client without DescribeConfigs permission gets warnings instead of a failure. The broker has an
 * authorizer: its admin user may do everything, the other user nothing.
 */
class TopicRecordLimitsITCase {

    private static final String NOBODY = "nobody";
    private static final String NOBODY_PASSWORD = "nobody-pw-1";

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.builder()
            .saslScram(Map.of(NOBODY, NOBODY_PASSWORD))
            .brokerProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
            // the controller listener is PLAINTEXT: the broker registers with it as ANONYMOUS
            .brokerProperty("super.users", "User:" + EmbeddedKafkaConfig.ADMIN_USER + ";User:ANONYMOUS")
            .build();

    @TempDir
    Path dir;

    @Test
    void aSnapshotTopicTooSmallForTheModelsSnapshotsIsRefused() throws IOException {
        int fits = (int) config("any", "any", Map.of()).snapshotRecordBytes();
        String small = snapshotTopic(fits - 1);
        String enough = snapshotTopic(fits);
        String deadLetters = topic("dead-letters", JobConfig.DEFAULT_MAX_RECORD_BYTES);

        assertThatThrownBy(() -> check(admin(), config(small, deadLetters, Map.of())))
                .isInstanceOf(IOException.class)
                .hasMessage("topic " + small + " accepts records of up to " + (fits - 1) + " bytes (max.message.bytes), but "
                        + "a snapshot of this model takes up to " + fits + " bytes: raise it with kafka-configs "
                        + "--bootstrap-server " + KAFKA.kafka().bootstrapServers() + " --alter --entity-type topics "
                        + "--entity-name " + small + " --add-config max.message.bytes=" + fits);
        assertThat(check(admin(), config(enough, deadLetters, Map.of()))).as("warnings").isEmpty();
    }

    @Test
    void aDeadLetterTopicTooSmallForAWholeRecordIsRefused() throws IOException {
        int limit = 1024 * 1024;
        Map<String, String> settings = Map.of("kafka.max.request.size", Integer.toString(limit));
        String snapshots = snapshotTopic(limit);
        String small = topic("dead-letters", limit - 1);

        assertThatThrownBy(() -> check(admin(), config(snapshots, small, settings)))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("topic " + small + " accepts records of up to " + (limit - 1) + " bytes")
                .hasMessageContaining("a dead letter takes up to kafka.max.request.size, " + limit + " bytes")
                .hasMessageEndingWith("--entity-name " + small + " --add-config max.message.bytes=" + limit);
        assertThat(check(admin(), config(snapshots, topic("dead-letters", limit), settings))).as("warnings").isEmpty();
    }

    /** The embedded broker allows transactions of up to an hour (transaction.max.timeout.ms=3600000). */
    @Test
    void aTransactionTimeoutAboveTheBrokersMaximumIsRefused() throws IOException {
        String snapshots = snapshotTopic(JobConfig.DEFAULT_MAX_RECORD_BYTES);
        String deadLetters = topic("dead-letters", JobConfig.DEFAULT_MAX_RECORD_BYTES);
        assertThatThrownBy(() -> check(admin(), config(snapshots, deadLetters,
                Map.of("kafka.transaction.timeout.ms", "3600001"))))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("kafka.transaction.timeout.ms is 3600001 ms, above the broker's "
                        + "transaction.max.timeout.ms of 3600000 ms");
        assertThat(check(admin(), config(snapshots, deadLetters, Map.of("kafka.transaction.timeout.ms", "3600000"))))
                .as("warnings").isEmpty();
    }

    @Test
    void withoutDescribeConfigsPermissionTheCheckWarnsInsteadOfFailing() throws IOException {
        JobConfig config = config(snapshotTopic(10), topic("dead-letters", 10), Map.of());
        Properties nobody = KAFKA.kafka().clientProperties(NOBODY, NOBODY_PASSWORD);

        List<String> warnings = check(nobody, config);
        assertThat(warnings).containsExactly(
                "cannot read max.message.bytes of topic " + config.snapshotsTopic() + " (no DescribeConfigs permission): "
                        + "make sure it is at least " + config.snapshotRecordBytes() + " (a snapshot of this model takes up to "
                        + config.snapshotRecordBytes() + " bytes)",
                "cannot read max.message.bytes of topic " + config.deadLettersTopic() + " (no DescribeConfigs permission): "
                        + "make sure it is at least 8388608 (a dead letter takes up to kafka.max.request.size, 8388608 bytes)",
                "cannot read the broker's transaction.max.timeout.ms (no DescribeConfigs permission on the cluster): "
                        + "make sure it is at least 600000 (kafka.transaction.timeout.ms)");
    }

    @Test
    void runRefusesATopicTooSmallBeforeStartingTheJob() throws IOException {
        JobConfig config = config(snapshotTopic(100), topic("dead-letters", JobConfig.DEFAULT_MAX_RECORD_BYTES),
                Map.of("topic.events", KAFKA.uniqueTopic("events"), "topic.metrics", KAFKA.uniqueTopic("metrics"),
                        "topic.predictions", KAFKA.uniqueTopic("predictions")));
        Path file = dir.resolve("job.properties");
        Files.writeString(file, config.raw().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().replace("\\", "\\\\"))
                .collect(Collectors.joining("\n")));

        // a remote target that is not there: without the check, run would fail later, not run a job here
        CliRun run = CliRun.of(Map.of(), "run", "--config", file.toString(), "--target", "remote", "--jobmanager", "localhost:1");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(run.err()).startsWith("epochstream run: topic " + config.snapshotsTopic() + " accepts records of up to 100 bytes");
    }

    private static List<String> check(Properties client, JobConfig config) throws IOException {
        return BrokerCheck.checkBrokerLimits(client, config, 10);
    }

    private static Properties admin() {
        return KAFKA.kafka().clientProperties();
    }

    private static String snapshotTopic(int maxMessageBytes) {
        return KAFKA.uniqueTopic(TopicSpec.of("snapshots", 1).compacted().withConfig("max.message.bytes",
                Integer.toString(maxMessageBytes)));
    }

    private static String topic(String prefix, int maxMessageBytes) {
        return KAFKA.uniqueTopic(TopicSpec.of(prefix, 1).withConfig("max.message.bytes", Integer.toString(maxMessageBytes)));
    }

    /** A small model writing snapshots and dead letters to these topics, its Kafka clients logged in as the admin user. */
    private static JobConfig config(String snapshots, String deadLetters, Map<String, String> settings) {
        Map<String, String> m = new LinkedHashMap<>(Map.of("model.layers", "2,4,1", "model.activations", "tanh,sigmoid",
                "model.loss", "bce", "topic.snapshots", snapshots, "topic.dead-letters", deadLetters));
        admin().forEach((k, v) -> m.put("kafka." + k, v.toString()));
        m.putAll(settings);
        return JobConfig.from(RawConfig.of(m), Map.of());
    }
}
