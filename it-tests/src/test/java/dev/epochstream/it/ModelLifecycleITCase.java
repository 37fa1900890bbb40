package dev.epochstream.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.epochstream.job.JobConfig;
import dev.epochstream.kafka.embedded.EmbeddedKafkaExtension;
import dev.epochstream.learner.data.Example;
import dev.epochstream.learner.epoch.EpochTrainer;
import dev.epochstream.learner.epoch.ModelState;
import dev.epochstream.schemas.DeadLetter;
import dev.epochstream.schemas.EpochMetrics;
import dev.epochstream.schemas.LabelledEvent;
import dev.epochstream.schemas.ModelSnapshot;
import dev.epochstream.schemas.ModelSnapshots;
import dev.epochstream.schemas.codec.AvroSingleObjectCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a key's model comes from and when it goes: warm starts from the snapshot topic and from a
 * snapshot file (versions continue, the first epoch is scored by the snapshot's parameters), retirement
 * of an idle key after state.ttl (a tombstone, the other keys untouched), and the keys.max cap.
 */
class ModelLifecycleITCase {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.builder().build();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final int WINDOW = 20;
    private static final int BATCH = 8;

    @Test
    void aSecondJobStartsEachKeyFromItsNewestSnapshotOnTheTopic() throws Exception {
        String[] keys = {"w0", "w1"};
        JobTopics first = JobTopics.create(KAFKA, keys.length);
        ConceptStream before = new ConceptStream(keys, 3 * WINDOW, 0, 41);
        first.produce(before.messages(0, 3 * WINDOW));
        JobRuns.runToEnd(first.config(JobRuns.classifier("count:" + WINDOW, BATCH)), 2, "it-warm-start-1");
        Map<String, Map<Long, ModelSnapshot>> published = first.snapshotsByKeyAndVersion();

        // new group, new events and metrics, the same snapshot topic
        JobTopics second = first.withNewTopicsButSnapshots(keys.length);
        Map<String, String> settings = JobRuns.classifier("count:" + WINDOW, BATCH);
        settings.put("model.warm-start", "snapshots");
        ConceptStream after = new ConceptStream(keys, 2 * WINDOW, 0, 43);
        second.produce(after.messages(0, 2 * WINDOW));
        JobRuns.runToEnd(second.config(settings), 2, "it-warm-start-2");

        List<EpochMetrics> metrics = second.metrics(2 * keys.length, Duration.ofSeconds(30));
        assertThat(metrics).hasSize(2 * keys.length);
        for (String key : keys) {
            ModelSnapshot newest = published.get(key).get(3L);
            assertThat(published.get(key)).as("the first job published versions 1-3 of %s", key).hasSize(3);
            List<EpochMetrics> mine = JobTopics.ofKey(metrics, key);
            assertThat(mine).extracting(EpochMetrics::getModelVersion).as("versions continue").containsExactly(4L, 5L);
            assertThat(mine).extracting(EpochMetrics::getEpoch).containsExactly(4L, 5L);
            assertScoredBy(newest, after.examples().get(key).subList(0, WINDOW), mine.get(0));
        }
    }

    @Test
    void everyNewKeyStartsFromASnapshotFile(@TempDir Path dir) throws Exception {
        String[] keys = {"f0", "f1"};
        JobTopics topics = JobTopics.create(KAFKA, keys.length);
        Map<String, String> settings = JobRuns.classifier("count:" + WINDOW, BATCH);

        // a snapshot of version 2 trained offline on another stream, written as the file format says
        JobConfig plain = topics.config(settings);
        EpochTrainer trainer = new EpochTrainer(plain.training());
        ModelState m = trainer.newModel("origin");
        List<Example> origin = new ConceptStream(new String[] {"origin"}, 2 * WINDOW, 0, 59).examples().get("origin");
        trainer.trainEpoch(m, origin.subList(0, WINDOW), ModelState.NO_TIME, ModelState.NO_TIME, 0);
        trainer.trainEpoch(m, origin.subList(WINDOW, 2 * WINDOW), ModelState.NO_TIME, ModelState.NO_TIME, 0);
        ModelSnapshot file = ModelSnapshots.of(plain.training(), trainer.image(m, false), 1_700_000_000_000L);
        Path path = dir.resolve("origin.snapshot");
        Files.write(path, AvroSingleObjectCodec.forClass(ModelSnapshot.class).encode(file));

        settings.put("model.warm-start", "file:" + path);
        ConceptStream stream = new ConceptStream(keys, 2 * WINDOW, 0, 61);
        topics.produce(stream.messages(0, 2 * WINDOW));
        JobRuns.runToEnd(topics.config(settings), 2, "it-warm-start-file");

        List<EpochMetrics> metrics = topics.metrics(2 * keys.length, Duration.ofSeconds(30));
        assertThat(metrics).hasSize(2 * keys.length);
        for (String key : keys) {
            List<EpochMetrics> mine = JobTopics.ofKey(metrics, key);
            assertThat(mine).extracting(EpochMetrics::getModelVersion).as("versions continue from the file's 2")
                    .containsExactly(3L, 4L);
            assertScoredBy(file, stream.examples().get(key).subList(0, WINDOW), mine.get(0));
        }
    }

    @Test
    void anIdleKeyIsRetiredWithATombstoneWhileTheOthersCarryOn() throws Exception {
        int window = 5;
        JobTopics topics = JobTopics.create(KAFKA, 2);
        Map<String, String> settings = JobRuns.classifier("count:" + window, window);
        // busy's events come every 250 ms from the job's start: 5 s of TTL leave it a wide margin on a loaded machine
        // (with 2 s and no events while the first epochs were awaited, a slow start retired busy too)
        settings.put("state.ttl", "5s");
        JobConfig config = topics.config(settings);
        ConceptStream stream = new ConceptStream(new String[] {"idle", "busy"}, 200 * window, 0, 47);
        List<LabelledEvent> idle = stream.events.get("idle");
        List<LabelledEvent> busy = stream.events.get("busy");
        topics.produce(stream.messages(0, window));

        JobClient job = JobRuns.start(config, 2, "it-ttl");
        int busySent = window;
        List<EpochMetrics> metrics;
        List<Records.Message> snapshotRecords;
        try {
            // "busy" gets an event every 250 ms (well inside the TTL) until "idle" has its tombstone
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!hasTombstone(topics.snapshotRecords(), "idle")) {
                assertThat(System.nanoTime()).as("a tombstone for idle within 60 s").isLessThan(deadline);
                assertThat(busySent).as("busy has events left to send").isLessThan(busy.size() - window);
                topics.produce(JobTopics.messages(busy.subList(busySent, busySent + 1), 1));
                busySent++;
                Thread.sleep(250); // pacing busy's events, not waiting for a condition
            }
            assertThat(hasTombstone(topics.snapshotRecords(), "busy")).as("busy is not retired").isFalse();
            // busy completes its open window; idle comes back and starts a new model
            int busyTotal = (busySent + window - 1) / window * window;
            topics.produce(JobTopics.messages(busy.subList(busySent, busyTotal), 1));
            topics.produce(JobTopics.messages(idle.subList(window, 2 * window), 0));
            busySent = busyTotal;
            int expected = busyTotal / window + 2;
            metrics = topics.metrics(expected, Duration.ofSeconds(30));
            assertThat(metrics).hasSize(expected);
            snapshotRecords = topics.snapshotRecords();
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }

        List<EpochMetrics> busyMetrics = JobTopics.ofKey(metrics, "busy");
        List<Long> consecutive = new ArrayList<>();
        for (long v = 1; v <= busySent / window; v++) {
            consecutive.add(v);
        }
        assertThat(busyMetrics).extracting(EpochMetrics::getModelVersion).as("busy's model was never reset")
                .containsExactlyElementsOf(consecutive);
        assertThat(JobTopics.ofKey(metrics, "idle")).extracting(EpochMetrics::getModelVersion)
                .as("idle was retired: its next events start a fresh model").containsExactly(1L, 1L);

        Records.Message tombstone = snapshotRecords.stream().filter(r -> r.value() == null).findFirst().orElseThrow();
        assertThat(tombstone.key()).isEqualTo("idle");
        assertThat(snapshotRecords.stream().filter(r -> r.value() == null).count()).as("one tombstone").isEqualTo(1);
        // after the tombstone, idle's new model is published again (version 1)
        List<Records.Message> afterTombstone = snapshotRecords.subList(snapshotRecords.indexOf(tombstone) + 1,
                snapshotRecords.size());
        assertThat(afterTombstone.stream().filter(r -> "idle".equals(r.key())).map(JobTopics::snapshot)
                .map(ModelSnapshot::getVersion)).containsExactly(1L);
    }

    @Test
    void eventsOfAKeyBeyondKeysMaxAreDeadLettered() throws Exception {
        int window = 10;
        JobTopics topics = JobTopics.create(KAFKA, 1);
        Map<String, String> settings = JobRuns.classifier("count:" + window, 5);
        settings.put("keys.max", "1");
        ConceptStream stream = new ConceptStream(new String[] {"first", "second"}, 2 * window, 0, 53);
        // one partition: every event of "first" arrives before any of "second"
        topics.produce(JobTopics.messages(stream.events.get("first"), 0));
        topics.produce(JobTopics.messages(stream.events.get("second").subList(0, window), 0));
        JobRuns.runToEnd(topics.config(settings), 1, "it-key-cap");

        List<EpochMetrics> metrics = topics.metrics(2, Duration.ofSeconds(30));
        assertThat(metrics).extracting(EpochMetrics::getKey).containsExactly("first", "first");
        List<DeadLetter> dead = topics.deadLetters(window, Duration.ofSeconds(30));
        assertThat(dead).hasSize(window).allSatisfy(d -> {
            assertThat(d.getReason()).isEqualTo("key-limit");
            assertThat(d.getKey()).isEqualTo("second");
        });
        AvroSingleObjectCodec<LabelledEvent> codec = AvroSingleObjectCodec.forClass(LabelledEvent.class);
        assertThat(dead).extracting(d -> codec.decode(d.getOriginalBytes().array()).value().getId())
                .containsExactlyElementsOf(stream.events.get("second").subList(0, window).stream()
                        .map(LabelledEvent::getId).toList());
    }

    /** The epoch's prequential metrics are those of {@code snapshot} served over {@code window}. */
    private static void assertScoredBy(ModelSnapshot snapshot, List<Example> window, EpochMetrics epoch) {
        SnapshotScores want = SnapshotScores.of(snapshot, window, BATCH);
        assertThat(epoch.getPrequential().getCount()).isEqualTo(want.count());
        assertThat(epoch.getPrequential().getLoss()).as("prequential loss of %s's first epoch", epoch.getKey())
                .isCloseTo(want.loss(), within(1e-12));
        assertThat(epoch.getPrequential().getAccuracy()).isEqualTo(want.accuracy());
    }

    private static boolean hasTombstone(List<Records.Message> records, String key) {
        return records.stream().anyMatch(r -> r.value() == null && key.equals(r.key()));
    }
}
