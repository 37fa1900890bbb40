package dev.epochstream.learner.loss;

import dev.epochstream.learner.nn.Activation;

/** {@code mse}: torch {@code MSELoss}, mean of (a − t)² over all elements; gradient 2(a − t)/(n·k). */
public final class MeanSquaredError extends ElementwiseLoss {

    public MeanSquaredError(Activation activation, double slope) {
        super("mse", activation, slope);
    }

    @Override
    protected double pointValue(double d) {
        return d * d;
    }

    @Override
    protected double pointGradient(double d) {
        return 2.0 * d;
    }
}
