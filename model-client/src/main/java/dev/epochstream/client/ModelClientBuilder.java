package dev.epochstream.client;

import dev.epochstream.client.security.KafkaCredentials;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;

/**
 * Fluent settings of a {@link ModelClient} that follows a snapshot topic:
 *
 * <pre>{@code
 * ModelClient client = ModelClient.builder()
 *         .bootstrapServers("broker:9092")
 *         .topic("model-snapshots")
 *         .keys("fraud-eu", "fraud-us")          // default: every key on the topic
 *         .properties(securitySettings)           // security.protocol, sasl.*, ssl.*
 *         .credentialsFromEnvironment()           // or a SCRAM login from EPOCHSTREAM_KAFKA_USERNAME/PASSWORD
 *         .build()
 *         .start();                               // returns once the topic was read to its end
 * }</pre>
 *
 * {@link #build()} validates (see {@link ModelClientConfig}) and names the setting at fault.
 */
public final class ModelClientBuilder {
    /** Default of {@link #bootstrapTimeout}. */
    public static final Duration DEFAULT_BOOTSTRAP_TIMEOUT = Duration.ofSeconds(60);
    /** Default of {@link #pollTimeout}. */
    public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(500);
    /** Default of {@link #partitionCheckInterval}. */
    public static final Duration DEFAULT_PARTITION_CHECK_INTERVAL = Duration.ofSeconds(30);
    /** Default of {@link #historySize}. */
    public static final int DEFAULT_HISTORY_SIZE = 5;

    private String bootstrapServers;
    private String topic;
    private final Set<String> keys = new LinkedHashSet<>();
    private final Map<String, String> properties = new LinkedHashMap<>();
    private Duration bootstrapTimeout = DEFAULT_BOOTSTRAP_TIMEOUT;
    private Duration pollTimeout = DEFAULT_POLL_TIMEOUT;
    private int historySize = DEFAULT_HISTORY_SIZE;
    private Duration partitionCheckInterval = DEFAULT_PARTITION_CHECK_INTERVAL;
    private String clientId;
    private KafkaCredentials credentials;
    private Clock clock = Clock.systemUTC();
    private final List<ModelClientListener> listeners = new ArrayList<>();

    ModelClientBuilder() {
    }

    /** The Kafka cluster: {@code host:port[,host:port...]}. Required. */
    public ModelClientBuilder bootstrapServers(String servers) {
        this.bootstrapServers = servers;
        return this;
    }

    /** The compacted snapshot topic the learner publishes to. Required. */
    public ModelClientBuilder topic(String topic) {
        this.topic = topic;
        return this;
    }

    /** Serve only these keys (adds to earlier calls); by default every key on the topic is served. */
    public ModelClientBuilder keys(String... keys) {
        return keys(Arrays.asList(keys));
    }

    /** Serve only these keys (adds to earlier calls). */
    public ModelClientBuilder keys(Collection<String> keys) {
        this.keys.addAll(keys);
        return this;
    }

    /** One Kafka consumer setting, e.g. {@code security.protocol=SASL_SSL}. */
    public ModelClientBuilder property(String key, String value) {
        properties.put(key, value);
        return this;
    }

    /** Kafka consumer settings (values are turned into strings), e.g. the security settings of a service. */
    public ModelClientBuilder properties(Properties props) {
        for (String name : props.stringPropertyNames()) {
            properties.put(name, props.getProperty(name));
        }
        return this;
    }

    /** Kafka consumer settings. */
    public ModelClientBuilder properties(Map<String, String> props) {
        properties.putAll(props);
        return this;
    }

    /**
     * Logs in with SASL/SCRAM as {@code credentials} (null: no login). At {@link #build()} they become
     * {@code security.protocol}, {@code sasl.mechanism} and {@code sasl.jaas.config}; those given as
     * properties win (see {@link KafkaCredentials#applyTo}).
     */
    public ModelClientBuilder credentials(KafkaCredentials credentials) {
        this.credentials = credentials;
        return this;
    }

    /**
     * Logs in with the SASL/SCRAM login of the environment variables {@value KafkaCredentials#USERNAME_VARIABLE},
     * {@value KafkaCredentials#PASSWORD_VARIABLE} and optionally {@value KafkaCredentials#MECHANISM_VARIABLE};
     * without them nothing changes.
     *
     * @throws dev.epochstream.learner.config.ConfigException naming the variable when they are incomplete
     */
    public ModelClientBuilder credentialsFromEnvironment() {
        return credentialsFromEnvironment(System.getenv());
    }

    /** {@link #credentialsFromEnvironment()} with the variables of {@code environment} (tests). */
    ModelClientBuilder credentialsFromEnvironment(Map<String, String> environment) {
        return credentials(KafkaCredentials.fromEnvironment(environment).orElse(null));
    }

    /** How long {@link ModelClient#start()} waits for the initial read of the topic (default 60 s). */
    public ModelClientBuilder bootstrapTimeout(Duration timeout) {
        this.bootstrapTimeout = timeout;
        return this;
    }

    /** The longest a single poll blocks (default 500 ms); {@code close()} does not wait for it. */
    public ModelClientBuilder pollTimeout(Duration timeout) {
        this.pollTimeout = timeout;
        return this;
    }

    /**
     * How often the snapshot topic's partitions are listed again (default 30 s): partitions added to the topic
     * after {@link ModelClient#start()} are followed from their beginning. The list comes from the consumer's
     * metadata, which is at most {@code metadata.max.age.ms} old (a client property; Kafka's default 5 min).
     */
    public ModelClientBuilder partitionCheckInterval(Duration interval) {
        this.partitionCheckInterval = interval;
        return this;
    }

    /** Valid versions kept per key for pin and rollback, the newest included (default 5). */
    public ModelClientBuilder historySize(int versions) {
        this.historySize = versions;
        return this;
    }

    /** The consumer's {@code client.id} (default {@code epochstream-model-client-<topic>}). */
    public ModelClientBuilder clientId(String clientId) {
        this.clientId = clientId;
        return this;
    }

    /** The clock of the lag gauges (tests). */
    public ModelClientBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** A listener registered before the first snapshot is read, so it sees the bootstrap too. */
    public ModelClientBuilder listener(ModelClientListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** Validates the settings and creates the client; nothing connects before {@link ModelClient#start()}. */
    public ModelClient build() {
        String id = clientId != null ? clientId : "epochstream-model-client-" + topic;
        Map<String, String> props = new LinkedHashMap<>(properties);
        if (credentials != null) {
            credentials.applyTo(props);
        }
        ModelClientConfig config = new ModelClientConfig(bootstrapServers, topic, keys, props, bootstrapTimeout,
                pollTimeout, historySize, id, partitionCheckInterval);
        return new ModelClient(config, clock, listeners);
    }
}
