package dev.epochstream.kafka.embedded;

import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs an embedded broker until the process is stopped (SIGTERM or Ctrl-C; a shutdown hook closes the broker
 * and deletes its data). The first line on stdout is {@code bootstrap.servers=127.0.0.1:PORT}, so scripts can
 * read it; everything else goes to stderr.
 *
 * <pre>
 * java -cp ... dev.epochstream.kafka.embedded.EmbeddedKafkaMain [--port P] [--topics a,b:3] [--sasl user:password]...
 * </pre>
 */
public final class EmbeddedKafkaMain {

    static final String USAGE = String.join(System.lineSeparator(),
            "usage: EmbeddedKafkaMain [--port P] [--topics NAME[:PARTITIONS],...] [--sasl USER:PASSWORD]...",
            "  --port P      client port on 127.0.0.1 (default: a free one)",
            "  --topics      topics to create, e.g. events,snapshots:3 (default 1 partition each); repeatable",
            "  --sasl        require SASL/SCRAM (SHA-256 and SHA-512) and add this user; repeatable",
            "Prints bootstrap.servers=127.0.0.1:PORT on stdout, then runs until SIGTERM or Ctrl-C.");

    private EmbeddedKafkaMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(USAGE);
            return;
        }
        EmbeddedKafka.Builder builder;
        try {
            builder = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        EmbeddedKafka kafka = builder.start();
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                kafka.close();
            } finally {
                closed.countDown();
            }
        }, "embedded-kafka-shutdown"));
        System.out.println("bootstrap.servers=" + kafka.bootstrapServers());
        System.out.flush();
        EmbeddedKafkaConfig config = kafka.config();
        if (config.saslEnabled()) {
            System.err.println("SASL_PLAINTEXT with SCRAM-SHA-256 or SCRAM-SHA-512 for users "
                    + config.scramUsers().keySet());
        }
        System.err.println("Embedded Kafka running; stop with SIGTERM or Ctrl-C.");
        // The shutdown hook releases this; then the JVM finishes exiting.
        closed.await();
    }

    /**
     * The broker settings the arguments ask for.
     *
     * @throws IllegalArgumentException naming the bad option or value
     */
    static EmbeddedKafka.Builder parse(String... args) {
        EmbeddedKafka.Builder builder = EmbeddedKafka.builder();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (!option.equals("--port") && !option.equals("--topics") && !option.equals("--sasl")) {
                throw new IllegalArgumentException("unknown option '" + option + "'");
            }
            if (i + 1 == args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--port" -> builder.port(parseInt(option, value));
                case "--topics" -> {
                    for (String topic : value.split(",", -1)) {
                        builder.topic(parseTopic(topic));
                    }
                }
                default -> {
                    int colon = value.indexOf(':');
                    if (colon <= 0) {
                        throw new IllegalArgumentException("--sasl expects USER:PASSWORD, got '" + value + "'");
                    }
                    // The password is everything after the first colon, so it may contain colons itself.
                    builder.saslScram(Map.of(value.substring(0, colon), value.substring(colon + 1)));
                }
            }
        }
        // Validate now, so a bad value is reported as a usage error rather than a start-up failure.
        builder.config();
        return builder;
    }

    private static TopicSpec parseTopic(String topic) {
        int colon = topic.lastIndexOf(':');
        if (colon < 0) {
            return TopicSpec.of(topic);
        }
        return TopicSpec.of(topic.substring(0, colon), parseInt("--topics " + topic, topic.substring(colon + 1)));
    }

    private static int parseInt(String what, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": '" + value + "' is not a number");
        }
    }
}
