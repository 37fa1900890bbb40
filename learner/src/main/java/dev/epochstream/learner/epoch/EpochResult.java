package dev.epochstream.learner.epoch;

/**
 * What one epoch of one key produced: the metrics record (field names as the Avro {@code EpochMetrics}
 * record and the replay {@code --metrics} JSON) and whether its model is to be published.
 *
 * @param epoch index of this window for the key, from 1
 * @param modelVersion version after this epoch (= epochs trained so far)
 * @param windowStart window start in epoch millis, or Long.MIN_VALUE when the window has none (count)
 * @param windowEnd window end in epoch millis, or Long.MIN_VALUE
 * @param seen events of this key so far, including {@code pending} ones: always
 *     {@code seen = trained + heldOut + late + refused + pending}
 * @param trained events assigned to training so far (also those of an early-stop cooldown epoch, whose
 *     update is skipped)
 * @param trainingLoss loss on the trained events after the passes (NaN when nothing was trained)
 * @param validation metrics on held-out events, or null when there were none
 * @param learningRate the rate this epoch trained with
 */
public record EpochResult(
        String key,
        long epoch,
        long windowStart,
        long windowEnd,
        long modelVersion,
        long seen,
        long trained,
        long heldOut,
        long late,
        long refused,
        long pending,
        TaskType taskType,
        MetricValues prequential,
        double trainingLoss,
        MetricValues validation,
        double learningRate,
        int rollingEpochs,
        MetricValues rolling,
        boolean overfitting,
        boolean updateRefused,
        boolean earlyStopped,
        boolean published) {
}
