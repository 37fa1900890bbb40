package dev.epochstream.learner.optim;

import static dev.epochstream.learner.optim.TwinRun.COLS;
import static dev.epochstream.learner.optim.TwinRun.bits;
import static dev.epochstream.learner.optim.TwinRun.columnBits;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Catching skipped columns up before a read ({@code catchUpColumns}) and before an export ({@code catchUpAll}),
 * after steps with one learning rate: SGD and Adagrad without lr_decay replay a read's lagging elements four side
 * by side and sweep an export's stretches of columns behind by the same steps, Adagrad with lr_decay replays
 * one column at a time. Either way the dense run's values and state, bit for bit.
 */
class ReadCatchUpTest {

    static Stream<OptimizerConfig> withWeightDecay() {
        return Stream.of(
                new SgdConfig(0.1, 0.3),
                new AdagradConfig(0.1, 0, 0.3, 0.1, 1e-10),
                new AdagradConfig(0.1, 0.2, 0.3, 0.1, 1e-10));
    }

    @ParameterizedTest
    @MethodSource("withWeightDecay")
    void columnsCaughtUpForAReadAndThenAllForAnExportAreTheDenseRuns(OptimizerConfig config) {
        TwinRun run = new TwinRun(config, 5);
        for (int t = 0; t < 40; t++) {
            run.step(0.1, run.randomColumns(COLS - 1)); // one lr throughout; the last column is never touched
        }
        int last = COLS - 1;
        assertThat(columnBits(run.sparse.value(0), last)).as("behind before the read")
                .isNotEqualTo(columnBits(run.dense.value(0), last));

        int[] read = {3, last, 1, 3}; // a repeated column is caught up once
        run.optimizer.catchUpColumns(run.sparse, run.sparseState, 0, read, read.length);
        for (int c : read) {
            assertThat(columnBits(run.sparse.value(0), c)).as("column %d", c)
                    .containsExactly(columnBits(run.dense.value(0), c));
        }

        for (int t = 0; t < 9; t++) {
            run.step(0.1, run.randomColumns(2)); // columns 2.. fall behind again, by different steps
        }
        assertThat(run.optimizer.catchUpAll(run.sparse, run.sparseState)).isTrue();
        for (int k = 0; k < 2; k++) {
            assertThat(bits(run.sparse.value(k))).as("tensor %d", k).containsExactly(bits(run.dense.value(k)));
        }
        if (config instanceof AdagradConfig) {
            assertThat(bits(run.sparseState.buffer(0))).as("sums").containsExactly(bits(run.denseState.buffer(0)));
        }
        assertThat(run.optimizer.catchUpAll(run.sparse, run.sparseState)).as("nothing left behind").isFalse();
    }

    @ParameterizedTest
    @MethodSource("withWeightDecay")
    void elementsBehindByDifferentStepsAreEachCaughtUpByTheirOwn(OptimizerConfig config) {
        int cols = 11;
        Random random = new Random(9);
        double[] w = new double[cols];
        for (int c = 0; c < cols; c++) {
            w[c] = random.nextGaussian();
        }
        Parameters sparse = new Parameters(new double[][] {w.clone(), {0.5}},
                new double[][] {new double[cols], new double[1]}, new int[] {1, 1}, new int[] {cols, 1});
        Parameters dense = new Parameters(new double[][] {w, {0.5}},
                new double[][] {new double[cols], new double[1]}, new int[] {1, 1}, new int[] {cols, 1});
        Optimizer optimizer = config.create();
        OptimizerState sparseState = optimizer.newState(sparse);
        OptimizerState denseState = optimizer.newState(dense);
        int[] touched = new int[cols];
        for (int t = 0; t < 30; t++) {
            // column c is touched when t % (c + 1) == 0: after the loop each is behind by its own number of steps
            Arrays.fill(sparse.grad(0), 0.0);
            Arrays.fill(dense.grad(0), 0.0);
            int n = 0;
            for (int c = 0; c < cols; c++) {
                if (t % (c + 1) == 0) {
                    touched[n++] = c;
                    sparse.grad(0)[c] = dense.grad(0)[c] = random.nextGaussian();
                }
            }
            sparse.grad(1)[0] = dense.grad(1)[0] = random.nextGaussian();
            sparse.markSparse(0, touched, n);
            dense.markDense();
            optimizer.step(sparse, sparseState, 0.1);
            optimizer.step(dense, denseState, 0.1);
        }
        int[] all = new int[cols];
        for (int c = 0; c < cols; c++) {
            all[c] = c;
        }
        optimizer.catchUpColumns(sparse, sparseState, 0, all, cols);
        assertThat(bits(sparse.value(0))).containsExactly(bits(dense.value(0)));
        if (config instanceof AdagradConfig) {
            assertThat(bits(sparseState.buffer(0))).containsExactly(bits(denseState.buffer(0)));
        }
    }

    @Test
    void theReplaysHeapSortOrdersAsArraysSortDoes() {
        Random random = new Random(3);
        for (int n : new int[] {0, 1, 2, 3, 7, 64, 1000}) {
            long[] a = new long[n + 5];
            for (int i = 0; i < a.length; i++) {
                a[i] = random.nextInt(50) == 0 ? Long.MAX_VALUE : (long) random.nextInt(20) << 32 | random.nextInt(9);
            }
            long[] expected = a.clone();
            Arrays.sort(expected, 0, n);
            CatchUpOptimizer.heapSort(a, n);
            assertThat(a).as("n = %d, the tail untouched", n).containsExactly(expected);
        }
    }
}
