package dev.epochstream.kafka.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The fluent settings shared by {@link EmbeddedKafka.Builder} and {@link EmbeddedKafkaExtension.Builder};
 * each subclass adds its own terminal method. Validation happens in {@link EmbeddedKafkaConfig}.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class EmbeddedKafkaConfigBuilder<B extends EmbeddedKafkaConfigBuilder<B>> {

    /** Cold start of a KRaft broker takes ~2 s; a loaded CI machine can take far longer. */
    static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);

    private final Map<String, String> brokerProperties = new LinkedHashMap<>();
    private final List<TopicSpec> topics = new ArrayList<>();
    private final Map<String, String> scramUsers = new LinkedHashMap<>();
    private Path dataParent;
    private int port;
    private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;

    EmbeddedKafkaConfigBuilder() {
    }

    /** The concrete builder ({@code this}). */
    abstract B self();

    /** Overrides a broker default, e.g. {@code brokerProperty("log.retention.ms", "-1")}. */
    public B brokerProperty(String key, String value) {
        brokerProperties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return self();
    }

    /** A topic created before the broker is handed out. */
    public B topic(TopicSpec topic) {
        topics.add(Objects.requireNonNull(topic, "topic"));
        return self();
    }

    /** Topics created before the broker is handed out. */
    public B topics(Collection<TopicSpec> specs) {
        for (TopicSpec t : specs) {
            topic(t);
        }
        return self();
    }

    /**
     * Requires SASL/SCRAM on the client listener (SCRAM-SHA-256 and SCRAM-SHA-512 are both enabled, each
     * user gets credentials for both). The broker adds its own admin user for inter-broker traffic and
     * for {@link EmbeddedKafka#clientProperties()}. May be called more than once; users accumulate.
     */
    public B saslScram(Map<String, String> usersToPasswords) {
        scramUsers.putAll(usersToPasswords);
        return self();
    }

    /** The directory in which the broker's own temporary data directory is created (and deleted on close). */
    public B logDir(Path parent) {
        this.dataParent = Objects.requireNonNull(parent, "logDir");
        return self();
    }

    /** A fixed client port; by default a free port is picked. */
    public B port(int clientPort) {
        this.port = clientPort;
        return self();
    }

    /** How long {@code start} waits for the broker to become ready. */
    public B startupTimeout(Duration timeout) {
        this.startupTimeout = Objects.requireNonNull(timeout, "startupTimeout");
        return self();
    }

    /** The validated settings gathered so far. */
    public EmbeddedKafkaConfig config() {
        return new EmbeddedKafkaConfig(brokerProperties, topics, scramUsers, dataParent, port, startupTimeout);
    }
}
