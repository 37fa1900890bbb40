package dev.epochstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.job.JobConfig;
import dev.epochstream.kafka.embedded.EmbeddedKafkaExtension;
import dev.epochstream.learner.config.RawConfig;
import dev.epochstream.schemas.EpochMetrics;
import dev.epochstream.schemas.LabelledEvent;
import dev.epochstream.schemas.ModelSnapshot;
import dev.epochstream.schemas.codec.AvroSingleObjectCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes a new evolution fixture with the current code; off unless asked for:
 *
 * <pre>
 *   mvn -B -o -pl it-tests -am verify -Dit.test=EvolutionFixtureWriterITCase -Dfixtures.write=v2 \
 *       -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false
 * </pre>
 *
 * It runs a small job (three keys on three partitions, count windows, standardisation, Adam with its
 * state exported, a hold-out set, shuffling) over a seeded stream until every key trained three windows
 * and some keys have a partial window buffered, waits until every output is committed (so that the
 * savepoint holds no pending Kafka transaction, which a fresh broker could not commit), stops the job with a
 * canonical savepoint and writes {@code src/test/resources/fixtures/NAME/} (see {@link EvolutionFixture}).
 * It refuses to overwrite an existing fixture: fixtures are append-only. Topic names, the group id and the
 * transactional ids are prefixed {@code fixture-NAME-}, since the savepoint's Kafka state names them.
 */
@EnabledIfSystemProperty(named = "fixtures.write", matches = "[a-z0-9][a-z0-9-]*")
class EvolutionFixtureWriterITCase {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.builder().build();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final String[] KEYS = {"fixture-a", "fixture-b", "fixture-c"};
    /** Labelled events per key: three windows of 10 each, plus 5, 8 and 0 events left buffered. */
    private static final int[] EVENTS = {35, 38, 30};
    private static final int WINDOW = 10;

    @TempDir
    Path work;

    @Test
    void writeFixture() throws Exception {
        String name = System.getProperty("fixtures.write");
        Path root = Path.of(System.getProperty("basedir", ".")).resolve("src/test/resources/fixtures");
        EvolutionFixture fixture = new EvolutionFixture(name, root.resolve(name));
        assertThat(fixture.dir()).as("fixtures are append-only: choose a new name").doesNotExist();

        String prefix = "fixture-" + name + "-";
        Path config = work.resolve("job.properties");
        Files.writeString(config, jobProperties(name, prefix), StandardCharsets.UTF_8);
        JobConfig job = JobConfig.from(RawConfig.load(config, Map.of("kafka.bootstrap.servers", KAFKA.kafka().bootstrapServers())));
        EvolutionFixture.createTopics(KAFKA.kafka(), job, KEYS.length);

        ConceptStream stream = new ConceptStream(KEYS, 38, 0, 41);
        AvroSingleObjectCodec<LabelledEvent> codec = AvroSingleObjectCodec.forClass(LabelledEvent.class);
        List<List<LabelledEvent>> partitions = new ArrayList<>();
        List<Records.Message> messages = new ArrayList<>();
        int windows = 0;
        for (int p = 0; p < KEYS.length; p++) {
            List<LabelledEvent> mine = stream.events.get(KEYS[p]).subList(0, EVENTS[p]);
            partitions.add(mine);
            windows += EVENTS[p] / WINDOW;
            for (LabelledEvent e : mine) {
                messages.add(new Records.Message(KEYS[p], codec.encode(e), p, -1));
            }
        }
        Records.produce(KAFKA.kafka().clientProperties(), job.eventsTopic(), messages);

        int expected = windows;
        String savepoint;
        try (RunningJob running = RunningJob.start(job, "fixture-" + name)) {
            Records.readCommitted(KAFKA.kafka().clientProperties(), job.metricsTopic(), Duration.ofSeconds(60),
                    l -> l.size() >= expected);
            Records.readCommitted(KAFKA.kafka().clientProperties(), job.snapshotsTopic(), Duration.ofSeconds(60),
                    l -> l.size() >= expected);
            savepoint = running.stopWithSavepoint(work.resolve("savepoints"));
        }

        AvroSingleObjectCodec<EpochMetrics> metricsCodec = AvroSingleObjectCodec.forClass(EpochMetrics.class);
        List<EpochMetrics> metrics = Records.readToEnd(KAFKA.kafka().clientProperties(), job.metricsTopic(),
                Duration.ofSeconds(30)).stream().map(m -> metricsCodec.decode(m.value()).value()).toList();
        assertThat(metrics).as("no epoch closed after the outputs were read").hasSize(expected);
        AvroSingleObjectCodec<ModelSnapshot> snapshotCodec = AvroSingleObjectCodec.forClass(ModelSnapshot.class);
        Map<String, ModelSnapshot> newest = new TreeMap<>();
        for (Records.Message m : Records.readToEnd(KAFKA.kafka().clientProperties(), job.snapshotsTopic(), Duration.ofSeconds(30))) {
            ModelSnapshot s = snapshotCodec.decode(m.value()).value();
            newest.put(s.getKey(), s);
        }
        for (String key : KEYS) {
            EpochMetrics last = metrics.stream().filter(m -> m.getKey().equals(key)).reduce((a, b) -> b).orElseThrow();
            assertThat(newest.get(key).getVersion()).as("the snapshot of %s is its model in the savepoint", key)
                    .isEqualTo(last.getModelVersion());
            assertThat(newest.get(key).getCounters().getEpochs()).isEqualTo(last.getEpoch());
        }

        Files.createDirectories(fixture.dir());
        Files.copy(config, fixture.config());
        fixture.writeEvents(partitions);
        for (ModelSnapshot s : newest.values()) {
            fixture.writeSnapshot(s);
        }
        EvolutionFixture.copyTree(Path.of(java.net.URI.create(savepoint)), fixture.savepoint());
    }

    private static String jobProperties(String name, String prefix) {
        return String.join("\n",
                "# Evolution fixture " + name + ": the configuration its savepoint was made with.",
                "# Written by EvolutionFixtureWriterITCase; kafka.bootstrap.servers is given at run time.",
                "model.layers=2,4,2",
                "model.activations=tanh,softmax",
                "model.loss=cce",
                "model.seed=7",
                "optimizer=adam",
                "optimizer.lr=0.05",
                "features.standardize=true",
                "epoch.window=count:" + WINDOW,
                "train.batch-size=4",
                "train.holdout=0.2",
                "train.shuffle=true",
                "snapshot.publish=every",
                "snapshot.optimizer-state=true",
                "parallelism=2",
                "checkpoint.interval=300ms",
                "kafka.group.id=" + prefix + "group",
                "topic.events=" + prefix + "events",
                "topic.metrics=" + prefix + "metrics",
                "topic.snapshots=" + prefix + "snapshots",
                "topic.predictions=" + prefix + "predictions",
                "topic.dead-letters=" + prefix + "dead-letters",
                "");
    }
}
