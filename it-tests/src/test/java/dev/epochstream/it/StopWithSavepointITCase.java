package dev.epochstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.job.JobConfig;
import dev.epochstream.kafka.embedded.EmbeddedKafkaExtension;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stop-with-savepoint mid-epoch (no drain: the half-filled windows stay in the savepoint) and a new job
 * started from it with {@code flink.execution.state-recovery.path}, the same configuration otherwise: it
 * ends as the clean run ({@link FailureScenario}).
 */
class StopWithSavepointITCase {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.builder().build();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @Test
    void stopWithSavepointAndRestartFromIt(@TempDir Path dir) throws Exception {
        FailureScenario scenario = new FailureScenario(KAFKA);
        FailureScenario.Outcome clean = scenario.cleanRun();

        FailureScenario.Run run = scenario.prepare();
        JobTopics topics = run.topics();
        JobConfig config = run.config();
        JobClient first = FailureScenario.start(config, "it-before-savepoint", outputs -> { });
        String savepoint;
        try {
            FailureScenario.awaitCheckpointsAndACommit(topics);
            savepoint = first.stopWithSavepoint(false, dir.toUri().toString(), SavepointFormatType.CANONICAL)
                    .get(60, TimeUnit.SECONDS);
        } catch (Exception | AssertionError e) {
            first.cancel().get(30, TimeUnit.SECONDS);
            throw e;
        }
        assertThat(first.getJobStatus().get(30, TimeUnit.SECONDS)).isEqualTo(JobStatus.FINISHED);
        assertThat(RestoreProbe.RESTORED.get()).as("the first job started without state").isZero();

        scenario.produceAfterFailure(topics);
        JobClient second = FailureScenario.start(scenario.config(topics,
                Map.of(RunningJob.RESTORE_KEY, savepoint)), "it-from-savepoint", outputs -> { });
        FailureScenario.Outcome failed;
        try {
            failed = scenario.awaitOutcome(topics);
        } finally {
            second.cancel().get(30, TimeUnit.SECONDS);
        }

        assertThat(RestoreProbe.RESTORED.get()).as("subtasks of the second job restored from the savepoint")
                .isEqualTo(FailureScenario.PARALLELISM);
        FailureScenario.assertSameAsCleanRun(failed, clean);
    }
}
