package dev.epochstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.job.JobConfig;
import dev.epochstream.kafka.embedded.EmbeddedKafkaExtension;
import dev.epochstream.kafka.embedded.TopicSpec;
import dev.epochstream.learner.config.RawConfig;
import dev.epochstream.learner.data.Example;
import dev.epochstream.learner.epoch.EpochResult;
import dev.epochstream.learner.epoch.EpochTrainer;
import dev.epochstream.learner.epoch.ModelState;
import dev.epochstream.schemas.EpochMetrics;
import dev.epochstream.schemas.Events;
import dev.epochstream.schemas.LabelledEvent;
import dev.epochstream.schemas.LayerParameters;
import dev.epochstream.schemas.ModelSnapshot;
import dev.epochstream.schemas.ModelSnapshots;
import dev.epochstream.schemas.codec.AvroSingleObjectCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Divergence on purpose, and recovery through savepoints. Three runs of the job over one stream of a
 * linear regression concept (y = 3·x0 − 2·x1 + 40 + noise, MSE, plain SGD, snapshot.publish=best):
 *
 * <ol>
 *   <li>a sane rate (0.05) trains and publishes good models; stop with a savepoint;</li>
 *   <li>restored with {@code optimizer.lr=1e308}: every step of every epoch overflows (the bias gradient
 *       is far above 1.8, so lr·g exceeds {@code Double.MAX_VALUE}), is refused, and leaves parameters
 *       and optimizer state untouched; the metrics say {@code updateRefused}, the version does not move,
 *       nothing is published and the newest snapshot is still the last good model; stop with a
 *       savepoint;</li>
 *   <li>restored from that savepoint with {@code optimizer.lr=0.01} (a hyper-parameter the job accepts
 *       on restore; the schedule restarts from the new base rate): updates are applied again, versions
 *       continue, the loss is finite and falls.</li>
 * </ol>
 *
 * <p>The rate is 1e308 rather than, say, 1e30 because a merely huge rate is worse for this test: its
 * first steps stay finite (parameters around 1e30..1e150), are accepted, and leave a model no sane rate
 * brings back within a test. Only an update that overflows is refused; the point here is that such an
 * update cannot damage the state a savepoint carries forward.
 *
 * <p>Every metrics record also equals, bit for bit, the offline epoch trainer run over the same windows
 * with the same three configurations in turn.
 */
class DivergenceITCase {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.builder().build();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final String[] KEYS = {"div-0", "div-1"};
    private static final int WINDOW = 20;
    private static final int EPOCHS_PER_RUN = 3;
    private static final int EVENTS_PER_RUN = WINDOW * EPOCHS_PER_RUN;
    private static final String GOOD_LR = "0.05";
    private static final String ABSURD_LR = "1e308";
    private static final String RECOVERY_LR = "0.01";
    private static final String[] RATES = {GOOD_LR, ABSURD_LR, RECOVERY_LR};

    @TempDir
    Path savepoints;

