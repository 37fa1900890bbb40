package dev.epochstream.client;

import dev.epochstream.kafka.embedded.EmbeddedKafka;
import dev.epochstream.schemas.ModelSnapshot;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes to a snapshot topic the way the job's exactly-once sink does: in transactions, committed or
 * aborted. {@link #send} returns once the transaction's outcome is visible to {@code read_committed}
 * readers: {@code commitTransaction()} returns when the coordinator logged the commit, but the markers
 * reach the partitions a moment later, and until then the last stable offset still stops before the
 * transaction.
 */
final class SnapshotPublisher implements AutoCloseable {
    private final String topic;
    private final KafkaProducer<String, byte[]> producer;
    private final Admin admin;

    SnapshotPublisher(EmbeddedKafka kafka, String topic) {
        this.topic = topic;
        Properties p = kafka.clientProperties();
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "snapshots-" + UUID.randomUUID());
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "4194304");
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        producer.initTransactions();
        this.admin = Admin.create(kafka.clientProperties());
    }

    ProducerRecord<String, byte[]> record(ModelSnapshot s) {
        return new ProducerRecord<>(topic, s.getKey(), TestModels.encode(s));
    }

    /** A null value: the key is retired. */
    ProducerRecord<String, byte[]> tombstone(String key) {
        return new ProducerRecord<>(topic, key, null);
    }

    ProducerRecord<String, byte[]> record(String key, byte[] value) {
        return new ProducerRecord<>(topic, key, value);
    }

    /** Publishes the snapshots in one committed transaction. */
    void commit(ModelSnapshot... snapshots) {
        ProducerRecord<?, ?>[] records = new ProducerRecord<?, ?>[snapshots.length];
        for (int i = 0; i < snapshots.length; i++) {
            records[i] = record(snapshots[i]);
        }
        send(List.of(records), true);
    }

    /** Sends the records in one transaction and commits or aborts it. */
    @SuppressWarnings("unchecked")
    void send(List<ProducerRecord<?, ?>> records, boolean commit) {
        producer.beginTransaction();
        for (ProducerRecord<?, ?> r : records) {
            producer.send((ProducerRecord<String, byte[]>) r);
        }
        if (commit) {
            producer.commitTransaction();
        } else {
            producer.flush();
            producer.abortTransaction();
        }
        Await.until(Duration.ofSeconds(20), "the transaction markers on " + topic, this::stable);
    }

    /** True when no partition of the topic has an undecided transaction (last stable offset = high watermark). */
    private boolean stable() {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (PartitionInfo p : producer.partitionsFor(topic)) {
            latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
        }
        try {
            Map<TopicPartition, ?> committed = offsets(latest, IsolationLevel.READ_COMMITTED);
            return committed.equals(offsets(latest, IsolationLevel.READ_UNCOMMITTED));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            throw new AssertionError(e);
        }
    }

    private Map<TopicPartition, Long> offsets(Map<TopicPartition, OffsetSpec> specs, IsolationLevel level)
            throws InterruptedException, ExecutionException {
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(specs, new ListOffsetsOptions(level)).all().get()
                .forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    @Override
    public void close() {
        producer.close();
        admin.close();
    }
}
