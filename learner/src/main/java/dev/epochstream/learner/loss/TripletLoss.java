package dev.epochstream.learner.loss;

import dev.epochstream.learner.nn.Activation;
import org.ejml.data.DMatrixRMaj;

/**
 * {@code triplet}: batch-hard triplet loss on the output activations as embeddings, with an integer class
 * label in target column 0 (torch {@code TripletMarginLoss(margin, p=2)} applied to mined triplets).
 *
 * <p>For each anchor i, the positive p is the farthest other row with the same label and the negative q
 * the nearest row with a different label (Euclidean distance; ties go to the lowest index). The loss is
 * the mean, over anchors having both, of max(0, d(i,p) − d(i,q) + margin); 0 with no such anchor.
 * The mining is not differentiated (as in every batch-hard implementation). Differences from torch: the
 * distance is the plain Euclidean norm, without torch's eps = 1e-6 added to the difference, and the
 * gradient of d at d = 0 (identical embeddings) is taken as 0; a term exactly at its kink has no gradient.
 *
 * <p>Every output activation is accepted (except the softmax over one output refused for all losses).
 */
public final class TripletLoss extends ChainedLoss {
    private final double margin;

    /** @param margin the margin ({@code model.loss.margin}), finite and >= 0 */
    public TripletLoss(Activation activation, double slope, double margin) {
        super("triplet", activation, slope);
        this.margin = requireNonNegative("model.loss.margin", margin, true, 1.0);
    }

    public double margin() {
        return margin;
    }

    @Override
    protected void checkPairing(int outputs) {
        // any embedding works
    }

    @Override
    public int targetWidth(int outputs) {
        return 1;
    }

    @Override
    protected String valueProblem(double[] label, int outputs) {
        double v = label[0];
        return v == Math.rint(v) && Math.abs(v) <= 1L << 53 ? null : "triplet label " + v + " is not an integer";
    }

    @Override
    protected double compute(DMatrixRMaj a, DMatrixRMaj targets, double[] grad) {
        int n = a.numRows;
        int k = a.numCols;
        double[] x = a.data;
        double[] labels = targets.data;
        if (grad != null) {
            for (int i = 0, size = n * k; i < size; i++) {
                grad[i] = 0.0;
            }
        }
        int anchors = 0;
        double total = 0.0;
        for (int i = 0; i < n; i++) {
            int p = -1;
            int q = -1;
            double dp = 0.0;
            double dq = 0.0;
            for (int j = 0; j < n; j++) {
                if (j == i) {
                    continue;
                }
                double d = distance(x, i, j, k);
                if (labels[j] == labels[i]) {
                    if (p < 0 || d > dp) {
                        p = j;
                        dp = d;
                    }
                } else if (q < 0 || d < dq) {
                    q = j;
                    dq = d;
                }
            }
            if (p < 0 || q < 0) {
                continue;
            }
            anchors++;
            double l = dp - dq + margin;
            if (l > 0) {
                total += l;
                if (grad != null) {
                    // ∂d(i,j)/∂x_i = (x_i − x_j)/d(i,j) = −∂d(i,j)/∂x_j; unscaled here, divided by the anchor count below
                    addDistanceGradient(x, grad, i, p, dp, 1.0, k);
                    addDistanceGradient(x, grad, i, q, dq, -1.0, k);
                }
            }
        }
        if (anchors == 0) {
            return 0.0;
        }
        if (grad != null) {
            for (int i = 0, size = n * k; i < size; i++) {
                grad[i] /= anchors;
            }
        }
        return total / anchors;
    }

    private static double distance(double[] x, int i, int j, int k) {
        double s = 0.0;
        for (int c = 0; c < k; c++) {
            double d = x[i * k + c] - x[j * k + c];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    private static void addDistanceGradient(double[] x, double[] grad, int i, int j, double d, double sign, int k) {
        if (d == 0.0) {
            return;
        }
        for (int c = 0; c < k; c++) {
            double u = sign * (x[i * k + c] - x[j * k + c]) / d;
            grad[i * k + c] += u;
            grad[j * k + c] -= u;
        }
    }
}
