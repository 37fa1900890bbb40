package dev.epochstream.job;

import dev.epochstream.schemas.ModelSnapshot;
import dev.epochstream.schemas.ModelSnapshots;
import dev.epochstream.schemas.codec.AvroSingleObjectCodec;
import dev.epochstream.schemas.codec.DecodeResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a new key's first model comes from ({@code model.warm-start}): nothing (fresh weights from
 * model.seed), the newest valid snapshot of that key on the snapshot topic, or one snapshot file whose
 * parameters every new key starts from.
 */
final class WarmStart {
    private static final Logger LOG = LoggerFactory.getLogger(WarmStart.class);

    private final Map<String, ModelSnapshot> byKey;
    private final ModelSnapshot forEveryKey;

    private WarmStart(Map<String, ModelSnapshot> byKey, ModelSnapshot forEveryKey) {
        this.byKey = new HashMap<>(byKey); // forget() removes from it
        this.forEveryKey = forEveryKey;
    }

    /** Each key of {@code newest} starts from its snapshot, any other key fresh. */
    static WarmStart ofSnapshots(Map<String, ModelSnapshot> newest) {
        return new WarmStart(newest, null);
    }

    static WarmStart none() {
        return new WarmStart(Map.of(), null);
    }

    /** The snapshot a new key starts from, or null for a fresh model. */
    ModelSnapshot lookup(String key) {
        ModelSnapshot s = byKey.get(key);
        return s != null ? s : forEveryKey;
    }

    /**
     * Forgets the topic's snapshot of a key this job retired ({@code state.ttl}): the tombstone it wrote makes a
     * restarted job start that key fresh, so a key that comes back must start fresh without a restart too, not
     * from the snapshot read when this one started. A file given for every key still applies, as after a restart.
     */
    void forget(String key) {
        byKey.remove(key);
    }

    static WarmStart fromFile(Path file) throws IOException {
        return new WarmStart(Map.of(), SnapshotFiles.readUsable(file, "model.warm-start file " + file));
    }

    /**
     * Reads the snapshot topic from the beginning to its current end (read_committed) and keeps the
     * newest valid snapshot of every key that {@code mine} accepts (the keys of this subtask).
     */
    static WarmStart fromTopic(Properties kafka, String topic, Predicate<String> mine, Duration timeout) {
        Properties p = new Properties();
        p.putAll(kafka);
        p.remove("group.id");
        p.setProperty("isolation.level", "read_committed");
        p.setProperty("enable.auto.commit", "false");
        p.setProperty("max.partition.fetch.bytes", String.valueOf(JobConfig.DEFAULT_MAX_RECORD_BYTES));
        Map<String, ModelSnapshot> newest = new HashMap<>();
        AvroSingleObjectCodec<ModelSnapshot> codec = AvroSingleObjectCodec.forClass(ModelSnapshot.class);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, timeout);
            if (partitions == null || partitions.isEmpty()) {
                LOG.info("model.warm-start=snapshots: topic {} has no partitions, every key starts fresh", topic);
                return none();
            }
            List<TopicPartition> tps = partitions.stream().map(pi -> new TopicPartition(topic, pi.partition())).toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps, timeout);
            while (tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("model.warm-start=snapshots: could not read " + topic + " to its end within "
                            + timeout + " from " + kafka.getProperty("bootstrap.servers"));
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() == null) {
                        continue;
                    }
                    String key = new String(r.key(), StandardCharsets.UTF_8);
                    if (!mine.test(key)) {
                        continue;
                    }
                    if (r.value() == null) {
                        newest.remove(key);
                        continue;
                    }
                    DecodeResult<ModelSnapshot> d = codec.decode(r.value());
                    if (!d.isOk() || !ModelSnapshots.problems(d.value()).isEmpty()) {
                        LOG.warn("model.warm-start: skipping an unusable snapshot of key {} at {}-{}@{}", key, topic,
                                r.partition(), r.offset());
                        continue;
                    }
                    ModelSnapshot prev = newest.get(key);
                    if (prev == null || d.value().getVersion() > prev.getVersion()) {
                        newest.put(key, d.value());
                    }
                }
            }
        }
        LOG.info("model.warm-start=snapshots: {} keys of this subtask start from their newest snapshot", newest.size());
        return ofSnapshots(newest);
    }
}
