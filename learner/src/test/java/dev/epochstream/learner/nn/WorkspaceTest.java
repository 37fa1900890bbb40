package dev.epochstream.learner.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.epochstream.learner.data.SparseVector;
import dev.epochstream.learner.loss.Loss;
import dev.epochstream.learner.loss.Losses;
import dev.epochstream.learner.optim.Parameters;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class WorkspaceTest {
    private static final NetworkSpec SPEC = new NetworkSpec(new int[] {6, 4, 3},
            List.of(Activation.TANH, Activation.SOFTMAX), 0.01, Initialization.XAVIER, 42L);

    private static final double[][] ROWS = {
        {0, 1.5, 0, 0, -2, 0},
        {0.5, 0, 0, 0, 0, 0},
        {0, 0, 0, 0, 0, 0},
        {0, 0.25, 0, 3, 0, 0},
    };
    private static final double[] CLASSES = {0, 2, 1, 2};

    private static Workspace workspace(Network net, boolean sparse) {
        Workspace ws = new Workspace(net, Losses.create("cce", 1, 1, Activation.SOFTMAX, 0.01), 8, sparse);
        for (double[] row : ROWS) {
            ws.input().addDense(row);
        }
        ws.targets().reshape(ROWS.length, 1);
        System.arraycopy(CLASSES, 0, ws.targets().data, 0, CLASSES.length);
        return ws;
    }

    @Test
    void forwardComputesTheLayersByHand() {
        Network net = new Network(SPEC);
        Workspace ws = workspace(net, false);
        DMatrixRMaj out = ws.forward();
        assertThat(out.numRows).isEqualTo(4);
        assertThat(out.numCols).isEqualTo(3);
        for (int r = 0; r < ROWS.length; r++) {
            double[] h = new double[4];
            for (int o = 0; o < 4; o++) {
                double s = net.biases(0).get(o, 0);
                for (int k = 0; k < 6; k++) {
                    s += ROWS[r][k] * net.weights(0).get(o, k);
                }
                h[o] = Math.tanh(s);
            }
            double[] e = new double[3];
            double sum = 0;
            for (int o = 0; o < 3; o++) {
                double s = net.biases(1).get(o, 0);
                for (int k = 0; k < 4; k++) {
                    s += h[k] * net.weights(1).get(o, k);
                }
                assertThat(ws.lastPreActivation().get(r, o)).isCloseTo(s, within(1e-12));
                e[o] = Math.exp(s);
                sum += e[o];
            }
            for (int o = 0; o < 3; o++) {
                assertThat(out.get(r, o)).isCloseTo(e[o] / sum, within(1e-12));
            }
        }
    }

    @Test
    void sparseForwardAndGradientsEqualDenseBitForBit() {
        Network dense = new Network(SPEC);
        Network sparse = dense.copy();
        Workspace wd = workspace(dense, false);
        Workspace ws = workspace(sparse, true);
        assertThat(ws.forward().data).isEqualTo(wd.forward().data);
        assertThat(ws.computeGradients()).isEqualTo(wd.computeGradients());
        for (int t = 0; t < 4; t++) {
            assertThat(sparse.parameters().grad(t)).as("tensor %d", t).isEqualTo(dense.parameters().grad(t));
        }
    }

    @Test
    void sparseGradientMarksExactlyTheNonZeroColumnsAndClearsThePreviousOnes() {
        Network net = new Network(SPEC);
        Workspace ws = workspace(net, true);
        Parameters p = net.parameters();
        ws.computeGradients();
        assertThat(p.sparseTensor()).isZero();
        // in the order the batch first has them (rows 0, 1, 3)
        assertThat(Arrays.copyOf(p.touchedColumns(), p.touchedCount())).containsExactly(1, 4, 0, 3);
        assertColumnsZeroExcept(net, 0, 1, 3, 4);

        ws.input().clear();
        ws.input().addSparse(new SparseVector(6, new int[] {2, 5}, new double[] {1, -1}));
        ws.input().addSparse(new SparseVector(6, new int[] {5}, new double[] {0.5}));
        ws.targets().reshape(2, 1);
        ws.computeGradients();
        assertThat(Arrays.copyOf(p.touchedColumns(), p.touchedCount())).containsExactly(2, 5);
        assertColumnsZeroExcept(net, 2, 5);

        Workspace dense = workspace(net, false);
        dense.computeGradients();
        assertThat(p.sparseTensor()).isEqualTo(-1);
        ws.computeGradients();
        assertColumnsZeroExcept(net, 2, 5);
    }

    @Test
    void gradientsAreOverwrittenNotAccumulated() {
        Network net = new Network(SPEC);
        Workspace ws = workspace(net, false);
        ws.computeGradients();
        double[] first = net.parameters().grad(0).clone();
        Arrays.fill(net.parameters().grad(2), 123.0);
        ws.computeGradients();
        assertThat(net.parameters().grad(0)).isEqualTo(first);
        assertThat(net.parameters().grad(2)).doesNotContain(123.0);
    }

    @Test
    void inputsTargetsAndWeightsAreNotModified() {
        Network net = new Network(SPEC);
        Workspace ws = workspace(net, true);
        int[] idx = ws.input().indices().clone();
        double[] val = ws.input().values().clone();
        double[] targets = ws.targets().data.clone();
        double[] w0 = net.weights(0).data.clone();
        double[] b1 = net.biases(1).data.clone();
        ws.computeGradients();
        assertThat(ws.input().indices()).isEqualTo(idx);
        assertThat(ws.input().values()).isEqualTo(val);
        assertThat(ws.targets().data).isEqualTo(targets);
        assertThat(net.weights(0).data).isEqualTo(w0);
        assertThat(net.biases(1).data).isEqualTo(b1);
    }

    @Test
    void everyBatchSizeUpToTheMaximumGivesTheSameRowsAsAlone() {
        Network net = new Network(SPEC);
        Workspace all = workspace(net, false);
        double[] batched = all.forward().data.clone();
        Workspace one = new Workspace(net, all.loss(), 8, false);
        for (int r = 0; r < ROWS.length; r++) {
            one.input().clear();
            one.input().addDense(ROWS[r]);
            assertThat(one.forward().data).startsWith(Arrays.copyOfRange(batched, 3 * r, 3 * r + 3));
        }
        one.input().clear();
        for (int r = 0; r < 8; r++) {
            one.input().addDense(ROWS[r % ROWS.length]);
        }
        assertThat(one.forward().numRows).isEqualTo(8);
    }

    @Test
    void anInputOfTwoToTheTwentyFeaturesWithOneOutputTrainsSparsely() {
        int in = 1 << 20;
        NetworkSpec spec = new NetworkSpec(new int[] {in, 1}, List.of(Activation.SIGMOID), 0.01,
                Initialization.XAVIER, 1L);
        Network net = new Network(spec);
        Workspace ws = new Workspace(net, Losses.create("bce", 1, 1, Activation.SIGMOID, 0.01), 32, true);
        ws.input().addSparse(new SparseVector(in, new int[] {7, 1 << 19, in - 1}, new double[] {1, 2, 3}));
        ws.input().addSparse(new SparseVector(in, new int[] {7, 99}, new double[] {-1, 1}));
        ws.targets().reshape(2, 1);
        ws.targets().data[0] = 1;
        ws.targets().data[1] = 0;
        double loss = ws.computeGradients();
        assertThat(loss).isFinite();
        Parameters p = net.parameters();
        assertThat(Arrays.copyOf(p.touchedColumns(), p.touchedCount())).containsExactly(7, 1 << 19, in - 1, 99);
        // dL/dz = (σ(z) − t)/2 per row; dW[0][k] = Σ_r dL/dz_r · x_r,k
        double[] w = net.weights(0).data;
        double z0 = w[7] + 2 * w[1 << 19] + 3 * w[in - 1];
        double z1 = -w[7] + w[99];
        double d0 = (1 / (1 + Math.exp(-z0)) - 1) / 2;
        double d1 = (1 / (1 + Math.exp(-z1))) / 2;
        assertThat(p.grad(0)[7]).isCloseTo(d0 - d1, within(1e-15));
        assertThat(p.grad(0)[99]).isCloseTo(d1, within(1e-15));
        assertThat(p.grad(0)[in - 1]).isCloseTo(3 * d0, within(1e-15));
        assertThat(p.grad(1)[0]).isCloseTo(d0 + d1, within(1e-15));
    }

    @Test
    void computeGradientsAllocatesNothingInSteadyState() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Network net = new Network(new NetworkSpec(new int[] {50, 16, 8, 3},
                List.of(Activation.RELU, Activation.TANH, Activation.SOFTMAX), 0.01, Initialization.HE, 3L));
        SplittableRandom random = new SplittableRandom(9);
        for (boolean sparse : new boolean[] {false, true}) {
            Loss loss = Losses.create("cce", 1, 1, Activation.SOFTMAX, 0.01);
            Workspace ws = new Workspace(net, loss, 16, sparse);
            double[][] rows = new double[16][50];
            for (double[] row : rows) {
                for (int k = 0; k < 50; k += 1 + random.nextInt(5)) {
                    row[k] = random.nextDouble();
                }
            }
            for (int warm = 0; warm < 3; warm++) {
                runBatches(ws, rows);
            }
            // The least of the rounds run until one allocates nothing, at least five and within a deadline: a
            // genuine per-batch allocation shows in every round, while a one-off JIT event (deoptimisation
            // re-materialising a scalar-replaced object) does not. The Vector API kernels box their vectors
            // until C2 compiles them (steady state), so rounds go on until then.
            long tid = Thread.currentThread().getId();
            long least = Long.MAX_VALUE;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (int round = 0; round < 5 || (least > 0 && System.nanoTime() < deadline); round++) {
                long before = threads.getThreadAllocatedBytes(tid);
                runBatches(ws, rows);
                least = Math.min(least, threads.getThreadAllocatedBytes(tid) - before);
            }
            assertThat(least).as("bytes allocated, sparse=%s", sparse).isZero();
        }
    }

    @Test
    void aLossThatCannotTrainTheNetworkIsRefused() {
        Network net = new Network(SPEC);
        assertThatThrownBy(() -> new Workspace(net, Losses.create("bce", 1, 1, Activation.SOFTMAX, 0.01), 4, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model.loss=bce");
        Workspace ws = new Workspace(net, Losses.create("cce", 1, 1, Activation.SOFTMAX, 0.01), 4, false);
        assertThatThrownBy(ws::forward).isInstanceOf(IllegalStateException.class).hasMessageContaining("empty");
    }

    private static void runBatches(Workspace ws, double[][] rows) {
        for (int n = 1; n <= rows.length; n += 5) {
            InputBatch in = ws.input();
            in.clear();
            for (int r = 0; r < n; r++) {
                in.beginRow();
                double[] row = rows[r];
                for (int k = 0; k < row.length; k++) {
                    if (row[k] != 0) {
                        in.put(k, row[k]);
                    }
                }
                in.endRow();
            }
            DMatrixRMaj t = ws.targets();
            t.reshape(n, 1);
            for (int r = 0; r < n; r++) {
                t.data[r] = r % 3;
            }
            ws.computeGradients();
        }
    }

    private static void assertColumnsZeroExcept(Network net, int... columns) {
        DMatrixRMaj g = net.weightGradient(0);
        for (int k = 0; k < g.numCols; k++) {
            int column = k;
            boolean touched = Arrays.stream(columns).anyMatch(c -> c == column);
            for (int o = 0; o < g.numRows; o++) {
                if (!touched) {
                    assertThat(g.get(o, k)).as("dW0[%d][%d]", o, k).isZero();
                }
            }
        }
        for (int c : columns) {
            boolean any = false;
            for (int o = 0; o < g.numRows; o++) {
                any |= g.get(o, c) != 0;
            }
            assertThat(any).as("column %d has a gradient", c).isTrue();
        }
    }
}
