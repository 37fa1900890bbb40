package dev.epochstream.learner.optim;

/**
 * Gradient clipping by global L2 norm, torch 1.13.1 {@code torch.nn.utils.clip_grad_norm_} with
 * {@code norm_type=2}:
 * <pre>
 *   norm_i = sqrt(Σ g²) over tensor i
 *   total  = sqrt(Σ_i norm_i²)          (the norm of the per-tensor norms, as torch stacks them)
 *   coef   = min(max_norm / (total + 1e-6), 1.0)
 *   grads  = grads · coef
 * </pre>
 * Sums run in index order (torch's vectorised reduction order is not reproducible; ours is fixed, so
 * the result is the same on every machine). Multiplying by a coefficient of exactly 1 is skipped, as it
 * changes nothing. A non-finite total propagates into the gradients, as in torch (whose
 * {@code error_if_nonfinite} defaults to false).
 */
public final class GradientClipping {

    /** Added to the total norm before dividing, as torch does. */
    public static final double NORM_EPS = 1e-6;

    private GradientClipping() {
    }

    /**
     * Scales every gradient of {@code params} in place so that their global L2 norm is at most
     * {@code maxNorm}. Of the sparse tensor only the touched columns are read and scaled (the others are
     * zero), in the form the gradient is currently held in ({@link Parameters#gradPacked()}). Allocates nothing.
     *
     * @return the global norm before clipping
     */
    public static double clipByGlobalNorm(Parameters params, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("maxNorm must be > 0 (got " + maxNorm + ")");
        }
        double sumOfSquares = 0;
        for (int k = 0; k < params.count(); k++) {
            double norm = Math.sqrt(sumOfSquares(params, k));
            sumOfSquares += norm * norm;
        }
        double total = Math.sqrt(sumOfSquares);
        double coef = Math.min(maxNorm / (total + NORM_EPS), 1.0);
        if (coef != 1.0) {
            for (int k = 0; k < params.count(); k++) {
                scale(params, k, coef);
            }
        }
        return total;
    }

    private static double sumOfSquares(Parameters params, int tensor) {
        double sum = 0;
        if (tensor == params.sparseTensor() && params.gradPacked()) {
            // row by row, touched columns ascending: the dense index order with the zero terms left out
            double[] g = params.packedGrad();
            int[] order = params.ascendingTouchedOrder();
            int count = params.touchedCount();
            for (int row = 0, n = params.rows(tensor) * count; row < n; row += count) {
                for (int i = 0; i < count; i++) {
                    double v = g[row + order[i]];
                    sum += v * v;
                }
            }
        } else if (tensor == params.sparseTensor()) {
            double[] g = params.grad(tensor);
            int[] touched = params.touchedColumns();
            int[] order = params.ascendingTouchedOrder();
            int cols = params.cols(tensor);
            for (int row = 0, n = params.size(tensor); row < n; row += cols) {
                for (int i = 0; i < params.touchedCount(); i++) {
                    double v = g[row + touched[order[i]]];
                    sum += v * v;
                }
            }
        } else {
            double[] g = params.grad(tensor);
            for (int i = 0, n = params.size(tensor); i < n; i++) {
                sum += g[i] * g[i];
            }
        }
        return sum;
    }

    private static void scale(Parameters params, int tensor, double coef) {
        if (tensor == params.sparseTensor() && params.gradPacked()) {
            double[] g = params.packedGrad();
            for (int p = 0, n = params.rows(tensor) * params.touchedCount(); p < n; p++) {
                g[p] *= coef;
            }
        } else if (tensor == params.sparseTensor()) {
            double[] g = params.grad(tensor);
            int[] touched = params.touchedColumns();
            int cols = params.cols(tensor);
            for (int j = 0, n = params.size(tensor); j < params.touchedCount(); j++) {
                for (int i = touched[j]; i < n; i += cols) {
                    g[i] *= coef;
                }
            }
        } else {
            double[] g = params.grad(tensor);
            for (int i = 0, n = params.size(tensor); i < n; i++) {
                g[i] *= coef;
            }
        }
    }
}
