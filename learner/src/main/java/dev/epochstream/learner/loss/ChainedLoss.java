package dev.epochstream.learner.loss;

import dev.epochstream.learner.nn.Activation;
import dev.epochstream.learner.nn.ActivationFunctions;
import org.ejml.data.DMatrixRMaj;

/**
 * A loss defined on the output activation a: its gradient dL/da is chained through the activation's
 * derivative (the full Jacobian-vector product for softmax) to give dL/dz.
 */
abstract class ChainedLoss extends AbstractLoss {

    ChainedLoss(String name, Activation activation, double slope) {
        super(name, activation, slope);
    }

    @Override
    public final double value(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj targets) {
        return compute(a, targets, null);
    }

    @Override
    public final double gradient(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj targets, DMatrixRMaj gradZ) {
        gradZ.reshape(a.numRows, a.numCols);
        double value = compute(a, targets, gradZ.data);
        ActivationFunctions.backwardInPlace(activation, slope, z, a, gradZ);
        return value;
    }

    /**
     * Returns the loss value of the activations {@code a}; when {@code gradA} is not null, also writes
     * dL/da into it (row-major, shaped like {@code a}).
     */
    protected abstract double compute(DMatrixRMaj a, DMatrixRMaj targets, double[] gradA);
}
