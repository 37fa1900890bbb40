package dev.epochstream.schemas;

import dev.epochstream.learner.data.SparseVector;
import java.util.List;

/** Conversions from the generated Avro records to the learner's own types. Not for per-event hot paths. */
public final class LearnerConversions {

    private LearnerConversions() {
    }

    /**
     * The learner's sparse vector with copies of the record's indices and values; check
     * {@link SparseVector#problem()} before use.
     *
     * @throws IllegalArgumentException when size &lt; 1 or indices and values differ in length
     */
    public static SparseVector toSparseVector(SparseFeatures features) {
        List<Integer> indices = features.getIndices();
        int[] idx = new int[indices.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = indices.get(i);
        }
        return new SparseVector(features.getSize(), idx, toArray(features.getValues()));
    }

    /** A copy of a list of doubles as an array. */
    public static double[] toArray(List<Double> values) {
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
