package dev.epochstream.learner.metric;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Incremental regression metrics over rows of {@code outputs} targets.
 *
 * <p>Per output j the accumulator keeps Σ|ŷ − y|, Σ(ŷ − y)² (the residual sum of squares SS_res) and
 * Welford's running mean and M2 = Σ(y − ȳ)² of the target (SS_tot). The row count is shared: every row
 * carries all outputs. Values:
 * <ul>
 *   <li>{@link #mae()} = Σ_j Σ|ŷ − y| / (n·outputs) and {@link #mse()} = Σ_j SS_res_j / (n·outputs): the
 *       mean over all elements, as torch's {@code l1_loss}/{@code mse_loss} with {@code reduction='mean'}
 *       (and sklearn's uniform average, which is the same number);</li>
 *   <li>{@link #rmse()} = √mse, the root of the mean over all elements. For outputs &gt; 1 this is not
 *       sklearn's {@code root_mean_squared_error} with a uniform average, which averages per-output
 *       roots;</li>
 *   <li>{@link #r2()} = sklearn's {@code r2_score(multioutput='uniform_average', force_finite=True)}: the
 *       mean over outputs of 1 − SS_res_j / SS_tot_j, where an output with a constant target
 *       (SS_tot_j = 0) scores 1.0 if it was predicted perfectly (SS_res_j = 0) and 0.0 otherwise.</li>
 * </ul>
 *
 * <p>Welford's update (mean += δ/n; M2 += δ·(y − mean_new)) avoids the cancellation of Σy² − nȳ², and a
 * constant target gives M2 exactly 0. {@link #merge} combines the target moments with Chan, Golub and
 * LeVeque's parallel formula: n = n_a + n_b, δ = mean_b − mean_a, mean = mean_a + δ·n_b/n,
 * M2 = M2_a + M2_b + δ²·n_a·n_b/n. Merged doubles equal sequential feeding up to rounding (counts
 * exactly).
 *
 * <p>Empty accumulator: every value is NaN when {@link #count()} is 0; {@link #r2()} is NaN below two rows
 * (as sklearn, which warns and returns NaN there). Non-finite inputs are not rejected and propagate.
 * {@link #update} and {@link #merge} allocate nothing; values are summed over outputs in index order.
 */
public final class RegressionMetrics implements Metric<RegressionMetrics> {

    private static final int FORMAT_VERSION = 1;
    private static final String NAME = "RegressionMetrics";

    private final int outputs;
    private long count;
    private final double[] sumAbsError;
    private final double[] sumSquaredError;
    private final double[] targetMean;
    private final double[] targetM2;

    /** An empty accumulator for rows of {@code outputs} targets. */
    public RegressionMetrics(int outputs) {
        if (outputs < 1) {
            throw new IllegalArgumentException("regression metrics need at least 1 output, got " + outputs);
        }
        this.outputs = outputs;
        this.sumAbsError = new double[outputs];
        this.sumSquaredError = new double[outputs];
        this.targetMean = new double[outputs];
        this.targetM2 = new double[outputs];
    }

    /** Number of targets per row. */
    public int outputs() {
        return outputs;
    }

    /**
     * Adds one row: {@code predicted} and {@code actual} must both have length {@link #outputs()}. Neither
     * array is modified. Allocates nothing.
     */
    public void update(double[] predicted, double[] actual) {
        if (predicted.length != outputs || actual.length != outputs) {
            throw new IllegalArgumentException("expected " + outputs + " predicted and actual values, got "
                    + predicted.length + " and " + actual.length);
        }
        update(predicted, 0, actual, 0);
    }

    /**
     * Adds one row read from {@code predicted[pOff .. pOff + outputs)} and
     * {@code actual[yOff .. yOff + outputs)}, e.g. one row of a row-major batch. Neither array is
     * modified. Allocates nothing.
     */
    public void update(double[] predicted, int pOff, double[] actual, int yOff) {
        if (pOff < 0 || yOff < 0 || pOff > predicted.length - outputs || yOff > actual.length - outputs) {
            throw new IndexOutOfBoundsException("row of " + outputs + " values at offsets " + pOff + " and "
                    + yOff + " outside arrays of length " + predicted.length + " and " + actual.length);
        }
        count++;
        double n = count;
        for (int j = 0; j < outputs; j++) {
            double y = actual[yOff + j];
            double e = predicted[pOff + j] - y;
            sumAbsError[j] += Math.abs(e);
            sumSquaredError[j] += e * e;
            // Welford: δ = y − mean_old; mean_new = mean_old + δ/n; M2 += δ·(y − mean_new)
            double delta = y - targetMean[j];
            targetMean[j] += delta / n;
            targetM2[j] += delta * (y - targetMean[j]);
        }
    }

    @Override
    public void merge(RegressionMetrics other) {
        if (other.outputs != outputs) {
            throw new IllegalArgumentException("cannot merge metrics of " + other.outputs + " outputs into "
                    + outputs + " outputs");
        }
        if (other.count == 0) {
            return;
        }
        if (count == 0) {
            copyFrom(other);
            return;
        }
        double na = count;
        double nb = other.count;
        count += other.count;
        double n = count;
        for (int j = 0; j < outputs; j++) {
            sumAbsError[j] += other.sumAbsError[j];
            sumSquaredError[j] += other.sumSquaredError[j];
            // Chan et al.: δ = mean_b − mean_a; mean = mean_a + δ·n_b/n; M2 = M2_a + M2_b + δ²·n_a·n_b/n
            double delta = other.targetMean[j] - targetMean[j];
            targetMean[j] += delta * nb / n;
            targetM2[j] += other.targetM2[j] + delta * delta * na * nb / n;
        }
    }

    private void copyFrom(RegressionMetrics other) {
        count = other.count;
        System.arraycopy(other.sumAbsError, 0, sumAbsError, 0, outputs);
        System.arraycopy(other.sumSquaredError, 0, sumSquaredError, 0, outputs);
        System.arraycopy(other.targetMean, 0, targetMean, 0, outputs);
        System.arraycopy(other.targetM2, 0, targetM2, 0, outputs);
    }

    @Override
    public void reset() {
        count = 0;
        Arrays.fill(sumAbsError, 0.0);
        Arrays.fill(sumSquaredError, 0.0);
        Arrays.fill(targetMean, 0.0);
        Arrays.fill(targetM2, 0.0);
    }

    @Override
    public RegressionMetrics copy() {
        RegressionMetrics r = new RegressionMetrics(outputs);
        r.copyFrom(this);
        return r;
    }

    @Override
    public long count() {
        return count;
    }

    /** Mean absolute error over all n·outputs elements; NaN when empty. */
    public double mae() {
        return meanOverElements(sumAbsError);
    }

    /** Mean squared error over all n·outputs elements; NaN when empty. */
    public double mse() {
        return meanOverElements(sumSquaredError);
    }

    /** √{@link #mse()}; NaN when empty. */
    public double rmse() {
        return Math.sqrt(mse());
    }

    /**
     * Coefficient of determination averaged uniformly over outputs, with sklearn's
     * {@code force_finite=True} rule for constant targets; NaN below two rows.
     */
    public double r2() {
        if (count < 2) {
            return Double.NaN;
        }
        double sum = 0.0;
        for (int j = 0; j < outputs; j++) {
            sum += r2(sumSquaredError[j], targetM2[j]);
        }
        return sum / outputs;
    }

    /** R² of output {@code j} alone; NaN below two rows. */
    public double r2(int j) {
        if (j < 0 || j >= outputs) {
            throw new IllegalArgumentException("output " + j + " outside [0, " + outputs + ")");
        }
        return count < 2 ? Double.NaN : r2(sumSquaredError[j], targetM2[j]);
    }

    private static double r2(double ssRes, double ssTot) {
        if (ssTot == 0.0) {
            return ssRes == 0.0 ? 1.0 : 0.0;
        }
        return 1.0 - ssRes / ssTot;
    }

    private double meanOverElements(double[] perOutputSums) {
        if (count == 0) {
            return Double.NaN;
        }
        double sum = 0.0;
        for (int j = 0; j < outputs; j++) {
            sum += perOutputSums[j];
        }
        return sum / ((double) count * outputs);
    }

    /**
     * Format 1: byte version, int outputs, long count, then per output (in index order) the raw IEEE bits
     * of Σ|e|, Σe², target mean, target M2.
     */
    @Override
    public void writeTo(DataOutput out) throws IOException {
        StateFormat.writeVersion(out, FORMAT_VERSION);
        out.writeInt(outputs);
        out.writeLong(count);
        for (int j = 0; j < outputs; j++) {
            StateFormat.writeDouble(out, sumAbsError[j]);
            StateFormat.writeDouble(out, sumSquaredError[j]);
            StateFormat.writeDouble(out, targetMean[j]);
            StateFormat.writeDouble(out, targetM2[j]);
        }
    }

    /** Reads what {@link #writeTo} wrote; {@link IllegalArgumentException} for an unknown format version. */
    public static RegressionMetrics readFrom(DataInput in) throws IOException {
        StateFormat.readVersion(in, FORMAT_VERSION, NAME);
        RegressionMetrics r = new RegressionMetrics(StateFormat.readDimension(in, 1, NAME, "outputs"));
        r.count = StateFormat.readCount(in, NAME);
        for (int j = 0; j < r.outputs; j++) {
            r.sumAbsError[j] = StateFormat.readDouble(in);
            r.sumSquaredError[j] = StateFormat.readDouble(in);
            r.targetMean[j] = StateFormat.readDouble(in);
            r.targetM2[j] = StateFormat.readDouble(in);
        }
        return r;
    }

    /** State equality: same outputs and count, and every double with the same bits. */
    @Override
    public boolean equals(Object o) {
        return o instanceof RegressionMetrics r && r.outputs == outputs && r.count == count
                && StateFormat.sameBits(r.sumAbsError, sumAbsError)
                && StateFormat.sameBits(r.sumSquaredError, sumSquaredError)
                && StateFormat.sameBits(r.targetMean, targetMean)
                && StateFormat.sameBits(r.targetM2, targetM2);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * Long.hashCode(count) + Arrays.hashCode(sumAbsError))
                + Arrays.hashCode(sumSquaredError)) + Arrays.hashCode(targetM2);
    }

    @Override
    public String toString() {
        return NAME + "[outputs=" + outputs + ", count=" + count + ", mae=" + mae() + ", mse=" + mse()
                + ", r2=" + r2() + "]";
    }
}
