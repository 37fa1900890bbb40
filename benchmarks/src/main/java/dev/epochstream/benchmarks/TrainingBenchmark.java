package dev.epochstream.benchmarks;

import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The one measured operation of every group: fill a batch and take one training step, single-threaded.
 * Subclasses choose the model and the {@code @Param}s; the primary score is batches/s and the secondary
 * {@code examples} is examples/s. The defaults are modest (one fork, 3 x 2 s warm-up, 5 x 2 s measurement)
 * so that the whole suite runs in about ten minutes on two cores.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Threads(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public abstract class TrainingBenchmark {
    private TrainingFixture fixture;

    /** Builds the model, its optimizer state and the data pool for the current parameters. */
    protected abstract TrainingFixture createFixture();

    @Setup(Level.Trial)
    public void setUp() {
        fixture = createFixture();
    }

    /** Returns the loss (NaN if the step was refused) so that nothing is optimised away. */
    @Benchmark
    public double trainStep(ExampleCounter counter) {
        counter.examples += fixture.batch();
        return fixture.trainNextBatch();
    }
}
