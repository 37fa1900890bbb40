package dev.epochstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The demo runs end to end for 30 s and prints epochs for every key, charts and served predictions. */
class DemoCommandITCase {

    @Test
    void theDemoPrintsEpochsForEveryKeyAndServesPredictions() {
        CliRun run = CliRun.of("demo", "--duration", "30s", "--keys", "2", "--rate", "200", "--window", "50",
                "--chart-every", "12s");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("first epoch after");
        for (String key : new String[] {"model-0", "model-1"}) {
            assertThat(run.out().lines().filter(l -> l.startsWith(key + " ")).count())
                    .as("epoch lines of %s", key).isGreaterThanOrEqualTo(1);
        }
        assertThat(run.out()).contains("served by the model client from the newest snapshots:");
        assertThat(run.out()).containsPattern("model-0 +v\\d+ +predicted [01], label [01]");
        assertThat(run.out()).contains("epochstream demo: stopped after");
    }

    @Test
    void badOptionsAreUsageErrors() {
        CliRun run = CliRun.of("demo", "--generator", "nope");
        assertThat(run.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(run.err()).contains("nope");
    }
}
