package dev.epochstream.benchmarks;

import dev.epochstream.learner.nn.Gemm;
import org.openjdk.jmh.annotations.Param;

/**
 * [64, 128, 64, 10] relu/relu/softmax, cce, Adam, batch 32 and 128; dense products by
 * the plain loops ({@code learner.gemm=reproducible}) and by BLAS ({@code blas}).
 */
public class DeepMlpBenchmark extends TrainingBenchmark {
    @Param({"32", "128"})
    public int batch;

    @Param({"reproducible", "blas"})
    public String gemm;

    @Override
    protected TrainingFixture createFixture() {
        return TrainingFixture.dense(new int[] {64, 128, 64, 10}, "cce", "adam", batch, Gemm.fromConfigName(gemm));
    }
}
