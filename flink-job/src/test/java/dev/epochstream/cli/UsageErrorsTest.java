package dev.epochstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mistyped commands and options: a usage error (exit 2) that says what to type, found before any work. */
class UsageErrorsTest {

    @TempDir
    Path dir;

    private String config() throws IOException {
        // an unreachable broker: a command that contacted it first would fail with exit 1
        return CliRun.config(dir, "model.layers=2,2", "model.activations=softmax", "model.loss=cce",
                "kafka.bootstrap.servers=localhost:1", "topic.events=x").toString();
    }

    @Test
    void runChecksItsOptionsBeforeContactingKafka() throws IOException {
        CliRun moon = CliRun.of("run", "--config", config(), "--target", "moon");
        assertThat(moon.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(moon.err()).contains("--target must be local or remote, got 'moon'");
        CliRun noJm = CliRun.of("run", "--config", config(), "--target", "remote");
        assertThat(noJm.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(noJm.err()).contains("--target remote needs --jobmanager HOST:PORT");
        CliRun badPort = CliRun.of("run", "--config", config(), "--target", "remote", "--jobmanager", "h:abc");
        assertThat(badPort.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(badPort.err()).contains("--jobmanager h:abc: expected HOST:PORT").doesNotContain("NumberFormat");
    }

    @Test
    void aMistypedOptionSuggestsTheOption() throws IOException {
        Path events = dir.resolve("e.jsonl");
        Files.writeString(events, "");
        CliRun r = CliRun.of("replay", "--config", config(), "--events", events.toString(), "--out",
                dir.resolve("o.snap").toString(), "--metric", dir.resolve("m.jsonl").toString());
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err()).contains("unknown option '--metric': did you mean '--metrics'?");
    }

    @Test
    void theProgramNameIsPrintedOnce() {
        CliRun r = CliRun.of("bogus");
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err()).startsWith("epochstream: ").doesNotContain("epochstream epochstream");
    }
}
