package dev.epochstream.learner.loss;

import dev.epochstream.learner.nn.Activation;
import org.ejml.data.DMatrixRMaj;

/**
 * A loss fused with a softmax output layer, computed from the logits z with the max subtracted (so finite
 * for every finite z). Refused: an output activation other than softmax (the model's outputs would not be
 * the probabilities the loss trains) and a single output (softmax over one unit is constant).
 */
abstract class SoftmaxLogitsLoss extends AbstractLoss {

    SoftmaxLogitsLoss(String name, Activation activation, double slope) {
        super(name, activation, slope);
    }

    @Override
    protected final void checkPairing(int outputs) {
        if (activation != Activation.SOFTMAX) {
            throw refused(name + " is computed from the logits of a softmax output; set the last activation to"
                    + " softmax (or use bce for sigmoid outputs)");
        }
        if (outputs < 2) {
            throw refused(name + " needs >= 2 outputs; give the last layer >= 2 units (or use bce with one"
                    + " sigmoid output for two classes)");
        }
    }

    @Override
    public final double value(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj targets) {
        return compute(z, targets, null);
    }

    @Override
    public final double gradient(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj targets, DMatrixRMaj gradZ) {
        gradZ.reshape(z.numRows, z.numCols);
        return compute(z, targets, gradZ.data);
    }

    /** Returns the loss value; when {@code gradZ} is not null, also writes dL/dz into it. */
    protected abstract double compute(DMatrixRMaj z, DMatrixRMaj targets, double[] gradZ);

    /** max_j z[off + j] over one row of k logits. */
    static double rowMax(double[] z, int off, int k) {
        double max = z[off];
        for (int j = 1; j < k; j++) {
            max = Math.max(max, z[off + j]);
        }
        return max;
    }

    /**
     * Σ_j exp(z[off + j] − max) in index order; when {@code e} is not null each term is also stored in
     * {@code e[off + j]}.
     */
    static double shiftedExpSum(double[] z, int off, int k, double max, double[] e) {
        double s = 0.0;
        for (int j = 0; j < k; j++) {
            double t = StrictMath.exp(z[off + j] - max);
            if (e != null) {
                e[off + j] = t;
            }
            s += t;
        }
        return s;
    }
}
