package dev.epochstream.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Plain kafka-clients against the embedded broker: the data path a Flink job relies on. */
class EmbeddedKafkaClientsITCase {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.builder().build();

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @Test
    void producesAndConsumes() throws Exception {
        String topic = KAFKA.uniqueTopic("plain", 3);
        try (KafkaProducer<String, String> producer = producer(new Properties())) {
            for (int i = 0; i < 30; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i));
            }
            producer.flush();
        }

        List<ConsumerRecord<String, String>> read = consume(topic, "read_uncommitted", 30);

        assertThat(read).extracting(ConsumerRecord::value)
                .containsExactlyInAnyOrderElementsOf(numbered("v", 0, 30));
        assertThat(read).extracting(ConsumerRecord::partition).containsOnly(0, 1, 2);
    }

    @Test
    void readCommittedSeesOnlyCommittedTransactions() throws Exception {
        String topic = KAFKA.uniqueTopic("tx");
        Properties tx = new Properties();
        tx.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-" + topic);
        // The broker allows up to one hour, as Flink's exactly-once sink asks by default.
        tx.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "3600000");
        try (KafkaProducer<String, String> producer = producer(tx)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "a", "committed-1"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "b", "aborted"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "c", "committed-2"));
            producer.commitTransaction();
        }

        // Three data records and three markers; read_uncommitted would also return "aborted".
        assertThat(consume(topic, "read_committed", 2)).extracting(ConsumerRecord::value)
                .containsExactly("committed-1", "committed-2");
        assertThat(consume(topic, "read_uncommitted", 3)).extracting(ConsumerRecord::value)
                .containsExactly("committed-1", "aborted", "committed-2");
    }

    @Test
    void compactedTopicCarriesItsConfig() throws Exception {
        String name = KAFKA.uniqueTopic(TopicSpec.of("snapshots").compacted().withConfig("max.message.bytes", "4194304"));

        try (Admin admin = KAFKA.kafka().adminClient()) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(config.get("max.message.bytes").value()).isEqualTo("4194304");
        }
    }

    @Test
    void brokerAcceptsATwoMegabyteRecord() throws Exception {
        String topic = KAFKA.uniqueTopic("big");
        String big = "x".repeat(2 * 1024 * 1024);
        Properties p = new Properties();
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(4 * 1024 * 1024));
        try (KafkaProducer<String, String> producer = producer(p)) {
            producer.send(new ProducerRecord<>(topic, "model", big)).get();
        }

        assertThat(consume(topic, "read_uncommitted", 1)).singleElement()
                .satisfies(r -> assertThat(r.value()).hasSize(big.length()));
    }

    private static KafkaProducer<String, String> producer(Properties extra) {
        Properties p = KAFKA.kafka().clientProperties();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.putAll(extra);
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    /** Reads from the beginning until {@code expected} records arrived or the deadline passed. */
    private static List<ConsumerRecord<String, String>> consume(String topic, String isolation, int expected) {
        Properties p = KAFKA.kafka().clientProperties();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "g-" + topic + "-" + isolation);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            // One more short poll: anything beyond the expected count is a failure to surface.
            consumer.poll(Duration.ofMillis(300)).forEach(out::add);
        }
        return out;
    }

    private static List<String> numbered(String prefix, int from, int to) {
        List<String> l = new ArrayList<>();
        for (int i = from; i < to; i++) {
            l.add(prefix + i);
        }
        return l;
    }

}
