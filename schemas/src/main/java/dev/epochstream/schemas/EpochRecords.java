package dev.epochstream.schemas;

import dev.epochstream.learner.epoch.EpochResult;
import dev.epochstream.learner.epoch.ModelState;
import dev.epochstream.learner.epoch.Scored;
import java.time.Instant;
import org.apache.avro.Schema;

/** Builds the Avro records the job emits (EpochMetrics, Prediction) from the learner's results. */
public final class EpochRecords {
    /** The {@code array<double>} schemas of a prediction's scores and of its array branch. */
    private static final Schema SCORES = Prediction.SCHEMA$.getField("scores").schema();
    private static final Schema PREDICTION_ARRAY = arrayBranch(Prediction.SCHEMA$.getField("prediction").schema());

    private EpochRecords() {
    }

    /**
     * @param emittedAt processing time of emission, epoch millis
     * @param freshnessLagMs emission time minus the newest trained event time, or null
     */
    public static EpochMetrics metrics(EpochResult r, long emittedAt, Long freshnessLagMs) {
        return EpochMetrics.newBuilder()
                .setKey(r.key())
                .setEpoch(r.epoch())
                .setWindowStart(time(r.windowStart()))
                .setWindowEnd(time(r.windowEnd()))
                .setModelVersion(r.modelVersion())
                .setSeen(r.seen())
                .setTrained(r.trained())
                .setHeldOut(r.heldOut())
                .setLate(r.late())
                .setRefused(r.refused())
                .setPending(r.pending())
                .setTaskType(r.taskType().configName())
                .setPrequential(values(r.prequential()))
                .setTrainingLoss(nullable(r.trainingLoss()))
                .setValidation(r.validation() == null ? null : values(r.validation()))
                .setLearningRate(r.learningRate())
                .setRollingEpochs(r.rollingEpochs())
                .setRolling(values(r.rolling()))
                .setOverfitting(r.overfitting())
                .setUpdateRefused(r.updateRefused())
                .setEarlyStopped(r.earlyStopped())
                .setPublished(r.published())
                .setFreshnessLagMs(freshnessLagMs)
                .setEmittedAt(Instant.ofEpochMilli(emittedAt))
                .build();
    }

    public static MetricValues values(dev.epochstream.learner.epoch.MetricValues m) {
        return MetricValues.newBuilder()
                .setCount(m.count())
                .setLoss(nullable(m.loss()))
                .setAccuracy(nullable(m.accuracy()))
                .setPrecision(nullable(m.precision()))
                .setRecall(nullable(m.recall()))
                .setF1(nullable(m.f1()))
                .setMacroF1(nullable(m.macroF1()))
                .setLogLoss(nullable(m.logLoss()))
                .setMae(nullable(m.mae()))
                .setMse(nullable(m.mse()))
                .setRmse(nullable(m.rmse()))
                .setR2(nullable(m.r2()))
                .build();
    }

    /** The Prediction record of a scored event. */
    public static Prediction prediction(String id, String key, long eventTime, Scored s) {
        Object p = s.prediction();
        Object value;
        if (p instanceof double[] v) {
            value = LearnerConversions.toDoubleList(v, PREDICTION_ARRAY);
        } else {
            value = p;
        }
        return Prediction.newBuilder()
                .setId(id)
                .setKey(key)
                .setPrediction(value)
                .setScores(LearnerConversions.toDoubleList(s.scores(), SCORES))
                .setModelVersion(s.modelVersion())
                .setEventTime(Instant.ofEpochMilli(eventTime))
                .build();
    }

    private static Schema arrayBranch(Schema union) {
        for (Schema branch : union.getTypes()) {
            if (branch.getType() == Schema.Type.ARRAY) {
                return branch;
            }
        }
        throw new IllegalStateException("no array branch in " + union);
    }

    private static Double nullable(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static Instant time(long t) {
        return t == ModelState.NO_TIME ? null : Instant.ofEpochMilli(t);
    }
}
