package dev.epochstream.learner.epoch;

import dev.epochstream.learner.features.Standardizer;
import dev.epochstream.learner.metric.Rolling;
import dev.epochstream.learner.optim.OptimizerState;
import dev.epochstream.learner.schedule.ScheduleState;

/**
 * Everything one model key carries between epochs: parameters, optimizer and schedule state,
 * preprocessing statistics, counters, rolling metrics and the bookkeeping of the overfitting signal and
 * the publish gate. This is the value of the job's keyed state and what {@link ModelStateCodec} encodes.
 *
 * <p>Mutable, owned by one key; the immutable configuration it was made from lives in
 * {@link dev.epochstream.learner.config.TrainingConfig}.
 */
public final class ModelState {
    /** Sentinel for "no event time yet". */
    public static final long NO_TIME = Long.MIN_VALUE;

    final String key;
    final long architectureFingerprint;
    /** Parameter tensors W0, b0, W1, b1, ... (row-major [out][in] weights, [out] biases). */
    final double[][] parameters;
    /** Replaced when a restore changes the optimizer or its state's layout ({@link EpochTrainer#checkCompatible}). */
    OptimizerState optimizer;
    /** Replaced when a restart changes the base learning rate (a hyper-parameter). */
    ScheduleState schedule;
    /** Null when features.standardize is off. */
    final Standardizer standardizer;

    long version;
    long epochs;
    long seen;
    long trained;
    long heldOut;
    long late;
    long refused;
    long refusedUpdates;
    long trainedThrough = NO_TIME;

    double bestLoss = Double.POSITIVE_INFINITY;
    long publishedVersion = -1;
    double previousTrainingLoss = Double.NaN;
    double previousValidationLoss = Double.NaN;
    int overfitStreak;
    int cooldownLeft;

    /** Prequential score boards of the last {@code metrics.rolling-epochs} epochs. */
    Rolling<ScoreBoard> rolling;

    ModelState(String key, long architectureFingerprint, double[][] parameters, OptimizerState optimizer,
               ScheduleState schedule, Standardizer standardizer, Rolling<ScoreBoard> rolling) {
        this.key = key;
        this.architectureFingerprint = architectureFingerprint;
        this.parameters = parameters;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.standardizer = standardizer;
        this.rolling = rolling;
    }

    public String key() {
        return key;
    }

    /** Number of epochs that trained this model; strictly increases with every trained epoch. */
    public long version() {
        return version;
    }

    /** Number of windows this key has closed (trained or not). */
    public long epochs() {
        return epochs;
    }

    public long architectureFingerprint() {
        return architectureFingerprint;
    }

    /** Live parameter tensors (W0, b0, W1, b1, ...); do not modify. */
    public double[][] parameters() {
        return parameters;
    }

    public OptimizerState optimizerState() {
        return optimizer;
    }

    public ScheduleState scheduleState() {
        return schedule;
    }

    /** The standardisation statistics, or null when standardisation is off. */
    public Standardizer standardizer() {
        return standardizer;
    }

    public long seen() {
        return seen;
    }

    public long trained() {
        return trained;
    }

    public long heldOut() {
        return heldOut;
    }

    public long late() {
        return late;
    }

    public long refused() {
        return refused;
    }

    public long refusedUpdates() {
        return refusedUpdates;
    }

    /** Latest event time among trained events, or {@link #NO_TIME}. */
    public long trainedThrough() {
        return trainedThrough;
    }

    public double bestLoss() {
        return bestLoss;
    }

    public long publishedVersion() {
        return publishedVersion;
    }

    /** Counts events routed to this key that arrived too late for their window. */
    public void recordLate(long n) {
        late += n;
        seen += n;
    }

    /** Counts events routed to this key that the model cannot take (wrong dimension, bad label). */
    public void recordRefused(long n) {
        refused += n;
        seen += n;
    }

    /** True when every parameter is finite (an invariant the trainer keeps). */
    public boolean parametersFinite() {
        for (double[] t : parameters) {
            for (double v : t) {
                if (!Double.isFinite(v)) {
                    return false;
                }
            }
        }
        return true;
    }
}
