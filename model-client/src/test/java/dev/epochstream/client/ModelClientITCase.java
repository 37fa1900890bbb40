package dev.epochstream.client;

import static dev.epochstream.client.ModelClientFilesTest.assertSame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.epochstream.kafka.embedded.EmbeddedKafkaExtension;
import dev.epochstream.kafka.embedded.TopicSpec;
import dev.epochstream.learner.config.TrainingConfig;
import dev.epochstream.learner.data.Example;
import dev.epochstream.schemas.ModelSnapshot;
import dev.epochstream.schemas.ModelSnapshots;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.management.ObjectName;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The client against a real broker: bootstrap, live reloads, rejections, pins, key filter, clean close. */
class ModelClientITCase {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.builder().build();

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final TopicSpec SNAPSHOTS = TopicSpec.of("snapshots", 2).compacted();

    private final TrainingConfig classifier = TestModels.classifier();
    private final TrainingConfig regression = TestModels.hashedRegression();
    private final List<ModelSnapshot> a = TestModels.versions(classifier, "a", 6, 1);
    private final List<ModelSnapshot> b = TestModels.versions(regression, "b", 3, 2);
    private final RecordingListener events = new RecordingListener();

    @Test
    void bootstrapServesTheNewestCommittedVersionOfEachKeyAndNeverAnAbortedOne() throws Exception {
        String topic = KAFKA.uniqueTopic(SNAPSHOTS);
        ModelSnapshot c = TestModels.versions(classifier, "c", 1, 3).get(0);
        try (SnapshotPublisher pub = new SnapshotPublisher(KAFKA.kafka(), topic);
             ModelClient client = builder(topic).build()) {
            pub.commit(a.get(0), a.get(1), b.get(0), c);
            pub.send(List.of(pub.record(a.get(2)), pub.record(a.get(3)), pub.record(b.get(1)), pub.record(b.get(2)),
                    pub.tombstone("c")), true);
            pub.send(List.of(pub.record(a.get(4))), false);

            client.start();

            assertThat(client.isBootstrapped()).isTrue();
            assertThat(client.servingVersion("a")).hasValue(a.get(3).getVersion());
            assertThat(client.servingVersion("b")).hasValue(b.get(2).getVersion());
            assertThatThrownBy(() -> client.predict("c", new double[3])).isInstanceOfSatisfying(NoModelException.class,
                    e -> assertThat(e.reason()).isEqualTo(NoModelException.Reason.RETIRED));
            assertThat(events.retired).containsExactly("c");
            assertThat(client.metrics().keys().get("a").versions()).containsExactly(1L, 2L, 3L, 4L);
            assertThat(client.rejectedCount()).isZero();
            Random rnd = new Random(4);
            for (int i = 0; i < 10; i++) {
                Example ea = TestModels.input(classifier, "a", rnd);
                assertSame(client.predict("a", ea), ModelSnapshots.predictor(a.get(3)).predict(ea));
                Example eb = TestModels.input(regression, "b", rnd);
                assertSame(client.predict("b", eb.dense(), eb.attributes()),
                        ModelSnapshots.predictor(b.get(2)).predict(eb));
            }

            // the aborted version 5 stays invisible after the bootstrap too: the next committed one is 6
            pub.commit(a.get(5));
            Await.until(WAIT, "version 6 of a", () -> client.servingVersion("a").orElse(-1) == 6);
            Await.until(WAIT, "the reload event of version 6",
                    () -> events.reloads.stream().anyMatch(r -> r.key().equals("a") && r.version() == 6));
            assertThat(events.reloads).filteredOn(r -> r.key().equals("a")).extracting(ReloadEvent::version)
                    .containsExactly(1L, 2L, 3L, 4L, 6L);
        }
    }

