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
        Twins twin = new Twins(config, random);
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
            double[] g = twin.first.grad(0);
            java.util.Arrays.fill(g, 0.0);
            double[] p = twin.second.packedGradStorage(ROWS * count);
            for (int o = 0; o < ROWS; o++) {
                for (int j = 0; j < count; j++) {
                    double v = random.nextGaussian();
                    g[o * COLS + denseColumns[j]] = v;
                    p[o * count + j] = v;
                }
            }
            double[] gb = gaussians(random, ROWS);
            System.arraycopy(gb, 0, twin.first.grad(1), 0, ROWS);
            System.arraycopy(gb, 0, twin.second.grad(1), 0, ROWS);
            twin.first.markSparse(0, denseColumns, count);
            twin.second.markSparsePacked(0, packedColumns, count);
            if (!Double.isNaN(clipNorm)) {
                assertThat(GradientClipping.clipByGlobalNorm(twin.second, clipNorm))
                        .isEqualTo(GradientClipping.clipByGlobalNorm(twin.first, clipNorm));
            }
            twin.optimizer.step(twin.first, twin.firstState, lr);
            twin.optimizer.step(twin.second, twin.secondState, lr);
            for (int k = 0; k < 2; k++) {
                assertThat(TwinRun.bits(twin.second.value(k))).as("step %d tensor %d", t, k)
                        .containsExactly(TwinRun.bits(twin.first.value(k)));
                assertThat(TwinRun.bits(twin.second.grad(k))).as("step %d gradient %d", t, k)
                        .containsExactly(TwinRun.bits(twin.first.grad(k)));
            }
            assertThat(twin.secondState.step()).isEqualTo(twin.firstState.step());
            assertThat(twin.secondState.counters()).isEqualTo(twin.firstState.counters());
            for (int s = 0; s < twin.secondState.buffers().length; s++) {
                assertThat(TwinRun.bits(twin.secondState.buffer(s))).as("step %d buffer %d", t, s)
                        .containsExactly(TwinRun.bits(twin.firstState.buffer(s)));
            }
        }
    }

    static Stream<OptimizerConfig> packedCapable() {
        return Stream.of(new SgdConfig(0.1, 0), AdagradConfig.defaults(), new AdagradConfig(0.1, 0.2, 0, 0.1, 1e-10),
                FtrlConfig.defaults(), new FtrlConfig(0.1, 1.0, 0.05, 0.5),
                new AdamConfig(0.01, 0.9, 0.99, 1e-8, 0.1, true, true), new AdamWConfig(0.01, 0.9, 0.99, 1e-8, 0.1, false, true),
                new MomentumConfig(0.1, 0.9, 0, 0.2, true, true), new RmspropConfig(0.01, 0.9, 1e-8, 0.1, 0.5, true, true),
                new AdadeltaConfig(1, 0.9, 1e-6, 0.1, true));
    }

    /**
     * {@link Optimizer#stepPacked} on gathered copies of the touched columns, written back afterwards, against
     * {@link Optimizer#step} in place: values and every state buffer bit for bit, and the tensor and its buffers
     * untouched until written back. Every elementwise optimizer can step packed; only Adagrad asks to
     * ({@link Optimizer#updatesPacked}), where it pays.
     */
    @ParameterizedTest
    @MethodSource("packedCapable")
    void aPackedStepOnGatheredColumnsIsTheStepInPlace(OptimizerConfig config) {
        Random random = new Random(9);
        Twins twin = new Twins(config, random);
        int[] columns = new int[COLS];
        for (int t = 0; t < 40; t++) {
            double lr = config.lr() * (1 + t / 9);
            int count = 0;
            for (int c = 0; c < COLS; c++) {
                if (random.nextInt(3) == 0) {
                    columns[count++] = c;
                }
            }
            double[] g = twin.first.packedGradStorage(ROWS * count);
            double[] p = twin.second.packedGradStorage(ROWS * count);
            for (int i = 0; i < ROWS * count; i++) {
                g[i] = random.nextGaussian();
                p[i] = g[i];
            }
            double[] gb = gaussians(random, ROWS);
            System.arraycopy(gb, 0, twin.first.grad(1), 0, ROWS);
            System.arraycopy(gb, 0, twin.second.grad(1), 0, ROWS);
            twin.first.markSparsePacked(0, columns, count);
            twin.second.markSparsePacked(0, columns, count);
            assertThat(twin.optimizer.updatesPacked(twin.second, twin.secondState)).isEqualTo(config instanceof AdagradConfig);

            twin.optimizer.step(twin.first, twin.firstState, lr);
            long[] before = TwinRun.bits(twin.second.value(0));
            double[] packedValue = gather(twin.second.value(0), columns, count);
            double[][] packedBuffers = new double[twin.secondState.buffers().length][];
            long[][] buffersBefore = new long[packedBuffers.length][];
            for (int s = 0; s < packedBuffers.length; s++) {
                buffersBefore[s] = TwinRun.bits(twin.secondState.buffer(s));
                if (twin.optimizer.bufferTensor(s, twin.second) == 0) {
                    packedBuffers[s] = gather(twin.secondState.buffer(s), columns, count);
                }
            }
            twin.optimizer.stepPacked(twin.second, twin.secondState, lr, packedValue, packedBuffers);
            assertThat(TwinRun.bits(twin.second.value(0))).as("untouched until written back").containsExactly(before);
            for (int s = 0; s < packedBuffers.length; s++) {
                if (packedBuffers[s] != null) {
                    assertThat(TwinRun.bits(twin.secondState.buffer(s))).containsExactly(buffersBefore[s]);
                    scatter(packedBuffers[s], twin.secondState.buffer(s), columns, count);
                }
            }
            scatter(packedValue, twin.second.value(0), columns, count);

            for (int k = 0; k < 2; k++) {
                assertThat(TwinRun.bits(twin.second.value(k))).as("step %d tensor %d", t, k)
                        .containsExactly(TwinRun.bits(twin.first.value(k)));
            }
            assertThat(twin.secondState.step()).isEqualTo(twin.firstState.step());
            for (int s = 0; s < twin.secondState.buffers().length; s++) {
                assertThat(TwinRun.bits(twin.secondState.buffer(s))).as("step %d buffer %d", t, s)
                        .containsExactly(TwinRun.bits(twin.firstState.buffer(s)));
            }
        }
    }

    /** The plain gather: element (o, columns[j]) at [o·count + j]. */
    private static double[] gather(double[] a, int[] columns, int count) {
        double[] out = new double[ROWS * count];
        for (int o = 0; o < ROWS; o++) {
            for (int j = 0; j < count; j++) {
                out[o * count + j] = a[o * COLS + columns[j]];
            }
        }
        return out;
    }

    private static void scatter(double[] packed, double[] a, int[] columns, int count) {
        for (int o = 0; o < ROWS; o++) {
            for (int j = 0; j < count; j++) {
                a[o * COLS + columns[j]] = packed[o * count + j];
            }
        }
    }

    /** One optimizer and two parameter sets (3×7 and 3×1 tensors) with the same random values, and their states. */
    private static final class Twins {
        final Optimizer optimizer;
        final Parameters first;
        final Parameters second;
        final OptimizerState firstState;
        final OptimizerState secondState;

        Twins(OptimizerConfig config, Random random) {
            double[] w = gaussians(random, ROWS * COLS);
            double[] b = gaussians(random, ROWS);
            optimizer = config.create();
            first = new Parameters(new double[][] {w.clone(), b.clone()},
                    new double[][] {new double[ROWS * COLS], new double[ROWS]}, new int[] {ROWS, ROWS}, new int[] {COLS, 1});
            second = new Parameters(new double[][] {w, b},
                    new double[][] {new double[ROWS * COLS], new double[ROWS]}, new int[] {ROWS, ROWS}, new int[] {COLS, 1});
            firstState = optimizer.newState(first);
            secondState = optimizer.newState(second);
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
