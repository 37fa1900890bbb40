package dev.epochstream.learner.loss;

import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.learner.nn.Activation;
import dev.epochstream.learner.nn.ActivationFunctions;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The fused softmax losses given the forward pass's row statistics ({@link Loss#valueGivenSoftmax},
 * {@link Loss#gradientGivenSoftmax}) return exactly the doubles of {@link Loss#value} and {@link Loss#gradient},
 * which recompute the exponentials themselves.
 */
class SoftmaxStatisticsTest {

    private static final int[] ROWS = {1, 3, 5, 7, 17};
    private static final int[] COLS = {2, 3, 10, 17};

    @Test
    void crossEntropyGivenSoftmaxIsBitIdentical() {
        check("cce", 1);
    }

    @Test
    void klDivergenceGivenSoftmaxIsBitIdentical() {
        check("kl", 0);
    }

    @Test
    void softmaxKeepsTheRowMaxAndTheSumOfShiftedExponentials() {
        DMatrixRMaj z = new DMatrixRMaj(2, 3, true, 1, 2, 3, -4, 0.5, -4);
        DMatrixRMaj a = new DMatrixRMaj(2, 3);
        double[] max = new double[2];
        double[] sum = new double[2];
        ActivationFunctions.softmax(z, a, max, sum);
        assertThat(max).containsExactly(3.0, 0.5);
        double s0 = StrictMath.exp(1 - 3.0) + StrictMath.exp(2 - 3.0) + StrictMath.exp(0.0);
        double s1 = StrictMath.exp(-4 - 0.5) + StrictMath.exp(0.0) + StrictMath.exp(-4 - 0.5);
        assertThat(sum).containsExactly(s0, s1);
        assertThat(a.data).containsExactly(StrictMath.exp(1 - 3.0) / s0, StrictMath.exp(2 - 3.0) / s0,
                StrictMath.exp(0.0) / s0, StrictMath.exp(-4 - 0.5) / s1, StrictMath.exp(0.0) / s1,
                StrictMath.exp(-4 - 0.5) / s1);
    }

    /** Random logits (some far apart) and valid targets: class indices (width 1) or distributions. */
    private static void check(String name, int targetWidth) {
        Loss loss = Losses.create(name, 1.0, 1.0, Activation.SOFTMAX, 0.01);
        SplittableRandom rnd = new SplittableRandom(17);
        for (int n : ROWS) {
            for (int k : COLS) {
                DMatrixRMaj z = new DMatrixRMaj(n, k);
                for (int i = 0; i < n * k; i++) {
                    z.data[i] = rnd.nextInt(4) == 0 ? rnd.nextDouble(-60, 60) : rnd.nextGaussian();
                }
                int width = targetWidth == 1 ? 1 : k;
                DMatrixRMaj t = new DMatrixRMaj(n, width);
                for (int r = 0; r < n; r++) {
                    if (width == 1) {
                        t.data[r] = rnd.nextInt(k);
                    } else {
                        double total = 0.0;
                        for (int j = 0; j < k; j++) {
                            t.data[r * k + j] = rnd.nextInt(3) == 0 ? 0.0 : rnd.nextDouble();
                            total += t.data[r * k + j];
                        }
                        for (int j = 0; j < k; j++) {
                            t.data[r * k + j] = total == 0.0 ? (j == 0 ? 1.0 : 0.0) : t.data[r * k + j] / total;
                        }
                    }
                }
                DMatrixRMaj a = new DMatrixRMaj(n, k);
                double[] max = new double[n];
                double[] sum = new double[n];
                ActivationFunctions.softmax(z, a, max, sum);

                double expected = loss.value(z, a, t);
                assertThat(Double.doubleToRawLongBits(loss.valueGivenSoftmax(z, a, max, sum, t)))
                        .as("%s value n=%d k=%d", name, n, k).isEqualTo(Double.doubleToRawLongBits(expected));
                DMatrixRMaj g = new DMatrixRMaj(1, 1);
                DMatrixRMaj gFused = new DMatrixRMaj(1, 1);
                double v = loss.gradient(z, a, t, g);
                double vFused = loss.gradientGivenSoftmax(z, a, max, sum, t, gFused);
                assertThat(Double.doubleToRawLongBits(vFused)).isEqualTo(Double.doubleToRawLongBits(v));
                assertThat(gFused.numRows).isEqualTo(n);
                assertThat(gFused.numCols).isEqualTo(k);
                for (int i = 0; i < n * k; i++) {
                    assertThat(Double.doubleToRawLongBits(gFused.data[i])).as("%s grad n=%d k=%d i=%d", name, n, k, i)
                            .isEqualTo(Double.doubleToRawLongBits(g.data[i]));
                }
            }
        }
    }
}
