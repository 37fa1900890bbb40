package dev.epochstream.job;

import static dev.epochstream.job.JobKeys.*;

import dev.epochstream.client.security.KafkaCredentials;
import dev.epochstream.connectors.format.EventValidator;
import dev.epochstream.connectors.kafka.AvroRecordSerializationSchema;
import dev.epochstream.learner.config.ConfigException;
import dev.epochstream.learner.config.ConfigKey;
import dev.epochstream.learner.config.Durations;
import dev.epochstream.learner.config.RawConfig;
import dev.epochstream.learner.config.TrainingConfig;
import dev.epochstream.learner.config.TrainingKeys;
import dev.epochstream.learner.config.WindowSpec;
import dev.epochstream.schemas.ModelSnapshots;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The whole job configuration, validated before anything is submitted: the learner's
 * {@link TrainingConfig} plus Kafka, topics, delivery, state and key lifecycle. Serializable so that
 * operators receive it; the training part is re-parsed from the raw values on each task (its pieces are
 * plain records, but re-parsing keeps one source of truth).
 *
 * <p>A SASL/SCRAM login may come from the environment ({@link KafkaCredentials}: EPOCHSTREAM_KAFKA_USERNAME,
 * EPOCHSTREAM_KAFKA_PASSWORD, EPOCHSTREAM_KAFKA_MECHANISM), read where the configuration is built (the
 * client, or the JobManager running {@code main} in application mode); it becomes Kafka client settings
 * that travel with this object to the tasks, and explicit {@code kafka.sasl.*} keys win over it. Those
 * settings go only to the Kafka connectors, never into Flink's configuration, and {@link #toString()}
 * hides every secret.
 */
