package dev.epochstream.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.epochstream.job.JobConfig;
import dev.epochstream.kafka.embedded.EmbeddedKafkaExtension;
import dev.epochstream.learner.data.Example;
import dev.epochstream.learner.epoch.EpochResult;
import dev.epochstream.learner.epoch.EpochTrainer;
import dev.epochstream.learner.epoch.ModelState;
import dev.epochstream.schemas.DeadLetter;
import dev.epochstream.schemas.EpochMetrics;
import dev.epochstream.schemas.Events;
import dev.epochstream.schemas.LabelledEvent;
import dev.epochstream.schemas.ModelSnapshot;
import dev.epochstream.schemas.ModelSnapshots;
import dev.epochstream.schemas.codec.AvroSingleObjectCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the metrics topic says, checked against independent computations: event-time windows train
 * their events sorted by (time, id), exactly as the offline trainer over the sorted window does, and late
 * events are dead-lettered and counted, never dropped; and the prequential metrics of every epoch equal
 * those recomputed by serving the previous epoch's published snapshot over the epoch's events.
 */
class EpochMetricsITCase {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.builder().build();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final long T0 = 1_700_000_000_000L;
    private static final int PER_WINDOW = 12;
    private static final String[] KEYS = {"east", "west"};
    /** Late events of each key: window index → how many, sent after that window has fired. */
    private static final int LATE_IN_W0 = 3;
    private static final int LATE_IN_W1 = 2;

