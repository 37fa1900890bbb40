package dev.epochstream.learner.features;

import dev.epochstream.learner.data.Example;
import dev.epochstream.learner.data.SparseVector;

/**
 * Running mean and variance per dense input (Welford's online algorithm), and the z-score transform
 * {@code x' = (x - mean) / std} with {@code std = sqrt(m2 / count)} (population variance), where a zero
 * or not-yet-defined std counts as 1 so that constant inputs pass through centred.
 *
 * <p>Updated by training events only, in arrival order, so the statistics are deterministic. Sparse
 * feature vectors are treated as the dense vectors they stand for: their implicit zeros are
 * standardised too, so a dense and a sparse encoding of the same event give the same input.
 */
public final class Standardizer {
    private long count;
    private final double[] mean;
    private final double[] m2;

    public Standardizer(int inputs) {
        this.mean = new double[inputs];
        this.m2 = new double[inputs];
    }

    public Standardizer(long count, double[] mean, double[] m2) {
        if (mean.length != m2.length) {
            throw new IllegalArgumentException("mean and m2 must have the same length");
        }
        this.count = count;
        this.mean = mean.clone();
        this.m2 = m2.clone();
    }

    public int inputs() {
        return mean.length;
    }

    public long count() {
        return count;
    }

    /** Live arrays (for encoding); do not modify. */
    public double[] mean() {
        return mean;
    }

    public double[] m2() {
        return m2;
    }

    /** Welford update with one event's first {@link #inputs()} features. */
    public void update(Example e) {
        count++;
        if (e.dense() != null) {
            double[] x = e.dense();
            for (int i = 0; i < mean.length; i++) {
                add(i, x[i]);
            }
        } else {
            SparseVector s = e.sparse();
            int[] idx = s.indices();
            double[] val = s.values();
            int k = 0;
            for (int i = 0; i < mean.length; i++) {
                double v = 0.0;
                if (k < idx.length && idx[k] == i) {
                    v = val[k++];
                }
                add(i, v);
            }
        }
    }

    private void add(int i, double x) {
        // Welford: delta = x - mean; mean += delta / n; m2 += delta * (x - mean_new)
        double delta = x - mean[i];
        mean[i] += delta / count;
        m2[i] += delta * (x - mean[i]);
    }

    /** The standardised value of input {@code i}. */
    public double apply(int i, double x) {
        if (count == 0) {
            return x;
        }
        double std = Math.sqrt(m2[i] / count);
        return std > 0 ? (x - mean[i]) / std : x - mean[i];
    }

    public Standardizer copy() {
        return new Standardizer(count, mean, m2);
    }

    public void copyFrom(Standardizer other) {
        this.count = other.count;
        System.arraycopy(other.mean, 0, mean, 0, mean.length);
        System.arraycopy(other.m2, 0, m2, 0, m2.length);
    }
}
