package dev.epochstream.learner.optim;

import static dev.epochstream.learner.optim.ThreeSteps.LR;

import org.junit.jupiter.api.Test;

class RmspropTest {

    private static ThreeSteps.ScalarRule rmsprop(double alpha, double eps, double wd, double momentum,
                                                 boolean centered) {
        return (p, g) -> {
            double[] out = new double[3];
            double sq = 0;
            double mean = 0;
            double buf = 0;
            for (int t = 0; t < 3; t++) {
                double grad = g[t] + wd * p;
                sq = alpha * sq + (1 - alpha) * grad * grad;
                mean = alpha * mean + (1 - alpha) * grad;
                double variance = centered ? sq - mean * mean : sq;
                double avg = Math.sqrt(variance) + eps;
                if (momentum > 0) {
                    buf = momentum * buf + grad / avg;
                    p -= LR * buf;
                } else {
                    p -= LR * grad / avg;
                }
                out[t] = p;
            }
            return out;
        };
    }

    @Test
    void plainSteps() {
        ThreeSteps.check(new RmspropConfig(LR, 0.9, 1e-8, 0, 0, false, false), rmsprop(0.9, 1e-8, 0, 0, false));
    }

    @Test
    void defaultAlphaAndLargeEps() {
        ThreeSteps.check(new RmspropConfig(LR, 0.99, 0.1, 0, 0, false, false), rmsprop(0.99, 0.1, 0, 0, false));
    }

    @Test
    void centered() {
        ThreeSteps.check(new RmspropConfig(LR, 0.9, 1e-8, 0, 0, true, false), rmsprop(0.9, 1e-8, 0, 0, true));
    }

    @Test
    void momentum() {
        ThreeSteps.check(new RmspropConfig(LR, 0.9, 1e-8, 0, 0.8, false, false), rmsprop(0.9, 1e-8, 0, 0.8, false));
    }

    @Test
    void centeredWithMomentumAndWeightDecay() {
        ThreeSteps.check(new RmspropConfig(LR, 0.9, 1e-8, 0.2, 0.8, true, false), rmsprop(0.9, 1e-8, 0.2, 0.8, true));
    }
}
