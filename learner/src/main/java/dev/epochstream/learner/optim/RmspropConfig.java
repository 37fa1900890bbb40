package dev.epochstream.learner.optim;

/**
 * RMSprop ({@code optimizer=rmsprop}): torch 1.13.1 {@code torch.optim.RMSprop}, same defaults.
 *
 * @param lr {@code optimizer.lr > 0} (default 1e-2)
 * @param alpha smoothing constant, {@code optimizer.alpha} in [0, 1] (default 0.99)
 * @param eps {@code optimizer.eps > 0} (default 1e-8)
 * @param weightDecay {@code optimizer.weight-decay >= 0} (default 0)
 * @param momentum {@code optimizer.momentum >= 0} (default 0)
 * @param centered normalise by the estimated variance of the gradient (default false)
 * @param lazy update only the touched columns of a sparse tensor (default false; not torch)
 */
public record RmspropConfig(double lr, double alpha, double eps, double weightDecay, double momentum,
                            boolean centered, boolean lazy) implements OptimizerConfig {

    public RmspropConfig {
        ConfigChecks.lr(lr);
        ConfigChecks.fraction("optimizer.alpha", alpha, true, "the smoothing constant must be in [0, 1], e.g. 0.99");
        ConfigChecks.eps(eps);
        ConfigChecks.weightDecay(weightDecay);
        ConfigChecks.nonNegative("optimizer.momentum", momentum, "use 0 for no momentum");
    }

    /** torch defaults: lr 1e-2, alpha 0.99, eps 1e-8, weight_decay 0, momentum 0, centered false; dense. */
    public static RmspropConfig defaults() {
        return new RmspropConfig(1e-2, 0.99, 1e-8, 0, 0, false, false);
    }

    @Override
    public String name() {
        return "rmsprop";
    }

    @Override
    public Rmsprop create() {
        return new Rmsprop(this);
    }
}
