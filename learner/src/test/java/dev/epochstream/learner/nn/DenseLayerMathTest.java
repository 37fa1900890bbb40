package dev.epochstream.learner.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The blocked dense products must give the very doubles of the documented order: every sum over its index
 * in ascending order from 0.0, the bias added last. Each is checked bit for bit against that plain loop,
 * written out here, over random shapes around the block sizes (1, 2, 3, 5, 7, 17, ... rows, inputs and
 * outputs), with data of mixed magnitudes and signed zeros, so that any change of order shows in the last
 * bits (or in the sign of a zero). Both implementations of {@link Gemm#REPRODUCIBLE} are checked: the scalar
 * kernels and the Vector API ones (sizes around their blocks of four rows by two vectors too).
 */
class DenseLayerMathTest {
    private static final int[] SIZES = {1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 15, 16, 17, 24, 31, 32, 33, 40, 64, 65};

    static Stream<DenseProducts> products() {
        return Stream.of(ReproducibleProducts.INSTANCE, new VectorizedProducts(new int[] {65, 65}, false));
    }

    @Test
    void testsRunWithTheVectorApiSoThatItsKernelsAreWhatTheyCheck() {
        // surefire's argLine adds jdk.incubator.vector; without it the job would silently run the scalar kernels
        assertThat(Gemm.vectorApiEnabled()).isTrue();
        assertThat(Gemm.REPRODUCIBLE.products(new int[] {64, 32, 10}, false)).isInstanceOf(VectorizedProducts.class);
    }

    @ParameterizedTest
    @MethodSource("products")
    void forwardDenseEqualsOneRunningSumPerOutputBitForBit(DenseProducts products) {
        SplittableRandom rnd = new SplittableRandom(12);
        for (int trial = 0; trial < 400; trial++) {
            int n = pick(rnd);
            int in = pick(rnd);
            int out = pick(rnd);
            double[] x = random(rnd, n * in);
            double[] w = random(rnd, out * in);
            double[] b = random(rnd, out);
            double[] z = new double[n * out];
            products.forward(x, n, in, w, b, out, z);
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

    @ParameterizedTest
    @MethodSource("products")
    void weightGradientDenseEqualsOneRunningSumPerEntryBitForBit(DenseProducts products) {
        SplittableRandom rnd = new SplittableRandom(13);
        for (int trial = 0; trial < 400; trial++) {
            int n = pick(rnd);
            int in = pick(rnd);
            int out = pick(rnd);
            double[] delta = random(rnd, n * out);
            double[] x = random(rnd, n * in);
            double[] dw = random(rnd, out * in); // stale values: must be overwritten
            double[] db = random(rnd, out);
            products.weightGradient(delta, x, n, in, out, dw, db);
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

    @ParameterizedTest
    @MethodSource("products")
    void inputGradientEqualsOneRunningSumPerEntryBitForBit(DenseProducts products) {
        SplittableRandom rnd = new SplittableRandom(14);
        for (int trial = 0; trial < 400; trial++) {
            int n = pick(rnd);
            int in = pick(rnd);
            int out = pick(rnd);
            double[] delta = random(rnd, n * out);
            double[] w = random(rnd, out * in);
            double[] g = random(rnd, n * in);
            products.inputGradient(delta, w, n, in, out, g);
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

    @ParameterizedTest
    @MethodSource("products")
    void productsOfNegativeZeroSumToPositiveZeroAsFromZeroPointZero(DenseProducts products) {
        // 0.0 + (-0.0) = 0.0: a kernel starting its sum from the first product would give -0.0; shapes of
        // 16 rows, inputs and outputs reach the vector kernels' blocks
        int m = 16;
        double[] minusZeros = new double[m * m];
        Arrays.fill(minusZeros, -0.0);
        double[] ones = new double[m * m];
        Arrays.fill(ones, 1.0);
        double[] z = new double[m * m];
        products.forward(minusZeros, m, m, ones, new double[m], m, z);
        assertBits(z[m * m - 1], 0.0 + -0.0, "forward");
        double[] dw = new double[m * m];
        products.weightGradient(ones, minusZeros, m, m, m, dw, new double[m]);
        assertBits(dw[m * m - 1], 0.0, "dW");
        double[] g = new double[m * m];
        products.inputGradient(minusZeros, ones, m, m, m, g);
        assertBits(g[m * m - 1], 0.0, "g");
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
