package dev.epochstream.cli;

import dev.epochstream.kafka.embedded.EmbeddedKafka;
import dev.epochstream.kafka.embedded.EmbeddedKafkaMain;
import dev.epochstream.kafka.embedded.TopicSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the embedded single-node KRaft broker standalone through {@link EmbeddedKafkaMain}, after checking
 * the options with this command line's usage errors: the first stdout line is
 * {@code bootstrap.servers=HOST:PORT}; Ctrl-C or SIGTERM closes the broker and deletes its data.
 */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Run an embedded single-node Kafka broker (KRaft, data in a temporary directory) until Ctrl-C or SIGTERM.",
        footer = {"", "The first line on stdout is bootstrap.servers=127.0.0.1:PORT; the rest goes to stderr.", "",
                "Examples:",
                "  epochstream broker --port 9092 --topics epochstream.events:3,epochstream.metrics,epochstream.snapshots",
                "  epochstream broker --sasl alice:secret    # SASL/SCRAM-SHA-256/512 required"})
final class BrokerCommand implements Callable<Integer> {

    @Option(names = "--port", paramLabel = "P", description = "Client port on 127.0.0.1 (default: a free one).")
    Integer port;

    @Option(names = "--topics", paramLabel = "NAME[:PARTITIONS],...", split = ",",
            description = "Topics to create, e.g. events:3,metrics (1 partition unless given); repeatable.")
    List<String> topics = new ArrayList<>();

    @Option(names = "--sasl", paramLabel = "USER:PASSWORD",
            description = "Require SASL/SCRAM (SHA-256 and SHA-512) and add this user; repeatable.")
    List<String> sasl = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        // Validate here, so that a bad value is this command line's one-line usage error (exit 2); then run
        // the broker exactly as EmbeddedKafkaMain does (same output, same shutdown).
        builder();
        List<String> args = new ArrayList<>();
        if (port != null) {
            args.add("--port");
            args.add(String.valueOf(port));
        }
        for (String t : topics) {
            args.add("--topics");
            args.add(t);
        }
        for (String user : sasl) {
            args.add("--sasl");
            args.add(user);
        }
        EmbeddedKafkaMain.main(args.toArray(new String[0]));
        return Main.EXIT_OK;
    }

    /** The broker the options ask for, validated (a bad value is a usage error naming it). */
    EmbeddedKafka.Builder builder() {
        EmbeddedKafka.Builder b = EmbeddedKafka.builder();
        try {
            if (port != null) {
                b.port(port);
            }
            for (String t : topics) {
                b.topic(topic(t));
            }
            for (String user : sasl) {
                int colon = user.indexOf(':');
                if (colon <= 0) {
                    throw new Main.UsageException("--sasl expects USER:PASSWORD, got '" + user + "'");
                }
                // The password is everything after the first colon, so it may hold colons itself.
                b.saslScram(java.util.Map.of(user.substring(0, colon), user.substring(colon + 1)));
            }
            b.config();
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException(e.getMessage());
        }
        return b;
    }

    private static TopicSpec topic(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            return TopicSpec.of(text);
        }
        String partitions = text.substring(colon + 1);
        try {
            return TopicSpec.of(text.substring(0, colon), Integer.parseInt(partitions));
        } catch (NumberFormatException e) {
            throw new Main.UsageException("--topics " + text + ": '" + partitions + "' is not a number of partitions");
        }
    }
}
