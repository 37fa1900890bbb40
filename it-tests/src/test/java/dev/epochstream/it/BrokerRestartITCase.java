package dev.epochstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.job.JobConfig;
import dev.epochstream.kafka.embedded.EmbeddedKafkaExtension;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The broker restarted while the job runs mid-epoch (same port, same data, its transactions' state
 * included): the job rides through and ends as the clean run ({@link FailureScenario}).
 */
class BrokerRestartITCase {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.builder().build();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    /** Events per key produced before the broker restarts: the fourth window closes, the fifth opens. */
    private static final int MID_RESTART = 4 * FailureScenario.WINDOW + 3;

    @Test
    void theBrokerRestartedWhileTheJobRuns() throws Exception {
        FailureScenario scenario = new FailureScenario(KAFKA);
        FailureScenario.Outcome clean = scenario.cleanRun();

        FailureScenario.Run run = scenario.prepare();
        JobTopics topics = run.topics();
        JobConfig config = run.config();
        JobClient job = FailureScenario.start(config, "it-broker-restart", outputs -> { });
        FailureScenario.Outcome failed;
        int checkpointsBeforeRestart;
        try {
            FailureScenario.awaitCheckpointsAndACommit(topics);
            // the fourth epoch of every key closes just before the broker goes down, so its metrics and
            // snapshots are likely still in the open transaction of a checkpoint not yet taken
            scenario.produce(topics, FailureScenario.BEFORE_FAILURE, MID_RESTART);
            checkpointsBeforeRestart = RestoreProbe.completedCheckpoints();
            KAFKA.kafka().restart();
            scenario.produce(topics, MID_RESTART, FailureScenario.PER_KEY);
            failed = scenario.awaitOutcome(topics);
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }

        // Riding through may or may not take a failover (a checkpoint whose flush meets the outage fails
        // the job, which then restores); either is correct, and both must end as the clean run.
        assertThat(RestoreProbe.completedCheckpoints()).as("checkpoints completed (and committed) after the restart")
                .isGreaterThan(checkpointsBeforeRestart);
        FailureScenario.assertSameAsCleanRun(failed, clean);
    }
}
