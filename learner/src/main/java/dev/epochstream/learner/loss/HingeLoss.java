package dev.epochstream.learner.loss;

import dev.epochstream.learner.nn.Activation;
import org.ejml.data.DMatrixRMaj;

/**
 * {@code hinge} on the output activation a, with the class label in target column 0.
 *
 * <ul>
 *   <li>One output: labels {0, 1} map to y ∈ {−1, +1}; loss = mean over rows of max(0, 1 − y·a);
 *       dL/da = −y/n where 1 − y·a > 0, else 0.</li>
 *   <li>K > 1 outputs: torch {@code MultiMarginLoss(p=1, margin=1)}: per row
 *       Σ_{i≠y} max(0, 1 − a_y + a_i) / K, mean over rows; each positive term adds 1/(K·n) to dL/da_i and
 *       −1/(K·n) to dL/da_y.</li>
 * </ul>
 * A term exactly at its kink (0) contributes no gradient, as torch's multi_margin_loss_backward ({@code z > 0}).
 *
 * <p>Refused: one output with sigmoid or relu (a ≥ 0, so the decision threshold 0 cannot separate the
 * classes and a = 0 has no gradient for relu): use identity, tanh or leaky_relu, or bce for sigmoid.
 */
public final class HingeLoss extends ChainedLoss {

    public HingeLoss(Activation activation, double slope) {
        super("hinge", activation, slope);
    }

    @Override
    protected void checkPairing(int outputs) {
        if (outputs == 1 && (activation == Activation.SIGMOID || activation == Activation.RELU)) {
            throw refused("binary hinge separates classes at 0 but a " + activation.configName()
                    + " output is never negative; use identity, tanh or leaky_relu (or bce with sigmoid)");
        }
    }

    @Override
    public int targetWidth(int outputs) {
        return 1;
    }

    @Override
    protected String valueProblem(double[] label, int outputs) {
        if (outputs == 1) {
            return label[0] == 0.0 || label[0] == 1.0 ? null : "binary label must be 0 or 1, got " + label[0];
        }
        return classIndexProblem(label[0], outputs);
    }

    @Override
    protected double compute(DMatrixRMaj a, DMatrixRMaj targets, double[] grad) {
        int n = a.numRows;
        int k = a.numCols;
        double[] ad = a.data;
        double total = 0.0;
        if (k == 1) {
            for (int r = 0; r < n; r++) {
                double y = targets.data[r] == 1.0 ? 1.0 : -1.0;
                double m = 1.0 - y * ad[r];
                if (m > 0) {
                    total += m;
                }
                if (grad != null) {
                    grad[r] = m > 0 ? -y / n : 0.0;
                }
            }
            return total / n;
        }
        double step = 1.0 / ((double) k * n);
        for (int r = 0; r < n; r++) {
            int off = r * k;
            int y = CrossEntropyLoss.classIndex(targets.data[r], k);
            if (grad != null) {
                for (int i = 0; i < k; i++) {
                    grad[off + i] = 0.0;
                }
            }
            double rowSum = 0.0;
            for (int i = 0; i < k; i++) {
                if (i == y) {
                    continue;
                }
                double m = 1.0 - ad[off + y] + ad[off + i];
                if (m > 0) {
                    rowSum += m;
                    if (grad != null) {
                        grad[off + i] += step;
                        grad[off + y] -= step;
                    }
                }
            }
            total += rowSum / k;
        }
        return total / n;
    }
}
