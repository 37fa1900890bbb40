package dev.epochstream.learner.epoch;

import dev.epochstream.learner.features.Standardizer;
import dev.epochstream.learner.optim.OptimizerState;

/**
 * The exportable part of a model (what a snapshot carries): parameters, preprocessing statistics,
 * optional optimizer state and lifetime counters. Rolling metrics and gate bookkeeping stay in the job's
 * state. Arrays are shared, not copied: treat an image as read-only.
 *
 * @param parameters W0, b0, W1, b1, ... (row-major [out][in] weights, [out] biases)
 * @param optimizer the optimizer state, or null when not exported
 * @param standardizer the standardisation statistics, or null when standardisation is off
 * @param trainedThrough latest trained event time, or {@link ModelState#NO_TIME}
 */
public record ModelImage(String key, long version, long trainedThrough, double[][] parameters,
                         OptimizerState optimizer, Standardizer standardizer, long seen, long trained, long heldOut,
                         long late, long refused, long refusedUpdates, long epochs) {
}
