package dev.epochstream.learner.optim;

/**
 * FTRL-Proximal ({@code optimizer=ftrl}), McMahan et al. 2013, "Ad Click Prediction: a View from the
 * Trenches", Algorithm 1. No torch equivalent; defaults alpha 0.1 (ours), beta 1.0 (the paper's), no
 * regularisation.
 *
 * <p>{@link #lr()} is {@code alpha}; a learning-rate schedule's lr passed to {@link Ftrl#step} replaces
 * alpha for that step (see {@link Ftrl}).
 *
 * @param alpha per-coordinate learning-rate scale, {@code optimizer.ftrl.alpha > 0} (or {@code optimizer.lr})
 * @param beta smoothing of the per-coordinate rate, {@code optimizer.ftrl.beta > 0} (the paper's 1.0; 0 is
 *        refused because a coordinate's first weight would divide by zero when l2 is 0)
 * @param l1 L1 strength, {@code optimizer.ftrl.l1 >= 0}
 * @param l2 L2 strength, {@code optimizer.ftrl.l2 >= 0}
 */
public record FtrlConfig(double alpha, double beta, double l1, double l2) implements OptimizerConfig {

    public FtrlConfig {
        ConfigChecks.positive("optimizer.ftrl.alpha", alpha, "set a positive FTRL learning rate such as 0.1");
        ConfigChecks.positive("optimizer.ftrl.beta", beta, "set a positive smoothing constant such as 1.0");
        ConfigChecks.nonNegative("optimizer.ftrl.l1", l1, "use 0 for no L1 regularisation");
        ConfigChecks.nonNegative("optimizer.ftrl.l2", l2, "use 0 for no L2 regularisation");
    }

    /** alpha 0.1, beta 1.0, l1 0, l2 0. */
    public static FtrlConfig defaults() {
        return new FtrlConfig(0.1, 1.0, 0, 0);
    }

    @Override
    public String name() {
        return "ftrl";
    }

    /** The base learning rate: alpha. */
    @Override
    public double lr() {
        return alpha;
    }

    @Override
    public Ftrl create() {
        return new Ftrl(this);
    }
}
