package dev.epochstream.job;

import dev.epochstream.connectors.format.EventDecoder;
import dev.epochstream.connectors.format.WireFormat;
import dev.epochstream.connectors.kafka.AvroRecordSerializationSchema;
import dev.epochstream.connectors.kafka.EventDeserializationSchema;
import dev.epochstream.connectors.kafka.EventOrDeadLetter;
import dev.epochstream.learner.config.RawConfig;
import dev.epochstream.schemas.DeadLetter;
import dev.epochstream.schemas.EpochMetrics;
import dev.epochstream.schemas.LabelledEvent;
import dev.epochstream.schemas.Prediction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The epochstream Flink job: Kafka events → decode and validate (dead letters) → watermarks →
 * keyBy(model key) → {@link EpochFunction} (epoch windows, training in keyed state) → metrics
 * (exactly once), snapshots (compacted; exactly once or at least once), predictions and dead letters.
 *
 * <p>{@code flink run <job jar> --config FILE [--key value ...]} runs it on a cluster;
 * {@code bin/epochstream run} runs it on a local MiniCluster or submits it.
 */
public final class EpochstreamJob {
    /** How long an exactly-once sink's producer gathers records into a batch (see {@link #sink}). */
    static final Duration EXACTLY_ONCE_LINGER = Duration.ofMillis(100);
    /** An exactly-once sink's batch size, at most the record limit (a batch must fit the broker's limit too). */
    static final int EXACTLY_ONCE_BATCH_BYTES = 256 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(EpochstreamJob.class);

    private EpochstreamJob() {
    }

    public static void main(String[] args) throws Exception {
        JobConfig config = JobConfig.from(parseArgs(args));
        // A refused login, or a topic too small for a snapshot or a dead letter, would otherwise surface only as
        // restarts of the running job.
        BrokerCheck.checkLogin(config, 10);
        for (String warning : BrokerCheck.checkBrokerLimits(config.kafkaProperties(), config, 10)) {
            LOG.warn(warning);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flinkConfiguration(config));
        build(env, config, false);
        env.execute("epochstream " + config.eventsTopic());
    }

