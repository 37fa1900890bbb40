package dev.epochstream.learner.nn;

import dev.epochstream.learner.data.SparseVector;
import java.util.Arrays;

/**
 * The input rows of one mini-batch, preallocated for {@code capacity} rows of {@code inputSize} features.
 *
 * <p>Dense: a row-major capacity x inputSize array. Sparse: compressed sparse rows (CSR), whose index and
 * value buffers grow (never shrink) when a batch has more non-zeros than any before; nothing is ever
 * densified, so inputs of 2^20 features cost only their non-zeros.
 *
 * <p>Fill with {@link #beginRow()}, {@link #put(int, double)} or {@link #putAll} (indices strictly increasing
 * within the row), {@link #endRow()}; or {@link #addDense(double[])} / {@link #addSparse(SparseVector)}.
 * {@link #clear()} starts the next batch. Not thread-safe.
 */
public final class InputBatch {
    private final int inputSize;
    private final int capacity;
    private final boolean sparse;

    /** Dense storage, capacity x inputSize row-major; null when sparse. */
    private final double[] dense;
    /** CSR: row r holds entries [rowStart[r], rowStart[r + 1]). */
    private final int[] rowStart;
    private int[] indices;
    private double[] values;

    private int size;
    private boolean inRow;
    private int lastIndex;

