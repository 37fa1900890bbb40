package dev.epochstream.learner.optim;

/**
 * One optimizer's update rule. Implementations are stateless apart from their immutable config and
 * preallocated scratch; all per-model state lives in {@link OptimizerState}.
 *
 * <p>Lifecycle: {@link #newState(Parameters)} once per model, then {@link #step} once per mini-batch.
 */
public interface Optimizer {

    /** Fresh state (zeroed as torch initialises it) for parameters of these shapes. */
    OptimizerState newState(Parameters params);

    /**
     * Applies one update: modifies {@code params.value(i)} in place from {@code params.grad(i)} and
     * advances {@code state}. {@code lr} is the current learning rate from the schedule. Gradients may be
     * modified (for example by weight decay folded into them, as torch does). Allocates nothing.
     */
    void step(Parameters params, OptimizerState state, double lr);

    /** The configuration this optimizer was built from. */
    OptimizerConfig config();
}
