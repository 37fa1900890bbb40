package dev.epochstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.client.ModelClient;
import dev.epochstream.client.ModelPrediction;
import dev.epochstream.job.JobConfig;
import dev.epochstream.kafka.embedded.EmbeddedKafkaExtension;
import dev.epochstream.learner.config.RawConfig;
import dev.epochstream.learner.data.Example;
import dev.epochstream.learner.epoch.EpochResult;
import dev.epochstream.learner.epoch.EpochTrainer;
import dev.epochstream.learner.epoch.ModelState;
import dev.epochstream.learner.epoch.Predictor;
import dev.epochstream.learner.epoch.Scored;
import dev.epochstream.schemas.EpochMetrics;
import dev.epochstream.schemas.Events;
import dev.epochstream.schemas.LabelledEvent;
import dev.epochstream.schemas.ModelSnapshot;
import dev.epochstream.schemas.ModelSnapshots;
import dev.epochstream.schemas.codec.AvroSingleObjectCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every committed evolution fixture (see {@link EvolutionFixture} and {@code fixtures/README.md}) still
 * works with the current code:
 *
 * <ul>
 *   <li>its savepoint restores, on either state backend (the fixtures were written on the heap; a canonical
 *       savepoint's keyed state and timers move between backends), on a fresh broker (topics named as in its configuration, its events
 *       produced again so that the restored source offsets point where they did) and training continues:
 *       the windows buffered in the savepoint close with the new events, versions and epochs continue from
 *       the savepoint's, and every new epoch equals, bit for bit, the current epoch trainer continuing
 *       from the committed snapshot of the same model (which carries parameters, Adam's state,
 *       standardisation and counters), ending with the same parameters and optimizer state;</li>
 *   <li>the model client serves the committed snapshot files and predicts bit-identically to
 *       {@link ModelSnapshots#predictor}.</li>
 * </ul>
 */
class EvolutionFixturesITCase {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.builder().build();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    /** Windows each key closes after the restore. */
    private static final int NEW_WINDOWS = 3;

    @TempDir
    Path work;

    static List<EvolutionFixture> fixtures() {
        List<EvolutionFixture> all = EvolutionFixture.all();
        assertThat(all).as("committed fixtures under src/test/resources/fixtures").isNotEmpty();
        return all;
    }

    static Stream<Arguments> fixturesOnEachBackend() {
        return fixtures().stream().flatMap(f -> Stream.of(Arguments.of(f, "hashmap"), Arguments.of(f, "rocksdb")));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("fixturesOnEachBackend")
    void theSavepointRestoresAndTrainingContinues(EvolutionFixture fixture, String backend) throws Exception {
        Path savepoint = work.resolve(fixture.name() + "-savepoint");
        EvolutionFixture.copyTree(fixture.savepoint(), savepoint);
        JobConfig config = JobConfig.from(RawConfig.load(fixture.config(), Map.of(
                "kafka.bootstrap.servers", KAFKA.kafka().bootstrapServers(),
                "state.backend", backend,
                RunningJob.RESTORE_KEY, savepoint.toUri().toString())));
        List<List<LabelledEvent>> before = fixture.readEvents();
        Map<String, ModelSnapshot> snapshots = fixture.readSnapshots();
        EvolutionFixture.createTopics(KAFKA.kafka(), config, before.size());
        try {
            restoreAndContinue(fixture, config, before, snapshots, work);
        } finally {
            // the fixture names its topics, and each fixture runs once per state backend on this broker
            EvolutionFixture.deleteTopics(KAFKA.kafka(), config);
        }
    }

    private static void restoreAndContinue(EvolutionFixture fixture, JobConfig config, List<List<LabelledEvent>> before,
                                           Map<String, ModelSnapshot> snapshots, Path work) throws Exception {

        // per key: the events still buffered in the savepoint, then fresh ones until NEW_WINDOWS windows close
        int window = config.training().window().count();
        Map<String, List<LabelledEvent>> toTrain = new TreeMap<>();
        AvroSingleObjectCodec<LabelledEvent> codec = AvroSingleObjectCodec.forClass(LabelledEvent.class);
        List<Records.Message> replayed = new ArrayList<>();
        List<Records.Message> fresh = new ArrayList<>();
        for (int p = 0; p < before.size(); p++) {
            List<LabelledEvent> events = before.get(p);
            String key = events.get(0).getKey();
            assertThat(events).as("fixture events of partition %d belong to one key", p)
                    .allMatch(e -> e.getKey().equals(key));
            int trainedBefore = (int) snapshots.get(key).getCounters().getSeen();
            List<LabelledEvent> mine = new ArrayList<>(events.subList(trainedBefore, events.size()));
            int needed = NEW_WINDOWS * window - mine.size();
            for (int j = 0; j < needed; j++) {
                LabelledEvent again = LabelledEvent.newBuilder(events.get(j % events.size()))
                        .setId(key + "-after-" + j)
                        .setTime(Instant.ofEpochMilli(events.get(events.size() - 1).getTime().toEpochMilli() + 10L * (j + 1)))
                        .build();
                mine.add(again);
                fresh.add(new Records.Message(key, codec.encode(again), p, -1));
            }
            for (LabelledEvent e : events) {
                replayed.add(new Records.Message(key, codec.encode(e), p, -1));
            }
            toTrain.put(key, mine);
        }
        // the restored source resumes at the savepoint's offsets: the old events take the same offsets again
        Records.produce(KAFKA.kafka().clientProperties(), config.eventsTopic(), replayed);
        Records.produce(KAFKA.kafka().clientProperties(), config.eventsTopic(), fresh);

        int expected = toTrain.size() * NEW_WINDOWS;
        try (RunningJob job = RunningJob.start(config, "it-fixture-" + fixture.name())) {
            Records.readCommitted(KAFKA.kafka().clientProperties(), config.metricsTopic(), Duration.ofSeconds(40),
                    l -> l.size() >= expected);
            job.stopWithSavepoint(work.resolve(fixture.name() + "-after"));
        }
        AvroSingleObjectCodec<EpochMetrics> metricsCodec = AvroSingleObjectCodec.forClass(EpochMetrics.class);
        List<EpochMetrics> metrics = Records.readToEnd(KAFKA.kafka().clientProperties(), config.metricsTopic(),
                Duration.ofSeconds(30)).stream().map(m -> metricsCodec.decode(m.value()).value()).toList();
        assertThat(metrics).hasSize(expected);
        AvroSingleObjectCodec<ModelSnapshot> snapshotCodec = AvroSingleObjectCodec.forClass(ModelSnapshot.class);
        Map<String, ModelSnapshot> newest = new TreeMap<>();
        for (Records.Message m : Records.readToEnd(KAFKA.kafka().clientProperties(), config.snapshotsTopic(), Duration.ofSeconds(30))) {
            ModelSnapshot s = snapshotCodec.decode(m.value()).value();
            newest.put(s.getKey(), s);
        }

        EpochTrainer trainer = new EpochTrainer(config.training());
        for (Map.Entry<String, List<LabelledEvent>> k : toTrain.entrySet()) {
            String key = k.getKey();
            ModelSnapshot saved = snapshots.get(key);
            ModelState m = trainer.restore(ModelSnapshots.image(saved));
            List<EpochMetrics> mine = metrics.stream().filter(r -> r.getKey().equals(key)).toList();
            assertThat(mine).as("new epochs of %s", key).hasSize(NEW_WINDOWS);
            for (int w = 0; w < NEW_WINDOWS; w++) {
                List<Example> examples = k.getValue().subList(w * window, (w + 1) * window).stream()
                        .map(Events::toExample).toList();
                EpochResult want = trainer.trainEpoch(m, examples, ModelState.NO_TIME, ModelState.NO_TIME, 0);
                EpochMetrics got = mine.get(w);
                assertThat(got.getEpoch()).as("%s: epochs continue from the savepoint's", key)
                        .isEqualTo(saved.getCounters().getEpochs() + w + 1).isEqualTo(want.epoch());
                assertThat(got.getModelVersion()).as("%s: versions continue from the savepoint's", key)
                        .isEqualTo(saved.getVersion() + w + 1).isEqualTo(want.modelVersion());
                assertThat(got.getPrequential().getLoss()).as("%s epoch %d", key, got.getEpoch())
                        .isEqualTo(want.prequential().loss());
                assertThat(got.getPrequential().getAccuracy()).isEqualTo(want.prequential().accuracy());
                assertThat(got.getTrainingLoss()).isEqualTo(want.trainingLoss());
                assertThat(got.getValidation() == null ? null : got.getValidation().getLoss())
                        .isEqualTo(want.validation() == null ? null : want.validation().loss());
                assertThat(got.getLearningRate()).isEqualTo(want.learningRate());
                assertThat(got.getSeen()).isEqualTo(want.seen());
            }
            // the rolling metrics are in the savepoint but not in a snapshot: a restored ring holds more epochs
            assertThat(mine.get(0).getRollingEpochs()).as("%s: rolling metrics restored from the savepoint", key)
                    .isGreaterThan(1);
            ModelSnapshot want = ModelSnapshots.of(config.training(), trainer.image(m, true), 0L);
            assertThat(newest.get(key).getVersion()).isEqualTo(want.getVersion());
            assertThat(newest.get(key).getParameters()).as("parameters of %s", key).isEqualTo(want.getParameters());
            assertThat(newest.get(key).getOptimizerState()).as("optimizer state of %s", key)
                    .isEqualTo(want.getOptimizerState());
            assertThat(newest.get(key).getPreprocessing()).isEqualTo(want.getPreprocessing());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void theModelClientServesTheSnapshotFiles(EvolutionFixture fixture) throws Exception {
        Map<String, ModelSnapshot> snapshots = fixture.readSnapshots();
        Path[] files = snapshots.keySet().stream().map(fixture::snapshotFile).toArray(Path[]::new);
        List<List<LabelledEvent>> events = fixture.readEvents();
        try (ModelClient client = ModelClient.fromFiles(files)) {
            assertThat(client.keys()).containsExactlyInAnyOrderElementsOf(snapshots.keySet());
            for (ModelSnapshot s : snapshots.values()) {
                assertThat(ModelSnapshots.problems(s)).isEmpty();
                Predictor predictor = ModelSnapshots.predictor(s);
                List<LabelledEvent> probes = events.stream().flatMap(List::stream)
                        .filter(e -> e.getKey().equals(s.getKey())).toList();
                assertThat(probes).isNotEmpty();
                for (LabelledEvent e : probes) {
                    Example x = Events.toExample(e);
                    ModelPrediction served = client.predict(s.getKey(), x);
                    Scored want = predictor.predict(x);
                    assertThat(served.version()).isEqualTo(s.getVersion());
                    assertThat(served.scores()).as("%s scores of %s", s.getKey(), e.getId()).isEqualTo(want.scores());
                    assertThat(served.prediction()).isEqualTo(want.prediction());
                }
            }
        }
    }
}
