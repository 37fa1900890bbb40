package dev.epochstream.learner.loss;

import dev.epochstream.learner.nn.Activation;
import org.ejml.data.DMatrixRMaj;

/**
 * {@code triplet}: batch-hard triplet loss on the output activations as embeddings, with an integer class
 * label in target column 0 (torch {@code TripletMarginLoss(margin, p=2)} applied to mined triplets).
 *
 * <p>For each anchor i, the positive p is the farthest other row with the same label and the negative q
 * the nearest row with a different label (Euclidean distance ‖x_i − x_j‖; ties go to the lowest index). The
 * mined triplets then get torch 1.13.1's {@code triplet_margin_loss}: the mean, over anchors having both, of
 * clamp_min(margin + d(i,p) − d(i,q), 0) with torch's {@code pairwise_distance} d(i,j) = ‖x_i − x_j + ε‖, ε =
 * 1e-6 added to every component of the difference; 0 with no such anchor. The gradient is torch's too: ∂d(i,j)/∂x_i
 * = (x_i − x_j + ε)/d(i,j), and a term exactly at 0 passes its gradient ({@code clamp_min}'s backward keeps
 * self >= min). The mining is not differentiated (as in every batch-hard implementation).
 *
 * <p>Every output activation is accepted (except the softmax over one output refused for all losses).
 */
public final class TripletLoss extends ChainedLoss {
    /** torch {@code pairwise_distance}'s default eps, which {@code triplet_margin_loss} passes on. */
    static final double EPS = 1e-6;

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
            double positive = torchDistance(x, i, p, k);
            double negative = torchDistance(x, i, q, k);
            double l = margin + positive - negative;
            if (l >= 0) {
                total += l;
                if (grad != null) {
                    // ∂d(i,j)/∂x_i = (x_i − x_j + ε)/d(i,j) = −∂d(i,j)/∂x_j; unscaled here, divided by the anchor count below
                    addDistanceGradient(x, grad, i, p, positive, 1.0, k);
                    addDistanceGradient(x, grad, i, q, negative, -1.0, k);
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

    /** torch's {@code pairwise_distance(x_i, x_j, p=2, eps=1e-6)}: ‖x_i − x_j + ε‖. */
    private static double torchDistance(double[] x, int i, int j, int k) {
        double s = 0.0;
        for (int c = 0; c < k; c++) {
            double d = x[i * k + c] - x[j * k + c] + EPS;
            s += d * d;
        }
        return Math.sqrt(s);
    }

    private static void addDistanceGradient(double[] x, double[] grad, int i, int j, double d, double sign, int k) {
        if (d == 0.0) {
            return; // every component of x_i − x_j exactly −ε: the norm has no gradient there (torch's is 0 too)
        }
        for (int c = 0; c < k; c++) {
            double u = sign * (x[i * k + c] - x[j * k + c] + EPS) / d;
            grad[i * k + c] += u;
            grad[j * k + c] -= u;
        }
    }
}
