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
 * (distinct, in no particular order: the workspace lists them as they first occur in the batch, which costs
 * less than sorting them). Optimizers that support it may then touch only those columns; every other tensor
 * is dense. A sum over the touched columns that must equal the dense sum bit for bit (clipping's norm) visits
 * them in {@link #ascendingTouchedOrder()}. {@link #sparseTensor()} is -1 when the current gradient is dense.
 *
 * <p>The sparse tensor's gradient lives in one of two forms:
 * <ul>
 *   <li>packed ({@link #gradPacked()} true): only the touched columns, row by row, element
 *       {@code (o, touchedColumns()[j])} at {@code packedGrad()[o·touchedCount() + j]}. The workspace declares a
 *       sparse batch's gradient so ({@link #packedGradStorage} then {@link #markSparsePacked}): it is small, so
 *       a step of a 2^20-input layer does not visit (and clear) a 2^20-wide gradient at a random column per
 *       non-zero. Asking for the dense array {@link #grad(int)} scatters the packed values into it (zeroing what
 *       an earlier scatter or dense step left there: touched columns only, except for one whole clear after a
 *       dense step) and makes the dense form the current one.
 *   <li>dense: the whole {@code [rows][cols]} array {@link #grad(int)}, zero outside the touched columns
 *       ({@link #markSparse}, or after a scatter). {@link #packedGrad()} then returns a gathered copy of the
 *       touched columns: read it, but write into {@link #grad(int)}.
 * </ul>
 * Optimizers read {@link #packedGrad()} (either form); a caller that modifies the gradient (clipping) writes
 * into the current form.
 */
public final class Parameters {
    private final double[][] values;
    private final double[][] grads;
    private final int[] rows;
    private final int[] cols;
    private int sparseTensor = -1;
    private int[] touchedColumns = new int[0];
    private int touchedCount;
    /** The sparse tensor's gradient packed by touched column (grow-only); see the class comment. */
    private double[] packed = new double[0];
    /** True when {@link #packed} holds the sparse tensor's gradient and its dense array is out of date. */
    private boolean gradPacked;
    /**
     * The tensor whose dense gradient is known to be zero outside columns {@code scattered[0 .. scatteredCount)}
     * (those of the latest scatter), or -1 when nothing is known (it is then cleared whole before a scatter).
     */
    private int cleanTensor = -1;
    private int[] scattered = new int[0];
    private int scatteredCount;
    /** {@link #ascendingTouchedOrder()} once computed for the current declaration ({@link #ascendingKnown}). */
    private int[] ascending = new int[0];
    private boolean ascendingKnown;
    /** Scratch of {@link #ascendingTouchedOrder()}: the sorted columns and each touched position's rank. */
    private int[] sortedColumns = new int[0];
    private int[] rank = new int[0];
    private final IntSort sorter = new IntSort();

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

    /**
     * The dense gradient of {@code tensor}. For the sparse tensor while its gradient is packed, the packed values
     * are first scattered into it and the dense form becomes the current one (see the class comment).
     */
    public double[] grad(int tensor) {
        if (gradPacked && tensor == sparseTensor) {
            scatter();
        }
        return grads[tensor];
    }

    /** True when the sparse tensor's gradient is currently held packed; see the class comment. */
    public boolean gradPacked() {
        return gradPacked;
    }

    /**
     * The gradient of {@link #sparseTensor()} at its touched columns, packed row by row: element
     * {@code (o, touchedColumns()[j])} at {@code [o·touchedCount() + j]}, {@code rows × touchedCount()} values
     * (the array may be longer). When the gradient is currently dense ({@link #gradPacked()} false), a copy
     * gathered from the dense array: writes to it are then not seen. Allocates nothing in steady state.
     *
     * @throws IllegalStateException when no tensor is sparse
     */
    public double[] packedGrad() {
        if (sparseTensor < 0) {
            throw new IllegalStateException("no tensor has a sparse gradient");
        }
        if (!gradPacked) {
            gather();
        }
        return packed;
    }

    /**
     * Storage of at least {@code length} doubles to write the next packed gradient into, before
     * {@link #markSparsePacked}; contents unspecified (grow-only, reused). From this call until
     * {@code markSparsePacked} no gradient is declared sparse and the former sparse tensor's gradient is
     * undefined.
     */
    public double[] packedGradStorage(int length) {
        ascendingKnown = false; // the caller may now rewrite the columns array too
        if (gradPacked) {
            gradPacked = false; // its packed values are about to be overwritten; the dense array is stale
            sparseTensor = -1;
            touchedCount = 0;
        }
        if (packed.length < length) {
            packed = new double[Math.max(length, 2 * packed.length)];
        }
        return packed;
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

    /** Distinct columns of {@link #sparseTensor()} with a possibly non-zero gradient, in no particular order. */
    public int[] touchedColumns() {
        return touchedColumns;
    }

    /**
     * The positions {@code j} of {@link #touchedColumns()} in ascending order of their column: {@code
     * touchedColumns()[order[0]] < touchedColumns()[order[1]] < ...} for the first {@link #touchedCount()}
     * entries. A sum over the touched columns in this order, row by row, is the dense sum in index order with
     * its zero terms left out. Computed (sorted) on the first call after each declaration; allocates nothing in
     * steady state.
     *
     * @throws IllegalStateException when no tensor is sparse
     */
    public int[] ascendingTouchedOrder() {
        if (sparseTensor < 0) {
            throw new IllegalStateException("no tensor has a sparse gradient");
        }
        if (!ascendingKnown) {
            int count = touchedCount;
            if (ascending.length < count) {
                int length = Math.max(count, 2 * ascending.length);
                ascending = new int[length];
                sortedColumns = new int[length];
                rank = new int[length];
            }
            sorter.sortDistinct(touchedColumns, count, cols(sparseTensor), sortedColumns, rank);
            for (int j = 0; j < count; j++) {
                ascending[rank[j]] = j;
            }
            ascendingKnown = true;
        }
        return ascending;
    }

    public int touchedCount() {
        return touchedCount;
    }

    /**
     * Declares that the gradient of {@code tensor}, written into its dense array {@link #grad(int)}, is non-zero
     * only in the given distinct columns (any order). The array is kept (not copied) and reused by the caller
     * between steps.
     */
    public void markSparse(int tensor, int[] columns, int count) {
        this.ascendingKnown = false;
        this.sparseTensor = tensor;
        this.touchedColumns = columns;
        this.touchedCount = count;
        this.gradPacked = false;
        this.cleanTensor = -1; // the caller wrote the dense array
    }

    /**
     * Declares that the gradient of {@code tensor} is zero outside the given distinct columns (any order) and
     * was written packed into {@link #packedGradStorage} ({@link #packedGrad()}'s layout); its dense array is
     * not read or written. The columns array is kept (not copied) and reused by the caller between steps.
     */
    public void markSparsePacked(int tensor, int[] columns, int count) {
        this.ascendingKnown = false;
        this.sparseTensor = tensor;
        this.touchedColumns = columns;
        this.touchedCount = count;
        this.gradPacked = true;
    }

    /** Declares every gradient dense (written into the dense arrays) for this step. */
    public void markDense() {
        this.ascendingKnown = false;
        this.sparseTensor = -1;
        this.touchedCount = 0;
        this.gradPacked = false;
        this.cleanTensor = -1;
    }

    /** Sets every gradient to zero. */
    public void zeroGrads() {
        for (double[] g : grads) {
            Arrays.fill(g, 0.0);
        }
        Arrays.fill(packed, 0.0);
        gradPacked = false;
        cleanTensor = -1;
    }

    /** Writes the packed gradient into the dense array of the sparse tensor, zero elsewhere. */
    private void scatter() {
        int tensor = sparseTensor;
        double[] g = grads[tensor];
        int cols = cols(tensor);
        int n = size(tensor);
        if (cleanTensor == tensor) {
            for (int row = 0; row < n; row += cols) {
                for (int j = 0; j < scatteredCount; j++) {
                    g[row + scattered[j]] = 0.0;
                }
            }
        } else {
            Arrays.fill(g, 0, n, 0.0);
        }
        int count = touchedCount;
        scatterTouched(packed, g);
        if (scattered.length < count) {
            scattered = new int[Math.max(count, 2 * scattered.length)];
        }
        System.arraycopy(touchedColumns, 0, scattered, 0, count);
        scatteredCount = count;
        cleanTensor = tensor;
        gradPacked = false;
    }

    /** Copies the touched columns of the sparse tensor's dense gradient into {@link #packed} (the dense stays current). */
    private void gather() {
        packedGradStorage(rows(sparseTensor) * touchedCount);
        gatherTouched(grads[sparseTensor], packed);
    }

    /**
     * Copies the touched columns of {@code from}, an array of {@link #sparseTensor()}'s shape, into {@code to}
     * packed row by row ({@link #packedGrad()}'s layout); {@code to} holds at least rows × touchedCount values.
     */
    public void gatherTouched(double[] from, double[] to) {
        gatherTouched(from, to, rows(sparseTensor));
    }

    /**
     * {@link #gatherTouched} of an array of {@code rows} rows of {@link #sparseTensor()}'s width: 1 for an array
     * with one entry per column (an optimizer's per-column bookkeeping).
     */
    public void gatherTouched(double[] from, double[] to, int rows) {
        int cols = cols(sparseTensor);
        int count = touchedCount;
        // rows outside, columns inside: a first layer has many more touched columns than outputs
        for (int row = 0, p = 0, n = rows * cols; row < n; row += cols) {
            for (int j = 0; j < count; j++) {
                to[p++] = from[row + touchedColumns[j]];
            }
        }
    }

    /** The inverse of {@link #gatherTouched}: writes packed touched columns {@code from} into {@code to} at their places. */
    public void scatterTouched(double[] from, double[] to) {
        scatterTouched(from, to, rows(sparseTensor));
    }

    /** The inverse of {@link #gatherTouched(double[], double[], int)}. */
    public void scatterTouched(double[] from, double[] to, int rows) {
        int cols = cols(sparseTensor);
        int count = touchedCount;
        for (int row = 0, p = 0, n = rows * cols; row < n; row += cols) {
            for (int j = 0; j < count; j++) {
                to[row + touchedColumns[j]] = from[p++];
            }
        }
    }

    /**
     * Makes {@code storage[k]} the value array of tensor k (kept, not copied): what the optimizers and every
     * reader of {@link #value(int)} see from now on. Each array must hold exactly {@link #size(int)} values.
     * Called by {@code Network.bind}, which points the network's matrices at the same arrays: call that
     * instead.
     *
     * @throws IllegalArgumentException when the count or a length differs
     */
    public void bindValues(double[][] storage) {
        if (storage.length != values.length) {
            throw new IllegalArgumentException("expected " + values.length + " parameter tensors, got " + storage.length);
        }
        for (int i = 0; i < storage.length; i++) {
            if (storage[i].length != size(i)) {
                throw new IllegalArgumentException("parameter tensor " + i + " has " + storage[i].length
                        + " values, its shape " + rows[i] + "x" + cols[i] + " needs " + size(i));
            }
        }
        System.arraycopy(storage, 0, values, 0, values.length);
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
