package dev.epochstream.learner.optim;

import java.util.Arrays;

/**
 * Adagrad, torch 1.13.1 {@code _single_tensor_adagrad} (dense gradient):
 * <pre>
 *   clr   = lr / (1 + (step − 1)·lr_decay)
 *   g     = grad + weight_decay·param      (only when weight_decay != 0)
 *   sum   = sum + g·g
 *   std   = sqrt(sum) + eps
 *   param = param + (−clr)·g / std
 * </pre>
 * State: one {@code sum} buffer per tensor, initialised to {@code initial_accumulator_value}. Sparse
 * tensor: only the touched columns are updated; with weight decay the skipped columns are caught up
 * bit-exactly when next touched (see {@link CatchUpOptimizer}).
 */
public final class Adagrad extends CatchUpOptimizer {
    private final AdagradConfig config;

    public Adagrad(AdagradConfig config) {
        super(1, config.weightDecay());
        this.config = config;
    }

    @Override
    public AdagradConfig config() {
        return config;
    }

    @Override
    double[][] ownBuffers(Parameters params) {
        double[][] sums = super.ownBuffers(params);
        for (double[] sum : sums) {
            Arrays.fill(sum, config.initialAccumulatorValue());
        }
        return sums;
    }

    /**
     * Its dense run without weight decay vectorises ({@link #updateWhole}). Not with weight decay: the packed
     * step has no catch-up of skipped steps (and its run would not vectorise).
     */
    @Override
    boolean packedPays() {
        return config.weightDecay() == 0;
    }

    @Override
    void update(double[] value, double[][] buffers, int tensor, long step, double lr,
                int[] starts, int count, int stride, int n, double[] grad) {
        double[] sum = buffers[tensor];
        double clr = clr(lr, step);
        if (count == 1 && stride == 1 && starts[0] == 0 && config.weightDecay() == 0) {
            updateWhole(value, sum, grad, n, clr);
            return;
        }
        if (count == 1) {
            for (int i = starts[0], p = 0; i < n; i += stride, p++) {
                apply(value, sum, i, grad[p], clr);
            }
            return;
        }
        // touched columns (each < stride): rows outside, so the long loop runs over the columns
        for (int row = 0, p = 0; row < n; row += stride) {
            for (int r = 0; r < count; r++, p++) {
                int i = row + starts[r];
                apply(value, sum, i, grad[p], clr);
            }
        }
    }

    @Override
    void replayColumn(Parameters params, OptimizerState state, int tensor, int column,
                      long fromStep, long toStep, double lr) {
        double[] value = params.value(tensor);
        double[] sum = state.buffer(tensor);
        int n = params.size(tensor);
        int cols = params.cols(tensor);
        for (long s = fromStep; s <= toStep; s++) {
            double clr = clr(lr, s);
            for (int i = column; i < n; i += cols) {
                apply(value, sum, i, 0.0, clr);
            }
        }
    }

    /**
     * Never provably: {@code sum + g·g} overflows for a finite sum near {@code Double.MAX_VALUE} whatever lr and
     * weight_decay, so its catch-ups are always guarded.
     */
    @Override
    boolean replayStaysFinite(double lr) {
        return false;
    }

    /** Its replayed step depends on the step's index only through lr_decay. */
    @Override
    boolean replayStepIndependent() {
        return config.lrDecay() == 0;
    }

    @Override
    void replayFour(Parameters params, OptimizerState state, int tensor, int a, int b, int c, int d, long steps,
                    double lr) {
        double[] value = params.value(tensor);
        double[] sum = state.buffer(tensor);
        double clr = clr(lr, 1); // lr itself without lr_decay, computed as every step computes it
        for (long s = 0; s < steps; s++) {
            apply(value, sum, a, 0.0, clr);
            apply(value, sum, b, 0.0, clr);
            apply(value, sum, c, 0.0, clr);
            apply(value, sum, d, 0.0, clr);
        }
    }

    @Override
    void replayRange(Parameters params, OptimizerState state, int tensor, int from, int to, long steps, double lr) {
        double[] value = params.value(tensor);
        double[] sum = state.buffer(tensor);
        double clr = clr(lr, 1);
        for (long s = 0; s < steps; s++) {
            for (int i = from; i < to; i++) {
                apply(value, sum, i, 0.0, clr);
            }
        }
    }

    /**
     * {@link #apply} over {@code [0, n)} without weight decay, unit stride and no branch, so that the JIT
     * vectorises it (square root and division included: both correctly rounded, so the same doubles).
     */
    private void updateWhole(double[] value, double[] sum, double[] grad, int n, double clr) {
        double eps = config.eps();
        double negClr = -clr;
        for (int i = 0; i < n; i++) {
            double g = grad[i];
            double s = sum[i] + g * g;
            sum[i] = s;
            value[i] = value[i] + negClr * g / (Math.sqrt(s) + eps);
        }
    }

    private double clr(double lr, long step) {
        return lr / (1 + ((double) step - 1) * config.lrDecay());
    }

    /** One step of element {@code i}; shared by the dense update and the catch-up replay. */
    private void apply(double[] value, double[] sum, int i, double grad, double clr) {
        double g = grad;
        if (config.weightDecay() != 0) {
            g = g + config.weightDecay() * value[i]; // grad.add(param, alpha=weight_decay)
        }
        sum[i] = sum[i] + g * g;                      // state_sum.addcmul_(grad, grad, value=1)
        double std = Math.sqrt(sum[i]) + config.eps(); // state_sum.sqrt().add_(eps)
        value[i] = value[i] + -clr * g / std;          // param.addcdiv_(grad, std, value=-clr)
    }
}
