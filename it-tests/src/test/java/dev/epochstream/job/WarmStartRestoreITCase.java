package dev.epochstream.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.kafka.embedded.EmbeddedKafkaExtension;
import dev.epochstream.kafka.embedded.TopicSpec;
import dev.epochstream.learner.config.RawConfig;
import dev.epochstream.learner.epoch.EpochTrainer;
import dev.epochstream.learner.epoch.ModelState;
import dev.epochstream.schemas.EpochMetrics;
import dev.epochstream.schemas.LabelledEvent;
import dev.epochstream.schemas.ModelSnapshot;
import dev.epochstream.schemas.ModelSnapshots;
import dev.epochstream.schemas.codec.AvroSingleObjectCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * model.warm-start on a real broker. Across a restore: the restored job reads the snapshot topic up to
 * the offsets its first start read and no further. Past them are the snapshots it published itself after the
 * restored checkpoint (at-least-once delivery writes them at once); a key first seen after the restore used to
 * start from its own lost future, its version and training counted twice.
 */
class WarmStartRestoreITCase {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.builder().build();

    private static final int WINDOW = 4;

    @Test
    void aRestoreReadsTheSnapshotTopicOnlyAsFarAsTheFirstStartDid() throws Exception {
        String topic = KAFKA.uniqueTopic(TopicSpec.of("snapshots", 2).compacted());
        JobConfig config = JobConfig.from(RawConfig.of(Map.of("model.layers", "2,1", "model.activations", "sigmoid",
                "model.loss", "bce", "epoch.window", "count:" + WINDOW, "model.warm-start", "snapshots",
                "snapshot.delivery", "at-least-once", "topic.snapshots", topic,
                "kafka.bootstrap.servers", KAFKA.kafka().bootstrapServers())), Map.of());
        EpochTrainer trainer = new EpochTrainer(config.training());
        publish(topic, snapshot(config, trainer, "old", 3)); // there before the job: every start warm-starts from it

        OperatorSubtaskState checkpoint;
        try (var h = harness(config)) {
            h.open();
            checkpoint = h.snapshot(1, 1);
        }
        // what the job publishes after that checkpoint, then loses in a failure
        publish(topic, snapshot(config, trainer, "new", 2));

        try (var h = harness(config)) {
            h.initializeState(checkpoint);
            h.open();
            for (String key : List.of("old", "new")) {
                for (int i = 0; i < WINDOW; i++) {
                    h.processElement(event(key, i), i);
                }
            }
            List<EpochMetrics> metrics = h.extractOutputValues();
            assertThat(metrics).extracting(EpochMetrics::getKey, EpochMetrics::getModelVersion)
                    .as("old continues from the snapshot read at the first start; new starts fresh, as it did then")
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("old", 4L),
                            org.assertj.core.groups.Tuple.tuple("new", 1L));
        }
        // a job started afresh (no state) reads the topic to its end: "new" then warm-starts
        try (var h = harness(config)) {
            h.open();
            for (int i = 0; i < WINDOW; i++) {
                h.processElement(event("new", i), i);
            }
            assertThat(h.extractOutputValues()).extracting(EpochMetrics::getModelVersion).containsExactly(3L);
        }
    }

    /**
     * A snapshot of another architecture with the same tensor sizes (tanh where the job has sigmoid): from the
     * topic, the key starts fresh (a job of the old architecture wrote it); as model.warm-start=file:, the job
     * refuses to start naming the key. Both used to start keys from weights read as another network's.
     */
    @Test
    void aSnapshotOfAnotherArchitectureIsNotWarmStartedFrom(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        String topic = KAFKA.uniqueTopic(TopicSpec.of("snapshots", 1).compacted());
        Map<String, String> settings = new java.util.HashMap<>(Map.of("model.layers", "2,1",
                "model.activations", "sigmoid", "model.loss", "bce", "epoch.window", "count:" + WINDOW,
                "topic.snapshots", topic, "kafka.bootstrap.servers", KAFKA.kafka().bootstrapServers()));
        Map<String, String> tanh = new java.util.HashMap<>(settings);
        tanh.put("model.activations", "tanh");
        tanh.put("model.loss", "mse");
        JobConfig other = JobConfig.from(RawConfig.of(tanh), Map.of());
        ModelSnapshot foreign = snapshot(other, new EpochTrainer(other.training()), "k", 7);
        publish(topic, foreign);

        settings.put("model.warm-start", "snapshots");
        try (var h = harness(JobConfig.from(RawConfig.of(settings), Map.of()))) {
            h.open();
            for (int i = 0; i < WINDOW; i++) {
                h.processElement(event("k", i), i);
            }
            assertThat(h.extractOutputValues()).extracting(EpochMetrics::getModelVersion)
                    .as("k starts fresh, not from version 7 of a tanh/mse network").containsExactly(1L);
        }

        java.nio.file.Path file = dir.resolve("foreign.snapshot");
        java.nio.file.Files.write(file, AvroSingleObjectCodec.forClass(ModelSnapshot.class).encode(foreign));
        settings.put("model.warm-start", "file:" + file);
        try (var h = harness(JobConfig.from(RawConfig.of(settings), Map.of()))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(h::open).hasMessageContaining("model.warm-start")
                    .hasMessageContaining("model.activations is sigmoid in the configuration but tanh in the snapshot");
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, LabelledEvent, EpochMetrics> harness(JobConfig config)
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new EpochFunction(config)),
                LabelledEvent::getKey, Types.STRING);
    }

    /** A snapshot of {@code key} at {@code version} (the trainer's fresh weights; only the version matters here). */
    private static ModelSnapshot snapshot(JobConfig config, EpochTrainer trainer, String key, long version) {
        ModelState m = trainer.newModel(key);
        var image = trainer.image(m, false);
        return ModelSnapshots.of(config.training(), new dev.epochstream.learner.epoch.ModelImage(key, version,
                ModelState.NO_TIME, image.parameters(), null, null, 0, 0, 0, 0, 0, 0, version), 1L);
    }

    private static void publish(String topic, ModelSnapshot s) {
        Properties p = new Properties();
        p.putAll(KAFKA.kafka().clientProperties());
        try (var producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, s.getKey().getBytes(StandardCharsets.UTF_8),
                    AvroSingleObjectCodec.forClass(ModelSnapshot.class).encode(s)));
            producer.flush();
        }
    }

    private static LabelledEvent event(String key, int i) {
        return LabelledEvent.newBuilder().setId(key + i).setKey(key).setTime(Instant.ofEpochMilli(i))
                .setFeatures(List.of(0.1 * i, 0.2)).setLabel(i % 2).build();
    }
}
