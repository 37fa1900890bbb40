package dev.epochstream.learner.optim;

/**
 * Adadelta ({@code optimizer=adadelta}): torch 1.13.1 {@code torch.optim.Adadelta}, same defaults.
 *
 * @param lr coefficient scaling the delta, {@code optimizer.lr > 0} (default 1.0)
 * @param rho {@code optimizer.rho} in [0, 1] (default 0.9)
 * @param eps {@code optimizer.eps > 0} (default 1e-6)
 * @param weightDecay {@code optimizer.weight-decay >= 0} (default 0)
 * @param lazy update only the touched columns of a sparse tensor (default false; not torch)
 */
public record AdadeltaConfig(double lr, double rho, double eps, double weightDecay, boolean lazy)
        implements OptimizerConfig {

    public AdadeltaConfig {
        ConfigChecks.lr(lr);
        ConfigChecks.fraction("optimizer.rho", rho, true, "the decay rate must be in [0, 1], e.g. 0.9");
        ConfigChecks.eps(eps);
        ConfigChecks.weightDecay(weightDecay);
    }

    /** torch defaults: lr 1.0, rho 0.9, eps 1e-6, weight_decay 0; dense. */
    public static AdadeltaConfig defaults() {
        return new AdadeltaConfig(1.0, 0.9, 1e-6, 0, false);
    }

    @Override
    public String name() {
        return "adadelta";
    }

    @Override
    public Adadelta create() {
        return new Adadelta(this);
    }
}
