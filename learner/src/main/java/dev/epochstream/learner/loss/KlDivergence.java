package dev.epochstream.learner.loss;

import dev.epochstream.learner.nn.Activation;
import dev.epochstream.learner.nn.ActivationFunctions;
import org.ejml.data.DMatrixRMaj;

/**
 * {@code kl}: torch {@code KLDivLoss(reduction='batchmean')} of a target distribution t against
 * log_softmax(z) of a softmax output layer.
 *
 * <p>Per row, with log p_j = (z_j − m) − log Σ_i exp(z_i − m), m = max z: Σ_j t_j (log t_j − log p_j), where
 * terms with t_j = 0 are 0 (torch: {@code where(target > 0, ..., 0)}); the sum over rows is divided by n.
 * dL/dz_j = (S·p_j − t_j)/n with S = Σ_j t_j (S = 1 for a valid label). Finite for every finite z.
 *
 * <p>Refused: an output activation other than softmax (the outputs would not be the distribution the
 * loss compares) and a single output.
 */
public final class KlDivergence extends SoftmaxLogitsLoss {
    private static final double SUM_TOLERANCE = 1e-9;

    public KlDivergence(Activation activation, double slope) {
        super("kl", activation, slope);
    }

    @Override
    public int targetWidth(int outputs) {
        return outputs;
    }

    @Override
    protected String valueProblem(double[] label, int outputs) {
        double sum = 0.0;
        for (int i = 0; i < label.length; i++) {
            if (label[i] < 0) {
                return "distribution value " + i + " is negative (" + label[i] + ")";
            }
            sum += label[i];
        }
        if (Math.abs(sum - 1.0) > SUM_TOLERANCE) {
            return "distribution sums to " + sum + ", not 1";
        }
        return null;
    }

    @Override
    protected double compute(DMatrixRMaj z, double[] a, double[] rowMax, double[] rowSum, DMatrixRMaj targets,
                             double[] grad) {
        int n = z.numRows;
        int k = z.numCols;
        double[] zd = z.data;
        double[] td = targets.data;
        double total = 0.0;
        for (int r = 0; r < n; r++) {
            int off = r * k;
            double max = rowSum != null ? rowMax[r] : ActivationFunctions.rowMax(zd, off, k);
            double s = rowSum != null ? rowSum[r] : shiftedExpSum(zd, off, k, max, grad);
            double logS = StrictMath.log(s);
            double targetSum = 0.0;
            for (int j = 0; j < k; j++) {
                double t = td[off + j];
                targetSum += t;
                if (t > 0) {
                    total += t * (StrictMath.log(t) - ((zd[off + j] - max) - logS));
                }
            }
            if (grad != null) {
                for (int j = 0; j < k; j++) {
                    double p = probability(a, grad, off + j, s);
                    grad[off + j] = (targetSum * p - td[off + j]) / n;
                }
            }
        }
        return total / n;
    }
}
