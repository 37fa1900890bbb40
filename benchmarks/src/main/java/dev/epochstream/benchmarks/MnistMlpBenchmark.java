package dev.epochstream.benchmarks;

import org.openjdk.jmh.annotations.Param;

/** [784, 256, 10] relu/softmax (MNIST-sized), cce, Adam, batch 32 and 128. */
public class MnistMlpBenchmark extends TrainingBenchmark {
    @Param({"32", "128"})
    public int batch;

    @Override
    protected TrainingFixture createFixture() {
        return TrainingFixture.dense(new int[] {784, 256, 10}, "cce", "adam", batch);
    }
}
