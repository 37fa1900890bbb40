package dev.epochstream.learner.config;

import java.time.Duration;
import java.util.Locale;

/**
 * How a key's stream is cut into epochs ({@code epoch.window}): every {@code count} events, or tumbling
 * windows of {@code size} in event time or processing time.
 */
public record WindowSpec(Kind kind, int count, Duration size) {

    public enum Kind { COUNT, EVENT_TIME, PROCESSING_TIME }

    public WindowSpec {
        if (kind == Kind.COUNT && count < 1) {
            throw new ConfigException(TrainingKeys.EPOCH_WINDOW.name(), "count:N needs N >= 1, got " + count);
        }
        if (kind != Kind.COUNT && (size == null || size.isNegative() || size.isZero())) {
            throw new ConfigException(TrainingKeys.EPOCH_WINDOW.name(), "a time window needs a positive duration");
        }
    }

    public static WindowSpec count(int n) {
        return new WindowSpec(Kind.COUNT, n, null);
    }

    /** Parses {@code count:N}, {@code event-time:DURATION} or {@code processing-time:DURATION}. */
    public static WindowSpec parse(String text) {
        String key = TrainingKeys.EPOCH_WINDOW.name();
        int colon = text.indexOf(':');
        String how = "write count:N, event-time:DURATION or processing-time:DURATION (e.g. count:100, event-time:10s)";
        if (colon < 0) {
            throw new ConfigException(key, "'" + text + "' is not a window: " + how);
        }
        String kind = text.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String arg = text.substring(colon + 1).trim();
        try {
            return switch (kind) {
                case "count" -> count(Integer.parseInt(arg));
                case "event-time" -> new WindowSpec(Kind.EVENT_TIME, 0, Durations.parse(arg));
                case "processing-time" -> new WindowSpec(Kind.PROCESSING_TIME, 0, Durations.parse(arg));
                default -> throw new ConfigException(key, "unknown window kind '" + kind + "': " + how);
            };
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "'" + arg + "' is not a whole number of events: " + how);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return switch (kind) {
            case COUNT -> "count:" + count;
            case EVENT_TIME -> "event-time:" + Durations.format(size);
            case PROCESSING_TIME -> "processing-time:" + Durations.format(size);
        };
    }
}
