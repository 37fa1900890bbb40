package dev.epochstream.benchmarks;

import org.openjdk.jmh.annotations.Param;

/** Logistic regression: [30, 1] sigmoid, bce, Adam or SGD, batch 1 and 32. */
public class LogisticBenchmark extends TrainingBenchmark {
    @Param({"adam", "sgd"})
    public String optimizer;

    @Param({"1", "32"})
    public int batch;

    @Override
    protected TrainingFixture createFixture() {
        return TrainingFixture.dense(new int[] {30, 1}, "bce", optimizer, batch);
    }
}
