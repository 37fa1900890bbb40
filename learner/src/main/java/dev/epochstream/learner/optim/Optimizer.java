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
     * the touched columns, in its values, in every state buffer that {@link #bufferTensor} assigns
     * to it and in every per-column buffer that {@link #bufferColumnsTensor} assigns to it; everything else it
     * may change entirely. Lets a caller save and check only what a sparse
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

    /**
     * The parameter tensor whose columns state buffer {@code buffer} holds one value per column of (entry c for
     * column c: bookkeeping such as the step a column is current at), or -1 when it holds something else. Only
     * consulted when {@link #changesOnlyTouchedColumns} is true. None by default.
     */
    default int bufferColumnsTensor(int buffer, Parameters params) {
        return -1;
    }

    /**
     * True when {@link #stepPacked} may replace the next {@link #step}: it changes only the touched columns of
     * the sparse tensor (see {@link #changesOnlyTouchedColumns}) and each of their elements independently of
     * the others. False by default.
     */
    default boolean updatesPacked(Parameters params, OptimizerState state) {
        return false;
    }

    /**
     * {@link #step}, except that the touched columns of the sparse tensor are read from and written to packed
     * copies instead of the tensor and its state buffers: {@code packedValue[o·touchedCount + j]} is element
     * {@code (o, touchedColumns[j])}, and {@code packedBuffers[b]}, for each state buffer b that
     * {@link #bufferTensor} assigns to the sparse tensor, the same of buffer b (the other entries are not
     * read). The tensor and those buffers are left as they were; the caller writes the copies back. Same
     * doubles as {@link #step}. Only when {@link #updatesPacked}; allocates nothing.
     */
    default void stepPacked(Parameters params, OptimizerState state, double lr, double[] packedValue,
                            double[][] packedBuffers) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not update packed columns");
    }

    /**
     * Brings columns {@code columns[0 .. count)} of tensor {@code tensor} up to date through the last applied
     * step, for an optimizer that defers the work a step does on columns it skips (weight decay on a sparse
     * tensor, {@link CatchUpOptimizer}): call it before a forward pass reads those columns, so that the pass
     * sees the values of the dense run. It runs outside the training step's guard and never writes a non-finite
     * value: an element whose catch-up would overflow keeps its value and state (see {@link CatchUpOptimizer}).
     * Repeated columns are fine. Nothing by default (nothing deferred).
     */
    default void catchUpColumns(Parameters params, OptimizerState state, int tensor, int[] columns, int count) {
    }

    /**
     * {@link #catchUpColumns} for every column of every tensor: afterwards the parameters and state are the
     * dense run's (guarded as {@link #catchUpColumns} is). Returns true when anything changed. Nothing by default.
     */
    default boolean catchUpAll(Parameters params, OptimizerState state) {
        return false;
    }

    /** The configuration this optimizer was built from. */
    OptimizerConfig config();
}
