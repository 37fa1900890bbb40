package dev.epochstream.learner.optim;

import java.util.Random;

/**
 * The same optimizer run twice on the same weights and gradients: once told that tensor 0 (3×5) is
 * column-sparse, once told every gradient is dense. Tensor 1 (3×1) is always dense. Gradients of
 * tensor 0 are zero outside the touched columns in both runs; seeded randomness.
 */
final class TwinRun {
    static final int ROWS = 3;
    static final int COLS = 5;

    final Optimizer optimizer;
    final Parameters sparse;
    final Parameters dense;
    final OptimizerState sparseState;
    final OptimizerState denseState;
    private final Random random;
    private final int[] touched = new int[COLS];

    TwinRun(OptimizerConfig config, long seed) {
        random = new Random(seed);
        optimizer = config.create();
        double[] w = new double[ROWS * COLS];
        double[] b = new double[ROWS];
        fill(w);
        fill(b);
        sparse = new Parameters(new double[][] {w.clone(), b.clone()},
                new double[][] {new double[ROWS * COLS], new double[ROWS]}, new int[] {ROWS, ROWS}, new int[] {COLS, 1});
        dense = new Parameters(new double[][] {w, b},
                new double[][] {new double[ROWS * COLS], new double[ROWS]}, new int[] {ROWS, ROWS}, new int[] {COLS, 1});
        sparseState = optimizer.newState(sparse);
        denseState = optimizer.newState(dense);
    }

    private void fill(double[] a) {
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextGaussian();
        }
    }

    /** One step of both runs; {@code columns} are the touched columns (sorted, distinct). */
    void step(double lr, int... columns) {
        stepWith(lr, false, columns);
    }

    /**
     * One step of both runs with gradients in {@code columns}; the sparse run is told the gradient is
     * dense when {@code markDense}.
     */
    void stepWith(double lr, boolean markDense, int... columns) {
        double[] g = new double[ROWS * COLS];
        for (int c : columns) {
            for (int r = 0; r < ROWS; r++) {
                g[r * COLS + c] = random.nextGaussian();
            }
        }
        double[] gb = new double[ROWS];
        fill(gb);
        System.arraycopy(g, 0, sparse.grad(0), 0, g.length);
        System.arraycopy(g, 0, dense.grad(0), 0, g.length);
        System.arraycopy(gb, 0, sparse.grad(1), 0, ROWS);
        System.arraycopy(gb, 0, dense.grad(1), 0, ROWS);
        System.arraycopy(columns, 0, touched, 0, columns.length);
        if (markDense) {
            sparse.markDense();
        } else {
            sparse.markSparse(0, touched, columns.length);
        }
        dense.markDense();
        optimizer.step(sparse, sparseState, lr);
        optimizer.step(dense, denseState, lr);
    }

    /** A random sorted subset of columns {@code 0 .. limit)}, possibly empty. */
    int[] randomColumns(int limit) {
        int[] out = new int[limit];
        int n = 0;
        for (int c = 0; c < limit; c++) {
            if (random.nextBoolean()) {
                out[n++] = c;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    static int[] allColumns() {
        int[] all = new int[COLS];
        for (int c = 0; c < COLS; c++) {
            all[c] = c;
        }
        return all;
    }

    /** Raw bits, so that equality is bit-identity (NaN payloads and signed zeros included). */
    static long[] bits(double[] a) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = Double.doubleToRawLongBits(a[i]);
        }
        return out;
    }

    /** Raw bits of column {@code c} of tensor 0. */
    static long[] columnBits(double[] a, int c) {
        long[] out = new long[ROWS];
        for (int r = 0; r < ROWS; r++) {
            out[r] = Double.doubleToRawLongBits(a[r * COLS + c]);
        }
        return out;
    }
}
