package dev.epochstream.job;

import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes every output record without the Flink record timestamp, so the producer stamps it with the send
 * time. The Flink timestamp of an output is an event time (the event that completed a count window, the
 * end of an event-time window) or Long.MAX_VALUE (the timer that trains the last partial window of a
 * bounded input): the broker refuses timestamps more than message.timestamp.after.max.ms (one hour by
 * default) ahead of its clock, which failed the job at the end of every bounded input ending in a partial
 * window, and on any event whose time field lies in the future. Old event times would also make
 * time-based retention delete fresh outputs of a backfill at once.
 */
final class SendTimeSerializationSchema<T> implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;
    private final KafkaRecordSerializationSchema<T> inner;

    SendTimeSerializationSchema(KafkaRecordSerializationSchema<T> inner) {
        this.inner = inner;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) throws Exception {
        inner.open(context, sinkContext);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        return inner.serialize(element, context, null);
    }
}
