package dev.epochstream.cli;

import dev.epochstream.learner.config.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bin/epochstream}: the command line of epochstream.
 *
 * <p>Exit codes: 0 success; 1 failure while running (I/O, an unreachable broker, a failed job);
 * 2 usage or configuration error (unknown option, bad value, missing file).
 */
@Command(name = "epochstream", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Online learning of small neural networks over Kafka streams, inside Apache Flink.",
        subcommands = {DemoCommand.class, RunCommand.class, ReplayCommand.class, InspectCommand.class,
                PredictCommand.class, ProduceCommand.class, WatchCommand.class, BrokerCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 success, 1 failure while running, 2 usage or configuration error.",
                "Run 'epochstream COMMAND --help' for a command's options and an example."})
public final class Main implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: use one of "
                + String.join(", ", spec.subcommands().keySet()));
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (for tests and main). */
    public static int run(String... args) {
        return run(System.getenv(), args);
    }

    /**
     * As {@link #run(String...)}, with the commands that log in to Kafka reading the SASL variables
     * (EPOCHSTREAM_KAFKA_*) from {@code environment} instead of the process environment (tests).
     */
    static int run(Map<String, String> environment, String... args) {
        CommandLine cl = new CommandLine(new Main());
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (sub.getCommand() instanceof UsesEnvironment command) {
                command.environment(environment);
            }
        }
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            String name = commandLine == cl ? "epochstream" : "epochstream " + commandLine.getCommandName();
            if (ex instanceof ConfigException) {
                err.println(name + ": configuration error: " + ex.getMessage());
                return EXIT_USAGE;
            }
            if (ex instanceof NoSuchFileException nsf) {
                err.println(name + ": file not found: " + nsf.getFile());
                return EXIT_USAGE;
            }
            if (ex instanceof UsageException) {
                err.println(name + ": " + ex.getMessage());
                return EXIT_USAGE;
            }
            if (ex instanceof IOException) {
                err.println(name + ": " + ex.getMessage());
                return EXIT_FAILURE;
            }
            err.println(name + ": failed: " + ex);
            if (System.getenv("EPOCHSTREAM_DEBUG") != null) {
                ex.printStackTrace(err);
            }
            return EXIT_FAILURE;
        });
        cl.setParameterExceptionHandler((ex, args1) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            // the top level's name is "epochstream" itself: print it once
            err.println("epochstream" + (ex.getCommandLine() == cl ? "" : " " + ex.getCommandLine().getCommandName())
                    + ": " + ex.getMessage());
            err.println("Try 'epochstream " + (ex.getCommandLine() == cl ? "" : ex.getCommandLine().getCommandName() + " ")
                    + "--help' for usage.");
            return EXIT_USAGE;
        });
        return cl.execute(args);
    }

    /** A command that reads environment variables (the Kafka login); {@link #run} hands them over. */
    interface UsesEnvironment {
        void environment(Map<String, String> environment);
    }

    /** A usage error found while running (for example --out with several keys). */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"epochstream " + (v == null ? "(development build)" : v)};
        }
    }
}
