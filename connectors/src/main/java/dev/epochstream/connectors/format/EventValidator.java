package dev.epochstream.connectors.format;

import dev.epochstream.schemas.DeadLetterReason;
import dev.epochstream.connectors.deadletter.Refusal;
import dev.epochstream.schemas.LabelledEvent;
import dev.epochstream.schemas.LearnerConversions;
import dev.epochstream.schemas.SparseFeatures;
import java.time.Instant;
import java.util.List;

/**
 * Model-independent structural checks of a decoded {@link LabelledEvent}, in this order: the lengths of the
 * id and the key ({@code too-long} beyond {@link #MAX_KEY_BYTES}), the key
 * ({@code missing-key} when absent or blank), the id and the time ({@code missing-field}; {@code
 * time-out-of-range} outside the years 0001 to 9999), the features ({@code missing-field};
 * {@code wrong-dimension} for an empty dense vector; {@code bad-sparse-vector};
 * {@code non-finite}; {@code value-too-large} beyond {@link #MAX_ABS_VALUE}), the label ({@code
 * label-out-of-range} for a negative class index; {@code bad-label} for an empty array;
 * {@code non-finite}; {@code value-too-large}) and the weight ({@code non-finite}; {@code bad-weight}
 * when negative or beyond the bound). Whether the dimension and the label fit a model is checked by the
 * job, which knows the model.
 *
 * <p>Stateless and thread-safe. Dense events are checked without allocating; a sparse event's arrays are
 * copied once to reuse {@link dev.epochstream.learner.data.SparseVector#problem()}.
 */
public final class EventValidator {

    /**
     * Largest accepted |value| of a feature, regression label or weight: beyond it, the squares taken by
     * training and standardisation lose all precision or overflow.
     */
    public static final double MAX_ABS_VALUE = 1e12;

    /**
     * Longest model key and event id, in UTF-8 bytes ({@code too-long} beyond). Both are copied into every
     * record about the event (metrics, snapshots, dead letters, Kafka record keys), whose size the job's
     * producers bound: a dead letter keeps 8 KiB beside the refused bytes for everything else.
     */
    public static final int MAX_KEY_BYTES = 1024;

    /** Earliest accepted event time, 0001-01-01T00:00:00Z ({@code time-out-of-range} before). */
    public static final long MIN_TIME_MILLIS = -62_135_596_800_000L;

    /**
     * Latest accepted event time, 9999-12-31T23:59:59.999Z ({@code time-out-of-range} after). The event time
     * becomes the window bounds of metrics and snapshots, which ISO-8601's four-digit years and most
     * consumers' date types (Python's datetime among them) cannot hold beyond; and it keeps window
     * arithmetic far from overflow.
     */
    public static final long MAX_TIME_MILLIS = 253_402_300_799_999L;

    private static final Instant MIN_TIME = Instant.ofEpochMilli(MIN_TIME_MILLIS);
    private static final Instant MAX_TIME = Instant.ofEpochMilli(MAX_TIME_MILLIS);

    private EventValidator() {
    }

    /** Null when the event is structurally valid, else why not. */
    public static Refusal validate(LabelledEvent event) {
        String key = event.getKey();
        // first, as every message below quotes the id or the key
        int idBytes = utf8Length(event.getId());
        if (idBytes > MAX_KEY_BYTES) {
            return new Refusal(DeadLetterReason.TOO_LONG, "event id of " + idBytes + " UTF-8 bytes exceeds "
                    + MAX_KEY_BYTES);
        }
        int keyBytes = utf8Length(key);
        if (keyBytes > MAX_KEY_BYTES) {
            return new Refusal(DeadLetterReason.TOO_LONG, "model key of " + keyBytes + " UTF-8 bytes exceeds "
                    + MAX_KEY_BYTES + " (event " + event.getId() + ")");
        }
        if (key == null || key.isBlank()) {
            return new Refusal(DeadLetterReason.MISSING_KEY, "event " + event.getId() + " has no model key");
        }
        if (event.getId() == null || event.getId().isEmpty()) {
            return new Refusal(DeadLetterReason.MISSING_FIELD, "event of key " + key + " has no id");
        }
        if (event.getTime() == null) {
            return new Refusal(DeadLetterReason.MISSING_FIELD, "event " + event.getId() + " has no time");
        }
        Instant time = event.getTime();
        // compared as instants: one beyond Long.MAX_VALUE milliseconds (a file's year +1000000000) is an Instant too
        if (time.isBefore(MIN_TIME) || time.isAfter(MAX_TIME)) {
            return new Refusal(DeadLetterReason.TIME_OUT_OF_RANGE, "event " + event.getId() + " has time " + time
                    + ", outside the years 0001 to 9999 [" + MIN_TIME_MILLIS + ", " + MAX_TIME_MILLIS + "] ms");
        }
        Refusal features = checkFeatures(event.getFeatures());
        if (features != null) {
            return features;
        }
        Refusal label = checkLabel(event.getLabel());
        if (label != null) {
            return label;
        }
        double weight = event.getWeight();
        if (!Double.isFinite(weight)) {
            return new Refusal(DeadLetterReason.NON_FINITE, "weight is " + weight);
        }
        if (weight < 0 || weight > MAX_ABS_VALUE) {
            return new Refusal(DeadLetterReason.BAD_WEIGHT, "weight " + weight + " is not in [0, " + MAX_ABS_VALUE + "]");
        }
        return null;
    }

