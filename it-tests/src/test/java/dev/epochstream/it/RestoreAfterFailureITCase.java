package dev.epochstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.job.EpochstreamJob;
import dev.epochstream.job.JobConfig;
import dev.epochstream.kafka.embedded.EmbeddedKafkaExtension;
import dev.epochstream.kafka.embedded.TopicSpec;
import dev.epochstream.learner.config.RawConfig;
import dev.epochstream.learner.epoch.EpochResult;
import dev.epochstream.schemas.EpochMetrics;
import dev.epochstream.schemas.LabelledEvent;
import dev.epochstream.schemas.ModelSnapshot;
import dev.epochstream.schemas.ModelSnapshots;
import dev.epochstream.schemas.codec.AvroSingleObjectCodec;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A failure in the middle of the stream, after two completed checkpoints and a committed
 * transaction: the job restarts from its checkpoint and ends with parameters bit-identical to the
 * failure-free (offline) run, and the read_committed metrics topic holds exactly one record per
 * (key, epoch) with the failure-free values.
 */
class RestoreAfterFailureITCase {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.builder().build();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final String[] KEYS = {"k0", "k1"};
    private static final int PER_KEY = 120;
    private static final int WINDOW = 20;

    @Test
    void aRestoredJobEndsBitIdenticalToTheFailureFreeRun() throws Exception {
        Map<String, String> conf = new LinkedHashMap<>(Map.of(
                "model.layers", "2,6,2", "model.activations", "tanh,softmax", "model.loss", "cce", "model.seed", "3",
                "optimizer", "adam", "optimizer.lr", "0.05", "epoch.window", "count:" + WINDOW, "train.batch-size", "8",
                "snapshot.publish", "every"));
        conf.put("kafka.bootstrap.servers", KAFKA.kafka().bootstrapServers());
        conf.put("checkpoint.interval", "200ms");
        conf.put("topic.events", KAFKA.uniqueTopic("events", 2));
        conf.put("topic.metrics", KAFKA.uniqueTopic("metrics", 1));
        conf.put("topic.snapshots", KAFKA.uniqueTopic(TopicSpec.of("snapshots", 1).compacted()));
        conf.put("topic.predictions", KAFKA.uniqueTopic("predictions", 1));
        conf.put("topic.dead-letters", KAFKA.uniqueTopic("dead-letters", 1));
        conf.put("kafka.group.id", "it-" + conf.get("topic.events"));
        JobConfig config = JobConfig.from(RawConfig.of(conf));
        ConceptStream stream = new ConceptStream(KEYS, PER_KEY, 0, 17);
        ConceptStream.Reference reference = ConceptStream.offline(config.training(), stream.examples(), WINDOW);
        int expectedRecords = KEYS.length * PER_KEY / WINDOW;

        FailureInjector.reset();
        Records.produce(KAFKA.kafka().clientProperties(), config.eventsTopic(), stream.messages(0, PER_KEY / 2));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(EpochstreamJob.flinkConfiguration(config));
        env.setParallelism(2);
        EpochstreamJob.build(env, config, false, events -> events.map(new FailureInjector())
                .returns(TypeInformation.of(LabelledEvent.class)).uid("failure-injector").name("failure injector"));
        JobClient job = env.executeAsync("it-restore");
        try {
            await(Duration.ofSeconds(60), "two checkpoints and a committed metrics record", () ->
                    FailureInjector.COMPLETED_CHECKPOINTS.get() >= 2 && !Records.readCommitted(
                            KAFKA.kafka().clientProperties(), config.metricsTopic(), Duration.ofMillis(300), l -> !l.isEmpty()).isEmpty());
            FailureInjector.ARMED.set(true);
            Records.produce(KAFKA.kafka().clientProperties(), config.eventsTopic(), stream.messages(PER_KEY / 2, PER_KEY));

            List<Records.Message> metricsRecords = Records.readCommitted(KAFKA.kafka().clientProperties(), config.metricsTopic(),
                    Duration.ofSeconds(90), l -> l.size() >= expectedRecords);
            assertThat(FailureInjector.FAILED.get()).as("the failure was injected").isTrue();
            assertThat(FailureInjector.MAX_ATTEMPT.get()).as("the job really restarted").isGreaterThanOrEqualTo(1);

            AvroSingleObjectCodec<EpochMetrics> codec = AvroSingleObjectCodec.forClass(EpochMetrics.class);
            List<EpochMetrics> metrics = metricsRecords.stream().map(m -> codec.decode(m.value()).value()).toList();
            assertThat(metrics).hasSize(expectedRecords);
            for (String key : KEYS) {
                List<EpochMetrics> mine = metrics.stream().filter(m -> m.getKey().equals(key)).toList();
                List<EpochResult> want = reference.epochs().get(key);
                assertThat(mine).extracting(EpochMetrics::getEpoch).as("exactly one record per epoch of %s", key)
                        .containsExactlyElementsOf(want.stream().map(EpochResult::epoch).toList());
                for (int i = 0; i < want.size(); i++) {
                    assertThat(mine.get(i).getPrequential().getLoss()).isEqualTo(want.get(i).prequential().loss());
                    assertThat(mine.get(i).getTrainingLoss()).isEqualTo(want.get(i).trainingLoss());
                    assertThat(mine.get(i).getModelVersion()).isEqualTo(want.get(i).modelVersion());
                }
            }

            AvroSingleObjectCodec<ModelSnapshot> snapshots = AvroSingleObjectCodec.forClass(ModelSnapshot.class);
            Map<String, ModelSnapshot> newest = new HashMap<>();
            List<Records.Message> snapshotRecords = Records.readCommitted(KAFKA.kafka().clientProperties(),
                    config.snapshotsTopic(), Duration.ofSeconds(60), l -> l.stream().map(m -> snapshots.decode(m.value()).value())
                            .filter(s -> s.getVersion() == PER_KEY / WINDOW).count() == KEYS.length);
            for (Records.Message m : snapshotRecords) {
                ModelSnapshot s = snapshots.decode(m.value()).value();
                ModelSnapshot prev = newest.get(s.getKey());
                if (prev != null) {
                    assertThat(s.getVersion()).as("snapshot versions strictly increase").isGreaterThan(prev.getVersion());
                }
                newest.put(s.getKey(), s);
            }
            for (String key : KEYS) {
                ModelSnapshot offline = ModelSnapshots.of(config.training(),
                        reference.trainer().image(reference.models().get(key), false), 0L);
                assertThat(newest.get(key).getParameters()).as("parameters of %s after the restore", key)
                        .isEqualTo(offline.getParameters());
            }
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    private static void await(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.onSpinWait();
        }
    }
}
