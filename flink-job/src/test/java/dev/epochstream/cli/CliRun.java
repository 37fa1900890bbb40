package dev.epochstream.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** One in-process run of the command line, with what it printed. */
record CliRun(int exitCode, String out, String err) {

    /** Runs {@link Main#run} with stdout and stderr captured (tests of this module do not run in parallel). */
    /** Writes {@code lines} as {@code dir/job.properties}, a configuration for {@code --config}; returns its path. */
    static Path config(Path dir, String... lines) throws IOException {
        Path f = dir.resolve("job.properties");
        Files.writeString(f, String.join("\n", lines));
        return f;
    }

    static CliRun of(String... args) {
        return of(System.getenv(), args);
    }

    /** As {@link #of(String...)}, the commands seeing {@code environment} as their environment variables. */
    static synchronized CliRun of(java.util.Map<String, String> environment, String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(o);
            System.setErr(e);
            int code = Main.run(environment, args);
            return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
