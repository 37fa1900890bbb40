package dev.epochstream.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.epochstream.client.example.PredictionService;
import dev.epochstream.kafka.embedded.EmbeddedKafkaExtension;
import dev.epochstream.kafka.embedded.TopicSpec;
import dev.epochstream.learner.config.TrainingConfig;
import dev.epochstream.learner.epoch.Scored;
import dev.epochstream.schemas.ModelSnapshot;
import dev.epochstream.schemas.ModelSnapshots;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs the example service against a real broker and asks it over HTTP, across a live reload. */
class PredictionServiceITCase {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void answersPredictionsAndFollowsNewVersions() throws Exception {
        TrainingConfig cfg = TestModels.classifier();
        List<ModelSnapshot> a = TestModels.versions(cfg, "a", 2, 31);
        String topic = KAFKA.uniqueTopic(TopicSpec.of("snapshots", 1).compacted());
        int port;
        try (SnapshotPublisher pub = new SnapshotPublisher(KAFKA.kafka(), topic);
             PredictionService service = PredictionService.start("--bootstrap-servers",
                     KAFKA.kafka().bootstrapServers(), "--topic", topic, "--port", "0")) {
            port = service.port();
            pub.commit(a.get(0));
            Await.until(Duration.ofSeconds(20), "version 1", () -> service.client().servingVersion("a").isPresent());

            double[] x = {0.5, -1.25, 2.0};
            String url = "http://127.0.0.1:" + port + "/predict?key=a&features=0.5,-1.25,2.0";
            assertThat(get(url)).isEqualTo(expected(a.get(0), x));

            pub.commit(a.get(1));
            Await.until(Duration.ofSeconds(20), "version 2 over HTTP", () -> get(url).equals(expected(a.get(1), x)));
            assertThat(get("http://127.0.0.1:" + port + "/models")).startsWith("{\"bootstrapped\":true,\"reloads\":2,"
                    + "\"rejected\":0,\"models\":{\"a\":{\"version\":2,\"newest\":2,\"pinned\":false,\"lagMillis\":");

            HttpResponse<String> unknown = send("http://127.0.0.1:" + port + "/predict?key=zz&features=1,2,3");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).contains("no valid snapshot of model 'zz'");
            HttpResponse<String> wrongDim = send("http://127.0.0.1:" + port + "/predict?key=a&features=1,2");
            assertThat(wrongDim.statusCode()).isEqualTo(400);
            assertThat(wrongDim.body()).contains("wrong-dimension");
            // a malformed escape gets a 400 (java.net.URI refuses to send one: the request line is written by hand;
            // the JDK's server refuses it before the handler, whose own check is for any query it lets through)
            assertThat(rawGet(port, "/predict?key=a&features=1%2")).startsWith("HTTP/1.1 400");
        }
        assertThatThrownBy(() -> send("http://127.0.0.1:" + port + "/models")).isInstanceOf(ConnectException.class);
    }

    /** The whole response to a GET of {@code target} sent as written, on a connection closed after it. */
    private static String rawGet(int port, String target) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void refusesABadCommandLine() {
        assertThatThrownBy(() -> PredictionService.start("--topic")).hasMessageContaining("--topic needs a value");
        assertThatThrownBy(() -> PredictionService.start("--colour", "red")).hasMessageContaining("unknown option --colour");
        assertThatThrownBy(() -> PredictionService.start("--topic", "t")).hasMessageContaining("bootstrapServers is required");
    }

    /** The JSON the service must answer, written from the learner's own prediction of that version. */
    private static String expected(ModelSnapshot s, double[] x) {
        Scored p = ModelSnapshots.predictor(s).predict(
                dev.epochstream.learner.data.Example.dense(null, "a", 0, x, null));
        return "{\"key\":\"a\",\"version\":" + s.getVersion() + ",\"prediction\":" + p.predictedClass()
                + ",\"scores\":[" + p.scores()[0] + "," + p.scores()[1] + "," + p.scores()[2] + "]}";
    }

    private String get(String url) {
        try {
            HttpResponse<String> r = send(url);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            return r.body();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private HttpResponse<String> send(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
