package dev.epochstream.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Start-up and shut-down: what a broker leaves behind (nothing) and how it fails (fast, cleanly). */
class EmbeddedKafkaLifecycleITCase {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @Test
    void closeLeavesNoThreadsPortsOrFiles() throws Exception {
        Path parent = freshParent("close");
        Set<String> before = liveThreadNames();

        EmbeddedKafka kafka = EmbeddedKafka.builder().logDir(parent).topic(TopicSpec.of("t", 2)).start();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(kafka.clientProperties(),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("t", "k", "v")).get();
        }
        Path dataDir = kafka.dataDir();
        assertThat(dataDir).isDirectory().startsWith(parent);
        assertThat(newThreads(before)).as("broker threads while running").isNotEmpty();

        kafka.close();

        awaitNoNewThreads(before);
        assertRefused(kafka.port());
        assertRefused(kafka.controllerPort());
        assertThat(dataDir).doesNotExist();
        assertThat(parent).isEmptyDirectory();
        kafka.close(); // idempotent
        assertThatThrownBy(() -> kafka.createTopic(TopicSpec.of("late"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void restartKeepsPortsTopicsAndRecords() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().logDir(freshParent("restart")).topic(TopicSpec.of("t", 2)).start()) {
            String bootstrap = kafka.bootstrapServers();
            Path dataDir = kafka.dataDir();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(kafka.clientProperties(),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("t", 0, "k", "before")).get();
            }

            kafka.restart();

            assertThat(kafka.bootstrapServers()).isEqualTo(bootstrap);
            assertThat(kafka.dataDir()).isEqualTo(dataDir);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(kafka.clientProperties(),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("t", 0, "k", "after")).get();
            }
            assertThat(valuesOfPartition0(kafka)).containsExactly("before", "after");
        }
    }

    @Test
    void aClosedBrokerCannotRestart() {
        EmbeddedKafka kafka = EmbeddedKafka.builder().logDir(freshParent("closed")).start();
        kafka.close();
        assertThatThrownBy(kafka::restart).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    private static List<String> valuesOfPartition0(EmbeddedKafka kafka) {
        Properties p = kafka.clientProperties();
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition tp = new TopicPartition("t", 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (c.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
            }
        }
        return out;
    }

    @Test
    void takenFixedPortFailsCleanly() throws Exception {
        Path parent = freshParent("taken");
        try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            EmbeddedKafka.Builder builder = EmbeddedKafka.builder().logDir(parent).port(squatter.getLocalPort());

            assertThatThrownBy(builder::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("bind").hasMessageContaining(":" + squatter.getLocalPort());
        }
        assertThat(parent).isEmptyDirectory();
    }

    @Test
    void saslSettingsNeedASaslBroker() {
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().logDir(freshParent("plain")).start()) {
            assertThat(kafka.clientProperties()).containsOnlyKeys("bootstrap.servers");
            assertThat(kafka.clientProperties().getProperty("bootstrap.servers"))
                    .isEqualTo("127.0.0.1:" + kafka.port());
            assertThatThrownBy(() -> kafka.clientProperties("alice", "secret"))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("SASL is not enabled");
        }
    }

    private static Path freshParent(String name) {
        try {
            return Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "lifecycle-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Yammer's default metrics registry, which the broker uses, starts two daemon "meter tick" threads once
     * per JVM and keeps them for the JVM's lifetime (Kafka's own tests allow them for the same reason).
     * Stopping them would break every later broker in the JVM; they are daemon, so they never hold it open.
     */
    private static final String JVM_WIDE_DAEMON_PREFIX = "metrics-meter-tick-thread-";

    private static Set<String> liveThreadNames() {
        Set<String> names = new TreeSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && !(t.isDaemon() && t.getName().startsWith(JVM_WIDE_DAEMON_PREFIX))) {
                names.add(t.getName());
            }
        }
        return names;
    }

    /** Threads started since {@code before}, other than the JVM-wide daemon singletons above. */
    private static Set<String> newThreads(Set<String> before) {
        Set<String> now = liveThreadNames();
        now.removeAll(before);
        return now;
    }

    private static void awaitNoNewThreads(Set<String> before) {
        try {
            Waits.until(DEADLINE, "broker threads to end", () -> newThreads(before).isEmpty());
        } catch (IllegalStateException timedOut) {
            assertThat(newThreads(before)).as("threads still alive %s after close", DEADLINE).isEmpty();
        }
    }

    private static void assertRefused(int port) {
        assertThatThrownBy(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            }
        }).as("connect to port %d after close", port).isInstanceOf(ConnectException.class);
    }

}
