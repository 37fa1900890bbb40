package dev.epochstream.it;

import dev.epochstream.job.JobConfig;
import dev.epochstream.kafka.embedded.EmbeddedKafkaExtension;
import dev.epochstream.kafka.embedded.TopicSpec;
import dev.epochstream.learner.config.RawConfig;
import dev.epochstream.schemas.DeadLetter;
import dev.epochstream.schemas.EpochMetrics;
import dev.epochstream.schemas.LabelledEvent;
import dev.epochstream.schemas.ModelSnapshot;
import dev.epochstream.schemas.codec.AvroSingleObjectCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A fresh set of the job's five topics on the embedded broker, the job configuration that uses them,
 * and decoded reads of what the job wrote (read_committed, so only what its checkpoints committed).
 */
record JobTopics(EmbeddedKafkaExtension kafka, String events, String metrics, String snapshots, String predictions,
                 String deadLetters) {

    /** New topics; the events topic has {@code eventPartitions} partitions (key i on partition i). */
    static JobTopics create(EmbeddedKafkaExtension kafka, int eventPartitions) {
        return new JobTopics(kafka, kafka.uniqueTopic("events", eventPartitions), kafka.uniqueTopic("metrics", 1),
                kafka.uniqueTopic(TopicSpec.of("snapshots", 1).compacted()
                        .withConfig("max.message.bytes", String.valueOf(JobConfig.DEFAULT_MAX_RECORD_BYTES))),
                kafka.uniqueTopic("predictions", 1), kafka.uniqueTopic("dead-letters", 1));
    }

    /** The same snapshot topic, every other topic new (a second job that shares only the models). */
    JobTopics withNewTopicsButSnapshots(int eventPartitions) {
        JobTopics fresh = create(kafka, eventPartitions);
        return new JobTopics(kafka, fresh.events, fresh.metrics, snapshots, fresh.predictions, fresh.deadLetters);
    }

    /** {@code settings} plus these topics, the broker, a group id named after the events topic and 300 ms checkpoints. */
    JobConfig config(Map<String, String> settings) {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("kafka.bootstrap.servers", kafka.kafka().bootstrapServers());
        conf.put("kafka.group.id", "it-" + events);
        conf.put("checkpoint.interval", "300ms");
        conf.put("topic.events", events);
        conf.put("topic.metrics", metrics);
        conf.put("topic.snapshots", snapshots);
        conf.put("topic.predictions", predictions);
        conf.put("topic.dead-letters", deadLetters);
        conf.putAll(settings);
        return JobConfig.from(RawConfig.of(conf));
    }

    Properties client() {
        return kafka.kafka().clientProperties();
    }

    void produce(List<Records.Message> messages) {
        Records.produce(client(), events, messages);
    }

    /** Avro messages of {@code events} in list order, all to {@code partition}. */
    static List<Records.Message> messages(List<LabelledEvent> events, int partition) {
        AvroSingleObjectCodec<LabelledEvent> codec = AvroSingleObjectCodec.forClass(LabelledEvent.class);
        List<Records.Message> out = new ArrayList<>();
        for (LabelledEvent e : events) {
            out.add(new Records.Message(e.getKey(), codec.encode(e), partition, -1));
        }
        return out;
    }

    /** Committed metrics records, waiting until there are at least {@code count} (or the deadline passed). */
    List<EpochMetrics> metrics(int count, Duration timeout) {
        return decode(Records.readCommitted(client(), metrics, timeout, l -> l.size() >= count), EpochMetrics.class);
    }

    /** Committed dead letters, waiting until there are at least {@code count} (or the deadline passed). */
    List<DeadLetter> deadLetters(int count, Duration timeout) {
        return decode(Records.readCommitted(client(), deadLetters, timeout, l -> l.size() >= count), DeadLetter.class);
    }

    /** Every committed record of the snapshot topic now (tombstones have a null value). */
    List<Records.Message> snapshotRecords() {
        return Records.readToEnd(client(), snapshots, Duration.ofSeconds(30));
    }

    static ModelSnapshot snapshot(Records.Message m) {
        return AvroSingleObjectCodec.forClass(ModelSnapshot.class).decode(m.value()).value();
    }

    /** Per key, the snapshot of each version (tombstones skipped). */
    Map<String, Map<Long, ModelSnapshot>> snapshotsByKeyAndVersion() {
        Map<String, Map<Long, ModelSnapshot>> out = new LinkedHashMap<>();
        for (Records.Message m : snapshotRecords()) {
            if (m.value() != null) {
                ModelSnapshot s = snapshot(m);
                out.computeIfAbsent(s.getKey(), k -> new LinkedHashMap<>()).put(s.getVersion(), s);
            }
        }
        return out;
    }

    static List<EpochMetrics> ofKey(List<EpochMetrics> metrics, String key) {
        return metrics.stream().filter(m -> m.getKey().equals(key)).toList();
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> List<T> decode(List<Records.Message> messages, Class<T> type) {
        AvroSingleObjectCodec<T> codec = AvroSingleObjectCodec.forClass(type);
        List<T> out = new ArrayList<>(messages.size());
        for (Records.Message m : messages) {
            out.add(codec.decode(m.value()).value());
        }
        return out;
    }
}
