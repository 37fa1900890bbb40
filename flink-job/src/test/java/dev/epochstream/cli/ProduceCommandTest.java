package dev.epochstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage errors, found before any broker is contacted: exit 2 and one line naming the problem. */
class ProduceCommandTest {
    private static final String[] BASE = {"produce", "--bootstrap", "127.0.0.1:1", "--topic", "t"};

    private static CliRun produce(String... more) {
        String[] args = new String[BASE.length + more.length];
        System.arraycopy(BASE, 0, args, 0, BASE.length);
        System.arraycopy(more, 0, args, BASE.length, more.length);
        return CliRun.of(args);
    }

    private static void assertUsageError(CliRun run, String message) {
        assertThat(run.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(run.err()).startsWith("epochstream produce: ").contains(message);
    }

    @Test
    void unknownGeneratorNamesTheKnownOnes() {
        assertUsageError(produce("--generator", "agrawal"), "unknown generator 'agrawal': use one of hyperplane, sea, rbf, friedman");
    }

    @Test
    void fileAndGeneratorExcludeEachOtherAndOneIsRequired() {
        assertUsageError(produce("--generator", "sea", "--file", "x.csv"), "mutually exclusive");
        assertUsageError(produce(), "Missing required argument");
    }

    @Test
    void optionsOfTheOtherSourceAreRefused(@TempDir Path dir) throws Exception {
        assertUsageError(produce("--generator", "sea", "--repeat", "2"), "--repeat applies to --file");
        Path csv = Files.writeString(dir.resolve("a.csv"), "x,label\n1,0\n");
        assertUsageError(produce("--file", csv.toString(), "--keys", "3"), "--keys applies to --generator");
        assertUsageError(produce("--file", csv.toString(), "--dimension", "3"), "--dimension applies to LIBSVM");
    }

    @Test
    void badNumbersAndFormats(@TempDir Path dir) throws Exception {
        assertUsageError(produce("--generator", "sea", "--rate", "-1"), "--rate must be a number >= 0");
        assertUsageError(produce("--generator", "sea", "--keys", "0"), "--keys must be >= 1");
        assertUsageError(produce("--generator", "sea", "--count", "-5"), "--count must be >= 0");
        Path txt = Files.writeString(dir.resolve("a.txt"), "1 1:1\n");
        assertUsageError(produce("--file", txt.toString()), "give --format csv, jsonl or libsvm");
        assertUsageError(produce("--file", txt.toString(), "--format", "parquet"), "unknown --format 'parquet'");
        assertUsageError(produce("--generator", "sea", "--avro", "--json"), "mutually exclusive");
    }

    @Test
    void missingFileAndUnknownOption(@TempDir Path dir) {
        assertUsageError(produce("--file", dir.resolve("none.csv").toString()), "file not found: ");
        CliRun run = produce("--generator", "sea", "--bogus");
        assertUsageError(run, "Unknown option: '--bogus'");
    }

    @Test
    void helpHasExamples() {
        for (String command : new String[] {"produce", "watch", "broker"}) {
            CliRun run = CliRun.of(command, "--help");
            assertThat(run.exitCode()).isZero();
            assertThat(run.out()).contains("Example", "epochstream " + command);
        }
    }

    @Test
    void brokerOptionsAreValidatedBeforeStarting() {
        CliRun run = CliRun.of("broker", "--topics", "a:x");
        assertThat(run.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(run.err()).isEqualTo("epochstream broker: --topics a:x: 'x' is not a number of partitions\n");
        run = CliRun.of("broker", "--topics", "a:0");
        assertThat(run.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(run.err()).contains("partitions must be >= 1");
        run = CliRun.of("broker", "--sasl", "nocolon");
        assertThat(run.err()).contains("--sasl expects USER:PASSWORD");
    }
}
