package dev.epochstream.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;

/** The command-line broker as a separate JVM: prints where it listens, serves, and stops cleanly on SIGTERM. */
class EmbeddedKafkaMainITCase {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @Test
    void servesUntilSigtermThenLeavesNothingBehind() throws Exception {
        Path tmp = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "main-");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        // C1 only: this JVM lives for seconds, so start-up speed matters more than peak performance.
        Process process = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-cp", classpath,
                "-Djava.io.tmpdir=" + tmp,
                EmbeddedKafkaMain.class.getName(), "--topics", "events,snapshots:3", "--sasl", "carol:c4r0l")
                .redirectError(new File(tmp.toFile(), "../main-stderr.log"))
                .start();
        try {
            BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String first = CompletableFuture.supplyAsync(() -> readLine(stdout)).get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(first).matches("bootstrap\\.servers=127\\.0\\.0\\.1:\\d+");
            String bootstrap = first.substring("bootstrap.servers=".length());

            Properties carol = new Properties();
            carol.put("bootstrap.servers", bootstrap);
            ScramCredentials.putClientSettings(carol, "carol", "c4r0l", ScramCredentials.DEFAULT_MECHANISM);
            try (Admin admin = Admin.create(carol)) {
                Map<String, TopicDescription> topics = admin.describeTopics(List.of("events", "snapshots"))
                        .allTopicNames().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(topics.get("events").partitions()).hasSize(1);
                assertThat(topics.get("snapshots").partitions()).hasSize(3);
            }

            process.destroy(); // SIGTERM

            assertThat(process.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).as("exited after SIGTERM").isTrue();
            assertThat(process.exitValue()).as("exit code: 128 + SIGTERM").isEqualTo(143);
            assertThat(tmp).as("broker data deleted by the shutdown hook").isEmptyDirectory();
            int port = Integer.parseInt(bootstrap.substring(bootstrap.indexOf(':') + 1));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
                throw new AssertionError("port " + port + " still accepts connections");
            } catch (ConnectException expected) {
                // refused: nothing listens any more
            }
        } finally {
            process.destroyForcibly();
        }
    }

    private static String readLine(BufferedReader reader) {
        try {
            return reader.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
