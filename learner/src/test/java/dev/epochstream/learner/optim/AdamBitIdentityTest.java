package dev.epochstream.learner.optim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Adam's update must give the very doubles of torch's formula in torch's order of operations, written out
 * here one scalar at a time, over many steps: through the vectorisable whole-tensor loop (the default,
 * dense) and, past the saturation of the bias corrections, its form without the division by √bc2 = 1.0;
 * and through the general loop (weight decay, amsgrad, AdamW) for comparison.
 */
class AdamBitIdentityTest {

    @Test
    void defaultAdamEqualsTorchsFormulaBitForBitAcrossSaturation() {
        // betas 0.5 and 0.6: both beta^t fall below 2^-60 by step ~82, so the 150 steps cross saturation
        check(new AdamConfig(1e-2, 0.5, 0.6, 1e-8, 0, false, false), 0.5, 0.6, 1e-8, 0, false, 150);
        check(new AdamConfig(1e-3, 0.9, 0.999, 1e-8, 0, false, false), 0.9, 0.999, 1e-8, 0, false, 60);
    }

    @Test
    void adamWithWeightDecayAndAmsgradEqualTorchsFormulaBitForBit() {
        check(new AdamConfig(1e-2, 0.5, 0.6, 1e-3, 0.1, false, false), 0.5, 0.6, 1e-3, 0.1, false, 100);
        check(new AdamConfig(1e-2, 0.5, 0.6, 1e-3, 0, true, false), 0.5, 0.6, 1e-3, 0, true, 100);
    }

    private static void check(OptimizerConfig config, double beta1, double beta2, double eps, double weightDecay,
                              boolean amsgrad, int steps) {
        SplittableRandom rnd = new SplittableRandom(21);
        int[] rows = {3, 1, 5};
        int[] cols = {17, 1, 8};
        double[][] values = new double[3][];
        double[][] grads = new double[3][];
        double[][] p = new double[3][];
        double[][] m = new double[3][];
        double[][] v = new double[3][];
        double[][] vMax = new double[3][];
        for (int k = 0; k < 3; k++) {
            int size = rows[k] * cols[k];
            values[k] = new double[size];
            grads[k] = new double[size];
            for (int i = 0; i < size; i++) {
                values[k][i] = rnd.nextDouble(-1, 1);
            }
            p[k] = values[k].clone();
            m[k] = new double[size];
            v[k] = new double[size];
            vMax[k] = new double[size];
        }
        Parameters params = new Parameters(values, grads, rows, cols);
        Optimizer optimizer = config.create();
        OptimizerState state = optimizer.newState(params);
        double lr = 1e-2;
        for (int t = 1; t <= steps; t++) {
            for (int k = 0; k < 3; k++) {
                for (int i = 0; i < grads[k].length; i++) {
                    grads[k][i] = rnd.nextDouble(-1, 1) * Math.pow(10, rnd.nextInt(-3, 3));
                }
            }
            optimizer.step(params, state, lr);
            double bc1 = 1 - StrictMath.pow(beta1, t);
            double bc2 = 1 - StrictMath.pow(beta2, t);
            double stepSize = lr / bc1;
            for (int k = 0; k < 3; k++) {
                for (int i = 0; i < p[k].length; i++) {
                    double g = grads[k][i];
                    if (weightDecay != 0) {
                        g = g + weightDecay * p[k][i];
                    }
                    m[k][i] = m[k][i] * beta1 + (1 - beta1) * g;
                    v[k][i] = v[k][i] * beta2 + (1 - beta2) * g * g;
                    vMax[k][i] = Math.max(vMax[k][i], v[k][i]);
                    double denom = Math.sqrt(amsgrad ? vMax[k][i] : v[k][i]) / Math.sqrt(bc2) + eps;
                    p[k][i] = p[k][i] + -stepSize * m[k][i] / denom;
                    assertThat(Double.doubleToRawLongBits(values[k][i]))
                            .as("%s tensor %d element %d step %d", config, k, i, t)
                            .isEqualTo(Double.doubleToRawLongBits(p[k][i]));
                }
            }
        }
    }
}
