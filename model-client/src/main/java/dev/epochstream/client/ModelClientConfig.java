package dev.epochstream.client;

import dev.epochstream.client.security.KafkaCredentials;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The validated settings of a {@link ModelClient} following a snapshot topic; built by
 * {@link ModelClientBuilder}. Invalid settings fail here, naming the setting.
 *
 * @param keys the model keys to serve; empty = every key on the topic
 * @param clientProperties extra Kafka consumer settings (security: {@code security.protocol},
 *     {@code sasl.*}, {@code ssl.*}; tuning). The settings the client owns are refused, see
 *     {@link #RESERVED}; {@code isolation.level} and {@code enable.auto.commit} may only repeat the value the
 *     client needs.
 * @param bootstrapTimeout how long {@link ModelClient#start()} waits for the initial read
 * @param pollTimeout the longest one poll of the consumer blocks
 * @param historySize valid versions kept per key for pin and rollback (the serving one included)
 * @param clientId the consumer's {@code client.id} (also in its metrics and logs)
 * @param partitionCheckInterval how often the topic's partitions are listed again, so that partitions added
 *     to it are followed from their beginning (the consumer's {@code metadata.max.age.ms}, 5 minutes by
 *     default, bounds how old that list may be)
 */
public record ModelClientConfig(String bootstrapServers, String topic, Set<String> keys,
                                Map<String, String> clientProperties, Duration bootstrapTimeout,
                                Duration pollTimeout, int historySize, String clientId,
                                Duration partitionCheckInterval) {

    /** Consumer settings the client sets itself. */
    public static final Set<String> RESERVED = Set.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ConsumerConfig.CLIENT_ID_CONFIG);

    /** Largest history: each held version keeps its parameters in memory. */
    public static final int MAX_HISTORY = 100;

    public ModelClientConfig {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrapServers is required (host:port[,host:port...])");
        }
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("topic is required (the snapshot topic)");
        }
        Objects.requireNonNull(keys, "keys");
        for (String k : keys) {
            if (k == null) {
                throw new IllegalArgumentException("keys must not contain null");
            }
        }
        keys = Collections.unmodifiableSet(new TreeSet<>(keys));
        Objects.requireNonNull(clientProperties, "clientProperties");
        for (Map.Entry<String, String> e : clientProperties.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("client properties must not hold null keys or values");
            }
            if (RESERVED.contains(e.getKey())) {
                throw new IllegalArgumentException("client property '" + e.getKey() + "' is set by the model client"
                        + " (use the builder's bootstrapServers/clientId); remove it");
            }
        }
        requireValue(clientProperties, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                "only committed snapshots may be served");
        requireValue(clientProperties, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                "the client reads from the beginning on every start and commits nothing");
        requireValue(clientProperties, ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false",
                "a misspelt snapshot topic must fail start(), not be created empty by the broker");
        clientProperties = Collections.unmodifiableMap(new LinkedHashMap<>(clientProperties));
        requirePositive(bootstrapTimeout, "bootstrapTimeout");
        requirePositive(pollTimeout, "pollTimeout");
        if (historySize < 1 || historySize > MAX_HISTORY) {
            throw new IllegalArgumentException("historySize must be in [1, " + MAX_HISTORY + "], got " + historySize);
        }
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("clientId must not be blank");
        }
        requirePositive(partitionCheckInterval, "partitionCheckInterval");
    }

    /** The consumer's settings: the client properties plus the ones the client owns. */
    public Properties consumerProperties() {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // Kafka's default (true) lets a broker with auto.create.topics.enable (its default too) create a missing
        // topic when the client asks for its partitions: start() would then serve nothing instead of failing.
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        // Positions start at the beginning explicitly; this only matters if they ever fall off the log.
        p.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return p;
    }

    /** The settings with every secret client property (sasl.jaas.config, ssl passwords) hidden. */
    @Override
    public String toString() {
        return "ModelClientConfig[bootstrapServers=" + bootstrapServers + ", topic=" + topic + ", keys=" + keys
                + ", clientProperties=" + KafkaCredentials.redacted(clientProperties, "") + ", bootstrapTimeout="
                + bootstrapTimeout + ", pollTimeout=" + pollTimeout + ", historySize=" + historySize + ", clientId="
                + clientId + ", partitionCheckInterval=" + partitionCheckInterval + "]";
    }

    private static void requireValue(Map<String, String> props, String key, String value, String why) {
        String given = props.get(key);
        if (given != null && !given.trim().equalsIgnoreCase(value)) {
            throw new IllegalArgumentException("client property " + key + "=" + given + " is not allowed: the model"
                    + " client needs " + value + " (" + why + ")");
        }
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
        }
    }
}