    /** {@code --config FILE} and {@code --key value} / {@code --key=value} overrides. */
    public static RawConfig parseArgs(String[] args) {
        Path file = null;
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "': use --config FILE [--key value ...]");
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq > 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("option " + a + " needs a value");
            }
            if (name.equals("config")) {
                file = Path.of(value);
            } else {
                overrides.put(name, value);
            }
        }
        return file == null ? RawConfig.of(overrides) : RawConfig.load(file, overrides);
    }

    /** Flink settings the job depends on, plus any flink.* keys of the configuration. */
    public static Configuration flinkConfiguration(JobConfig config) {
        Configuration c = new Configuration();
        c.setString("execution.checkpointing.interval", config.checkpointInterval().toMillis() + " ms");
        c.setString("execution.checkpointing.mode", "EXACTLY_ONCE");
        // Flink's 10 min would let a transaction outlive the producers' transaction timeout (JobConfig checks)
        c.setString("execution.checkpointing.timeout", config.checkpointTimeout().toMillis() + " ms");
        // Unaligned: a barrier overtakes the records queued before it instead of blocking the channels that
        // delivered it, so the trainer keeps closing windows while a checkpoint aligns (aligned, an
        // exactly-once snapshot left the trainer up to ~1 s after its window end during checkpoints). The
        // records it overtook are stored in the checkpoint; savepoints stay aligned.
        c.setString("execution.checkpointing.unaligned.enabled", "true");
        c.setString("restart-strategy.type", "failure-rate");
        c.setString("restart-strategy.failure-rate.max-failures-per-interval", "5");
        c.setString("restart-strategy.failure-rate.failure-rate-interval", "5 min");
        c.setString("restart-strategy.failure-rate.delay", "1 s");
        c.setString("state.backend.type", config.stateBackend() == JobConfig.StateBackend.ROCKSDB ? "rocksdb" : "hashmap");
        c.setString("pipeline.generic-types", "false");
        // Chained operators hand records on without a deep copy (Flink copies every record otherwise,
        // about a third of the source thread). Safe here because no operator keeps or changes a record it
        // was given: the source chain (decoder, EventRouter) emits each record once and forgets it; the
        // trainer's input arrives over the keyBy network edge, which deserialises a fresh object per record
        // (Flink's AbstractStreamTaskNetworkInput always uses a NonReusingDeserializationDelegate), and it
        // buffers its own Example, not the input; its outputs are new objects each time (snapshot values are
        // copied out of the model), which the chained Kafka sinks serialise as soon as they get them.
        c.setString("pipeline.object-reuse", "true");
        // Event-time windows close when a watermark passes their end, and sources emit watermarks on this
        // period: with Flink's 200 ms a window waits up to 200 ms for the next one, depending on how the
        // period happens to fall against window ends (so a run's freshness moved by ~150 ms between runs).
        // 50 ms keeps that wait small, for a few more watermark records a second per source subtask.
        c.setString("pipeline.auto-watermark-interval", "50 ms");
        c.setString("parallelism.default", Integer.toString(config.parallelism()));
        for (Map.Entry<String, String> e : config.raw().entrySet()) {
            if (e.getKey().startsWith(JobKeys.FLINK_PREFIX)) {
                c.setString(e.getKey().substring(JobKeys.FLINK_PREFIX.length()), e.getValue());
            }
        }
        return c;
    }

    /**
     * Adds the pipeline to {@code env}. With {@code bounded}, the source stops at the events topic's
     * end offsets as of start (tests, backfills), and every partial window is trained at the end.
     */
    public static Outputs build(StreamExecutionEnvironment env, JobConfig config, boolean bounded) {
        return build(env, config, bounded, UnaryOperator.identity());
    }

    /**
     * As {@link #build(StreamExecutionEnvironment, JobConfig, boolean)}, with {@code beforeTraining}
     * applied to the validated events just before the keyed training operator (tests inject faults
     * there).
     */
    public static Outputs build(StreamExecutionEnvironment env, JobConfig config, boolean bounded,
                                UnaryOperator<DataStream<LabelledEvent>> beforeTraining) {
        Properties kafka = config.kafkaProperties();
        kafka.setProperty("isolation.level", "read_committed");
        var source = KafkaSource.<EventOrDeadLetter>builder()
                .setBootstrapServers(config.bootstrapServers())
                .setTopics(config.eventsTopic())
                .setGroupId(config.groupId())
                .setStartingOffsets(startingOffsets(config.startingOffsets()))
                .setDeserializer(new EventDeserializationSchema(
                        config.eventsFormat() == JobConfig.EventsFormat.JSON ? WireFormat.JSON : WireFormat.AVRO,
                        config.maxRecordBytes(),
                        config.maxFuture() == null ? EventDecoder.NO_TIME_LIMIT : config.maxFuture().toMillis()))
                .setProperties(kafka);
        if (bounded) {
            source.setBounded(OffsetsInitializer.latest());
        }
        WatermarkStrategy<EventOrDeadLetter> watermarks = WatermarkStrategy
                .<EventOrDeadLetter>forBoundedOutOfOrderness(config.outOfOrderness())
                .withTimestampAssigner(new EventTimestamps());
        if (config.idleTimeout() != null) {
            watermarks = watermarks.withIdleness(config.idleTimeout());
        }
        DataStream<EventOrDeadLetter> decoded = env.fromSource(source.build(), watermarks, "events")
                .uid("events-source");
        SingleOutputStreamOperator<LabelledEvent> events = decoded
                .process(new EventRouter(config.keysAllow(), config.eventsFormat(), config.maxRecordBytes()),
                        // the keyBy edge's wire format: raw doubles and a long time instead of generic Avro
                        LabelledEventTypeInfo.INSTANCE)
                .uid("event-router").name("validate");
        SingleOutputStreamOperator<EpochMetrics> metrics = beforeTraining.apply(events)
                .keyBy(LabelledEvent::getKey)
                // process(function) but for the operator, which arms the restored keys' timers (EpochOperator)
                .transform("train epochs", TypeInformation.of(EpochMetrics.class),
                        new EpochOperator(new EpochFunction(config)))
                .uid("epoch-trainer").name("train epochs");

        metrics.sinkTo(sink(config, config.metricsTopic(), AvroRecordSerializationSchema.metrics(config.metricsTopic()),
                DeliveryGuarantee.EXACTLY_ONCE, "metrics")).uid("metrics-sink").name("metrics");
        DataStream<SnapshotMessage> snapshots = metrics.getSideOutput(EpochFunction.SNAPSHOTS);
        snapshots.sinkTo(sink(config, config.snapshotsTopic(), new SnapshotSerializationSchema(config.snapshotsTopic()),
                config.snapshotDelivery() == JobConfig.Delivery.EXACTLY_ONCE ? DeliveryGuarantee.EXACTLY_ONCE
                        : DeliveryGuarantee.AT_LEAST_ONCE, "snapshots")).uid("snapshots-sink").name("snapshots");
        DataStream<Prediction> predictions = metrics.getSideOutput(EpochFunction.PREDICTIONS);
        predictions.sinkTo(sink(config, config.predictionsTopic(),
                AvroRecordSerializationSchema.predictions(config.predictionsTopic()), DeliveryGuarantee.AT_LEAST_ONCE,
                "predictions")).uid("predictions-sink").name("predictions");
        DataStream<DeadLetter> deadLetters = events.getSideOutput(EpochFunction.DEAD_LETTERS)
                .union(metrics.getSideOutput(EpochFunction.DEAD_LETTERS));
        deadLetters.sinkTo(sink(config, config.deadLettersTopic(),
                AvroRecordSerializationSchema.deadLetters(config.deadLettersTopic()), DeliveryGuarantee.AT_LEAST_ONCE,
                "dead-letters")).uid("dead-letters-sink").name("dead letters");
        return new Outputs(metrics, snapshots, predictions, deadLetters);
    }

    /** The job's output streams, for tests that attach extra sinks. */
    public record Outputs(DataStream<EpochMetrics> metrics, DataStream<SnapshotMessage> snapshots,
                          DataStream<Prediction> predictions, DataStream<DeadLetter> deadLetters) {
    }

    /** The producer settings of a sink: the {@code kafka.*} keys, then the job's defaults where a key is absent. */
    static Properties sinkProducerProperties(JobConfig config, DeliveryGuarantee guarantee) {
        Properties p = config.kafkaProperties();
        p.remove("group.id");
        p.putIfAbsent("max.request.size", Integer.toString(config.maxRecordBytes()));
        // lz4, not zstd: zstd cost the trainer thread (the producer compresses on the caller's thread) and
        // the broker (which decompresses every batch to validate it) ~0.5 µs an event in the end-to-end
        // benchmark; a snapshot's doubles barely compress either way (BENCHMARKS.md, "Output sinks")
        p.putIfAbsent("compression.type", "lz4");
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
            // Transactional records become visible only when a checkpoint commits them, and the writer flushes
            // at every checkpoint: lingering delays nothing a reader sees, and sends a few large requests
            // instead of one per record (at 5 ms, the client's default, the broker and the producers' network
            // threads used more CPU than the trainer per metrics record). At-least-once sinks keep the
            // client's linger: their records are read as soon as they are sent (snapshot freshness).
            p.putIfAbsent("linger.ms", Long.toString(EXACTLY_ONCE_LINGER.toMillis()));
            p.putIfAbsent("batch.size", Integer.toString(Math.min(EXACTLY_ONCE_BATCH_BYTES, config.maxRecordBytes())));
        }
        // must not exceed the broker's transaction.max.timeout.ms (15 minutes by default)
        p.setProperty("transaction.timeout.ms", Long.toString(config.transactionTimeout().toMillis()));
        return p;
    }

    private static <T> KafkaSink<T> sink(JobConfig config, String topic, KafkaRecordSerializationSchema<T> schema,
                                         DeliveryGuarantee guarantee, String name) {
        Properties p = sinkProducerProperties(config, guarantee);
        var b = KafkaSink.<T>builder()
                .setBootstrapServers(config.bootstrapServers())
                .setRecordSerializer(schema)
                .setKafkaProducerConfig(p)
                .setDeliveryGuarantee(guarantee);
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
            b.setTransactionalIdPrefix(transactionalIdPrefix(config, name, topic));
        }
        return b.build();
    }

    /**
     * The transactional id prefix of an exactly-once sink: {@code <kafka.group.id>-<sink>-<topic.events>-<topic>}.
     * Transactional ids are global on a cluster, and at start-up the sink aborts the open transactions of its
     * prefix, so two jobs that shared a prefix fenced each other and aborted each other's commits: with
     * {@code <group.id>-<sink>} that was any two jobs left at the default group id. The events topic and the
     * sink's topic tell such jobs apart (jobs that read different events into one output topic, or the same
     * events into different ones), the sink's name the two sinks of one job even when they share a topic. The
     * prefix is a function of the configuration alone, so it is stable across restarts. It starts with the old
     * {@code <group.id>-<sink>}: a prefixed transactional-id ACL granted for that still covers it.
     *
     * <p>A restore from a checkpoint or savepoint taken under the old prefix loses nothing (flink-connector-kafka
     * 5.0.0): the committer commits restored transactions by the full transactional id stored with each
     * committable, whatever the current prefix, and the writer, finding another prefix in its restored state,
     * aborts the lingering transactions of both prefixes ({@code ExactlyOnceKafkaWriter.abortLingeringTransactions}),
     * so no transaction of the old prefix is left open to hold back read_committed readers. Only a start without
     * state leaves a killed old-prefix run's open transaction to the broker's transaction timeout.
     */
    static String transactionalIdPrefix(JobConfig config, String sink, String topic) {
        return config.groupId() + "-" + sink + "-" + config.eventsTopic() + "-" + topic;
    }

    static OffsetsInitializer startingOffsets(String spec) {
        return switch (spec) {
            case "earliest" -> OffsetsInitializer.earliest();
            case "latest" -> OffsetsInitializer.latest();
            case "committed" -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
            default -> OffsetsInitializer.timestamp(Long.parseLong(spec.substring("timestamp:".length())));
        };
    }

    static List<String> topics(JobConfig c) {
        return List.of(c.eventsTopic(), c.metricsTopic(), c.snapshotsTopic(), c.predictionsTopic(), c.deadLettersTopic());
    }
}
