package dev.epochstream.learner.loss;

import dev.epochstream.learner.nn.Activation;
import org.ejml.data.DMatrixRMaj;

/**
 * A regression loss of the difference d = a − t per element, mean-reduced over all n·k elements (torch
 * {@code reduction='mean'}). Targets are n x k; any output activation is accepted, since a regression
 * target may live in any range the activation can reach.
 */
abstract class ElementwiseLoss extends ChainedLoss {

    ElementwiseLoss(String name, Activation activation, double slope) {
        super(name, activation, slope);
    }

    /** Loss of one element with difference d = a − t. */
    protected abstract double pointValue(double d);

    /** d(pointValue)/dd. */
    protected abstract double pointGradient(double d);

    @Override
    protected void checkPairing(int outputs) {
        // every activation is fine for regression
    }

    @Override
    public int targetWidth(int outputs) {
        return outputs;
    }

    @Override
    protected String valueProblem(double[] label, int outputs) {
        return null;
    }

    @Override
    protected double compute(DMatrixRMaj a, DMatrixRMaj targets, double[] gradA) {
        int n = a.numRows * a.numCols;
        double sum = 0.0;
        for (int i = 0; i < n; i++) {
            double d = a.data[i] - targets.data[i];
            sum += pointValue(d);
            if (gradA != null) {
                gradA[i] = pointGradient(d) / n;
            }
        }
        return sum / n;
    }
}
