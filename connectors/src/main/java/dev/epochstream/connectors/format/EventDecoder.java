package dev.epochstream.connectors.format;

import dev.epochstream.schemas.codec.AvroSingleObjectCodec;
import dev.epochstream.schemas.codec.DecodeResult;
import dev.epochstream.schemas.DeadLetterReason;
import dev.epochstream.connectors.deadletter.Refusal;
import dev.epochstream.schemas.LabelledEvent;
import java.time.Instant;

/**
 * Record bytes of the input topic to a validated {@link LabelledEvent}: first the size limit
 * ({@code oversized}: the bytes are not even parsed), then the wire format's decoder, then
 * {@link EventValidator}, then, when a limit is set, how far the event time is ahead
 * ({@code time-out-of-range}). The one entry point for sources; never throws on bad input.
 *
 * <p>The time limit guards event-time watermarks, which only move forward: one event dated years ahead
 * would lift its partition's watermark for good, and every later event would be late. "Ahead" is measured
 * from the earlier of the record's ingestion time (its Kafka timestamp) and the wall clock: the record
 * timestamp makes a replay of an old backlog decide as the first read did, and the wall clock still
 * catches producers that copy the event time into the record timestamp.
 *
 * <p>Not thread-safe: one per task.
 */
public final class EventDecoder {

    /** {@link #maxFutureMillis} of a decoder without a time limit. */
    public static final long NO_TIME_LIMIT = Long.MAX_VALUE;

    private final WireFormat format;
    private final int maxRecordBytes;
    private final long maxFutureMillis;
    private final AvroSingleObjectCodec<LabelledEvent> avro;
    private final JsonEventDecoder json;

    /**
     * A decoder without a time limit.
     *
     * @param maxRecordBytes largest accepted record value, in bytes (&gt;= 1)
     */
    public EventDecoder(WireFormat format, int maxRecordBytes) {
        this(format, maxRecordBytes, NO_TIME_LIMIT);
    }

    /**
     * @param maxRecordBytes  largest accepted record value, in bytes (&gt;= 1)
     * @param maxFutureMillis how far an event time may be ahead of the earlier of its ingestion time and the
     *                        wall clock (&gt;= 0), or {@link #NO_TIME_LIMIT}
     */
    public EventDecoder(WireFormat format, int maxRecordBytes, long maxFutureMillis) {
        if (maxRecordBytes < 1) {
            throw new IllegalArgumentException("maxRecordBytes must be >= 1, got " + maxRecordBytes);
        }
        if (maxFutureMillis < 0) {
            throw new IllegalArgumentException("maxFutureMillis must be >= 0, got " + maxFutureMillis);
        }
        this.format = format;
        this.maxRecordBytes = maxRecordBytes;
        this.maxFutureMillis = maxFutureMillis;
        this.avro = format == WireFormat.AVRO ? AvroSingleObjectCodec.forClass(LabelledEvent.class) : null;
        this.json = format == WireFormat.JSON ? new JsonEventDecoder() : null;
    }

    public WireFormat format() {
        return format;
    }

    /**
     * The event, or why not; {@code ingestionTimeMillis} is the time of JSON events that carry none, and the
     * wall clock is taken to be no earlier.
     */
    public DecodeResult<LabelledEvent> decode(byte[] bytes, long ingestionTimeMillis) {
        return decode(bytes, ingestionTimeMillis, ingestionTimeMillis);
    }

    /**
     * The event, or why not; {@code ingestionTimeMillis} is the time of JSON events that carry none (the
     * record's timestamp, else the wall clock), {@code wallClockMillis} the time now.
     */
    public DecodeResult<LabelledEvent> decode(byte[] bytes, long ingestionTimeMillis, long wallClockMillis) {
        if (bytes != null && bytes.length > maxRecordBytes) {
            return DecodeResult.refused(DeadLetterReason.OVERSIZED,
                    "record of " + bytes.length + " bytes exceeds the limit of " + maxRecordBytes);
        }
        DecodeResult<LabelledEvent> decoded;
        if (json != null) {
            decoded = json.decode(bytes, ingestionTimeMillis);
        } else {
            decoded = avro.decode(bytes);
            if (decoded.isOk()) {
                Refusal refusal = EventValidator.validate(decoded.value());
                if (refusal != null) {
                    return DecodeResult.refused(refusal.reason(), refusal.message());
                }
            }
        }
        if (!decoded.isOk() || maxFutureMillis == NO_TIME_LIMIT) {
            return decoded;
        }
        long time = decoded.value().getTime().toEpochMilli();
        long reference = Math.min(ingestionTimeMillis, wallClockMillis);
        // no overflow: the validator keeps time within the years 0001-9999, and a reference is a time of this era
        if (time - reference > maxFutureMillis) {
            return DecodeResult.refused(DeadLetterReason.TIME_OUT_OF_RANGE, "event " + decoded.value().getId()
                    + " has time " + Instant.ofEpochMilli(time) + ", " + (time - reference) + " ms ahead of "
                    + Instant.ofEpochMilli(reference) + " (the earlier of its record's timestamp and the wall clock)"
                    + "; the limit is " + maxFutureMillis + " ms");
        }
        return decoded;
    }
}
