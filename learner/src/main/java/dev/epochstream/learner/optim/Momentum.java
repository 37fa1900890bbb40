package dev.epochstream.learner.optim;

/**
 * SGD with (optionally Nesterov) momentum, torch 1.13.1 {@code _single_tensor_sgd} with momentum > 0:
 * <pre>
 *   g     = grad + weight_decay·param                 (only when weight_decay != 0)
 *   buf   = g                                         (first step: the buffer is a clone)
 *   buf   = momentum·buf + (1 − dampening)·g          (later steps)
 *   d     = g + momentum·buf   if nesterov, else buf
 *   param = param + (−lr)·d
 * </pre>
 * State: one momentum buffer per tensor. Sparse tensor: dense and exact by default. With
 * {@code lazy}, only its touched columns (and their buffer entries) are updated, which is not torch:
 * an untouched column keeps its momentum instead of coasting on it, and a column first touched after
 * step 1 starts from {@code buf = 0·momentum + (1 − dampening)·g} rather than a clone of g.
 */
public final class Momentum extends ElementwiseOptimizer {
    private final MomentumConfig config;

    public Momentum(MomentumConfig config) {
        super(1, config.lazy());
        this.config = config;
    }

    @Override
    public MomentumConfig config() {
        return config;
    }

    @Override
    void update(double[] value, double[][] buffers, int tensor, long step, double lr,
                int[] starts, int count, int stride, int n, double[] grad) {
        double[] buf = buffers[tensor];
        double momentum = config.momentum();
        double weightDecay = config.weightDecay();
        double oneMinusDampening = 1 - config.dampening();
        boolean first = step == 1;
        for (int r = 0; r < count; r++) {
            for (int i = starts[r], p = r; i < n; i += stride, p += count) {
                double g = grad[p];
                if (weightDecay != 0) {
                    g = g + weightDecay * value[i];                           // d_p.add(param, alpha=wd)
                }
                buf[i] = first ? g : buf[i] * momentum + oneMinusDampening * g; // buf.mul_(m).add_(d_p, alpha=1-d)
                double d = config.nesterov() ? g + momentum * buf[i] : buf[i];  // d_p.add(buf, alpha=m)
                value[i] = value[i] + -lr * d;                                   // param.add_(d_p, alpha=-lr)
            }
        }
    }
}
