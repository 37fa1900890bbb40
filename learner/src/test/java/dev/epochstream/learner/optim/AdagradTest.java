package dev.epochstream.learner.optim;

import static dev.epochstream.learner.optim.ThreeSteps.LR;

import org.junit.jupiter.api.Test;

class AdagradTest {

    private static ThreeSteps.ScalarRule adagrad(double lrDecay, double wd, double initial, double eps) {
        return (p, g) -> {
            double[] out = new double[3];
            double sum = initial;
            for (int t = 0; t < 3; t++) {
                double rate = LR / (1 + t * lrDecay); // step t + 1
                double grad = g[t] + wd * p;
                sum += grad * grad;
                p -= rate * grad / (Math.sqrt(sum) + eps);
                out[t] = p;
            }
            return out;
        };
    }

    @Test
    void plainSteps() {
        ThreeSteps.check(new AdagradConfig(LR, 0, 0, 0, 1e-10), adagrad(0, 0, 0, 1e-10));
    }

    @Test
    void lrDecay() {
        ThreeSteps.check(new AdagradConfig(LR, 0.5, 0, 0, 1e-10), adagrad(0.5, 0, 0, 1e-10));
    }

    @Test
    void weightDecay() {
        ThreeSteps.check(new AdagradConfig(LR, 0, 0.3, 0, 1e-10), adagrad(0, 0.3, 0, 1e-10));
    }

    @Test
    void initialAccumulatorAndLargeEps() {
        ThreeSteps.check(new AdagradConfig(LR, 0, 0, 0.7, 0.2), adagrad(0, 0, 0.7, 0.2));
    }

    @Test
    void everythingAtOnce() {
        ThreeSteps.check(new AdagradConfig(LR, 0.25, 0.1, 0.4, 1e-3), adagrad(0.25, 0.1, 0.4, 1e-3));
    }
}
