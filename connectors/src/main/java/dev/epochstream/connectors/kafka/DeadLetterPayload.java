package dev.epochstream.connectors.kafka;

import java.util.Arrays;

/**
 * How much of a refused record's value a dead letter keeps: all of it, unless the dead letter would then
 * not fit in one Kafka record itself. The job's producers are bounded by the same limit as its input
 * records ({@code kafka.max.request.size}), and a dead letter adds its other fields (topic, reason,
 * message, key) and the record overhead to the value; a dead letter too large to write would fail the
 * job, so the value is cut to leave {@link #HEADROOM_BYTES} (or half the limit, when that is less) for the
 * rest. Always cut: an {@code oversized} record's value (it exceeds the limit by definition).
 */
public final class DeadLetterPayload {
    /** Room kept in a record for a dead letter's fields other than the value, and Kafka's record overhead. */
    public static final int HEADROOM_BYTES = 8 * 1024;

    private DeadLetterPayload() {
    }

    /** Most value bytes a dead letter keeps under a record limit of {@code maxRecordBytes}. */
    public static int keptBytes(int maxRecordBytes) {
        return maxRecordBytes - Math.min(HEADROOM_BYTES, maxRecordBytes / 2);
    }

    /** {@code value} itself when it fits, else its first {@link #keptBytes} bytes (a copy). */
    public static byte[] kept(byte[] value, int maxRecordBytes) {
        int limit = keptBytes(maxRecordBytes);
        return value.length <= limit ? value : Arrays.copyOf(value, limit);
    }

    /** {@code message}, plus a note saying how much was kept when the value had to be cut. */
    public static String message(String message, int valueBytes, int maxRecordBytes) {
        int limit = keptBytes(maxRecordBytes);
        return valueBytes <= limit ? message
                : message + " (originalBytes keeps the first " + limit + " of " + valueBytes + " bytes)";
    }
}
