package dev.epochstream.learner.optim;

/**
 * Plain stochastic gradient descent, torch 1.13.1 {@code _single_tensor_sgd} with momentum 0:
 * <pre>
 *   g = grad + weight_decay·param      (only when weight_decay != 0)
 *   param = param + (−lr)·g
 * </pre>
 * No state. Sparse tensor: only the touched columns are updated; with weight decay the skipped columns
 * are caught up bit-exactly when next touched (see {@link CatchUpOptimizer}).
 */
public final class Sgd extends CatchUpOptimizer {
    private final SgdConfig config;
    private final double weightDecay;

    public Sgd(SgdConfig config) {
        super(0, config.weightDecay());
        this.config = config;
        this.weightDecay = config.weightDecay();
    }

    @Override
    public SgdConfig config() {
        return config;
    }

    @Override
    void update(double[] value, double[][] buffers, int tensor, long step, double lr,
                int[] starts, int count, int stride, int n, double[] grad) {
        for (int r = 0; r < count; r++) {
            for (int i = starts[r], p = r; i < n; i += stride, p += count) {
                value[i] = updated(value[i], grad[p], lr);
            }
        }
    }

    @Override
    void replayColumn(Parameters params, OptimizerState state, int tensor, int column,
                      long fromStep, long toStep, double lr) {
        double[] value = params.value(tensor);
        int n = params.size(tensor);
        int cols = params.cols(tensor);
        for (int i = column; i < n; i += cols) {
            double p = value[i];
            for (long s = fromStep; s <= toStep; s++) {
                p = updated(p, 0.0, lr);
            }
            value[i] = p;
        }
    }

    /** Its step never depends on the step's index. */
    @Override
    boolean replayStepIndependent() {
        return true;
    }

    @Override
    void replayFour(Parameters params, OptimizerState state, int tensor, int a, int b, int c, int d, long steps,
                    double lr) {
        double[] value = params.value(tensor);
        double pa = value[a];
        double pb = value[b];
        double pc = value[c];
        double pd = value[d];
        for (long s = 0; s < steps; s++) {
            pa = updated(pa, 0.0, lr);
            pb = updated(pb, 0.0, lr);
            pc = updated(pc, 0.0, lr);
            pd = updated(pd, 0.0, lr);
        }
        value[a] = pa;
        value[b] = pb;
        value[c] = pc;
        value[d] = pd;
    }

    @Override
    void replayRange(Parameters params, OptimizerState state, int tensor, int from, int to, long steps, double lr) {
        double[] value = params.value(tensor);
        for (long s = 0; s < steps; s++) {
            for (int i = from; i < to; i++) {
                value[i] = updated(value[i], 0.0, lr);
            }
        }
    }

    /**
     * With {@code weight_decay <= 1} and {@code lr <= 1} a replayed step {@code p + (−lr)·(0 + wd·p)} cannot
     * overflow: rounding is monotone and {@code |p|} is a double, so {@code |wd·p| <= |p|} and
     * {@code |lr·g| <= |g|}, and {@code −lr·g} has the opposite sign of {@code p}, so the sum's magnitude is at
     * most {@code |p|}. Otherwise (e.g. {@code lr·wd > 2}: {@code |1 − lr·wd| > 1} each step) it may.
     */
    @Override
    boolean replayStaysFinite(double lr) {
        return weightDecay <= 1 && lr <= 1;
    }

    /** One step of one element; the dense update and the catch-up replay share it to stay bit-identical. */
    private double updated(double param, double grad, double lr) {
        double g = grad;
        if (weightDecay != 0) {
            g = g + weightDecay * param; // grad.add(param, alpha=weight_decay)
        }
        return param + -lr * g; // param.add_(g, alpha=-lr)
    }
}