    /**
     * Phase 1 sends windows 0–3 of each key (shuffled within each window, with equal timestamps), which
     * fires windows 0–2; phase 2 sends events of the fired windows 0 and 1 (late: beyond the 300 ms
     * lateness), windows 4–5, and one event 10 s later that moves the watermark past window 5. The
     * source is unbounded because a watermark between the phases is what makes the late events late;
     * with a bounded source, periodic watermarks could all come after the last record.
     */
    @Test
    void eventTimeWindowsTrainSortedByTimeAndIdAndDeadLetterLateEvents() throws Exception {
        JobTopics topics = JobTopics.create(KAFKA, KEYS.length);
        Map<String, String> settings = JobRuns.classifier("event-time:1s", 4);
        settings.put("epoch.allowed-lateness", "300ms");
        settings.put("events.out-of-orderness", "200ms");
        JobConfig config = topics.config(settings);

        SplittableRandom rnd = new SplittableRandom(23);
        Map<String, List<List<LabelledEvent>>> windows = new LinkedHashMap<>(); // arrival order per window
        Map<String, List<LabelledEvent>> late = new LinkedHashMap<>();
        Map<String, LabelledEvent> flush = new LinkedHashMap<>();
        for (String key : KEYS) {
            List<List<LabelledEvent>> mine = new ArrayList<>();
            for (int w = 0; w < 6; w++) {
                mine.add(window(key, w, rnd));
            }
            windows.put(key, mine);
            List<LabelledEvent> lates = new ArrayList<>();
            for (int i = 0; i < LATE_IN_W0 + LATE_IN_W1; i++) {
                int w = i < LATE_IN_W0 ? 0 : 1;
                lates.add(event(key, key + "-late-" + i, T0 + 1000L * w + rnd.nextInt(1000), rnd));
            }
            late.put(key, lates);
            flush.put(key, event(key, key + "-flush", T0 + 10_000, rnd));
        }

        List<Records.Message> phase1 = new ArrayList<>();
        List<Records.Message> phase2 = new ArrayList<>();
        for (int p = 0; p < KEYS.length; p++) {
            String key = KEYS[p];
            for (int w = 0; w < 4; w++) {
                phase1.addAll(JobTopics.messages(windows.get(key).get(w), p));
                if (w == 1) {
                    // a corrupt record: a dead letter stamped with the wall clock, which must move no watermark (as
                    // event time it would make every later event of the partition late)
                    phase1.add(new Records.Message(key, "not an event".getBytes(StandardCharsets.UTF_8), p, -1));
                    // an event a century ahead: beyond events.max-future (1d), refused at the source; as event time
                    // it would lift the partition's watermark for good
                    phase1.addAll(JobTopics.messages(List.of(event(key, key + "-future",
                            T0 + Duration.ofDays(36_525).toMillis(), rnd)), p));
                }
            }
            List<LabelledEvent> lates = late.get(key);
            phase2.addAll(JobTopics.messages(lates.subList(0, LATE_IN_W0), p));
            phase2.addAll(JobTopics.messages(windows.get(key).get(4), p));
            phase2.addAll(JobTopics.messages(lates.subList(LATE_IN_W0, lates.size()), p));
            phase2.addAll(JobTopics.messages(windows.get(key).get(5), p));
            phase2.addAll(JobTopics.messages(List.of(flush.get(key)), p));
        }

        topics.produce(phase1);
        JobClient job = JobRuns.start(config, 2, "it-event-time");
        List<EpochMetrics> metrics;
        List<DeadLetter> dead;
        Map<String, Map<Long, ModelSnapshot>> snapshots;
        try {
            // windows 0-2 of both keys fired: the watermark is past window 1 + lateness
            JobRuns.await(Duration.ofSeconds(40), "windows 0-2 of both keys", () ->
                    topics.metrics(3 * KEYS.length, Duration.ofMillis(300)).size() >= 3 * KEYS.length);
            topics.produce(phase2);
            metrics = topics.metrics(6 * KEYS.length, Duration.ofSeconds(40));
            dead = topics.deadLetters((LATE_IN_W0 + LATE_IN_W1 + 2) * KEYS.length, Duration.ofSeconds(30));
            JobRuns.await(Duration.ofSeconds(30), "snapshots of version 6", () -> topics.snapshotsByKeyAndVersion()
                    .values().stream().filter(v -> v.containsKey(6L)).count() == KEYS.length);
            snapshots = topics.snapshotsByKeyAndVersion();
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }

        assertThat(metrics).hasSize(6 * KEYS.length);
        EpochTrainer trainer = new EpochTrainer(config.training());
        Comparator<Example> byTimeThenId = Comparator.comparingLong(Example::time).thenComparing(Example::id);
        for (String key : KEYS) {
            List<EpochMetrics> mine = JobTopics.ofKey(metrics, key);
            ModelState sorted = trainer.newModel(key);
            ModelState arrival = trainer.newModel(key);
            for (int w = 0; w < 6; w++) {
                if (w == 3) {
                    sorted.recordLate(LATE_IN_W0 + LATE_IN_W1);
                }
                List<Example> window = new ArrayList<>(examples(windows.get(key).get(w)));
                trainer.trainEpoch(arrival, window, ModelState.NO_TIME, ModelState.NO_TIME, 0);
                window.sort(byTimeThenId);
                long start = T0 + 1000L * w;
                EpochResult want = trainer.trainEpoch(sorted, window, start, start + 1000, 0);
                EpochMetrics got = mine.get(w);
                assertThat(got.getEpoch()).isEqualTo(w + 1);
                assertThat(got.getWindowStart()).isEqualTo(Instant.ofEpochMilli(start));
                assertThat(got.getWindowEnd()).isEqualTo(Instant.ofEpochMilli(start + 1000));
                assertThat(got.getModelVersion()).isEqualTo(want.modelVersion());
                assertThat(got.getPrequential().getCount()).isEqualTo(PER_WINDOW);
                assertThat(got.getPrequential().getLoss()).as("prequential loss of %s window %d", key, w)
                        .isEqualTo(want.prequential().loss());
                assertThat(got.getPrequential().getAccuracy()).isEqualTo(want.prequential().accuracy());
                assertThat(got.getTrainingLoss()).isEqualTo(want.trainingLoss());
                assertThat(got.getLate()).as("late events counted once they arrived").isEqualTo(w < 3 ? 0 : 5);
            }
            // nothing silently dropped: every event sent is trained, late or pending (the flush event)
            EpochMetrics last = mine.get(5);
            assertThat(last.getTrained()).isEqualTo(6 * PER_WINDOW);
            assertThat(last.getLate()).isEqualTo(LATE_IN_W0 + LATE_IN_W1);
            assertThat(last.getPending()).isEqualTo(1);
            assertThat(last.getHeldOut()).isZero();
            assertThat(last.getRefused()).isZero();
            assertThat(last.getSeen()).isEqualTo(6 * PER_WINDOW + LATE_IN_W0 + LATE_IN_W1 + 1);

            ModelSnapshot streamed = snapshots.get(key).get(6L);
            assertThat(streamed.getParameters()).as("parameters of %s: the windows sorted by (time, id)", key)
                    .isEqualTo(ModelSnapshots.of(config.training(), trainer.image(sorted, false), 0).getParameters());
            assertThat(streamed.getParameters()).as("arrival order would give other parameters (the test discriminates)")
                    .isNotEqualTo(ModelSnapshots.of(config.training(), trainer.image(arrival, false), 0).getParameters());
        }

        AvroSingleObjectCodec<LabelledEvent> codec = AvroSingleObjectCodec.forClass(LabelledEvent.class);
        assertThat(dead).filteredOn(d -> !d.getReason().equals("late")).extracting(DeadLetter::getReason)
                .containsExactlyInAnyOrder("not-avro", "not-avro", "time-out-of-range", "time-out-of-range");
        for (String key : KEYS) {
            List<String> ids = dead.stream().filter(d -> d.getReason().equals("late") && d.getKey().equals(key))
                    .map(d -> codec.decode(d.getOriginalBytes().array()).value().getId()).toList();
            assertThat(ids).containsExactlyInAnyOrderElementsOf(late.get(key).stream().map(LabelledEvent::getId).toList());
        }
    }

