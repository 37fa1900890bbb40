package dev.epochstream.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Plain Kafka reads and writes for end-to-end tests: everything waits on a condition with a deadline. */
final class Records {
    private Records() {
    }

    record Message(String key, byte[] value, int partition, long offset) {
    }

    static void produce(Properties client, String topic, List<Message> messages) {
        Properties p = new Properties();
        p.putAll(client);
        p.setProperty("acks", "all");
        p.setProperty("max.request.size", String.valueOf(8 * 1024 * 1024));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Message m : messages) {
                producer.send(new ProducerRecord<>(topic, m.partition() < 0 ? null : m.partition(),
                        m.key() == null ? null : m.key().getBytes(StandardCharsets.UTF_8), m.value()));
            }
            producer.flush();
        }
    }

    /** Every committed record of the topic, read until {@code done} holds or the deadline passes. */
    static List<Message> readCommitted(Properties client, String topic, Duration timeout, Predicate<List<Message>> done) {
        List<Message> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> c = fromBeginning(client, topic)) {
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.add(new Message(r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8), r.value(),
                            r.partition(), r.offset()));
                }
                if (done.test(out)) {
                    return out;
                }
            }
        }
        return out;
    }

    /** Every committed record currently in the topic (reads to the end offsets). */
    static List<Message> readToEnd(Properties client, String topic, Duration timeout) {
        List<Message> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> c = fromBeginning(client, topic)) {
            List<TopicPartition> tps = List.copyOf(c.assignment());
            var end = c.endOffsets(tps);
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end within " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.add(new Message(r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8), r.value(),
                            r.partition(), r.offset()));
                }
            }
        }
        return out;
    }

    /** A read_committed consumer assigned to every partition of {@code topic}, at the beginning. */
    private static KafkaConsumer<byte[], byte[]> fromBeginning(Properties client, String topic) {
        Properties p = new Properties();
        p.putAll(client);
        p.setProperty("isolation.level", "read_committed");
        p.setProperty("enable.auto.commit", "false");
        p.setProperty("max.partition.fetch.bytes", String.valueOf(8 * 1024 * 1024));
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> tps = c.partitionsFor(topic).stream().map(pi -> new TopicPartition(topic, pi.partition())).toList();
        c.assign(tps);
        c.seekToBeginning(tps);
        return c;
    }
}
