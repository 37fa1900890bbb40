package dev.epochstream.benchmarks;

import dev.epochstream.client.ModelClient;
import dev.epochstream.client.ModelPrediction;
import dev.epochstream.learner.config.RawConfig;
import dev.epochstream.learner.config.TrainingConfig;
import dev.epochstream.learner.data.Example;
import dev.epochstream.learner.epoch.EpochTrainer;
import dev.epochstream.learner.epoch.ModelState;
import dev.epochstream.schemas.ModelSnapshot;
import dev.epochstream.schemas.ModelSnapshots;
import dev.epochstream.schemas.codec.AvroSingleObjectCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Model client predict latency (issue 10, item 5): 8 threads call {@link ModelClient#predict(String, double[])}
 * on one [64,32,10] relu/softmax model while a background thread trains it one epoch further and reloads
 * the new version every 10 ms through {@link ModelClient#loadFile} (decode, validate, swap: the same path
 * as a snapshot topic record, without the broker). JMH's sample mode gives the latency percentiles.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Threads(8)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ModelClientPredictBenchmark {
    static final String KEY = "bench";
    static final long RELOAD_EVERY_MS = 10;

    private ModelClient client;
    private double[][] features;
    private Thread reloader;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong reloads = new AtomicLong();
    private final AtomicInteger threads = new AtomicInteger();
    private Path dir;
    private long started;

    /** Each thread's own cycle through the shared feature pool. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;

        @Setup(Level.Trial)
        public void setUp(ModelClientPredictBenchmark bench) {
            next = bench.threads.getAndIncrement() * 97;
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        TrainingConfig config = TrainingConfig.from(RawConfig.of(Map.of("model.layers", "64,32,10",
                "model.activations", "relu,softmax", "model.loss", "cce", "optimizer", "adam", "train.batch-size", "32")));
        EpochTrainer trainer = new EpochTrainer(config);
        ModelState model = trainer.newModel(KEY);
        SplittableRandom random = new SplittableRandom(TrainingFixture.SEED);
        features = new double[TrainingFixture.POOL][];
        List<Example> window = new ArrayList<>();
        for (int i = 0; i < TrainingFixture.POOL; i++) {
            features[i] = new double[64];
            for (int j = 0; j < 64; j++) {
                features[i][j] = random.nextDouble(-1, 1);
            }
            if (i < 32) {
                window.add(Example.dense("e" + i, KEY, i, features[i], new double[] {random.nextInt(10)}));
            }
        }
        dir = Files.createTempDirectory("epochstream-client-bench-");
        Path file = dir.resolve("snapshot.avro");
        AvroSingleObjectCodec<ModelSnapshot> codec = AvroSingleObjectCodec.forClass(ModelSnapshot.class);
        trainer.trainEpoch(model, window, ModelState.NO_TIME, ModelState.NO_TIME, 0);
        Files.write(file, codec.encode(ModelSnapshots.of(config, trainer.image(model, false), System.currentTimeMillis())));
        client = ModelClient.fromFiles(file);
        started = System.nanoTime();
        reloader = new Thread(() -> {
            // the reloader's own codec: encoders are not thread-safe
            AvroSingleObjectCodec<ModelSnapshot> mine = AvroSingleObjectCodec.forClass(ModelSnapshot.class);
            while (!stop.get()) {
                try {
                    trainer.trainEpoch(model, window, ModelState.NO_TIME, ModelState.NO_TIME, 0);
                    Files.write(file, mine.encode(ModelSnapshots.of(config, trainer.image(model, false),
                            System.currentTimeMillis())));
                    client.loadFile(file);
                    reloads.incrementAndGet();
                    Thread.sleep(RELOAD_EVERY_MS);
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }, "snapshot-reloader");
        reloader.setDaemon(true);
        reloader.start();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        stop.set(true);
        reloader.join(5000);
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("%nreloads: %d in %.1f s (%.0f/s), serving version %d%n", reloads.get(), seconds,
                reloads.get() / seconds, client.servingVersion(KEY).orElse(-1));
        client.close();
        Files.deleteIfExists(dir.resolve("snapshot.avro"));
        Files.deleteIfExists(dir);
    }

    @Benchmark
    public ModelPrediction predict(Cursor cursor) {
        double[] x = features[cursor.next];
        cursor.next = (cursor.next + 1) % features.length;
        return client.predict(KEY, x);
    }
}
