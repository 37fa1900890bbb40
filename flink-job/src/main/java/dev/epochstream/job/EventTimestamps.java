package dev.epochstream.job;

import dev.epochstream.connectors.kafka.EventOrDeadLetter;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;

/**
 * Event time of a decoded source record: an event's own {@code time}; for a record refused at the source,
 * {@link Long#MIN_VALUE}, Flink's "no timestamp", which moves no watermark. A dead letter's {@code time} is when
 * it was refused (the wall clock): used as event time, one corrupt record in a backlog would push its
 * partition's watermark to now and make every later event of every key on it late.
 */
final class EventTimestamps implements SerializableTimestampAssigner<EventOrDeadLetter> {
    private static final long serialVersionUID = 1L;

    @Override
    public long extractTimestamp(EventOrDeadLetter record, long previous) {
        return record.isEvent() ? record.getEvent().getTime().toEpochMilli() : Long.MIN_VALUE;
    }
}
