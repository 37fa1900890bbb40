package dev.epochstream.client;

import dev.epochstream.learner.epoch.TaskType;

/**
 * A served prediction and the model version that produced it.
 *
 * @param prediction as the learner's {@code Scored.prediction()} reads it: the class index (an
 *     {@code Integer}) for classification, the value (a {@code Double}) for a one-output regression, else a
 *     {@code double[]} (0/1 per label for multilabel)
 * @param scores the output layer's values (probabilities for softmax/sigmoid outputs); a fresh array owned
 *     by the caller
 */
public record ModelPrediction(String key, long version, TaskType task, Object prediction, double[] scores) {
}
