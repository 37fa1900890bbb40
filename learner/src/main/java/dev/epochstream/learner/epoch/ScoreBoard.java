package dev.epochstream.learner.epoch;

import dev.epochstream.learner.metric.ClassificationMetrics;
import dev.epochstream.learner.metric.LossMean;
import dev.epochstream.learner.metric.Metric;
import dev.epochstream.learner.metric.MultilabelMetrics;
import dev.epochstream.learner.metric.RegressionMetrics;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Objects;

/**
 * The metrics of one set of scored events for one task: the mean loss plus the classification, multilabel
 * or regression accumulator that fits the task. Mergeable, so rolling metrics are a merge of per-epoch
 * boards.
 */
public final class ScoreBoard implements Metric<ScoreBoard> {
    private final TaskType task;
    private final LossMean loss;
    private final ClassificationMetrics classification;
    private final RegressionMetrics regression;
    private final MultilabelMetrics multilabel;

    public ScoreBoard(TaskType task, int outputs, int classes) {
        this(task, new LossMean(),
                task == TaskType.CLASSIFICATION || task == TaskType.DISTRIBUTION ? new ClassificationMetrics(classes)
                        : null,
                task == TaskType.REGRESSION ? new RegressionMetrics(outputs) : null,
                task == TaskType.MULTILABEL ? new MultilabelMetrics(outputs) : null);
    }

    private ScoreBoard(TaskType task, LossMean loss, ClassificationMetrics c, RegressionMetrics r,
                       MultilabelMetrics m) {
        this.task = task;
        this.loss = loss;
        this.classification = c;
        this.regression = r;
        this.multilabel = m;
    }

    public TaskType task() {
        return task;
    }

    public LossMean loss() {
        return loss;
    }

    /** The classification accumulator, or null for tasks without classes. */
    public ClassificationMetrics classification() {
        return classification;
    }

    /** The regression accumulator, or null for tasks other than regression. */
    public RegressionMetrics regression() {
        return regression;
    }

    /** The multilabel accumulator, or null for tasks other than multilabel. */
    public MultilabelMetrics multilabel() {
        return multilabel;
    }

    @Override
    public long count() {
        return loss.count();
    }

    @Override
    public void reset() {
        loss.reset();
        if (classification != null) {
            classification.reset();
        }
        if (regression != null) {
            regression.reset();
        }
        if (multilabel != null) {
            multilabel.reset();
        }
    }

    @Override
    public void merge(ScoreBoard other) {
        loss.merge(other.loss);
        if (classification != null) {
            classification.merge(other.classification);
        }
        if (regression != null) {
            regression.merge(other.regression);
        }
        if (multilabel != null) {
            multilabel.merge(other.multilabel);
        }
    }

    @Override
    public ScoreBoard copy() {
        return new ScoreBoard(task, loss.copy(), classification == null ? null : classification.copy(),
                regression == null ? null : regression.copy(), multilabel == null ? null : multilabel.copy());
    }

    public MetricValues values() {
        long n = loss.count();
        double l = n == 0 ? Double.NaN : loss.value();
        double acc = Double.NaN, prec = Double.NaN, rec = Double.NaN, f1 = Double.NaN, macroF1 = Double.NaN,
                logLoss = Double.NaN, mae = Double.NaN, mse = Double.NaN, rmse = Double.NaN, r2 = Double.NaN;
        if (classification != null && classification.count() > 0) {
            acc = classification.accuracy();
            prec = classification.precision();
            rec = classification.recall();
            f1 = classification.f1();
            macroF1 = classification.macroF1();
            logLoss = classification.logLossCount() > 0 ? classification.logLoss() : Double.NaN;
        }
        if (multilabel != null && multilabel.count() > 0) {
            acc = multilabel.accuracy();
            prec = multilabel.microPrecision();
            rec = multilabel.microRecall();
            f1 = multilabel.microF1();
            macroF1 = multilabel.macroF1();
            logLoss = multilabel.logLoss();
        }
        if (regression != null && regression.count() > 0) {
            mae = regression.mae();
            mse = regression.mse();
            rmse = regression.rmse();
            r2 = regression.r2();
        }
        return new MetricValues(n, l, acc, prec, rec, f1, macroF1, logLoss, mae, mse, rmse, r2);
    }

    @Override
    public void writeTo(DataOutput out) throws IOException {
        loss.writeTo(out);
        out.writeBoolean(classification != null);
        if (classification != null) {
            classification.writeTo(out);
        }
        out.writeBoolean(regression != null);
        if (regression != null) {
            regression.writeTo(out);
        }
        out.writeBoolean(multilabel != null);
        if (multilabel != null) {
            multilabel.writeTo(out);
        }
    }

    /** Reads what {@link #writeTo} wrote (model state format 2 on). */
    public static ScoreBoard readFrom(TaskType task, DataInput in) throws IOException {
        return read(task, in, false, 0);
    }

    /**
     * Reads a board of model state format 1, which had no multilabel accumulator: a multilabel task's board pooled
     * every (row, label) into one 2-class accumulator, from which neither subset accuracy nor per-label F1 can be
     * recovered, so such a board comes back empty (its rolling metrics start over); other boards are kept whole.
     */
    public static ScoreBoard readFormat1(TaskType task, int outputs, DataInput in) throws IOException {
        return read(task, in, true, outputs);
    }

    private static ScoreBoard read(TaskType task, DataInput in, boolean formatOne, int outputs) throws IOException {
        LossMean loss = LossMean.readFrom(in);
        ClassificationMetrics c = in.readBoolean() ? ClassificationMetrics.readFrom(in) : null;
        RegressionMetrics r = in.readBoolean() ? RegressionMetrics.readFrom(in) : null;
        if (formatOne) {
            return task == TaskType.MULTILABEL ? new ScoreBoard(task, outputs, 2) : new ScoreBoard(task, loss, c, r, null);
        }
        MultilabelMetrics m = in.readBoolean() ? MultilabelMetrics.readFrom(in) : null;
        return new ScoreBoard(task, loss, c, r, m);
    }

    /**
     * State equality (same task and equal accumulators), as the other metrics define it: without it a
     * {@link dev.epochstream.learner.metric.Rolling} of boards would compare by identity.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof ScoreBoard b && b.task == task && b.loss.equals(loss)
                && Objects.equals(b.classification, classification) && Objects.equals(b.regression, regression)
                && Objects.equals(b.multilabel, multilabel);
    }

    @Override
    public int hashCode() {
        return Objects.hash(task, loss, classification, regression, multilabel);
    }

    @Override
    public String toString() {
        return "ScoreBoard[task=" + task + ", loss=" + loss + ", classification=" + classification + ", regression="
                + regression + ", multilabel=" + multilabel + "]";
    }
}
