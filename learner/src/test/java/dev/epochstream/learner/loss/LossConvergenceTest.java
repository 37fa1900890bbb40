package dev.epochstream.learner.loss;

import static dev.epochstream.learner.nn.Activation.IDENTITY;
import static dev.epochstream.learner.nn.Activation.SIGMOID;
import static dev.epochstream.learner.nn.Activation.SOFTMAX;
import static dev.epochstream.learner.nn.Activation.TANH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.epochstream.learner.nn.Activation;
import dev.epochstream.learner.nn.Initialization;
import dev.epochstream.learner.nn.Network;
import dev.epochstream.learner.nn.NetworkSpec;
import dev.epochstream.learner.nn.Workspace;
import dev.epochstream.learner.optim.Parameters;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** Each loss trains a small network with plain full-batch gradient descent θ ← θ − lr·∇θ. */
class LossConvergenceTest {
    private static final double[][] XOR_X = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
    private static final double[] XOR_Y = {0, 1, 1, 0};

    private static Workspace workspace(int[] layers, List<Activation> acts, String loss, boolean sparse,
                                       double[][] x, double[][] y) {
        NetworkSpec spec = new NetworkSpec(layers, acts, 0.01, Initialization.XAVIER, 17L);
        Loss l = Losses.create(loss, 1.0, 1.0, spec.outputActivation(), 0.01);
        Workspace ws = new Workspace(new Network(spec), l, x.length, sparse);
        for (double[] row : x) {
            ws.input().addDense(row);
        }
        DMatrixRMaj t = ws.targets();
        t.reshape(y.length, y[0].length);
        for (int r = 0; r < y.length; r++) {
            System.arraycopy(y[r], 0, t.data, r * y[r].length, y[r].length);
        }
        return ws;
    }

    /** Runs {@code steps} gradient-descent steps; returns the last loss before the final step. */
    private static double train(Workspace ws, double lr, int steps) {
        double loss = Double.NaN;
        Parameters p = ws.network().parameters();
        for (int s = 0; s < steps; s++) {
            loss = ws.computeGradients();
            for (int t = 0; t < p.count(); t++) {
                double[] v = p.value(t);
                double[] g = p.grad(t);
                for (int i = 0; i < p.size(t); i++) {
                    v[i] -= lr * g[i];
                }
            }
        }
        return loss;
    }

    private static double[][] column(double[] y) {
        double[][] c = new double[y.length][1];
        for (int i = 0; i < y.length; i++) {
            c[i][0] = y[i];
        }
        return c;
    }

    private static int argmax(DMatrixRMaj out, int row) {
        int best = 0;
        for (int j = 1; j < out.numCols; j++) {
            if (out.get(row, j) > out.get(row, best)) {
                best = j;
            }
        }
        return best;
    }

    @Test
    void crossEntropyLearnsXor() {
        Workspace ws = workspace(new int[] {2, 8, 2}, List.of(TANH, SOFTMAX), "cce", false, XOR_X, column(XOR_Y));
        train(ws, 0.5, 2000);
        DMatrixRMaj out = ws.forward();
        for (int r = 0; r < 4; r++) {
            assertThat(argmax(out, r)).as("row %d", r).isEqualTo((int) XOR_Y[r]);
        }
    }

    @Test
    void binaryCrossEntropyLearnsXorFromSparseInput() {
        Workspace ws = workspace(new int[] {2, 8, 1}, List.of(TANH, SIGMOID), "bce", true, XOR_X, column(XOR_Y));
        train(ws, 0.5, 3000);
        DMatrixRMaj out = ws.forward();
        for (int r = 0; r < 4; r++) {
            assertThat(out.get(r, 0) > 0.5).as("row %d: %s", r, out.get(r, 0)).isEqualTo(XOR_Y[r] == 1);
        }
    }

    @Test
    void hingeLearnsXorWithOneAndWithTwoOutputs() {
        Workspace binary = workspace(new int[] {2, 8, 1}, List.of(TANH, IDENTITY), "hinge", false, XOR_X,
                column(XOR_Y));
        train(binary, 0.1, 2000);
        DMatrixRMaj out = binary.forward();
        for (int r = 0; r < 4; r++) {
            assertThat(out.get(r, 0) > 0).as("row %d: %s", r, out.get(r, 0)).isEqualTo(XOR_Y[r] == 1);
        }
        Workspace multi = workspace(new int[] {2, 8, 2}, List.of(TANH, IDENTITY), "hinge", false, XOR_X,
                column(XOR_Y));
        train(multi, 0.1, 2000);
        out = multi.forward();
        for (int r = 0; r < 4; r++) {
            assertThat(argmax(out, r)).as("row %d", r).isEqualTo((int) XOR_Y[r]);
        }
    }

