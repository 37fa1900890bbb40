package dev.epochstream.learner.loss;

import dev.epochstream.learner.nn.Activation;
import dev.epochstream.learner.nn.ActivationFunctions;
import org.ejml.data.DMatrixRMaj;

/**
 * {@code cce}: torch {@code CrossEntropyLoss} (mean over the batch) on the logits z of a softmax output
 * layer; the target is a class index y in column 0.
 *
 * <p>Per row, with m = max_j z_j and s = Σ_j exp(z_j − m): loss = log s − (z_y − m), i.e.
 * logsumexp(z) − z_y; mean over rows. dL/dz_j = (exp(z_j − m)/s − [j = y])/n. Finite for every finite z.
 *
 * <p>Refused: an output activation other than softmax (the outputs would not be the probabilities the
 * loss trains) and a single output. Targets must have passed {@link #labelProblem}; a class index outside
 * [0, K) throws {@link IllegalArgumentException}.
 */
public final class CrossEntropyLoss extends SoftmaxLogitsLoss {

    public CrossEntropyLoss(Activation activation, double slope) {
        super("cce", activation, slope);
    }

    @Override
    public int targetWidth(int outputs) {
        return 1;
    }

    @Override
    protected String valueProblem(double[] label, int outputs) {
        return classIndexProblem(label[0], outputs);
    }

    @Override
    protected double compute(DMatrixRMaj z, double[] a, double[] rowMax, double[] rowSum, DMatrixRMaj targets,
                             double[] grad) {
        int n = z.numRows;
        int k = z.numCols;
        double[] zd = z.data;
        double total = 0.0;
        for (int r = 0; r < n; r++) {
            int off = r * k;
            int y = classIndex(targets.data[r], k);
            double max = rowSum != null ? rowMax[r] : ActivationFunctions.rowMax(zd, off, k);
            double s = rowSum != null ? rowSum[r] : shiftedExpSum(zd, off, k, max, grad);
            // −log softmax(z)_y = log s − (z_y − m)
            total += StrictMath.log(s) - (zd[off + y] - max);
            if (grad != null) {
                for (int j = 0; j < k; j++) {
                    double p = probability(a, grad, off + j, s);
                    grad[off + j] = (j == y ? p - 1.0 : p) / n;
                }
            }
        }
        return total / n;
    }

    /** The class index in a target value; throws when it is not an integer in [0, classes). */
    static int classIndex(double t, int classes) {
        int y = (int) t;
        if (y != t || y < 0 || y >= classes) {
            throw new IllegalArgumentException("class index " + t + " is not an integer in [0, " + classes + ")");
        }
        return y;
    }
}
