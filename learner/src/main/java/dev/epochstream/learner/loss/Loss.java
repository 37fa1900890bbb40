package dev.epochstream.learner.loss;

import dev.epochstream.learner.nn.Activation;
import org.ejml.data.DMatrixRMaj;

/**
 * A training loss over a mini-batch of the output layer, mean-reduced as torch 1.13.1 does by default.
 *
 * <p>{@code z} is the last layer's pre-activation (logits) and {@code a} its activation, both
 * n x outputs with n = {@code z.numRows}; {@code targets} is n x {@link #targetWidth(int)}. Fused losses
 * (bce, cce, kl) compute from {@code z}; the others from {@code a}. Neither argument is modified.
 * Implementations allocate nothing per call; those with scratch are not thread-safe.
 */
public interface Loss {

    /** The configuration name ({@code model.loss}): mse, mae, huber, bce, cce, hinge, kl or triplet. */
    String name();

    /**
     * Checks that this loss can train a network whose last layer has this activation and size; throws
     * {@link IllegalArgumentException} naming {@code model.loss} / {@code model.activations} and the fix.
     */
    void validate(Activation outputActivation, int outputs);

    /** Columns of one target row: 1 for class-index labels, else {@code outputs}. */
    int targetWidth(int outputs);

    /** Null if {@code label} is a valid target row for this loss, else a readable reason. */
    String labelProblem(double[] label, int outputs);

    /** Mean loss over the rows of {@code z}. */
    double value(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj targets);

    /**
     * Writes dL/dz (the output activation's Jacobian included) into {@code gradZ}, reshaped to z's shape,
     * and returns the loss value.
     */
    double gradient(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj targets, DMatrixRMaj gradZ);

    /**
     * {@link #value} for a softmax output layer, given the forward pass's row statistics: a = softmax(z)
     * computed as e_j / Σe with {@code rowMax[r]} = max_j z[r, j] and {@code rowSum[r]} = Σ_j exp(z[r, j] −
     * rowMax[r]) in index order ({@link dev.epochstream.learner.nn.ActivationFunctions#softmax}). Returns the
     * same double as {@link #value}; the fused softmax losses use the statistics instead of recomputing the
     * exponentials.
     */
    default double valueGivenSoftmax(DMatrixRMaj z, DMatrixRMaj a, double[] rowMax, double[] rowSum,
                                     DMatrixRMaj targets) {
        return value(z, a, targets);
    }

    /** {@link #gradient} given the softmax row statistics, as {@link #valueGivenSoftmax}; the same doubles. */
    default double gradientGivenSoftmax(DMatrixRMaj z, DMatrixRMaj a, double[] rowMax, double[] rowSum,
                                        DMatrixRMaj targets, DMatrixRMaj gradZ) {
        return gradient(z, a, targets, gradZ);
    }
}
