package dev.epochstream.schemas.codec;

import dev.epochstream.schemas.DeadLetterReason;
import java.util.Objects;

/**
 * The outcome of decoding one input record: either the {@code value}, or a refusal with its
 * {@code reason} and a readable {@code message}. Bad input is data, never an exception.
 */
public record DecodeResult<T>(T value, DeadLetterReason reason, String message) {

    public DecodeResult {
        if ((value == null) == (reason == null)) {
            throw new IllegalArgumentException("exactly one of value and reason must be set");
        }
        if (reason != null) {
            Objects.requireNonNull(message, "message");
        }
    }

    public static <T> DecodeResult<T> ok(T value) {
        return new DecodeResult<>(Objects.requireNonNull(value, "value"), null, null);
    }

    public static <T> DecodeResult<T> refused(DeadLetterReason reason, String message) {
        return new DecodeResult<>(null, Objects.requireNonNull(reason, "reason"), message);
    }

    public boolean isOk() {
        return value != null;
    }
}
