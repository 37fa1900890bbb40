package dev.epochstream.learner.optim;

import static dev.epochstream.learner.optim.ThreeSteps.LR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FtrlTest {
    private static final double[] ZERO = {0, 0};

    /** McMahan et al. 2013, Algorithm 1, for one coordinate starting from w = 0. */
    private static ThreeSteps.ScalarRule ftrl(double alpha, double beta, double l1, double l2) {
        return (w, g) -> {
            double[] out = new double[3];
            double z = 0;
            double n = 0;
            for (int t = 0; t < 3; t++) {
                double sigma = (Math.sqrt(n + g[t] * g[t]) - Math.sqrt(n)) / alpha;
                z += g[t] - sigma * w;
                n += g[t] * g[t];
                w = Math.abs(z) <= l1 ? 0 : -(z - Math.signum(z) * l1) / ((beta + Math.sqrt(n)) / alpha + l2);
                out[t] = w;
            }
            return out;
        };
    }

    @Test
    void plainSteps() {
        ThreeSteps.check(new FtrlConfig(LR, 1.0, 0, 0), ZERO, ftrl(LR, 1.0, 0, 0));
    }

    @Test
    void l1ZeroesSmallCoordinates() {
        ThreeSteps.check(new FtrlConfig(LR, 1.0, 0.6, 0), ZERO, ftrl(LR, 1.0, 0.6, 0));
        // |z| = 0.5 <= l1 after step 1 for element 0: exactly zero.
        assertThat(ThreeSteps.run(new FtrlConfig(LR, 1.0, 0.6, 0), ZERO)[0][0]).isEqualTo(0.0);
    }

    @Test
    void l2AndBeta() {
        ThreeSteps.check(new FtrlConfig(LR, 0.5, 0, 2.0), ZERO, ftrl(LR, 0.5, 0, 2.0));
    }

    @Test
    void l1AndL2() {
        ThreeSteps.check(new FtrlConfig(LR, 1.0, 0.3, 1.0), ZERO, ftrl(LR, 1.0, 0.3, 1.0));
    }

    @Test
    void lrIsAlpha() {
        assertThat(FtrlConfig.defaults().lr()).isEqualTo(0.1);
        assertThat(new FtrlConfig(0.25, 1, 0, 0).lr()).isEqualTo(0.25);
    }

    @Test
    void firstStepFromNonZeroInitialWeightIsAProximalGradientStep() {
        // z starts where the weight at n = 0 is w0, so step 1 gives w0 − g / ((beta + |g|)/alpha + l2).
        double beta = 1.0;
        double l1 = 0.01;
        double l2 = 0.5;
        double[][] steps = ThreeSteps.run(new FtrlConfig(LR, beta, l1, l2));
        for (int i = 0; i < 2; i++) {
            double g = ThreeSteps.GRADS[0][i];
            double expected = ThreeSteps.START[i] - g / ((beta + Math.abs(g)) / LR + l2);
            assertThat(steps[0][i]).isCloseTo(expected, within(1e-12));
        }
    }

    @Test
    void zeroGradientChangesNothing() {
        double[] value = {0.7, -0.3, 0};
        double[] grad = new double[3];
        Parameters params = new Parameters(new double[][] {value}, new double[][] {grad}, new int[] {1}, new int[] {3});
        Ftrl ftrl = new FtrlConfig(0.1, 1.0, 0.2, 0.3).create();
        OptimizerState state = ftrl.newState(params);
        ftrl.step(params, state, 0.1);
        assertThat(value).containsExactly(0.7, -0.3, 0);
        assertThat(state.buffer(1)).containsExactly(0, 0, 0);
    }
}
