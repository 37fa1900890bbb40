package dev.epochstream.learner.optim;

/**
 * RMSprop, torch 1.13.1 {@code _single_tensor_rmsprop}:
 * <pre>
 *   g     = grad + weight_decay·param                  (only when weight_decay != 0)
 *   sq    = sq·alpha + (1 − alpha)·g·g
 *   avg   = sqrt(sq − ga·ga) + eps,  ga = ga·alpha + (1 − alpha)·g first    (centered)
 *   avg   = sqrt(sq) + eps                                                  (otherwise)
 *   buf   = buf·momentum + g / avg;  param = param + (−lr)·buf             (momentum > 0)
 *   param = param + (−lr)·g / avg                                           (otherwise)
 * </pre>
 * State per tensor: {@code square_avg}, then {@code grad_avg} if centered, then {@code momentum_buffer}
 * if momentum > 0, all zeroed. Sparse tensor: dense and exact by default; with {@code lazy} only the
 * touched columns and their state are updated (not torch).
 */
public final class Rmsprop extends ElementwiseOptimizer {
    private final RmspropConfig config;

    public Rmsprop(RmspropConfig config) {
        super(1 + (config.centered() ? 1 : 0) + (config.momentum() > 0 ? 1 : 0), config.lazy());
        this.config = config;
    }

    @Override
    public RmspropConfig config() {
        return config;
    }

    @Override
    void update(double[] value, double[][] buffers, int tensor, long step, double lr,
                int[] starts, int count, int stride, int n, double[] grad) {
        double[] squareAvg = buffers[tensor * slots];
        double[] gradAvg = config.centered() ? buffers[tensor * slots + 1] : null;
        double[] buf = config.momentum() > 0 ? buffers[tensor * slots + slots - 1] : null;
        double alpha = config.alpha();
        double weightDecay = config.weightDecay();
        double momentum = config.momentum();
        double eps = config.eps();
        for (int r = 0; r < count; r++) {
            for (int i = starts[r], p = r; i < n; i += stride, p += count) {
                double g = grad[p];
                if (weightDecay != 0) {
                    g = g + weightDecay * value[i];                        // grad.add(param, alpha=wd)
                }
                squareAvg[i] = squareAvg[i] * alpha + (1 - alpha) * g * g; // mul_(alpha).addcmul_(g, g, 1-alpha)
                double avg;
                if (gradAvg != null) {
                    gradAvg[i] = gradAvg[i] * alpha + (1 - alpha) * g;     // mul_(alpha).add_(g, alpha=1-alpha)
                    avg = Math.sqrt(squareAvg[i] + -1.0 * gradAvg[i] * gradAvg[i]); // addcmul(ga, ga, -1).sqrt_()
                } else {
                    avg = Math.sqrt(squareAvg[i]);
                }
                avg = avg + eps;
                if (buf != null) {
                    buf[i] = buf[i] * momentum + g / avg;                  // mul_(momentum).addcdiv_(g, avg)
                    value[i] = value[i] + -lr * buf[i];                    // param.add_(buf, alpha=-lr)
                } else {
                    value[i] = value[i] + -lr * g / avg;                   // param.addcdiv_(g, avg, value=-lr)
                }
            }
        }
    }
}
