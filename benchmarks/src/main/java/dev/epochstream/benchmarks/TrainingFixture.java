package dev.epochstream.benchmarks;

import dev.epochstream.learner.loss.Loss;
import dev.epochstream.learner.loss.Losses;
import dev.epochstream.learner.nn.Activation;
import dev.epochstream.learner.nn.Gemm;
import dev.epochstream.learner.nn.Initialization;
import dev.epochstream.learner.nn.InputBatch;
import dev.epochstream.learner.nn.Network;
import dev.epochstream.learner.nn.NetworkSpec;
import dev.epochstream.learner.optim.Optimizer;
import dev.epochstream.learner.optim.OptimizerConfig;
import dev.epochstream.learner.optim.OptimizerState;
import dev.epochstream.learner.optim.Optimizers;
import dev.epochstream.learner.train.TrainingStep;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;

/**
 * One model training on a pre-generated, seeded data set through the job's own {@link TrainingStep}
 * (no clipping, non-finite guard on), as a benchmark invocation runs it: {@link #trainNextBatch()} fills
 * the preallocated batch with the next {@code batch} examples of the pool (cycling) and steps once. The
 * fill is part of the measured work; neither it nor the step allocates in steady state.
 *
 * <p>Inputs are standard normal; dense inputs are written with {@link InputBatch#addDense}, sparse ones
 * with {@code beginRow/putAll/endRow} (as the job's feature encoder does). Labels are uniform class indices
 * (cce) or 0/1 (bce): the data is noise, which is all a throughput measurement needs.
 */
public final class TrainingFixture {
    /** Examples in the pool: several batches of the largest size, so batches differ. */
    static final int POOL = 2048;
    static final long SEED = 42;

    private final TrainingStep step;
    private final OptimizerState state;
    private final double lr;
    private final int batch;
    private final int targetWidth;

    /** Dense pool rows, or null when sparse. */
    private final double[][] dense;
    /** Sparse pool rows (sorted distinct indices and values), or null when dense. */
    private final int[][] sparseIndices;
    private final double[][] sparseValues;
    /** One target row per pool example, flattened (pool x targetWidth). */
    private final double[] targets;
    private int next;

    private TrainingFixture(NetworkSpec spec, String lossName, String optimizerName, int batch, int sparseNonZeros,
                            Gemm gemm) {
        Network network = new Network(spec);
        Loss loss = Losses.create(lossName, 1.0, 1.0, spec.outputActivation(), spec.leakySlope());
        OptimizerConfig config = Optimizers.defaults(optimizerName);
        Optimizer optimizer = config.create();
        boolean sparse = sparseNonZeros > 0;
        this.step = new TrainingStep(network, loss, optimizer, Double.NaN, batch, sparse, gemm);
        this.state = optimizer.newState(network.parameters());
        this.lr = config.lr();
        this.batch = batch;
        this.targetWidth = loss.targetWidth(spec.outputSize());
        SplittableRandom random = new SplittableRandom(SEED);
        int inputs = spec.inputSize();
        if (sparse) {
            dense = null;
            sparseIndices = new int[POOL][];
            sparseValues = new double[POOL][];
            for (int e = 0; e < POOL; e++) {
                sparseIndices[e] = distinctSorted(random, sparseNonZeros, inputs);
                sparseValues[e] = normals(random, sparseNonZeros);
            }
        } else {
            sparseIndices = null;
            sparseValues = null;
            dense = new double[POOL][];
            for (int e = 0; e < POOL; e++) {
                dense[e] = normals(random, inputs);
            }
        }
        targets = new double[POOL * targetWidth];
        int classes = "bce".equals(lossName) ? 2 : spec.outputSize();
        for (int e = 0; e < POOL; e++) {
            targets[e * targetWidth] = random.nextInt(classes);
        }
    }

    /**
     * A dense network: hidden layers relu, the output softmax for cce or sigmoid for bce.
     *
     * @param optimizer a config name ({@code optimizer=...}) with its default hyper-parameters
     */
    public static TrainingFixture dense(int[] layers, String loss, String optimizer, int batch) {
        return dense(layers, loss, optimizer, batch, Gemm.REPRODUCIBLE);
    }

    /** {@link #dense(int[], String, String, int)} with the dense products computed as {@code gemm} says. */
    public static TrainingFixture dense(int[] layers, String loss, String optimizer, int batch, Gemm gemm) {
        return new TrainingFixture(spec(layers, loss), loss, optimizer, batch, 0, gemm);
    }

    /** A network fed by sparse (CSR) rows of {@code nonZeros} non-zeros each; see {@link #dense}. */
    public static TrainingFixture sparse(int[] layers, int nonZeros, String loss, String optimizer, int batch) {
        if (nonZeros < 1) {
            throw new IllegalArgumentException("a sparse row needs at least one non-zero, got " + nonZeros);
        }
        return new TrainingFixture(spec(layers, loss), loss, optimizer, batch, nonZeros, Gemm.REPRODUCIBLE);
    }

    private static NetworkSpec spec(int[] layers, String loss) {
        Activation[] activations = new Activation[layers.length - 1];
        Arrays.fill(activations, Activation.RELU);
        activations[activations.length - 1] = "bce".equals(loss) ? Activation.SIGMOID : Activation.SOFTMAX;
        return new NetworkSpec(layers, List.of(activations), 0.01, Initialization.XAVIER, SEED);
    }

    /**
     * Fills the batch with the next examples of the pool and trains on it. Returns the batch's loss when
     * the update was applied, NaN when the step refused it.
     */
    public double trainNextBatch() {
        InputBatch in = step.workspace().input();
        in.clear();
        DMatrixRMaj y = step.workspace().targets();
        y.reshape(batch, targetWidth);
        for (int r = 0; r < batch; r++) {
            int e = next;
            next = next + 1 == POOL ? 0 : next + 1;
            if (dense != null) {
                in.addDense(dense[e]);
            } else {
                int[] idx = sparseIndices[e];
                double[] val = sparseValues[e];
                in.beginRow();
                in.putAll(idx, val, idx.length);
                in.endRow();
            }
            System.arraycopy(targets, e * targetWidth, y.data, r * targetWidth, targetWidth);
        }
        return step.step(state, lr) ? step.lastLoss() : Double.NaN;
    }

    public int batch() {
        return batch;
    }

    private static double[] normals(SplittableRandom random, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = random.nextGaussian();
        }
        return x;
    }

    /** {@code k} distinct indices in [0, bound), ascending. */
    static int[] distinctSorted(SplittableRandom random, int k, int bound) {
        if (k > bound) {
            throw new IllegalArgumentException(k + " distinct indices do not fit in [0, " + bound + ")");
        }
        int[] idx = new int[k];
        int filled = 0;
        while (filled < k) {
            int candidate = random.nextInt(bound);
            boolean seen = false;
            for (int i = 0; i < filled; i++) {
                seen |= idx[i] == candidate;
            }
            if (!seen) {
                idx[filled++] = candidate;
            }
        }
        Arrays.sort(idx);
        return idx;
    }
}
