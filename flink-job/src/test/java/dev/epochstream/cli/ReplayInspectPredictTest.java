package dev.epochstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** replay / inspect / predict: the public command-line contract, run in process. */
class ReplayInspectPredictTest {

    @TempDir
    Path dir;

    private Path config() throws IOException {
        return CliRun.config(dir, "model.layers=4,3,2", "model.activations=tanh,softmax", "model.loss=cce",
                "model.seed=7", "optimizer=adam", "optimizer.lr=0.01", "epoch.window=count:8", "train.batch-size=4",
                "snapshot.publish=every", "kafka.bootstrap.servers=localhost:1", "topic.events=x");
    }

    private Path events(int n, String... extraLines) throws IOException {
        SplittableRandom r = new SplittableRandom(1);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] x = {r.nextDouble(-1, 1), r.nextDouble(-1, 1), r.nextDouble(-1, 1), r.nextDouble(-1, 1)};
            lines.add(String.format(java.util.Locale.ROOT,
                    "{\"id\": \"e%d\", \"key\": \"smoke\", \"time\": %d, \"features\": [%s, %s, %s, %s], \"label\": %d}",
                    i, 1_700_000_000_000L + 10L * i, x[0], x[1], x[2], x[3], x[0] + x[1] > 0 ? 1 : 0));
        }
        lines.addAll(List.of(extraLines));
        Path f = dir.resolve("events-" + n + "-" + extraLines.length + ".jsonl");
        Files.write(f, lines, StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void replayTwiceWritesBitIdenticalSnapshots() throws IOException {
        Path events = events(32);
        CliRun a = CliRun.of("replay", "--config", config().toString(), "--events", events.toString(), "--out",
                dir.resolve("a.snap").toString());
        CliRun b = CliRun.of("replay", "--config", config().toString(), "--events", events.toString(), "--out",
                dir.resolve("b.snap").toString());
        assertThat(a.exitCode()).as(a.err()).isZero();
        assertThat(b.exitCode()).as(b.err()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("a.snap"))).isEqualTo(Files.readAllBytes(dir.resolve("b.snap")));
    }

    @Test
    void inspectPrintsOneJsonObjectWithTheContractFields() throws IOException {
        CliRun replay = CliRun.of("replay", "--config", config().toString(), "--events", events(32).toString(), "--out",
                dir.resolve("m.snap").toString(), "--metrics", dir.resolve("m.jsonl").toString());
        assertThat(replay.exitCode()).as(replay.err()).isZero();
        CliRun inspect = CliRun.of("inspect", dir.resolve("m.snap").toString());
        assertThat(inspect.exitCode()).as(inspect.err()).isZero();
        JsonNode j = Json.MAPPER.readTree(inspect.out());
        assertThat(j.get("key").asText()).isEqualTo("smoke");
        assertThat(j.get("version").asLong()).isEqualTo(4);
        assertThat(j.get("layers").toString()).isEqualTo("[4,3,2]");
        assertThat(j.get("weights").get(0).size()).isEqualTo(3);
        assertThat(j.get("weights").get(0).get(0).size()).isEqualTo(4);
        assertThat(j.get("biases").get(1).size()).isEqualTo(2);
        assertThat(j.get("checksumValid").asBoolean()).isTrue();
        List<String> metrics = Files.readAllLines(dir.resolve("m.jsonl"));
        assertThat(metrics).hasSize(4);
        JsonNode first = Json.MAPPER.readTree(metrics.get(0));
        assertThat(first.get("epoch").asLong()).isEqualTo(1);
        assertThat(first.get("prequential").get("count").asLong()).isEqualTo(8);
        assertThat(first.get("seen").asLong()).isEqualTo(8);
    }

    @Test
    void anEmptyEventsFileWritesTheInitialModel() throws IOException {
        CliRun replay = CliRun.of("replay", "--config", config().toString(), "--events", events(0).toString(), "--out",
                dir.resolve("init.snap").toString());
        assertThat(replay.exitCode()).as(replay.err()).isZero();
        JsonNode j = Json.MAPPER.readTree(CliRun.of("inspect", dir.resolve("init.snap").toString()).out());
        assertThat(j.get("version").asLong()).isZero();
    }

    @Test
    void badLinesAreReportedWithTheirNumberAndSkipped() throws IOException {
        Path events = events(8, "{\"id\": \"bad\", \"key\": \"smoke\", \"features\": [1, 2",
                "{\"id\": \"dim\", \"key\": \"smoke\", \"features\": [1, 2], \"label\": 1}");
        CliRun replay = CliRun.of("replay", "--config", config().toString(), "--events", events.toString(), "--out",
                dir.resolve("m.snap").toString());
        assertThat(replay.exitCode()).as(replay.err()).isZero();
        assertThat(replay.err()).contains(":9: skipped (malformed-json)").contains(":10: refused (wrong-dimension)")
                .contains("1 bad lines, 1 refused");
    }

    @Test
    void predictWritesOneLinePerEvent() throws IOException {
        Path events = events(12);
        CliRun.of("replay", "--config", config().toString(), "--events", events.toString(), "--out", dir.resolve("m.snap").toString());
        CliRun predict = CliRun.of("predict", "--snapshot", dir.resolve("m.snap").toString(), "--events", events.toString(),
                "--out", dir.resolve("p.jsonl").toString());
        assertThat(predict.exitCode()).as(predict.err()).isZero();
        List<String> lines = Files.readAllLines(dir.resolve("p.jsonl"));
        assertThat(lines).hasSize(12);
        JsonNode p = Json.MAPPER.readTree(lines.get(0));
        assertThat(p.get("id").asText()).isEqualTo("e0");
        assertThat(p.get("prediction").isInt()).isTrue();
        assertThat(p.get("scores").size()).isEqualTo(2);
        assertThat(p.get("version").asLong()).isEqualTo(2);
    }

    @Test
    void predictReportsAnUnusableEventWithItsDeadLetterReason() throws IOException {
        Path events = events(4);
        CliRun.of("replay", "--config", config().toString(), "--events", events.toString(), "--out", dir.resolve("m.snap").toString());
        Path bad = events(2, "{\"id\": \"big\", \"key\": \"smoke\", \"features\": [1e13, 0, 0, 0]}",
                "{\"id\": \"dim\", \"key\": \"smoke\", \"features\": [1, 2]}");
        CliRun predict = CliRun.of("predict", "--snapshot", dir.resolve("m.snap").toString(), "--events", bad.toString(),
                "--out", dir.resolve("p.jsonl").toString());
        assertThat(predict.exitCode()).as(predict.err()).isZero();
        // the codes of the dead-letter reasons (README), as replay and the job report them
        assertThat(predict.err()).contains(":3: skipped (value-too-large)").contains(":4: skipped (wrong-dimension)");
        assertThat(Files.readAllLines(dir.resolve("p.jsonl"))).hasSize(2);
    }

    @Test
    void configurationErrorsNameTheKeyAndExitWithTwo() throws IOException {
        CliRun typo = CliRun.of("replay", "--config", config().toString(), "--events", events(1).toString(), "--out",
                dir.resolve("x.snap").toString(), "--optimizer.lrr", "0.1");
        assertThat(typo.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(typo.err()).contains("optimizer.lrr").contains("did you mean 'optimizer.lr'");

        CliRun bad = CliRun.of("replay", "--config", config().toString(), "--events", events(1).toString(), "--out",
                dir.resolve("x.snap").toString(), "--optimizer.lr", "-1");
        assertThat(bad.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(bad.err()).contains("optimizer.lr");

        CliRun missing = CliRun.of("replay", "--config", dir.resolve("nope.properties").toString(), "--events",
                events(1).toString(), "--out", dir.resolve("x.snap").toString());
        assertThat(missing.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(missing.err()).contains("nope.properties");
    }

    @Test
    void outWithSeveralKeysIsAUsageError() throws IOException {
        Path events = events(4, "{\"id\": \"o1\", \"key\": \"other\", \"features\": [1, 2, 3, 4], \"label\": 1}");
        CliRun replay = CliRun.of("replay", "--config", config().toString(), "--events", events.toString(), "--out",
                dir.resolve("m.snap").toString());
        assertThat(replay.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(replay.err()).contains("--out-dir");
        CliRun perKey = CliRun.of("replay", "--config", config().toString(), "--events", events.toString(), "--out-dir",
                dir.resolve("models").toString());
        assertThat(perKey.exitCode()).as(perKey.err()).isZero();
        assertThat(dir.resolve("models/smoke.snap")).exists();
        assertThat(dir.resolve("models/other.snap")).exists();
    }
}
