package dev.epochstream.learner.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.learner.loss.Losses;
import dev.epochstream.learner.optim.Parameters;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A workspace with {@link Gemm#BLAS} computes the loss, the outputs and every gradient of a three-layer
 * network (so the input gradient runs twice) as the reproducible workspace does, to rounding; with sparse
 * input the first layer keeps its sparse kernels and still declares exactly the batch's non-zero columns.
 */
class BlasWorkspaceTest {
    private static final NetworkSpec SPEC = new NetworkSpec(new int[] {9, 7, 5, 3},
            List.of(Activation.TANH, Activation.RELU, Activation.SOFTMAX), 0.01, Initialization.XAVIER, 3L);
    private static final int ROWS = 11;

    @ParameterizedTest(name = "sparse input: {0}")
    @ValueSource(booleans = {false, true})
    void blasWorkspaceMatchesTheReproducibleOne(boolean sparse) {
        Network reproducibleNet = new Network(SPEC);
        Network blasNet = reproducibleNet.copy();
        Workspace reproducible = filled(reproducibleNet, sparse, Gemm.REPRODUCIBLE);
        Workspace blas = filled(blasNet, sparse, Gemm.BLAS);

        double expectedLoss = reproducible.computeGradients();
        double loss = blas.computeGradients();
        assertThat(Math.abs(loss - expectedLoss)).isLessThanOrEqualTo(1e-13 * Math.abs(expectedLoss));

        double[] expectedOut = reproducible.forward().data.clone();
        double[] out = blas.forward().data;
        for (int i = 0; i < ROWS * 3; i++) {
            assertThat(Math.abs(out[i] - expectedOut[i])).as("output %d", i).isLessThanOrEqualTo(1e-13);
        }
        Parameters expected = reproducibleNet.parameters();
        Parameters actual = blasNet.parameters();
        for (int t = 0; t < expected.count(); t++) {
            double[] e = expected.grad(t);
            double[] a = actual.grad(t);
            double scale = 0;
            for (double v : e) {
                scale = Math.max(scale, Math.abs(v));
            }
            assertThat(scale).as("tensor %d has a gradient", t).isPositive();
            for (int i = 0; i < expected.size(t); i++) {
                assertThat(Math.abs(a[i] - e[i])).as("tensor %d entry %d", t, i).isLessThanOrEqualTo(1e-12 * scale);
            }
        }
        assertThat(actual.sparseTensor()).isEqualTo(expected.sparseTensor());
        assertThat(Arrays.copyOf(actual.touchedColumns(), actual.touchedCount()))
                .isEqualTo(Arrays.copyOf(expected.touchedColumns(), expected.touchedCount()));
    }

    private static Workspace filled(Network net, boolean sparse, Gemm gemm) {
        Workspace ws = new Workspace(net, Losses.create("cce", 1, 1, Activation.SOFTMAX, 0.01), 16, sparse, gemm);
        SplittableRandom rnd = new SplittableRandom(21);
        for (int r = 0; r < ROWS; r++) {
            double[] row = new double[9];
            for (int k = 0; k < 9; k++) {
                // about half the inputs zero, so the sparse rows have gaps
                row[k] = rnd.nextBoolean() ? 0 : rnd.nextDouble(-2, 2);
            }
            ws.input().addDense(row);
        }
        ws.targets().reshape(ROWS, 1);
        for (int r = 0; r < ROWS; r++) {
            ws.targets().data[r] = r % 3;
        }
        return ws;
    }
}
