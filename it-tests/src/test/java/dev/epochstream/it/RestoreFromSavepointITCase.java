package dev.epochstream.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.epochstream.job.JobConfig;
import dev.epochstream.kafka.embedded.EmbeddedKafkaExtension;
import dev.epochstream.learner.data.Example;
import dev.epochstream.learner.epoch.EpochResult;
import dev.epochstream.learner.epoch.EpochTrainer;
import dev.epochstream.learner.epoch.ModelState;
import dev.epochstream.schemas.EpochMetrics;
import dev.epochstream.schemas.ModelSnapshot;
import dev.epochstream.schemas.ModelSnapshots;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job stopped with a savepoint and restarted from it (execution.state-recovery.path): with another
 * model.layers the restore fails with EpochFunction's message naming the architecture keys; with only
 * another optimizer.lr it continues, versions and Adam state carried on, bit-identical to the offline
 * trainer that switches rate after the same epochs.
 */
class RestoreFromSavepointITCase {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.builder().build();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final int WINDOW = 10;
    private static final String[] KEYS = {"s0", "s1"};

    @Test
    void anArchitectureChangeIsRefusedOnRestoreAndALearningRateChangeIsNot(@TempDir Path dir) throws Exception {
        JobTopics topics = JobTopics.create(KAFKA, KEYS.length);
        Map<String, String> settings = JobRuns.classifier("count:" + WINDOW, 5);
        settings.put("flink.restart-strategy.type", "none"); // a refused restore fails the job at once
        JobConfig config = topics.config(settings);
        ConceptStream stream = new ConceptStream(KEYS, 6 * WINDOW, 0, 67);
        topics.produce(stream.messages(0, 4 * WINDOW));

        JobClient job = JobRuns.start(config, 2, "it-savepoint");
        String savepoint;
        try {
            // committed metrics records: at least one checkpoint completed
            JobRuns.await(Duration.ofSeconds(40), "four committed epochs per key", () ->
                    topics.metrics(4 * KEYS.length, Duration.ofMillis(300)).size() >= 4 * KEYS.length);
            savepoint = job.stopWithSavepoint(false, dir.toUri().toString(), SavepointFormatType.CANONICAL)
                    .get(60, TimeUnit.SECONDS);
        } catch (Exception | AssertionError e) {
            job.cancel().get(30, TimeUnit.SECONDS);
            throw e;
        }

        Map<String, String> wider = new LinkedHashMap<>(settings);
        wider.put("model.layers", "2,5,2");
        wider.put("flink.execution.state-recovery.path", savepoint);
        JobClient refused = JobRuns.start(topics.config(wider), 2, "it-savepoint-wider");
        assertThatThrownBy(() -> refused.getJobExecutionResult().get(60, TimeUnit.SECONDS))
                .rootCause().isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the restored state was trained with another architecture")
                .hasMessageContaining("model.layers");

        Map<String, String> slower = new LinkedHashMap<>(settings);
        slower.put("optimizer.lr", "0.01");
        slower.put("flink.execution.state-recovery.path", savepoint);
        JobConfig slowerConfig = topics.config(slower);
        topics.produce(stream.messages(4 * WINDOW, 6 * WINDOW));
        JobClient resumed = JobRuns.start(slowerConfig, 2, "it-savepoint-lr");
        List<EpochMetrics> metrics;
        Map<String, Map<Long, ModelSnapshot>> snapshots;
        try {
            metrics = topics.metrics(6 * KEYS.length, Duration.ofSeconds(40));
            JobRuns.await(Duration.ofSeconds(30), "snapshots of version 6", () -> topics.snapshotsByKeyAndVersion()
                    .values().stream().filter(v -> v.containsKey(6L)).count() == KEYS.length);
            snapshots = topics.snapshotsByKeyAndVersion();
        } finally {
            resumed.cancel().get(30, TimeUnit.SECONDS);
        }

        assertThat(metrics).hasSize(6 * KEYS.length);
        EpochTrainer before = new EpochTrainer(config.training());
        EpochTrainer after = new EpochTrainer(slowerConfig.training());
        for (String key : KEYS) {
            List<EpochMetrics> mine = JobTopics.ofKey(metrics, key);
            assertThat(mine).extracting(EpochMetrics::getModelVersion).as("versions of %s continue", key)
                    .containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
            assertThat(mine).extracting(EpochMetrics::getLearningRate).containsExactly(0.05, 0.05, 0.05, 0.05, 0.01, 0.01);
            List<Example> events = stream.examples().get(key);
            ModelState m = before.newModel(key);
            for (int w = 0; w < 6; w++) {
                EpochTrainer trainer = w < 4 ? before : after;
                EpochResult want = trainer.trainEpoch(m, events.subList(w * WINDOW, (w + 1) * WINDOW),
                        ModelState.NO_TIME, ModelState.NO_TIME, 0);
                assertThat(mine.get(w).getPrequential().getLoss()).as("prequential loss of %s epoch %d", key, w + 1)
                        .isEqualTo(want.prequential().loss());
                assertThat(mine.get(w).getTrainingLoss()).isEqualTo(want.trainingLoss());
            }
            assertThat(snapshots.get(key).get(6L).getParameters()).as("parameters of %s after the restore", key)
                    .isEqualTo(ModelSnapshots.of(slowerConfig.training(), after.image(m, false), 0).getParameters());
        }
    }
}
