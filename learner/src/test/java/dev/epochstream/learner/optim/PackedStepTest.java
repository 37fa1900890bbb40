package dev.epochstream.learner.optim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A step on a gradient declared packed ({@link Parameters#markSparsePacked}, as the workspace does) against the
 * same step on the same gradient written into the dense array ({@link Parameters#markSparse}, whose optimizer
 * updates {@link SparseUpdateTest} and {@link LazyUpdateTest} compare with the dense run): values, every state
 * buffer (catch-up bookkeeping included) and the gradient left behind, bit for bit, for every optimizer
 * (weight decay, lazy and not), with and without clipping, over a 3×7 first tensor and changing learning rates.
 */
class PackedStepTest {
    private static final int ROWS = 3;
    private static final int COLS = 7;

    static Stream<Arguments> cases() {
        OptimizerConfig[] configs = {new SgdConfig(0.1, 0), new SgdConfig(0.1, 0.3), AdagradConfig.defaults(),
            new AdagradConfig(0.1, 0.2, 0.3, 0.1, 1e-10), FtrlConfig.defaults(), new FtrlConfig(0.1, 1.0, 0.05, 0.5),
            AdamConfig.defaults(), new AdamConfig(0.01, 0.9, 0.99, 1e-8, 0.1, true, true),
            new AdamWConfig(0.01, 0.9, 0.99, 1e-8, 0.1, false, true), new MomentumConfig(0.1, 0.9, 0, 0.2, true, true),
            new MomentumConfig(0.1, 0.9, 0, 0.2, false, false), new RmspropConfig(0.01, 0.9, 1e-8, 0.1, 0.5, true, true),
            new AdadeltaConfig(1, 0.9, 1e-6, 0.1, true), new AdadeltaConfig(1, 0.9, 1e-6, 0, false)};
        Stream.Builder<Arguments> out = Stream.builder();
        for (OptimizerConfig config : configs) {
            out.add(Arguments.of(config, Double.NaN));
            out.add(Arguments.of(config, 0.5));
        }
        return out.build();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void packedAndDenseDeclaredGradientsStepTheSame(OptimizerConfig config, double clipNorm) {
        Random random = new Random(5);
        double[] w = gaussians(random, ROWS * COLS);
        double[] b = gaussians(random, ROWS);
        Parameters dense = new Parameters(new double[][] {w.clone(), b.clone()},
                new double[][] {new double[ROWS * COLS], new double[ROWS]}, new int[] {ROWS, ROWS}, new int[] {COLS, 1});
        Parameters packed = new Parameters(new double[][] {w, b},
                new double[][] {new double[ROWS * COLS], new double[ROWS]}, new int[] {ROWS, ROWS}, new int[] {COLS, 1});
        Optimizer optimizer = config.create();
        OptimizerState denseState = optimizer.newState(dense);
        OptimizerState packedState = optimizer.newState(packed);
        int[] denseColumns = new int[COLS];
        int[] packedColumns = new int[COLS];
        for (int t = 0; t < 40; t++) {
            double lr = config.lr() * (1 + t / 9); // changes every 9 steps, as a schedule would
            int count = 0;
            for (int c = 0; c < COLS; c++) {
                if (random.nextInt(3) == 0) {
                    denseColumns[count] = c;
                    packedColumns[count++] = c;
                }
            }
            double[] g = dense.grad(0);
            java.util.Arrays.fill(g, 0.0);
            double[] p = packed.packedGradStorage(ROWS * count);
            for (int o = 0; o < ROWS; o++) {
                for (int j = 0; j < count; j++) {
                    double v = random.nextGaussian();
                    g[o * COLS + denseColumns[j]] = v;
                    p[o * count + j] = v;
                }
            }
            double[] gb = gaussians(random, ROWS);
            System.arraycopy(gb, 0, dense.grad(1), 0, ROWS);
            System.arraycopy(gb, 0, packed.grad(1), 0, ROWS);
            dense.markSparse(0, denseColumns, count);
            packed.markSparsePacked(0, packedColumns, count);
            if (!Double.isNaN(clipNorm)) {
                assertThat(GradientClipping.clipByGlobalNorm(packed, clipNorm))
                        .isEqualTo(GradientClipping.clipByGlobalNorm(dense, clipNorm));
            }
            optimizer.step(dense, denseState, lr);
            optimizer.step(packed, packedState, lr);
            for (int k = 0; k < 2; k++) {
                assertThat(TwinRun.bits(packed.value(k))).as("step %d tensor %d", t, k)
                        .containsExactly(TwinRun.bits(dense.value(k)));
                assertThat(TwinRun.bits(packed.grad(k))).as("step %d gradient %d", t, k)
                        .containsExactly(TwinRun.bits(dense.grad(k)));
            }
            assertThat(packedState.step()).isEqualTo(denseState.step());
            assertThat(packedState.counters()).isEqualTo(denseState.counters());
            for (int s = 0; s < packedState.buffers().length; s++) {
                assertThat(TwinRun.bits(packedState.buffer(s))).as("step %d buffer %d", t, s)
                        .containsExactly(TwinRun.bits(denseState.buffer(s)));
            }
        }
    }

    private static double[] gaussians(Random random, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = random.nextGaussian();
        }
        return a;
    }
}