    @Test
    void refusedUpdatesKeepTheLastGoodModelAndALowerRateRecoversFromTheSavepoint() throws Exception {
        Map<String, String> base = baseConfig();
        Map<String, List<LabelledEvent>> events = regressionStream(3 * EVENTS_PER_RUN, 23);
        Offline offline = offline(base, events);
        String previousSavepoint = null;
        List<EpochMetrics> metrics = List.of();
        Map<String, ModelSnapshot> newestAfterGoodRun = null;
        for (int run = 0; run < RATES.length; run++) {
            Map<String, String> conf = new LinkedHashMap<>(base);
            conf.put("optimizer.lr", RATES[run]);
            if (previousSavepoint != null) {
                conf.put(RunningJob.RESTORE_KEY, previousSavepoint);
            }
            JobConfig config = JobConfig.from(RawConfig.of(conf));
            Records.produce(KAFKA.kafka().clientProperties(), config.eventsTopic(),
                    messages(events, run * EVENTS_PER_RUN, (run + 1) * EVENTS_PER_RUN));
            int expected = KEYS.length * EPOCHS_PER_RUN * (run + 1);
            try (RunningJob job = RunningJob.start(config, "it-divergence-" + run)) {
                Records.readCommitted(KAFKA.kafka().clientProperties(), config.metricsTopic(), Duration.ofSeconds(40),
                        l -> l.size() >= expected);
                previousSavepoint = job.stopWithSavepoint(savepoints.resolve("run-" + run));
            }
            metrics = metrics(config.metricsTopic());
            assertThat(metrics).as("metrics records after run %d", run).hasSize(expected);
            List<ModelSnapshot> snapshots = snapshots(config.snapshotsTopic());
            for (ModelSnapshot s : snapshots) {
                assertThat(ModelSnapshots.problems(s)).as("snapshot %s v%d is valid and finite", s.getKey(), s.getVersion())
                        .isEmpty();
            }
            Map<String, ModelSnapshot> newest = newestPerKey(snapshots);
            if (run == 0) {
                newestAfterGoodRun = newest;
            } else if (run == 1) {
                for (String key : KEYS) {
                    assertThat(newest.get(key).getVersion()).as("%s: the newest snapshot is still the last good model", key)
                            .isEqualTo(newestAfterGoodRun.get(key).getVersion());
                    assertThat(newest.get(key).getParameters()).isEqualTo(newestAfterGoodRun.get(key).getParameters());
                }
            }
        }

        for (String key : KEYS) {
            List<EpochMetrics> mine = metrics.stream().filter(m -> m.getKey().equals(key)).toList();
            assertThat(mine).extracting(EpochMetrics::getEpoch).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
            List<EpochMetrics> good = mine.subList(0, EPOCHS_PER_RUN);
            List<EpochMetrics> absurd = mine.subList(EPOCHS_PER_RUN, 2 * EPOCHS_PER_RUN);
            List<EpochMetrics> recovery = mine.subList(2 * EPOCHS_PER_RUN, 3 * EPOCHS_PER_RUN);

            assertThat(good).extracting(EpochMetrics::getModelVersion).containsExactly(1L, 2L, 3L);
            assertThat(good).extracting(EpochMetrics::getUpdateRefused).containsOnly(false);
            assertThat(good.get(0).getPublished()).as("the first trained model is the first best").isTrue();

            long lastGood = good.get(EPOCHS_PER_RUN - 1).getModelVersion();
            assertThat(absurd).extracting(EpochMetrics::getLearningRate).containsOnly(1e308);
            assertThat(absurd).as("%s: every update at lr=1e308 is refused", key)
                    .extracting(EpochMetrics::getUpdateRefused).containsOnly(true);
            assertThat(absurd).extracting(EpochMetrics::getModelVersion).containsOnly(lastGood);
            assertThat(absurd).extracting(EpochMetrics::getPublished).containsOnly(false);
            assertThat(absurd).extracting(m -> m.getPrequential().getLoss())
                    .as("the kept model still predicts finitely").allMatch(Double::isFinite);

            assertThat(recovery).extracting(EpochMetrics::getLearningRate).containsOnly(0.01);
            assertThat(recovery).extracting(EpochMetrics::getUpdateRefused).containsOnly(false);
            assertThat(recovery).extracting(EpochMetrics::getModelVersion)
                    .containsExactly(lastGood + 1, lastGood + 2, lastGood + 3);
            assertThat(recovery).extracting(EpochMetrics::getTrainingLoss).allMatch(Double::isFinite);
            double first = recovery.get(0).getPrequential().getLoss();
            double last = recovery.get(EPOCHS_PER_RUN - 1).getPrequential().getLoss();
            assertThat(first).isFinite();
            assertThat(last).as("%s: the loss falls again after the restore at lr=0.01", key).isLessThan(first);

            List<EpochResult> want = offline.epochs.get(key);
            for (int i = 0; i < want.size(); i++) {
                EpochMetrics got = mine.get(i);
                EpochResult w = want.get(i);
                assertThat(got.getModelVersion()).as("%s epoch %d version", key, i + 1).isEqualTo(w.modelVersion());
                assertThat(got.getPrequential().getLoss()).as("%s epoch %d loss", key, i + 1).isEqualTo(w.prequential().loss());
                assertThat(got.getTrainingLoss()).isEqualTo(w.trainingLoss());
                assertThat(got.getLearningRate()).isEqualTo(w.learningRate());
                assertThat(got.getUpdateRefused()).isEqualTo(w.updateRefused());
                assertThat(got.getPublished()).isEqualTo(w.published());
            }
        }
        Map<String, ModelSnapshot> newest = newestPerKey(snapshots(base.get("topic.snapshots")));
        for (String key : KEYS) {
            ModelSnapshot want = offline.newestPublished.get(key);
            assertThat(newest.get(key).getVersion()).as("%s: a recovered model was published", key)
                    .isGreaterThan(newestAfterGoodRun.get(key).getVersion()).isEqualTo(want.getVersion());
            assertThat(newest.get(key).getParameters()).isEqualTo(want.getParameters());
        }
    }

    private Map<String, String> baseConfig() {
        Map<String, String> conf = new LinkedHashMap<>(Map.of(
                "model.layers", "2,1", "model.activations", "identity", "model.loss", "mse", "model.seed", "5",
                "optimizer", "sgd", "epoch.window", "count:" + WINDOW, "train.batch-size", "5",
                "snapshot.publish", "best", "parallelism", "2"));
        conf.put("kafka.bootstrap.servers", KAFKA.kafka().bootstrapServers());
        conf.put("checkpoint.interval", "300ms");
        conf.put("topic.events", KAFKA.uniqueTopic("div-events", KEYS.length));
        conf.put("topic.metrics", KAFKA.uniqueTopic("div-metrics", 1));
        conf.put("topic.snapshots", KAFKA.uniqueTopic(TopicSpec.of("div-snapshots", 1).compacted()));
        conf.put("topic.predictions", KAFKA.uniqueTopic("div-predictions", 1));
        conf.put("topic.dead-letters", KAFKA.uniqueTopic("div-dead-letters", 1));
        conf.put("kafka.group.id", "it-" + conf.get("topic.events"));
        return conf;
    }

