package dev.epochstream.connectors.kafka;

import dev.epochstream.schemas.codec.AvroSingleObjectCodec;
import dev.epochstream.schemas.DeadLetter;
import dev.epochstream.schemas.EpochMetrics;
import dev.epochstream.schemas.ModelSnapshot;
import dev.epochstream.schemas.Prediction;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.DefaultRecord;
import org.apache.kafka.common.record.DefaultRecordBatch;
import org.apache.kafka.common.utils.ByteUtils;

/**
 * Output records to Kafka in Avro single-object encoding. The record key is the model key (UTF-8; none
 * for a dead letter without a key), so that one key's records stay in order on one partition. Headers:
 * {@value #FINGERPRINT_HEADER} (the writer schema's CRC-64-AVRO fingerprint as 16 lower-case hex digits,
 * the same value as in the payload header) and, for snapshots, {@value #VERSION_HEADER} (the model
 * version in decimal), so consumers can route or skip without decoding.
 *
 * <p>The Kafka timestamp is left to the producer (the time of writing), never taken from Flink's
 * element timestamp: that is an input event's time (untrusted: a far-future event time would be rejected
 * by the broker, which only accepts timestamps up to {@code message.timestamp.after.max.ms} ahead) or a
 * timer's ({@code Long.MAX_VALUE} for the end-of-input flush), and a rejected record fails the job.
 */
public final class AvroRecordSerializationSchema<T extends SpecificRecord> implements KafkaRecordSerializationSchema<T> {

    private static final long serialVersionUID = 1L;

    public static final String FINGERPRINT_HEADER = "epochstream.fingerprint";
    public static final String VERSION_HEADER = "epochstream.version";

    /** Reads a string attribute of a record (the key, a version); serializable for Flink. */
    @FunctionalInterface
    public interface Attribute<T> extends Serializable {
        String of(T record);
    }

    private final String topic;
    private final Class<T> type;
    private final Attribute<T> key;
    private final Attribute<T> version;
    private transient AvroSingleObjectCodec<T> codec;
    private transient byte[] fingerprint;

    /** {@code version} may be null: no {@value #VERSION_HEADER} header. */
    public AvroRecordSerializationSchema(String topic, Class<T> type, Attribute<T> key, Attribute<T> version) {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("topic must not be empty");
        }
        this.topic = topic;
        this.type = Objects.requireNonNull(type, "type");
        this.key = Objects.requireNonNull(key, "key");
        this.version = version;
    }

    public static AvroRecordSerializationSchema<EpochMetrics> metrics(String topic) {
        return new AvroRecordSerializationSchema<>(topic, EpochMetrics.class, EpochMetrics::getKey, null);
    }

    public static AvroRecordSerializationSchema<ModelSnapshot> snapshots(String topic) {
        return new AvroRecordSerializationSchema<>(topic, ModelSnapshot.class, ModelSnapshot::getKey,
                s -> Long.toString(s.getVersion()));
    }

    public static AvroRecordSerializationSchema<Prediction> predictions(String topic) {
        return new AvroRecordSerializationSchema<>(topic, Prediction.class, Prediction::getKey, null);
    }

    public static AvroRecordSerializationSchema<DeadLetter> deadLetters(String topic) {
        return new AvroRecordSerializationSchema<>(topic, DeadLetter.class, DeadLetter::getKey, null);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long elementTimestamp) {
        String k = key.of(element);
        return new ProducerRecord<>(topic, null, null, k == null ? null : k.getBytes(StandardCharsets.UTF_8),
                codec().encode(element), headers(version == null ? null : version.of(element)));
    }

    /**
     * The most bytes a record of this schema counts for in Kafka, with a key of up to {@code keyBytes} bytes,
     * a value of {@code valueBytes} and a version header of up to 19 digits (a non-negative long): the size
     * that the producer compares with max.request.size, a batch of this record alone, uncompressed (Kafka's
     * {@code AbstractRecords.estimateSizeInBytesUpperBound}, computed without the value's bytes).
     */
    public long maxRecordBytes(int keyBytes, long valueBytes) {
        long bytes = DefaultRecordBatch.RECORD_BATCH_OVERHEAD + DefaultRecord.MAX_RECORD_OVERHEAD
                + ByteUtils.sizeOfVarint(keyBytes) + keyBytes
                + ByteUtils.sizeOfVarint((int) Math.min(valueBytes, Integer.MAX_VALUE)) + valueBytes;
        Header[] headers = headers(version == null ? null : Long.toString(Long.MAX_VALUE)).toArray();
        bytes += ByteUtils.sizeOfVarint(headers.length);
        for (Header h : headers) {
            int name = h.key().getBytes(StandardCharsets.UTF_8).length;
            bytes += ByteUtils.sizeOfVarint(name) + name + ByteUtils.sizeOfVarint(h.value().length) + h.value().length;
        }
        return bytes;
    }

    private AvroSingleObjectCodec<T> codec() {
        if (codec == null) {
            codec = AvroSingleObjectCodec.forClass(type);
            fingerprint = String.format("%016x", SchemaNormalization.parsingFingerprint64(codec.schema()))
                    .getBytes(StandardCharsets.UTF_8);
        }
        return codec;
    }

    /** {@code versionValue} null: no version header. */
    private RecordHeaders headers(String versionValue) {
        codec();
        RecordHeaders headers = new RecordHeaders();
        headers.add(FINGERPRINT_HEADER, fingerprint);
        if (versionValue != null) {
            headers.add(VERSION_HEADER, versionValue.getBytes(StandardCharsets.UTF_8));
        }
        return headers;
    }
}
