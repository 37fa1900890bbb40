package dev.epochstream.learner.loss;

import dev.epochstream.learner.nn.Activation;

/**
 * {@code mae}: torch {@code L1Loss}, mean of |a − t| over all elements; gradient sign(a − t)/(n·k) with
 * sign(0) = 0, as torch's {@code sgn}.
 */
public final class MeanAbsoluteError extends ElementwiseLoss {

    public MeanAbsoluteError(Activation activation, double slope) {
        super("mae", activation, slope);
    }

    @Override
    protected double pointValue(double d) {
        return Math.abs(d);
    }

    @Override
    protected double pointGradient(double d) {
        return d > 0 ? 1.0 : d < 0 ? -1.0 : 0.0;
    }
}
