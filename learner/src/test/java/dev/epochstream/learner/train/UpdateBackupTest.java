package dev.epochstream.learner.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.learner.optim.AdagradConfig;
import dev.epochstream.learner.optim.Optimizer;
import dev.epochstream.learner.optim.OptimizerState;
import dev.epochstream.learner.optim.Parameters;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UpdateBackupTest {
    private static final int ROWS = 3;
    private static final int COLS = 7;

    private final Parameters params = new Parameters(new double[][] {new double[ROWS * COLS], new double[ROWS]},
            new double[][] {new double[ROWS * COLS], new double[ROWS]}, new int[] {ROWS, ROWS}, new int[] {COLS, 1});
    private final Optimizer optimizer = AdagradConfig.defaults().create();
    private final OptimizerState state = optimizer.newState(params);
    private final UpdateBackup backup = new UpdateBackup(params);
    private final int[] touched = {0, 2, 3, 6};

    private void saveSparse() {
        params.markSparse(0, touched, touched.length);
        backup.save(params, state, optimizer);
    }

    @ParameterizedTest
    @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void aNonFiniteTouchedElementInAnyRowOfTheWeightsOrOfTheSumIsFound(double bad) {
        saveSparse();
        for (int row = 0; row < ROWS; row++) {
            for (int c : touched) {
                int i = row * COLS + c;
                params.value(0)[i] = bad;
                assertThat(backup.changedAllFinite(params, state, optimizer)).as("weight %d", i).isFalse();
                params.value(0)[i] = 0.0;
                state.buffer(0)[i] = bad;
                assertThat(backup.changedAllFinite(params, state, optimizer)).as("sum %d", i).isFalse();
                state.buffer(0)[i] = 0.0;
            }
        }
        assertThat(backup.changedAllFinite(params, state, optimizer)).isTrue();
    }

    @Test
    void extremeFiniteValuesPassAndUntouchedColumnsAreNotChecked() {
        saveSparse();
        double[] w = params.value(0);
        w[0] = Double.MAX_VALUE;
        w[2] = -Double.MAX_VALUE;
        w[3] = Double.MIN_VALUE;
        w[6] = -0.0;
        w[COLS + 6] = Math.nextDown(Double.POSITIVE_INFINITY);
        w[2 * COLS] = -Double.MIN_NORMAL;
        w[1] = Double.NaN; // column 1 is not touched: a sparse step cannot have changed it
        w[COLS + 5] = Double.POSITIVE_INFINITY;
        assertThat(backup.changedAllFinite(params, state, optimizer)).isTrue();
    }

    @Test
    void restorePutsBackEveryTouchedElementOfEveryRowBitForBit() {
        double[] w = params.value(0);
        double[] sum = state.buffer(0);
        for (int i = 0; i < w.length; i++) {
            w[i] = i - 10.5;
            sum[i] = 0.25 * i;
        }
        saveSparse();
        for (int i = 0; i < w.length; i++) {
            w[i] = Double.NaN;
            sum[i] = -1;
        }
        backup.restore(params, state, optimizer);
        for (int row = 0; row < ROWS; row++) {
            for (int c = 0; c < COLS; c++) {
                int i = row * COLS + c;
                boolean isTouched = c == 0 || c == 2 || c == 3 || c == 6;
                assertThat(Double.doubleToRawLongBits(w[i])).as("weight %d", i)
                        .isEqualTo(Double.doubleToRawLongBits(isTouched ? i - 10.5 : Double.NaN));
                assertThat(sum[i]).as("sum %d", i).isEqualTo(isTouched ? 0.25 * i : -1.0);
            }
        }
    }

    @Test
    void withWeightDecayAStepIsSavedByItsColumnsAndUndoneBitForBitBookkeepingIncluded() {
        Optimizer decaying = new AdagradConfig(0.1, 0, 0.3, 0.1, 1e-10).create();
        OptimizerState s = decaying.newState(params);
        double[] w = params.value(0);
        for (int i = 0; i < w.length; i++) {
            w[i] = Math.sin(i);
        }
        for (int t = 0; t < 6; t++) { // one column a step: the columns fall behind by different steps
            sparseGradient(t % COLS);
            decaying.step(params, s, 0.1);
        }
        double[][] valuesBefore = {w.clone(), params.value(1).clone()};
        OptimizerState stateBefore = s.copy();

        sparseGradient(touched);
        backup.save(params, s, decaying);
        assertThat(backup.savedByColumns()).as("only the touched columns and their bookkeeping").isTrue();
        decaying.step(params, s, 0.1);
        assertThat(w[touched[1]]).isNotEqualTo(valuesBefore[0][touched[1]]);
        backup.restore(params, s, decaying);

        for (int k = 0; k < 2; k++) {
            assertThat(bits(params.value(k))).as("tensor %d", k).containsExactly(bits(valuesBefore[k]));
        }
        assertThat(s.step()).isEqualTo(stateBefore.step());
        assertThat(s.counters()).containsExactly(stateBefore.counters());
        for (int b = 0; b < s.buffers().length; b++) {
            assertThat(bits(s.buffer(b))).as("buffer %d", b).containsExactly(bits(stateBefore.buffer(b)));
        }
    }

    @Test
    void withWeightDecayAndTheLearningRateHistoryFullEverythingIsSaved() {
        Optimizer decaying = new AdagradConfig(0.1, 0, 0.3, 0.1, 1e-10).create();
        OptimizerState s = decaying.newState(params);
        for (int t = 0; t < 16; t++) { // CatchUpOptimizer.MAX_RUNS learning rates: the next new one catches all up
            sparseGradient(t % COLS);
            decaying.step(params, s, 0.1 + 0.01 * t);
        }
        sparseGradient(touched);
        backup.save(params, s, decaying);
        assertThat(backup.savedByColumns()).isFalse();
    }

    /** A gradient of 1.5 in every row of the given columns, zero elsewhere, declared sparse. */
    private void sparseGradient(int... columns) {
        double[] g = params.grad(0);
        Arrays.fill(g, 0.0);
        for (int c : columns) {
            for (int row = 0; row < ROWS; row++) {
                g[row * COLS + c] = 1.5;
            }
        }
        Arrays.fill(params.grad(1), 0.5);
        params.markSparse(0, columns, columns.length);
    }

    private static long[] bits(double[] a) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = Double.doubleToRawLongBits(a[i]);
        }
        return out;
    }
}