    public InputBatch(int inputSize, int capacity, boolean sparse) {
        if (inputSize < 1 || capacity < 1) {
            throw new IllegalArgumentException("input size and batch capacity must be >= 1, got " + inputSize
                    + " and " + capacity);
        }
        this.inputSize = inputSize;
        this.capacity = capacity;
        this.sparse = sparse;
        if (sparse) {
            dense = null;
            rowStart = new int[capacity + 1];
            indices = new int[Math.max(16, capacity)];
            values = new double[indices.length];
        } else {
            long n = (long) inputSize * capacity;
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("a dense batch of " + capacity + " x " + inputSize
                        + " inputs does not fit in one array: use sparse input");
            }
            dense = new double[(int) n];
            rowStart = null;
        }
    }

    /** Forgets every row. */
    public void clear() {
        size = 0;
        inRow = false;
    }

    /** Starts a new row, all zeros. */
    public void beginRow() {
        checkRowFits();
        inRow = true;
        lastIndex = -1;
        if (sparse) {
            rowStart[size + 1] = rowStart[size];
        } else {
            Arrays.fill(dense, size * inputSize, (size + 1) * inputSize, 0.0);
        }
    }

    /** Sets feature {@code index} of the current row; indices must be strictly increasing within a row. */
    public void put(int index, double value) {
        if (!inRow) {
            throw new IllegalStateException("put() outside beginRow()/endRow()");
        }
        if (index <= lastIndex || index >= inputSize) {
            throw new IllegalArgumentException("index " + index + " must be in (" + lastIndex + ", " + inputSize
                    + "): indices strictly increasing within a row");
        }
        lastIndex = index;
        if (sparse) {
            int at = rowStart[size + 1];
            if (at == indices.length) {
                grow();
            }
            indices[at] = index;
            values[at] = value;
            rowStart[size + 1] = at + 1;
        } else {
            dense[size * inputSize + index] = value;
        }
    }

    /**
     * Sets features {@code index[k]} to {@code value[k]} for k = 0 .. n-1 of the current row: the same as
     * {@code put(index[k], value[k])} for each k in order, failures included (the entries before a bad index
     * are kept), but with the write position and the last index held in locals: a put per non-zero re-reads
     * them from this object's fields, each waiting on the previous put's store, which made filling a
     * 2^20-input batch a sixth of its training step.
     */
    public void putAll(int[] index, double[] value, int n) {
        if (!inRow) {
            throw new IllegalStateException("putAll() outside beginRow()/endRow()");
        }
        if (n > index.length || n > value.length) {
            throw new IllegalArgumentException("cannot put " + n + " of " + index.length + " indices and "
                    + value.length + " values");
        }
        if (!sparse) {
            for (int k = 0; k < n; k++) {
                put(index[k], value[k]);
            }
            return;
        }
        int at = rowStart[size + 1];
        while (indices.length - at < n) {
            grow();
        }
        int[] ix = indices;
        double[] vs = values;
        int last = lastIndex;
        int bound = inputSize;
        int k = 0;
        for (; k < n; k++) {
            int i = index[k];
            if (i <= last || i >= bound) {
                break;
            }
            ix[at + k] = i;
            vs[at + k] = value[k];
            last = i;
        }
        rowStart[size + 1] = at + k;
        lastIndex = last;
        if (k < n) {
            put(index[k], value[k]); // throws put's exception for the bad index
        }
    }

    /**
     * Sets features 0 .. n-1 of the current row, which has none set yet, to {@code x[0 .. n)}: the same as
     * {@code put(i, x[i])} for each i in order (zeros included), in one copy for a dense batch.
     */
    public void putLeading(double[] x, int n) {
        if (!inRow) {
            throw new IllegalStateException("putLeading() outside beginRow()/endRow()");
        }
        if (lastIndex != -1 || n > inputSize || n > x.length) {
            throw new IllegalArgumentException("cannot set the first " + n + " of " + inputSize + " features from "
                    + x.length + " values after index " + lastIndex);
        }
        if (sparse) {
            for (int i = 0; i < n; i++) {
                put(i, x[i]);
            }
            return;
        }
        System.arraycopy(x, 0, dense, size * inputSize, n);
        lastIndex = n - 1;
    }

    /** Finishes the current row. */
    public void endRow() {
        if (!inRow) {
            throw new IllegalStateException("endRow() without beginRow()");
        }
        inRow = false;
        size++;
    }

    /** Adds one dense row of exactly {@link #inputSize()} values (zeros are skipped when sparse). */
    public void addDense(double[] x) {
        if (x.length != inputSize) {
            throw new IllegalArgumentException("row has " + x.length + " values, expected " + inputSize);
        }
        if (!sparse) {
            // the row is overwritten whole: no zero fill, no per-value checks
            checkRowFits();
            System.arraycopy(x, 0, dense, size * inputSize, inputSize);
            size++;
            return;
        }
        beginRow();
        for (int i = 0; i < x.length; i++) {
            if (x[i] != 0.0) {
                put(i, x[i]);
            }
        }
        endRow();
    }

    private void checkRowFits() {
        if (inRow) {
            throw new IllegalStateException("beginRow() called twice without endRow()");
        }
        if (size == capacity) {
            throw new IllegalStateException("batch is full (capacity " + capacity + ")");
        }
    }

    /** Adds one sparse row of dimension {@link #inputSize()}. */
    public void addSparse(SparseVector v) {
        if (v.size() != inputSize) {
            throw new IllegalArgumentException("sparse row has size " + v.size() + ", expected " + inputSize);
        }
        beginRow();
        putAll(v.indices(), v.values(), v.indices().length);
        endRow();
    }

    /** Number of complete rows. */
    public int size() {
        return size;
    }

    /** Keeps only the first {@code rows} rows (their values untouched), as if only they had been added. */
    public void truncate(int rows) {
        if (rows < 0 || rows > size || inRow) {
            throw new IllegalStateException("cannot keep " + rows + " of " + size + " rows" + (inRow ? " inside a row" : ""));
        }
        size = rows;
    }

    public boolean isSparse() {
        return sparse;
    }

    public int capacity() {
        return capacity;
    }

    public int inputSize() {
        return inputSize;
    }

    /** Dense storage (row r at offset r·inputSize); only when not sparse. */
    double[] denseData() {
        return dense;
    }

    /** CSR row offsets; only when sparse. */
    int[] rowStart() {
        return rowStart;
    }

    /** CSR column indices; only when sparse. The array may be replaced when it grows. */
    int[] indices() {
        return indices;
    }

    /** CSR values; only when sparse. The array may be replaced when it grows. */
    double[] values() {
        return values;
    }

    /** Total non-zeros of the complete rows (sparse only). */
    int nonZeros() {
        return rowStart[size];
    }

    private void grow() {
        int n = indices.length * 2;
        indices = Arrays.copyOf(indices, n);
        values = Arrays.copyOf(values, n);
    }
}
