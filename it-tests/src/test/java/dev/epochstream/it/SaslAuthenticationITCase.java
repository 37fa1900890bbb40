package dev.epochstream.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.epochstream.job.BrokerCheck;
import dev.epochstream.job.EpochstreamJob;
import dev.epochstream.job.JobConfig;
import dev.epochstream.kafka.embedded.EmbeddedKafkaExtension;
import dev.epochstream.kafka.embedded.TopicSpec;
import dev.epochstream.learner.config.RawConfig;
import dev.epochstream.schemas.DeadLetter;
import dev.epochstream.schemas.EpochMetrics;
import dev.epochstream.schemas.LabelledEvent;
import dev.epochstream.schemas.codec.AvroSingleObjectCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * The job on a broker that requires SASL/SCRAM: it runs with a login from the EPOCHSTREAM_KAFKA_* variables
 * or from kafka.sasl.* keys; a wrong login fails the start-up check naming the broker and the mechanism;
 * the password appears in no log line, output record or JobConfig.toString().
 */
class SaslAuthenticationITCase {

    private static final String USER = "job";
    /** ASCII, so that a search of raw record bytes finds it in any encoding; quote and backslash are escaped. */
    private static final String PASSWORD = "j\"o\\b-p@ss=1,2 Zq9";
    private static final String WRONG = "bad-Pw-Xy7";

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.builder()
            .saslScram(Map.of(USER, PASSWORD)).build();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

    private static final int LABELLED = 40;

    private static Map<String, String> login(String password) {
        return Map.of("EPOCHSTREAM_KAFKA_USERNAME", USER, "EPOCHSTREAM_KAFKA_PASSWORD", password);
    }

    @Test
    void jobRunsWithTheLoginFromTheEnvironment() throws Exception {
        Map<String, String> conf = config("env");
        JobConfig config = JobConfig.from(RawConfig.of(conf), login(PASSWORD));
        assertThat(config.saslMechanism()).isEqualTo("SCRAM-SHA-512");
        assertThat(config.kafkaProperties().getProperty("sasl.jaas.config")).contains("username=\"job\"");
        runAndCheck(config);
    }

    @Test
    void jobRunsWithTheLoginFromConfigKeysWhichWinOverTheEnvironment() throws Exception {
        Map<String, String> conf = config("keys");
        KAFKA.kafka().clientProperties(USER, PASSWORD).forEach((k, v) -> {
            if (!k.equals("bootstrap.servers")) {
                conf.put("kafka." + k, (String) v);
            }
        });
        // a wrong password in the environment must not replace the explicit login
        JobConfig config = JobConfig.from(RawConfig.of(conf), login(WRONG));
        assertThat(config.saslMechanism()).isEqualTo("SCRAM-SHA-256");
        runAndCheck(config);
    }

    @Test
    void wrongLoginFailsTheStartUpCheckNamingBrokerAndMechanism() {
        JobConfig config = JobConfig.from(RawConfig.of(config("wrong")), login(WRONG));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> BrokerCheck.checkLogin(config, 10))
                .isInstanceOf(BrokerCheck.AuthenticationFailed.class)
                .hasMessage("authentication failed at " + KAFKA.kafka().bootstrapServers() + " (SASL SCRAM-SHA-512): "
                        + "check EPOCHSTREAM_KAFKA_USERNAME/PASSWORD or kafka.sasl.jaas.config");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        assertThat(config.toString()).doesNotContain(PASSWORD).doesNotContain(WRONG);
    }

    private static Map<String, String> config(String name) {
        Map<String, String> conf = new LinkedHashMap<>(Map.of(
                "model.layers", "2,4,2", "model.activations", "relu,softmax", "model.loss", "cce", "model.seed", "3",
                "optimizer", "adam", "optimizer.lr", "0.05", "epoch.window", "count:20", "train.batch-size", "10",
                "snapshot.publish", "every"));
        conf.put("kafka.bootstrap.servers", KAFKA.kafka().bootstrapServers());
        conf.put("kafka.group.id", "sasl-" + name);
        conf.put("checkpoint.interval", "1s");
        conf.put("topic.events", KAFKA.uniqueTopic("events-" + name));
        conf.put("topic.metrics", KAFKA.uniqueTopic("metrics-" + name));
        conf.put("topic.snapshots", KAFKA.uniqueTopic(TopicSpec.of("snapshots-" + name, 1).compacted()
                .withConfig("max.message.bytes", String.valueOf(8 * 1024 * 1024))));
        conf.put("topic.predictions", KAFKA.uniqueTopic("predictions-" + name));
        conf.put("topic.dead-letters", KAFKA.uniqueTopic("dead-letters-" + name));
        return conf;
    }

    private static void runAndCheck(JobConfig config) throws Exception {
        assertThat(config.toString()).contains("sasl.jaas.config=[hidden]").doesNotContain(PASSWORD);
        AvroSingleObjectCodec<LabelledEvent> codec = AvroSingleObjectCodec.forClass(LabelledEvent.class);
        List<Records.Message> messages = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(9);
        for (int i = 0; i < LABELLED; i++) {
            double x0 = rnd.nextDouble(-1, 1);
            double x1 = rnd.nextDouble(-1, 1);
            LabelledEvent e = LabelledEvent.newBuilder().setId("k-" + i).setKey("k")
                    .setTime(Instant.ofEpochMilli(1_700_000_000_000L + 10L * i)).setFeatures(List.of(x0, x1))
                    .setLabel(x0 > x1 ? 1 : 0).build();
            messages.add(new Records.Message("k", codec.encode(e), 0, -1));
        }
        messages.add(new Records.Message("k", "not avro".getBytes(StandardCharsets.UTF_8), 0, -1));
        Records.produce(KAFKA.kafka().clientProperties(), config.eventsTopic(), messages);

        try (LogCapture logs = LogCapture.open()) {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.configure(EpochstreamJob.flinkConfiguration(config));
            env.setParallelism(1);
            EpochstreamJob.build(env, config, true);
            env.execute("it-sasl");
            // the capture works: the clients printed their configuration, with the login hidden
            assertThat(logs.text()).contains("sasl.jaas.config = [hidden]");
            assertThat(logs.text()).doesNotContain(PASSWORD);
        }

        AvroSingleObjectCodec<EpochMetrics> metricsCodec = AvroSingleObjectCodec.forClass(EpochMetrics.class);
        List<Records.Message> metrics = Records.readToEnd(KAFKA.kafka().clientProperties(), config.metricsTopic(),
                Duration.ofSeconds(30));
        assertThat(metrics).extracting(m -> metricsCodec.decode(m.value()).value().getEpoch()).containsExactly(1L, 2L);
        AvroSingleObjectCodec<DeadLetter> dlCodec = AvroSingleObjectCodec.forClass(DeadLetter.class);
        List<Records.Message> dead = Records.readCommitted(KAFKA.kafka().clientProperties(), config.deadLettersTopic(),
                Duration.ofSeconds(30), l -> !l.isEmpty());
        assertThat(dead).extracting(m -> dlCodec.decode(m.value()).value().getReason()).containsExactly("not-avro");
        List<Records.Message> all = new ArrayList<>(metrics);
        all.addAll(dead);
        all.addAll(Records.readToEnd(KAFKA.kafka().clientProperties(), config.snapshotsTopic(), Duration.ofSeconds(30)));
        assertThat(all).allSatisfy(m -> assertThat(new String(m.value(), StandardCharsets.ISO_8859_1))
                .doesNotContain(PASSWORD).doesNotContain(USER + "\" password"));
    }
}
