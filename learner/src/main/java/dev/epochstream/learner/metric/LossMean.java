package dev.epochstream.learner.metric;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Running mean of per-batch mean losses weighted by batch size: Σ(loss_b · n_b) / Σn_b, i.e. the mean
 * loss per example over every batch seen (the epoch loss torch training loops report as
 * {@code running_loss += loss.item() * batch_size; running_loss / examples}).
 *
 * <p>{@link #count()} is the number of examples (Σn_b). Empty: {@link #value()} is NaN. {@link #update}
 * and {@link #merge} allocate nothing; the weighted sum is accumulated in update order.
 */
public final class LossMean implements Metric<LossMean> {

    private static final int FORMAT_VERSION = 1;
    private static final String NAME = "LossMean";

    private double weightedSum;
    private long examples;
    private long batches;

    /**
     * Adds one batch whose mean loss per example was {@code batchMeanLoss} over {@code batchSize >= 1}
     * examples. A non-finite loss is accepted and makes the value non-finite (a diverged epoch must show).
     */
    public void update(double batchMeanLoss, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        weightedSum += batchMeanLoss * batchSize;
        examples += batchSize;
        batches++;
    }

    @Override
    public void merge(LossMean other) {
        weightedSum += other.weightedSum;
        examples += other.examples;
        batches += other.batches;
    }

    @Override
    public void reset() {
        weightedSum = 0.0;
        examples = 0;
        batches = 0;
    }

    @Override
    public LossMean copy() {
        LossMean m = new LossMean();
        m.merge(this);
        return m;
    }

    /** Number of examples, Σn_b. */
    @Override
    public long count() {
        return examples;
    }

    /** Number of batches accumulated. */
    public long batches() {
        return batches;
    }

    /** Mean loss per example; NaN when empty. */
    public double value() {
        return examples == 0 ? Double.NaN : weightedSum / examples;
    }

    /** Format 1: byte version, long examples, long batches, raw IEEE bits of the weighted sum. */
    @Override
    public void writeTo(DataOutput out) throws IOException {
        StateFormat.writeVersion(out, FORMAT_VERSION);
        out.writeLong(examples);
        out.writeLong(batches);
        StateFormat.writeDouble(out, weightedSum);
    }

    /** Reads what {@link #writeTo} wrote; {@link IllegalArgumentException} for an unknown format version. */
    public static LossMean readFrom(DataInput in) throws IOException {
        StateFormat.readVersion(in, FORMAT_VERSION, NAME);
        LossMean m = new LossMean();
        m.examples = StateFormat.readCount(in, NAME);
        m.batches = StateFormat.readCount(in, NAME);
        m.weightedSum = StateFormat.readDouble(in);
        return m;
    }

    /** State equality: same counts and a weighted sum with the same bits. */
    @Override
    public boolean equals(Object o) {
        return o instanceof LossMean m && m.examples == examples && m.batches == batches
                && StateFormat.sameBits(m.weightedSum, weightedSum);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Long.hashCode(examples) + Long.hashCode(batches)) + Double.hashCode(weightedSum);
    }

    @Override
    public String toString() {
        return NAME + "[examples=" + examples + ", batches=" + batches + ", value=" + value() + "]";
    }
}
