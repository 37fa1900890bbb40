package dev.epochstream.learner.nn;

import dev.epochstream.learner.loss.Loss;
import dev.epochstream.learner.optim.Optimizer;
import dev.epochstream.learner.optim.OptimizerState;
import dev.epochstream.learner.optim.Parameters;
import org.ejml.data.DMatrixRMaj;

/**
 * All scratch of the forward and backward passes of one {@link Network} under one {@link Loss}, allocated
 * once for batches of up to {@code maxBatch} rows; any batch size from 1 to maxBatch then runs without
 * allocating (matrices are reshaped within their capacity), except that the sparse buffers grow when a
 * batch has more non-zeros than any before.
 *
 * <p>Use: fill {@link #input()} and the first n rows of {@link #targets()}, then call {@link #forward()},
 * {@link #computeLoss()} or {@link #computeGradients()}. The network's parameters are read live, so an
 * optimizer step between calls is seen by the next one. Not thread-safe.
 *
 * <p>Sparse input: the first layer costs O(nnz·out) forward and backward and the input is never
 * densified. Its weight gradient is computed packed, only at the batch's distinct non-zero columns, in the
 * order they first occur in the batch ({@link Parameters#packedGradStorage}, declared with {@link Parameters#markSparsePacked}): the in x out
 * dense gradient is neither cleared nor written (a random cache miss per non-zero saved), and is filled
 * from the packed values only if someone asks for it ({@link Parameters#grad}).
 *
 * <p>The dense products (every layer's forward and backward, the first layer's too when its input is dense)
 * run as {@link Gemm} says: {@link Gemm#REPRODUCIBLE} by default, bit-identical on every machine.
 */
public final class Workspace {
    private final Network net;
    private final Loss loss;
    private final int maxBatch;
    private final int layers;
    private final int[] sizes;
    private final Activation[] activations;
    private final double slope;
    private final int targetWidth;
    private final DenseProducts products;

    private final InputBatch input;
    private final DMatrixRMaj targets;
    /** Per dense layer: pre-activation z, activation a, and dL/dz (also dL/da while back-propagating). */
    private final DMatrixRMaj[] z;
    private final DMatrixRMaj[] a;
    private final DMatrixRMaj[] delta;
    /**
     * Softmax output layer: each row's max and Σ exp(z − max) of the latest forward pass, handed to the loss so
     * that it does not recompute the exponentials ({@link Loss#valueGivenSoftmax}); null for other outputs.
     */
    private final double[] rowMax;
    private final double[] rowSum;
    /** Softmax output layer: the vectorised exponentials' scratch (2 x n x outputs); null for other outputs. */
    private final double[] softmaxScratch;

    /**
     * The batch's distinct columns in first-seen order (handed to Parameters) and each non-zero's slot among
     * them; grow-only.
     */
    private int[] touched = new int[16];
    private int[] slotOf = new int[16];
    private final ColumnSlots columnSlots = new ColumnSlots();

    /** A workspace with the {@link Gemm#REPRODUCIBLE} products. */
    public Workspace(Network net, Loss loss, int maxBatch, boolean sparseInput) {
        this(net, loss, maxBatch, sparseInput, Gemm.REPRODUCIBLE);
    }

