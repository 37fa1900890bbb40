package dev.epochstream.learner.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Three optimizer steps on one 1×2 tensor with gradients that change sign and size, so that bias
 * correction, AMSGrad's maximum, decay and momentum all show by step 3. Expected values come from each
 * test's own scalar transcription of the formula, one element at a time.
 */
final class ThreeSteps {
    static final double[] START = {1.0, -0.5};
    static final double[][] GRADS = {{0.5, -1.0}, {-2.0, 0.1}, {0.3, 3.0}};
    static final double LR = 0.1;

    /** Expected trajectory of one element: returns the parameter after each of the three steps. */
    interface ScalarRule {
        double[] run(double start, double[] grads);
    }

    private ThreeSteps() {
    }

    /** Runs {@code config}'s optimizer from {@link #START} with lr {@link #LR}; values after each step. */
    static double[][] run(OptimizerConfig config) {
        return run(config, START);
    }

    static double[][] run(OptimizerConfig config, double[] start) {
        double[] value = start.clone();
        double[] grad = new double[2];
        Parameters params = new Parameters(new double[][] {value}, new double[][] {grad}, new int[] {1}, new int[] {2});
        Optimizer optimizer = config.create();
        OptimizerState state = optimizer.newState(params);
        double[][] out = new double[3][];
        for (int t = 0; t < 3; t++) {
            System.arraycopy(GRADS[t], 0, grad, 0, 2);
            optimizer.step(params, state, LR);
            out[t] = value.clone();
        }
        assertThat(state.step()).isEqualTo(3);
        return out;
    }

    /** Asserts the optimizer's three steps against {@code rule} applied to each element. */
    static void check(OptimizerConfig config, ScalarRule rule) {
        check(config, START, rule);
    }

    static void check(OptimizerConfig config, double[] start, ScalarRule rule) {
        double[][] actual = run(config, start);
        for (int i = 0; i < 2; i++) {
            double[] expected = rule.run(start[i], new double[] {GRADS[0][i], GRADS[1][i], GRADS[2][i]});
            for (int t = 0; t < 3; t++) {
                assertThat(actual[t][i]).as("%s element %d after step %d", config, i, t + 1)
                        .isCloseTo(expected[t], within(1e-12));
            }
        }
    }
}