    /** Per key, {@code n} events of y = 3·x0 − 2·x1 + 40 + uniform noise in [−0.5, 0.5). */
    private static Map<String, List<LabelledEvent>> regressionStream(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, List<LabelledEvent>> out = new LinkedHashMap<>();
        for (String key : KEYS) {
            List<LabelledEvent> mine = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                double x0 = rnd.nextDouble(-1, 1);
                double x1 = rnd.nextDouble(-1, 1);
                double y = 3 * x0 - 2 * x1 + 40 + rnd.nextDouble(-0.5, 0.5);
                mine.add(LabelledEvent.newBuilder().setId(key + "-" + i).setKey(key)
                        .setTime(Instant.ofEpochMilli(1_700_000_000_000L + 10L * i))
                        .setFeatures(List.of(x0, x1)).setLabel(y).build());
            }
            out.put(key, mine);
        }
        return out;
    }

    /** Events [from, to) of every key, key i on partition i. */
    private static List<Records.Message> messages(Map<String, List<LabelledEvent>> events, int from, int to) {
        AvroSingleObjectCodec<LabelledEvent> codec = AvroSingleObjectCodec.forClass(LabelledEvent.class);
        List<Records.Message> out = new ArrayList<>();
        for (int p = 0; p < KEYS.length; p++) {
            for (LabelledEvent e : events.get(KEYS[p]).subList(from, to)) {
                out.add(new Records.Message(KEYS[p], codec.encode(e), p, -1));
            }
        }
        return out;
    }

    /** The offline epoch trainer over the same windows, each run's windows under that run's rate. */
    private record Offline(Map<String, List<EpochResult>> epochs, Map<String, ModelSnapshot> newestPublished) {
    }

    private static Offline offline(Map<String, String> base, Map<String, List<LabelledEvent>> events) {
        Map<String, List<EpochResult>> epochs = new LinkedHashMap<>();
        Map<String, ModelSnapshot> published = new LinkedHashMap<>();
        List<JobConfig> configs = new ArrayList<>();
        List<EpochTrainer> trainers = new ArrayList<>();
        for (String lr : RATES) {
            Map<String, String> conf = new LinkedHashMap<>(base);
            conf.put("optimizer.lr", lr);
            JobConfig c = JobConfig.from(RawConfig.of(conf));
            configs.add(c);
            trainers.add(new EpochTrainer(c.training()));
        }
        for (String key : KEYS) {
            ModelState m = trainers.get(0).newModel(key);
            List<EpochResult> results = new ArrayList<>();
            List<LabelledEvent> mine = events.get(key);
            for (int w = 0; w * WINDOW < mine.size(); w++) {
                int run = w / EPOCHS_PER_RUN;
                List<Example> window = mine.subList(w * WINDOW, (w + 1) * WINDOW).stream().map(Events::toExample).toList();
                EpochResult r = trainers.get(run).trainEpoch(m, window, ModelState.NO_TIME, ModelState.NO_TIME, 0);
                results.add(r);
                if (r.published()) {
                    published.put(key, ModelSnapshots.of(configs.get(run).training(), trainers.get(run).image(m, false), 0L));
                }
            }
            epochs.put(key, results);
        }
        return new Offline(epochs, published);
    }

    private static List<EpochMetrics> metrics(String topic) {
        AvroSingleObjectCodec<EpochMetrics> codec = AvroSingleObjectCodec.forClass(EpochMetrics.class);
        return Records.readToEnd(KAFKA.kafka().clientProperties(), topic, Duration.ofSeconds(30)).stream()
                .map(m -> codec.decode(m.value()).value()).toList();
    }

    private static List<ModelSnapshot> snapshots(String topic) {
        AvroSingleObjectCodec<ModelSnapshot> codec = AvroSingleObjectCodec.forClass(ModelSnapshot.class);
        return Records.readToEnd(KAFKA.kafka().clientProperties(), topic, Duration.ofSeconds(30)).stream()
                .map(m -> codec.decode(m.value()).value()).toList();
    }

    /** The newest snapshot of each key, checking that versions only increase on the topic. */
    private static Map<String, ModelSnapshot> newestPerKey(List<ModelSnapshot> snapshots) {
        Map<String, ModelSnapshot> newest = new LinkedHashMap<>();
        for (ModelSnapshot s : snapshots) {
            ModelSnapshot prev = newest.get(s.getKey());
            if (prev != null) {
                assertThat(s.getVersion()).as("snapshot versions of %s increase", s.getKey()).isGreaterThan(prev.getVersion());
            }
            for (LayerParameters l : s.getParameters()) {
                assertThat(l.getWeights()).allMatch(Double::isFinite);
                assertThat(l.getBiases()).allMatch(Double::isFinite);
            }
            newest.put(s.getKey(), s);
        }
        return newest;
    }
}