    /** y = 0.5·x0 − 1.2·x1 + 2·x2 + 0.3 on 20 seeded points. */
    private static Workspace linear(String loss) {
        SplittableRandom random = new SplittableRandom(5);
        double[][] x = new double[20][3];
        double[][] y = new double[20][1];
        for (int r = 0; r < 20; r++) {
            for (int k = 0; k < 3; k++) {
                x[r][k] = 2 * random.nextDouble() - 1;
            }
            y[r][0] = 0.5 * x[r][0] - 1.2 * x[r][1] + 2.0 * x[r][2] + 0.3;
        }
        return workspace(new int[] {3, 1}, List.of(IDENTITY), loss, false, x, y);
    }

    private static void assertRecovers(Network net, double tolerance) {
        assertThat(net.weights(0).data).containsExactly(new double[] {0.5, -1.2, 2.0}, within(tolerance));
        assertThat(net.biases(0).data[0]).isCloseTo(0.3, within(tolerance));
    }

    @Test
    void meanSquaredErrorRecoversTheCoefficients() {
        Workspace ws = linear("mse");
        train(ws, 0.3, 3000);
        assertRecovers(ws.network(), 1e-3);
        assertThat(ws.computeLoss()).isLessThan(1e-12);
    }

    @Test
    void huberRecoversTheCoefficients() {
        Workspace ws = linear("huber");
        train(ws, 0.5, 4000);
        assertRecovers(ws.network(), 1e-3);
    }

    @Test
    void meanAbsoluteErrorRecoversTheCoefficients() {
        Workspace ws = linear("mae");
        Parameters p = ws.network().parameters();
        for (int s = 1; s <= 6000; s++) {
            ws.computeGradients();
            double lr = 0.5 / Math.sqrt(s); // subgradient descent needs a decaying step
            for (int t = 0; t < p.count(); t++) {
                for (int i = 0; i < p.size(t); i++) {
                    p.value(t)[i] -= lr * p.grad(t)[i];
                }
            }
        }
        assertRecovers(ws.network(), 2e-2);
    }

    @Test
    void klDivergenceFitsSmoothedTargets() {
        double[][] x = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        double[][] y = {{0.8, 0.1, 0.1}, {0.1, 0.8, 0.1}, {0.1, 0.1, 0.8}};
        Workspace ws = workspace(new int[] {3, 3}, List.of(SOFTMAX), "kl", false, x, y);
        train(ws, 1.0, 3000);
        DMatrixRMaj out = ws.forward();
        for (int r = 0; r < 3; r++) {
            for (int j = 0; j < 3; j++) {
                assertThat(out.get(r, j)).isCloseTo(y[r][j], within(1e-3));
            }
        }
        assertThat(ws.computeLoss()).isLessThan(1e-6);
    }

    @Test
    void tripletSeparatesClusters() {
        SplittableRandom random = new SplittableRandom(3);
        double[][] centres = {{0, 0}, {2, 0}, {0, 2}};
        double[][] x = new double[12][2];
        double[][] y = new double[12][1];
        for (int r = 0; r < 12; r++) {
            int c = r % 3;
            x[r][0] = centres[c][0] + 0.6 * (random.nextDouble() - 0.5);
            x[r][1] = centres[c][1] + 0.6 * (random.nextDouble() - 0.5);
            y[r][0] = c;
        }
        Workspace ws = workspace(new int[] {2, 8, 2}, List.of(TANH, IDENTITY), "triplet", false, x, y);
        for (int s = 0; s < 5000 && ws.computeLoss() > 0; s++) {
            train(ws, 0.05, 1);
        }
        assertThat(ws.computeLoss()).isZero();
        DMatrixRMaj e = ws.forward();
        for (int i = 0; i < 12; i++) {
            int nearest = -1;
            double best = Double.POSITIVE_INFINITY;
            for (int j = 0; j < 12; j++) {
                double dx = e.get(i, 0) - e.get(j, 0);
                double dy = e.get(i, 1) - e.get(j, 1);
                double d = dx * dx + dy * dy;
                if (j != i && d < best) {
                    best = d;
                    nearest = j;
                }
            }
            assertThat(y[nearest][0]).as("nearest neighbour of %d", i).isEqualTo(y[i][0]);
        }
    }
}
