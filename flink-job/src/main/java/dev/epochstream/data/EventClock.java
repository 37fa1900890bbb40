package dev.epochstream.data;

import java.time.Instant;

/**
 * The event times of built-in data: a fixed base plus a fixed step per event, so that two runs of the same
 * generator (or the same file without a {@code time} column) produce the same events, bit for bit, and
 * event time always advances (no event is late for a watermark with zero out-of-orderness).
 */
public final class EventClock {
    /** 2024-01-01T00:00:00Z: the time of event 0. */
    public static final long BASE_MILLIS = 1_704_067_200_000L;
    /** Milliseconds between consecutive events. */
    public static final long STEP_MILLIS = 10L;

    private EventClock() {
    }

    /** The time of event (or line) number {@code n}: {@code BASE_MILLIS + n * STEP_MILLIS}. */
    public static Instant timeOf(long n) {
        return Instant.ofEpochMilli(BASE_MILLIS + n * STEP_MILLIS);
    }
}