    @Test
    void rejectsBadSnapshotsLiveWhileTheOldModelKeepsServingThenReloads() throws Exception {
        String topic = KAFKA.uniqueTopic(SNAPSHOTS);
        try (SnapshotPublisher pub = new SnapshotPublisher(KAFKA.kafka(), topic);
             ModelClient client = builder(topic).build()) {
            pub.commit(a.get(0));
            client.start();
            ModelSnapshot v1 = a.get(0);
            ModelSnapshot v2 = a.get(1);
            List<ProducerRecord<?, ?>> bad = new ArrayList<>();
            bad.add(pub.record("a", new byte[] {(byte) 0xC3, 0x01, 1, 2, 3}));
            bad.add(pub.record(TestModels.withBadChecksum(v2, 10)));
            bad.add(pub.record(TestModels.withMissingWeight(v2, 11)));
            bad.add(pub.record(TestModels.withVersion(v1, 0)));
            bad.add(pub.record(v1));
            bad.add(pub.record("a", TestModels.encode(b.get(2))));
            pub.send(bad, true);

            Await.until(WAIT, "six rejections", () -> client.rejectedCount() == 6);
            Await.until(WAIT, "six rejection events", () -> events.rejections.size() == 6);
            assertThat(events.rejections).extracting(Rejection::reason).containsExactly(RejectReason.UNDECODABLE,
                    RejectReason.CHECKSUM_MISMATCH, RejectReason.INVALID_MODEL, RejectReason.STALE,
                    RejectReason.DUPLICATE, RejectReason.KEY_MISMATCH);
            assertThat(events.rejections).allSatisfy(r -> assertThat(r.source()).startsWith(topic + "-"));
            assertThat(client.servingVersion("a")).hasValue(1);
            Example e = TestModels.input(classifier, "a", new Random(5));
            assertSame(client.predict("a", e), ModelSnapshots.predictor(v1).predict(e));

            pub.commit(v2);
            Await.until(WAIT, "version 2", () -> client.servingVersion("a").orElse(-1) == 2);
            assertSame(client.predict("a", e), ModelSnapshots.predictor(v2).predict(e));
            // listeners hear of a swap after readers see it: wait for the event itself
            Await.until(WAIT, "the reload event of version 2",
                    () -> events.reloads.stream().anyMatch(r -> r.key().equals("a") && r.version() == 2));
            ReloadEvent last = events.reloads.get(events.reloads.size() - 1);
            assertThat(last.previousVersion()).isEqualTo(1);
            assertThat(last.serving()).isTrue();
            assertThat(last.createdAtMillis()).isEqualTo(TestModels.CREATED_AT_BASE + 2);

            // a tombstone retires the key; a later snapshot starts it afresh, whatever its version
            pub.send(List.of(pub.tombstone("a")), true);
            Await.until(WAIT, "a retired", () -> client.servingVersion("a").isEmpty());
            Await.until(WAIT, "the retirement event", () -> !events.retired.isEmpty());
            assertThat(events.retired).containsExactly("a");
            pub.commit(v1);
            Await.until(WAIT, "a back at version 1", () -> client.servingVersion("a").orElse(-1) == 1);
            assertThat(client.metrics().retired()).isEqualTo(1);
        }
    }

    @Test
    void pinAndRollbackHoldWhileNewSnapshotsArrive() {
        String topic = KAFKA.uniqueTopic(SNAPSHOTS);
        try (SnapshotPublisher pub = new SnapshotPublisher(KAFKA.kafka(), topic);
             ModelClient client = builder(topic).build()) {
            pub.commit(a.get(0), a.get(1), a.get(2));
            client.start();
            assertThat(client.rollback("a")).isEqualTo(2);

            pub.commit(a.get(3));
            Await.until(WAIT, "version 4 accepted", () -> client.metrics().keys().get("a").newestVersion() == 4);
            Await.until(WAIT, "the reload event of version 4",
                    () -> events.reloads.stream().anyMatch(r -> r.key().equals("a") && r.version() == 4));
            assertThat(events.reloads.get(events.reloads.size() - 1).serving()).isFalse();
            assertThat(client.servingVersion("a")).hasValue(2);
            Example e = TestModels.input(classifier, "a", new Random(6));
            assertSame(client.predict("a", e), ModelSnapshots.predictor(a.get(1)).predict(e));

            client.pin("a", 3);
            pub.commit(a.get(4));
            Await.until(WAIT, "version 5 accepted", () -> client.metrics().keys().get("a").newestVersion() == 5);
            assertThat(client.servingVersion("a")).hasValue(3);
            assertThat(client.unpin("a")).isEqualTo(5);
            assertSame(client.predict("a", e), ModelSnapshots.predictor(a.get(4)).predict(e));
        }
    }

    @Test
    void servesOnlyTheConfiguredKeys() {
        String topic = KAFKA.uniqueTopic(SNAPSHOTS);
        try (SnapshotPublisher pub = new SnapshotPublisher(KAFKA.kafka(), topic);
             ModelClient client = builder(topic).keys("b").build()) {
            pub.commit(a.get(0), b.get(0));
            client.start();
            assertThat(client.keys()).containsExactly("b");
            assertThatThrownBy(() -> client.predict("a", new double[3])).isInstanceOfSatisfying(NoModelException.class,
                    e -> assertThat(e.reason()).isEqualTo(NoModelException.Reason.NOT_FOLLOWED));
            assertThat(client.rejectedCount()).isZero();
        }
    }

