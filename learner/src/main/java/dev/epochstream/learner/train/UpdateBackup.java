package dev.epochstream.learner.train;

import dev.epochstream.learner.nn.Finiteness;
import dev.epochstream.learner.optim.Optimizer;
import dev.epochstream.learner.optim.OptimizerState;
import dev.epochstream.learner.optim.Parameters;

/**
 * What one optimizer step may change, saved before the step so that a refused step can be undone bit for
 * bit, and checked for non-finite values after it.
 *
 * <p>Dense steps cover every parameter, counter and state buffer. When the optimizer changes only the
 * touched columns of the sparse tensor ({@link Optimizer#changesOnlyTouchedColumns}), only those columns of
 * that tensor, of its state buffers and of its per-column buffers ({@link Optimizer#bufferColumnsTensor}: the
 * deferred weight decay's bookkeeping) are saved and checked (everything else in full): a step on a
 * 2^20-input first layer then costs its few hundred touched columns instead of copying and scanning
 * every weight and moment three times. The untouched elements are not changed by such a step, so there is
 * nothing of theirs to restore or to newly find non-finite.
 *
 * <p>Saved columns are packed row by row ({@code saved[o·count + j]} is element {@code touched[j] + o·cols}),
 * one grow-only buffer per saved array: writing them at their own
 * positions in full-size arrays cost a second random cache miss per element. The full-size copies serve
 * dense steps. Allocated once per parameter layout and optimizer-state layout (the packed buffers grow
 * when a step touches more columns than any before); {@link #save}, {@link #changedAllFinite} and
 * {@link #restore} allocate nothing otherwise. Not thread-safe.
 */
final class UpdateBackup {
    private static final long EXPONENT = 0x7ff0_0000_0000_0000L;
    private static final long EXPONENT_ONE = 1L << 52;
    private final double[][] values;
    private OptimizerState state;
    /** The sparse tensor whose touched columns alone were saved by the latest {@link #save}, or -1. */
    private int columnsOf = -1;
    /** Packed touched columns: slot 0 for the parameter tensor, slot 1 + b for state buffer b. */
    private double[][] packed = new double[1][0];
    /** {@link #packedBuffers()}: entry b is packed[1 + b] for the sparse tensor's buffers, else null. */
    private double[][] packedBuffers = new double[0][];

    UpdateBackup(Parameters params) {
        this.values = params.newZeroedLike();
    }

    /** Saves what {@code optimizer.step(params, state, lr)} may change. */
    void save(Parameters params, OptimizerState current, Optimizer optimizer) {
        if (state == null || !state.sameLayout(current)) {
            state = current.copy();
            packed = new double[1 + current.buffers().length][0];
            packedBuffers = new double[current.buffers().length][];
        }
        columnsOf = optimizer.changesOnlyTouchedColumns(params, current) ? params.sparseTensor() : -1;
        for (int k = 0; k < params.count(); k++) {
            if (k == columnsOf) {
                packed[0] = saveColumns(params, params.value(k), packed[0], params.rows(k));
            } else {
                System.arraycopy(params.value(k), 0, values[k], 0, params.size(k));
            }
        }
        state.setStep(current.step());
        System.arraycopy(current.counters(), 0, state.counters(), 0, current.counters().length);
        for (int b = 0; b < current.buffers().length; b++) {
            if (columnsOf >= 0 && optimizer.bufferTensor(b, params) == columnsOf) {
                packed[1 + b] = saveColumns(params, current.buffer(b), packed[1 + b], params.rows(columnsOf));
                packedBuffers[b] = packed[1 + b];
            } else if (perColumn(params, optimizer, b)) {
                packed[1 + b] = saveColumns(params, current.buffer(b), packed[1 + b], 1);
            } else {
                System.arraycopy(current.buffer(b), 0, state.buffer(b), 0, current.buffer(b).length);
            }
        }
    }

    /** True when everything the step may have changed (as saved) is finite now. */
    boolean changedAllFinite(Parameters params, OptimizerState current, Optimizer optimizer) {
        return allFiniteAfterStep(params, current, optimizer, false);
    }

    /** Puts back what {@link #save} saved, bit for bit. */
    void restore(Parameters params, OptimizerState current, Optimizer optimizer) {
        restoreAllButColumns(params, current, optimizer);
        writeColumns(params, current, optimizer);
    }

    /** True when the latest {@link #save} saved the sparse tensor by its touched columns. */
    boolean savedByColumns() {
        return columnsOf >= 0;
    }

    /**
     * The packed copy of the sparse tensor's touched columns made by {@link #save} when it saved by columns,
     * for {@link Optimizer#stepPacked} to update in place of the tensor.
     */
    double[] packedValues() {
        return packed[0];
    }

    /** The packed copies of the sparse tensor's state buffers, indexed by buffer (null for the others). */
    double[][] packedBuffers() {
        return packedBuffers;
    }

    /**
     * After {@link Optimizer#stepPacked} on {@link #packedValues()} and {@link #packedBuffers()}: true when the
     * packed columns and everything else the step may have changed are finite.
     */
    boolean packedStepAllFinite(Parameters params, OptimizerState current, Optimizer optimizer) {
        return allFiniteAfterStep(params, current, optimizer, true);
    }

