package dev.epochstream.learner.optim;

import dev.epochstream.learner.nn.Finiteness;
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
 * <p>A replay is a chain of dependent operations per element. Within one lr run, when a step does not depend
 * on its index, a read's lagging elements are replayed four side by side ({@link #replayFour}) and an export's
 * stretches of columns behind by the same steps are swept ({@link #replayRange}); otherwise one column at a
 * time ({@link #replayColumn}). Each element gets the same steps in the same order either way.
 *
 * <p>A read's or an export's catch-up runs outside the training step's guard (it is the work of steps already
 * accepted), so it guards itself: it never writes a non-finite value. A replayed step is the optimizer's step
 * with a zero gradient, {@code g = 0 + wd·param} (SGD: {@code param + (−lr)·g}, i.e. {@code param·(1 − lr·wd)}
 * up to rounding, which grows without bound when {@code lr·wd > 2}; Adagrad: {@code sum + g·g}, whose square
 * overflows for {@code |wd·param| > ~1.3e154}). An element whose replay ends with its value or a state entry
 * non-finite (infinity and NaN are absorbing in these steps, so checking the end suffices) gets back the value
 * and state it had before the catch-up and is current all the same: the decay the skipped steps owed it is
 * dropped, as a refused step's update is. Torch would hold inf or NaN there; the dense run's guard would have
 * refused every step from the overflowing one on, which a lazy run cannot know in advance. Every element whose
 * replay stays finite gets the dense run's doubles, so a run that never overflowed is unchanged bit for bit.
 * Catch-ups whose lr runs all provably stay finite ({@link #replayStaysFinite}: SGD with {@code wd <= 1} and
 * {@code lr <= 1}) skip the guard, as the step's guard skips what a step cannot change.
 * The catch-ups inside {@link #step} stay under the training step's guard, which refuses the step instead.
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
    /** Elements of a sweep's stretch replayed, checked and, if need be, put back at a time ({@link #guardedRange}). */
    static final int GUARD_BLOCK = 1024;

    /** Scratch of {@link #catchUpSideBySide}: per lagging element, steps behind · 2^32 + element index. */
    private long[] lagging = new long[0];
    /** Scratch of the guarded catch-ups: values and state entries of the elements from before their replay. */
    private double[] saved = new double[0];

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
     * With weight decay too, unless the lr history is full: a step then catches up (and marks current) only the
     * touched columns of the sparse tensor, and whole dense tensors; but a new lr with the history full catches
     * every column up first, and the lr of the next step is not known here.
     */
    @Override
    public final boolean changesOnlyTouchedColumns(Parameters params, OptimizerState state) {
        return super.changesOnlyTouchedColumns(params, state)
                && (weightDecay == 0 || state.counters()[0] < MAX_RUNS);
    }

    /** The per-tensor buffers of "the step each column is current at", after the optimizer's own. */
    @Override
    public final int bufferColumnsTensor(int buffer, Parameters params) {
        int first = params.count() * slots;
        return weightDecay != 0 && buffer >= first && buffer < first + params.count() ? buffer - first : -1;
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

    /**
     * True when a replayed step does the same arithmetic whatever its index (no learning-rate decay by step), so
     * that {@link #replayFour} may replay elements that are behind by different steps side by side.
     */
    abstract boolean replayStepIndependent();

    /**
     * Applies {@code steps} zero-gradient steps of learning rate {@code lr} to each of the distinct elements
     * {@code a, b, c, d} of tensor {@code tensor}, as {@link #replayColumn} does one element after another, but
     * interleaved: a replay is a chain of dependent operations (Adagrad's square root and division), and four
     * independent chains keep the core busy where one waits. Only when {@link #replayStepIndependent()}.
     */
    abstract void replayFour(Parameters params, OptimizerState state, int tensor, int a, int b, int c, int d,
                             long steps, double lr);

    /**
     * {@link #replayFour} of the consecutive elements {@code from .. to)} (one element, or a stretch), step after
     * step over all of them: each element gets the steps in order, and the inner loop is one the JIT vectorises.
     */
    abstract void replayRange(Parameters params, OptimizerState state, int tensor, int from, int to, long steps,
                              double lr);

    @Override
    public final void catchUpColumns(Parameters params, OptimizerState state, int tensor, int[] columns, int count) {
        if (weightDecay == 0) {
            return;
        }
        long through = state.step();
        int base = state.buffers().length - params.count() - 1;
        double[] current = state.buffer(base + tensor);
        boolean guard = mayOverflow(params, state, base);
        if (replaysInOneRun(state) && catchUpSideBySide(params, state, base, tensor, columns, count, guard) >= 0) {
            return;
        }
        for (int i = 0; i < count; i++) {
            int c = columns[i];
            if (current[c] < through) {
                catchUp(params, state, base, tensor, c, through, guard);
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
        boolean sweep = replaysInOneRun(state);
        boolean guard = mayOverflow(params, state, base);
        for (int k = 0; k < params.count(); k++) {
            double[] current = state.buffer(base + k);
            if (sweep) {
                changed |= sweepBehind(params, state, base, k, guard);
                continue;
            }
            for (int c = 0; c < current.length; c++) {
                if (current[c] < through) {
                    catchUp(params, state, base, k, c, through, guard);
                    current[c] = through;
                    changed = true;
                }
            }
        }
        state.counters()[0] = 0; // every column is current: no recorded step can be needed again
        return changed;
    }

    /**
     * {@link #catchUpAll} of tensor {@code k} within the one recorded lr run: each stretch of consecutive columns
     * behind by the same steps (since the last export most columns are) is replayed step by step over its
     * elements row by row, a unit-stride loop that the JIT vectorises, the same steps in the same order for each
     * element as {@link #catchUp} gives it. Returns true when a column was behind.
     */
    private boolean sweepBehind(Parameters params, OptimizerState state, int base, int k, boolean guard) {
        long through = state.step();
        long runStart = state.counters()[1];
        double lr = state.buffer(base + params.count())[0];
        double[] current = state.buffer(base + k);
        int cols = current.length;
        int size = params.size(k);
        boolean behind = false;
        int c = 0;
        while (c < cols) {
            double at = current[c];
            if (at >= through) {
                c++;
                continue;
            }
            int end = c + 1;
            while (end < cols && current[end] == at) {
                end++;
            }
            long steps = stepsBehind(at, through, runStart);
            if (steps > 0) {
                for (int row = 0; row < size; row += cols) {
                    if (guard) {
                        guardedRange(params, state, k, row + c, row + end, steps, lr);
                    } else {
                        replayRange(params, state, k, row + c, row + end, steps, lr);
                    }
                }
            }
            Arrays.fill(current, c, end, through);
            behind = true;
            c = end;
        }
        return behind;
    }

    /**
     * {@link #catchUpColumns} within the one recorded lr run, four elements at a time: the lagging columns'
     * elements sorted by how many steps they are behind, so that each four are behind by about as many, replayed
     * side by side for the steps they all owe and one by one for the rest. Every element gets the same steps as
     * {@link #catchUp} gives it, in the same order: the same doubles (guarded as the class comment says). Returns
     * how many columns were behind, or
     * -1, having changed nothing, when a column could be 2^31 steps or more behind (the sort keys hold 31 bits);
     * allocates nothing in steady state.
     */
    private int catchUpSideBySide(Parameters params, OptimizerState state, int base, int tensor, int[] columns,
                                  int count, boolean guard) {
        long through = state.step();
        long runStart = state.counters()[1];
        double lr = state.buffer(base + params.count())[0];
        double[] current = state.buffer(base + tensor);
        int rows = params.rows(tensor);
        int cols = params.cols(tensor);
        if (through - runStart + 1 >= 1L << 31) {
            return -1; // a column may be that far behind (it cannot be further: the run holds its steps)
        }
        if (lagging.length < count * rows) {
            lagging = new long[Math.max(count * rows, 2 * lagging.length)];
        }
        int n = 0;
        int behind = 0;
        for (int i = 0; i < count; i++) {
            int c = columns[i];
            if (current[c] < through) {
                long steps = stepsBehind(current[c], through, runStart);
                for (int row = 0; row < rows && steps > 0; row++) {
                    lagging[n++] = steps << 32 | (c + (long) row * cols);
                }
                current[c] = through; // a repeated column is then current: replayed once
                behind++;
            }
        }
        heapSort(lagging, n);
        if (guard) {
            growSaved(n);
            for (int i = 0; i < n; i++) {
                save(params, state, tensor, (int) lagging[i], i);
            }
        }
        int j = 0;
        for (; j + 3 < n; j += 4) {
            long shared = lagging[j] >>> 32; // the fewest of the four, sorted ascending
            replayFour(params, state, tensor, (int) lagging[j], (int) lagging[j + 1], (int) lagging[j + 2],
                    (int) lagging[j + 3], shared, lr);
            for (int k = j + 1; k < j + 4; k++) {
                replayRange(params, state, tensor, (int) lagging[k], (int) lagging[k] + 1, (lagging[k] >>> 32) - shared,
                        lr);
            }
        }
        for (; j < n; j++) {
            replayRange(params, state, tensor, (int) lagging[j], (int) lagging[j] + 1, lagging[j] >>> 32, lr);
        }
        for (int i = 0; guard && i < n; i++) {
            keepFinite(params, state, tensor, (int) lagging[i], i);
        }
        return behind;
    }

    /**
     * True when the replays may run side by side or as sweeps: one lr run recorded (its steps all have the same
     * lr), and a step that does not depend on its index.
     */
    private boolean replaysInOneRun(OptimizerState state) {
        return state.counters()[0] == 1 && replayStepIndependent();
    }

    /**
     * Steps of the one lr run (from {@code runStart}) that a column current at step {@code current} has not had,
     * through step {@code through}: what {@link #catchUp} replays for it.
     */
    private static long stepsBehind(double current, long through, long runStart) {
        return through - Math.max((long) current + 1, runStart) + 1;
    }

    /**
     * Sorts {@code a[0 .. n)} ascending in place. Not {@code Arrays.sort}: its run detection allocates an index
     * array on almost every call, and a step's catch-up must allocate nothing.
     */
    static void heapSort(long[] a, int n) {
        for (int i = n / 2 - 1; i >= 0; i--) {
            siftDown(a, i, n);
        }
        for (int end = n - 1; end > 0; end--) {
            long top = a[0];
            a[0] = a[end];
            a[end] = top;
            siftDown(a, 0, end);
        }
    }

    /** Moves {@code a[i]} down the max-heap {@code a[0 .. n)} to its place. */
    private static void siftDown(long[] a, int i, int n) {
        long x = a[i];
        int child;
        while ((child = 2 * i + 1) < n) {
            if (child + 1 < n && a[child + 1] > a[child]) {
                child++;
            }
            if (a[child] <= x) {
                break;
            }
            a[i] = a[child];
            i = child;
        }
        a[i] = x;
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

    /**
     * True when a replayed step with learning rate {@code lr} provably maps every finite element (value and state)
     * to a finite one, whatever its value: a catch-up whose lr runs all are such needs no guard. False by default.
     */
    boolean replayStaysFinite(double lr) {
        return false;
    }

    /** True unless every recorded lr run {@link #replayStaysFinite}. */
    private boolean mayOverflow(Parameters params, OptimizerState state, int base) {
        double[] runLr = state.buffer(base + params.count());
        for (int j = 0; j < state.counters()[0]; j++) {
            if (!replayStaysFinite(runLr[j])) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@link #catchUp} for a read or an export; with {@code guard}, each element of the column whose replay ends
     * non-finite gets back its value and state from before (see the class comment). Allocates nothing in steady
     * state.
     */
    private void catchUp(Parameters params, OptimizerState state, int base, int tensor, int column, long upTo,
                         boolean guard) {
        if (!guard) {
            catchUp(params, state, base, tensor, column, upTo);
            return;
        }
        int cols = params.cols(tensor);
        int rows = params.rows(tensor);
        growSaved(rows);
        for (int row = 0; row < rows; row++) {
            save(params, state, tensor, column + row * cols, row);
        }
        catchUp(params, state, base, tensor, column, upTo);
        for (int row = 0; row < rows; row++) {
            keepFinite(params, state, tensor, column + row * cols, row);
        }
    }

    /**
     * {@link #replayRange} of elements {@code from .. to)} for an export, {@link #GUARD_BLOCK} elements at a time
     * (each element gets the same steps in the same order, so the same doubles), each block saved before and
     * checked after, its non-finite elements put back (see the class comment). The copy is the guard's cost.
     */
    private void guardedRange(Parameters params, OptimizerState state, int tensor, int from, int to, long steps,
                              double lr) {
        growSaved(GUARD_BLOCK);
        double[] value = params.value(tensor);
        for (int start = from; start < to; start += GUARD_BLOCK) {
            int end = Math.min(to, start + GUARD_BLOCK);
            int length = end - start;
            System.arraycopy(value, start, saved, 0, length);
            for (int s = 0; s < slots; s++) {
                System.arraycopy(state.buffer(tensor * slots + s), start, saved, (1 + s) * GUARD_BLOCK, length);
            }
            replayRange(params, state, tensor, start, end, steps, lr);
            boolean finite = Finiteness.allFinite(value, start, end);
            for (int s = 0; s < slots; s++) {
                finite &= Finiteness.allFinite(state.buffer(tensor * slots + s), start, end);
            }
            if (finite) {
                continue;
            }
            for (int e = start; e < end; e++) {
                if (!elementFinite(state, value, tensor, e)) {
                    value[e] = saved[e - start];
                    for (int s = 0; s < slots; s++) {
                        state.buffer(tensor * slots + s)[e] = saved[(1 + s) * GUARD_BLOCK + e - start];
                    }
                }
            }
        }
    }

    /** Grows {@link #saved} to hold {@code elements} elements' values and state entries. */
    private void growSaved(int elements) {
        int length = elements * (1 + slots);
        if (saved.length < length) {
            saved = new double[Math.max(length, 2 * saved.length)];
        }
    }

    /** Saves element {@code e} of {@code tensor} (value, then its state entries) as the {@code j}-th saved. */
    private void save(Parameters params, OptimizerState state, int tensor, int e, int j) {
        int at = j * (1 + slots);
        saved[at] = params.value(tensor)[e];
        for (int s = 0; s < slots; s++) {
            saved[at + 1 + s] = state.buffer(tensor * slots + s)[e];
        }
    }

    /** Puts element {@code e}, saved {@code j}-th, back as saved when its value or a state entry is not finite. */
    private void keepFinite(Parameters params, OptimizerState state, int tensor, int e, int j) {
        double[] value = params.value(tensor);
        if (elementFinite(state, value, tensor, e)) {
            return;
        }
        int at = j * (1 + slots);
        value[e] = saved[at];
        for (int s = 0; s < slots; s++) {
            state.buffer(tensor * slots + s)[e] = saved[at + 1 + s];
        }
    }

    private boolean elementFinite(OptimizerState state, double[] value, int tensor, int e) {
        boolean finite = Double.isFinite(value[e]);
        for (int s = 0; s < slots; s++) {
            finite &= Double.isFinite(state.buffer(tensor * slots + s)[e]);
        }
        return finite;
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
