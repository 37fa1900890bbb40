package dev.epochstream.benchmarks;

import dev.epochstream.learner.config.RawConfig;
import dev.epochstream.learner.config.TrainingConfig;
import dev.epochstream.learner.epoch.EpochTrainer;
import dev.epochstream.learner.epoch.ModelImage;
import dev.epochstream.schemas.EpochMetrics;
import dev.epochstream.schemas.MetricValues;
import dev.epochstream.schemas.ModelSnapshot;
import dev.epochstream.schemas.ModelSnapshots;
import dev.epochstream.schemas.codec.AvroSingleObjectCodec;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The trainer thread's cost of a published model (issue 10, pipeline): building the {@link ModelSnapshot}
 * of a model image ({@link ModelSnapshots#of}, checksum included), and that plus its single-object encoding
 * ({@link AvroSingleObjectCodec#encode}), as the job's snapshot side output and Kafka sink do; and the
 * encoding of one {@link EpochMetrics} record, emitted once per epoch. The model is freshly initialised
 * (the values do not change the work), without optimizer state (the job's default).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SnapshotEncodingBenchmark {

    @Param({"64,32,10", "784,256,10"})
    public String layers;

    private TrainingConfig config;
    private ModelImage image;
    private AvroSingleObjectCodec<ModelSnapshot> snapshots;
    private AvroSingleObjectCodec<EpochMetrics> metricsCodec;
    private EpochMetrics metrics;
    private long createdAt;

    @Setup(Level.Trial)
    public void setUp() {
        config = TrainingConfig.from(RawConfig.of(Map.of("model.layers", layers, "model.activations", "relu,softmax",
                "model.loss", "cce", "optimizer", "adam", "train.batch-size", "32")));
        EpochTrainer trainer = new EpochTrainer(config);
        image = trainer.image(trainer.newModel("bench"), config.snapshotOptimizerState());
        snapshots = AvroSingleObjectCodec.forClass(ModelSnapshot.class);
        metricsCodec = AvroSingleObjectCodec.forClass(EpochMetrics.class);
        MetricValues values = MetricValues.newBuilder().setCount(32).setLoss(0.5).setAccuracy(0.75).setPrecision(0.7)
                .setRecall(0.6).setF1(0.65).setMacroF1(0.6).setLogLoss(0.52).setMae(null).setMse(null).setRmse(null)
                .setR2(null).build();
        Instant t0 = Instant.ofEpochMilli(1_700_000_000_000L);
        metrics = EpochMetrics.newBuilder().setKey("bench").setEpoch(3)
                .setWindowStart(t0).setWindowEnd(t0.plusSeconds(1))
                .setModelVersion(4).setSeen(100).setTrained(80).setHeldOut(20).setLate(1).setRefused(2).setPending(5)
                .setTaskType("classification").setPrequential(values).setTrainingLoss(0.4).setValidation(values)
                .setLearningRate(0.001).setRollingEpochs(5).setRolling(values).setOverfitting(false)
                .setUpdateRefused(false).setEarlyStopped(false).setPublished(true).setFreshnessLagMs(1234L)
                .setEmittedAt(t0.plusSeconds(60)).build();
    }

    /** The snapshot record of the model, its checksum included. */
    @Benchmark
    public ModelSnapshot build() {
        return ModelSnapshots.of(config, image, ++createdAt);
    }

    /** The snapshot record and its single-object encoding: a published model's cost on the trainer thread. */
    @Benchmark
    public byte[] buildAndEncode() {
        return snapshots.encode(ModelSnapshots.of(config, image, ++createdAt));
    }

    /** One epoch's metrics record, encoded (does not depend on the model size). */
    @Benchmark
    public byte[] encodeMetrics() {
        return metricsCodec.encode(metrics);
    }
}
