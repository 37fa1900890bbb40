package dev.epochstream.benchmarks;

import org.openjdk.jmh.annotations.Param;

/** [64, 128, 64, 10] relu/relu/softmax, cce, Adam, batch 32 and 128. */
public class DeepMlpBenchmark extends TrainingBenchmark {
    @Param({"32", "128"})
    public int batch;

    @Override
    protected TrainingFixture createFixture() {
        return TrainingFixture.dense(new int[] {64, 128, 64, 10}, "cce", "adam", batch);
    }
}
