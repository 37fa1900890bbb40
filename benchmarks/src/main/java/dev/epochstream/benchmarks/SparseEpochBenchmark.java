package dev.epochstream.benchmarks;

import dev.epochstream.learner.config.RawConfig;
import dev.epochstream.learner.config.TrainingConfig;
import dev.epochstream.learner.data.Example;
import dev.epochstream.learner.data.SparseVector;
import dev.epochstream.learner.epoch.EpochResult;
import dev.epochstream.learner.epoch.EpochTrainer;
import dev.epochstream.learner.epoch.ModelState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Whole epochs of the sparse logistic model as the job runs them ({@code EpochTrainer.trainEpoch}: prequential
 * scoring, training in batches of 32, the training loss after, metrics): 2^20 inputs with 30 non-zeros a row,
 * Adagrad with and without weight decay, {@code count:window} windows, two keys trained in turn by one
 * trainer. What the step benchmark ({@link SparseLogisticBenchmark}) leaves out: the per-epoch cost of taking
 * a key's 8 MB model up and putting it back, which once dominated small windows, and the decay of the columns
 * a batch skips. The secondary {@code examples} is events per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Threads(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SparseEpochBenchmark {
    private static final int KEYS = 2;

    @Param({"100", "1000"})
    public int window;

    /** torch's weight_decay: with it every column decays at every step, caught up lazily when read. */
    @Param({"0", "0.0001"})
    public String weightDecay;

    private EpochTrainer trainer;
    private ModelState[] models;
    private List<List<Example>> windows;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        int inputs = SparseLogisticBenchmark.INPUTS;
        trainer = new EpochTrainer(TrainingConfig.from(RawConfig.of(Map.of(
                "model.layers", inputs + ",1", "model.activations", "sigmoid", "model.loss", "bce",
                "optimizer", "adagrad", "optimizer.lr", "0.05", "optimizer.weight-decay", weightDecay,
                "train.batch-size", "32",
                "epoch.window", "count:" + window))));
        models = new ModelState[KEYS];
        for (int k = 0; k < KEYS; k++) {
            models[k] = trainer.newModel("k" + k);
        }
        SplittableRandom random = new SplittableRandom(TrainingFixture.SEED);
        windows = new ArrayList<>();
        int pool = Math.max(KEYS * 2, TrainingFixture.POOL * 8 / window);
        for (int w = 0; w < pool; w++) {
            List<Example> events = new ArrayList<>(window);
            for (int i = 0; i < window; i++) {
                int[] idx = TrainingFixture.distinctSorted(random, SparseLogisticBenchmark.NON_ZEROS, inputs);
                double[] val = new double[idx.length];
                for (int j = 0; j < val.length; j++) {
                    val[j] = random.nextDouble();
                }
                events.add(new Example("e" + w + "-" + i, "k", 1000L + i, null, new SparseVector(inputs, idx, val),
                        new double[] {random.nextInt(2)}, 1.0, null));
            }
            windows.add(events);
        }
    }

    @Benchmark
    public EpochResult trainEpoch(ExampleCounter counter) {
        int w = next;
        next = next + 1 == windows.size() ? 0 : next + 1;
        counter.examples += window;
        return trainer.trainEpoch(models[w % KEYS], windows.get(w), ModelState.NO_TIME, ModelState.NO_TIME, 0);
    }
}
