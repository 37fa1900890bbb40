package dev.epochstream.learner.data;

import java.util.Map;

/**
 * One event as the learner sees it: dense or sparse features, an optional label (absent = only wants a
 * prediction), a weight and optional string attributes (hashed into features when
 * {@code features.hash-bits} is set). Arrays are not copied; callers treat them as immutable.
 *
 * @param time event time in epoch milliseconds
 * @param dense dense features, or null when {@code sparse} is given
 * @param sparse sparse features, or null when {@code dense} is given
 * @param label the label as the loss reads it (a class index, 0/1, values or a distribution), or null
 */
public record Example(String id, String key, long time, double[] dense, SparseVector sparse, double[] label,
                      double weight, Map<String, String> attributes) {

    public Example {
        if ((dense == null) == (sparse == null)) {
            throw new IllegalArgumentException("an example has either dense or sparse features");
        }
    }

    public static Example dense(String id, String key, long time, double[] features, double[] label) {
        return new Example(id, key, time, features, null, label, 1.0, null);
    }

    public boolean hasLabel() {
        return label != null;
    }

    /** Dimension of the feature vector as given (before hashed attributes are appended). */
    public int featureSize() {
        return dense != null ? dense.length : sparse.size();
    }
}
