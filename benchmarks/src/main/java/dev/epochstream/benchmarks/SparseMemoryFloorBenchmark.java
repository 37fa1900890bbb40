package dev.epochstream.benchmarks;

import java.util.SplittableRandom;
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
 * The memory-latency floor under {@link SparseLogisticBenchmark}: no learning, only the cache misses a
 * sparse step cannot avoid. Each operation takes the next 32 rows of 30 column indices (drawn as the
 * fixture draws them: distinct and ascending within a row, uniform over 2^20, a pool of 2,048 rows) and
 * reads and writes those 960 entries of arrays of 2^20 doubles: the weights, their gradient and one
 * optimizer buffer (Adagrad's sum), either in one pass per array, as a step visits them, or in one fused
 * pass. The secondary {@code examples} (32 per operation) compares directly with the training benchmark.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Threads(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SparseMemoryFloorBenchmark {
    private static final int ROWS = 32;
    private final double[] weights = new double[SparseLogisticBenchmark.INPUTS];
    private final double[] gradient = new double[SparseLogisticBenchmark.INPUTS];
    private final double[] sum = new double[SparseLogisticBenchmark.INPUTS];
    /** The pool's rows, concatenated. */
    private int[] indices;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom random = new SplittableRandom(TrainingFixture.SEED);
        int nz = SparseLogisticBenchmark.NON_ZEROS;
        indices = new int[TrainingFixture.POOL * nz];
        for (int e = 0; e < TrainingFixture.POOL; e++) {
            int[] row = TrainingFixture.distinctSorted(random, nz, SparseLogisticBenchmark.INPUTS);
            System.arraycopy(row, 0, indices, e * nz, nz);
        }
    }

    /** Reads and writes the batch's entries of the three arrays, one pass per array. */
    @Benchmark
    public double threePasses(ExampleCounter counter) {
        int from = nextBatch(counter);
        int to = from + ROWS * SparseLogisticBenchmark.NON_ZEROS;
        double s = 0.0;
        for (int p = from; p < to; p++) {
            s += weights[indices[p]];
        }
        for (int p = from; p < to; p++) {
            gradient[indices[p]] += s;
        }
        for (int p = from; p < to; p++) {
            int i = indices[p];
            sum[i] += 1e-9;
            weights[i] -= 1e-9 * gradient[i];
        }
        return s;
    }

    /** The same entries of the three arrays visited in one pass. */
    @Benchmark
    public double onePass(ExampleCounter counter) {
        int from = nextBatch(counter);
        int to = from + ROWS * SparseLogisticBenchmark.NON_ZEROS;
        double s = 0.0;
        for (int p = from; p < to; p++) {
            int i = indices[p];
            double g = gradient[i] + 1e-9;
            gradient[i] = g;
            sum[i] += 1e-9;
            weights[i] -= 1e-9 * g;
            s += weights[i];
        }
        return s;
    }

    private int nextBatch(ExampleCounter counter) {
        counter.examples += ROWS;
        int from = next * SparseLogisticBenchmark.NON_ZEROS;
        next = next + ROWS >= TrainingFixture.POOL ? 0 : next + ROWS;
        return from;
    }
}
