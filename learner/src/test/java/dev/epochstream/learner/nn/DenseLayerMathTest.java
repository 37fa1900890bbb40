package dev.epochstream.learner.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The blocked forward product must give the very doubles of the documented order: one running sum per
 * output over k ascending from 0.0, the bias added last. Checked bit for bit against that loop, written
 * out here, for output counts around the block size of four.
 */
class DenseLayerMathTest {

    @Test
    void forwardDenseEqualsOneRunningSumPerOutputBitForBit() {
        SplittableRandom rnd = new SplittableRandom(12);
        for (int out = 1; out <= 11; out++) {
            int n = 3;
            int in = 37;
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
                    assertThat(Double.doubleToRawLongBits(z[r * out + o])).as("out=%d r=%d o=%d", out, r, o)
                            .isEqualTo(Double.doubleToRawLongBits(s + b[o]));
                }
            }
        }
    }

    private static double[] random(SplittableRandom rnd, int size) {
        double[] a = new double[size];
        for (int i = 0; i < size; i++) {
            // mixed magnitudes make a changed summation order show in the last bits
            a[i] = rnd.nextDouble(-1, 1) * Math.pow(10, rnd.nextInt(-6, 7));
        }
        return a;
    }
}
