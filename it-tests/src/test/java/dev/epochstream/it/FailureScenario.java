package dev.epochstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.job.EpochstreamJob;
import dev.epochstream.job.JobConfig;
import dev.epochstream.kafka.embedded.EmbeddedKafkaExtension;
import dev.epochstream.schemas.EpochMetrics;
import dev.epochstream.schemas.LabelledEvent;
import dev.epochstream.schemas.ModelSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The keyed stream of the failure tests (issue 9): four model keys on four partitions, count windows of
 * {@value #WINDOW}, parallelism 2, run once cleanly and once with a failure, then compared.
 *
 * <p>The clean run is a real job run (bounded, over the whole stream, in its own topics), so that the
 * comparison covers every field of the metrics records, not only those the offline trainer returns.
 * The failure run reads its first {@value #BEFORE_FAILURE} events per key (three epochs and an open
 * fourth window of 7 events, so the failure is mid-epoch), waits for two completed checkpoints and a
 * committed metrics record, lets the test fail the job, then gets the rest.
 */
final class FailureScenario {
    static final String[] KEYS = {"m0", "m1", "m2", "m3"};
    static final int WINDOW = 20;
    static final int PER_KEY = 6 * WINDOW;
    static final int EPOCHS = PER_KEY / WINDOW;
    static final int BEFORE_FAILURE = 3 * WINDOW + 7;
    static final int PARALLELISM = 2;
    private static final Duration TIMEOUT = Duration.ofSeconds(45);

    private final EmbeddedKafkaExtension kafka;
    private final ConceptStream stream = new ConceptStream(KEYS, PER_KEY, 0, 91);
    private final Map<String, String> settings = JobRuns.classifier("count:" + WINDOW, 8);

    FailureScenario(EmbeddedKafkaExtension kafka) {
        this.kafka = kafka;
    }

    /** What a run left in its read_committed topics. */
    record Outcome(Map<String, List<EpochMetrics>> metrics, Map<String, List<Long>> snapshotVersions,
                   Map<String, ModelSnapshot> newest) {
    }

    /** Fresh topics and the job configuration over them, with {@code overrides}. */
    JobConfig config(JobTopics topics, Map<String, String> overrides) {
        Map<String, String> s = new LinkedHashMap<>(settings);
        s.putAll(overrides);
        return topics.config(s);
    }

    JobTopics newTopics() {
        return JobTopics.create(kafka, KEYS.length);
    }

    /** The clean run: the whole stream in fresh topics, the job bounded, no failure. */
    Outcome cleanRun() throws Exception {
        JobTopics topics = newTopics();
        topics.produce(stream.messages(0, PER_KEY));
        JobRuns.runToEnd(config(topics, Map.of()), PARALLELISM, "it-clean");
        return outcome(topics);
    }

    /**
     * Starts the job unbounded with a {@link RestoreProbe} before training ({@link RestoreProbe#reset()}
     * first), {@code attach} may add operators to its outputs.
     */
    static JobClient start(JobConfig config, String name, Consumer<EpochstreamJob.Outputs> attach) throws Exception {
        return start(config, name, UnaryOperator.identity(), attach);
    }

    /** As {@link #start(JobConfig, String, Consumer)}, with {@code beforeTraining} after the probe. */
    static JobClient start(JobConfig config, String name, UnaryOperator<DataStream<LabelledEvent>> beforeTraining,
                           Consumer<EpochstreamJob.Outputs> attach) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(EpochstreamJob.flinkConfiguration(config));
        env.setParallelism(PARALLELISM);
        attach.accept(EpochstreamJob.build(env, config, false, events -> beforeTraining.apply(events
                .map(new RestoreProbe()).returns(TypeInformation.of(LabelledEvent.class))
                .uid("restore-probe").name("restore probe"))));
        return env.executeAsync(name);
    }

    /** The topics and configuration of a failure run. */
    record Run(JobTopics topics, JobConfig config) {
    }

    /** Fresh topics holding the events before the failure, their configuration; resets the probe. */
    Run prepare() {
        RestoreProbe.reset();
        JobTopics topics = newTopics();
        produce(topics, 0, BEFORE_FAILURE);
        return new Run(topics, config(topics, Map.of()));
    }

    void produceAfterFailure(JobTopics topics) {
        produce(topics, BEFORE_FAILURE, PER_KEY);
    }

    /** Events [from, to) of every key. */
    void produce(JobTopics topics, int from, int to) {
        topics.produce(stream.messages(from, to));
    }

    /** The precondition of every failure: at least two completed checkpoints and a committed transaction. */
    static void awaitCheckpointsAndACommit(JobTopics topics) throws InterruptedException {
        JobRuns.await(TIMEOUT, "two completed checkpoints and a committed metrics record", () ->
                RestoreProbe.completedCheckpoints() >= 2 && !topics.metrics(1, Duration.ofMillis(200)).isEmpty());
    }

    /** Waits until every epoch's metrics and every key's last snapshot are committed, then reads them. */
    Outcome awaitOutcome(JobTopics topics) throws InterruptedException {
        JobRuns.await(TIMEOUT, "the metrics of every epoch", () ->
                topics.metrics(KEYS.length * EPOCHS, Duration.ofMillis(300)).size() >= KEYS.length * EPOCHS);
        JobRuns.await(TIMEOUT, "the snapshot of version " + EPOCHS + " of every key", () ->
                topics.snapshotsByKeyAndVersion().values().stream().filter(v -> v.containsKey((long) EPOCHS))
                        .count() == KEYS.length);
        return outcome(topics);
    }

    private static Outcome outcome(JobTopics topics) {
        List<EpochMetrics> all = topics.metrics(KEYS.length * EPOCHS, TIMEOUT);
        Map<String, List<EpochMetrics>> metrics = new LinkedHashMap<>();
        Map<String, List<Long>> versions = new LinkedHashMap<>();
        Map<String, ModelSnapshot> newest = new LinkedHashMap<>();
        for (String key : KEYS) {
            List<EpochMetrics> mine = new ArrayList<>();
            for (EpochMetrics m : JobTopics.ofKey(all, key)) {
                // wall-clock fields aside
                mine.add(EpochMetrics.newBuilder(m).setEmittedAt(Instant.EPOCH).setFreshnessLagMs(null).build());
            }
            metrics.put(key, mine);
            versions.put(key, new ArrayList<>());
        }
        for (Records.Message m : topics.snapshotRecords()) {
            if (m.value() != null) {
                ModelSnapshot s = JobTopics.snapshot(m);
                versions.get(s.getKey()).add(s.getVersion());
                newest.put(s.getKey(), ModelSnapshot.newBuilder(s).setCreatedAt(Instant.EPOCH).build());
            }
        }
        return new Outcome(metrics, versions, newest);
    }

    /**
     * Per key: exactly one metrics record per epoch, equal to the clean run's (wall-clock fields aside);
     * snapshot versions strictly increasing; the last snapshot, parameters included, bit-identical.
     */
    static void assertSameAsCleanRun(Outcome failed, Outcome clean) {
        List<Long> epochs = new ArrayList<>();
        for (long e = 1; e <= EPOCHS; e++) {
            epochs.add(e);
        }
        for (String key : KEYS) {
            assertThat(clean.metrics().get(key)).extracting(EpochMetrics::getEpoch).as("clean epochs of %s", key)
                    .containsExactlyElementsOf(epochs);
            assertThat(failed.metrics().get(key)).extracting(EpochMetrics::getEpoch)
                    .as("exactly one committed metrics record per epoch of %s", key).containsExactlyElementsOf(epochs);
            assertThat(failed.metrics().get(key)).as("metrics of %s", key)
                    .containsExactlyElementsOf(clean.metrics().get(key));
            assertThat(failed.snapshotVersions().get(key)).as("snapshot versions of %s", key)
                    .isNotEmpty().isSorted().doesNotHaveDuplicates();
            assertThat(failed.newest().get(key).getVersion()).isEqualTo(EPOCHS);
            assertThat(failed.newest().get(key).getParameters()).as("parameters of %s", key)
                    .isEqualTo(clean.newest().get(key).getParameters());
            assertThat(failed.newest().get(key)).as("last snapshot of %s", key).isEqualTo(clean.newest().get(key));
        }
    }
}
