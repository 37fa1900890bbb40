package dev.epochstream.job;

import static dev.epochstream.learner.config.ConfigKey.optional;

import dev.epochstream.learner.config.ConfigKey;
import java.util.List;

/**
 * The job's own keys (Kafka, topics, delivery, state, key lifecycle), beside the learner's
 * {@link dev.epochstream.learner.config.TrainingKeys}. Names are public contract. Every key starting
 * with {@code kafka.} is passed to the Kafka clients without the prefix.
 */
public final class JobKeys {
    private JobKeys() {
    }

    /** Prefix of Flink configuration options passed through, e.g. flink.execution.checkpointing.dir. */
    public static final String FLINK_PREFIX = "flink.";

    /** Prefix of the Kafka client properties passed through (security settings included). */
    public static final String KAFKA_PREFIX = "kafka.";

    public static final ConfigKey KAFKA_BOOTSTRAP = optional("kafka.bootstrap.servers", "localhost:9092",
            "Kafka bootstrap servers.");
    public static final ConfigKey KAFKA_GROUP_ID = optional("kafka.group.id", "epochstream",
            "Consumer group id of the events source (offsets are also kept in Flink checkpoints); the exactly-once "
                    + "sinks' transactional ids start <group.id>-<metrics|snapshots>-<topic.events>-<the sink's topic>.");
    public static final ConfigKey TOPIC_EVENTS = optional("topic.events", "epochstream.events", "Topic of labelled events.");
    public static final ConfigKey TOPIC_METRICS = optional("topic.metrics", "epochstream.metrics",
            "Topic of EpochMetrics records (one per key per epoch, exactly once).");
    public static final ConfigKey TOPIC_SNAPSHOTS = optional("topic.snapshots", "epochstream.snapshots",
            "Compacted topic of ModelSnapshot records, keyed by model key.");
    public static final ConfigKey TOPIC_PREDICTIONS = optional("topic.predictions", "epochstream.predictions",
            "Topic of Prediction records for events without a label.");
    public static final ConfigKey TOPIC_DEAD_LETTERS = optional("topic.dead-letters", "epochstream.dead-letters",
            "Topic of DeadLetter records (bad input with a reason code).");
    public static final ConfigKey EVENTS_FORMAT = optional("events.format", "avro",
            "Value format of the events topic: avro (single-object encoding) or json (LabelledEvent field names).");
    public static final ConfigKey EVENTS_OUT_OF_ORDERNESS = optional("events.out-of-orderness", "0ms",
            "Bounded out-of-orderness of event-time watermarks.");
    public static final ConfigKey EVENTS_IDLE_TIMEOUT = optional("events.idle-timeout", "30s",
            "Partitions idle this long stop holding back the watermark.");
    public static final ConfigKey EVENTS_MAX_FUTURE = optional("events.max-future", "1d",
            "event-time windows: events further ahead of their Kafka record's timestamp or the wall clock "
                    + "(the earlier) are dead-lettered time-out-of-range (off: no limit).");
    public static final ConfigKey SNAPSHOT_DELIVERY = optional("snapshot.delivery", "exactly-once",
            "exactly-once (visible at checkpoint commits) or at-least-once (immediately, duplicates possible).");
    public static final ConfigKey CHECKPOINT_INTERVAL = optional("checkpoint.interval", "10s",
            "Interval of Flink checkpoints (exactly-once output commits with them). A transaction stays open until "
                    + "the next checkpoint completes: (tolerable failed checkpoints + 1) * max(interval, checkpoint "
                    + "timeout + min-pause) + checkpoint timeout + 30s must be below kafka.transaction.timeout.ms.");
    public static final ConfigKey STATE_BACKEND = optional("state.backend", "hashmap",
            "Keyed state backend: hashmap (heap) or rocksdb (many keys).");
    public static final ConfigKey STATE_TTL = optional("state.ttl", "off",
            "Expire a key's model after this long without events (a tombstone goes to the snapshot topic).");
    public static final ConfigKey KEYS_MAX = optional("keys.max", "100000",
            "Most model keys per job; events of extra keys are dead-lettered with reason key-limit.");
    public static final ConfigKey KEYS_ALLOW = optional("keys.allow", ".*",
            "Regular expression a model key must match; others are dead-lettered with reason key-not-allowed.");
    public static final ConfigKey MODEL_WARM_START = optional("model.warm-start", "none",
            "none, snapshots (newest snapshot of the key on the snapshot topic) or file:PATH (a snapshot file).");
    public static final ConfigKey SOURCE_STARTING_OFFSETS = optional("source.starting-offsets", "earliest",
            "Where a fresh start reads the events topic: earliest, latest, committed or timestamp:T (epoch millis).");
    public static final ConfigKey PARALLELISM = optional("parallelism", "1", "Parallelism of the job.");

    public static final List<ConfigKey> ALL = List.of(KAFKA_BOOTSTRAP, KAFKA_GROUP_ID, TOPIC_EVENTS, TOPIC_METRICS,
            TOPIC_SNAPSHOTS, TOPIC_PREDICTIONS, TOPIC_DEAD_LETTERS, EVENTS_FORMAT, EVENTS_OUT_OF_ORDERNESS,
            EVENTS_IDLE_TIMEOUT, EVENTS_MAX_FUTURE, SNAPSHOT_DELIVERY, CHECKPOINT_INTERVAL, STATE_BACKEND, STATE_TTL, KEYS_MAX, KEYS_ALLOW,
            MODEL_WARM_START, SOURCE_STARTING_OFFSETS, PARALLELISM);
}
