package dev.epochstream.job;

import dev.epochstream.connectors.format.JsonEventEncoder;
import dev.epochstream.schemas.DeadLetter;
import dev.epochstream.schemas.LabelledEvent;
import dev.epochstream.schemas.codec.AvroSingleObjectCodec;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * Dead letters for events refused after decoding (by the model, the key cap or lateness). Their
 * {@code originalBytes} are the event re-encoded in the topic's own format, so a fixed record can be
 * produced again as is.
 */
final class DeadLetters {
    private final JobConfig.EventsFormat format;
    private transient AvroSingleObjectCodec<LabelledEvent> avro;
    private transient JsonEventEncoder json;

    DeadLetters(JobConfig.EventsFormat format) {
        this.format = format;
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
                .setOriginalBytes(ByteBuffer.wrap(bytes))
                .setSourceTopic(null)
                .setSourcePartition(null)
                .setSourceOffset(null)
                .setReason(reason)
                .setMessage(message)
                .setKey(event.getKey())
                .setTime(Instant.ofEpochMilli(now))
                .build();
    }
}
