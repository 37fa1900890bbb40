package dev.epochstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.data.EventGenerator;
import dev.epochstream.data.Generators;
import dev.epochstream.kafka.embedded.EmbeddedKafkaExtension;
import dev.epochstream.schemas.EpochMetrics;
import dev.epochstream.schemas.LabelledEvent;
import dev.epochstream.schemas.codec.AvroSingleObjectCodec;
import dev.epochstream.schemas.codec.DecodeResult;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** produce and watch against a real (embedded) broker: one broker for the class, a fresh topic per test. */
class ProduceWatchITCase {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.builder().build();

    private static String bootstrap() {
        return KAFKA.kafka().bootstrapServers();
    }

    /** Every record of {@code topic}, in offset order per partition; waits until {@code expected} arrived. */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
        Properties p = KAFKA.kafka().clientProperties();
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic)) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (out.size() < expected && System.nanoTime() - deadline < 0) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            // Anything beyond the expected count would be a bug too: one more short look.
            consumer.poll(Duration.ofMillis(200)).forEach(out::add);
        }
        return out;
    }

    @Test
    void producesGeneratorEventsKeyedByModelKeyAndDeterministic() {
        String topic = KAFKA.uniqueTopic("events", 3);
        CliRun run = CliRun.of("produce", "--bootstrap", bootstrap(), "--topic", topic, "--generator", "hyperplane",
                "--keys", "3", "--count", "600", "--seed", "5");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("produce: 600 events written to '" + topic + "'", "(avro; generator hyperplane, 3 keys)");

        List<ConsumerRecord<byte[], byte[]>> records = readAll(topic, 600);
        assertThat(records).hasSize(600);
        AvroSingleObjectCodec<LabelledEvent> codec = AvroSingleObjectCodec.forClass(LabelledEvent.class);
        Map<String, List<LabelledEvent>> byKey = new HashMap<>();
        Map<String, Set<Integer>> partitionsOfKey = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            String key = new String(r.key(), StandardCharsets.UTF_8);
            DecodeResult<LabelledEvent> d = codec.decode(r.value());
            assertThat(d.isOk()).as(d.message()).isTrue();
            assertThat(d.value().getKey()).isEqualTo(key);
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(d.value());
            partitionsOfKey.computeIfAbsent(key, k -> new HashSet<>()).add(r.partition());
        }
        assertThat(byKey).containsOnlyKeys("model-0", "model-1", "model-2");
        assertThat(partitionsOfKey.values()).allSatisfy(ps -> assertThat(ps).hasSize(1));
        // In each key's partition, the events are the generator's, in order.
        EventGenerator expected = Generators.create("hyperplane", 3, 5);
        Map<String, List<LabelledEvent>> expectedByKey = new HashMap<>();
        for (int i = 0; i < 600; i++) {
            LabelledEvent e = expected.next();
            expectedByKey.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e);
        }
        assertThat(byKey).isEqualTo(expectedByKey);
    }

    @Test
    void producesAFileAsJsonRepeated() throws URISyntaxException {
        String topic = KAFKA.uniqueTopic("json");
        Path csv = Path.of(ProduceWatchITCase.class.getResource("/data/small.csv").toURI());
        CliRun run = CliRun.of("produce", "--bootstrap", bootstrap(), "--topic", topic, "--file", csv.toString(),
                "--json", "--repeat", "2");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("small.csv:5: column 'x2': 'oops' is not a number (skipped)")
                .contains("produce: 8 events written", "; 4 bad lines skipped");
        List<String> values = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : readAll(topic, 8)) {
            values.add(new String(r.value(), StandardCharsets.UTF_8));
        }
        assertThat(values).hasSize(8);
        assertThat(values.get(0)).startsWith("{\"id\":\"a1\",\"key\":\"sensor-a\",\"time\":1700000000000");
        // The second pass: ids renamed, times after the first pass's span (1704067201000 - 1700000000000 + 10 ms).
        assertThat(values.get(4)).startsWith("{\"id\":\"a1-r1\",\"key\":\"sensor-a\",\"time\":" + (1_704_067_201_000L + 10));
    }

    @Test
    void unreachableBrokerFailsFastNamingTheAddress() {
        long start = System.nanoTime();
        CliRun run = CliRun.of("produce", "--bootstrap", "127.0.0.1:1", "--topic", "t", "--generator", "sea");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(run.exitCode()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(run.err()).isEqualTo("epochstream produce: cannot reach Kafka at 127.0.0.1:1: no broker answered within 6 s\n");
        assertThat(took).isLessThan(Duration.ofSeconds(12));
    }

    @Test
    void missingTopicIsNamed() {
        CliRun run = CliRun.of("produce", "--bootstrap", bootstrap(), "--topic", "no-such-topic", "--generator", "sea");
        assertThat(run.exitCode()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(run.err()).contains("topic 'no-such-topic' does not exist on " + bootstrap());
        run = CliRun.of("watch", "--bootstrap", bootstrap(), "--topic", "no-such-topic", "--once");
        assertThat(run.exitCode()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(run.err()).contains("topic 'no-such-topic' does not exist");
    }

    @Test
    void watchOnceRendersTheTableOfTheMetricsOnTheTopic() {
        String topic = KAFKA.uniqueTopic("metrics", 2);
        AvroSingleObjectCodec<EpochMetrics> codec = AvroSingleObjectCodec.forClass(EpochMetrics.class);
        Properties p = KAFKA.kafka().clientProperties();
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (int e = 1; e <= 5; e++) {
                EpochMetrics a = MetricsBoardTest.metrics("model-0", e, "classification", 1.0 / e, 0.5 + e / 10.0, null,
                        e % 2 == 0, 250L);
                EpochMetrics b = MetricsBoardTest.metrics("model-1", e, "regression", 2.0 / e, null, 0.1 * e, false, null);
                producer.send(new ProducerRecord<>(topic, "model-0".getBytes(StandardCharsets.UTF_8), codec.encode(a)));
                producer.send(new ProducerRecord<>(topic, "model-1".getBytes(StandardCharsets.UTF_8), codec.encode(b)));
            }
            producer.send(new ProducerRecord<>(topic, "junk".getBytes(StandardCharsets.UTF_8), "not avro".getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }
        CliRun run = CliRun.of("watch", "--bootstrap", bootstrap(), "--topic", topic, "--once", "--from-beginning");
        assertThat(run.exitCode()).as(run.err()).isZero();
        String[] lines = run.out().split("\n");
        assertThat(lines[0]).startsWith("KEY").contains("PREQUENTIAL", "LOSS", "LR", "PUBLISHED", "LAG");
        assertThat(lines[1]).startsWith("model-0").contains(" 5 ", "acc 1.0000", "0.2000", "0.0100", " no ", "250ms");
        assertThat(lines[2]).startsWith("model-1").contains(" 5 ", "R² 0.5000", "0.4000");
        assertThat(run.out()).contains("2 keys, 10 epoch records, 1 records skipped (not EpochMetrics)");

        CliRun one = CliRun.of("watch", "--bootstrap", bootstrap(), "--topic", topic, "--once", "--key", "model-1");
        assertThat(one.exitCode()).as(one.err()).isZero();
        assertThat(one.out()).contains("model-1").doesNotContain("model-0").contains("1 keys, 5 epoch records");
    }
}
