package dev.epochstream.learner.nn;

import org.ejml.data.DMatrixRMaj;

/**
 * Forward and backward of each {@link Activation} over the first {@code z.numRows} rows of a matrix, as
 * torch 1.13.1 computes them. Allocates nothing.
 *
 * <ul>
 *   <li>sigmoid: 1 / (1 + e^-x) for x >= 0, e^x / (1 + e^x) otherwise (never overflows); derivative a(1 − a);</li>
 *   <li>tanh: {@code StrictMath.tanh}; derivative 1 − a²;</li>
 *   <li>relu: x > 0 ? x : 0; derivative 1 for x > 0 else 0 (relu'(0) = 0, as torch's threshold_backward);</li>
 *   <li>leaky_relu: x > 0 ? x : slope·x (torch LeakyReLU); derivative 1 for x > 0 else slope (so slope at 0);</li>
 *   <li>softmax, per row: e_i = exp(x_i − max), a_i = e_i / Σe (sum in index order); backward is the
 *       Jacobian-vector product g_z = a ⊙ (g_a − Σ_j g_a,j a_j).</li>
 * </ul>
 */
public final class ActivationFunctions {

    private ActivationFunctions() {
    }

    /** Writes f(z) into {@code a} (same shape, may be {@code z} itself). */
    public static void forward(Activation activation, double slope, DMatrixRMaj z, DMatrixRMaj a) {
        int rows = z.numRows;
        int cols = z.numCols;
        int n = rows * cols;
        double[] zd = z.data;
        double[] ad = a.data;
        switch (activation) {
            case IDENTITY -> System.arraycopy(zd, 0, ad, 0, n);
            case SIGMOID -> {
                for (int i = 0; i < n; i++) {
                    ad[i] = sigmoid(zd[i]);
                }
            }
            case TANH -> {
                for (int i = 0; i < n; i++) {
                    ad[i] = StrictMath.tanh(zd[i]);
                }
            }
            case RELU -> {
                for (int i = 0; i < n; i++) {
                    double x = zd[i];
                    ad[i] = select(x > 0, x, 0.0);
                }
            }
            case LEAKY_RELU -> {
                for (int i = 0; i < n; i++) {
                    double x = zd[i];
                    ad[i] = select(x > 0, x, slope * x);
                }
            }
            case SOFTMAX -> {
                for (int r = 0; r < rows; r++) {
                    softmaxRow(zd, ad, r * cols, cols);
                }
            }
            default -> throw new IllegalStateException(activation.toString());
        }
    }

    /**
     * Turns dL/da in {@code grad} into dL/dz in place, given the layer's pre-activation {@code z} and
     * activation {@code a} (same shapes).
     */
    public static void backwardInPlace(Activation activation, double slope, DMatrixRMaj z, DMatrixRMaj a,
                                       DMatrixRMaj grad) {
        int rows = z.numRows;
        int cols = z.numCols;
        int n = rows * cols;
        double[] zd = z.data;
        double[] ad = a.data;
        double[] g = grad.data;
        switch (activation) {
            case IDENTITY -> {
                // f'(x) = 1
            }
            case SIGMOID -> {
                for (int i = 0; i < n; i++) {
                    g[i] *= ad[i] * (1.0 - ad[i]);
                }
            }
            case TANH -> {
                for (int i = 0; i < n; i++) {
                    g[i] *= 1.0 - ad[i] * ad[i];
                }
            }
            case RELU -> {
                for (int i = 0; i < n; i++) {
                    g[i] = select(zd[i] > 0, g[i], 0.0);
                }
            }
            case LEAKY_RELU -> {
                for (int i = 0; i < n; i++) {
                    double gi = g[i];
                    g[i] = select(zd[i] > 0, gi, gi * slope);
                }
            }
            case SOFTMAX -> {
                for (int r = 0; r < rows; r++) {
                    int o = r * cols;
                    // g_z,i = a_i (g_a,i − Σ_j g_a,j a_j)
                    double dot = 0.0;
                    for (int j = 0; j < cols; j++) {
                        dot += g[o + j] * ad[o + j];
                    }
                    for (int j = 0; j < cols; j++) {
                        g[o + j] = ad[o + j] * (g[o + j] - dot);
                    }
                }
            }
            default -> throw new IllegalStateException(activation.toString());
        }
    }

    /**
     * {@code condition ? ifTrue : ifFalse} by bit masks, so that the JIT emits no branch: the sign of a
     * pre-activation is a coin toss, and a mispredicted branch per element cost ~4.5 ns against ~0.5 ns
     * (relu forward and backward were ~10 % of a [64,32,10] step). Returns the very bits of the chosen
     * operand (signed zeros and NaNs included).
     */
    static double select(boolean condition, double ifTrue, double ifFalse) {
        long keep = condition ? -1L : 0L;
        return Double.longBitsToDouble((Double.doubleToRawLongBits(ifTrue) & keep)
                | (Double.doubleToRawLongBits(ifFalse) & ~keep));
    }

