package dev.epochstream.learner.nn;

import dev.epochstream.learner.optim.Parameters;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;

/**
 * The trainable tensors of a fully connected network: per dense layer l a weight matrix W_l
 * ([out][in], row-major) and a bias b_l (out x 1), plus a gradient of each.
 *
 * <p>The EJML matrices wrap the same arrays as {@link #parameters()}, so an optimizer stepping the
 * parameters changes the network and {@link Workspace} gradients are seen by the optimizer. Never
 * reshape the returned matrices.
 *
 * <p>Initial weights: {@link Initialization} with one {@code SplittableRandom(spec.seed())}, W_0 first then
 * W_1, ..., each row-major, a layer's biases after its weights (torch only; otherwise they start at 0).
 * Gradients start at 0 and dense.
 */
public final class Network {
    private final NetworkSpec spec;
    private final DMatrixRMaj[] weights;
    private final DMatrixRMaj[] biases;
    private final DMatrixRMaj[] weightGrads;
    private final DMatrixRMaj[] biasGrads;
    private final Parameters parameters;

    public Network(NetworkSpec spec) {
        this(spec, true);
    }

    private Network(NetworkSpec spec, boolean initialise) {
        this.spec = spec;
        int layers = spec.layerCount();
        weights = new DMatrixRMaj[layers];
        biases = new DMatrixRMaj[layers];
        weightGrads = new DMatrixRMaj[layers];
        biasGrads = new DMatrixRMaj[layers];
        double[][] values = new double[2 * layers][];
        double[][] grads = new double[2 * layers][];
        int[] rows = new int[2 * layers];
        int[] cols = new int[2 * layers];
        SplittableRandom random = new SplittableRandom(spec.seed());
        for (int l = 0; l < layers; l++) {
            int in = spec.layerSize(l);
            int out = spec.layerSize(l + 1);
            values[2 * l] = new double[out * in];
            grads[2 * l] = new double[out * in];
            values[2 * l + 1] = new double[out];
            grads[2 * l + 1] = new double[out];
            rows[2 * l] = out;
            cols[2 * l] = in;
            rows[2 * l + 1] = out;
            cols[2 * l + 1] = 1;
            if (initialise) {
                spec.init().fill(values[2 * l], in, out, random);
                spec.init().fillBiases(values[2 * l + 1], in, out, random);
            }
            weights[l] = DMatrixRMaj.wrap(out, in, values[2 * l]);
            weightGrads[l] = DMatrixRMaj.wrap(out, in, grads[2 * l]);
            biases[l] = DMatrixRMaj.wrap(out, 1, values[2 * l + 1]);
            biasGrads[l] = DMatrixRMaj.wrap(out, 1, grads[2 * l + 1]);
        }
        parameters = new Parameters(values, grads, rows, cols);
    }

    public NetworkSpec spec() {
        return spec;
    }

    /** Live weight matrix of dense layer {@code layer}: rows = outputs, cols = inputs. */
    public DMatrixRMaj weights(int layer) {
        return weights[layer];
    }

    /** Live bias of dense layer {@code layer}, outputs x 1. */
    public DMatrixRMaj biases(int layer) {
        return biases[layer];
    }

    /**
     * Live gradient of {@link #weights(int)}: {@link Parameters#grad} of its tensor, so a packed sparse gradient
     * is scattered into it first.
     */
    public DMatrixRMaj weightGradient(int layer) {
        parameters.grad(2 * layer);
        return weightGrads[layer];
    }

    /** Live gradient of {@link #biases(int)}. */
    public DMatrixRMaj biasGradient(int layer) {
        return biasGrads[layer];
    }

    /** Live view of values and gradients, tensor order W0, b0, W1, b1, ... */
    public Parameters parameters() {
        return parameters;
    }

    /**
     * Makes {@code values} (W0, b0, W1, b1, ..., exactly the shapes of {@link #parameters()}) this network's
     * parameters, kept and not copied: forward passes read them and optimizer steps write them in place. A
     * trainer serving many models binds each model's own arrays before it works on that model, so that taking
     * up a model and putting it back copies nothing (a 2^20-input first layer is 8 MB). The gradients stay.
     *
     * @throws IllegalArgumentException when the count or a length differs (nothing is bound then)
     */
    public void bind(double[][] values) {
        parameters.bindValues(values);
        for (int l = 0; l < weights.length; l++) {
            weights[l].data = values[2 * l];
            biases[l].data = values[2 * l + 1];
        }
    }

    /** A deep copy of the spec and the current values; the copy's gradients are zero and dense. */
    public Network copy() {
        Network c = new Network(spec, false);
        for (int l = 0; l < weights.length; l++) {
            System.arraycopy(weights[l].data, 0, c.weights[l].data, 0, weights[l].getNumElements());
            System.arraycopy(biases[l].data, 0, c.biases[l].data, 0, biases[l].getNumElements());
        }
        return c;
    }
}
