package dev.epochstream.learner.optim;

/**
 * FTRL-Proximal per coordinate (McMahan et al. 2013, Algorithm 1), for each coordinate whose gradient
 * is non-zero (the paper's "for all i in I"; a zero gradient changes nothing):
 * <pre>
 *   sigma = (sqrt(n + g·g) − sqrt(n)) / alpha
 *   z     = z + g − sigma·w             (w: the current parameter)
 *   n     = n + g·g
 *   w     = 0                                                     if |z| <= l1
 *   w     = −(z − sgn(z)·l1) / ((beta + sqrt(n)) / alpha + l2)      otherwise
 * </pre>
 * {@code alpha} is the lr passed to {@link #step} (the schedule's rate, which starts at the config's
 * alpha), so a schedule rescales the whole per-coordinate rate; a change of alpha reaches a coordinate's
 * weight the next time the coordinate is updated.
 *
 * <p>State per tensor: {@code z} and {@code n}. {@code n} starts at 0. {@code z} starts at 0 for a zero
 * parameter, as in the paper; for a non-zero initial parameter w0 (a randomly initialised hidden layer)
 * it starts at {@code −w0·(beta/alpha + l2) − sgn(w0)·l1}, the z whose weight at n = 0 is w0, so that the
 * first update moves from w0 instead of discarding it. Sparse tensor: only the touched columns are read,
 * bit-identical to the dense run since zero gradients are skipped there too.
 */
public final class Ftrl extends ElementwiseOptimizer {
    private final FtrlConfig config;

    public Ftrl(FtrlConfig config) {
        super(2, true);
        this.config = config;
    }

    @Override
    public FtrlConfig config() {
        return config;
    }

    @Override
    public OptimizerState newState(Parameters params) {
        double[][] buffers = zeroedSlots(params, 2);
        double scale = config.beta() / config.alpha() + config.l2();
        for (int k = 0; k < params.count(); k++) {
            double[] value = params.value(k);
            double[] z = buffers[2 * k];
            for (int i = 0, n = params.size(k); i < n; i++) {
                double w0 = value[i];
                z[i] = w0 == 0 ? 0.0 : -w0 * scale - Math.signum(w0) * config.l1();
            }
        }
        return new OptimizerState(0, buffers);
    }

    @Override
    void update(double[] value, double[][] buffers, int tensor, long step, double lr,
                int[] starts, int count, int stride, int n, double[] grad) {
        double[] z = buffers[2 * tensor];
        double[] nSum = buffers[2 * tensor + 1];
        double alpha = lr;
        double beta = config.beta();
        double l1 = config.l1();
        double l2 = config.l2();
        if (count == 1) {
            for (int i = starts[0], p = 0; i < n; i += stride, p++) {
                apply(value, grad[p], z, nSum, i, alpha, beta, l1, l2);
            }
            return;
        }
        // touched columns (each < stride): rows outside, so the long loop runs over the columns
        for (int row = 0, p = 0; row < n; row += stride) {
            for (int r = 0; r < count; r++, p++) {
                int i = row + starts[r];
                apply(value, grad[p], z, nSum, i, alpha, beta, l1, l2);
            }
        }
    }

    /** One coordinate's update; the square root of the new n is taken once for sigma and for the weight. */
    private static void apply(double[] value, double g, double[] z, double[] nSum, int i, double alpha, double beta,
                              double l1, double l2) {
        if (g == 0) {
            return;
        }
        double n = nSum[i];
        double nNew = n + g * g;
        double sqrtNew = Math.sqrt(nNew);
        double sigma = (sqrtNew - Math.sqrt(n)) / alpha;
        double zi = z[i] + g - sigma * value[i];
        z[i] = zi;
        nSum[i] = nNew;
        value[i] = Math.abs(zi) <= l1
                ? 0.0
                : -(zi - Math.signum(zi) * l1) / ((beta + sqrtNew) / alpha + l2);
    }
}