    /**
     * Count windows of 20 published at every version: serving snapshot v over the events of epoch v+1
     * reproduces that epoch's emitted prequential loss (to 1e-12: −log p from probabilities versus the
     * trainer's log-sum-exp of logits) and accuracy (exactly).
     */
    @Test
    void prequentialMetricsRecomputedFromThePublishedSnapshotsEqualTheEmittedOnes() throws Exception {
        int window = 20;
        int perKey = 5 * window;
        JobTopics topics = JobTopics.create(KAFKA, 2);
        JobConfig config = topics.config(JobRuns.classifier("count:" + window, 8));
        ConceptStream stream = new ConceptStream(new String[] {"k0", "k1"}, perKey, 0, 29);
        topics.produce(stream.messages(0, perKey));
        JobRuns.runToEnd(config, 2, "it-recomputed-metrics");

        List<EpochMetrics> metrics = topics.metrics(2 * 5, Duration.ofSeconds(30));
        assertThat(metrics).hasSize(2 * 5);
        Map<String, Map<Long, ModelSnapshot>> snapshots = topics.snapshotsByKeyAndVersion();
        for (String key : stream.keys) {
            List<Example> events = stream.examples().get(key);
            List<EpochMetrics> mine = JobTopics.ofKey(metrics, key);
            for (long v = 1; v < 5; v++) {
                List<Example> next = events.subList((int) v * window, (int) (v + 1) * window);
                SnapshotScores recomputed = SnapshotScores.of(snapshots.get(key).get(v), next, 8);
                EpochMetrics emitted = mine.get((int) v);
                assertThat(emitted.getEpoch()).isEqualTo(v + 1);
                assertThat(emitted.getPrequential().getCount()).isEqualTo(recomputed.count());
                assertThat(emitted.getPrequential().getLoss()).as("prequential loss of %s epoch %d", key, v + 1)
                        .isCloseTo(recomputed.loss(), within(1e-12));
                assertThat(emitted.getPrequential().getAccuracy()).isEqualTo(recomputed.accuracy());
            }
        }
    }

