package dev.epochstream.learner.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.learner.loss.Losses;
import dev.epochstream.learner.nn.Activation;
import dev.epochstream.learner.nn.Initialization;
import dev.epochstream.learner.nn.Network;
import dev.epochstream.learner.nn.NetworkSpec;
import dev.epochstream.learner.optim.AdadeltaConfig;
import dev.epochstream.learner.optim.AdagradConfig;
import dev.epochstream.learner.optim.AdamConfig;
import dev.epochstream.learner.optim.AdamWConfig;
import dev.epochstream.learner.optim.FtrlConfig;
import dev.epochstream.learner.optim.MomentumConfig;
import dev.epochstream.learner.optim.OptimizerConfig;
import dev.epochstream.learner.optim.OptimizerState;
import dev.epochstream.learner.optim.Parameters;
import dev.epochstream.learner.optim.RmspropConfig;
import dev.epochstream.learner.optim.SgdConfig;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whole training steps on sparse input (packed first-layer gradient, touched-column updates, catch-up) against
 * the same steps on the same rows written densely (dense gradient, dense updates): loss, parameters and every
 * optimizer moment bit for bit after each step, for every optimizer whose sparse run is the dense run (not the
 * lazy variants), with and without weight decay (SGD's and Adagrad's deferred decay is caught up before each
 * forward pass, and by {@code catchUpAll} for every column) and clipping, first layers of one and of three
 * outputs, columns shared between rows, and learning rates that change between steps.
 */
class SparseStepBitIdentityTest {
    private static final int INPUTS = 40;
    private static final int WIDE = 1 << 12;

