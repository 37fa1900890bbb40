package dev.epochstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.job.EpochstreamJob;
import dev.epochstream.job.JobConfig;
import dev.epochstream.kafka.embedded.EmbeddedKafkaExtension;
import dev.epochstream.kafka.embedded.TopicSpec;
import dev.epochstream.learner.config.RawConfig;
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
import dev.epochstream.schemas.Prediction;
import dev.epochstream.schemas.codec.AvroSingleObjectCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job end to end on a real broker and a MiniCluster: two keys on two partitions learn a known
 * concept; the streamed models equal, bit for bit, the epoch trainer run offline over the same events
 * (what replay does); unlabelled events get predictions; bad records become dead letters.
 */
class EpochstreamJobITCase {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.builder().build();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final String[] KEYS = {"alpha", "beta"};
    private static final int LABELLED_PER_KEY = 100;
    private static final int UNLABELLED_PER_KEY = 5;

    @Test
    void learnsAConceptAndMatchesTheOfflineTrainerBitForBit() throws Exception {
        Map<String, String> topics = topics();
        Map<String, String> conf = new LinkedHashMap<>(Map.of(
                "model.layers", "2,8,2", "model.activations", "relu,softmax", "model.loss", "cce", "model.seed", "11",
                "optimizer", "adam", "optimizer.lr", "0.05", "epoch.window", "count:20", "train.batch-size", "10",
                "snapshot.publish", "every"));
        conf.put("kafka.bootstrap.servers", KAFKA.kafka().bootstrapServers());
        conf.put("kafka.group.id", "it-" + topics.get("topic.events"));
        conf.put("checkpoint.interval", "1s");
        conf.putAll(topics);
        JobConfig config = JobConfig.from(RawConfig.of(conf));

        // events: key i on partition i, a linearly separable concept, some unlabelled, some bad
        AvroSingleObjectCodec<LabelledEvent> codec = AvroSingleObjectCodec.forClass(LabelledEvent.class);
        List<Records.Message> messages = new ArrayList<>();
        Map<String, List<Example>> perKey = new HashMap<>();
        SplittableRandom rnd = new SplittableRandom(5);
        for (int p = 0; p < KEYS.length; p++) {
            String key = KEYS[p];
            List<Example> mine = new ArrayList<>();
            for (int i = 0; i < LABELLED_PER_KEY + UNLABELLED_PER_KEY; i++) {
                double x0 = rnd.nextDouble(-1, 1);
                double x1 = rnd.nextDouble(-1, 1);
                boolean labelled = i < LABELLED_PER_KEY;
                LabelledEvent e = LabelledEvent.newBuilder().setId(key + "-" + i).setKey(key)
                        .setTime(Instant.ofEpochMilli(1_700_000_000_000L + 10L * i))
                        .setFeatures(List.of(x0, x1))
                        .setLabel(labelled ? (Object) (x0 + 2 * x1 > 0 ? 1 : 0) : null).build();
                messages.add(new Records.Message(key, codec.encode(e), p, -1));
                mine.add(Events.toExample(e));
                if (i == 30 && p == 0) {
                    LabelledEvent wrong = LabelledEvent.newBuilder(e).setId("wrong-dim").setFeatures(List.of(1.0, 2.0, 3.0))
                            .setLabel(1).build();
                    messages.add(new Records.Message(key, codec.encode(wrong), p, -1));
                    mine.add(Events.toExample(wrong));
                    messages.add(new Records.Message(key, new byte[] {1, 2, 3, 4, 5}, p, -1));
                }
            }
            perKey.put(key, mine);
        }
        Records.produce(KAFKA.kafka().clientProperties(), config.eventsTopic(), messages);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(EpochstreamJob.flinkConfiguration(config));
        env.setParallelism(2);
        EpochstreamJob.build(env, config, true);
        env.execute("it-learns");

        // the offline trainer over each key's events in partition order
        EpochTrainer trainer = new EpochTrainer(config.training());
        Map<String, ModelState> expected = new HashMap<>();
        Map<String, List<EpochResult>> expectedEpochs = new HashMap<>();
        for (String key : KEYS) {
            ModelState m = trainer.newModel(key);
            List<EpochResult> results = new ArrayList<>();
            List<Example> window = new ArrayList<>();
            for (Example e : perKey.get(key)) {
                if (trainer.refusal(e) != null) {
                    m.recordRefused(1);
                } else if (e.label() != null) {
                    window.add(e);
                    if (window.size() == 20) {
                        results.add(trainer.trainEpoch(m, window, ModelState.NO_TIME, ModelState.NO_TIME, 0));
                        window.clear();
                    }
                }
            }
            expected.put(key, m);
            expectedEpochs.put(key, results);
        }

        AvroSingleObjectCodec<EpochMetrics> metricsCodec = AvroSingleObjectCodec.forClass(EpochMetrics.class);
        List<EpochMetrics> metrics = Records.readToEnd(KAFKA.kafka().clientProperties(), config.metricsTopic(),
                Duration.ofSeconds(30)).stream().map(m -> metricsCodec.decode(m.value()).value()).toList();
        for (String key : KEYS) {
            List<EpochMetrics> mine = metrics.stream().filter(m -> m.getKey().equals(key)).toList();
            List<EpochResult> want = expectedEpochs.get(key);
            assertThat(mine).as("one metrics record per epoch of %s", key).hasSize(want.size());
            for (int i = 0; i < want.size(); i++) {
                assertThat(mine.get(i).getEpoch()).isEqualTo(want.get(i).epoch());
                assertThat(mine.get(i).getModelVersion()).isEqualTo(want.get(i).modelVersion());
                assertThat(mine.get(i).getPrequential().getLoss()).isEqualTo(want.get(i).prequential().loss());
                assertThat(mine.get(i).getPrequential().getAccuracy()).isEqualTo(want.get(i).prequential().accuracy());
                assertThat(mine.get(i).getTrainingLoss()).isEqualTo(want.get(i).trainingLoss());
            }
            // a linearly separable 2-D concept: after 80 training events the 5th window is mostly right
            assertThat(mine.get(mine.size() - 1).getPrequential().getAccuracy()).isGreaterThan(0.75);
        }

        AvroSingleObjectCodec<ModelSnapshot> snapshotCodec = AvroSingleObjectCodec.forClass(ModelSnapshot.class);
        Map<String, ModelSnapshot> newest = new HashMap<>();
        for (Records.Message m : Records.readToEnd(KAFKA.kafka().clientProperties(), config.snapshotsTopic(), Duration.ofSeconds(30))) {
            ModelSnapshot s = snapshotCodec.decode(m.value()).value();
            ModelSnapshot prev = newest.get(s.getKey());
            if (prev != null) {
                assertThat(s.getVersion()).as("snapshot versions strictly increase").isGreaterThan(prev.getVersion());
            }
            newest.put(s.getKey(), s);
        }
        for (String key : KEYS) {
            ModelSnapshot streamed = newest.get(key);
            ModelSnapshot offline = ModelSnapshots.of(config.training(), trainer.image(expected.get(key), false),
                    streamed.getCreatedAt().toEpochMilli());
            assertThat(streamed.getParameters()).as("parameters of %s", key).isEqualTo(offline.getParameters());
            assertThat(streamed.getCounters()).isEqualTo(offline.getCounters());
            assertThat(streamed.getVersion()).isEqualTo(5);
            assertThat(ModelSnapshots.problems(streamed)).isEmpty();
        }

        AvroSingleObjectCodec<Prediction> predictionCodec = AvroSingleObjectCodec.forClass(Prediction.class);
        List<Prediction> predictions = Records.readCommitted(KAFKA.kafka().clientProperties(), config.predictionsTopic(),
                Duration.ofSeconds(30), l -> l.size() >= KEYS.length * UNLABELLED_PER_KEY).stream()
                .map(m -> predictionCodec.decode(m.value()).value()).toList();
        assertThat(predictions).hasSize(KEYS.length * UNLABELLED_PER_KEY);
        assertThat(predictions).allSatisfy(p -> assertThat(p.getModelVersion()).isEqualTo(5));

        AvroSingleObjectCodec<DeadLetter> dlCodec = AvroSingleObjectCodec.forClass(DeadLetter.class);
        List<DeadLetter> dead = Records.readCommitted(KAFKA.kafka().clientProperties(), config.deadLettersTopic(),
                Duration.ofSeconds(30), l -> l.size() >= 2).stream().map(m -> dlCodec.decode(m.value()).value()).toList();
        assertThat(dead).extracting(DeadLetter::getReason).containsExactlyInAnyOrder("wrong-dimension", "not-avro");
    }

    private static Map<String, String> topics() {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("topic.events", KAFKA.uniqueTopic("events", 2));
        t.put("topic.metrics", KAFKA.uniqueTopic("metrics", 1));
        t.put("topic.snapshots", KAFKA.uniqueTopic(TopicSpec.of("snapshots", 1).compacted()
                .withConfig("max.message.bytes", String.valueOf(8 * 1024 * 1024))));
        t.put("topic.predictions", KAFKA.uniqueTopic("predictions", 1));
        t.put("topic.dead-letters", KAFKA.uniqueTopic("dead-letters", 1));
        return t;
    }
}
