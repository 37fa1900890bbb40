package dev.epochstream.it;

import dev.epochstream.job.EpochstreamJob;
import dev.epochstream.job.JobConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** Runs the job on the test's MiniCluster (registered by the test class), and waits on conditions with deadlines. */
final class JobRuns {
    private JobRuns() {
    }

    /** A MiniCluster of one TaskManager with {@code slots} slots, for a test class's {@code @RegisterExtension} field. */
    static MiniClusterExtension miniCluster(int slots) {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(slots).build());
    }

    /**
     * Settings of the classifier the tests train: 2 inputs, 6 tanh units, softmax over 2 classes (the
     * {@link ConceptStream} concept), Adam, a snapshot published at every version.
     */
    static Map<String, String> classifier(String window, int batchSize) {
        return new LinkedHashMap<>(Map.of("model.layers", "2,6,2", "model.activations", "tanh,softmax",
                "model.loss", "cce", "model.seed", "7", "optimizer", "adam", "optimizer.lr", "0.05",
                "epoch.window", window, "train.batch-size", String.valueOf(batchSize), "snapshot.publish", "every"));
    }

    /** Runs the job over the events topic as it is now and returns when every window has been trained. */
    static void runToEnd(JobConfig config, int parallelism, String name) throws Exception {
        environment(config, parallelism, true).execute(name);
    }

    /** Starts the job on an unbounded source; the caller cancels it. */
    static JobClient start(JobConfig config, int parallelism, String name) throws Exception {
        return environment(config, parallelism, false).executeAsync(name);
    }

    private static StreamExecutionEnvironment environment(JobConfig config, int parallelism, boolean bounded) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(EpochstreamJob.flinkConfiguration(config));
        env.setParallelism(parallelism);
        EpochstreamJob.build(env, config, bounded);
        return env;
    }

    /** Polls {@code condition} every 100 ms until it holds; fails naming {@code what} after {@code timeout}. */
    static void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}