    static Stream<Arguments> cases() {
        List<OptimizerConfig> configs = List.of(AdagradConfig.defaults(), new AdagradConfig(0.05, 0.01, 0, 0.2, 1e-10),
                new AdagradConfig(0.05, 0.01, 0.02, 0.2, 1e-10), SgdConfig.defaults(), new SgdConfig(0.05, 0),
                new SgdConfig(0.05, 0.03), new MomentumConfig(0.05, 0.9, 0.1, 0.01, false, false),
                new MomentumConfig(0.05, 0.9, 0, 0.01, true, false),
                new RmspropConfig(0.01, 0.99, 1e-8, 0.01, 0.5, true, false), new AdadeltaConfig(1, 0.9, 1e-6, 0.01, false),
                AdamConfig.defaults(), new AdamConfig(0.01, 0.9, 0.999, 1e-8, 0.01, true, false),
                AdamWConfig.defaults(), FtrlConfig.defaults(), new FtrlConfig(0.1, 1, 0.01, 0.02));
        // the wide first layer: rows rarely share columns, and the batch lists them far from ascending
        int[][] layers = {{INPUTS, 1}, {INPUTS, 3, 1}, {WIDE, 3, 1}};
        Stream.Builder<Arguments> out = Stream.builder();
        for (OptimizerConfig config : configs) {
            for (int[] sizes : layers) {
                out.add(Arguments.of(config, sizes, Double.NaN));
                out.add(Arguments.of(config, sizes, 0.05)); // small enough to clip every step
            }
        }
        return out.build();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void sparseStepsEqualDenseStepsBitForBit(OptimizerConfig config, int[] sizes, double clipNorm) {
        List<Activation> activations = sizes.length == 2 ? List.of(Activation.SIGMOID)
                : List.of(Activation.TANH, Activation.SIGMOID);
        Network sparseNet = new Network(new NetworkSpec(sizes, activations, 0.01, Initialization.XAVIER, 8));
        Network denseNet = sparseNet.copy();
        TrainingStep sparse = new TrainingStep(sparseNet, Losses.create("bce", 1, 1, Activation.SIGMOID, 0.01),
                config.create(), clipNorm, 6, true);
        TrainingStep dense = new TrainingStep(denseNet, Losses.create("bce", 1, 1, Activation.SIGMOID, 0.01),
                config.create(), clipNorm, 6, false);
        OptimizerState sparseState = sparse.optimizer().newState(sparseNet.parameters());
        OptimizerState denseState = dense.optimizer().newState(denseNet.parameters());
        SplittableRandom random = new SplittableRandom(sizes.length * 100L + (Double.isNaN(clipNorm) ? 0 : 1));
        double[] lrs = {config.lr(), config.lr(), config.lr() / 2, config.lr() / 2, config.lr() / 3};
        int inputs = sizes[0];
        for (int s = 0; s <= 20; s++) {
            int n = s < 20 ? 1 + random.nextInt(6) : 1;
            sparse.workspace().input().clear();
            dense.workspace().input().clear();
            for (int r = 0; r < n; r++) {
                // a narrow column range half of the time: rows share columns, and columns skip steps; the last
                // step touches every column, which catches every skipped one up
                int range = random.nextBoolean() ? 8 : inputs;
                int[] columns = s < 20 ? distinctSorted(random, 1 + random.nextInt(6), range)
                        : distinctSorted(random, inputs, inputs);
                double[] row = new double[inputs];
                sparse.workspace().input().beginRow();
                for (int c : columns) {
                    row[c] = random.nextGaussian();
                    sparse.workspace().input().put(c, row[c]);
                }
                sparse.workspace().input().endRow();
                dense.workspace().input().addDense(row);
                double target = random.nextInt(2);
                sparse.workspace().targets().data[r] = target;
                dense.workspace().targets().data[r] = target;
            }
            double lr = lrs[s % lrs.length];
            assertThat(sparse.step(sparseState, lr)).as("step %d", s).isEqualTo(dense.step(denseState, lr));
            assertThat(Double.doubleToRawLongBits(sparse.lastLoss()))
                    .isEqualTo(Double.doubleToRawLongBits(dense.lastLoss()));
            assertThat(sparseState.step()).isEqualTo(denseState.step());
            // every tensor but the first in full; of the first, and of its moments, the columns just touched
            // (with weight decay the others lag until they are next touched)
            Parameters p = sparseNet.parameters();
            int[] touched = Arrays.copyOf(p.touchedColumns(), p.touchedCount());
            Arrays.sort(touched); // listed as first seen in the batch; sorted for the binary search below
            for (int k = 0; k < p.count(); k++) {
                assertSame(p.value(k), denseNet.parameters().value(k), k == 0 ? touched : null, p.cols(k), s);
            }
            for (int b = 0; b < sparseState.buffers().length; b++) {
                int tensor = sparse.optimizer().bufferTensor(b, p);
                if (tensor >= 0) {
                    assertSame(sparseState.buffer(b), denseState.buffer(b), tensor == 0 ? touched : null,
                            p.cols(tensor), s);
                }
            }
        }
        assertThat(sparseNet.parameters().touchedCount()).isEqualTo(inputs);

        // one more step on column 0 alone, then every lagging column caught up: all of it is the dense run's
        sparse.workspace().input().clear();
        dense.workspace().input().clear();
        double[] row = new double[inputs];
        row[0] = 0.75;
        sparse.workspace().input().beginRow();
        sparse.workspace().input().put(0, row[0]);
        sparse.workspace().input().endRow();
        dense.workspace().input().addDense(row);
        sparse.workspace().targets().data[0] = 1;
        dense.workspace().targets().data[0] = 1;
        assertThat(sparse.step(sparseState, config.lr())).isEqualTo(dense.step(denseState, config.lr()));
        sparse.optimizer().catchUpAll(sparseNet.parameters(), sparseState);
        Parameters p = sparseNet.parameters();
        for (int k = 0; k < p.count(); k++) {
            assertSame(p.value(k), denseNet.parameters().value(k), null, p.cols(k), 21);
        }
        for (int b = 0; b < sparseState.buffers().length; b++) {
            if (sparse.optimizer().bufferTensor(b, p) >= 0) {
                assertSame(sparseState.buffer(b), denseState.buffer(b), null, 1, 21);
            }
        }
    }

    /** Bit equality of a and b, of only the given columns of a [rows][cols] tensor unless they are null. */
    private static void assertSame(double[] a, double[] b, int[] columns, int cols, int step) {
        for (int i = 0; i < a.length; i++) {
            if (columns == null || Arrays.binarySearch(columns, i % cols) >= 0) {
                assertThat(Double.doubleToRawLongBits(a[i])).as("step %d element %d", step, i)
                        .isEqualTo(Double.doubleToRawLongBits(b[i]));
            }
        }
    }

    private static int[] distinctSorted(SplittableRandom random, int k, int range) {
        TreeSet<Integer> set = new TreeSet<>();
        while (set.size() < k) {
            set.add(random.nextInt(range));
        }
        return set.stream().mapToInt(Integer::intValue).toArray();
    }
}
