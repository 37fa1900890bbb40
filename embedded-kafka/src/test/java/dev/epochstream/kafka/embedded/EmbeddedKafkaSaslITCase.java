package dev.epochstream.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A SASL_PLAINTEXT broker with SCRAM users: right credentials work, wrong ones fail fast and say why. */
class EmbeddedKafkaSaslITCase {

    /** Commas, quotes, backslashes, '=' and ']' must survive the formatter and the JAAS line. */
    private static final String AWKWARD_PASSWORD = "p,a\"ss\\w=rd ]é";

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.builder()
            .saslScram(Map.of("alice", "alice-secret", "bob", AWKWARD_PASSWORD))
            .build();

    /** Generous for a loaded machine; a wrong password fails within ~0.1 s (the broker's failure delay). */
    private static final Duration DEADLINE = Duration.ofSeconds(15);

    @ParameterizedTest
    @EnumSource(value = ScramMechanism.class, names = {"SCRAM_SHA_256", "SCRAM_SHA_512"})
    void usersWithRightCredentialsProduceAndConsume(ScramMechanism mechanism) throws Exception {
        String topic = KAFKA.uniqueTopic("sasl-" + mechanism.ordinal());

        Properties alice = KAFKA.kafka().clientProperties("alice", "alice-secret", mechanism);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(alice, new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", "from alice")).get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        }

        Properties bob = KAFKA.kafka().clientProperties("bob", AWKWARD_PASSWORD, mechanism);
        bob.put(ConsumerConfig.GROUP_ID_CONFIG, "bob-" + topic);
        bob.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(bob, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            ConsumerRecord<String, String> first = null;
            while (first == null && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    first = r;
                }
            }
            assertThat(first).as("record read by bob").isNotNull();
            assertThat(first.value()).isEqualTo("from alice");
        }
    }

    @Test
    void adminPropertiesAuthenticateAsTheAdminUser() throws Exception {
        Properties admin = KAFKA.kafka().clientProperties();

        assertThat(admin.getProperty("security.protocol")).isEqualTo("SASL_PLAINTEXT");
        assertThat(admin.getProperty("sasl.jaas.config")).contains("username=\"" + EmbeddedKafkaConfig.ADMIN_USER + "\"");
        try (Admin client = KAFKA.kafka().adminClient()) {
            assertThat(client.describeCluster().nodes().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).hasSize(1);
        }
    }

    @Test
    void wrongPasswordFailsWithSaslAuthenticationException() {
        Properties wrong = KAFKA.kafka().clientProperties("alice", "not-alice-secret");

        try (Admin client = Admin.create(wrong)) {
            assertThatThrownBy(() -> client.describeCluster().nodes().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS))
                    .hasCauseInstanceOf(SaslAuthenticationException.class)
                    .cause().hasMessageContaining("Authentication failed");
        }
    }

    @Test
    void unknownUserCannotProduce() {
        Properties stranger = KAFKA.kafka().clientProperties("mallory", "guess", ScramMechanism.SCRAM_SHA_512);
        stranger.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(DEADLINE.toMillis()));
        String topic = KAFKA.uniqueTopic("sasl-denied");

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(stranger, new StringSerializer(),
                new StringSerializer())) {
            // Depending on timing the producer throws from send() or fails the future: accept either.
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "k", "v"))
                    .get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS))
                    .satisfies(t -> assertThat(rootSasl(t)).as("SaslAuthenticationException in %s", t).isNotNull());
        }
    }

    private static SaslAuthenticationException rootSasl(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SaslAuthenticationException s) {
                return s;
            }
        }
        return null;
    }
}
