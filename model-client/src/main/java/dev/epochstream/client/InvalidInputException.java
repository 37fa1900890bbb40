package dev.epochstream.client;

import dev.epochstream.learner.features.FeatureProblem;

/**
 * The features do not fit the serving model: wrong dimension, malformed sparse vector, non-finite or
 * absurdly large values ({@link FeatureProblem.Kind}). The model is never run on such input.
 */
public final class InvalidInputException extends ModelClientException {

    private final String key;
    private final long version;
    private final FeatureProblem.Kind kind;

    public InvalidInputException(String key, long version, FeatureProblem problem) {
        super("input for model '" + key + "' version " + version + " refused ("
                + problem.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "): " + problem.message());
        this.key = key;
        this.version = version;
        this.kind = problem.kind();
    }

    public String key() {
        return key;
    }

    /** The version that refused the input (a later version may have another dimension). */
    public long version() {
        return version;
    }

    public FeatureProblem.Kind kind() {
        return kind;
    }
}
