package dev.epochstream.learner.metric;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Incremental multilabel classification metrics over {@code L >= 1} independent binary labels (bce with L
 * outputs): per label exact {@code long} counts of true positives, false positives and false negatives, the
 * rows whose every label was right, and a running sum of the log loss.
 *
 * <p>A label is predicted when its probability is {@code > 0.5} and actual when its target is {@code > 0.5}.
 * Every value follows scikit-learn on label-indicator matrices, with {@code zero_division=0}:
 * <ul>
 *   <li>accuracy = subset accuracy: the fraction of rows whose predicted label set equals the actual one
 *       ({@code accuracy_score});</li>
 *   <li>micro precision, recall and F1 pool tp, fp and fn over all labels ({@code average='micro'}):
 *       Σtp / (Σtp + Σfp), Σtp / (Σtp + Σfn), 2·Σtp / (2·Σtp + Σfp + Σfn), 0 when the denominator is 0;</li>
 *   <li>macro F1 = the unweighted mean over the L labels, in label order, of each label's
 *       2·tp / (2·tp + fp + fn), 0 for a label never predicted nor present ({@code f1_score(average='macro')});</li>
 *   <li>log loss = the mean over every (row, label) of −log(clip(p, ε, 1 − ε)), p the probability the model gave
 *       the actual value of the label and ε = 2^-52 as in {@link ClassificationMetrics}: the mean binary
 *       cross-entropy per label (sklearn's {@code log_loss} takes no multilabel input).</li>
 * </ul>
 *
 * <p>Every value is NaN when {@link #count()} is 0. {@link #update} and {@link #merge} allocate nothing. Counts
 * merge exactly; the log-loss sum is summed in update order.
 */
public final class MultilabelMetrics implements Metric<MultilabelMetrics> {

    private static final int FORMAT_VERSION = 1;
    private static final String NAME = "MultilabelMetrics";
    private static final int TP = 0;
    private static final int FP = 1;
    private static final int FN = 2;

    private final int labels;
    /** Per label: tp, fp, fn. */
    private final long[] counts;
    private long count;
    private long exactRows;
    private double logLossSum;

    /** An empty accumulator over {@code labels} labels. */
    public MultilabelMetrics(int labels) {
        if (labels < 1 || labels > Integer.MAX_VALUE / 3) {
            throw new IllegalArgumentException("multilabel metrics need 1 .. " + Integer.MAX_VALUE / 3 + " labels, got "
                    + labels);
        }
        this.labels = labels;
        this.counts = new long[3 * labels];
    }

    /** Number of labels L. */
    public int labels() {
        return labels;
    }

    /**
     * Adds one row: {@code probabilities[from .. from + L)} are the model's probabilities of the labels, in [0, 1],
     * and {@code targets[0 .. L)} the actual labels (a target {@code > 0.5} is present). Throws
     * {@link IllegalArgumentException} for a probability outside [0, 1] (NaN included), changing nothing.
     * Allocates nothing.
     */
    public void update(double[] probabilities, int from, double[] targets) {
        for (int k = 0; k < labels; k++) {
            double p = probabilities[from + k];
            if (!(p >= 0.0 && p <= 1.0)) {
                throw new IllegalArgumentException("probability of label " + k + " must be in [0, 1], got " + p);
            }
        }
        boolean exact = true;
        for (int k = 0; k < labels; k++) {
            double p = probabilities[from + k];
            boolean predicted = p > 0.5;
            boolean actual = targets[k] > 0.5;
            if (predicted && actual) {
                counts[3 * k + TP]++;
            } else if (predicted) {
                counts[3 * k + FP]++;
                exact = false;
            } else if (actual) {
                counts[3 * k + FN]++;
                exact = false;
            }
            double ofActual = actual ? p : 1.0 - p;
            logLossSum += -StrictMath.log(ClassificationMetrics.clipForLogLoss(ofActual));
        }
        count++;
        if (exact) {
            exactRows++;
        }
    }

    @Override
    public void merge(MultilabelMetrics other) {
        if (other.labels != labels) {
            throw new IllegalArgumentException("cannot merge metrics of " + other.labels + " labels into " + labels
                    + " labels");
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        count += other.count;
        exactRows += other.exactRows;
        logLossSum += other.logLossSum;
    }

    @Override
    public void reset() {
        Arrays.fill(counts, 0L);
        count = 0;
        exactRows = 0;
        logLossSum = 0.0;
    }

    @Override
    public MultilabelMetrics copy() {
        MultilabelMetrics c = new MultilabelMetrics(labels);
        c.merge(this);
        return c;
    }

    /** Rows accumulated. */
    @Override
    public long count() {
        return count;
    }

    /** Rows whose every label was predicted right. */
    public long exactRows() {
        return exactRows;
    }

    /** True positives of label {@code k}. */
    public long truePositives(int k) {
        return counts[3 * checkLabel(k) + TP];
    }

    /** False positives of label {@code k}. */
    public long falsePositives(int k) {
        return counts[3 * checkLabel(k) + FP];
    }

    /** False negatives of label {@code k}. */
    public long falseNegatives(int k) {
        return counts[3 * checkLabel(k) + FN];
    }

    /** Subset accuracy; NaN when empty. */
    public double accuracy() {
        return count == 0 ? Double.NaN : (double) exactRows / (double) count;
    }

    /** Σtp / (Σtp + Σfp) over the labels; 0 when nothing was predicted; NaN when empty. */
    public double microPrecision() {
        return pooled(FP);
    }

    /** Σtp / (Σtp + Σfn) over the labels; 0 when no label was present; NaN when empty. */
    public double microRecall() {
        return pooled(FN);
    }

    /** 2·Σtp / (2·Σtp + Σfp + Σfn) over the labels; NaN when empty. */
    public double microF1() {
        if (count == 0) {
            return Double.NaN;
        }
        long tp = total(TP);
        return ClassificationMetrics.ratioOrZero(2 * tp, 2 * tp + total(FP) + total(FN));
    }

    /** 2·tp / (2·tp + fp + fn) of label {@code k}; 0 when it was neither predicted nor present; NaN when empty. */
    public double f1(int k) {
        checkLabel(k);
        return count == 0 ? Double.NaN : labelF1(k);
    }

    /** Mean of the L per-label F1 scores, summed in label order; NaN when empty. */
    public double macroF1() {
        if (count == 0) {
            return Double.NaN;
        }
        double sum = 0.0;
        for (int k = 0; k < labels; k++) {
            sum += labelF1(k);
        }
        return sum / labels;
    }

    /** Mean −log(clip(p)) over every (row, label); NaN when empty. */
    public double logLoss() {
        return count == 0 ? Double.NaN : logLossSum / ((double) count * labels);
    }

    private double labelF1(int k) {
        long tp = counts[3 * k + TP];
        return ClassificationMetrics.ratioOrZero(2 * tp, 2 * tp + counts[3 * k + FP] + counts[3 * k + FN]);
    }

    /** Σtp / (Σtp + Σ{@code errors}) over the labels, errors FP or FN; NaN when empty. */
    private double pooled(int errors) {
        if (count == 0) {
            return Double.NaN;
        }
        long tp = total(TP);
        return ClassificationMetrics.ratioOrZero(tp, tp + total(errors));
    }

    private long total(int which) {
        long n = 0;
        for (int k = 0; k < labels; k++) {
            n += counts[3 * k + which];
        }
        return n;
    }

    private int checkLabel(int k) {
        if (k < 0 || k >= labels) {
            throw new IllegalArgumentException("label " + k + " outside [0, " + labels + ")");
        }
        return k;
    }

    /**
     * Format 1: byte version, int L, L × (tp, fp, fn) longs, long count, long exact rows, log-loss sum as raw IEEE
     * bits.
     */
    @Override
    public void writeTo(DataOutput out) throws IOException {
        StateFormat.writeVersion(out, FORMAT_VERSION);
        out.writeInt(labels);
        for (long v : counts) {
            out.writeLong(v);
        }
        out.writeLong(count);
        out.writeLong(exactRows);
        StateFormat.writeDouble(out, logLossSum);
    }

    /**
     * Reads what {@link #writeTo} wrote. Throws {@link IllegalArgumentException} for an unknown format version or
     * an inconsistent state (negative counts, more exact rows than rows, a label counted on more rows than there
     * are).
     */
    public static MultilabelMetrics readFrom(DataInput in) throws IOException {
        StateFormat.readVersion(in, FORMAT_VERSION, NAME);
        int labels = StateFormat.readDimension(in, 1, NAME, "labels");
        MultilabelMetrics m = new MultilabelMetrics(labels);
        for (int i = 0; i < m.counts.length; i++) {
            m.counts[i] = StateFormat.readCount(in, NAME);
        }
        m.count = StateFormat.readCount(in, NAME);
        m.exactRows = StateFormat.readCount(in, NAME);
        m.logLossSum = StateFormat.readDouble(in);
        if (m.exactRows > m.count) {
            throw new IllegalArgumentException("corrupt " + NAME + " state: " + m.exactRows + " exact rows of "
                    + m.count);
        }
        for (int k = 0; k < labels; k++) {
            // tp, fp and fn of one label are disjoint kinds of rows
            if (m.counts[3 * k + TP] + m.counts[3 * k + FP] + m.counts[3 * k + FN] > m.count) {
                throw new IllegalArgumentException("corrupt " + NAME + " state: label " + k + " counted on more than "
                        + m.count + " rows");
            }
        }
        return m;
    }

    /** State equality: same L, same counts, and a log-loss sum with the same bits. */
    @Override
    public boolean equals(Object o) {
        return o instanceof MultilabelMetrics m && m.labels == labels && m.count == count && m.exactRows == exactRows
                && StateFormat.sameBits(m.logLossSum, logLossSum) && Arrays.equals(m.counts, counts);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(counts) + Long.hashCode(exactRows)) + Double.hashCode(logLossSum);
    }

    @Override
    public String toString() {
        return NAME + "[labels=" + labels + ", count=" + count + ", accuracy=" + accuracy() + ", logLoss=" + logLoss()
                + "]";
    }
}
