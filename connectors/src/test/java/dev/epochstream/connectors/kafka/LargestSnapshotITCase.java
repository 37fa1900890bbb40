package dev.epochstream.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.kafka.embedded.EmbeddedKafkaExtension;
import dev.epochstream.kafka.embedded.TopicSpec;
import dev.epochstream.learner.config.RawConfig;
import dev.epochstream.learner.config.TrainingConfig;
import dev.epochstream.learner.epoch.EpochTrainer;
import dev.epochstream.schemas.ModelSnapshot;
import dev.epochstream.schemas.ModelSnapshots;
import dev.epochstream.schemas.SnapshotChecksum;
import dev.epochstream.schemas.codec.AvroSingleObjectCodec;
import dev.epochstream.schemas.codec.DecodeResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A snapshot of the largest supported model, [784,256,10] (203,530 parameters, ~1.6 MB of doubles),
 * goes through a real broker with the settings the job and the model client use: an 8 MiB topic
 * max.message.bytes, producer max.request.size and lz4, consumer max.partition.fetch.bytes.
 */
class LargestSnapshotITCase {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.builder().build();

    private static final int LIMIT = 8 * 1024 * 1024;

    @Test
    void aLargestModelSnapshotRoundTripsThroughTheBroker() {
        TrainingConfig config = TrainingConfig.from(RawConfig.of(Map.of("model.layers", "784,256,10",
                "model.activations", "relu,softmax", "model.loss", "cce", "model.init", "he", "model.seed", "1")));
        EpochTrainer trainer = new EpochTrainer(config);
        ModelSnapshot snapshot = ModelSnapshots.of(config, trainer.image(trainer.newModel("mnist"), false), 1_700_000_000_000L);
        byte[] value = AvroSingleObjectCodec.forClass(ModelSnapshot.class).encode(snapshot);
        assertThat(value.length).as("about 1.6 MB of parameters").isBetween(1_600_000, 2_000_000);

        String topic = KAFKA.uniqueTopic(TopicSpec.of("snapshots", 1).compacted()
                .withConfig("max.message.bytes", String.valueOf(LIMIT)));
        Properties p = KAFKA.kafka().clientProperties();
        p.setProperty("max.request.size", String.valueOf(LIMIT));
        p.setProperty("compression.type", "lz4");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "mnist".getBytes(StandardCharsets.UTF_8), value)).get();
        } catch (Exception e) {
            throw new AssertionError("the broker refused the snapshot", e);
        }

        Properties c = KAFKA.kafka().clientProperties();
        c.setProperty("isolation.level", "read_committed");
        c.setProperty("max.partition.fetch.bytes", String.valueOf(LIMIT));
        byte[] read = null;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (read == null && System.nanoTime() < deadline) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    read = r.value();
                }
            }
        }
        assertThat(read).as("the snapshot came back").isNotNull();
        DecodeResult<ModelSnapshot> decoded = AvroSingleObjectCodec.forClass(ModelSnapshot.class).decode(read);
        assertThat(decoded.isOk()).isTrue();
        assertThat(decoded.value()).isEqualTo(snapshot);
        assertThat(SnapshotChecksum.matches(decoded.value())).isTrue();
        assertThat(ModelSnapshots.problems(decoded.value())).isEmpty();
    }
}
