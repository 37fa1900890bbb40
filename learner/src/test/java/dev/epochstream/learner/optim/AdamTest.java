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
}
