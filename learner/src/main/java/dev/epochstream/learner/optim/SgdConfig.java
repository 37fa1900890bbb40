package dev.epochstream.learner.optim;

/**
 * Plain SGD ({@code optimizer=sgd}): torch 1.13.1 {@code torch.optim.SGD(lr, weight_decay)} with
 * momentum 0. Torch has no default learning rate; ours is {@value #DEFAULT_LR}.
 *
 * @param lr learning rate, {@code optimizer.lr > 0}
 * @param weightDecay L2 penalty added to the gradient, {@code optimizer.weight-decay >= 0} (default 0)
 */
public record SgdConfig(double lr, double weightDecay) implements OptimizerConfig {

    public static final double DEFAULT_LR = 0.01;

    public SgdConfig {
        ConfigChecks.lr(lr);
        ConfigChecks.weightDecay(weightDecay);
    }

    /** lr 0.01, no weight decay. */
    public static SgdConfig defaults() {
        return new SgdConfig(DEFAULT_LR, 0);
    }

    @Override
    public String name() {
        return "sgd";
    }

    @Override
    public Sgd create() {
        return new Sgd(this);
    }
}
