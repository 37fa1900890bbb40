package dev.epochstream.connectors.kafka;

import dev.epochstream.schemas.codec.DecodeResult;
import dev.epochstream.connectors.format.EventDecoder;
import dev.epochstream.connectors.format.EventValidator;
import dev.epochstream.connectors.format.WireFormat;
import dev.epochstream.schemas.DeadLetter;
import dev.epochstream.schemas.LabelledEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Kafka records of the event topic to {@link EventOrDeadLetter}: exactly one output per record, never an
 * exception for bad input. A refused record becomes a {@link DeadLetter} with its original value bytes
 * (cut when the dead letter would not fit a record: {@link DeadLetterPayload}), topic, partition and offset, and the record key (UTF-8) as the model key when there is one. JSON events
 * without a time get the Kafka record timestamp (or, if it has none, the wall clock). With a time limit,
 * an event further ahead of the earlier of its record timestamp and the wall clock is refused
 * ({@code time-out-of-range}).
 */
public final class EventDeserializationSchema implements KafkaRecordDeserializationSchema<EventOrDeadLetter> {

    private static final long serialVersionUID = 1L;

    private final WireFormat format;
    private final int maxRecordBytes;
    private final long maxFutureMillis;
    private transient EventDecoder decoder;

    /** Without a limit on how far ahead an event time may be. */
    public EventDeserializationSchema(WireFormat format, int maxRecordBytes) {
        this(format, maxRecordBytes, EventDecoder.NO_TIME_LIMIT);
    }

    /** As {@link EventDecoder#EventDecoder(WireFormat, int, long)}. */
    public EventDeserializationSchema(WireFormat format, int maxRecordBytes, long maxFutureMillis) {
        this.format = Objects.requireNonNull(format, "format");
        // Validates eagerly so that a bad limit is a start-up error, not a task failure.
        new EventDecoder(format, maxRecordBytes, maxFutureMillis);
        this.maxRecordBytes = maxRecordBytes;
        this.maxFutureMillis = maxFutureMillis;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<EventOrDeadLetter> out) {
        if (decoder == null) {
            decoder = new EventDecoder(format, maxRecordBytes, maxFutureMillis);
        }
        long now = System.currentTimeMillis();
        long ingestion = record.timestamp() >= 0 ? record.timestamp() : now;
        DecodeResult<LabelledEvent> result = decoder.decode(record.value(), ingestion, now);
        if (result.isOk()) {
            out.collect(EventOrDeadLetter.ofEvent(result.value()));
            return;
        }
        byte[] value = record.value() == null ? new byte[0] : record.value();
        // the record key becomes the dead letter's key and its own record key: beyond the event key bound, dropped
        byte[] recordKey = record.key();
        boolean keyKept = recordKey == null || recordKey.length <= EventValidator.MAX_KEY_BYTES;
        String message = DeadLetterPayload.message(result.message(), value.length, maxRecordBytes)
                + (keyKept ? "" : " (record key of " + recordKey.length + " bytes not kept)");
        out.collect(EventOrDeadLetter.ofDeadLetter(DeadLetter.newBuilder()
                .setOriginalBytes(ByteBuffer.wrap(DeadLetterPayload.kept(value, maxRecordBytes)))
                .setSourceTopic(record.topic())
                .setSourcePartition(record.partition())
                .setSourceOffset(record.offset())
                .setReason(result.reason().code())
                .setMessage(message)
                .setKey(recordKey == null || !keyKept ? null : new String(recordKey, StandardCharsets.UTF_8))
                .setTime(Instant.ofEpochMilli(now))
                .build()));
    }

    @Override
    public TypeInformation<EventOrDeadLetter> getProducedType() {
        return TypeInformation.of(EventOrDeadLetter.class);
    }
}
