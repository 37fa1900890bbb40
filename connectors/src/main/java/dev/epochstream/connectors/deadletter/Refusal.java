package dev.epochstream.connectors.deadletter;

import dev.epochstream.schemas.DeadLetterReason;
import java.util.Objects;

/** Why one record is refused: the reason and a readable message naming the offending field. */
public record Refusal(DeadLetterReason reason, String message) {

    public Refusal {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }
}
