package dev.epochstream.learner.features;

import dev.epochstream.learner.data.Example;
import dev.epochstream.learner.data.SparseVector;
import dev.epochstream.learner.nn.InputBatch;

/**
 * Turns an event's features into one row of network input, exactly the same way for training, scoring
 * and serving: the dense part (standardised when a {@link Standardizer} is given), then the hashed
 * attributes at columns {@code denseInputs + column}. Allocation-free once its scratch has grown to the
 * largest attribute map seen. Not thread-safe: one per thread.
 */
public final class FeatureEncoder {
    /** Largest feature magnitude accepted; larger values are refused as absurd (reason value-too-large). */
    public static final double MAX_ABS_FEATURE = 1e12;

    private final int denseInputs;
    private final AttributeHasher hasher;
    private int[] hashedColumns = new int[8];
    private double[] hashedValues = new double[8];

    /** @param hashBits 0 for no attribute hashing */
    public FeatureEncoder(int denseInputs, int hashBits) {
        this.denseInputs = denseInputs;
        this.hasher = hashBits > 0 ? new AttributeHasher(hashBits) : null;
    }

    public int denseInputs() {
        return denseInputs;
    }

    public int inputSize() {
        return denseInputs + (hasher == null ? 0 : hasher.columns());
    }

    /**
     * Null when the event's features fit this model, else a reason: wrong dimension, malformed sparse
     * vector, non-finite or absurdly large values.
     */
    public FeatureProblem problem(Example e) {
        if (e.featureSize() != denseInputs) {
            return new FeatureProblem(FeatureProblem.Kind.WRONG_DIMENSION,
                    "features have dimension " + e.featureSize() + ", the model expects " + denseInputs);
        }
        if (e.sparse() != null) {
            SparseVector s = e.sparse();
            String p = s.problem();
            if (p != null) {
                return new FeatureProblem(p.startsWith("non-finite") ? FeatureProblem.Kind.NON_FINITE
                        : FeatureProblem.Kind.BAD_SPARSE_VECTOR, "sparse features: " + p);
            }
            return magnitude(s.values());
        }
        double[] x = e.dense();
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i])) {
                return new FeatureProblem(FeatureProblem.Kind.NON_FINITE, "feature " + i + " is " + x[i]);
            }
        }
        return magnitude(x);
    }

    private static FeatureProblem magnitude(double[] x) {
        for (int i = 0; i < x.length; i++) {
            if (Math.abs(x[i]) > MAX_ABS_FEATURE) {
                return new FeatureProblem(FeatureProblem.Kind.TOO_LARGE,
                        "feature value " + x[i] + " exceeds the bound " + MAX_ABS_FEATURE);
            }
        }
        return null;
    }

    /** Appends the event as one row of {@code batch}; {@code standardizer} may be null. */
    public void encode(Example e, Standardizer standardizer, InputBatch batch) {
        batch.beginRow();
        if (standardizer != null) {
            // standardisation centres implicit zeros too, so every dense input is written
            if (e.dense() != null) {
                double[] x = e.dense();
                for (int i = 0; i < denseInputs; i++) {
                    batch.put(i, standardizer.apply(i, x[i]));
                }
            } else {
                int[] idx = e.sparse().indices();
                double[] val = e.sparse().values();
                int k = 0;
                for (int i = 0; i < denseInputs; i++) {
                    double v = 0.0;
                    if (k < idx.length && idx[k] == i) {
                        v = val[k++];
                    }
                    batch.put(i, standardizer.apply(i, v));
                }
            }
        } else if (e.dense() != null) {
            batch.putLeading(e.dense(), denseInputs);
        } else {
            batch.putAll(e.sparse().indices(), e.sparse().values(), e.sparse().indices().length);
        }
        if (hasher != null && e.attributes() != null && !e.attributes().isEmpty()) {
            int n = e.attributes().size();
            if (hashedColumns.length < n) {
                hashedColumns = new int[Math.max(n, 2 * hashedColumns.length)];
                hashedValues = new double[hashedColumns.length];
            }
            int m = hasher.encode(e.attributes(), hashedColumns, hashedValues);
            for (int k = 0; k < m; k++) {
                batch.put(denseInputs + hashedColumns[k], hashedValues[k]);
            }
        }
        batch.endRow();
    }
}
