package dev.epochstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.job.JobConfig;
import dev.epochstream.kafka.embedded.EmbeddedKafkaExtension;
import dev.epochstream.schemas.EpochMetrics;
import dev.epochstream.schemas.Prediction;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Failures of the training task itself, compared with a clean job run over the same stream
 * ({@link FailureScenario}): an exception thrown from inside the training operator, and a failure in
 * {@code notifyCheckpointComplete} between a completed checkpoint and the commit of its transactions.
 */
class OperatorFailuresITCase {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.builder().build();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static FailureScenario.Outcome clean;

    private final FailureScenario scenario = new FailureScenario(KAFKA);

    @BeforeEach
    void cleanRunOnce() throws Exception {
        if (clean == null) {
            clean = scenario.cleanRun();
        }
    }

    @Test
    void anExceptionInsideTheTrainingOperator() throws Exception {
        TrainerTaskFailure.reset();
        FailureScenario.Run run = scenario.prepare();
        JobTopics topics = run.topics();
        JobConfig config = run.config();
        JobClient job = FailureScenario.start(config, "it-trainer-failure", outputs -> outputs.metrics()
                .map(new TrainerTaskFailure()).returns(TypeInformation.of(EpochMetrics.class))
                .uid("trainer-task-failure").name("trainer task failure")
                .sinkTo(new DiscardingSink<>()).uid("trainer-task-failure-sink"));
        FailureScenario.Outcome failed;
        try {
            FailureScenario.awaitCheckpointsAndACommit(topics);
            TrainerTaskFailure.ARMED.set(true);
            scenario.produceAfterFailure(topics);
            failed = scenario.awaitOutcome(topics);
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }

        assertThat(TrainerTaskFailure.TASKS).as("the failing map is chained into the training task")
                .allMatch(name -> name.startsWith("train epochs"));
        assertThat(TrainerTaskFailure.FAILED).as("the failure was injected").isTrue();
        assertThat(TrainerTaskFailure.THROWN_INSIDE_TRAINER).as("thrown with EpochFunction on the stack").isTrue();
        assertThat(RestoreProbe.RESTORED.get()).as("subtasks restored from a checkpoint").isPositive();
        FailureScenario.assertSameAsCleanRun(failed, clean);
    }

    @Test
    void aFailureInNotifyCheckpointCompleteBeforeTheCommit() throws Exception {
        CommitStall.reset();
        CommitFailure.reset();
        FailureScenario.Run run = scenario.prepare();
        JobTopics topics = run.topics();
        JobConfig config = run.config();
        JobClient job = FailureScenario.start(config, "it-commit-failure", outputs -> {
            outputs.metrics().transform("commit stall", TypeInformation.of(EpochMetrics.class),
                    new CommitStall()).uid("commit-stall").sinkTo(new DiscardingSink<>()).uid("commit-stall-sink");
            // its own task (not chained to the stalled trainer, nor upstream of it): see CommitFailure
            outputs.predictions().map(new CommitFailure<Prediction>(topics.client(), config.metricsTopic()))
                    .returns(TypeInformation.of(Prediction.class)).disableChaining().uid("commit-failure")
                    .name("commit failure").sinkTo(new DiscardingSink<>()).uid("commit-failure-sink");
        });
        FailureScenario.Outcome failed;
        try {
            FailureScenario.awaitCheckpointsAndACommit(topics);
            CommitStall.ARMED = true;
            scenario.produceAfterFailure(topics);
            failed = scenario.awaitOutcome(topics);
        } finally {
            CommitStall.RELEASE.countDown();
            job.cancel().get(30, TimeUnit.SECONDS);
        }

        assertThat(CommitStall.TASKS).as("the stall is chained into the training task")
                .allMatch(name -> name.startsWith("train epochs"));
        assertThat(CommitFailure.FAILED).as("the failure was injected").isTrue();
        assertThat(CommitFailure.FAILED_BEFORE_COMMIT).as("failed after checkpoint %d completed, before its commit",
                CommitStall.STALLED_CHECKPOINT.get()).isTrue();
        assertThat(RestoreProbe.RESTORED.get()).as("subtasks restored from a checkpoint").isPositive();
        FailureScenario.assertSameAsCleanRun(failed, clean);
    }
}