    /**
     * Every parameter tensor and state buffer whole, except those of the tensor saved by columns, of which
     * only what the step changed: their packed copies after a packed step, else their touched columns.
     */
    private boolean allFiniteAfterStep(Parameters params, OptimizerState current, Optimizer optimizer,
                                       boolean packedStep) {
        for (int k = 0; k < params.count(); k++) {
            if (!changedPartFinite(params, k, params.value(k), params.size(k), packed[0], packedStep)) {
                return false;
            }
        }
        for (int b = 0; b < current.buffers().length; b++) {
            double[] buffer = current.buffer(b);
            if (perColumn(params, optimizer, b) ? !touchedFinite(params, buffer, 1)
                    : !changedPartFinite(params, optimizer.bufferTensor(b, params), buffer, buffer.length,
                            packed[1 + b], packedStep)) {
                return false;
            }
        }
        return true;
    }

    /** True when buffer b holds one entry per column of the tensor saved by columns (and was saved so). */
    private boolean perColumn(Parameters params, Optimizer optimizer, int b) {
        return columnsOf >= 0 && optimizer.bufferColumnsTensor(b, params) == columnsOf;
    }

    /** {@code a[0 .. length)} (of parameter tensor {@code tensor}, or -1) as {@link #allFiniteAfterStep} checks it. */
    private boolean changedPartFinite(Parameters params, int tensor, double[] a, int length, double[] packedCopy,
                                      boolean packedStep) {
        if (tensor < 0 || tensor != columnsOf) {
            return Finiteness.allFinite(a, 0, length);
        }
        if (packedStep) {
            return Finiteness.allFinite(packedCopy, 0, params.rows(columnsOf) * params.touchedCount());
        }
        return touchedFinite(params, a, params.rows(tensor));
    }

    /**
     * The touched columns of {@code a}, {@code rows} rows of the sparse tensor's width (1 for a per-column
     * buffer), all finite.
     */
    private static boolean touchedFinite(Parameters params, double[] a, int rows) {
        int[] touched = params.touchedColumns();
        int cols = params.cols(params.sparseTensor());
        int count = params.touchedCount();
        // branch-free within a row (a non-finite value is the rare case): a double is not finite iff its
        // exponent bits are all ones, and adding one to the exponent field then carries into the sign bit
        long carry = 0;
        for (int o = 0; o < rows; o++) {
            int row = o * cols;
            for (int j = 0; j < count; j++) {
                carry |= (Double.doubleToRawLongBits(a[row + touched[j]]) & EXPONENT) + EXPONENT_ONE;
            }
        }
        return carry >= 0;
    }

    /** Writes the packed columns into the sparse tensor and its state buffers: a packed step is applied. */
    void commitPacked(Parameters params, OptimizerState current, Optimizer optimizer) {
        writeColumns(params, current, optimizer);
    }

    /**
     * Undoes a packed step: puts back everything but the sparse tensor's columns, which the step did not
     * change (it changed only their packed copies).
     */
    void restoreAfterPacked(Parameters params, OptimizerState current, Optimizer optimizer) {
        restoreAllButColumns(params, current, optimizer);
    }

    private void restoreAllButColumns(Parameters params, OptimizerState current, Optimizer optimizer) {
        for (int k = 0; k < params.count(); k++) {
            if (k != columnsOf) {
                System.arraycopy(values[k], 0, params.value(k), 0, params.size(k));
            }
        }
        current.setStep(state.step());
        System.arraycopy(state.counters(), 0, current.counters(), 0, current.counters().length);
        for (int b = 0; b < current.buffers().length; b++) {
            if (perColumn(params, optimizer, b)) {
                // saved by its touched entries, which a step changes, packed steps included: put them back
                params.scatterTouched(packed[1 + b], current.buffer(b), 1);
            } else if (columnsOf < 0 || optimizer.bufferTensor(b, params) != columnsOf) {
                System.arraycopy(state.buffer(b), 0, current.buffer(b), 0, current.buffer(b).length);
            }
        }
    }

    /** Writes the packed columns back into the sparse tensor and its state buffers (nothing unless saved by columns). */
    private void writeColumns(Parameters params, OptimizerState current, Optimizer optimizer) {
        if (columnsOf < 0) {
            return;
        }
        params.scatterTouched(packed[0], params.value(columnsOf));
        for (int b = 0; b < current.buffers().length; b++) {
            if (optimizer.bufferTensor(b, params) == columnsOf) {
                params.scatterTouched(packed[1 + b], current.buffer(b));
            }
        }
    }

    /**
     * Copies the touched columns of {@code from}, {@code rows} rows of the sparse tensor's width (the tensor's own
     * rows, or 1 for a per-column buffer), into {@code to}, grown if short.
     */
    private static double[] saveColumns(Parameters params, double[] from, double[] to, int rows) {
        int length = params.touchedCount() * rows;
        double[] out = to.length >= length ? to : new double[Math.max(length, 2 * to.length)];
        params.gatherTouched(from, out, rows);
        return out;
    }
}
