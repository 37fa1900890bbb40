package dev.epochstream.learner.nn;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The shape of a fully connected network: {@code layers[0]} inputs, then one dense layer per further entry,
 * each followed by its activation. Immutable; the array and list are copied in and out.
 *
 * @param layers sizes, input first ({@code model.layers}); at least 2 entries, each >= 1
 * @param activations one per dense layer ({@code model.activations}); softmax on the last layer only
 * @param leakySlope negative-side slope of {@link Activation#LEAKY_RELU} ({@code model.leaky-slope}), finite, >= 0
 * @param init weight initialisation ({@code model.init})
 * @param seed seed of the initial weights
 */
public record NetworkSpec(int[] layers, List<Activation> activations, double leakySlope,
                          Initialization init, long seed) {

    public NetworkSpec {
        Objects.requireNonNull(layers, "model.layers must be set");
        Objects.requireNonNull(activations, "model.activations must be set");
        Objects.requireNonNull(init, "model.init must be set (xavier, he or torch)");
        if (layers.length < 2) {
            throw new IllegalArgumentException("model.layers needs at least 2 sizes (inputs and outputs), got "
                    + Arrays.toString(layers));
        }
        for (int i = 0; i < layers.length; i++) {
            if (layers[i] < 1) {
                throw new IllegalArgumentException("model.layers[" + i + "] is " + layers[i]
                        + ": every layer size must be >= 1");
            }
        }
        layers = layers.clone();
        activations = List.copyOf(activations);
        if (activations.size() != layers.length - 1) {
            throw new IllegalArgumentException("model.activations has " + activations.size()
                    + " entries but model.layers " + Arrays.toString(layers) + " has " + (layers.length - 1)
                    + " dense layers: give exactly one activation per layer after the input");
        }
        for (int i = 0; i < activations.size() - 1; i++) {
            if (activations.get(i) == Activation.SOFTMAX) {
                throw new IllegalArgumentException("model.activations[" + i
                        + "] is softmax: softmax is allowed on the last layer only; use another activation"
                        + " for hidden layers");
            }
        }
        if (!Double.isFinite(leakySlope) || leakySlope < 0) {
            throw new IllegalArgumentException("model.leaky-slope is " + leakySlope
                    + ": it must be a finite number >= 0 (torch's default is 0.01)");
        }
    }

    /** A copy of the layer sizes. */
    @Override
    public int[] layers() {
        return layers.clone();
    }

    /** Size of layer {@code i} (0 = input) without copying. */
    public int layerSize(int i) {
        return layers[i];
    }

    public int inputSize() {
        return layers[0];
    }

    public int outputSize() {
        return layers[layers.length - 1];
    }

    /** Number of dense layers (= number of activations). */
    public int layerCount() {
        return layers.length - 1;
    }

    public Activation outputActivation() {
        return activations.get(activations.size() - 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetworkSpec s && Arrays.equals(s.layers, layers) && s.activations.equals(activations)
                && Double.compare(s.leakySlope, leakySlope) == 0 && s.init == init && s.seed == seed;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(layers), activations, leakySlope, init, seed);
    }

    @Override
    public String toString() {
        return "NetworkSpec[layers=" + Arrays.toString(layers) + ", activations=" + activations + ", leakySlope="
                + leakySlope + ", init=" + init + ", seed=" + seed + "]";
    }
}
