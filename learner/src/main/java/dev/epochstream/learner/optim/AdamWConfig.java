package dev.epochstream.learner.optim;

/**
 * AdamW ({@code optimizer=adamw}): torch 1.13.1 {@code torch.optim.AdamW}, same defaults. The weight
 * decay is decoupled: {@code param *= 1 − lr·weight_decay} before the Adam update.
 *
 * @param lr {@code optimizer.lr > 0} (default 1e-3)
 * @param beta1 {@code optimizer.beta1} in [0, 1) (default 0.9)
 * @param beta2 {@code optimizer.beta2} in [0, 1) (default 0.999)
 * @param eps {@code optimizer.eps > 0} (default 1e-8)
 * @param weightDecay decoupled decay, {@code optimizer.weight-decay >= 0} (default 1e-2)
 * @param amsgrad use the running maximum of the second moment (default false)
 * @param lazy update only the touched columns of a sparse tensor (default false; not torch, see {@link Adam})
 */
public record AdamWConfig(double lr, double beta1, double beta2, double eps, double weightDecay,
                          boolean amsgrad, boolean lazy) implements OptimizerConfig {

    public AdamWConfig {
        AdamConfig.check(lr, beta1, beta2, eps, weightDecay);
    }

    /** torch defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 1e-2, amsgrad false; dense. */
    public static AdamWConfig defaults() {
        return new AdamWConfig(1e-3, 0.9, 0.999, 1e-8, 1e-2, false, false);
    }

    @Override
    public String name() {
        return "adamw";
    }

    @Override
    public Adam create() {
        return new Adam(this, beta1, beta2, eps, weightDecay, true, amsgrad, lazy);
    }
}
