package dev.epochstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.job.JobConfig;
import dev.epochstream.kafka.embedded.EmbeddedKafkaExtension;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A TaskManager lost mid-epoch: two TaskManagers of one slot each, so each runs one subtask of every
 * operator; one is terminated while its keys have a half-filled window, and a replacement joins (as a
 * cluster manager would start one). The job restarts from its last checkpoint on the new slots and ends
 * as the clean run ({@link FailureScenario}).
 */
class TaskManagerLossITCase {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.builder().build();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(2).setNumberSlotsPerTaskManager(1).build());

    @Test
    void aLostTaskManagerMidEpoch(@InjectMiniCluster MiniCluster cluster) throws Exception {
        FailureScenario scenario = new FailureScenario(KAFKA);
        FailureScenario.Outcome clean = scenario.cleanRun();

        FailureScenario.Run run = scenario.prepare();
        JobTopics topics = run.topics();
        JobConfig config = run.config();
        JobClient job = FailureScenario.start(config, "it-taskmanager-loss", outputs -> { });
        FailureScenario.Outcome failed;
        try {
            FailureScenario.awaitCheckpointsAndACommit(topics);
            cluster.terminateTaskManager(0).get(30, TimeUnit.SECONDS);
            cluster.startTaskManager();
            scenario.produceAfterFailure(topics);
            failed = scenario.awaitOutcome(topics);
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }

        assertThat(RestoreProbe.RESTORED.get()).as("subtasks restored from a checkpoint").isPositive();
        assertThat(RestoreProbe.MAX_ATTEMPT.get()).as("a new attempt of the tasks").isPositive();
        FailureScenario.assertSameAsCleanRun(failed, clean);
    }
}
