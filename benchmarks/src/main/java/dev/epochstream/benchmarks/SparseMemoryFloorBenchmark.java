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
 * {@link #twoArrays}, {@link #twoArraysPrefetched} and {@link #interleaved} are the floors of today's step and of
 * two ways to lower it.
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
    /** Column indices of one batch. */
    private static final int ENTRIES = ROWS * SparseLogisticBenchmark.NON_ZEROS;
    private final double[] weights = new double[SparseLogisticBenchmark.INPUTS];
    private final double[] gradient = new double[SparseLogisticBenchmark.INPUTS];
    private final double[] sum = new double[SparseLogisticBenchmark.INPUTS];
    /** Weights and sums interleaved, for {@link #interleaved}. */
    private final double[] pairs = new double[2 * SparseLogisticBenchmark.INPUTS];
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
        int to = from + ENTRIES;
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
        int to = from + ENTRIES;
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

    /**
     * The floor of today's Adagrad step, which no longer visits a wide gradient: the weights read (the forward
     * pass), then Adagrad's sum and the weights read and written at the same columns (the update).
     */
    @Benchmark
    public double twoArrays(ExampleCounter counter) {
        int from = nextBatch(counter);
        int to = from + ENTRIES;
        double s = 0.0;
        for (int p = from; p < to; p++) {
            s += weights[indices[p]];
        }
        updateSumAndWeights(from, to);
        return s;
    }

    /**
     * {@link #twoArrays} with Adagrad's sum also read in the forward pass, as a software prefetch would: the
     * same lines, earlier. Shows whether the misses are limited by latency (this would be faster) or by how
     * many lines are in flight (it is not faster: BENCHMARKS.md, session 6).
     */
    @Benchmark
    public double twoArraysPrefetched(ExampleCounter counter) {
        int from = nextBatch(counter);
        int to = from + ENTRIES;
        double s = 0.0;
        double t = 0.0;
        for (int p = from; p < to; p++) {
            int i = indices[p];
            s += weights[i];
            t += sum[i];
        }
        updateSumAndWeights(from, to);
        return s + t;
    }

    /**
     * {@link #twoArrays} with each weight and its sum side by side in one array ({@code [2c]} and
     * {@code [2c + 1]}): one line per column instead of two, the layout "What is left" proposes.
     */
    @Benchmark
    public double interleaved(ExampleCounter counter) {
        int from = nextBatch(counter);
        int to = from + ENTRIES;
        double s = 0.0;
        for (int p = from; p < to; p++) {
            s += pairs[2 * indices[p]];
        }
        for (int p = from; p < to; p++) {
            int i = 2 * indices[p];
            double a = pairs[i + 1] + 1e-9;
            pairs[i + 1] = a;
            pairs[i] -= 1e-9 * a;
        }
        return s;
    }

    /** Adagrad's update in place at entries {@code indices[from .. to)}: its sum, then the weight. */
    private void updateSumAndWeights(int from, int to) {
        for (int p = from; p < to; p++) {
            int i = indices[p];
            double a = sum[i] + 1e-9;
            sum[i] = a;
            weights[i] -= 1e-9 * a;
        }
    }

    private int nextBatch(ExampleCounter counter) {
        counter.examples += ROWS;
        int from = next * SparseLogisticBenchmark.NON_ZEROS;
        next = next + ROWS >= TrainingFixture.POOL ? 0 : next + ROWS;
        return from;
    }
}
