package dev.epochstream.benchmarks;

import org.openjdk.jmh.annotations.Param;

/** [64, 32, 10] relu/softmax, cce, Adam or SGD (torch defaults), batch 1 to 512. */
public class SmallMlpBenchmark extends TrainingBenchmark {
    @Param({"adam", "sgd"})
    public String optimizer;

    @Param({"1", "8", "32", "128", "512"})
    public int batch;

    @Override
    protected TrainingFixture createFixture() {
        return TrainingFixture.dense(new int[] {64, 32, 10}, "cce", optimizer, batch);
    }
}
