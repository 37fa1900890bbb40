package dev.epochstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeadLetterReasonTest {

    @Test
    void codesArePinned() {
        assertThat(DeadLetterReason.values()).extracting(DeadLetterReason::code).containsExactly(
                "not-avro", "truncated", "unknown-schema", "malformed-json", "wrong-type", "missing-field",
                "missing-key", "wrong-dimension", "bad-sparse-vector", "non-finite", "value-too-large",
                "bad-weight", "bad-label", "label-out-of-range", "not-a-distribution", "oversized", "key-limit",
                "key-not-allowed", "late", "too-long", "time-out-of-range");
    }

    @Test
    void everyCodeIsLowerCaseUniqueAndParsesBack() {
        Set<String> seen = new HashSet<>();
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            assertThat(reason.code()).matches("[a-z]+(-[a-z]+)*");
            assertThat(seen.add(reason.code())).isTrue();
            assertThat(DeadLetterReason.fromCode(reason.code())).isSameAs(reason);
            assertThat(reason.toString()).isEqualTo(reason.code());
        }
    }

    @Test
    void unknownCodesAreRefused() {
        assertThatThrownBy(() -> DeadLetterReason.fromCode("NOT_AVRO")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NOT_AVRO");
        assertThatThrownBy(() -> DeadLetterReason.fromCode(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
