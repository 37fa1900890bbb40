package dev.epochstream.learner.data;

import java.util.Arrays;

/**
 * A sparse vector of dimension {@code size}: strictly increasing {@code indices} in [0, size) and one
 * value per index. The arrays are not copied; callers treat them as immutable.
 */
public record SparseVector(int size, int[] indices, double[] values) {

    public SparseVector {
        if (size < 1) {
            throw new IllegalArgumentException("sparse vector size must be >= 1, got " + size);
        }
        if (indices.length != values.length) {
            throw new IllegalArgumentException("sparse vector has " + indices.length + " indices but "
                    + values.length + " values");
        }
    }

    /**
     * Returns null when the vector is well-formed (indices strictly increasing, within [0, size), values
     * finite), else a readable reason.
     */
    public String problem() {
        int prev = -1;
        for (int i = 0; i < indices.length; i++) {
            int idx = indices[i];
            if (idx < 0 || idx >= size) {
                return "index " + idx + " out of range [0, " + size + ")";
            }
            if (idx == prev) {
                return "duplicate index " + idx;
            }
            if (idx < prev) {
                return "indices not sorted (" + idx + " after " + prev + ")";
            }
            prev = idx;
            if (!Double.isFinite(values[i])) {
                return "non-finite value at index " + idx;
            }
        }
        return null;
    }

    public int nonZeros() {
        return indices.length;
    }

    /** A dense copy (not for hot paths). */
    public double[] toDense() {
        double[] d = new double[size];
        for (int i = 0; i < indices.length; i++) {
            d[indices[i]] = values[i];
        }
        return d;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SparseVector s && s.size == size && Arrays.equals(s.indices, indices)
                && Arrays.equals(s.values, values);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * size + Arrays.hashCode(indices)) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "SparseVector[size=" + size + ", indices=" + Arrays.toString(indices) + ", values="
                + Arrays.toString(values) + "]";
    }
}
