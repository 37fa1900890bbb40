package dev.epochstream.learner.train;

import dev.epochstream.learner.optim.Optimizer;
import dev.epochstream.learner.optim.OptimizerState;
import dev.epochstream.learner.optim.Parameters;

/**
 * What one optimizer step may change, saved before the step so that a refused step can be undone bit for
 * bit, and checked for non-finite values after it.
 *
 * <p>Dense steps cover every parameter, counter and state buffer. When the optimizer changes only the
 * touched columns of the sparse tensor ({@link Optimizer#changesOnlyTouchedColumns}), only those columns of
 * that tensor and of its state buffers are saved and checked (everything else in full): a step on a
 * 2^20-input first layer then costs its few hundred touched columns instead of copying and scanning
 * every weight and moment three times. The untouched elements are not changed by such a step, so there is
 * nothing of theirs to restore or to newly find non-finite.
 *
 * <p>Saved columns sit at their own positions in full-size arrays, so no index list is kept. Allocated
 * once per parameter layout and optimizer-state layout; {@link #save}, {@link #changedAllFinite} and
 * {@link #restore} allocate nothing. Not thread-safe.
 */
final class UpdateBackup {
    private final double[][] values;
    private OptimizerState state;
    /** The sparse tensor whose touched columns alone were saved by the latest {@link #save}, or -1. */
    private int columnsOf = -1;

    UpdateBackup(Parameters params) {
        this.values = params.newZeroedLike();
    }

    /** Saves what {@code optimizer.step(params, state, lr)} may change. */
    void save(Parameters params, OptimizerState current, Optimizer optimizer) {
        if (state == null || !state.sameLayout(current)) {
            state = current.copy();
        }
        columnsOf = optimizer.changesOnlyTouchedColumns(params, current) ? params.sparseTensor() : -1;
        for (int k = 0; k < params.count(); k++) {
            copy(params, k, params.size(k), params.value(k), values[k]);
        }
        state.setStep(current.step());
        System.arraycopy(current.counters(), 0, state.counters(), 0, current.counters().length);
        for (int b = 0; b < current.buffers().length; b++) {
            copy(params, optimizer.bufferTensor(b, params), current.buffer(b).length, current.buffer(b), state.buffer(b));
        }
    }

    /** True when everything the step may have changed (as saved) is finite now. */
    boolean changedAllFinite(Parameters params, OptimizerState current, Optimizer optimizer) {
        for (int k = 0; k < params.count(); k++) {
            if (!allFinite(params, k, params.size(k), params.value(k))) {
                return false;
            }
        }
        for (int b = 0; b < current.buffers().length; b++) {
            if (!allFinite(params, optimizer.bufferTensor(b, params), current.buffer(b).length, current.buffer(b))) {
                return false;
            }
        }
        return true;
    }

    /** Puts back what {@link #save} saved, bit for bit. */
    void restore(Parameters params, OptimizerState current, Optimizer optimizer) {
        for (int k = 0; k < params.count(); k++) {
            copy(params, k, params.size(k), values[k], params.value(k));
        }
        current.setStep(state.step());
        System.arraycopy(state.counters(), 0, current.counters(), 0, current.counters().length);
        for (int b = 0; b < current.buffers().length; b++) {
            copy(params, optimizer.bufferTensor(b, params), current.buffer(b).length, state.buffer(b), current.buffer(b));
        }
    }

    private void copy(Parameters params, int tensor, int length, double[] from, double[] to) {
        visit(params, tensor, length, from, to);
    }

    private boolean allFinite(Parameters params, int tensor, int length, double[] a) {
        return visit(params, tensor, length, a, null);
    }

    /**
     * Walks {@code from[0 .. length)}, or only the touched columns when {@code tensor} (the parameter tensor
     * the array belongs to, or -1) is the one saved by columns: copies into {@code to} when it is not null,
     * else returns false at the first non-finite element.
     */
    private boolean visit(Parameters params, int tensor, int length, double[] from, double[] to) {
        if (tensor < 0 || tensor != columnsOf) {
            if (to != null) {
                System.arraycopy(from, 0, to, 0, length);
                return true;
            }
            for (int i = 0; i < length; i++) {
                if (!Double.isFinite(from[i])) {
                    return false;
                }
            }
            return true;
        }
        int[] touched = params.touchedColumns();
        int cols = params.cols(tensor);
        int n = params.size(tensor);
        for (int j = 0, count = params.touchedCount(); j < count; j++) {
            for (int i = touched[j]; i < n; i += cols) {
                if (to != null) {
                    to[i] = from[i];
                } else if (!Double.isFinite(from[i])) {
                    return false;
                }
            }
        }
        return true;
    }
}
