package dev.epochstream.it;

import dev.epochstream.job.EpochstreamJob;
import dev.epochstream.job.JobConfig;
import dev.epochstream.schemas.LabelledEvent;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The epochstream job running unbounded on the test's MiniCluster, as {@code EpochstreamJob.main} builds
 * it. A restore from a savepoint is configuration, as on a cluster: the key
 * {@code flink.execution.state-recovery.path} (Flink 2's {@code StateRecoveryOptions.SAVEPOINT_PATH},
 * passed through by {@link EpochstreamJob#flinkConfiguration}). {@link #close} cancels a job that was not
 * stopped with a savepoint.
 */
final class RunningJob implements AutoCloseable {
    /** The job configuration key that restores a savepoint. */
    static final String RESTORE_KEY = "flink.execution.state-recovery.path";

    private final JobClient client;
    private boolean stopped;

    private RunningJob(JobClient client) {
        this.client = client;
    }

    static RunningJob start(JobConfig config, String name) throws Exception {
        return start(config, name, UnaryOperator.identity());
    }

    /** As {@link #start(JobConfig, String)}, with {@code beforeTraining} applied as {@link EpochstreamJob#build} says. */
    static RunningJob start(JobConfig config, String name, UnaryOperator<DataStream<LabelledEvent>> beforeTraining)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(EpochstreamJob.flinkConfiguration(config));
        EpochstreamJob.build(env, config, false, beforeTraining);
        return new RunningJob(env.executeAsync(name));
    }

    /**
     * Stops the job with a canonical (state-backend independent) savepoint under {@code dir} and returns
     * its path. No drain: windows still open stay buffered in the savepoint, as on an upgrade.
     */
    String stopWithSavepoint(Path dir) throws Exception {
        String path = client.stopWithSavepoint(false, dir.toUri().toString(), SavepointFormatType.CANONICAL)
                .get(60, TimeUnit.SECONDS);
        stopped = true;
        return path;
    }

    @Override
    public void close() throws Exception {
        if (!stopped) {
            stopped = true;
            client.cancel().get(30, TimeUnit.SECONDS);
        }
    }
}
