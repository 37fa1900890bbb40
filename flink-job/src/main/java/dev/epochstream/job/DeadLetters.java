package dev.epochstream.job;

import dev.epochstream.connectors.format.JsonEventEncoder;
import dev.epochstream.connectors.kafka.DeadLetterPayload;
import dev.epochstream.schemas.DeadLetter;
import dev.epochstream.schemas.LabelledEvent;
import dev.epochstream.schemas.codec.AvroSingleObjectCodec;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * Dead letters for events refused after decoding (by the model, the key cap or lateness). Their
 * {@code originalBytes} are the event re-encoded in the topic's own format, so a fixed record can be
 * produced again as is (cut, like any dead letter's, when it would not fit a record: {@link DeadLetterPayload}).
 */
final class DeadLetters {
    private final JobConfig.EventsFormat format;
    private final int maxRecordBytes;
    private transient AvroSingleObjectCodec<LabelledEvent> avro;
    private transient JsonEventEncoder json;

    DeadLetters(JobConfig.EventsFormat format, int maxRecordBytes) {
        this.format = format;
        this.maxRecordBytes = maxRecordBytes;
    }

    DeadLetter of(LabelledEvent event, String reason, String message, long now) {
        byte[] bytes;
        if (format == JobConfig.EventsFormat.JSON) {
            if (json == null) {
                json = new JsonEventEncoder();
            }
            bytes = json.encodeUtf8(event);
        } else {
            if (avro == null) {
                avro = AvroSingleObjectCodec.forClass(LabelledEvent.class);
            }
            bytes = avro.encode(event);
        }
        return DeadLetter.newBuilder()
                .setOriginalBytes(ByteBuffer.wrap(DeadLetterPayload.kept(bytes, maxRecordBytes)))
                .setSourceTopic(null)
                .setSourcePartition(null)
                .setSourceOffset(null)
                .setReason(reason)
                .setMessage(DeadLetterPayload.message(message, bytes.length, maxRecordBytes))
                .setKey(event.getKey())
                .setTime(Instant.ofEpochMilli(now))
                .build();
    }
}
