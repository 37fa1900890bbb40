package dev.epochstream.connectors.format;

import dev.epochstream.schemas.codec.DecodeResult;
import dev.epochstream.schemas.codec.SampleRecords;
import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.schemas.DeadLetterReason;
import dev.epochstream.schemas.LabelledEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonEventEncoderTest {

    private final JsonEventEncoder encoder = new JsonEventEncoder();
    private final JsonEventDecoder decoder = new JsonEventDecoder();

    @Test
    void everyEventShapeRoundTrips() {
        for (LabelledEvent event : SampleRecords.events()) {
            DecodeResult<LabelledEvent> back = decoder.decode(encoder.encodeUtf8(event), 0L);
            assertThat(back.isOk()).as(back.message()).isTrue();
            assertThat(back.value()).isEqualTo(event);
        }
    }

    @Test
    void writesTheDocumentedShape() {
        assertThat(encoder.encode(SampleRecords.denseEvent(1))).isEqualTo(
                "{\"id\":\"e1\",\"key\":\"m1\",\"time\":1700000000000,\"features\":[0.1,2.0,-3.5],\"label\":1,\"weight\":1.0}");
        assertThat(encoder.encode(SampleRecords.sparseEvent())).startsWith(
                "{\"id\":\"e2\",\"key\":\"m2\",\"time\":1700000000005,\"features\":{\"size\":8,\"indices\":[0,3,7],"
                        + "\"values\":[1.5,-2.0,0.25]},\"label\":[0.0,1.0,1.0],\"weight\":0.5,\"attributes\":{");
    }

    @Test
    void anIntegerValuedDoubleLabelStaysADouble() {
        String json = encoder.encode(SampleRecords.denseEvent(2.0));
        assertThat(json).contains("\"label\":2.0");
        assertThat(decoder.decode(json, 0L).value().getLabel()).isInstanceOf(Double.class);
    }

    @Test
    void nonFiniteValuesAreWrittenAsTokensThatDecodeAsNonFinite() {
        LabelledEvent bad = SampleRecords.denseEvent(null);
        bad.setFeatures(List.of(1.0, Double.NaN));
        String json = encoder.encode(bad);
        assertThat(json).contains("[1.0,NaN]");
        assertThat(decoder.decode(json, 0L).reason()).isEqualTo(DeadLetterReason.NON_FINITE);
    }

    @Test
    void theEncoderIsReusable() {
        String first = encoder.encode(SampleRecords.denseEvent(1));
        encoder.encode(SampleRecords.sparseEvent());
        assertThat(encoder.encode(SampleRecords.denseEvent(1))).isEqualTo(first);
    }
}
