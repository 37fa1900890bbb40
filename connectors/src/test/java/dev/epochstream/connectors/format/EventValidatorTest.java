package dev.epochstream.connectors.format;

import dev.epochstream.schemas.codec.SampleRecords;
import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.schemas.DeadLetterReason;
import dev.epochstream.connectors.deadletter.Refusal;
import dev.epochstream.schemas.LabelledEvent;
import dev.epochstream.schemas.SparseFeatures;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventValidatorTest {

    private static LabelledEvent dense(Double... features) {
        return LabelledEvent.newBuilder(SampleRecords.denseEvent(null)).setFeatures(Arrays.asList(features)).build();
    }

    private static LabelledEvent sparse(int size, List<Integer> indices, List<Double> values) {
        return LabelledEvent.newBuilder(SampleRecords.denseEvent(null)).setFeatures(new SparseFeatures(size, indices, values)).build();
    }

    private static void assertRefused(LabelledEvent event, DeadLetterReason reason, String messagePart) {
        Refusal refusal = EventValidator.validate(event);
        assertThat(refusal).as(event.toString()).isNotNull();
        assertThat(refusal.reason()).as(refusal.message()).isEqualTo(reason);
        assertThat(refusal.message()).contains(messagePart);
    }

    @Test
    void wellFormedEventsPass() {
        for (LabelledEvent e : SampleRecords.events()) {
            assertThat(EventValidator.validate(e)).isNull();
        }
        LabelledEvent atBounds = dense(EventValidator.MAX_ABS_VALUE, -EventValidator.MAX_ABS_VALUE, 0.0);
        atBounds.setWeight(0.0);
        atBounds.setLabel(0);
        assertThat(EventValidator.validate(atBounds)).isNull();
    }

    @Test
    void keysAndIdsUpTo1024Utf8BytesPassLongerOnesAreTooLong() {
        LabelledEvent e = SampleRecords.denseEvent(1);
        e.setKey("k".repeat(EventValidator.MAX_KEY_BYTES));
        assertThat(EventValidator.validate(e)).isNull();
        e.setKey("k".repeat(EventValidator.MAX_KEY_BYTES + 1));
        assertRefused(e, DeadLetterReason.TOO_LONG, "model key of 1025 UTF-8 bytes exceeds 1024");
        // counted in UTF-8 bytes: 'é' is 2, '€' is 3, '𝄞' (a surrogate pair) is 4
        e.setKey("é".repeat(512));
        assertThat(EventValidator.validate(e)).isNull();
        e.setKey("é".repeat(512) + "€");
        assertRefused(e, DeadLetterReason.TOO_LONG, "model key of 1027 UTF-8 bytes");
        e.setKey("𝄞".repeat(256));
        assertThat(EventValidator.validate(e)).isNull();
        e.setKey("k");
        e.setId("i".repeat(EventValidator.MAX_KEY_BYTES + 1));
        // the message never quotes the long id (it would make the dead letter as long)
        assertRefused(e, DeadLetterReason.TOO_LONG, "event id of 1025 UTF-8 bytes exceeds 1024");
        assertThat(EventValidator.validate(e).message()).hasSizeLessThan(100);
        e.setKey(null); // a long id is refused before the missing key, whose message would quote it
        assertRefused(e, DeadLetterReason.TOO_LONG, "event id of 1025");
    }

    @Test
    void timesFromYear0001ToYear9999PassOthersAreOutOfRange() {
        // the bounds, from their ISO-8601 instants rather than the constants under test
        Instant first = Instant.parse("0001-01-01T00:00:00Z");
        Instant last = Instant.parse("9999-12-31T23:59:59.999Z");
        for (Instant ok : List.of(first, last, Instant.EPOCH, Instant.ofEpochMilli(-1))) {
            assertThat(EventValidator.validate(LabelledEvent.newBuilder(SampleRecords.denseEvent(1)).setTime(ok).build()))
                    .as(ok.toString()).isNull();
        }
        for (Instant bad : List.of(first.minusMillis(1), last.plusMillis(1), Instant.ofEpochMilli(Long.MAX_VALUE),
                Instant.ofEpochMilli(Long.MIN_VALUE), Instant.MAX, Instant.MIN, Instant.parse("+1000000000-01-01T00:00:00Z"))) {
            assertRefused(LabelledEvent.newBuilder(SampleRecords.denseEvent(1)).setTime(bad).build(),
                    DeadLetterReason.TIME_OUT_OF_RANGE, "outside the years 0001 to 9999");
        }
        // microseconds read as milliseconds (a common producer mistake) land in the year ~55,000
        assertRefused(LabelledEvent.newBuilder(SampleRecords.denseEvent(1))
                .setTime(Instant.ofEpochMilli(1_700_000_000_000_000L)).build(), DeadLetterReason.TIME_OUT_OF_RANGE, "e1");
    }

    @Test
    void missingKey() {
        LabelledEvent e = SampleRecords.denseEvent(1);
        e.setKey("");
        assertRefused(e, DeadLetterReason.MISSING_KEY, "e1");
        e.setKey(null);
        assertRefused(e, DeadLetterReason.MISSING_KEY, "no model key");
    }

    @Test
    void missingField() {
        LabelledEvent e = SampleRecords.denseEvent(1);
        e.setFeatures(null);
        assertRefused(e, DeadLetterReason.MISSING_FIELD, "features");
        LabelledEvent noId = SampleRecords.denseEvent(1);
        noId.setId("");
        assertRefused(noId, DeadLetterReason.MISSING_FIELD, "id");
    }

    @Test
    void emptyDenseFeaturesHaveTheWrongDimension() {
        assertRefused(dense(), DeadLetterReason.WRONG_DIMENSION, "empty");
    }

    @Test
    void badSparseVector() {
        assertRefused(sparse(4, List.of(2, 1), List.of(1.0, 1.0)), DeadLetterReason.BAD_SPARSE_VECTOR, "not sorted");
        assertRefused(sparse(4, List.of(1, 1), List.of(1.0, 1.0)), DeadLetterReason.BAD_SPARSE_VECTOR, "duplicate");
        assertRefused(sparse(4, List.of(4), List.of(1.0)), DeadLetterReason.BAD_SPARSE_VECTOR, "out of range");
        assertRefused(sparse(4, List.of(1), List.of()), DeadLetterReason.BAD_SPARSE_VECTOR, "1 indices but 0 values");
        assertRefused(sparse(0, List.of(), List.of()), DeadLetterReason.BAD_SPARSE_VECTOR, "size 0");
    }

    @Test
    void nonFinite() {
        assertRefused(dense(1.0, Double.NaN), DeadLetterReason.NON_FINITE, "features[1]");
        assertRefused(dense(Double.NEGATIVE_INFINITY), DeadLetterReason.NON_FINITE, "features[0]");
        assertRefused(sparse(3, List.of(0), List.of(Double.POSITIVE_INFINITY)), DeadLetterReason.NON_FINITE, "sparse values[0]");
        assertRefused(SampleRecords.denseEvent(Double.NaN), DeadLetterReason.NON_FINITE, "label");
        assertRefused(SampleRecords.denseEvent(List.of(0.0, Double.NaN)), DeadLetterReason.NON_FINITE, "label[1]");
        LabelledEvent weight = SampleRecords.denseEvent(1);
        weight.setWeight(Double.NaN);
        assertRefused(weight, DeadLetterReason.NON_FINITE, "weight");
    }

    @Test
    void valueTooLarge() {
        double justAbove = Math.nextUp(EventValidator.MAX_ABS_VALUE);
        assertRefused(dense(0.0, -justAbove), DeadLetterReason.VALUE_TOO_LARGE, "features[1]");
        assertRefused(sparse(3, List.of(2), List.of(justAbove)), DeadLetterReason.VALUE_TOO_LARGE, "sparse values[0]");
        assertRefused(SampleRecords.denseEvent(1e13), DeadLetterReason.VALUE_TOO_LARGE, "label");
        assertRefused(SampleRecords.denseEvent(List.of(1e300)), DeadLetterReason.VALUE_TOO_LARGE, "label[0]");
    }

    @Test
    void badWeight() {
        LabelledEvent e = SampleRecords.denseEvent(1);
        e.setWeight(-1e-9);
        assertRefused(e, DeadLetterReason.BAD_WEIGHT, "weight");
        e.setWeight(1e13);
        assertRefused(e, DeadLetterReason.BAD_WEIGHT, "weight");
    }

    @Test
    void badLabel() {
        assertRefused(SampleRecords.denseEvent(List.of()), DeadLetterReason.BAD_LABEL, "empty");
        assertRefused(SampleRecords.denseEvent("yes"), DeadLetterReason.BAD_LABEL, "String");
    }

    @Test
    void negativeClassIndexIsOutOfRange() {
        assertRefused(SampleRecords.denseEvent(-1), DeadLetterReason.LABEL_OUT_OF_RANGE, "-1");
    }

    @Test
    void theEventIsNotModified() {
        LabelledEvent e = SampleRecords.sparseEvent();
        LabelledEvent copy = LabelledEvent.newBuilder(e).build();
        EventValidator.validate(e);
        assertThat(e).isEqualTo(copy);
    }
}
