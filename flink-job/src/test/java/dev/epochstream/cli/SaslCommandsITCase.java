package dev.epochstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.kafka.embedded.EmbeddedKafkaExtension;
import dev.epochstream.schemas.EpochMetrics;
import dev.epochstream.schemas.codec.AvroSingleObjectCodec;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * produce, watch and run against a broker that requires SASL/SCRAM: the login comes from the
 * EPOCHSTREAM_KAFKA_* variables or from client settings; a wrong one fails at start-up in one line naming the
 * broker and the mechanism; the password is never printed.
 */
class SaslCommandsITCase {

    private static final String USER = "cli";
    /** Quote, backslash, comma and '=' must survive the JAAS line. */
    private static final String PASSWORD = "c\"l\\i,pw=42-Zq";
    private static final String WRONG = "not-the-password-77";

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.builder()
            .saslScram(Map.of(USER, PASSWORD)).build();

    private static String bootstrap() {
        return KAFKA.kafka().bootstrapServers();
    }

    private static Map<String, String> env(String password) {
        return Map.of("EPOCHSTREAM_KAFKA_USERNAME", USER, "EPOCHSTREAM_KAFKA_PASSWORD", password);
    }

    private static CliRun cli(Map<String, String> environment, String... args) {
        CliRun run = CliRun.of(environment, args);
        assertThat(run.out() + run.err()).as("printed output").doesNotContain(PASSWORD).doesNotContain(WRONG);
        return run;
    }

    /** Records on the topic, counted by the broker's end offsets (read as the admin user). */
    private static long recordCount(String topic) throws Exception {
        try (Admin admin = KAFKA.kafka().adminClient()) {
            ListOffsetsResult r = admin.listOffsets(Map.of(new TopicPartition(topic, 0), OffsetSpec.latest()));
            return r.partitionResult(new TopicPartition(topic, 0)).get().offset();
        }
    }

    private static String metricsTopic() {
        String topic = KAFKA.uniqueTopic("metrics");
        AvroSingleObjectCodec<EpochMetrics> codec = AvroSingleObjectCodec.forClass(EpochMetrics.class);
        Properties p = KAFKA.kafka().clientProperties();
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (int e = 1; e <= 3; e++) {
                producer.send(new ProducerRecord<>(topic, "model-0".getBytes(StandardCharsets.UTF_8),
                        codec.encode(MetricsBoardTest.metrics("model-0", e, "classification", 1.0 / e, 0.5, null, false, 10L))));
            }
            producer.flush();
        }
        return topic;
    }

    @Test
    void produceAndWatchLogInWithTheEnvironmentVariables() throws Exception {
        String events = KAFKA.uniqueTopic("events");
        CliRun produce = cli(env(PASSWORD), "produce", "--bootstrap", bootstrap(), "--topic", events,
                "--generator", "sea", "--count", "40");
        assertThat(produce.exitCode()).as(produce.err()).isZero();
        assertThat(produce.err()).contains("produce: 40 events written to '" + events + "'");
        assertThat(recordCount(events)).isEqualTo(40);

        String metrics = metricsTopic();
        CliRun watch = cli(env(PASSWORD), "watch", "--bootstrap", bootstrap(), "--topic", metrics, "--once",
                "--from-beginning");
        assertThat(watch.exitCode()).as(watch.err()).isZero();
        assertThat(watch.out()).contains("model-0").contains("1 keys, 3 epoch records");
    }

    @Test
    void produceAndWatchLogInWithClientSettings() throws Exception {
        Path dir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
        Path clientConfig = Files.createTempFile(dir, "sasl-client", ".properties");
        Properties login = KAFKA.kafka().clientProperties(USER, PASSWORD); // SCRAM-SHA-256
        login.remove("bootstrap.servers");
        try (Writer w = Files.newBufferedWriter(clientConfig, StandardCharsets.UTF_8)) {
            login.store(w, null);
        }
        String events = KAFKA.uniqueTopic("events");
        CliRun produce = cli(Map.of(), "produce", "--bootstrap", bootstrap(), "--topic", events, "--generator", "sea",
                "--count", "25", "--producer-config", clientConfig.toString());
        assertThat(produce.exitCode()).as(produce.err()).isZero();
        assertThat(recordCount(events)).isEqualTo(25);

        String metrics = metricsTopic();
        CliRun watch = cli(Map.of(), "watch", "--bootstrap", bootstrap(), "--topic", metrics, "--once",
                "--consumer-property", "security.protocol=SASL_PLAINTEXT",
                "--consumer-property", "sasl.mechanism=SCRAM-SHA-512",
                "--consumer-property", "sasl.jaas.config=" + login.getProperty("sasl.jaas.config"));
        assertThat(watch.exitCode()).as(watch.err()).isZero();
        assertThat(watch.out()).contains("1 keys, 3 epoch records");

        // explicit settings win over the variables: a wrong password in the environment is not used
        CliRun explicit = cli(env(WRONG), "produce", "--bootstrap", bootstrap(), "--topic", events, "--generator", "sea",
                "--count", "5", "--producer-config", clientConfig.toString());
        assertThat(explicit.exitCode()).as(explicit.err()).isZero();
        assertThat(recordCount(events)).isEqualTo(30);
    }

    @Test
    void wrongPasswordFailsAtStartUpInOneLineNamingBrokerAndMechanism() throws IOException {
        String events = KAFKA.uniqueTopic("events");
        String expected = "authentication failed at " + bootstrap() + " (SASL SCRAM-SHA-512): check "
                + "EPOCHSTREAM_KAFKA_USERNAME/PASSWORD or ";
        long t0 = System.nanoTime();
        CliRun produce = cli(env(WRONG), "produce", "--bootstrap", bootstrap(), "--topic", events, "--generator", "sea");
        assertThat(produce.exitCode()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(produce.err()).isEqualTo("epochstream produce: " + expected + "sasl.jaas.config\n");

        CliRun watch = cli(env(WRONG), "watch", "--bootstrap", bootstrap(), "--topic", events, "--once");
        assertThat(watch.exitCode()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(watch.err()).isEqualTo("epochstream watch: " + expected + "sasl.jaas.config\n");

        Path config = Files.createTempFile(Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"))),
                "job", ".properties");
        Files.writeString(config, "model.layers=2,1\nmodel.activations=sigmoid\nmodel.loss=bce\n"
                + "kafka.bootstrap.servers=" + bootstrap() + "\n");
        CliRun run = cli(env(WRONG), "run", "--config", config.toString());
        assertThat(run.exitCode()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(run.err()).isEqualTo("epochstream run: " + expected + "kafka.sasl.jaas.config\n");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("three refused logins").isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void incompleteVariablesAreAConfigurationErrorNamingTheMissingOne() {
        CliRun run = cli(Map.of("EPOCHSTREAM_KAFKA_USERNAME", USER), "produce", "--bootstrap", bootstrap(),
                "--topic", "t", "--generator", "sea");
        assertThat(run.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(run.err()).startsWith("epochstream produce: configuration error: EPOCHSTREAM_KAFKA_PASSWORD: is not set");
    }
}
