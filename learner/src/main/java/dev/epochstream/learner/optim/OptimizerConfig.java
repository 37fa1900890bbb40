package dev.epochstream.learner.optim;

/**
 * Immutable hyper-parameters of an optimizer. Each implementation is a record validated in its
 * compact constructor, and builds the {@link Optimizer} that applies it.
 */
public interface OptimizerConfig {

    /** The configuration name ({@code optimizer=...}), e.g. "adam". */
    String name();

    /** The base learning rate. */
    double lr();

    /** Builds the update rule; the optimizer keeps no per-model state of its own. */
    Optimizer create();
}
