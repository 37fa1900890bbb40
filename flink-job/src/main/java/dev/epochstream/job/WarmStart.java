package dev.epochstream.job;

import dev.epochstream.learner.config.TrainingConfig;
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
    /** Per partition of the snapshot topic, the offset it was read up to (exclusive); empty unless read from it. */
    private final Map<Integer, Long> readThrough;

    private WarmStart(Map<String, ModelSnapshot> byKey, ModelSnapshot forEveryKey, Map<Integer, Long> readThrough) {
        this.byKey = new HashMap<>(byKey); // forget() removes from it
        this.forEveryKey = forEveryKey;
        this.readThrough = Map.copyOf(readThrough);
    }

    /** Each key of {@code newest} starts from its snapshot, any other key fresh. */
    static WarmStart ofSnapshots(Map<String, ModelSnapshot> newest) {
        return new WarmStart(newest, null, Map.of());
    }

    static WarmStart none() {
        return new WarmStart(Map.of(), null, Map.of());
    }

    /**
     * Per partition of the snapshot topic, the offset this warm start read up to (exclusive): what a restore must
     * read up to again, and no further, to start the same keys from the same snapshots.
     */
    Map<Integer, Long> readThrough() {
        return readThrough;
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
        return new WarmStart(Map.of(), SnapshotFiles.readUsable(file, "model.warm-start file " + file), Map.of());
    }

    /**
     * Reads the snapshot topic from the beginning (read_committed) and keeps the newest valid snapshot of every
     * key that {@code mine} accepts (the keys of this subtask): to its current end, or, with a {@code horizon}
     * (partition to offset, from the job's first warm start), up to that offset of each partition and no further.
     * A restored job must not read past what its first start read: the topic now also holds the snapshots it
     * published itself after the restored checkpoint, and a key first seen again after the restore would
     * otherwise start from its own lost future (its version and training counted twice).
     */
    static WarmStart fromTopic(Properties kafka, String topic, Predicate<String> mine, Duration timeout,
                               Map<Integer, Long> horizon, TrainingConfig training) {
        Properties p = new Properties();
        p.putAll(kafka);
        p.remove("group.id");
        p.setProperty("isolation.level", "read_committed");
        p.setProperty("enable.auto.commit", "false");
        p.setProperty("max.partition.fetch.bytes", String.valueOf(JobConfig.DEFAULT_MAX_RECORD_BYTES));
        Map<String, ModelSnapshot> newest = new HashMap<>();
        Map<Integer, Long> through = new HashMap<>();
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
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(tps, timeout));
            if (horizon != null) {
                // a partition added since the first start was not read then; a recreated topic may be shorter
                end.replaceAll((tp, e) -> Math.min(e, horizon.getOrDefault(tp.partition(), 0L)));
            }
            end.forEach((tp, e) -> through.put(tp.partition(), e));
            while (tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("model.warm-start=snapshots: could not read " + topic + " to its end within "
                            + timeout + " from " + kafka.getProperty("bootstrap.servers"));
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() == null || r.offset() >= through.get(r.partition())) {
                        continue; // past the end read through: what a restore reads again must be the same
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
                    String mismatch = ModelSnapshots.architectureMismatch(d.value(), training);
                    if (mismatch != null) {
                        // a job of another architecture wrote it (README's way to change one is a new job): the key
                        // starts fresh rather than from weights read as another network's
                        LOG.warn("model.warm-start: skipping the snapshot of key {} at {}-{}@{}, of another architecture: {}",
                                key, topic, r.partition(), r.offset(), mismatch);
                        continue;
                    }
                    ModelSnapshot prev = newest.get(key);
                    if (prev == null || d.value().getVersion() > prev.getVersion()) {
                        newest.put(key, d.value());
                    }
                }
            }
        }
        LOG.info("model.warm-start=snapshots: {} keys of this subtask start from their newest snapshot (read through {})",
                newest.size(), through);
        return new WarmStart(newest, null, through);
    }
}
