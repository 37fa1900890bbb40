package dev.epochstream.benchmarks;

import org.openjdk.jmh.annotations.Param;

/**
 * Hashed-feature logistic regression: 2^20 sparse inputs with 30 non-zeros a row, [2^20, 1] sigmoid,
 * bce, Adagrad or FTRL (both update only the touched columns), batch 32.
 */
public class SparseLogisticBenchmark extends TrainingBenchmark {
    static final int INPUTS = 1 << 20;
    static final int NON_ZEROS = 30;

    @Param({"adagrad", "ftrl"})
    public String optimizer;

    @Param({"32"})
    public int batch;

    @Override
    protected TrainingFixture createFixture() {
        return TrainingFixture.sparse(new int[] {INPUTS, 1}, NON_ZEROS, "bce", optimizer, batch);
    }
}
