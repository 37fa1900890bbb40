package dev.epochstream.learner.optim;

/**
 * Adagrad ({@code optimizer=adagrad}): torch 1.13.1 {@code torch.optim.Adagrad}, same defaults.
 *
 * @param lr learning rate, {@code optimizer.lr > 0} (default 1e-2)
 * @param lrDecay {@code optimizer.lr-decay >= 0} (default 0): the step's rate is lr / (1 + (step − 1)·lrDecay)
 * @param weightDecay {@code optimizer.weight-decay >= 0} (default 0)
 * @param initialAccumulatorValue starting sum of squared gradients,
 *        {@code optimizer.initial-accumulator >= 0} (default 0)
 * @param eps {@code optimizer.eps > 0} (default 1e-10)
 */
public record AdagradConfig(double lr, double lrDecay, double weightDecay, double initialAccumulatorValue,
                            double eps) implements OptimizerConfig {

    public AdagradConfig {
        ConfigChecks.lr(lr);
        ConfigChecks.nonNegative("optimizer.lr-decay", lrDecay, "use 0 for a constant rate");
        ConfigChecks.weightDecay(weightDecay);
        ConfigChecks.nonNegative("optimizer.initial-accumulator", initialAccumulatorValue,
                "the accumulator is a sum of squares; use 0 as torch does by default");
        ConfigChecks.eps(eps);
    }

    /** torch defaults: lr 1e-2, lr_decay 0, weight_decay 0, initial_accumulator_value 0, eps 1e-10. */
    public static AdagradConfig defaults() {
        return new AdagradConfig(1e-2, 0, 0, 0, 1e-10);
    }

    @Override
    public String name() {
        return "adagrad";
    }

    @Override
    public Adagrad create() {
        return new Adagrad(this);
    }
}
