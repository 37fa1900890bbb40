package dev.epochstream.learner.optim;

import static dev.epochstream.learner.optim.TwinRun.COLS;
import static dev.epochstream.learner.optim.TwinRun.bits;
import static dev.epochstream.learner.optim.TwinRun.columnBits;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Sparse column updates of SGD, Adagrad and FTRL against the dense run, bit for bit. */
class SparseUpdateTest {
    private static final int LAST = COLS - 1;

    static Stream<OptimizerConfig> exact() {
        return Stream.of(
                new SgdConfig(0.1, 0),
                new SgdConfig(0.1, 0.3),
                new AdagradConfig(0.1, 0, 0, 0, 1e-10),
                new AdagradConfig(0.1, 0.2, 0.3, 0.1, 1e-10),
                new FtrlConfig(0.1, 1.0, 0.05, 0.5));
    }

    /** Own buffers of the optimizer: Adagrad's sums, FTRL's z and n (not SGD/Adagrad's bookkeeping). */
    private static int ownBuffers(OptimizerConfig config) {
        return config instanceof SgdConfig ? 0 : config instanceof AdagradConfig ? 2 : 4;
    }

    private static void assertSameAsDense(TwinRun run, OptimizerConfig config) {
        for (int k = 0; k < 2; k++) {
            assertThat(bits(run.sparse.value(k))).as("tensor %d", k).containsExactly(bits(run.dense.value(k)));
        }
        for (int b = 0; b < ownBuffers(config); b++) {
            assertThat(bits(run.sparseState.buffer(b))).as("buffer %d", b).containsExactly(bits(run.denseState.buffer(b)));
        }
    }

    @ParameterizedTest
    @MethodSource("exact")
    void touchedColumnsMatchTheDenseRunAtEveryStepAndAllMatchAfterCatchUp(OptimizerConfig config) {
        TwinRun run = new TwinRun(config, 7);
        double[] initialLast = run.sparse.value(0).clone();
        for (int t = 0; t < 30; t++) {
            double lr = 0.1 * (1 + t / 7); // changes every 7 steps, as a schedule would
            int[] columns = run.randomColumns(LAST); // the last column is never touched here
            run.step(lr, columns);
            for (int c : columns) {
                assertThat(columnBits(run.sparse.value(0), c)).containsExactly(columnBits(run.dense.value(0), c));
            }
            assertThat(bits(run.sparse.value(1))).containsExactly(bits(run.dense.value(1)));
        }
        assertThat(columnBits(run.sparse.value(0), LAST)).as("skipped, not yet caught up")
                .containsExactly(columnBits(initialLast, LAST));
        run.step(0.05, TwinRun.allColumns());
        assertSameAsDense(run, config);
    }

    @ParameterizedTest
    @MethodSource("exact")
    void aDenseStepCatchesUpEveryColumn(OptimizerConfig config) {
        TwinRun run = new TwinRun(config, 11);
        for (int t = 0; t < 12; t++) {
            run.step(0.1 / (1 + t % 3), run.randomColumns(LAST));
        }
        run.stepWith(0.2, true, 0, 2);
        assertSameAsDense(run, config);
        for (int t = 0; t < 5; t++) {
            run.step(0.3, run.randomColumns(LAST));
        }
        run.step(0.3, TwinRun.allColumns());
        assertSameAsDense(run, config);
    }

    @ParameterizedTest
    @MethodSource("exact")
    void moreLearningRatesThanTheHistoryHoldsStillCatchUpExactly(OptimizerConfig config) {
        TwinRun run = new TwinRun(config, 3);
        int steps = 3 * CatchUpOptimizer.MAX_RUNS + 5;
        for (int t = 0; t < steps; t++) {
            run.step(0.1 / (1 + 0.01 * t), run.randomColumns(LAST)); // a new lr at every step
        }
        run.step(0.1, TwinRun.allColumns());
        assertSameAsDense(run, config);
    }

    @ParameterizedTest
    @MethodSource("exact")
    void withoutWeightDecayAnUntouchedColumnNeverChanges(OptimizerConfig config) {
        if (config instanceof SgdConfig s && s.weightDecay() != 0
                || config instanceof AdagradConfig a && a.weightDecay() != 0) {
            return; // with weight decay the dense run does move it; covered above
        }
        TwinRun run = new TwinRun(config, 5);
        for (int t = 0; t < 6; t++) {
            run.step(0.1, 0, 1);
        }
        assertThat(columnBits(run.dense.value(0), LAST)).containsExactly(columnBits(run.sparse.value(0), LAST));
    }
}
