package dev.epochstream.learner.loss;

import dev.epochstream.learner.nn.Activation;

/**
 * {@code huber}: torch {@code HuberLoss(delta)}, per element with d = a − t:
 * 0.5·d² if |d| < delta, else delta·(|d| − 0.5·delta); mean over all elements. Gradient
 * clamp(d, −delta, delta)/(n·k), as torch's huber_loss_backward.
 */
public final class HuberLoss extends ElementwiseLoss {
    private final double delta;

    /** @param delta the switch point ({@code model.loss.delta}), finite and > 0 */
    public HuberLoss(Activation activation, double slope, double delta) {
        super("huber", activation, slope);
        this.delta = requireNonNegative("model.loss.delta", delta, false, 1.0);
    }

    public double delta() {
        return delta;
    }

    @Override
    protected double pointValue(double d) {
        double abs = Math.abs(d);
        return abs < delta ? 0.5 * d * d : delta * (abs - 0.5 * delta);
    }

    @Override
    protected double pointGradient(double d) {
        return d < -delta ? -delta : d > delta ? delta : d;
    }
}
