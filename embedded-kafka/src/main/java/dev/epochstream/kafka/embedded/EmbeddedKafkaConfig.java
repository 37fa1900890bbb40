package dev.epochstream.kafka.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What an {@link EmbeddedKafka} broker is started with. Immutable and validated here, so that a bad
 * setting fails before any port is bound or directory created, with a message naming it.
 *
 * @param brokerProperties overrides of the broker defaults (see {@link EmbeddedKafka}); the keys that
 *     wire the node together (listeners, roles, directories...) are {@link #RESERVED_KEYS reserved}
 * @param topics topics created before {@code start()} returns
 * @param scramUsers SASL/SCRAM users and their passwords; empty means a PLAINTEXT client listener
 * @param dataParent the directory below which the broker's temporary data directory is created; null
 *     means {@code java.io.tmpdir}
 * @param port the client listener port; 0 picks a free one
 * @param startupTimeout how long {@code start()} waits for the broker to answer
 */
public record EmbeddedKafkaConfig(
        Map<String, String> brokerProperties,
        List<TopicSpec> topics,
        Map<String, String> scramUsers,
        Path dataParent,
        int port,
        Duration startupTimeout) {

    /**
     * Broker keys this class sets itself: overriding one would disconnect the node from its own listeners
     * or data, so it is rejected rather than silently half-applied.
     */
    public static final Set<String> RESERVED_KEYS = Set.of(
            "process.roles", "node.id", "controller.quorum.voters", "controller.quorum.bootstrap.servers",
            "listeners", "advertised.listeners", "controller.listener.names", "inter.broker.listener.name",
            "listener.security.protocol.map", "log.dirs", "log.dir", "metadata.log.dir",
            "sasl.enabled.mechanisms", "sasl.mechanism.inter.broker.protocol");

    /** The user the broker itself (inter-broker traffic) and {@link EmbeddedKafka#clientProperties()} use. */
    public static final String ADMIN_USER = "epochstream-admin";

    public EmbeddedKafkaConfig {
        Objects.requireNonNull(brokerProperties, "brokerProperties");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(scramUsers, "scramUsers");
        Objects.requireNonNull(startupTimeout, "startupTimeout");
        for (Map.Entry<String, String> e : brokerProperties.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("broker property keys and values must not be null");
            }
            if (RESERVED_KEYS.contains(e.getKey())) {
                throw new IllegalArgumentException("broker property '" + e.getKey()
                        + "' is set by EmbeddedKafka itself and cannot be overridden");
            }
            if (e.getKey().startsWith("listener.name.") && e.getKey().contains(".sasl.jaas.config")) {
                throw new IllegalArgumentException("broker property '" + e.getKey()
                        + "' is set by EmbeddedKafka itself: use saslScram(...) to declare users");
            }
        }
        Set<String> names = new HashSet<>();
        for (TopicSpec t : topics) {
            if (!names.add(Objects.requireNonNull(t, "topic").name())) {
                throw new IllegalArgumentException("topic '" + t.name() + "' is declared twice");
            }
        }
        for (Map.Entry<String, String> e : scramUsers.entrySet()) {
            String user = e.getKey();
            if (user == null || user.isEmpty() || user.indexOf(',') >= 0) {
                // The storage formatter reads credentials as comma-separated key=value pairs.
                throw new IllegalArgumentException("SCRAM user name '" + user + "' must be non-empty, without ','");
            }
            if (user.equals(ADMIN_USER)) {
                throw new IllegalArgumentException("SCRAM user name '" + ADMIN_USER
                        + "' is reserved for the broker's own admin user");
            }
            if (e.getValue() == null || e.getValue().isEmpty()) {
                throw new IllegalArgumentException("SCRAM user '" + user + "' needs a non-empty password");
            }
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in [0, 65535] (0 = any free port), got " + port);
        }
        if (startupTimeout.isNegative() || startupTimeout.isZero()) {
            throw new IllegalArgumentException("startupTimeout must be positive, got " + startupTimeout);
        }
        brokerProperties = Collections.unmodifiableMap(new LinkedHashMap<>(brokerProperties));
        topics = List.copyOf(topics);
        scramUsers = Collections.unmodifiableMap(new LinkedHashMap<>(scramUsers));
    }

    /** Whether clients must authenticate with SASL/SCRAM. */
    public boolean saslEnabled() {
        return !scramUsers.isEmpty();
    }
}
