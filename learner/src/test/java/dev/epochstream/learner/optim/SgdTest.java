package dev.epochstream.learner.optim;

import static dev.epochstream.learner.optim.ThreeSteps.LR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SgdTest {

    private static ThreeSteps.ScalarRule sgd(double weightDecay) {
        return (p, g) -> {
            double[] out = new double[3];
            for (int t = 0; t < 3; t++) {
                p -= LR * (g[t] + weightDecay * p);
                out[t] = p;
            }
            return out;
        };
    }

    @Test
    void plainSteps() {
        ThreeSteps.check(new SgdConfig(LR, 0), sgd(0));
    }

    @Test
    void weightDecayIsAddedToTheGradient() {
        ThreeSteps.check(new SgdConfig(LR, 0.3), sgd(0.3));
    }

    /** Momentum m, dampening d, weight decay wd, Nesterov: torch's SGD written out per scalar. */
    private static ThreeSteps.ScalarRule momentum(double m, double d, double wd, boolean nesterov) {
        return (p, g) -> {
            double[] out = new double[3];
            double buf = 0;
            for (int t = 0; t < 3; t++) {
                double grad = g[t] + wd * p;
                buf = t == 0 ? grad : m * buf + (1 - d) * grad;
                double direction = nesterov ? grad + m * buf : buf;
                p -= LR * direction;
                out[t] = p;
            }
            return out;
        };
    }

    @Test
    void momentumSteps() {
        ThreeSteps.check(new MomentumConfig(LR, 0.9, 0, 0, false, false), momentum(0.9, 0, 0, false));
    }

    @Test
    void momentumWithDampeningAndWeightDecay() {
        ThreeSteps.check(new MomentumConfig(LR, 0.8, 0.3, 0.2, false, false), momentum(0.8, 0.3, 0.2, false));
    }

    @Test
    void nesterovSteps() {
        ThreeSteps.check(new MomentumConfig(LR, 0.9, 0, 0, true, false), momentum(0.9, 0, 0, true));
    }

    @Test
    void nesterovWithWeightDecay() {
        ThreeSteps.check(new MomentumConfig(LR, 0.7, 0, 0.1, true, false), momentum(0.7, 0, 0.1, true));
    }

    @Test
    void firstMomentumStepIsPlainSgd() {
        double[][] steps = ThreeSteps.run(new MomentumConfig(LR, 0.9, 0.5, 0, false, false));
        // torch clones the gradient into the buffer at the first step: dampening does not apply yet.
        assertThat(steps[0][0]).isCloseTo(1.0 - 0.1 * 0.5, within(1e-12));
    }
}
