package dev.epochstream.connectors.format;

import dev.epochstream.schemas.codec.AvroSingleObjectCodec;
import dev.epochstream.schemas.codec.DecodeResult;
import dev.epochstream.schemas.codec.SampleRecords;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.epochstream.schemas.DeadLetterReason;
import dev.epochstream.schemas.LabelledEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventDecoderTest {

    @Test
    void recordsOverTheLimitAreOversizedBeforeParsing() {
        byte[] json = "{\"id\":\"e\",\"key\":\"k\",\"features\":[1]}".getBytes(StandardCharsets.UTF_8);
        assertThat(new EventDecoder(WireFormat.JSON, json.length).decode(json, 0L).isOk()).isTrue();
        DecodeResult<LabelledEvent> r = new EventDecoder(WireFormat.JSON, json.length - 1).decode(json, 0L);
        assertThat(r.reason()).isEqualTo(DeadLetterReason.OVERSIZED);
        assertThat(r.message()).contains(json.length + " bytes");
        // Not parsed: even garbage is only oversized.
        assertThat(new EventDecoder(WireFormat.AVRO, 4).decode(new byte[5], 0L).reason()).isEqualTo(DeadLetterReason.OVERSIZED);
    }

    @Test
    void avroEventsAreDecodedThenValidated() {
        AvroSingleObjectCodec<LabelledEvent> codec = AvroSingleObjectCodec.forClass(LabelledEvent.class);
        EventDecoder decoder = new EventDecoder(WireFormat.AVRO, 1 << 20);
        LabelledEvent good = SampleRecords.sparseEvent();
        assertThat(decoder.decode(codec.encode(good), 0L).value()).isEqualTo(good);

        LabelledEvent bad = SampleRecords.denseEvent(1);
        bad.setFeatures(List.of(Double.NaN));
        assertThat(decoder.decode(codec.encode(bad), 0L).reason()).isEqualTo(DeadLetterReason.NON_FINITE);
        bad.setKey("");
        assertThat(decoder.decode(codec.encode(bad), 0L).reason()).isEqualTo(DeadLetterReason.MISSING_KEY);
        assertThat(decoder.decode("{}".getBytes(StandardCharsets.UTF_8), 0L).reason()).isEqualTo(DeadLetterReason.NOT_AVRO);
    }

    @Test
    void jsonEventsGetTheIngestionTime() {
        byte[] json = "{\"id\":\"e\",\"key\":\"k\",\"features\":[1]}".getBytes(StandardCharsets.UTF_8);
        assertThat(new EventDecoder(WireFormat.JSON, 100).decode(json, 77L).value().getTime().toEpochMilli()).isEqualTo(77L);
    }

    @Test
    void anEventFurtherAheadThanTheLimitOfTheEarlierOfIngestionAndWallClockIsOutOfRange() {
        AvroSingleObjectCodec<LabelledEvent> codec = AvroSingleObjectCodec.forClass(LabelledEvent.class);
        long t = 1_700_000_000_000L;
        long day = 86_400_000L;
        byte[] avro = codec.encode(LabelledEvent.newBuilder(SampleRecords.denseEvent(1)).setTime(Instant.ofEpochMilli(t))
                .build());
        byte[] json = ("{\"id\":\"e\",\"key\":\"k\",\"time\":" + t + ",\"features\":[1]}").getBytes(StandardCharsets.UTF_8);
        for (byte[] bytes : List.of(avro, json)) {
            EventDecoder decoder = new EventDecoder(bytes == avro ? WireFormat.AVRO : WireFormat.JSON, 1 << 20, day);
            // exactly the limit ahead of both references: accepted
            assertThat(decoder.decode(bytes, t - day, t - day).isOk()).isTrue();
            // one millisecond more, measured from the record timestamp (a replay decides as the first read did)
            DecodeResult<LabelledEvent> r = decoder.decode(bytes, t - day - 1, t + 365 * day);
            assertThat(r.reason()).isEqualTo(DeadLetterReason.TIME_OUT_OF_RANGE);
            assertThat(r.message()).contains((day + 1) + " ms ahead", "the limit is " + day + " ms");
            // or from the wall clock, when a producer stamped the record with the event time itself
            assertThat(decoder.decode(bytes, t, t - day - 1).reason()).isEqualTo(DeadLetterReason.TIME_OUT_OF_RANGE);
            // times in the past are never refused, however far
            assertThat(decoder.decode(bytes, t + 100 * 365 * day, t + 100 * 365 * day).isOk()).isTrue();
            // without a limit, only the years 0001-9999 bound the time
            EventDecoder unlimited = new EventDecoder(bytes == avro ? WireFormat.AVRO : WireFormat.JSON, 1 << 20);
            assertThat(unlimited.decode(bytes, 0L, 0L).isOk()).isTrue();
        }
        assertThatThrownBy(() -> new EventDecoder(WireFormat.AVRO, 10, -1)).hasMessageContaining("maxFutureMillis");
    }

    @Test
    void aLimitBelowOneIsAStartUpError() {
        assertThatThrownBy(() -> new EventDecoder(WireFormat.JSON, 0)).hasMessageContaining("maxRecordBytes");
        assertThat(WireFormat.fromName("Json")).isEqualTo(WireFormat.JSON);
        assertThatThrownBy(() -> WireFormat.fromName("xml")).hasMessageContaining("avro or json");
    }
}
