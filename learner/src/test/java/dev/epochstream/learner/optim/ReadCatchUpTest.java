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
import org.junit.jupiter.params.provider.Arguments;
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

    /**
     * Catch-ups whose replay overflows one element: SGD with lr·wd = 1·3 multiplies a skipped weight by −2 a step
     * (1e300 overflows within 28 steps, weights of ~1 stay finite in 40); Adagrad with wd = 1e10 squares
     * wd·1e150 = 1e160 into its sum at the first replayed step (wd·~1 stays finite). Each with one lr run (side by
     * side and sweeps, per column with lr_decay) and with two (per column).
     */
    static Stream<Arguments> overflowingReplays() {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (boolean export : new boolean[] {false, true}) {
            for (boolean twoRuns : new boolean[] {false, true}) {
                cases.add(Arguments.of(new SgdConfig(1, 3), 1e300, 1.0, export, twoRuns));
                cases.add(Arguments.of(new AdagradConfig(0.1, 0, 1e10, 0.1, 1e-10), 1e150, 0.1, export, twoRuns));
                cases.add(Arguments.of(new AdagradConfig(0.1, 0.2, 1e10, 0.1, 1e-10), 1e150, 0.1, export, twoRuns));
            }
        }
        return cases.build();
    }

    @ParameterizedTest
    @MethodSource("overflowingReplays")
    void aCatchUpThatWouldOverflowKeepsTheElementAsItWasAndCatchesTheRestUpAsTheDenseRun(OptimizerConfig config,
            double big, double lr, boolean export, boolean twoRuns) {
        int rows = 2;
        int cols = 6;
        Random random = new Random(17);
        double[] w = new double[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = random.nextGaussian();
        }
        w[0] = big; // row 0 of column 0
        Parameters sparse = new Parameters(new double[][] {w.clone(), {0.5, -0.5}},
                new double[][] {new double[rows * cols], new double[rows]}, new int[] {rows, rows}, new int[] {cols, 1});
        Parameters dense = new Parameters(new double[][] {w, {0.5, -0.5}},
                new double[][] {new double[rows * cols], new double[rows]}, new int[] {rows, rows}, new int[] {cols, 1});
        Optimizer optimizer = config.create();
        OptimizerState sparseState = optimizer.newState(sparse);
        OptimizerState denseState = optimizer.newState(dense);
        int[] touched = {cols - 1}; // columns 0 .. 4 are skipped by every step
        for (int t = 0; t < 40; t++) {
            for (int r = 0; r < rows; r++) {
                sparse.grad(0)[r * cols + cols - 1] = dense.grad(0)[r * cols + cols - 1] = random.nextGaussian();
                sparse.grad(1)[r] = dense.grad(1)[r] = random.nextGaussian();
            }
            sparse.markSparse(0, touched, 1);
            dense.markDense();
            double stepLr = twoRuns && t >= 20 ? 1.5 * lr : lr;
            optimizer.step(sparse, sparseState, stepLr);
            optimizer.step(dense, denseState, stepLr);
        }
        double[] sumBefore = config instanceof AdagradConfig ? sparseState.buffer(0).clone() : null;
        assertThat(Double.isFinite(dense.value(0)[0]) && (sumBefore == null || Double.isFinite(denseState.buffer(0)[0])))
                .as("the unguarded dense run overflows that element").isFalse();

        if (export) {
            assertThat(optimizer.catchUpAll(sparse, sparseState)).isTrue();
        } else {
            int[] read = {4, 0, 2, 1, 3, 0};
            optimizer.catchUpColumns(sparse, sparseState, 0, read, read.length);
        }

        assertThat(sparse.value(0)[0]).as("the overflowing element keeps its value").isEqualTo(big);
        long[] actual = bits(sparse.value(0));
        long[] expected = bits(dense.value(0));
        actual[0] = expected[0] = 0;
        assertThat(actual).as("every other element is the dense run's").containsExactly(expected);
        assertThat(bits(sparse.value(1))).containsExactly(bits(dense.value(1)));
        if (sumBefore != null) {
            assertThat(sparseState.buffer(0)[0]).as("and its sum").isEqualTo(sumBefore[0]);
            long[] sums = bits(sparseState.buffer(0));
            long[] denseSums = bits(denseState.buffer(0));
            sums[0] = denseSums[0] = 0;
            assertThat(sums).containsExactly(denseSums);
        }
        assertThat(optimizer.catchUpAll(sparse, sparseState)).as("every column is current").isFalse();
    }

    @Test
    void sgdReplaysWithWeightDecayAndLrAtMostOneStayFiniteUnguardedEvenFromTheLargestDoubles() {
        for (double wd : new double[] {1, 0.7}) {
            for (double lr : new double[] {1, 0.3}) {
                SgdConfig config = new SgdConfig(lr, wd);
                Sgd sgd = config.create();
                assertThat(sgd.replayStaysFinite(lr)).isTrue();
                double[] w = {Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, -0.0, 1.5, 0.25};
                Parameters params = new Parameters(new double[][] {w, {0.0}},
                        new double[][] {new double[w.length], new double[1]}, new int[] {1, 1}, new int[] {w.length, 1});
                OptimizerState state = sgd.newState(params);
                int[] touched = {w.length - 1};
                for (int t = 0; t < 5; t++) {
                    params.markSparse(0, touched, 1);
                    sgd.step(params, state, lr);
                }
                int[] read = {0, 1, 2, 3, 4};
                sgd.catchUpColumns(params, state, 0, read, read.length);
                assertThat(Arrays.stream(params.value(0)).allMatch(Double::isFinite)).as("wd %s lr %s", wd, lr).isTrue();
            }
        }
        assertThat(new SgdConfig(1, 3).create().replayStaysFinite(1)).isFalse();
        assertThat(new SgdConfig(1.5, 1).create().replayStaysFinite(1.5)).isFalse();
        assertThat(new AdagradConfig(0.1, 0, 1e-4, 0.1, 1e-10).create().replayStaysFinite(0.1)).isFalse();
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