    @Test
    void closeStopsThePollingThreadAndTheConsumer() throws Exception {
        String topic = KAFKA.uniqueTopic(SNAPSHOTS);
        ObjectName consumerBean = new ObjectName("kafka.consumer:type=app-info,id=leak-check");
        String threadName = "epochstream-model-client-" + topic;
        ModelClient client = builder(topic).clientId("leak-check").build().start();
        assertThat(ManagementFactory.getPlatformMBeanServer().isRegistered(consumerBean)).isTrue();
        assertThat(thread(threadName)).isNotNull().satisfies(t -> assertThat(t.isDaemon()).isTrue());

        client.close();

        assertThat(thread(threadName)).isNull();
        assertThat(ManagementFactory.getPlatformMBeanServer().isRegistered(consumerBean)).isFalse();
        client.close();
        assertThatThrownBy(client::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void startFailsClearlyOnAMissingTopicAndLeavesNothingRunning() {
        ModelClient client = builder("no-such-topic").bootstrapTimeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(client::start).isInstanceOf(BootstrapException.class)
                .hasMessageContaining("no-such-topic");
        client.close();
        assertThat(thread("epochstream-model-client-no-such-topic")).isNull();
    }

    @Test
    void followsPartitionsAddedToTheTopicAfterItStarted() throws Exception {
        String topic = KAFKA.uniqueTopic(TopicSpec.of("snapshots", 1).compacted());
        try (SnapshotPublisher pub = new SnapshotPublisher(KAFKA.kafka(), topic);
             ModelClient client = builder(topic).partitionCheckInterval(Duration.ofMillis(200))
                     .property("metadata.max.age.ms", "500").build();
             Admin admin = KAFKA.kafka().adminClient()) {
            pub.commit(a.get(0));
            client.start();
            assertThat(client.servingVersion("a")).hasValue(1);

            admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(2))).all().get();
            pub.send(List.of(new ProducerRecord<>(topic, 1, "a", TestModels.encode(a.get(1)))), true);

            Await.until(WAIT, "version 2 of a, written to the added partition",
                    () -> client.servingVersion("a").orElse(-1) == 2);
            assertThat(client.rejectedCount()).isZero();
        }
    }

    /**
     * The scenario compaction cannot resolve: a key's snapshots in partition 0, partitions added, the key's tombstone in
     * the partition it now hashes to. A client starting later reads the partitions in no particular order; one batch per
     * fetch ({@code max.partition.fetch.bytes=1}) has it read the tombstone before most of the snapshots, which were
     * written before it and must not serve.
     */
    @Test
    void aSnapshotLeftInTheFormerPartitionDoesNotServeAfterTheTombstone() throws Exception {
        String topic = KAFKA.uniqueTopic(TopicSpec.of("snapshots", 1).compacted());
        String k = keyInPartition(1, 2);
        List<ModelSnapshot> before = TestModels.versions(classifier, k, 4, 5);
        ModelSnapshot fresh = TestModels.versions(classifier, k, 1, 6).get(0); // versions restart after a retirement
        try (SnapshotPublisher pub = new SnapshotPublisher(KAFKA.kafka(), topic);
             Admin admin = KAFKA.kafka().adminClient()) {
            for (ModelSnapshot s : before) {
                pub.commit(s); // one transaction each: four batches to read in partition 0
            }
            admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(2))).all().get();
            pub.send(List.of(new ProducerRecord<>(topic, 1, k, null)), true); // where the job's producer sends it now

            try (ModelClient client = builder(topic).property("max.partition.fetch.bytes", "1").build().start()) {
                assertThat(client.servingVersion(k)).isEmpty();
                assertThat(events.rejections).isNotEmpty().allSatisfy(r -> {
                    assertThat(r.reason()).isEqualTo(RejectReason.RETIRED);
                    assertThat(r.source()).startsWith(topic + "-0@");
                });
                assertThat(client.metrics().rejectedByReason())
                        .containsEntry(RejectReason.RETIRED, (long) events.rejections.size());

                pub.send(List.of(new ProducerRecord<>(topic, 1, k, TestModels.encode(fresh))), true);
                Await.until(WAIT, "the key back with a fresh version 1", () -> client.servingVersion(k).orElse(-1) == 1);
                Example e = TestModels.input(classifier, k, new Random(3));
                assertSame(client.predict(k, e), ModelSnapshots.predictor(fresh).predict(e));
            }
        }
    }

    /** A key that the producer's default partitioner sends to {@code partition} of {@code partitions}. */
    private static String keyInPartition(int partition, int partitions) {
        for (int i = 0; ; i++) {
            String key = "k" + i;
            if (Utils.toPositive(Utils.murmur2(key.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % partitions
                    == partition) {
                return key;
            }
        }
    }

    private ModelClientBuilder builder(String topic) {
        return ModelClient.builder()
                .bootstrapServers(KAFKA.kafka().bootstrapServers())
                .topic(topic)
                .pollTimeout(Duration.ofMillis(100))
                .listener(events);
    }

    private static Thread thread(String name) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name) && t.isAlive()) {
                return t;
            }
        }
        return null;
    }
}
