package dev.epochstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.job.SnapshotFiles;
import dev.epochstream.schemas.ModelSnapshot;
import dev.epochstream.schemas.OptimizerSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** replay refuses what it cannot use before it trains: snapshots, output paths, window sizes. */
class ReplayChecksTest {

    @TempDir
    Path dir;

    private String config() throws IOException {
        return CliRun.config(dir, "model.layers=2,3,2", "model.activations=tanh,softmax", "model.loss=cce",
                "optimizer=adam", "optimizer.lr=0.05", "epoch.window=count:4", "snapshot.publish=every",
                "snapshot.optimizer-state=true", "kafka.bootstrap.servers=localhost:1", "topic.events=x").toString();
    }

    private String events(String key, int n) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add(String.format(Locale.ROOT, "{\"id\": \"e%d\", \"key\": \"%s\", \"time\": %d, \"features\": [%d, 1], \"label\": %d}",
                    i, key, 1_700_000_000_000L + i, i % 3, i % 2));
        }
        Path f = dir.resolve("events-" + Math.abs(key.hashCode()) + "-" + n + ".jsonl");
        Files.write(f, lines);
        return f.toString();
    }

    private Path trained() throws IOException {
        Path snap = dir.resolve("m.snap");
        CliRun r = CliRun.of("replay", "--config", config(), "--events", events("k", 8), "--out", snap.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        return snap;
    }

    @Test
    void initUnderAnotherArchitectureIsAConfigurationErrorNamingTheKey() throws IOException {
        Path snap = trained();
        CliRun r = CliRun.of("replay", "--config", config(), "--events", events("k", 8), "--init", snap.toString(),
                "--out", dir.resolve("o.snap").toString(), "--model.activations", "relu,softmax");
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err()).contains("configuration error").contains(
                "model.activations is relu,softmax in the configuration but tanh,softmax in the snapshot");
        assertThat(dir.resolve("o.snap")).doesNotExist();

        CliRun layers = CliRun.of("replay", "--config", config(), "--events", events("k", 8), "--init", snap.toString(),
                "--out", dir.resolve("o.snap").toString(), "--model.layers", "2,4,2");
        assertThat(layers.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(layers.err()).contains("model.layers is 2,4,2 in the configuration but 2,3,2 in the snapshot")
                .doesNotContain("IllegalArgumentException");
    }

    @Test
    void initWithOptimizerStateThatCannotBeResumedIsRefused() throws IOException {
        Path snap = trained();
        ModelSnapshot s = SnapshotFiles.read(snap);
        OptimizerSnapshot o = s.getOptimizerState();
        assertThat(o).isNotNull();
        o.setStep(-7);
        Path bad = dir.resolve("bad.snap");
        SnapshotFiles.write(bad, s);
        CliRun inspect = CliRun.of("inspect", bad.toString());
        assertThat(inspect.exitCode()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(inspect.out()).contains("optimizer state: step -7 is negative");
        CliRun r = CliRun.of("replay", "--config", config(), "--events", events("k", 8), "--init", bad.toString(),
                "--out", dir.resolve("o.snap").toString());
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(r.err()).contains("is not a usable snapshot: optimizer state: step -7 is negative")
                .doesNotContain("ArrayIndexOutOfBounds");
    }

    @Test
    void outDirWritesEveryKeyUnderANameThatFits() throws IOException {
        String longKey = "k".repeat(300);
        Path both = dir.resolve("both.jsonl");
        Files.write(both, List.of(Files.readString(Path.of(events(longKey, 3))).strip(),
                Files.readString(Path.of(events("short key", 3))).strip()));
        CliRun r = CliRun.of("replay", "--config", config(), "--events", both.toString(), "--out-dir",
                dir.resolve("models").toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(dir.resolve("models/short+key.snap")).exists();
        try (var files = Files.list(dir.resolve("models"))) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertThat(names).hasSize(2);
            assertThat(names.get(0)).matches("k{160}~[0-9a-f]{32}\\.snap");
            assertThat(SnapshotFiles.read(dir.resolve("models").resolve(names.get(0))).getKey()).isEqualTo(longKey);
        }
        assertThat(OutputPaths.snapshotFileName("k".repeat(300))).isNotEqualTo(OutputPaths.snapshotFileName("k".repeat(301)));
    }

    @Test
    void outputPathsAreCheckedBeforeTraining() throws IOException {
        String events = events("k", 8);
        CliRun nested = CliRun.of("replay", "--config", config(), "--events", events, "--out",
                Path.of(events).resolve("x.snap").toString());
        assertThat(nested.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(nested.err()).contains("--out").contains("is a file, not a directory").doesNotContain("replay: 8 events");

        Path metrics = dir.resolve("new/dir/m.jsonl");
        CliRun created = CliRun.of("replay", "--config", config(), "--events", events, "--out",
                dir.resolve("o.snap").toString(), "--metrics", metrics.toString());
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(Files.readAllLines(metrics)).hasSize(2);

        Path none = dir.resolve("m2.jsonl");
        CliRun missing = CliRun.of("replay", "--config", config(), "--events", dir.resolve("none.jsonl").toString(),
                "--out", dir.resolve("o2.snap").toString(), "--metrics", none.toString());
        assertThat(missing.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(missing.err()).contains("none.jsonl");
        assertThat(none).doesNotExist();

        CliRun predict = CliRun.of("predict", "--snapshot", dir.resolve("o.snap").toString(), "--events", events,
                "--out", dir.resolve("p/q/p.jsonl").toString());
        assertThat(predict.exitCode()).as(predict.err()).isZero();
        assertThat(Files.readAllLines(dir.resolve("p/q/p.jsonl"))).hasSize(8);
    }

    @Test
    void aHugeCountWindowIsNotAllocatedUpFront() throws IOException {
        CliRun r = CliRun.of("replay", "--config", config(), "--events", events("k", 8), "--out",
                dir.resolve("o.snap").toString(), "--epoch.window", "count:2000000000");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("8 events, 1 keys, 1 epochs");
    }

    @Test
    void aFileWithoutOneValidEventSaysSo() throws IOException {
        Path bad = dir.resolve("bad.jsonl");
        Files.write(bad, List.of("{", "not json"));
        CliRun r = CliRun.of("replay", "--config", config(), "--events", bad.toString(), "--out",
                dir.resolve("o.snap").toString());
        assertThat(r.err()).contains("no valid events in " + bad);
    }
}
