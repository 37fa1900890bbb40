package dev.epochstream.learner.optim;

import static dev.epochstream.learner.optim.ThreeSteps.LR;

import org.junit.jupiter.api.Test;

class AdadeltaTest {

    private static ThreeSteps.ScalarRule adadelta(double rho, double eps, double wd) {
        return (p, g) -> {
            double[] out = new double[3];
            double sq = 0;
            double acc = 0;
            for (int t = 0; t < 3; t++) {
                double grad = g[t] + wd * p;
                sq = rho * sq + (1 - rho) * grad * grad;
                double delta = Math.sqrt((acc + eps) / (sq + eps)) * grad;
                acc = rho * acc + (1 - rho) * delta * delta;
                p -= LR * delta;
                out[t] = p;
            }
            return out;
        };
    }

    @Test
    void torchDefaults() {
        ThreeSteps.check(new AdadeltaConfig(LR, 0.9, 1e-6, 0, false), adadelta(0.9, 1e-6, 0));
    }

    @Test
    void largeEpsAndOtherRho() {
        ThreeSteps.check(new AdadeltaConfig(LR, 0.5, 0.1, 0, false), adadelta(0.5, 0.1, 0));
    }

    @Test
    void weightDecay() {
        ThreeSteps.check(new AdadeltaConfig(LR, 0.9, 1e-2, 0.3, false), adadelta(0.9, 1e-2, 0.3));
    }
}
