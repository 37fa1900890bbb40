package dev.epochstream.learner.loss;

import dev.epochstream.learner.nn.Activation;
import dev.epochstream.learner.nn.ActivationFunctions;
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
        return compute(z, null, null, null, targets, null);
    }

    @Override
    public final double gradient(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj targets, DMatrixRMaj gradZ) {
        gradZ.reshape(z.numRows, z.numCols);
        return compute(z, null, null, null, targets, gradZ.data);
    }

    /**
     * The forward pass's softmax did the row's max and exponentials already: reused, the loss needs no exp.
     * Same doubles: max and Σe come from the same loops ({@link ActivationFunctions#rowMax},
     * {@link ActivationFunctions#softmaxRow}), and p_j = e_j / Σe is exactly the a_j that softmax stored.
     */
    @Override
    public final double valueGivenSoftmax(DMatrixRMaj z, DMatrixRMaj a, double[] rowMax, double[] rowSum,
                                          DMatrixRMaj targets) {
        return compute(z, a.data, rowMax, rowSum, targets, null);
    }

    @Override
    public final double gradientGivenSoftmax(DMatrixRMaj z, DMatrixRMaj a, double[] rowMax, double[] rowSum,
                                             DMatrixRMaj targets, DMatrixRMaj gradZ) {
        gradZ.reshape(z.numRows, z.numCols);
        return compute(z, a.data, rowMax, rowSum, targets, gradZ.data);
    }

    /**
     * Returns the loss value; when {@code gradZ} is not null, also writes dL/dz into it. With {@code rowSum}
     * null each row's max and Σe are computed here ({@link ActivationFunctions#rowMax}, {@link #shiftedExpSum}); else they and the
     * softmax {@code a} come from the forward pass.
     */
    protected abstract double compute(DMatrixRMaj z, double[] a, double[] rowMax, double[] rowSum,
                                      DMatrixRMaj targets, double[] gradZ);

    /**
     * p_j = softmax(z)_j of row {@code off}: from the forward pass's {@code a} when given, else e_j / s with
     * e_j left in {@code e} by {@link #shiftedExpSum} (the same division softmax does, so the same double).
     */
    static double probability(double[] a, double[] e, int i, double s) {
        return a != null ? a[i] : e[i] / s;
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
