package dev.epochstream.learner.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The blocked dense products must give the very doubles of the documented order: every sum over its index
 * in ascending order from 0.0, the bias added last. Each is checked bit for bit against that plain loop,
 * written out here, over random shapes around the block sizes (1, 2, 3, 5, 7, 17, ... rows, inputs and
 * outputs), with data of mixed magnitudes and signed zeros, so that any change of order shows in the last
 * bits (or in the sign of a zero).
 */
class DenseLayerMathTest {
    private static final int[] SIZES = {1, 2, 3, 4, 5, 7, 8, 9, 10, 16, 17, 31, 33, 64};

    @Test
    void forwardDenseEqualsOneRunningSumPerOutputBitForBit() {
        SplittableRandom rnd = new SplittableRandom(12);
        for (int trial = 0; trial < 400; trial++) {
            int n = pick(rnd);
            int in = pick(rnd);
            int out = pick(rnd);
            double[] x = random(rnd, n * in);
            double[] w = random(rnd, out * in);
            double[] b = random(rnd, out);
            double[] z = new double[n * out];
            DenseLayerMath.forwardDense(x, n, in, w, b, out, z);
            for (int r = 0; r < n; r++) {
                for (int o = 0; o < out; o++) {
                    double s = 0.0;
                    for (int k = 0; k < in; k++) {
                        s += x[r * in + k] * w[o * in + k];
                    }
                    assertBits(z[r * out + o], s + b[o], "forward n=%d in=%d out=%d r=%d o=%d", n, in, out, r, o);
                }
            }
        }
    }

    @Test
    void weightGradientDenseEqualsOneRunningSumPerEntryBitForBit() {
        SplittableRandom rnd = new SplittableRandom(13);
        for (int trial = 0; trial < 400; trial++) {
            int n = pick(rnd);
            int in = pick(rnd);
            int out = pick(rnd);
            double[] delta = random(rnd, n * out);
            double[] x = random(rnd, n * in);
            double[] dw = random(rnd, out * in); // stale values: must be overwritten
            double[] db = random(rnd, out);
            DenseLayerMath.weightGradientDense(delta, x, n, in, out, dw, db);
            for (int o = 0; o < out; o++) {
                for (int k = 0; k < in; k++) {
                    double s = 0.0;
                    for (int r = 0; r < n; r++) {
                        s += delta[r * out + o] * x[r * in + k];
                    }
                    assertBits(dw[o * in + k], s, "dW n=%d in=%d out=%d o=%d k=%d", n, in, out, o, k);
                }
                double sb = 0.0;
                for (int r = 0; r < n; r++) {
                    sb += delta[r * out + o];
                }
                assertBits(db[o], sb, "db n=%d out=%d o=%d", n, out, o);
            }
        }
    }

    @Test
    void inputGradientEqualsOneRunningSumPerEntryBitForBit() {
        SplittableRandom rnd = new SplittableRandom(14);
        for (int trial = 0; trial < 400; trial++) {
            int n = pick(rnd);
            int in = pick(rnd);
            int out = pick(rnd);
            double[] delta = random(rnd, n * out);
            double[] w = random(rnd, out * in);
            double[] g = random(rnd, n * in);
            DenseLayerMath.inputGradient(delta, w, n, in, out, g);
            for (int r = 0; r < n; r++) {
                for (int k = 0; k < in; k++) {
                    double s = 0.0;
                    for (int o = 0; o < out; o++) {
                        s += delta[r * out + o] * w[o * in + k];
                    }
                    assertBits(g[r * in + k], s, "g n=%d in=%d out=%d r=%d k=%d", n, in, out, r, k);
                }
            }
        }
    }

    @Test
    void productsOfNegativeZeroSumToPositiveZeroAsFromZeroPointZero() {
        // 0.0 + (-0.0) = 0.0: a kernel starting its sum from the first product would give -0.0
        double[] x = {-0.0, -0.0, -0.0, -0.0, -0.0};
        double[] w = {1.0, 1.0, 1.0, 1.0, 1.0};
        double[] z = new double[1];
        DenseLayerMath.forwardDense(x, 1, 5, w, new double[] {-0.0}, 1, z);
        assertBits(z[0], 0.0 + -0.0, "forward");
        double[] dw = new double[5];
        DenseLayerMath.weightGradientDense(new double[] {1.0}, x, 1, 5, 1, dw, new double[1]);
        assertBits(dw[4], 0.0, "dW");
        double[] g = new double[5];
        DenseLayerMath.inputGradient(new double[] {-0.0, -0.0, -0.0, -0.0, -0.0}, w, 1, 1, 5, g);
        assertBits(g[0], 0.0, "g");
    }

    private static void assertBits(double actual, double expected, String what, Object... args) {
        assertThat(Double.doubleToRawLongBits(actual)).as(what, args)
                .isEqualTo(Double.doubleToRawLongBits(expected));
    }

    private static int pick(SplittableRandom rnd) {
        return SIZES[rnd.nextInt(SIZES.length)];
    }

    private static double[] random(SplittableRandom rnd, int size) {
        double[] a = new double[size];
        for (int i = 0; i < size; i++) {
            int kind = rnd.nextInt(20);
            if (kind == 0) {
                a[i] = 0.0;
            } else if (kind == 1) {
                a[i] = -0.0;
            } else {
                // mixed magnitudes make a changed summation order show in the last bits
                a[i] = rnd.nextDouble(-1, 1) * Math.pow(10, rnd.nextInt(-6, 7));
            }
        }
        return a;
    }
}
