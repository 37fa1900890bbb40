package dev.epochstream.learner.optim;

import static dev.epochstream.learner.optim.ThreeSteps.LR;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Adam, AdamW and AMSGrad against the paper's form with bias-corrected moments, per scalar. */
class AdamTest {

    private static ThreeSteps.ScalarRule adam(double b1, double b2, double eps, double wd, boolean decoupled,
                                              boolean amsgrad) {
        return (p, g) -> {
            double[] out = new double[3];
            double m = 0;
            double v = 0;
            double vMax = 0;
            double b1Power = 1;
            double b2Power = 1;
            for (int t = 0; t < 3; t++) {
                b1Power *= b1;
                b2Power *= b2;
                double grad = g[t];
                if (decoupled) {
                    p = p - LR * wd * p;
                } else {
                    grad += wd * p;
                }
                m = b1 * m + (1 - b1) * grad;
                v = b2 * v + (1 - b2) * grad * grad;
                vMax = Math.max(vMax, v);
                double mHat = m / (1 - b1Power);
                double vHat = (amsgrad ? vMax : v) / (1 - b2Power);
                p -= LR * mHat / (Math.sqrt(vHat) + eps);
                out[t] = p;
            }
            return out;
        };
    }

    @Test
    void defaultsAreTorchs() {
        assertThat(AdamConfig.defaults()).isEqualTo(new AdamConfig(1e-3, 0.9, 0.999, 1e-8, 0, false, false));
        assertThat(AdamWConfig.defaults()).isEqualTo(new AdamWConfig(1e-3, 0.9, 0.999, 1e-8, 1e-2, false, false));
    }

    @Test
    void adamSteps() {
        ThreeSteps.check(new AdamConfig(LR, 0.9, 0.999, 1e-8, 0, false, false), adam(0.9, 0.999, 1e-8, 0, false, false));
    }

    @Test
    void largeEpsShows() {
        ThreeSteps.check(new AdamConfig(LR, 0.8, 0.7, 0.5, 0, false, false), adam(0.8, 0.7, 0.5, 0, false, false));
    }

    @Test
    void adamWeightDecayIsAddedToTheGradient() {
        ThreeSteps.check(new AdamConfig(LR, 0.9, 0.999, 1e-8, 0.3, false, false), adam(0.9, 0.999, 1e-8, 0.3, false, false));
    }

    @Test
    void amsgradKeepsTheMaximumSecondMoment() {
        // beta2 = 0.5 lets v fall at step 3 below its step-2 value, so the maximum matters.
        ThreeSteps.check(new AdamConfig(LR, 0.9, 0.5, 1e-8, 0, true, false), adam(0.9, 0.5, 1e-8, 0, false, true));
        assertThat(ThreeSteps.run(new AdamConfig(LR, 0.9, 0.5, 1e-8, 0, true, false))[2][0])
                .isNotEqualTo(ThreeSteps.run(new AdamConfig(LR, 0.9, 0.5, 1e-8, 0, false, false))[2][0]);
    }

    @Test
    void adamwDecaysTheParameterFirst() {
        ThreeSteps.check(new AdamWConfig(LR, 0.9, 0.999, 1e-8, 0.3, false, false), adam(0.9, 0.999, 1e-8, 0.3, true, false));
    }

    @Test
    void adamwWithAmsgrad() {
        ThreeSteps.check(new AdamWConfig(LR, 0.9, 0.5, 1e-8, 0.3, true, false), adam(0.9, 0.5, 1e-8, 0.3, true, true));
    }

    /**
     * One Adam serves many models (the trainer's keys), each at its own step: the bias corrections it keeps
     * per step must follow each model's step, so interleaving two models gives what separate Adams give.
     */
    @Test
    void sharedBetweenModelsAtDifferentStepsActsAsSeparateInstances() {
        AdamConfig config = new AdamConfig(LR, 0.8, 0.7, 1e-8, 0, false, false);
        Optimizer shared = config.create();
        Parameters[] mixed = {tensor(0.5), tensor(-1.25)};
        Parameters[] alone = {tensor(0.5), tensor(-1.25)};
        OptimizerState[] mixedStates = {shared.newState(mixed[0]), shared.newState(mixed[1])};
        Optimizer[] own = {config.create(), config.create()};
        OptimizerState[] aloneStates = {own[0].newState(alone[0]), own[1].newState(alone[1])};
        int[] order = {0, 0, 0, 1, 0, 1, 1, 0};
        for (int t = 0; t < order.length; t++) {
            int m = order[t];
            double g = 0.3 * t - 0.7;
            mixed[m].grad(0)[0] = g;
            alone[m].grad(0)[0] = g;
            shared.step(mixed[m], mixedStates[m], LR);
            own[m].step(alone[m], aloneStates[m], LR);
        }
        for (int m = 0; m < 2; m++) {
            assertThat(Double.doubleToRawLongBits(mixed[m].value(0)[0]))
                    .isEqualTo(Double.doubleToRawLongBits(alone[m].value(0)[0]));
        }
    }

    private static Parameters tensor(double value) {
        return new Parameters(new double[][] {{value}}, new double[][] {{0}}, new int[] {1}, new int[] {1});
    }
}
