package dev.epochstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.job.JobConfig;
import dev.epochstream.kafka.embedded.EmbeddedKafkaExtension;
import dev.epochstream.learner.epoch.EpochResult;
import dev.epochstream.schemas.EpochMetrics;
import dev.epochstream.schemas.ModelSnapshot;
import dev.epochstream.schemas.ModelSnapshots;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Count windows on the RocksDB backend, where the window buffer is a list state appended per event and
 * cleared per window: many windows of the same key (each leaving its cleared buffer behind) keep closing
 * with exactly their own events, in arrival order, bit-identically to the epoch trainer run offline.
 */
class CountWindowsOnRocksDbITCase {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.builder().build();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @Test
    void manyWindowsOfOneKeyTrainExactlyAsOfflineOnRocksDb() throws Exception {
        int window = 5;
        int windows = 60;
        int partial = 3;
        JobTopics topics = JobTopics.create(KAFKA, 2);
        Map<String, String> settings = JobRuns.classifier("count:" + window, 2);
        settings.put("state.backend", "rocksdb");
        JobConfig config = topics.config(settings);
        ConceptStream stream = new ConceptStream(new String[] {"r0", "r1"}, windows * window + partial, 0, 43);
        topics.produce(stream.messages(0, windows * window + partial));
        JobRuns.runToEnd(config, 2, "it-count-windows-rocksdb");

        int expected = 2 * (windows + 1);
        List<EpochMetrics> metrics = topics.metrics(expected, Duration.ofSeconds(30));
        assertThat(metrics).hasSize(expected);
        ConceptStream.Reference reference = ConceptStream.offline(config.training(), stream.examples(), window);
        Map<String, Map<Long, ModelSnapshot>> snapshots = topics.snapshotsByKeyAndVersion();
        for (String key : stream.keys) {
            List<EpochMetrics> mine = JobTopics.ofKey(metrics, key);
            List<EpochResult> want = reference.epochs().get(key);
            assertThat(want).hasSize(windows);
            for (int w = 0; w < windows; w++) {
                EpochMetrics got = mine.get(w);
                assertThat(got.getEpoch()).isEqualTo(w + 1);
                assertThat(got.getPrequential().getCount()).as("%s window %d", key, w).isEqualTo(window);
                assertThat(got.getPrequential().getLoss()).as("%s window %d", key, w)
                        .isEqualTo(want.get(w).prequential().loss());
                assertThat(got.getTrainingLoss()).as("%s window %d", key, w).isEqualTo(want.get(w).trainingLoss());
            }
            // the partial window at the end of input: the last events, after the 60 closed windows
            assertThat(mine.get(windows).getPrequential().getCount()).isEqualTo(partial);
            ModelSnapshot afterFull = snapshots.get(key).get((long) windows);
            assertThat(afterFull.getParameters()).as("parameters of %s after %d windows", key, windows)
                    .isEqualTo(ModelSnapshots.of(config.training(),
                            reference.trainer().image(reference.models().get(key), false), 0).getParameters());
        }
    }
}