public final class JobConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Largest record the job writes (a snapshot): producer max.request.size and topic max.message.bytes. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 8 * 1024 * 1024;

    /** The exactly-once producers' transaction.timeout.ms unless kafka.transaction.timeout.ms says otherwise. */
    public static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofMinutes(10);

    /**
     * Flink's execution.checkpointing.timeout unless flink.execution.checkpointing.timeout says otherwise: short
     * enough that, with the default checkpoint.interval, a transaction outlives two whole checkpoints with
     * {@link #TRANSACTION_MARGIN} to spare inside {@link #DEFAULT_TRANSACTION_TIMEOUT} (see
     * {@link #checkTransactionsOutliveCheckpoints}); Flink's own default, 10 minutes, would not.
     */
    public static final Duration DEFAULT_CHECKPOINT_TIMEOUT = Duration.ofMinutes(4);

    /**
     * Time kept, beyond the longest a transaction can wait for its checkpoint, for the commit itself: the
     * notice of the completed checkpoint reaching the sink, and its commit request reaching the broker.
     */
    static final Duration TRANSACTION_MARGIN = Duration.ofSeconds(30);

    /** Every configuration name the job's Kafka clients (source consumer, sink producers, admin checks) know. */
    private static final Set<String> KAFKA_CLIENT_CONFIGS = kafkaClientConfigs();

    public enum EventsFormat { AVRO, JSON }

    public enum Delivery { EXACTLY_ONCE, AT_LEAST_ONCE }

    public enum StateBackend { HASHMAP, ROCKSDB }

    private final Map<String, String> raw;
    private transient TrainingConfig training;
    private final Properties kafka;
    private final String eventsTopic;
    private final String metricsTopic;
    private final String snapshotsTopic;
    private final String predictionsTopic;
    private final String deadLettersTopic;
    private final EventsFormat eventsFormat;
    private final Duration outOfOrderness;
    private final Duration idleTimeout;
    private final Duration maxFuture;
    private final Delivery snapshotDelivery;
    private final Duration checkpointInterval;
    private final Duration checkpointTimeout;
    private final Duration transactionTimeout;
    private final StateBackend stateBackend;
    private final Duration stateTtl;
    private final int keysMax;
    private final String keysAllow;
    private final String warmStart;
    private final String startingOffsets;
    private final int parallelism;
    private final long snapshotRecordBytes;

    private JobConfig(RawConfig raw, Map<String, String> environment) {
        this.raw = new LinkedHashMap<>(raw.asMap());
        this.training = TrainingConfig.from(raw);
        this.kafka = new Properties();
        for (Map.Entry<String, String> e : raw.asMap().entrySet()) {
            if (e.getKey().startsWith(KAFKA_PREFIX)) {
                String name = e.getKey().substring(KAFKA_PREFIX.length());
                refuseKafkaTypo(name);
                kafka.setProperty(name, e.getValue());
            }
        }
        kafka.setProperty("bootstrap.servers", raw.string(KAFKA_BOOTSTRAP));
        kafka.setProperty("group.id", raw.string(KAFKA_GROUP_ID));
        KafkaCredentials.fromEnvironment(environment).ifPresent(c -> c.applyTo(kafka, KAFKA_PREFIX));
        this.eventsTopic = topic(raw, TOPIC_EVENTS);
        this.metricsTopic = topic(raw, TOPIC_METRICS);
        this.snapshotsTopic = topic(raw, TOPIC_SNAPSHOTS);
        this.predictionsTopic = topic(raw, TOPIC_PREDICTIONS);
        this.deadLettersTopic = topic(raw, TOPIC_DEAD_LETTERS);
        this.eventsFormat = EventsFormat.valueOf(raw.choice(EVENTS_FORMAT, List.of("avro", "json")).toUpperCase(Locale.ROOT));
        this.outOfOrderness = nonNegative(raw, EVENTS_OUT_OF_ORDERNESS);
        this.idleTimeout = raw.duration(EVENTS_IDLE_TIMEOUT);
        Duration maxFuture = raw.duration(EVENTS_MAX_FUTURE); // parsed whatever the window: a typo is an error
        // only event-time windows have a watermark that one event could lift for good
        this.maxFuture = training.window().kind() == WindowSpec.Kind.EVENT_TIME ? maxFuture : null;
        this.snapshotDelivery = raw.choice(SNAPSHOT_DELIVERY, List.of("exactly-once", "at-least-once")).equals("exactly-once")
                ? Delivery.EXACTLY_ONCE : Delivery.AT_LEAST_ONCE;
        this.checkpointInterval = raw.duration(CHECKPOINT_INTERVAL);
        if (checkpointInterval == null || checkpointInterval.toMillis() < 10) {
            throw new ConfigException(CHECKPOINT_INTERVAL.name(), "must be a duration of at least 10ms (e.g. 10s): "
                    + "checkpoints carry the exactly-once guarantee and cannot be turned off");
        }
        Configuration flink = flinkOptions(raw);
        this.checkpointTimeout = flinkOption(flink, CheckpointingOptions.CHECKPOINTING_TIMEOUT, DEFAULT_CHECKPOINT_TIMEOUT);
        this.transactionTimeout = transactionTimeoutOf(kafka);
        checkTransactionsOutliveCheckpoints(flink);
        this.stateBackend = StateBackend.valueOf(raw.choice(STATE_BACKEND, List.of("hashmap", "rocksdb")).toUpperCase(Locale.ROOT));
        this.stateTtl = raw.duration(STATE_TTL);
        if (stateTtl != null && stateTtl.toMillis() < 1) {
            throw new ConfigException(STATE_TTL.name(), "must be a positive duration or off");
        }
        this.keysMax = raw.intValue(KEYS_MAX, 1, Integer.MAX_VALUE);
        this.keysAllow = raw.string(KEYS_ALLOW);
        try {
            Pattern.compile(keysAllow);
        } catch (PatternSyntaxException e) {
            throw new ConfigException(KEYS_ALLOW.name(), "is not a regular expression: " + e.getDescription());
        }
        this.warmStart = raw.string(MODEL_WARM_START);
        if (!warmStart.equals("none") && !warmStart.equals("snapshots") && !warmStart.startsWith("file:")) {
            throw new ConfigException(MODEL_WARM_START.name(), "unknown value '" + warmStart
                    + "': use none, snapshots or file:PATH");
        }
        if (warmStart.startsWith("file:") && !Files.isRegularFile(Path.of(warmStart.substring(5)))) {
            throw new ConfigException(MODEL_WARM_START.name(), "snapshot file not found: " + warmStart.substring(5));
        }
        this.startingOffsets = raw.string(SOURCE_STARTING_OFFSETS);
        if (!List.of("earliest", "latest", "committed").contains(startingOffsets)) {
            if (!startingOffsets.startsWith("timestamp:")) {
                throw new ConfigException(SOURCE_STARTING_OFFSETS.name(), "unknown value '" + startingOffsets
                        + "': use earliest, latest, committed or timestamp:EPOCH_MILLIS");
            }
            try {
                Long.parseLong(startingOffsets.substring("timestamp:".length()));
            } catch (NumberFormatException e) {
                throw new ConfigException(SOURCE_STARTING_OFFSETS.name(), "timestamp:T needs T in epoch milliseconds, got '"
                        + startingOffsets + "'");
            }
        }
        this.parallelism = raw.intValue(PARALLELISM, 1, 32768);
        this.snapshotRecordBytes = checkSnapshotFits();
    }

    /**
     * Parses and validates everything; unknown keys are refused (kafka.* passes through). A SASL login in
     * the process environment is added to the Kafka settings.
     */
    public static JobConfig from(RawConfig raw) {
        return from(raw, System.getenv());
    }

    /**
     * As {@link #from(RawConfig)}, with the SASL login variables read from {@code environment} instead of
     * the process environment ({@code Map.of()}: no login from the environment, e.g. for a private broker).
     */
    public static JobConfig from(RawConfig raw, Map<String, String> environment) {
        List<ConfigKey> known = new ArrayList<>(TrainingKeys.ALL);
        known.addAll(JobKeys.ALL);
        raw.rejectUnknown(known, List.of(KAFKA_PREFIX, FLINK_PREFIX));
        return new JobConfig(raw, environment);
    }

    private static Set<String> kafkaClientConfigs() {
        Set<String> names = new HashSet<>(ConsumerConfig.configNames());
        names.addAll(ProducerConfig.configNames());
        names.addAll(AdminClientConfig.configNames());
        return Set.copyOf(names);
    }

    /**
     * Refuses a {@code kafka.} key that no Kafka client knows but that is a typo away (at most 2 edits) from one
     * that it does: the client would only log "supplied but isn't a known config" and run without the setting
     * ({@code kafka.bootstrap.server} would leave the default broker address). Names further from every known one
     * pass, as the configuration of a plugin (an interceptor, a login callback) may.
     */
    private static void refuseKafkaTypo(String name) {
        if (KAFKA_CLIENT_CONFIGS.contains(name)) {
            return;
        }
        String nearest = null;
        int best = Integer.MAX_VALUE;
        for (String known : KAFKA_CLIENT_CONFIGS) {
            int d = RawConfig.editDistance(name, known);
            if (d < best || d == best && known.compareTo(nearest) < 0) {
                best = d;
                nearest = known;
            }
        }
        if (best <= 2) {
            throw new ConfigException(KAFKA_PREFIX + name, "is not a Kafka client configuration: did you mean '"
                    + KAFKA_PREFIX + nearest + "'?");
        }
    }

    private static String topic(RawConfig raw, ConfigKey key) {
        String t = raw.string(key);
        if (!t.matches("[a-zA-Z0-9._-]{1,249}")) {
            throw new ConfigException(key.name(), "'" + t + "' is not a valid Kafka topic name (letters, digits, '.', '_', '-')");
        }
        return t;
    }

    private static Duration nonNegative(RawConfig raw, ConfigKey key) {
        Duration d = raw.duration(key);
        return d == null ? Duration.ZERO : d;
    }

    /** The flink.* keys, without the prefix, as a Flink configuration. */
    private static Configuration flinkOptions(RawConfig raw) {
        Map<String, String> options = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : raw.asMap().entrySet()) {
            if (e.getKey().startsWith(FLINK_PREFIX)) {
                options.put(e.getKey().substring(FLINK_PREFIX.length()), e.getValue());
            }
        }
        return Configuration.fromMap(options);
    }

    /** The value of a Flink option among the flink.* keys, else {@code otherwise}. */
    private static <T> T flinkOption(Configuration flink, ConfigOption<T> option, T otherwise) {
        try {
            return flink.getOptional(option).orElse(otherwise);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(FLINK_PREFIX + option.key(), "is not a valid value: " + e.getMessage());
        }
    }

    private static Duration transactionTimeoutOf(Properties kafka) {
        String v = kafka.getProperty("transaction.timeout.ms");
        if (v == null) {
            return DEFAULT_TRANSACTION_TIMEOUT;
        }
        try {
            int ms = Integer.parseInt(v.trim());
            if (ms > 0) {
                return Duration.ofMillis(ms);
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new ConfigException(KAFKA_PREFIX + "transaction.timeout.ms", "'" + v + "' is not a positive whole number of milliseconds");
    }

    /**
     * The broker aborts a transaction open longer than transaction.timeout.ms, and the records of an aborted
     * transaction are lost (their checkpoint is complete, nothing replays them). An exactly-once sink opens a
     * transaction at one checkpoint's barrier and commits it when the next checkpoint completes. That next
     * checkpoint starts an interval after the previous one started, or, one checkpoint running at a time, when
     * the previous one ended (after the min-pause) if it took longer; it then takes up to the checkpoint
     * timeout. A checkpoint that times out, tolerated, passes the transaction on to the next one. So a
     * transaction can stay open up to (tolerated failures + 1) · max(interval, timeout + min-pause) + timeout,
     * which must stay under the transaction timeout by {@link #TRANSACTION_MARGIN}. The Flink options count as
     * the job passes them on (checkpoint.interval unless flink.execution.checkpointing.interval).
     */
    private void checkTransactionsOutliveCheckpoints(Configuration flink) {
        long interval = millis(flinkOption(flink, CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval));
        long minPause = millis(flinkOption(flink, CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS, Duration.ZERO));
        int tolerated = Math.max(0, flinkOption(flink, CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, 0));
        long timeout = millis(checkpointTimeout);
        long cycle = Math.max(interval, Math.min(Long.MAX_VALUE - timeout, minPause) + timeout);
        long open = cycle > (Long.MAX_VALUE - timeout) / (tolerated + 1L) ? Long.MAX_VALUE : cycle * (tolerated + 1L) + timeout;
        if (open >= transactionTimeout.toMillis() - TRANSACTION_MARGIN.toMillis()) {
            throw new ConfigException(CHECKPOINT_INTERVAL.name(), "an exactly-once transaction can stay open for "
                    + Durations.format(Duration.ofMillis(open)) + " (until the next checkpoint completes: "
                    + "(tolerable failed checkpoints + 1) * max(interval, checkpoint timeout + min-pause) + checkpoint "
                    + "timeout, with interval " + Durations.format(Duration.ofMillis(interval)) + ", timeout "
                    + Durations.format(Duration.ofMillis(timeout)) + ", min-pause " + Durations.format(Duration.ofMillis(minPause))
                    + " and " + tolerated + " tolerable failures), which with " + Durations.format(TRANSACTION_MARGIN)
                    + " for the commit is not below kafka.transaction.timeout.ms (" + transactionTimeout.toMillis()
                    + "): the broker would abort it and its records would be lost. Lower checkpoint.interval or "
                    + "flink.execution.checkpointing.timeout, or raise kafka.transaction.timeout.ms (at most the "
                    + "broker's transaction.max.timeout.ms, 15 minutes by default)");
        }
    }

    /** Whole milliseconds, or Long.MAX_VALUE for a duration too long to count them in a long. */
    private static long millis(Duration d) {
        try {
            return d.toMillis();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * A snapshot must fit in one Kafka record: refuse at start-up a model whose largest snapshot record
     * ({@link #snapshotRecordBytes()}) exceeds the producer's max.request.size, which would otherwise fail the
     * job on its first snapshot, and again on every restart.
     */
    private long checkSnapshotFits() {
        long doubles = 0;
        int[] l = training.network().layers();
        for (int i = 0; i + 1 < l.length; i++) {
            doubles += (long) l[i] * l[i + 1] + l[i + 1];
        }
        if (training.standardize()) {
            doubles += 2L * training.denseInputs(); // mean and m2 of every dense input
        }
        long limit = maxRecordBytes();
        // measuring allocates the optimizer state when it is exported: not for a model that cannot fit anyway
        boolean tooLargeAnyway = doubles * Double.BYTES > limit;
        long bytes = tooLargeAnyway ? doubles * Double.BYTES : AvroRecordSerializationSchema.snapshots(snapshotsTopic)
                .maxRecordBytes(EventValidator.MAX_KEY_BYTES, ModelSnapshots.maxEncodedBytes(training, EventValidator.MAX_KEY_BYTES));
        if (bytes > limit) {
            throw new ConfigException("model.layers", "a snapshot of this model needs " + (tooLargeAnyway ? "more than " : "")
                    + bytes + " bytes (" + ((bytes + 1023) / 1024) + " KiB: parameters"
                    + (training.standardize() ? ", standardisation statistics" : "")
                    + (training.snapshotOptimizerState() ? ", optimizer state" : "") + ") but records are limited to "
                    + limit + " bytes (kafka.max.request.size): use a smaller model, or raise kafka.max.request.size "
                    + "together with the snapshot topic's max.message.bytes"
                    + (training.snapshotOptimizerState() ? ", or set snapshot.optimizer-state=false" : ""));
        }
        return bytes;
    }

    /**
     * The most bytes a snapshot record of this model takes (key, value and headers at their longest, as the
     * producer counts them against max.request.size); at most {@link #maxRecordBytes()}.
     */
    public long snapshotRecordBytes() {
        return snapshotRecordBytes;
    }

    public int maxRecordBytes() {
        String v = kafka.getProperty("max.request.size");
        if (v == null) {
            return DEFAULT_MAX_RECORD_BYTES;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException("kafka.max.request.size", "'" + v + "' is not a whole number of bytes");
        }
    }

    public TrainingConfig training() {
        if (training == null) {
            training = TrainingConfig.from(RawConfig.of(raw));
        }
        return training;
    }

    public Map<String, String> raw() {
        return raw;
    }

    /** Kafka client properties (the kafka.* keys without the prefix), a copy. */
    public Properties kafkaProperties() {
        Properties p = new Properties();
        p.putAll(kafka);
        return p;
    }

    public String bootstrapServers() {
        return kafka.getProperty("bootstrap.servers");
    }

    public String groupId() {
        return kafka.getProperty("group.id");
    }

    public String eventsTopic() {
        return eventsTopic;
    }

    public String metricsTopic() {
        return metricsTopic;
    }

    public String snapshotsTopic() {
        return snapshotsTopic;
    }

    public String predictionsTopic() {
        return predictionsTopic;
    }

    public String deadLettersTopic() {
        return deadLettersTopic;
    }

    public EventsFormat eventsFormat() {
        return eventsFormat;
    }

    public Duration outOfOrderness() {
        return outOfOrderness;
    }

    /**
     * How far an event time may be ahead of the earlier of its Kafka record's timestamp and the wall clock;
     * null without a limit ({@code events.max-future=off}, or windows other than event-time).
     */
    public Duration maxFuture() {
        return maxFuture;
    }

    /** Null when idle partitions should hold back the watermark forever. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    public Delivery snapshotDelivery() {
        return snapshotDelivery;
    }

    public Duration checkpointInterval() {
        return checkpointInterval;
    }

    /** Flink's checkpoint timeout: flink.execution.checkpointing.timeout, else {@link #DEFAULT_CHECKPOINT_TIMEOUT}. */
    public Duration checkpointTimeout() {
        return checkpointTimeout;
    }

    /** The exactly-once producers' transaction timeout: kafka.transaction.timeout.ms, else {@link #DEFAULT_TRANSACTION_TIMEOUT}. */
    public Duration transactionTimeout() {
        return transactionTimeout;
    }

    public StateBackend stateBackend() {
        return stateBackend;
    }

    /** Null when keys never expire. */
    public Duration stateTtl() {
        return stateTtl;
    }

    public int keysMax() {
        return keysMax;
    }

    public String keysAllow() {
        return keysAllow;
    }

    /** none, snapshots, or file:PATH. */
    public String warmStart() {
        return warmStart;
    }

    public String startingOffsets() {
        return startingOffsets;
    }

    public int parallelism() {
        return parallelism;
    }

    /** The SASL mechanism of the Kafka clients, or null without SASL. */
    public String saslMechanism() {
        return kafka.getProperty("sasl.mechanism");
    }

    /** The configuration and the Kafka client settings, sorted, with every secret value hidden. */
    @Override
    public String toString() {
        return "JobConfig[" + KafkaCredentials.redacted(new TreeMap<>(raw), KAFKA_PREFIX) + ", kafka client settings "
                + KafkaCredentials.redacted(new TreeMap<>(kafka), "") + "]";
    }
}
