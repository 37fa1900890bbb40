package dev.epochstream.schemas.codec;

import dev.epochstream.schemas.DeadLetter;
import dev.epochstream.schemas.EpochMetrics;
import dev.epochstream.schemas.LabelledEvent;
import dev.epochstream.schemas.LayerParameters;
import dev.epochstream.schemas.MetricValues;
import dev.epochstream.schemas.ModelSnapshot;
import dev.epochstream.schemas.NetworkSpecRecord;
import dev.epochstream.schemas.OptimizerSnapshot;
import dev.epochstream.schemas.Prediction;
import dev.epochstream.schemas.Preprocessing;
import dev.epochstream.schemas.SparseFeatures;
import dev.epochstream.schemas.TrainingCounters;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Fully populated records of every schema, covering every union branch. */
public final class SampleRecords {

    public static final Instant T0 = Instant.ofEpochMilli(1_700_000_000_000L);

    private SampleRecords() {
    }

    public static LabelledEvent denseEvent(Object label) {
        return LabelledEvent.newBuilder().setId("e1").setKey("m1").setTime(T0)
                .setFeatures(List.of(0.1, 2.0, -3.5)).setLabel(label).build();
    }

    public static LabelledEvent sparseEvent() {
        return LabelledEvent.newBuilder().setId("e2").setKey("m2").setTime(T0.plusMillis(5))
                .setFeatures(new SparseFeatures(8, List.of(0, 3, 7), List.of(1.5, -2.0, 0.25)))
                .setLabel(List.of(0.0, 1.0, 1.0)).setWeight(0.5).setAttributes(Map.of("source", "s1", "k", ""))
                .build();
    }

    /** One event per branch of features x label. */
    public static List<LabelledEvent> events() {
        return List.of(denseEvent(null), denseEvent(1), denseEvent(2.5), denseEvent(List.of(0.2, 0.8)),
                sparseEvent());
    }

    public static MetricValues metricValues(long count) {
        return MetricValues.newBuilder().setCount(count).setLoss(0.5).setAccuracy(0.75).setPrecision(0.7)
                .setRecall(0.6).setF1(0.65).setMacroF1(0.6).setLogLoss(0.52).setMae(null).setMse(null)
                .setRmse(null).setR2(null).build();
    }

    public static EpochMetrics epochMetrics() {
        return EpochMetrics.newBuilder().setKey("m1").setEpoch(3).setWindowStart(T0).setWindowEnd(null)
                .setModelVersion(4).setSeen(100).setTrained(80).setHeldOut(20).setLate(1).setRefused(2)
                .setPending(5).setTaskType("classification").setPrequential(metricValues(100))
                .setTrainingLoss(0.4).setValidation(metricValues(20)).setLearningRate(0.01).setRollingEpochs(5)
                .setRolling(MetricValues.newBuilder().setCount(500).setMae(0.1).setMse(0.02).setRmse(Math.sqrt(0.02))
                        .setR2(0.9).build())
                .setOverfitting(false).setUpdateRefused(true).setEarlyStopped(false).setPublished(true)
                .setFreshnessLagMs(1234L).setEmittedAt(T0.plusSeconds(60)).build();
    }

    public static ModelSnapshot modelSnapshot() {
        List<LayerParameters> params = List.of(
                new LayerParameters(2, 3, List.of(0.1, 0.2, 0.3, -0.4, -0.5, -0.6), List.of(0.01, 0.02)),
                new LayerParameters(1, 2, List.of(1.5, -2.5), List.of(-0.0)));
        ModelSnapshot s = ModelSnapshot.newBuilder().setKey("m1").setVersion(7).setCreatedAt(T0)
                .setTrainedThrough(T0.minusSeconds(1))
                .setNetwork(NetworkSpecRecord.newBuilder().setLayers(List.of(3, 2, 1))
                        .setActivations(List.of("tanh", "sigmoid")).setLeakySlope(0.01).setLoss("bce")
                        .setLossDelta(1.0).setLossMargin(1.0).setTaskType("classification")
                        .setClassLabels(List.of("no", "yes")).setInit("xavier-uniform").setSeed(42L).build())
                .setPreprocessing(new Preprocessing(3, true, 10L, List.of(0.5, 1.0, -1.0), List.of(2.0, 3.0, 4.0), 0))
                .setParameters(params)
                .setOptimizerState(new OptimizerSnapshot("adam", 12L, List.of(12L),
                        List.of(List.of(0.1, 0.2), List.of(), List.of(-1.0))))
                .setCounters(new TrainingCounters(100L, 80L, 20L, 1L, 2L, 0L, 3L))
                .setChecksum(0L).build();
        return s;
    }

    public static Prediction prediction(Object value) {
        return Prediction.newBuilder().setId("e1").setKey("m1").setPrediction(value).setScores(List.of(0.3, 0.7))
                .setModelVersion(7).setEventTime(T0).build();
    }

    public static DeadLetter deadLetter() {
        return DeadLetter.newBuilder().setOriginalBytes(ByteBuffer.wrap(new byte[] {1, 2, (byte) 0xC3}))
                .setSourceTopic("events").setSourcePartition(3).setSourceOffset(99L).setReason("not-avro")
                .setMessage("no marker").setKey(null).setTime(T0).build();
    }
}
