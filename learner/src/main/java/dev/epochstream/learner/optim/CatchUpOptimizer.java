package dev.epochstream.learner.optim;

import java.util.Arrays;

/**
 * An elementwise optimizer (SGD, Adagrad) that updates only the touched columns of the sparse tensor
 * and stays bit-identical to the dense run in which the other columns have a zero gradient.
 *
 * <p>Without weight decay a zero gradient changes neither the parameter nor the state, so skipping the
 * untouched columns is exact as it is. With weight decay a zero gradient still decays the parameter
 * ({@code grad = 0 + wd·param}), so each skipped column is caught up when it is next touched (or at the
 * next dense step) by replaying the skipped steps one by one with a zero gradient, through the same
 * per-element code as the dense update: the result is the dense run's, bit for bit. The cost of a
 * replay is the dense work of the skipped steps for that column, paid only when the column is used again.
 *
 * <p>Reads must see the dense run's values too: the training step catches the batch's columns up before its
 * forward pass ({@link #catchUpColumns}), the epoch trainer those of every chunk it scores, and every column
 * before it exports the model ({@link #catchUpAll}), so predictions, metrics and snapshots are the dense run's
 * as well. Catching every column up each epoch instead made an epoch of a 2^20-input model with weight decay
 * cost two passes over all its columns, whatever the window's size.
 *
 * <p>Bookkeeping, only when weight decay is on, appended after the optimizer's own buffers:
 * per tensor a buffer of per-column "step the column is current at", then a buffer of learning rates of
 * the recorded lr runs; counter 0 is the number of runs, counters {@code 1 .. MAX_RUNS} their first
 * steps. A run is a stretch of steps with the same lr (schedules change it once per epoch). When a new
 * lr would exceed {@link #MAX_RUNS} runs, every column is caught up first and the history restarts; a
 * step with every tensor dense also leaves every column current and restarts it.
 */
abstract class CatchUpOptimizer extends ElementwiseOptimizer {

    /** Most lr runs remembered before every column is caught up. */
    static final int MAX_RUNS = 16;

    private final double weightDecay;

    CatchUpOptimizer(int slots, double weightDecay) {
        super(slots, true);
        this.weightDecay = weightDecay;
    }

    /** The optimizer's own buffers, initialised as torch does: {@link #slots} zeroed ones by default. */
    double[][] ownBuffers(Parameters params) {
        return zeroedSlots(params, slots);
    }

    /**
     * Applies steps {@code fromStep .. toStep} (inclusive, 1-based) with zero gradient and learning rate
     * {@code lr} to column {@code column} of {@code tensor}, exactly as the dense update would have.
     */
    abstract void replayColumn(Parameters params, OptimizerState state, int tensor, int column,
                               long fromStep, long toStep, double lr);

    @Override
    public final OptimizerState newState(Parameters params) {
        double[][] own = ownBuffers(params);
        if (weightDecay == 0) {
            return new OptimizerState(0, own);
        }
        int tensors = params.count();
        double[][] buffers = Arrays.copyOf(own, own.length + tensors + 1);
        for (int k = 0; k < tensors; k++) {
            buffers[own.length + k] = new double[params.cols(k)];
        }
        buffers[own.length + tensors] = new double[MAX_RUNS];
        return new OptimizerState(1 + MAX_RUNS, buffers);
    }

    /**
     * Only without weight decay: with it, catching up (in particular of every column when the lr history
     * is full) can change any column.
     */
    @Override
    public final boolean changesOnlyTouchedColumns(Parameters params, OptimizerState state) {
        return weightDecay == 0 && super.changesOnlyTouchedColumns(params, state);
    }

    @Override
    public final void step(Parameters params, OptimizerState state, double lr) {
        if (weightDecay == 0) {
            super.step(params, state, lr);
            return;
        }
        long step = state.step() + 1;
        int base = state.buffers().length - params.count() - 1;
        recordLr(params, state, base, step, lr);
        int sparse = params.sparseTensor();
        for (int k = 0; k < params.count(); k++) {
            double[] current = state.buffer(base + k);
            if (k == sparse) {
                int[] touched = params.touchedColumns();
                int count = params.touchedCount();
                for (int j = 0; j < count; j++) {
                    catchUp(params, state, base, k, touched[j], step - 1);
                    current[touched[j]] = step;
                }
                updateTouched(params, state, k, step, lr);
            } else {
                for (int c = 0; c < current.length; c++) {
                    catchUp(params, state, base, k, c, step - 1);
                    current[c] = step;
                }
                updateWhole(params, state, k, step, lr);
            }
        }
        if (sparse < 0) {
            state.counters()[0] = 0; // every column is current: no recorded step can be needed again
        }
        state.setStep(step);
    }

    @Override
    public final void catchUpColumns(Parameters params, OptimizerState state, int tensor, int[] columns, int count) {
        if (weightDecay == 0) {
            return;
        }
        long through = state.step();
        int base = state.buffers().length - params.count() - 1;
        double[] current = state.buffer(base + tensor);
        for (int i = 0; i < count; i++) {
            int c = columns[i];
            if (current[c] < through) {
                catchUp(params, state, base, tensor, c, through);
                current[c] = through;
            }
        }
    }

    @Override
    public final boolean catchUpAll(Parameters params, OptimizerState state) {
        if (weightDecay == 0) {
            return false;
        }
        long through = state.step();
        int base = state.buffers().length - params.count() - 1;
        boolean changed = false;
        for (int k = 0; k < params.count(); k++) {
            double[] current = state.buffer(base + k);
            for (int c = 0; c < current.length; c++) {
                if (current[c] < through) {
                    catchUp(params, state, base, k, c, through);
                    current[c] = through;
                    changed = true;
                }
            }
        }
        state.counters()[0] = 0; // every column is current: no recorded step can be needed again
        return changed;
    }

    /** Appends {@code lr} as a new run starting at {@code step} unless it continues the last run. */
    private void recordLr(Parameters params, OptimizerState state, int base, long step, double lr) {
        long[] counters = state.counters();
        double[] runLr = state.buffer(base + params.count());
        int runs = (int) counters[0];
        if (runs > 0 && Double.doubleToLongBits(runLr[runs - 1]) == Double.doubleToLongBits(lr)) {
            return;
        }
        if (runs == MAX_RUNS) {
            for (int k = 0; k < params.count(); k++) {
                double[] current = state.buffer(base + k);
                for (int c = 0; c < current.length; c++) {
                    catchUp(params, state, base, k, c, step - 1);
                    current[c] = step - 1;
                }
            }
            runs = 0;
        }
        counters[1 + runs] = step;
        runLr[runs] = lr;
        counters[0] = runs + 1;
    }

    /** Replays the steps after the column's current step up to {@code upTo}, run by run. */
    private void catchUp(Parameters params, OptimizerState state, int base, int tensor, int column, long upTo) {
        long from = (long) state.buffer(base + tensor)[column] + 1;
        long[] counters = state.counters();
        double[] runLr = state.buffer(base + params.count());
        int runs = (int) counters[0];
        for (int j = 0; j < runs && from <= upTo; j++) {
            long end = j + 1 < runs ? Math.min(counters[2 + j] - 1, upTo) : upTo;
            if (end >= from) {
                replayColumn(params, state, tensor, column, Math.max(from, counters[1 + j]), end, runLr[j]);
                from = end + 1;
            }
        }
    }
}
