package dev.epochstream.connectors.format;

import dev.epochstream.schemas.codec.DecodeResult;
import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.schemas.DeadLetterReason;
import dev.epochstream.schemas.LabelledEvent;
import dev.epochstream.schemas.SparseFeatures;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonEventDecoderTest {

    private static final long INGESTION = 1_800_000_000_000L;
    private final JsonEventDecoder decoder = new JsonEventDecoder();

    private LabelledEvent ok(String json) {
        DecodeResult<LabelledEvent> result = decoder.decode(json, INGESTION);
        assertThat(result.isOk()).as(result.reason() + ": " + result.message()).isTrue();
        return result.value();
    }

    private void refused(String json, DeadLetterReason reason) {
        DecodeResult<LabelledEvent> result = decoder.decode(json, INGESTION);
        assertThat(result.reason()).as(json + " -> " + result.message()).isEqualTo(reason);
        assertThat(result.message()).isNotBlank();
    }

    @Test
    void theDocumentedExampleDecodes() {
        LabelledEvent e = ok("{\"id\": \"e1\", \"key\": \"m1\", \"time\": 1700000000000, \"features\": [0.1, 2.0], \"label\": 1}");
        assertThat(e.getId()).isEqualTo("e1");
        assertThat(e.getKey()).isEqualTo("m1");
        assertThat(e.getTime()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
        assertThat(e.getFeatures()).isEqualTo(List.of(0.1, 2.0));
        assertThat(e.getLabel()).isInstanceOf(Integer.class).isEqualTo(1);
        assertThat(e.getWeight()).isEqualTo(1.0);
        assertThat(e.getAttributes()).isNull();
    }

    @Test
    void sparseFeaturesDecode() {
        LabelledEvent e = ok("{\"id\":\"e\",\"key\":\"k\",\"time\":5,\"features\":{\"size\":10,\"indices\":[0,4,9],\"values\":[1,-2.5,3e-3]}}");
        assertThat(e.getFeatures()).isEqualTo(new SparseFeatures(10, List.of(0, 4, 9), List.of(1.0, -2.5, 0.003)));
        // An all-zero sparse vector is well-formed.
        ok("{\"id\":\"e\",\"key\":\"k\",\"features\":{\"size\":3,\"indices\":[],\"values\":[]}}");
    }

    @Test
    void labelShapesMapToTheirUnionBranches() {
        String head = "{\"id\":\"e\",\"key\":\"k\",\"features\":[1],\"label\":";
        assertThat(ok(head + "3}").getLabel()).isInstanceOf(Integer.class).isEqualTo(3);
        assertThat(ok(head + "3.0}").getLabel()).isInstanceOf(Double.class).isEqualTo(3.0);
        assertThat(ok(head + "-0.25}").getLabel()).isEqualTo(-0.25);
        assertThat(ok(head + "1e2}").getLabel()).isInstanceOf(Double.class).isEqualTo(100.0);
        // An integer token beyond int range is a value, not a class index.
        assertThat(ok(head + "5000000000}").getLabel()).isInstanceOf(Double.class).isEqualTo(5e9);
        assertThat(ok(head + "[0, 1, 0.5]}").getLabel()).isEqualTo(List.of(0.0, 1.0, 0.5));
        assertThat(ok(head + "null}").getLabel()).isNull();
        assertThat(ok("{\"id\":\"e\",\"key\":\"k\",\"features\":[1]}").getLabel()).isNull();
    }

    @Test
    void optionalFieldsDecode() {
        LabelledEvent e = ok("{\"id\":\"e\",\"key\":\"k\",\"features\":[1],\"weight\":2.5,"
                + "\"attributes\":{\"a\":\"x\",\"b\":\"\"},\"unknown\":{\"ignored\":[1]}}");
        assertThat(e.getWeight()).isEqualTo(2.5);
        assertThat(e.getAttributes()).isEqualTo(Map.of("a", "x", "b", ""));
        assertThat(ok("{\"id\":\"e\",\"key\":\"k\",\"features\":[1],\"weight\":3}").getWeight()).isEqualTo(3.0);
        assertThat(ok("{\"id\":\"e\",\"key\":\"k\",\"features\":[1],\"attributes\":null}").getAttributes()).isNull();
    }

    @Test
    void missingOrNullTimeIsTheIngestionTime() {
        assertThat(ok("{\"id\":\"e\",\"key\":\"k\",\"features\":[1]}").getTime()).isEqualTo(Instant.ofEpochMilli(INGESTION));
        assertThat(ok("{\"id\":\"e\",\"key\":\"k\",\"time\":null,\"features\":[1]}").getTime())
                .isEqualTo(Instant.ofEpochMilli(INGESTION));
    }

    @Test
    void utf8BytesDecode() {
        DecodeResult<LabelledEvent> r = decoder.decode(
                "{\"id\":\"é\",\"key\":\"ключ\",\"features\":[1]}".getBytes(StandardCharsets.UTF_8), INGESTION);
        assertThat(r.value().getKey()).isEqualTo("ключ");
        assertThat(r.value().getId()).isEqualTo("é");
    }

    @Test
    void invalidJsonIsMalformed() {
        refused("{\"id\":\"e\",\"key\":\"k\",\"features\":[1", DeadLetterReason.MALFORMED_JSON);
        refused("{\"id\":\"e\",\"key\":\"k\",\"features\":[1]} trailing", DeadLetterReason.MALFORMED_JSON);
        refused("{\"id\":\"e\",\"id\":\"f\",\"key\":\"k\",\"features\":[1]}", DeadLetterReason.MALFORMED_JSON);
        refused("{id:\"e\"}", DeadLetterReason.MALFORMED_JSON);
        refused("", DeadLetterReason.MALFORMED_JSON);
        refused("   ", DeadLetterReason.MALFORMED_JSON);
        assertThat(decoder.decode((byte[]) null, INGESTION).reason()).isEqualTo(DeadLetterReason.MALFORMED_JSON);
        assertThat(decoder.decode(new byte[] {(byte) 0xC3, 0x01, 5, 6}, INGESTION).reason())
                .isEqualTo(DeadLetterReason.MALFORMED_JSON);
    }

    @Test
    void fieldsOfTheWrongTypeAreWrongType() {
        refused("[1, 2]", DeadLetterReason.WRONG_TYPE);
        refused("{\"id\":1,\"key\":\"k\",\"features\":[1]}", DeadLetterReason.WRONG_TYPE);
        refused("{\"id\":\"e\",\"key\":7,\"features\":[1]}", DeadLetterReason.WRONG_TYPE);
        refused("{\"id\":\"e\",\"key\":\"k\",\"time\":\"2024-01-01\",\"features\":[1]}", DeadLetterReason.WRONG_TYPE);
        refused("{\"id\":\"e\",\"key\":\"k\",\"time\":1.5e12,\"features\":[1]}", DeadLetterReason.WRONG_TYPE);
        refused("{\"id\":\"e\",\"key\":\"k\",\"features\":\"1,2\"}", DeadLetterReason.WRONG_TYPE);
        refused("{\"id\":\"e\",\"key\":\"k\",\"features\":[1,\"2\"]}", DeadLetterReason.WRONG_TYPE);
        refused("{\"id\":\"e\",\"key\":\"k\",\"features\":{\"size\":2.5,\"indices\":[],\"values\":[]}}", DeadLetterReason.WRONG_TYPE);
        refused("{\"id\":\"e\",\"key\":\"k\",\"features\":{\"size\":2,\"indices\":[0.5],\"values\":[1]}}", DeadLetterReason.WRONG_TYPE);
        refused("{\"id\":\"e\",\"key\":\"k\",\"features\":[1],\"label\":\"cat\"}", DeadLetterReason.WRONG_TYPE);
        refused("{\"id\":\"e\",\"key\":\"k\",\"features\":[1],\"label\":[1,true]}", DeadLetterReason.WRONG_TYPE);
        refused("{\"id\":\"e\",\"key\":\"k\",\"features\":[1],\"weight\":\"2\"}", DeadLetterReason.WRONG_TYPE);
        refused("{\"id\":\"e\",\"key\":\"k\",\"features\":[1],\"attributes\":{\"a\":1}}", DeadLetterReason.WRONG_TYPE);
        refused("{\"id\":\"e\",\"key\":\"k\",\"features\":[1],\"attributes\":[\"a\"]}", DeadLetterReason.WRONG_TYPE);
    }

    @Test
    void missingIdOrFeaturesAreMissingFields() {
        refused("{\"key\":\"k\",\"features\":[1]}", DeadLetterReason.MISSING_FIELD);
        refused("{\"id\":null,\"key\":\"k\",\"features\":[1]}", DeadLetterReason.MISSING_FIELD);
        refused("{\"id\":\"e\",\"key\":\"k\"}", DeadLetterReason.MISSING_FIELD);
        refused("{\"id\":\"\",\"key\":\"k\",\"features\":[1]}", DeadLetterReason.MISSING_FIELD);
    }

    @Test
    void absentOrEmptyKeysAreMissingKeys() {
        refused("{\"id\":\"e\",\"features\":[1]}", DeadLetterReason.MISSING_KEY);
        refused("{\"id\":\"e\",\"key\":null,\"features\":[1]}", DeadLetterReason.MISSING_KEY);
        refused("{\"id\":\"e\",\"key\":\"\",\"features\":[1]}", DeadLetterReason.MISSING_KEY);
        refused("{\"id\":\"e\",\"key\":\"  \",\"features\":[1]}", DeadLetterReason.MISSING_KEY);
    }

    @Test
    void overflowingNumbersAndNanTokensAreNonFinite() {
        refused("{\"id\":\"e\",\"key\":\"k\",\"features\":[1e400]}", DeadLetterReason.NON_FINITE);
        refused("{\"id\":\"e\",\"key\":\"k\",\"features\":[-1e400]}", DeadLetterReason.NON_FINITE);
        refused("{\"id\":\"e\",\"key\":\"k\",\"features\":[NaN]}", DeadLetterReason.NON_FINITE);
        refused("{\"id\":\"e\",\"key\":\"k\",\"features\":[1, Infinity]}", DeadLetterReason.NON_FINITE);
        refused("{\"id\":\"e\",\"key\":\"k\",\"features\":[-Infinity]}", DeadLetterReason.NON_FINITE);
        refused("{\"id\":\"e\",\"key\":\"k\",\"features\":[1" + "0".repeat(400) + "]}", DeadLetterReason.NON_FINITE);
        refused("{\"id\":\"e\",\"key\":\"k\",\"features\":{\"size\":2,\"indices\":[1],\"values\":[NaN]}}", DeadLetterReason.NON_FINITE);
        refused("{\"id\":\"e\",\"key\":\"k\",\"features\":[1],\"label\":NaN}", DeadLetterReason.NON_FINITE);
        refused("{\"id\":\"e\",\"key\":\"k\",\"features\":[1],\"label\":[0.5,1e999]}", DeadLetterReason.NON_FINITE);
        refused("{\"id\":\"e\",\"key\":\"k\",\"features\":[1],\"weight\":Infinity}", DeadLetterReason.NON_FINITE);
    }

    @Test
    void badSparseVectorsAreRefused() {
        String head = "{\"id\":\"e\",\"key\":\"k\",\"features\":";
        refused(head + "{\"size\":5,\"indices\":[3,1],\"values\":[1,2]}}", DeadLetterReason.BAD_SPARSE_VECTOR);
        refused(head + "{\"size\":5,\"indices\":[1,1],\"values\":[1,2]}}", DeadLetterReason.BAD_SPARSE_VECTOR);
        refused(head + "{\"size\":5,\"indices\":[5],\"values\":[1]}}", DeadLetterReason.BAD_SPARSE_VECTOR);
        refused(head + "{\"size\":5,\"indices\":[-1],\"values\":[1]}}", DeadLetterReason.BAD_SPARSE_VECTOR);
        refused(head + "{\"size\":5,\"indices\":[1,2],\"values\":[1]}}", DeadLetterReason.BAD_SPARSE_VECTOR);
        refused(head + "{\"size\":0,\"indices\":[],\"values\":[]}}", DeadLetterReason.BAD_SPARSE_VECTOR);
        refused(head + "{\"size\":5,\"values\":[1]}}", DeadLetterReason.BAD_SPARSE_VECTOR);
        refused(head + "{\"size\":5000000000,\"indices\":[],\"values\":[]}}", DeadLetterReason.BAD_SPARSE_VECTOR);
    }

    @Test
    void validatorRefusalsAlsoComeThroughJson() {
        String head = "{\"id\":\"e\",\"key\":\"k\",";
        refused(head + "\"features\":[]}", DeadLetterReason.WRONG_DIMENSION);
        refused(head + "\"features\":[2e12]}", DeadLetterReason.VALUE_TOO_LARGE);
        refused(head + "\"features\":[1],\"label\":-1}", DeadLetterReason.LABEL_OUT_OF_RANGE);
        refused(head + "\"features\":[1],\"label\":[]}", DeadLetterReason.BAD_LABEL);
        refused(head + "\"features\":[1],\"weight\":-0.5}", DeadLetterReason.BAD_WEIGHT);
    }
}