    /**
     * The last count window of a bounded input is partial: it is trained by the end-of-input timer, and
     * its metrics reach the topic (they used to carry that timer's Long.MAX_VALUE as Kafka timestamp, which
     * the broker refuses). One event claims a time a century ahead: its window's outputs are written too.
     */
    @Test
    void thePartialCountWindowAtTheEndOfABoundedInputIsTrainedAndWritten() throws Exception {
        int perKey = 25;
        JobTopics topics = JobTopics.create(KAFKA, 2);
        Map<String, String> settings = JobRuns.classifier("count:20", 8);
        settings.put("flink.restart-strategy.type", "none"); // a failing sink fails the job at once
        JobConfig config = topics.config(settings);
        ConceptStream stream = new ConceptStream(new String[] {"c0", "c1"}, perKey, 0, 37);
        LabelledEvent future = stream.events.get("c1").get(19);
        stream.events.get("c1").set(19, LabelledEvent.newBuilder(future)
                .setTime(Instant.ofEpochMilli(T0 + 100L * 365 * 24 * 3600 * 1000)).build());
        topics.produce(stream.messages(0, perKey));
        JobRuns.runToEnd(config, 2, "it-partial-count-window");

        List<EpochMetrics> metrics = topics.metrics(4, Duration.ofSeconds(10));
        for (String key : stream.keys) {
            assertThat(JobTopics.ofKey(metrics, key)).extracting(m -> m.getPrequential().getCount())
                    .as("windows of %s", key).containsExactly(20L, 5L);
        }
    }

    /**
     * A bounded input ends inside a processing-time window (an hour long): the open window is trained
     * at the end of input like the count windows' partial one, not dropped with the pending timers. Were
     * the hour to turn during the run, the events would span two windows; either way all are trained.
     */
    @Test
    void theOpenProcessingTimeWindowIsTrainedAtTheEndOfABoundedInput() throws Exception {
        int perKey = 25;
        JobTopics topics = JobTopics.create(KAFKA, 2);
        Map<String, String> settings = JobRuns.classifier("processing-time:1h", 8);
        settings.put("flink.restart-strategy.type", "none");
        JobConfig config = topics.config(settings);
        ConceptStream stream = new ConceptStream(new String[] {"p0", "p1"}, perKey, 0, 31);
        topics.produce(stream.messages(0, perKey));
        JobRuns.runToEnd(config, 2, "it-processing-time");

        List<EpochMetrics> metrics = topics.metrics(2, Duration.ofSeconds(10));
        for (String key : stream.keys) {
            List<EpochMetrics> mine = JobTopics.ofKey(metrics, key);
            assertThat(mine).as("epochs of %s", key).isNotEmpty();
            assertThat(mine.stream().mapToLong(m -> m.getPrequential().getCount()).sum()).isEqualTo(perKey);
            assertThat(mine.get(mine.size() - 1).getTrained()).isEqualTo(perKey);
            assertThat(mine.get(mine.size() - 1).getPending()).isZero();
        }
    }

    /** 12 labelled events of window w, shuffled; every fourth repeats the previous timestamp. */
    private static List<LabelledEvent> window(String key, int w, SplittableRandom rnd) {
        List<LabelledEvent> events = new ArrayList<>();
        long start = T0 + 1000L * w;
        long time = start;
        for (int i = 0; i < PER_WINDOW; i++) {
            if (i == PER_WINDOW - 1) {
                time = start + 999; // the window's last millisecond: it moves the watermark as far as it can
            } else if (i % 4 != 1) {
                time = start + rnd.nextInt(999);
            }
            events.add(event(key, key + "-" + w + "-" + (char) ('a' + rnd.nextInt(26)) + i, time, rnd));
        }
        for (int i = events.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            LabelledEvent t = events.get(i);
            events.set(i, events.get(j));
            events.set(j, t);
        }
        return events;
    }

    private static LabelledEvent event(String key, String id, long time, SplittableRandom rnd) {
        double x0 = rnd.nextDouble(-1, 1);
        double x1 = rnd.nextDouble(-1, 1);
        return LabelledEvent.newBuilder().setId(id).setKey(key).setTime(Instant.ofEpochMilli(time))
                .setFeatures(List.of(x0, x1)).setLabel(x0 + 2 * x1 > 0 ? 1 : 0).build();
    }

    private static List<Example> examples(List<LabelledEvent> events) {
        return events.stream().map(Events::toExample).toList();
    }
}
