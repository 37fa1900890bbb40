package dev.epochstream.learner.epoch;

import dev.epochstream.learner.data.Example;
import dev.epochstream.learner.features.FeatureEncoder;
import dev.epochstream.learner.features.Standardizer;
import dev.epochstream.learner.loss.Losses;
import dev.epochstream.learner.nn.InputBatch;
import dev.epochstream.learner.nn.Network;
import dev.epochstream.learner.nn.NetworkSpec;
import dev.epochstream.learner.nn.Workspace;

/**
 * Serves one fixed model: preprocessing, forward pass and decoding exactly as the epoch trainer scores
 * (the same {@link FeatureEncoder}, {@link Network} forward and {@link OutputDecoder}), so a served
 * prediction is bit-identical to the learner's on the same parameters.
 *
 * <p>Not thread-safe (it owns one forward workspace); the parameters it was given are copied, so the
 * caller may reuse its arrays.
 */
public final class Predictor {
    private final NetworkSpec spec;
    private final String loss;
    private final long version;
    private final Standardizer standardizer;
    private final FeatureEncoder encoder;
    private final OutputDecoder decoder;
    private final Workspace workspace;

    /**
     * @param parameters W0, b0, W1, b1, ... as in {@link ModelImage#parameters()}
     * @param standardizer statistics to apply, or null
     * @param hashBits attribute hashing bits, 0 for none
     */
    public Predictor(NetworkSpec spec, String loss, double lossDelta, double lossMargin, double[][] parameters,
                     Standardizer standardizer, int hashBits, long version) {
        this.spec = spec;
        this.loss = loss;
        this.version = version;
        this.standardizer = standardizer == null ? null : standardizer.copy();
        int hashed = hashBits == 0 ? 0 : 1 << hashBits;
        this.encoder = new FeatureEncoder(spec.inputSize() - hashed, hashBits);
        this.decoder = new OutputDecoder(loss, spec.outputSize());
        Network network = new Network(spec);
        if (parameters.length != network.parameters().count()) {
            throw new IllegalArgumentException("expected " + network.parameters().count() + " parameter tensors for "
                    + "layers " + java.util.Arrays.toString(spec.layers()) + ", got " + parameters.length);
        }
        for (int i = 0; i < parameters.length; i++) {
            if (parameters[i].length != network.parameters().size(i)) {
                throw new IllegalArgumentException("parameter tensor " + i + " has " + parameters[i].length
                        + " values, the architecture needs " + network.parameters().size(i));
            }
        }
        network.parameters().copyValuesFrom(parameters);
        boolean sparse = hashBits > 0 || spec.inputSize() > EpochTrainer.SPARSE_INPUT_THRESHOLD;
        this.workspace = new Workspace(network, Losses.create(loss, lossDelta, lossMargin, spec.outputActivation(),
                spec.leakySlope()), 1, sparse);
    }

    public long version() {
        return version;
    }

    public NetworkSpec spec() {
        return spec;
    }

    public String loss() {
        return loss;
    }

    public TaskType task() {
        return decoder.task();
    }

    public FeatureEncoder encoder() {
        return encoder;
    }

    /** Predicts one event; call {@code encoder().problem(e)} first for untrusted input. */
    public Scored predict(Example e) {
        InputBatch in = workspace.input();
        in.clear();
        encoder.encode(e, standardizer, in);
        return decoder.scored(workspace.forward(), 0, version);
    }
}
