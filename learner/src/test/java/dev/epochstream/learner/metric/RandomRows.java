package dev.epochstream.learner.metric;

import java.util.SplittableRandom;

/** Seeded random rows for the incremental, merge and rolling tests. */
final class RandomRows {
    final int[] actual;
    final int[] predicted;
    final double[] probability;
    /** Row-major [n][outputs]. */
    final double[] targets;
    final double[] predictions;

    private RandomRows(int[] actual, int[] predicted, double[] probability, double[] targets,
            double[] predictions) {
        this.actual = actual;
        this.predicted = predicted;
        this.probability = probability;
        this.targets = targets;
        this.predictions = predictions;
    }

    /**
     * {@code n} rows of {@code k} classes: the prediction is right about 60% of the time, the probability
     * is uniform in [0, 1) with 10% NaN (unknown) and a few exact 0s and 1s to exercise clipping.
     */
    static RandomRows classification(long seed, int n, int k) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] a = new int[n];
        int[] p = new int[n];
        double[] prob = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = rnd.nextInt(k);
            p[i] = rnd.nextDouble() < 0.6 ? a[i] : rnd.nextInt(k);
            double u = rnd.nextDouble();
            prob[i] = u < 0.1 ? Double.NaN : u < 0.12 ? 0.0 : u < 0.14 ? 1.0 : rnd.nextDouble();
        }
        return new RandomRows(a, p, prob, null, null);
    }

    /**
     * {@code n} rows of {@code outputs} targets: output j is centred on 100·j with spread j + 1 (a large
     * mean tests that the variance does not cancel), predictions add noise of spread 0.5.
     */
    static RandomRows regression(long seed, int n, int outputs) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] y = new double[n * outputs];
        double[] p = new double[n * outputs];
        for (int i = 0; i < n * outputs; i++) {
            int j = i % outputs;
            y[i] = 100.0 * j + (j + 1) * gaussian(rnd);
            p[i] = y[i] + 0.5 * gaussian(rnd);
        }
        return new RandomRows(null, null, null, y, p);
    }

    /** Feeds classification rows {@code from .. to) into {@code m}. */
    void feed(ClassificationMetrics m, int from, int to) {
        for (int i = from; i < to; i++) {
            m.update(actual[i], predicted[i], probability[i]);
        }
    }

    /** Feeds regression rows {@code from .. to) into {@code m}, by offsets into the row-major arrays. */
    void feed(RegressionMetrics m, int from, int to) {
        int d = m.outputs();
        for (int i = from; i < to; i++) {
            m.update(predictions, i * d, targets, i * d);
        }
    }

    /** Box–Muller: a seeded standard normal without java.util.Random. */
    private static double gaussian(SplittableRandom rnd) {
        double u = 1.0 - rnd.nextDouble();
        double v = rnd.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
