package dev.epochstream.client;

import dev.epochstream.kafka.embedded.EmbeddedKafka;
import dev.epochstream.schemas.ModelSnapshot;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes to a snapshot topic the way the job's exactly-once sink does: in transactions, committed or aborted. */
final class SnapshotPublisher implements AutoCloseable {
    private final String topic;
    private final KafkaProducer<String, byte[]> producer;

    SnapshotPublisher(EmbeddedKafka kafka, String topic) {
        this.topic = topic;
        Properties p = kafka.clientProperties();
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "snapshots-" + UUID.randomUUID());
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "4194304");
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        producer.initTransactions();
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
    }

    @Override
    public void close() {
        producer.close();
    }
}
