package dev.epochstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.kafka.embedded.EmbeddedKafkaExtension;
import dev.epochstream.kafka.embedded.TopicSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code epochstream run} as a user runs it: a separate JVM with the job on its local MiniCluster,
 * fed by {@code produce}, until SIGTERM, which stops it cleanly within seconds.
 */
class RunCommandITCase {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.builder().build();

    @TempDir
    Path dir;

    @Test
    void runTrainsUntilSigtermAndStopsCleanly() throws Exception {
        String events = KAFKA.uniqueTopic("events", 2);
        String metrics = KAFKA.uniqueTopic("metrics", 1);
        String snapshots = KAFKA.uniqueTopic(TopicSpec.of("snapshots", 1).compacted());
        String predictions = KAFKA.uniqueTopic("predictions", 1);
        String dead = KAFKA.uniqueTopic("dead-letters", 1);
        Path config = dir.resolve("job.properties");
        Files.writeString(config, String.join("\n", "model.layers=3,8,1", "model.activations=relu,sigmoid",
                "model.loss=bce", "epoch.window=count:50", "snapshot.publish=every", "checkpoint.interval=500ms",
                "kafka.bootstrap.servers=" + KAFKA.kafka().bootstrapServers(), "kafka.group.id=run-" + events,
                "topic.events=" + events, "topic.metrics=" + metrics, "topic.snapshots=" + snapshots,
                "topic.predictions=" + predictions, "topic.dead-letters=" + dead));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "run", "--config", config.toString(), "--web-port", "0"));
        Path err = dir.resolve("run.err");
        Process run = new ProcessBuilder(command).redirectErrorStream(false)
                .redirectOutput(dir.resolve("run.out").toFile()).redirectError(err.toFile()).start();
        try {
            CliRun produce = CliRun.of("produce", "--bootstrap", KAFKA.kafka().bootstrapServers(), "--topic", events,
                    "--generator", "sea", "--keys", "2", "--count", "400");
            assertThat(produce.exitCode()).as(produce.err()).isZero();
            assertThat(countCommitted(metrics, 8, Duration.ofSeconds(60)))
                    .as("epoch records of both keys while running; stderr: %s", Files.readString(err)).isGreaterThanOrEqualTo(8);
            assertThat(run.isAlive()).as("runs until stopped").isTrue();
        } finally {
            run.destroy(); // SIGTERM
        }
        assertThat(run.waitFor(30, TimeUnit.SECONDS)).as("stops within 30 s of SIGTERM").isTrue();
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(stderr).contains("epochstream run: job").contains("web UI on http://localhost:")
                .doesNotContain("Exception");
    }

    private static int countCommitted(String topic, int atLeast, Duration timeout) {
        var p = KAFKA.kafka().clientProperties();
        p.setProperty("isolation.level", "read_committed");
        int n = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            while (n < atLeast && System.nanoTime() < deadline) {
                n += c.poll(Duration.ofMillis(200)).count();
            }
        }
        return n;
    }
}
