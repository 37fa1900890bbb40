package dev.epochstream.learner.epoch;

import java.util.Locale;

/**
 * What a model's outputs mean, derived from its loss and output size; decides how predictions are read
 * and which metrics an epoch reports.
 */
public enum TaskType {
    /** One class per event: cce, bce or hinge with one output (binary), multi-class hinge. */
    CLASSIFICATION,
    /** Several independent 0/1 labels: bce with several outputs. */
    MULTILABEL,
    /** Real-valued targets: mse, mae, huber. */
    REGRESSION,
    /** A target distribution: kl. */
    DISTRIBUTION,
    /** Embeddings trained by triplet loss. */
    EMBEDDING;

    public static TaskType of(String loss, int outputs) {
        return switch (loss) {
            case "cce", "hinge" -> CLASSIFICATION;
            case "bce" -> outputs == 1 ? CLASSIFICATION : MULTILABEL;
            case "mse", "mae", "huber" -> REGRESSION;
            case "kl" -> DISTRIBUTION;
            case "triplet" -> EMBEDDING;
            default -> throw new IllegalArgumentException("unknown loss " + loss);
        };
    }

    /** Number of classes for classification (2 for a single-output binary model), else 0. */
    public static int classes(String loss, int outputs) {
        TaskType t = of(loss, outputs);
        if (t == CLASSIFICATION) {
            return outputs == 1 ? 2 : outputs;
        }
        if (t == DISTRIBUTION) {
            return outputs;
        }
        return 0;
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
