package dev.epochstream.learner.metric;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Incremental classification metrics over {@code K >= 2} classes: a confusion matrix of exact
 * {@code long} counts plus a running sum of the log loss. Binary classification is {@code K = 2} with
 * positive class 1.
 *
 * <p>Every value follows scikit-learn with {@code zero_division=0} and {@code labels=range(K)}:
 * <ul>
 *   <li>precision of class c = tp / (tp + fp), 0 when nothing was predicted c;</li>
 *   <li>recall of class c = tp / (tp + fn), 0 when class c never occurred;</li>
 *   <li>F1 of class c = 2·tp / (2·tp + fp + fn), 0 when both denominators are 0. This equals
 *       2·P·R / (P + R) and is the form scikit-learn computes it in since 1.3; it is exact from the
 *       integer counts (one rounding);</li>
 *   <li>macro averages = unweighted mean of the K per-class values, summed in class order (classes with
 *       no rows count, as 0, exactly as {@code average='macro'} with all K labels);</li>
 *   <li>micro averages pool tp, fp and fn over all classes; with every class a label, micro precision =
 *       micro recall = micro F1 = accuracy (each row is one tp, or one fp plus one fn);</li>
 *   <li>log loss = mean over the rows that came with a probability of −log(clip(p, ε, 1 − ε)), where p is
 *       the probability the model gave the actual class and ε = 2^-52 ({@code np.finfo(np.float64).eps}: the
 *       clip of sklearn's {@code log_loss} since 1.3; 1e-15 before). {@link StrictMath#log} keeps it
 *       bit-reproducible.</li>
 * </ul>
 *
 * <p>What {@link #precision()}, {@link #recall()} and {@link #f1()} report, as the EpochMetrics schema says:
 * binary (K = 2), the positive class 1 ({@code average='binary'}); K > 2, micro averages
 * ({@code average='micro'}, equal to accuracy). {@link #macroF1()} is {@code average='macro'} over all K.
 *
 * <p>Empty accumulator: every value (accuracy, precision, recall, F1 and their averages) is NaN when
 * {@link #count()} is 0, and {@link #logLoss()} is NaN when no row had a probability. Once there is at
 * least one row, the zero-division rules above apply and give 0, never NaN.
 *
 * <p>{@link #update} and {@link #merge} allocate nothing. Counts merge exactly; the log-loss sum is
 * summed in update order, so a merge may differ from sequential feeding in the last bits.
 */
public final class ClassificationMetrics implements Metric<ClassificationMetrics> {

    /** Clipping bound of log loss probabilities: 2^-52, {@code np.finfo(np.float64).eps}, as sklearn's log_loss. */
    public static final double LOG_LOSS_EPS = 0x1.0p-52;

    /** The largest K whose K×K confusion matrix fits one Java array. */
    public static final int MAX_CLASSES = 46_340;

    private static final int FORMAT_VERSION = 1;
    private static final String NAME = "ClassificationMetrics";
    private static final int PRECISION = 0;
    private static final int RECALL = 1;
    private static final int F1 = 2;

    private final int classes;
    /** Row-major [actual][predicted]. */
    private final long[] confusion;
    private long count;
    private double logLossSum;
    private long logLossCount;

    /** An empty accumulator over {@code classes} classes, numbered 0 .. classes − 1. */
    public ClassificationMetrics(int classes) {
        if (classes < 2 || classes > MAX_CLASSES) {
            throw new IllegalArgumentException("classification metrics need 2 .. " + MAX_CLASSES
                    + " classes, got " + classes);
        }
        this.classes = classes;
        this.confusion = new long[classes * classes];
    }

    /** Number of classes K. */
    public int classes() {
        return classes;
    }

    /**
     * Adds one row. {@code probabilityOfActual} is the probability the model gave to class
     * {@code actual}, in [0, 1]; pass {@link Double#NaN} when unknown (the row then counts for every
     * value except log loss). Throws {@link IllegalArgumentException} for a class outside [0, K) or a
     * probability outside [0, 1]. Allocates nothing.
     */
    public void update(int actual, int predicted, double probabilityOfActual) {
        checkClass(actual, "actual");
        checkClass(predicted, "predicted");
        boolean hasProbability = !Double.isNaN(probabilityOfActual);
        if (hasProbability && !(probabilityOfActual >= 0.0 && probabilityOfActual <= 1.0)) {
            throw new IllegalArgumentException("probability of the actual class must be in [0, 1] or NaN, got "
                    + probabilityOfActual);
        }
        confusion[actual * classes + predicted]++;
        count++;
        if (hasProbability) {
            logLossSum += -StrictMath.log(clipForLogLoss(probabilityOfActual));
            logLossCount++;
        }
    }

    private void checkClass(int c, String role) {
        if (c < 0 || c >= classes) {
            throw new IllegalArgumentException(role + " class " + c + " outside [0, " + classes + ")");
        }
    }

    @Override
    public void merge(ClassificationMetrics other) {
        if (other.classes != classes) {
            throw new IllegalArgumentException("cannot merge metrics of " + other.classes + " classes into "
                    + classes + " classes");
        }
        for (int i = 0; i < confusion.length; i++) {
            confusion[i] += other.confusion[i];
        }
        count += other.count;
        logLossSum += other.logLossSum;
        logLossCount += other.logLossCount;
    }

    @Override
    public void reset() {
        Arrays.fill(confusion, 0L);
        count = 0;
        logLossSum = 0.0;
        logLossCount = 0;
    }

    @Override
    public ClassificationMetrics copy() {
        ClassificationMetrics c = new ClassificationMetrics(classes);
        c.merge(this);
        return c;
    }

    @Override
    public long count() {
        return count;
    }

    /** Rows with a probability, the denominator of {@link #logLoss()}. */
    public long logLossCount() {
        return logLossCount;
    }

    /** Number of rows with this actual and predicted class. */
    public long confusion(int actual, int predicted) {
        checkClass(actual, "actual");
        checkClass(predicted, "predicted");
        return confusion[actual * classes + predicted];
    }

    /** A fresh copy of the confusion matrix, indexed [actual][predicted] (not for hot paths). */
    public long[][] confusionMatrix() {
        long[][] m = new long[classes][];
        for (int a = 0; a < classes; a++) {
            m[a] = Arrays.copyOfRange(confusion, a * classes, (a + 1) * classes);
        }
        return m;
    }

    /** Fraction of rows predicted correctly; NaN when empty. */
    public double accuracy() {
        return ratioOrNaN(truePositivesAllClasses(), count);
    }

    /** Binary (K = 2): precision of the positive class 1. K > 2: {@link #microPrecision()}. */
    public double precision() {
        return classes == 2 ? precision(1) : microPrecision();
    }

    /** Binary (K = 2): recall of the positive class 1. K > 2: {@link #microRecall()}. */
    public double recall() {
        return classes == 2 ? recall(1) : microRecall();
    }

    /** Binary (K = 2): F1 of the positive class 1. K > 2: {@link #microF1()}. */
    public double f1() {
        return classes == 2 ? f1(1) : microF1();
    }

    /** {@code p} clipped to [{@link #LOG_LOSS_EPS}, 1 − {@link #LOG_LOSS_EPS}], the log loss's argument. */
    static double clipForLogLoss(double p) {
        return Math.min(Math.max(p, LOG_LOSS_EPS), 1.0 - LOG_LOSS_EPS);
    }

    /** tp / (tp + fp) of class {@code c}; 0 when nothing was predicted c; NaN when empty. */
    public double precision(int c) {
        return perClass(PRECISION, c);
    }

    /** tp / (tp + fn) of class {@code c}; 0 when class c never occurred; NaN when empty. */
    public double recall(int c) {
        return perClass(RECALL, c);
    }

    /** 2·tp / (2·tp + fp + fn) of class {@code c}; 0 when c was neither predicted nor seen; NaN when empty. */
    public double f1(int c) {
        return perClass(F1, c);
    }

    /** Mean of the K per-class precisions (sklearn {@code average='macro'}); NaN when empty. */
    public double macroPrecision() {
        return macro(PRECISION);
    }

    /** Mean of the K per-class recalls (sklearn {@code average='macro'}); NaN when empty. */
    public double macroRecall() {
        return macro(RECALL);
    }

    /** Mean of the K per-class F1 scores (sklearn {@code average='macro'}, not F1 of the means); NaN when empty. */
    public double macroF1() {
        return macro(F1);
    }

    private double perClass(int score, int c) {
        checkClass(c, "metric");
        return count == 0 ? Double.NaN : score(score, c);
    }

    /** Unweighted mean over all K classes, summed in class order. */
    private double macro(int score) {
        if (count == 0) {
            return Double.NaN;
        }
        double sum = 0.0;
        for (int c = 0; c < classes; c++) {
            sum += score(score, c);
        }
        return sum / classes;
    }

    /** One per-class score with sklearn's zero_division=0. */
    private double score(int score, int c) {
        long tp = confusion[c * classes + c];
        switch (score) {
            case PRECISION:
                return ratioOrZero(tp, predictedAs(c));
            case RECALL:
                return ratioOrZero(tp, actuallyIn(c));
            default:
                // 2·tp + fp + fn = (tp + fn) + (tp + fp)
                return ratioOrZero(2 * tp, actuallyIn(c) + predictedAs(c));
        }
    }

    /** Σtp / (Σtp + Σfp) over all classes (sklearn {@code average='micro'}); NaN when empty. */
    public double microPrecision() {
        long tp = truePositivesAllClasses();
        return ratioOrNaN(tp, tp + (count - tp));
    }

    /** Σtp / (Σtp + Σfn) over all classes; equal to {@link #microPrecision()} here; NaN when empty. */
    public double microRecall() {
        long tp = truePositivesAllClasses();
        return ratioOrNaN(tp, tp + (count - tp));
    }

    /** 2·Σtp / (2·Σtp + Σfp + Σfn); equal to accuracy when every class is a label; NaN when empty. */
    public double microF1() {
        long tp = truePositivesAllClasses();
        long wrong = count - tp; // each wrong row is one fp (its predicted class) and one fn (its actual class)
        return ratioOrNaN(2 * tp, 2 * tp + wrong + wrong);
    }

    /**
     * Mean −log(clip(p, 2^-52, 1 − 2^-52)) over the rows that came with a probability; NaN when none did.
     */
    public double logLoss() {
        return logLossCount == 0 ? Double.NaN : logLossSum / logLossCount;
    }

    private long truePositivesAllClasses() {
        long tp = 0;
        for (int c = 0; c < classes; c++) {
            tp += confusion[c * classes + c];
        }
        return tp;
    }

    /** tp + fp of class c: the column sum. */
    private long predictedAs(int c) {
        long n = 0;
        for (int a = 0; a < classes; a++) {
            n += confusion[a * classes + c];
        }
        return n;
    }

    /** tp + fn of class c: the row sum. */
    private long actuallyIn(int c) {
        long n = 0;
        int row = c * classes;
        for (int p = 0; p < classes; p++) {
            n += confusion[row + p];
        }
        return n;
    }

    /** numerator / denominator, 0 for a zero denominator (sklearn's zero_division=0). */
    static double ratioOrZero(long numerator, long denominator) {
        return denominator == 0 ? 0.0 : (double) numerator / (double) denominator;
    }

    private static double ratioOrNaN(long numerator, long denominator) {
        return denominator == 0 ? Double.NaN : (double) numerator / (double) denominator;
    }

    /**
     * Format 1: byte version, int K, K·K longs of the confusion matrix (row-major [actual][predicted]),
     * long count, long log-loss row count, log-loss sum as raw IEEE bits.
     */
    @Override
    public void writeTo(DataOutput out) throws IOException {
        StateFormat.writeVersion(out, FORMAT_VERSION);
        out.writeInt(classes);
        for (long v : confusion) {
            out.writeLong(v);
        }
        out.writeLong(count);
        out.writeLong(logLossCount);
        StateFormat.writeDouble(out, logLossSum);
    }

    /**
     * Reads what {@link #writeTo} wrote. Throws {@link IllegalArgumentException} for an unknown format
     * version or an inconsistent state (negative counts, a count that is not the confusion matrix total).
     */
    public static ClassificationMetrics readFrom(DataInput in) throws IOException {
        StateFormat.readVersion(in, FORMAT_VERSION, NAME);
        int k = StateFormat.readDimension(in, 2, NAME, "classes");
        ClassificationMetrics m = new ClassificationMetrics(k);
        long total = 0;
        for (int i = 0; i < m.confusion.length; i++) {
            m.confusion[i] = StateFormat.readCount(in, NAME);
            total += m.confusion[i];
        }
        m.count = StateFormat.readCount(in, NAME);
        m.logLossCount = StateFormat.readCount(in, NAME);
        m.logLossSum = StateFormat.readDouble(in);
        if (total != m.count || m.logLossCount > m.count) {
            throw new IllegalArgumentException("corrupt " + NAME + " state: count " + m.count
                    + ", confusion matrix total " + total + ", log-loss rows " + m.logLossCount);
        }
        return m;
    }

    /** State equality: same K, same counts, and a log-loss sum with the same bits. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ClassificationMetrics m && m.classes == classes && m.count == count
                && m.logLossCount == logLossCount && StateFormat.sameBits(m.logLossSum, logLossSum)
                && Arrays.equals(m.confusion, confusion);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(confusion) + Long.hashCode(logLossCount))
                + Double.hashCode(logLossSum);
    }

    @Override
    public String toString() {
        return NAME + "[classes=" + classes + ", count=" + count + ", accuracy=" + accuracy()
                + ", logLoss=" + logLoss() + "]";
    }
}
