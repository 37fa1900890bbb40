package dev.epochstream.learner.optim;

/**
 * SGD with momentum ({@code optimizer=momentum}) or Nesterov momentum ({@code optimizer=nesterov}):
 * torch 1.13.1 {@code torch.optim.SGD(lr, momentum, dampening, weight_decay, nesterov)}.
 *
 * <p>Torch has no default lr or momentum; ours are lr {@value SgdConfig#DEFAULT_LR} and momentum
 * {@value #DEFAULT_MOMENTUM}. Nesterov requires momentum > 0 and dampening 0, as torch checks.
 *
 * @param lr {@code optimizer.lr > 0}
 * @param momentum {@code optimizer.momentum > 0} (0 would be {@link SgdConfig})
 * @param dampening {@code optimizer.dampening} in [0, 1] (default 0)
 * @param weightDecay {@code optimizer.weight-decay >= 0} (default 0)
 * @param nesterov Nesterov momentum (default false)
 * @param lazy update only the touched columns of a sparse tensor (default false; not torch, see
 *        {@link Momentum})
 */
public record MomentumConfig(double lr, double momentum, double dampening, double weightDecay,
                             boolean nesterov, boolean lazy) implements OptimizerConfig {

    public static final double DEFAULT_MOMENTUM = 0.9;

    public MomentumConfig {
        ConfigChecks.lr(lr);
        ConfigChecks.positive("optimizer.momentum", momentum, "set a momentum such as 0.9, or use optimizer=sgd");
        ConfigChecks.fraction("optimizer.dampening", dampening, true, "use 0 (torch's default) for no dampening");
        ConfigChecks.weightDecay(weightDecay);
        if (nesterov && dampening != 0) {
            throw ConfigChecks.invalid("optimizer.dampening", "0 with nesterov", dampening,
                    "Nesterov momentum requires zero dampening");
        }
    }

    /** optimizer=momentum: lr 0.01, momentum 0.9, dampening 0, no weight decay, dense. */
    public static MomentumConfig defaults() {
        return new MomentumConfig(SgdConfig.DEFAULT_LR, DEFAULT_MOMENTUM, 0, 0, false, false);
    }

    /** optimizer=nesterov: as {@link #defaults()} with Nesterov momentum. */
    public static MomentumConfig nesterovDefaults() {
        return new MomentumConfig(SgdConfig.DEFAULT_LR, DEFAULT_MOMENTUM, 0, 0, true, false);
    }

    @Override
    public String name() {
        return nesterov ? "nesterov" : "momentum";
    }

    @Override
    public Momentum create() {
        return new Momentum(this);
    }
}
