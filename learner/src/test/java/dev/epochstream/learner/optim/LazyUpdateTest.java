package dev.epochstream.learner.optim;

import static dev.epochstream.learner.optim.TwinRun.COLS;
import static dev.epochstream.learner.optim.TwinRun.ROWS;
import static dev.epochstream.learner.optim.TwinRun.bits;
import static dev.epochstream.learner.optim.TwinRun.columnBits;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Lazy mode updates only touched columns; the default mode stays dense (torch) under sparse gradients. */
class LazyUpdateTest {

    static Stream<OptimizerConfig> lazy() {
        return Stream.of(
                new AdamConfig(0.1, 0.9, 0.999, 1e-8, 0.1, true, true),
                new AdamWConfig(0.1, 0.9, 0.999, 1e-8, 0.1, false, true),
                new RmspropConfig(0.1, 0.9, 1e-8, 0.1, 0.5, true, true),
                new AdadeltaConfig(1.0, 0.9, 1e-6, 0.1, true),
                new MomentumConfig(0.1, 0.9, 0, 0.1, true, true));
    }

    static Stream<OptimizerConfig> dense() {
        return Stream.of(
                new AdamConfig(0.1, 0.9, 0.999, 1e-8, 0.1, true, false),
                new AdamWConfig(0.1, 0.9, 0.999, 1e-8, 0.1, false, false),
                new RmspropConfig(0.1, 0.9, 1e-8, 0.1, 0.5, true, false),
                new AdadeltaConfig(1.0, 0.9, 1e-6, 0.1, false),
                new MomentumConfig(0.1, 0.9, 0.2, 0.1, false, false));
    }

    /** Buffers of tensor 0 (tensor-major layout: the first half of the buffers). */
    private static double[][] tensor0Buffers(OptimizerState state) {
        int half = state.buffers().length / 2;
        double[][] out = new double[half][];
        for (int b = 0; b < half; b++) {
            out[b] = state.buffer(b).clone();
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("lazy")
    void lazyLeavesUntouchedColumnsAndTheirStateUnchanged(OptimizerConfig config) {
        TwinRun run = new TwinRun(config, 13);
        run.step(0.1, TwinRun.allColumns()); // some state everywhere first
        for (int t = 0; t < 6; t++) {
            int[] columns = run.randomColumns(COLS);
            double[] before = run.sparse.value(0).clone();
            double[][] stateBefore = tensor0Buffers(run.sparseState);
            run.step(0.1, columns);
            for (int c = 0; c < COLS; c++) {
                if (Arrays.binarySearch(columns, c) < 0) {
                    assertThat(columnBits(run.sparse.value(0), c)).containsExactly(columnBits(before, c));
                    for (int b = 0; b < stateBefore.length; b++) {
                        assertThat(columnBits(run.sparseState.buffer(b), c)).containsExactly(columnBits(stateBefore[b], c));
                    }
                } else {
                    assertThat(columnBits(run.sparse.value(0), c)).isNotEqualTo(columnBits(before, c));
                }
            }
            // the dense tensor is unaffected by laziness
            assertThat(bits(run.sparse.value(1))).containsExactly(bits(run.dense.value(1)));
        }
    }

    @ParameterizedTest
    @MethodSource("dense")
    void byDefaultSparseGradientsGiveTheDenseRun(OptimizerConfig config) {
        TwinRun run = new TwinRun(config, 17);
        run.step(0.1, TwinRun.allColumns());
        double[] afterFirst = run.sparse.value(0).clone();
        for (int t = 0; t < 6; t++) {
            run.step(0.1, 0, 2);
            for (int k = 0; k < 2; k++) {
                assertThat(bits(run.sparse.value(k))).containsExactly(bits(run.dense.value(k)));
            }
        }
        // column 1 got no gradient after step 1, yet its momentum kept moving it (torch semantics)
        assertThat(columnBits(run.sparse.value(0), 1)).isNotEqualTo(columnBits(afterFirst, 1));
        for (int b = 0; b < run.sparseState.buffers().length; b++) {
            assertThat(bits(run.sparseState.buffer(b))).containsExactly(bits(run.denseState.buffer(b)));
        }
    }

    @Test
    void lazyAdamTouchesOnlyTheTouchedElementsOfAColumn() {
        TwinRun run = new TwinRun(new AdamConfig(0.1, 0.9, 0.999, 1e-8, 0, false, true), 19);
        run.step(0.1, 3);
        for (int c = 0; c < COLS; c++) {
            double[] m = run.sparseState.buffer(0);
            for (int r = 0; r < ROWS; r++) {
                assertThat(m[r * COLS + c] != 0).as("exp_avg[%d][%d]", r, c).isEqualTo(c == 3);
            }
        }
    }
}
