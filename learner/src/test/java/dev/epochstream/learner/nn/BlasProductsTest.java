package dev.epochstream.learner.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The BLAS products give the documented sums to rounding, not bit for bit: each result is checked against a
 * plain loop written here, within 1e-13 of the sum of the absolute values of its terms (a bound on the
 * rounding error of any summation order of a few thousand terms, that still catches a wrong transpose or a
 * missed term), over shapes that include n = 1, out = 1, in = 1 and odd sizes. Entries past the n rows must
 * stay untouched, as the workspace's arrays have spare capacity.
 */
class BlasProductsTest {
    private static final int[] ROWS = {1, 2, 3, 7, 17, 33};
    private static final int[] INS = {1, 3, 5, 17, 64};
    private static final int[] OUTS = {1, 3, 4, 10};
    private static final double RELATIVE = 1e-13;
    private static final double SENTINEL = -12345.5;

    private final DenseProducts blas = BlasProducts.INSTANCE;
    private final SplittableRandom rnd = new SplittableRandom(7);

    @Test
    void implementationIsNamed() {
        assertThat(BlasProducts.implementationName()).startsWith("dev.ludovic.netlib.blas.");
    }

    @Test
    void forwardIsXTimesWTransposedPlusBias() {
        for (int n : ROWS) {
            for (int in : INS) {
                for (int out : OUTS) {
                    double[] x = random(n * in);
                    double[] w = random(out * in);
                    double[] b = random(out);
                    double[] z = withSpare(n * out);
                    blas.forward(x, n, in, w, b, out, z);
                    for (int r = 0; r < n; r++) {
                        for (int o = 0; o < out; o++) {
                            double s = 0.0;
                            double bound = Math.abs(b[o]);
                            for (int k = 0; k < in; k++) {
                                s += x[r * in + k] * w[o * in + k];
                                bound += Math.abs(x[r * in + k] * w[o * in + k]);
                            }
                            assertClose(z[r * out + o], s + b[o], bound, "z", n, in, out);
                        }
                    }
                    assertSpareUntouched(z, n * out);
                }
            }
        }
    }

    @Test
    void weightGradientIsDeltaTransposedTimesXAndBiasGradientTheColumnSums() {
        for (int n : ROWS) {
            for (int in : INS) {
                for (int out : OUTS) {
                    double[] delta = random(n * out);
                    double[] x = random(n * in);
                    double[] dw = withSpare(out * in);
                    double[] db = withSpare(out);
                    Arrays.fill(dw, 0, out * in, Double.NaN); // overwritten, never read
                    blas.weightGradient(delta, x, n, in, out, dw, db);
                    for (int o = 0; o < out; o++) {
                        double sb = 0.0;
                        double boundB = 0.0;
                        for (int r = 0; r < n; r++) {
                            sb += delta[r * out + o];
                            boundB += Math.abs(delta[r * out + o]);
                        }
                        assertClose(db[o], sb, boundB, "db", n, in, out);
                        for (int k = 0; k < in; k++) {
                            double s = 0.0;
                            double bound = 0.0;
                            for (int r = 0; r < n; r++) {
                                s += delta[r * out + o] * x[r * in + k];
                                bound += Math.abs(delta[r * out + o] * x[r * in + k]);
                            }
                            assertClose(dw[o * in + k], s, bound, "dW", n, in, out);
                        }
                    }
                    assertSpareUntouched(dw, out * in);
                    assertSpareUntouched(db, out);
                }
            }
        }
    }

    @Test
    void inputGradientIsDeltaTimesW() {
        for (int n : ROWS) {
            for (int in : INS) {
                for (int out : OUTS) {
                    double[] delta = random(n * out);
                    double[] w = random(out * in);
                    double[] g = withSpare(n * in);
                    Arrays.fill(g, 0, n * in, Double.NaN); // overwritten, never read
                    blas.inputGradient(delta, w, n, in, out, g);
                    for (int r = 0; r < n; r++) {
                        for (int k = 0; k < in; k++) {
                            double s = 0.0;
                            double bound = 0.0;
                            for (int o = 0; o < out; o++) {
                                s += delta[r * out + o] * w[o * in + k];
                                bound += Math.abs(delta[r * out + o] * w[o * in + k]);
                            }
                            assertClose(g[r * in + k], s, bound, "g", n, in, out);
                        }
                    }
                    assertSpareUntouched(g, n * in);
                }
            }
        }
    }

    @Test
    void productsAllocateNothingPerCall() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int n = 32;
        int in = 50;
        int out = 20;
        double[] x = random(n * in);
        double[] w = random(out * in);
        double[] b = random(out);
        double[] z = new double[n * out];
        double[] dw = new double[out * in];
        double[] db = new double[out];
        double[] g = new double[n * in];
        for (int i = 0; i < 2_000; i++) { // warm up: class loading, JIT
            callAll(x, w, b, z, dw, db, g, n, in, out);
        }
        long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (int i = 0; i < 10_000; i++) {
            callAll(x, w, b, z, dw, db, g, n, in, out);
        }
        long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        // 30,000 calls: one small object per call would be >= 480 KB; the slack covers what the JIT and
        // the measurement itself may take (a few KB, not growing with the number of calls)
        assertThat(allocated).isLessThan(16_384);
    }

    private void callAll(double[] x, double[] w, double[] b, double[] z, double[] dw, double[] db, double[] g,
                         int n, int in, int out) {
        blas.forward(x, n, in, w, b, out, z);
        blas.weightGradient(z, x, n, in, out, dw, db);
        blas.inputGradient(z, w, n, in, out, g);
    }

    private static void assertClose(double actual, double expected, double bound, String what, int n, int in,
                                    int out) {
        assertThat(Math.abs(actual - expected)).as("%s n=%d in=%d out=%d: %s vs %s", what, n, in, out, actual,
                expected).isLessThanOrEqualTo(RELATIVE * bound + Double.MIN_NORMAL);
    }

    private static double[] withSpare(int size) {
        double[] a = new double[size + 5];
        Arrays.fill(a, SENTINEL);
        return a;
    }

    private static void assertSpareUntouched(double[] a, int used) {
        for (int i = used; i < a.length; i++) {
            assertThat(a[i]).as("entry %d past the %d used", i, used).isEqualTo(SENTINEL);
        }
    }

    private double[] random(int size) {
        double[] a = new double[size];
        for (int i = 0; i < size; i++) {
            a[i] = rnd.nextDouble(-1, 1) * Math.pow(10, rnd.nextInt(-3, 4));
        }
        return a;
    }
}
