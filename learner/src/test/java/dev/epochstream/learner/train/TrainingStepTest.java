package dev.epochstream.learner.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.epochstream.learner.loss.Losses;
import dev.epochstream.learner.nn.Activation;
import dev.epochstream.learner.nn.Initialization;
import dev.epochstream.learner.nn.Network;
import dev.epochstream.learner.nn.NetworkSpec;
import dev.epochstream.learner.optim.AdagradConfig;
import dev.epochstream.learner.optim.AdamConfig;
import dev.epochstream.learner.optim.FtrlConfig;
import dev.epochstream.learner.optim.MomentumConfig;
import dev.epochstream.learner.optim.OptimizerConfig;
import dev.epochstream.learner.optim.OptimizerState;
import dev.epochstream.learner.optim.SgdConfig;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TrainingStepTest {

    private final Network network = new Network(new NetworkSpec(new int[] {2, 1}, List.of(Activation.IDENTITY), 0.01,
            Initialization.XAVIER, 3));
    private final TrainingStep step = new TrainingStep(network,
            Losses.create("mse", 1, 1, Activation.IDENTITY, 0.01),
            new MomentumConfig(0.01, 0.9, 0, 0, false, false).create(), Double.NaN, 4, false);
    private final OptimizerState state = step.optimizer().newState(network.parameters());

    private void fill(double[][] xs, double[] ys) {
        step.workspace().input().clear();
        for (int r = 0; r < xs.length; r++) {
            step.workspace().input().addDense(xs[r]);
            step.workspace().targets().data[r] = ys[r];
        }
    }

    private double[][] values() {
        double[][] v = network.parameters().newZeroedLike();
        network.parameters().copyValuesTo(v);
        return v;
    }

    private static void assertSameBits(double[][] a, double[][] b) {
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                assertThat(Double.doubleToRawLongBits(a[i][j])).as("[%d][%d]", i, j)
                        .isEqualTo(Double.doubleToRawLongBits(b[i][j]));
            }
        }
    }

    @Test
    void appliedStepFollowsMomentumSgdByHand() {
        double w0 = network.parameters().value(0)[0];
        double w1 = network.parameters().value(0)[1];
        double b = network.parameters().value(1)[0];
        fill(new double[][] {{1, 2}, {-1, 3}}, new double[] {1, 0});
        assertThat(step.step(state, 0.01)).isTrue();
        // first momentum step: buf = g, θ −= lr·g; g = Σ 2(p − y)x / n
        double d0 = w0 + 2 * w1 + b - 1;
        double d1 = -w0 + 3 * w1 + b;
        assertThat(network.parameters().value(0)[0]).isCloseTo(w0 - 0.01 * (d0 - d1), within(1e-12));
        assertThat(network.parameters().value(0)[1]).isCloseTo(w1 - 0.01 * (2 * d0 + 3 * d1), within(1e-12));
        assertThat(network.parameters().value(1)[0]).isCloseTo(b - 0.01 * (d0 + d1), within(1e-12));
        assertThat(step.lastLoss()).isCloseTo((d0 * d0 + d1 * d1) / 2, within(1e-12));
        assertThat(state.step()).isEqualTo(1);
    }

    @Test
    void updateOverflowingToInfinityIsRefusedAndUndoneBitForBit() {
        fill(new double[][] {{1, 2}, {-1, 3}}, new double[] {1, 0});
        assertThat(step.step(state, 0.01)).isTrue(); // a non-zero momentum buffer to protect
        double[][] params = values();
        OptimizerState before = state.copy();

        // |g| ~ 1e10, so lr·g = 1e310 overflows: every parameter would become infinite
        fill(new double[][] {{1e5, -1e5}, {2e5, 1e5}}, new double[] {1e5, -3e5});
        assertThat(step.step(state, 1e300)).isFalse();

        assertThat(network.parameters().allValuesFinite()).isTrue();
        assertSameBits(values(), params);
        assertThat(state.step()).isEqualTo(before.step());
        assertThat(state.counters()).isEqualTo(before.counters());
        assertSameBits(state.buffers(), before.buffers());
    }

    /**
     * torch: clip_grad_norm_ of finite gradients whose squares overflow gives total_norm = inf and a clip
     * coefficient max_norm / (inf + 1e-6) = 0, so the gradients become 0 and optimizer.step() still runs. Here:
     * momentum SGD's first step clones the zero gradient, and the parameters stay as they were.
     */
    @Test
    void anOverflowingClipNormZeroesFiniteGradientsAndTheStepGoesOnAsInTorch() {
        Network net = new Network(new NetworkSpec(new int[] {2, 1}, List.of(Activation.IDENTITY), 0.01,
                Initialization.XAVIER, 3));
        TrainingStep clipped = new TrainingStep(net, Losses.create("mse", 1, 1, Activation.IDENTITY, 0.01),
                new MomentumConfig(0.01, 0.9, 0, 0, false, false).create(), 1.0, 4, false);
        OptimizerState s = clipped.optimizer().newState(net.parameters());
        double[][] before = net.parameters().newZeroedLike();
        net.parameters().copyValuesTo(before);
        clipped.workspace().input().clear();
        clipped.workspace().input().addDense(new double[] {1e80, 1e80}); // loss ~1e160, gradient ~1e160: finite
        clipped.workspace().targets().data[0] = 0;

        assertThat(clipped.step(s, 0.01)).as("the step is taken, with zero gradients").isTrue();
        assertThat(clipped.lastLoss()).isFinite();
        double[][] after = net.parameters().newZeroedLike();
        net.parameters().copyValuesTo(after);
        assertSameBits(after, before);
        assertThat(s.step()).isEqualTo(1);
        for (double[] buffer : s.buffers()) {
            // ±0: a negative gradient times 0 is -0.0, in torch too
            assertThat(java.util.Arrays.stream(buffer).allMatch(v -> v == 0.0)).as("a zero momentum buffer").isTrue();
        }
    }

    @Test
    void nonFiniteLossIsRefusedWithoutTouchingAnything() {
        double[][] params = values();
        OptimizerState before = state.copy();
        fill(new double[][] {{1e300, 1e300}}, new double[] {0});
        assertThat(step.step(state, 0.01)).isFalse();
        assertThat(step.lastLoss()).isInfinite();
        assertSameBits(values(), params);
        assertThat(state.step()).isZero();
        assertSameBits(state.buffers(), before.buffers());
    }

    static Stream<OptimizerConfig> sparseOptimizers() {
        return Stream.of(AdagradConfig.defaults(), new AdagradConfig(0.01, 0, 0.1, 0, 1e-10), FtrlConfig.defaults(),
                SgdConfig.defaults(), new AdamConfig(1e-3, 0.9, 0.999, 1e-8, 0, false, true), AdamConfig.defaults());
    }

    /**
     * Column-sparse optimizers (Adagrad, FTRL, SGD, lazy Adam) have only the touched columns saved; the
     * others (weight decay's catch-up, dense Adam) everything. Either way a refused sparse step must leave
     * every parameter and every state element, touched or not, as it was.
     */
    @ParameterizedTest
    @MethodSource("sparseOptimizers")
    void refusedSparseStepIsUndoneBitForBitEverywhere(OptimizerConfig config) {
        refusedSparseStepIsUndone(config, new NetworkSpec(new int[] {1000, 1}, List.of(Activation.SIGMOID), 0.01,
                Initialization.XAVIER, 5));
    }

    /** The same with a first layer of three outputs: each touched column is saved and restored in three rows. */
    @ParameterizedTest
    @MethodSource("sparseOptimizers")
    void refusedSparseStepOfAWideFirstLayerIsUndoneBitForBitEverywhere(OptimizerConfig config) {
        refusedSparseStepIsUndone(config, new NetworkSpec(new int[] {1000, 3, 1},
                List.of(Activation.IDENTITY, Activation.SIGMOID), 0.01, Initialization.XAVIER, 6));
    }

    private static void refusedSparseStepIsUndone(OptimizerConfig config, NetworkSpec spec) {
        Network sparseNet = new Network(spec);
        TrainingStep sparseStep = new TrainingStep(sparseNet, Losses.create("bce", 1, 1, Activation.SIGMOID, 0.01),
                config.create(), Double.NaN, 4, true);
        OptimizerState sparseState = sparseStep.optimizer().newState(sparseNet.parameters());
        fillSparse(sparseStep, new int[][] {{3, 17, 400}, {17, 999}}, 0.5);
        assertThat(sparseStep.step(sparseState, config.lr())).isTrue();
        fillSparse(sparseStep, new int[][] {{1, 17}, {400, 512}}, -1.5);
        assertThat(sparseStep.step(sparseState, config.lr())).isTrue();
        // weight decay deferred on columns the refused step reads is applied before its forward pass, as the
        // dense run had it, and stays applied: part of the state the refused step must leave as it was
        int[] refusedColumns = {3, 17, 600, 2, 999};
        sparseStep.optimizer().catchUpColumns(sparseNet.parameters(), sparseState, 0, refusedColumns,
                refusedColumns.length);
        double[][] params = sparseNet.parameters().newZeroedLike();
        sparseNet.parameters().copyValuesTo(params);
        OptimizerState before = sparseState.copy();

        // inputs of 1e160 give gradients whose squares (Adagrad, FTRL, Adam) or lr·g (SGD at lr 1e300) overflow
        fillSparse(sparseStep, new int[][] {{3, 17, 600}, {2, 999}}, 1e160);
        assertThat(sparseStep.step(sparseState, 1e300)).isFalse();

        double[][] after = sparseNet.parameters().newZeroedLike();
        sparseNet.parameters().copyValuesTo(after);
        assertSameBits(after, params);
        assertThat(sparseState.step()).isEqualTo(before.step());
        assertThat(sparseState.counters()).isEqualTo(before.counters());
        assertSameBits(sparseState.buffers(), before.buffers());

        // and the next ordinary step is applied again
        fillSparse(sparseStep, new int[][] {{5}}, 1.0);
        assertThat(sparseStep.step(sparseState, config.lr())).isTrue();
    }

    private static void fillSparse(TrainingStep target, int[][] rows, double value) {
        target.workspace().input().clear();
        for (int r = 0; r < rows.length; r++) {
            target.workspace().input().beginRow();
            for (int index : rows[r]) {
                target.workspace().input().put(index, value);
            }
            target.workspace().input().endRow();
            target.workspace().targets().data[r] = r % 2;
        }
    }
}
