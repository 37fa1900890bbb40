package dev.epochstream.benchmarks;

import dev.epochstream.learner.nn.Gemm;
import org.openjdk.jmh.annotations.Param;

/**
 * [784, 256, 10] relu/softmax (MNIST-sized), cce, Adam, batch 32 and 128; dense products by
 * the plain loops ({@code learner.gemm=reproducible}) and by BLAS ({@code blas}).
 */
public class MnistMlpBenchmark extends TrainingBenchmark {
    @Param({"32", "128"})
    public int batch;

    @Param({"reproducible", "blas"})
    public String gemm;

    @Override
    protected TrainingFixture createFixture() {
        return TrainingFixture.dense(new int[] {784, 256, 10}, "cce", "adam", batch, Gemm.fromConfigName(gemm));
    }
}