    /** Numerically stable logistic function. */
    public static double sigmoid(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + StrictMath.exp(-x));
        }
        double e = StrictMath.exp(x);
        return e / (1.0 + e);
    }

    /** Softmax of {@code in[off .. off+k)} into {@code out[off .. off+k)} (may be the same array). */
    public static void softmaxRow(double[] in, double[] out, int off, int k) {
        softmaxRow(in, out, off, k, rowMax(in, off, k));
    }

    /**
     * Softmax of one row given its {@link #rowMax}: out_j = e_j / Σe with e_j = exp(in_j − max), the sum in
     * index order. Returns Σe, so that a fused softmax loss can reuse it instead of recomputing the exponentials.
     */
    public static double softmaxRow(double[] in, double[] out, int off, int k, double max) {
        for (int j = off; j < off + k; j++) {
            out[j] = StrictMath.exp(in[j] - max);
        }
        return normalizeRow(out, off, k);
    }

    /** e_j / Σe over {@code e[off .. off+k)} in place, the sum in index order from 0.0; returns Σe. */
    private static double normalizeRow(double[] e, int off, int k) {
        double sum = 0.0;
        for (int j = off; j < off + k; j++) {
            sum += e[j];
        }
        for (int j = off; j < off + k; j++) {
            e[j] /= sum;
        }
        return sum;
    }

    /**
     * Row-wise softmax of {@code z} into {@code a} (same shape), keeping each row's max in {@code rowMax[r]}
     * and its Σ exp(z − max) in {@code rowSum[r]}: the statistics {@link dev.epochstream.learner.loss.Loss}'s
     * softmax variants take.
     */
    public static void softmax(DMatrixRMaj z, DMatrixRMaj a, double[] rowMax, double[] rowSum) {
        int rows = z.numRows;
        int cols = z.numCols;
        double[] zd = z.data;
        double[] ad = a.data;
        rowMaxima(zd, rows, cols, rowMax);
        for (int r = 0; r < rows; r++) {
            rowSum[r] = softmaxRow(zd, ad, r * cols, cols, rowMax[r]);
        }
    }

    private static void rowMaxima(double[] in, int rows, int cols, double[] rowMax) {
        for (int r = 0; r < rows; r++) {
            rowMax[r] = rowMax(in, r * cols, cols);
        }
    }

    /**
     * {@link #softmax(DMatrixRMaj, DMatrixRMaj, double[], double[])}, the same doubles, with the exponentials
     * of all rows taken as one flat run of SIMD lanes ({@link VectorizedExp}, StrictMath.exp's bits) when the
     * JVM has the Vector API; {@code scratch} holds at least 2·rows·cols doubles.
     */
    static void softmax(DMatrixRMaj z, DMatrixRMaj a, double[] rowMax, double[] rowSum, double[] scratch) {
        long sample = Gemm.vectorApiEnabled() ? SimdGuard.EXP.start() : SimdGuard.SCALAR;
        if (sample == SimdGuard.SCALAR) {
            softmax(z, a, rowMax, rowSum);
            return;
        }
        int rows = z.numRows;
        int cols = z.numCols;
        double[] zd = z.data;
        double[] ad = a.data;
        rowMaxima(zd, rows, cols, rowMax);
        for (int r = 0; r < rows; r++) {
            double max = rowMax[r];
            for (int j = r * cols; j < (r + 1) * cols; j++) {
                ad[j] = zd[j] - max;
            }
        }
        VectorizedExp.expInPlace(ad, 0, rows * cols, scratch);
        SimdGuard.EXP.finish(sample);
        for (int r = 0; r < rows; r++) {
            rowSum[r] = normalizeRow(ad, r * cols, cols);
        }
    }

    /** max_j in[off + j] over one row of k values ({@link Math#max}, index order: NaN wins). */
    public static double rowMax(double[] in, int off, int k) {
        double max = in[off];
        for (int j = 1; j < k; j++) {
            max = Math.max(max, in[off + j]);
        }
        return max;
    }

    /** log Σ_j exp(x_j) over {@code in[off .. off+k)}, computed as max + log Σ exp(x_j − max). */
    public static double logSumExp(double[] in, int off, int k) {
        double max = rowMax(in, off, k);
        double sum = 0.0;
        for (int j = 0; j < k; j++) {
            sum += StrictMath.exp(in[off + j] - max);
        }
        return max + StrictMath.log(sum);
    }
}
