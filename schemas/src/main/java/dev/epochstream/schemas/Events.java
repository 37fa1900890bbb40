package dev.epochstream.schemas;

import dev.epochstream.learner.data.Example;
import dev.epochstream.learner.data.SparseVector;
import java.util.List;
import java.util.Map;

/** Converts a decoded {@link LabelledEvent} to the learner's {@link Example}. */
public final class Events {
    private Events() {
    }

    /**
     * The learner's view of an event. The label becomes a {@code double[]}: one value for a double or an
     * int label, the array for an array label, null when absent.
     *
     * @throws IllegalArgumentException when the features are neither an array nor a sparse record
     */
    public static Example toExample(LabelledEvent e) {
        Object f = e.getFeatures();
        double[] dense = null;
        SparseVector sparse = null;
        if (f instanceof SparseFeatures s) {
            sparse = LearnerConversions.toSparseVector(s);
        } else if (f instanceof List<?> list) {
            dense = doubles(list);
        } else {
            throw new IllegalArgumentException("features of event " + e.getId() + " are neither dense nor sparse");
        }
        Map<String, String> attributes = e.getAttributes();
        long time = e.getTime() == null ? 0L : e.getTime().toEpochMilli();
        return new Example(e.getId(), e.getKey(), time, dense, sparse, label(e.getLabel()), e.getWeight(), attributes);
    }

    /** The label as a double array, or null for an absent label. */
    public static double[] label(Object label) {
        if (label == null) {
            return null;
        }
        if (label instanceof Number n) {
            return new double[] {n.doubleValue()};
        }
        if (label instanceof List<?> list) {
            return doubles(list);
        }
        throw new IllegalArgumentException("label of type " + label.getClass().getSimpleName() + " is not supported");
    }

    /**
     * A decoded Avro array of numbers (the schema's are doubles) as a {@code double[]}: a {@link DoubleList}'s
     * own array (neither the event nor the example changes it), otherwise a new copy.
     */
    @SuppressWarnings("unchecked")
    private static double[] doubles(List<?> list) {
        if (list instanceof DoubleList d) {
            return d.array();
        }
        return LearnerConversions.toArray((List<? extends Number>) list);
    }
}
