package dev.epochstream.learner.optim;

/**
 * Adam ({@code optimizer=adam}): torch 1.13.1 {@code torch.optim.Adam}, same defaults.
 *
 * @param lr {@code optimizer.lr > 0} (default 1e-3)
 * @param beta1 {@code optimizer.beta1} in [0, 1) (default 0.9)
 * @param beta2 {@code optimizer.beta2} in [0, 1) (default 0.999)
 * @param eps {@code optimizer.eps > 0} (default 1e-8)
 * @param weightDecay L2 penalty added to the gradient, {@code optimizer.weight-decay >= 0} (default 0)
 * @param amsgrad use the running maximum of the second moment (default false)
 * @param lazy update only the touched columns of a sparse tensor (default false; not torch, see {@link Adam})
 */
public record AdamConfig(double lr, double beta1, double beta2, double eps, double weightDecay,
                         boolean amsgrad, boolean lazy) implements OptimizerConfig {

    public AdamConfig {
        check(lr, beta1, beta2, eps, weightDecay);
    }

    /** The rules Adam and AdamW share. */
    static void check(double lr, double beta1, double beta2, double eps, double weightDecay) {
        ConfigChecks.lr(lr);
        ConfigChecks.beta("optimizer.beta1", beta1);
        ConfigChecks.beta("optimizer.beta2", beta2);
        ConfigChecks.eps(eps);
        ConfigChecks.weightDecay(weightDecay);
    }

    /** torch defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 0, amsgrad false; dense. */
    public static AdamConfig defaults() {
        return new AdamConfig(1e-3, 0.9, 0.999, 1e-8, 0, false, false);
    }

    @Override
    public String name() {
        return "adam";
    }

    @Override
    public Adam create() {
        return new Adam(this, beta1, beta2, eps, weightDecay, false, amsgrad, lazy);
    }
}
