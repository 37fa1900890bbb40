package dev.epochstream.connectors.format;

import dev.epochstream.schemas.codec.AvroSingleObjectCodec;
import dev.epochstream.schemas.codec.DecodeResult;
import dev.epochstream.schemas.DeadLetterReason;
import dev.epochstream.connectors.deadletter.Refusal;
import dev.epochstream.schemas.LabelledEvent;

/**
 * Record bytes of the input topic to a validated {@link LabelledEvent}: first the size limit
 * ({@code oversized}: the bytes are not even parsed), then the wire format's decoder, then
 * {@link EventValidator}. The one entry point for sources; never throws on bad input.
 *
 * <p>Not thread-safe: one per task.
 */
public final class EventDecoder {

    private final WireFormat format;
    private final int maxRecordBytes;
    private final AvroSingleObjectCodec<LabelledEvent> avro;
    private final JsonEventDecoder json;

    /**
     * @param maxRecordBytes largest accepted record value, in bytes (&gt;= 1)
     */
    public EventDecoder(WireFormat format, int maxRecordBytes) {
        if (maxRecordBytes < 1) {
            throw new IllegalArgumentException("maxRecordBytes must be >= 1, got " + maxRecordBytes);
        }
        this.format = format;
        this.maxRecordBytes = maxRecordBytes;
        this.avro = format == WireFormat.AVRO ? AvroSingleObjectCodec.forClass(LabelledEvent.class) : null;
        this.json = format == WireFormat.JSON ? new JsonEventDecoder() : null;
    }

    public WireFormat format() {
        return format;
    }

    /** The event, or why not; {@code ingestionTimeMillis} is the time of JSON events that carry none. */
    public DecodeResult<LabelledEvent> decode(byte[] bytes, long ingestionTimeMillis) {
        if (bytes != null && bytes.length > maxRecordBytes) {
            return DecodeResult.refused(DeadLetterReason.OVERSIZED,
                    "record of " + bytes.length + " bytes exceeds the limit of " + maxRecordBytes);
        }
        if (json != null) {
            return json.decode(bytes, ingestionTimeMillis);
        }
        DecodeResult<LabelledEvent> decoded = avro.decode(bytes);
        if (!decoded.isOk()) {
            return decoded;
        }
        Refusal refusal = EventValidator.validate(decoded.value());
        return refusal == null ? decoded : DecodeResult.refused(refusal.reason(), refusal.message());
    }
}
