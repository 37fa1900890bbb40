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
     * Applies one update: modifies {@code params.value(i)} in place from {@code params.grad(i)} (of the sparse
     * tensor, from {@link Parameters#packedGrad()} when the optimizer updates only its touched columns) and
     * advances {@code state}. {@code lr} is the current learning rate from the schedule. Gradients may be
     * modified (for example by weight decay folded into them, as torch does). Allocates nothing.
     */
    void step(Parameters params, OptimizerState state, double lr);

    /**
     * True when the next {@link #step} changes, of the sparse tensor {@code params.sparseTensor()}, only
     * the touched columns, in its values and in every state buffer that {@link #bufferTensor} assigns
     * to it; everything else it may change entirely. Lets a caller save and check only what a sparse
     * step can change. False (the default) when any element may change, or the gradient is dense.
     */
    default boolean changesOnlyTouchedColumns(Parameters params, OptimizerState state) {
        return false;
    }

    /**
     * The parameter tensor whose elements state buffer {@code buffer} holds one value per element of
     * (same length and layout), or -1 when it holds something else. Only consulted when
     * {@link #changesOnlyTouchedColumns} is true.
     */
    default int bufferTensor(int buffer, Parameters params) {
        return -1;
    }

    /** The configuration this optimizer was built from. */
    OptimizerConfig config();
}
