package dev.epochstream.learner.epoch;

/**
 * An independent, scalar implementation of the [2,1] identity network under mse and plain SGD, written
 * from the formulas (not from the trainer's code): p = w0·x0 + w1·x1 + b, loss = mean (p − y)²,
 * ∂loss/∂w_k = Σ 2(p − y)·x_k / n, ∂loss/∂b = Σ 2(p − y) / n, θ ← θ − lr·∂loss/∂θ.
 */
final class TinyModel {
    double w0;
    double w1;
    double b;

    /** From the trainer's parameter tensors W0 (1x2) and b0 (1). */
    TinyModel(double[][] params) {
        w0 = params[0][0];
        w1 = params[0][1];
        b = params[1][0];
    }

    double predict(double[] x) {
        return w0 * x[0] + w1 * x[1] + b;
    }

    /** One SGD step on rows {@code rows[from .. to)} of the data. */
    void sgdStep(double[][] xs, double[][] ys, int[] rows, int from, int to, double lr) {
        int n = to - from;
        double g0 = 0;
        double g1 = 0;
        double gb = 0;
        for (int r = from; r < to; r++) {
            double[] x = xs[rows[r]];
            double d = predict(x) - ys[rows[r]][0];
            g0 += 2 * d * x[0] / n;
            g1 += 2 * d * x[1] / n;
            gb += 2 * d / n;
        }
        w0 -= lr * g0;
        w1 -= lr * g1;
        b -= lr * gb;
    }

    /** One pass of consecutive slices of {@code batch} rows over {@code rows}, the last one partial. */
    void pass(double[][] xs, double[][] ys, int[] rows, int batch, double lr) {
        for (int start = 0; start < rows.length; start += batch) {
            sgdStep(xs, ys, rows, start, Math.min(start + batch, rows.length), lr);
        }
    }

    /** Mean squared error over {@code rows}. */
    double mse(double[][] xs, double[][] ys, int[] rows) {
        double s = 0;
        for (int r : rows) {
            double d = predict(xs[r]) - ys[r][0];
            s += d * d;
        }
        return s / rows.length;
    }

    double mae(double[][] xs, double[][] ys, int[] rows) {
        double s = 0;
        for (int r : rows) {
            s += Math.abs(predict(xs[r]) - ys[r][0]);
        }
        return s / rows.length;
    }

    /** 1 − SS_res / SS_tot with SS_tot = Σ (y − ȳ)² by the two-pass formula. */
    double r2(double[][] xs, double[][] ys, int[] rows) {
        double mean = 0;
        for (int r : rows) {
            mean += ys[r][0];
        }
        mean /= rows.length;
        double ssTot = 0;
        double ssRes = 0;
        for (int r : rows) {
            ssTot += (ys[r][0] - mean) * (ys[r][0] - mean);
            double d = predict(xs[r]) - ys[r][0];
            ssRes += d * d;
        }
        return 1 - ssRes / ssTot;
    }

    static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }
}
