package dev.epochstream.learner.optim;

import java.util.Arrays;

/**
 * The trainable tensors of a model and their gradients, as flat row-major {@code double[]} arrays
 * (a weight matrix is [rows = outputs][cols = inputs], a bias is [rows = outputs][cols = 1]).
 *
 * <p>The arrays are live views of the model's storage: optimizers update {@link #value(int)} in place
 * from {@link #grad(int)}. Tensor order is fixed by the model (W0, b0, W1, b1, ...).
 *
 * <p>Sparse input: when the first layer consumed a sparse batch, the gradient of tensor
 * {@link #sparseTensor()} is non-zero only in the columns {@code touchedColumns()[0 .. touchedCount())}
 * (sorted, distinct). Optimizers that support it may then touch only those columns; every other tensor
 * is dense. {@link #sparseTensor()} is -1 when the current gradient is dense.
 */
public final class Parameters {
    private final double[][] values;
    private final double[][] grads;
    private final int[] rows;
    private final int[] cols;
    private int sparseTensor = -1;
    private int[] touchedColumns = new int[0];
    private int touchedCount;

    /**
     * @param values tensor storage, not copied
     * @param grads gradient storage, not copied; same sizes as {@code values}
     */
    public Parameters(double[][] values, double[][] grads, int[] rows, int[] cols) {
        if (values.length != grads.length || values.length != rows.length || values.length != cols.length) {
            throw new IllegalArgumentException("values, grads, rows and cols must have one entry per tensor");
        }
        for (int i = 0; i < values.length; i++) {
            int n = rows[i] * cols[i];
            if (values[i].length < n || grads[i].length < n) {
                throw new IllegalArgumentException("tensor " + i + " is smaller than " + rows[i] + "x" + cols[i]);
            }
        }
        this.values = values;
        this.grads = grads;
        this.rows = rows.clone();
        this.cols = cols.clone();
    }

    public int count() {
        return values.length;
    }

    public double[] value(int tensor) {
        return values[tensor];
    }

    public double[] grad(int tensor) {
        return grads[tensor];
    }

    public int rows(int tensor) {
        return rows[tensor];
    }

    public int cols(int tensor) {
        return cols[tensor];
    }

    /** Number of elements of the tensor (rows × cols). */
    public int size(int tensor) {
        return rows[tensor] * cols[tensor];
    }

    /** Total number of scalar parameters. */
    public long totalSize() {
        long n = 0;
        for (int i = 0; i < values.length; i++) {
            n += size(i);
        }
        return n;
    }

    /** Index of the tensor whose gradient is column-sparse for this step, or -1. */
    public int sparseTensor() {
        return sparseTensor;
    }

    /** Sorted distinct columns of {@link #sparseTensor()} with a possibly non-zero gradient. */
    public int[] touchedColumns() {
        return touchedColumns;
    }

    public int touchedCount() {
        return touchedCount;
    }

    /**
     * Declares that the gradient of {@code tensor} is non-zero only in the given sorted distinct
     * columns. The array is kept (not copied) and reused by the caller between steps.
     */
    public void markSparse(int tensor, int[] columns, int count) {
        this.sparseTensor = tensor;
        this.touchedColumns = columns;
        this.touchedCount = count;
    }

    /** Declares every gradient dense for this step. */
    public void markDense() {
        this.sparseTensor = -1;
        this.touchedCount = 0;
    }

    /** Sets every gradient to zero. */
    public void zeroGrads() {
        for (double[] g : grads) {
            Arrays.fill(g, 0.0);
        }
    }

    /** Copies every value array into {@code target} (same shapes); allocates nothing. */
    public void copyValuesTo(double[][] target) {
        for (int i = 0; i < values.length; i++) {
            System.arraycopy(values[i], 0, target[i], 0, size(i));
        }
    }

    /** Restores every value array from {@code source} (same shapes); allocates nothing. */
    public void copyValuesFrom(double[][] source) {
        for (int i = 0; i < values.length; i++) {
            System.arraycopy(source[i], 0, values[i], 0, size(i));
        }
    }

    /** True when every value is finite. */
    public boolean allValuesFinite() {
        for (int i = 0; i < values.length; i++) {
            double[] v = values[i];
            for (int j = 0, n = size(i); j < n; j++) {
                if (!Double.isFinite(v[j])) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Fresh zeroed arrays of the same shapes (for backups and optimizer slots); not for hot paths. */
    public double[][] newZeroedLike() {
        double[][] out = new double[values.length][];
        for (int i = 0; i < values.length; i++) {
            out[i] = new double[size(i)];
        }
        return out;
    }
}
