package dev.epochstream.connectors.kafka;

import dev.epochstream.schemas.DeadLetter;
import dev.epochstream.schemas.LabelledEvent;
import java.util.Objects;

/**
 * What the event source emits per Kafka record: a decoded event, or the dead letter explaining why
 * there is none. Exactly one of the two is set. A Flink POJO (public no-arg constructor, getters and
 * setters) so that it needs no Kryo; both fields are Avro types handled by flink-avro.
 */
public final class EventOrDeadLetter {

    private LabelledEvent event;
    private DeadLetter deadLetter;

    /** For Flink's POJO serializer only. */
    public EventOrDeadLetter() {
    }

    public static EventOrDeadLetter ofEvent(LabelledEvent event) {
        EventOrDeadLetter e = new EventOrDeadLetter();
        e.event = Objects.requireNonNull(event, "event");
        return e;
    }

    public static EventOrDeadLetter ofDeadLetter(DeadLetter deadLetter) {
        EventOrDeadLetter e = new EventOrDeadLetter();
        e.deadLetter = Objects.requireNonNull(deadLetter, "deadLetter");
        return e;
    }

    public boolean isEvent() {
        return event != null;
    }

    public LabelledEvent getEvent() {
        return event;
    }

    public void setEvent(LabelledEvent event) {
        this.event = event;
    }

    public DeadLetter getDeadLetter() {
        return deadLetter;
    }

    public void setDeadLetter(DeadLetter deadLetter) {
        this.deadLetter = deadLetter;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EventOrDeadLetter other && Objects.equals(event, other.event)
                && Objects.equals(deadLetter, other.deadLetter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(event, deadLetter);
    }

    @Override
    public String toString() {
        return isEvent() ? "Event" + event : "DeadLetter" + deadLetter;
    }
}
