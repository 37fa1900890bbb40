package dev.epochstream.job;

import dev.epochstream.connectors.kafka.AvroRecordSerializationSchema;
import dev.epochstream.schemas.ModelSnapshot;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes snapshots (record key = model key) and tombstones (null value) to the compacted snapshot topic. */
final class SnapshotSerializationSchema implements KafkaRecordSerializationSchema<SnapshotMessage> {
    private static final long serialVersionUID = 1L;
    private final String topic;
    private final AvroRecordSerializationSchema<ModelSnapshot> snapshots;

    SnapshotSerializationSchema(String topic) {
        this.topic = topic;
        this.snapshots = AvroRecordSerializationSchema.snapshots(topic);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(SnapshotMessage element, KafkaSinkContext context, Long timestamp) {
        if (element.getSnapshot() == null) {
            // no timestamp: the producer stamps the time of writing (see AvroRecordSerializationSchema)
            return new ProducerRecord<byte[], byte[]>(topic, null, null, element.getKey().getBytes(StandardCharsets.UTF_8),
                    (byte[]) null);
        }
        return snapshots.serialize(element.getSnapshot(), context, timestamp);
    }
}