    /**
     * @param sparseInput whether {@link #input()} stores compressed sparse rows
     * @param gemm how the dense products are computed
     * @throws IllegalArgumentException when the loss cannot train this network ({@link Loss#validate})
     */
    public Workspace(Network net, Loss loss, int maxBatch, boolean sparseInput, Gemm gemm) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maximum batch size must be >= 1, got " + maxBatch);
        }
        NetworkSpec spec = net.spec();
        loss.validate(spec.outputActivation(), spec.outputSize());
        this.net = net;
        this.loss = loss;
        this.maxBatch = maxBatch;
        this.layers = spec.layerCount();
        this.sizes = spec.layers();
        this.activations = spec.activations().toArray(new Activation[0]);
        this.slope = spec.leakySlope();
        this.targetWidth = loss.targetWidth(spec.outputSize());
        this.products = gemm.products(sizes, sparseInput);
        this.input = new InputBatch(spec.inputSize(), maxBatch, sparseInput);
        this.targets = new DMatrixRMaj(maxBatch, targetWidth);
        z = new DMatrixRMaj[layers];
        a = new DMatrixRMaj[layers];
        delta = new DMatrixRMaj[layers];
        for (int l = 0; l < layers; l++) {
            z[l] = new DMatrixRMaj(maxBatch, sizes[l + 1]);
            a[l] = new DMatrixRMaj(maxBatch, sizes[l + 1]);
            delta[l] = new DMatrixRMaj(maxBatch, sizes[l + 1]);
        }
        boolean softmax = activations[layers - 1] == Activation.SOFTMAX;
        rowMax = softmax ? new double[maxBatch] : null;
        rowSum = softmax ? new double[maxBatch] : null;
        softmaxScratch = softmax ? new double[2 * maxBatch * spec.outputSize()] : null;
    }

    /** The batch to fill, capacity maxBatch. */
    public InputBatch input() {
        return input;
    }

    /**
     * The targets: fill rows [0, n) of width {@link Loss#targetWidth}; capacity maxBatch rows. The workspace
     * reshapes it to n rows itself; a caller reshaping it must keep the width.
     */
    public DMatrixRMaj targets() {
        return targets;
    }

    public Network network() {
        return net;
    }

    public Loss loss() {
        return loss;
    }

    public int maxBatch() {
        return maxBatch;
    }

    /**
     * Forward pass over the {@code input().size()} rows. Returns the last layer's activations (n x outputs),
     * a view valid until the next call.
     */
    public DMatrixRMaj forward() {
        int n = input.size();
        if (n == 0) {
            throw new IllegalStateException("the input batch is empty");
        }
        for (int l = 0; l < layers; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            z[l].reshape(n, out);
            a[l].reshape(n, out);
            double[] w = net.weights(l).data;
            double[] b = net.biases(l).data;
            if (l > 0) {
                products.forward(a[l - 1].data, n, in, w, b, out, z[l].data);
            } else if (input.isSparse()) {
                DenseLayerMath.forwardSparse(input.rowStart(), input.indices(), input.values(), n, in, w, b, out,
                        z[0].data);
            } else {
                products.forward(input.denseData(), n, in, w, b, out, z[0].data);
            }
            if (l == layers - 1 && rowSum != null) {
                ActivationFunctions.softmax(z[l], a[l], rowMax, rowSum, softmaxScratch);
            } else {
                ActivationFunctions.forward(activations[l], slope, z[l], a[l]);
            }
        }
        return a[layers - 1];
    }

    /** The last layer's pre-activation (logits) of the latest forward pass. */
    public DMatrixRMaj lastPreActivation() {
        return z[layers - 1];
    }

    /** Pre-activation z of dense layer {@code layer} from the latest forward pass (for tests and inspection). */
    DMatrixRMaj preActivation(int layer) {
        return z[layer];
    }

    /** dL/dz of dense layer {@code layer} from the latest backward pass (for tests and inspection). */
    DMatrixRMaj delta(int layer) {
        return delta[layer];
    }

    /**
     * Lets {@code optimizer} bring the first layer's columns that this sparse batch reads up to date before
     * the forward pass ({@link Optimizer#catchUpColumns}); nothing for a dense batch.
     */
    public void catchUpInputColumns(Optimizer optimizer, OptimizerState state) {
        if (input.isSparse()) {
            optimizer.catchUpColumns(net.parameters(), state, 0, input.indices(), input.nonZeros());
        }
    }

    /** Forward pass, then the mean loss over the batch against rows [0, n) of {@link #targets()}. */
    public double computeLoss() {
        forward();
        return lossOfForward();
    }

    /**
     * The mean loss of the latest {@link #forward()} against rows [0, n) of {@link #targets()}: what
     * {@link Loss#value} gives for the last layer's z and a, without recomputing a softmax's exponentials.
     */
    public double lossOfForward() {
        targets.reshape(input.size(), targetWidth);
        int last = layers - 1;
        return rowSum != null ? loss.valueGivenSoftmax(z[last], a[last], rowMax, rowSum, targets)
                : loss.value(z[last], a[last], targets);
    }

    /**
     * Forward pass, loss and back-propagation: overwrites every gradient of {@code network().parameters()}
     * with dL/dθ of the mean loss, marks the W0 gradient sparse (sparse input) or dense, and returns the
     * loss value.
     */
    public double computeGradients() {
        forward();
        return backward();
    }

    /**
     * Keeps the latest forward pass for its first {@code rows} rows only (input, activations and softmax
     * statistics of those rows untouched), as if the forward pass had been run over just them: every row of a
     * {@link Gemm#REPRODUCIBLE} forward pass depends only on its own input, so this is the forward pass of
     * that smaller batch, bit for bit. Targets rows [0, rows) must still be that batch's.
     */
    public void keepFirstRows(int rows) {
        input.truncate(rows);
        for (int l = 0; l < layers; l++) {
            z[l].reshape(rows, sizes[l + 1]);
            a[l].reshape(rows, sizes[l + 1]);
        }
    }

    /**
     * Loss and back-propagation of the latest {@link #forward()} (parameters unchanged since): as
     * {@link #computeGradients()} without the forward pass.
     */
    public double backward() {
        int n = input.size();
        targets.reshape(n, targetWidth);
        int last = layers - 1;
        delta[last].reshape(n, sizes[layers]);
        double value = rowSum != null
                ? loss.gradientGivenSoftmax(z[last], a[last], rowMax, rowSum, targets, delta[last])
                : loss.gradient(z[last], a[last], targets, delta[last]);
        for (int l = last; l > 0; l--) {
            int in = sizes[l];
            int out = sizes[l + 1];
            products.weightGradient(delta[l].data, a[l - 1].data, n, in, out,
                    net.weightGradient(l).data, net.biasGradient(l).data);
            // dL/da_{l-1} = δ_l·W_l, then through the activation of layer l-1 into δ_{l-1}
            delta[l - 1].reshape(n, in);
            products.inputGradient(delta[l].data, net.weights(l).data, n, in, out, delta[l - 1].data);
            ActivationFunctions.backwardInPlace(activations[l - 1], slope, z[l - 1], a[l - 1], delta[l - 1]);
        }
        if (input.isSparse()) {
            firstLayerSparseGradient(n);
        } else {
            net.parameters().markDense(); // first: the whole gradient is overwritten, nothing packed to scatter
            products.weightGradient(delta[0].data, input.denseData(), n, sizes[0], sizes[1],
                    net.weightGradient(0).data, net.biasGradient(0).data);
        }
        return value;
    }

    private void firstLayerSparseGradient(int n) {
        Parameters params = net.parameters();
        int nnz = input.nonZeros();
        if (touched.length < nnz) {
            touched = new int[Math.max(nnz, 2 * touched.length)];
            slotOf = new int[touched.length];
        }
        int count;
        if (sizes[1] == 1) {
            // one output (logistic regression): de-duplication and gradient in one pass over the non-zeros
            double[] packed = params.packedGradStorage(nnz);
            count = columnSlots.assignWithGradient(input.rowStart(), input.indices(), input.values(), n,
                    delta[0].data, touched, packed);
            DenseLayerMath.biasGradient(delta[0].data, n, 1, net.biasGradient(0).data);
        } else {
            count = columnSlots.assign(input.indices(), nnz, touched, slotOf);
            double[] packed = params.packedGradStorage(sizes[1] * count);
            DenseLayerMath.weightGradientPacked(delta[0].data, input.rowStart(), slotOf, input.values(), n,
                    sizes[1], count, packed, net.biasGradient(0).data);
        }
        params.markSparsePacked(0, touched, count);
    }
}
