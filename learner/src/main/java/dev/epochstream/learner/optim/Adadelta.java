package dev.epochstream.learner.optim;

/**
 * Adadelta, torch 1.13.1 {@code _single_tensor_adadelta}:
 * <pre>
 *   g     = grad + weight_decay·param           (only when weight_decay != 0)
 *   sq    = sq·rho + (1 − rho)·g·g
 *   std   = sqrt(sq + eps)
 *   delta = sqrt(acc + eps) / std · g
 *   acc   = acc·rho + (1 − rho)·delta·delta
 *   param = param + (−lr)·delta
 * </pre>
 * State per tensor: {@code square_avg} and {@code acc_delta}, zeroed. Sparse tensor: dense and exact by
 * default; with {@code lazy} only the touched columns and their state are updated (not torch).
 */
public final class Adadelta extends ElementwiseOptimizer {
    private final AdadeltaConfig config;

    public Adadelta(AdadeltaConfig config) {
        super(2, config.lazy());
        this.config = config;
    }

    @Override
    public AdadeltaConfig config() {
        return config;
    }

    @Override
    void update(double[] value, double[][] buffers, int tensor, long step, double lr,
                int[] starts, int count, int stride, int n, double[] grad) {
        double[] squareAvg = buffers[2 * tensor];
        double[] accDelta = buffers[2 * tensor + 1];
        double rho = config.rho();
        double eps = config.eps();
        double weightDecay = config.weightDecay();
        for (int r = 0; r < count; r++) {
            for (int i = starts[r], p = r; i < n; i += stride, p += count) {
                double g = grad[p];
                if (weightDecay != 0) {
                    g = g + weightDecay * value[i];                       // grad.add(param, alpha=wd)
                }
                squareAvg[i] = squareAvg[i] * rho + (1 - rho) * g * g;    // mul_(rho).addcmul_(g, g, 1-rho)
                double std = Math.sqrt(squareAvg[i] + eps);               // square_avg.add(eps).sqrt_()
                double delta = Math.sqrt(accDelta[i] + eps);              // acc_delta.add(eps).sqrt_()
                delta = delta / std;                                       // delta.div_(std)
                delta = delta * g;                                         //      .mul_(grad)
                accDelta[i] = accDelta[i] * rho + (1 - rho) * delta * delta; // mul_(rho).addcmul_(d, d, 1-rho)
                value[i] = value[i] + -lr * delta;                         // param.add_(delta, alpha=-lr)
            }
        }
    }
}