    private static Refusal checkFeatures(Object features) {
        if (features == null) {
            return new Refusal(DeadLetterReason.MISSING_FIELD, "features are missing");
        }
        if (features instanceof List<?> dense) {
            if (dense.isEmpty()) {
                return new Refusal(DeadLetterReason.WRONG_DIMENSION, "dense features are empty");
            }
            return checkValues(dense, "features");
        }
        SparseFeatures sparse = (SparseFeatures) features;
        if (sparse.getSize() < 1) {
            return new Refusal(DeadLetterReason.BAD_SPARSE_VECTOR, "sparse size " + sparse.getSize() + " < 1");
        }
        if (sparse.getIndices().size() != sparse.getValues().size()) {
            return new Refusal(DeadLetterReason.BAD_SPARSE_VECTOR, "sparse features have " + sparse.getIndices().size()
                    + " indices but " + sparse.getValues().size() + " values");
        }
        Refusal values = checkValues(sparse.getValues(), "sparse values");
        if (values != null) {
            return values;
        }
        String problem = LearnerConversions.toSparseVector(sparse).problem();
        return problem == null ? null : new Refusal(DeadLetterReason.BAD_SPARSE_VECTOR, "sparse features: " + problem);
    }

    /** UTF-8 length of {@code s} (0 for null), counted without encoding it. */
    static int utf8Length(CharSequence s) {
        if (s == null) {
            return 0;
        }
        int n = 0;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    private static Refusal checkLabel(Object label) {
        if (label == null) {
            return null;
        }
        if (label instanceof Integer classIndex) {
            return classIndex < 0
                    ? new Refusal(DeadLetterReason.LABEL_OUT_OF_RANGE, "class index " + classIndex + " is negative")
                    : null;
        }
        if (label instanceof Double value) {
            return checkValue(value, "label", -1);
        }
        if (label instanceof List<?> values) {
            if (values.isEmpty()) {
                return new Refusal(DeadLetterReason.BAD_LABEL, "label array is empty");
            }
            return checkValues(values, "label");
        }
        return new Refusal(DeadLetterReason.BAD_LABEL, "label of unsupported type " + label.getClass().getSimpleName());
    }

    private static Refusal checkValues(List<?> values, String what) {
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            if (!(v instanceof Double d)) {
                return new Refusal(DeadLetterReason.NON_FINITE, what + "[" + i + "] is " + v);
            }
            Refusal r = checkValue(d, what, i);
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    /** {@code index} is the position in an array, or -1 for a scalar; the name is built only on failure. */
    private static Refusal checkValue(double v, String what, int index) {
        if (!Double.isFinite(v)) {
            return new Refusal(DeadLetterReason.NON_FINITE, name(what, index) + " is " + v);
        }
        if (Math.abs(v) > MAX_ABS_VALUE) {
            return new Refusal(DeadLetterReason.VALUE_TOO_LARGE,
                    name(what, index) + " = " + v + " exceeds |x| <= " + MAX_ABS_VALUE);
        }
        return null;
    }

    private static String name(String what, int index) {
        return index < 0 ? what : what + "[" + index + "]";
    }
}
