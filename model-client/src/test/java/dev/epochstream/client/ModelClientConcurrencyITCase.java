package dev.epochstream.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.kafka.embedded.EmbeddedKafkaExtension;
import dev.epochstream.kafka.embedded.TopicSpec;
import dev.epochstream.learner.config.TrainingConfig;
import dev.epochstream.learner.data.Example;
import dev.epochstream.learner.epoch.Predictor;
import dev.epochstream.schemas.ModelSnapshot;
import dev.epochstream.schemas.ModelSnapshots;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Four readers predict without pause while snapshots of two keys arrive. Every (version, prediction) a
 * reader observed is recomputed afterwards with a fresh {@link Predictor} of that version's snapshot and
 * must match bit for bit: a reader never sees a half-loaded model, nor one version's parameters under
 * another's number.
 */
class ModelClientConcurrencyITCase {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.builder().build();

    private static final int READERS = 4;
    private static final int VERSIONS = 20;
    private static final int INPUTS = 16;
    /** Observations kept per reader; beyond it a reader keeps only those with a version it has not kept yet. */
    private static final int KEEP = 100_000;
    private static final Duration WAIT = Duration.ofSeconds(20);

    /** One observed prediction: which key, which input, the version the client named and its scores. */
    private record Observation(int key, int input, long version, double[] scores) {
    }

    @Test
    void everyObservedPredictionIsTheNamedVersionsExactOutput() throws Exception {
        TrainingConfig[] configs = {TestModels.classifier(), TestModels.hashedRegression()};
        String[] keys = {"a", "b"};
        List<List<ModelSnapshot>> snapshots = List.of(TestModels.versions(configs[0], "a", VERSIONS, 21),
                TestModels.versions(configs[1], "b", VERSIONS, 22));
        Example[][] inputs = new Example[2][INPUTS];
        Random rnd = new Random(23);
        for (int k = 0; k < 2; k++) {
            for (int i = 0; i < INPUTS; i++) {
                inputs[k][i] = TestModels.input(configs[k], keys[k], rnd);
            }
        }
        String topic = KAFKA.uniqueTopic(TopicSpec.of("snapshots", 1).compacted());
        List<List<Observation>> observed = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> readerFailure = new AtomicReference<>();
        List<Thread> readers = new ArrayList<>();
        try (SnapshotPublisher pub = new SnapshotPublisher(KAFKA.kafka(), topic);
             ModelClient client = ModelClient.builder().bootstrapServers(KAFKA.kafka().bootstrapServers()).topic(topic)
                     .pollTimeout(Duration.ofMillis(50)).build()) {
            pub.commit(snapshots.get(0).get(0), snapshots.get(1).get(0));
            client.start();
            for (int r = 0; r < READERS; r++) {
                List<Observation> mine = new ArrayList<>();
                observed.add(mine);
                int seed = r;
                Thread t = new Thread(() -> read(client, keys, inputs, seed, mine, stop, readerFailure), "reader-" + r);
                readers.add(t);
                t.start();
            }
            for (int v = 1; v < VERSIONS; v++) {
                pub.commit(snapshots.get(0).get(v), snapshots.get(1).get(v));
                long expected = snapshots.get(1).get(v).getVersion();
                Await.until(WAIT, "version " + expected + " of b", () -> client.servingVersion("b").orElse(-1) == expected);
            }
            long lastA = snapshots.get(0).get(VERSIONS - 1).getVersion();
            Await.until(WAIT, "every reader to observe the last version of a", () -> {
                if (readerFailure.get() != null) {
                    return true; // a reader died: report its error below rather than a timeout
                }
                for (List<Observation> mine : observed) {
                    synchronized (mine) {
                        if (!sawVersion(mine, lastA)) {
                            return false;
                        }
                    }
                }
                return true;
            });
            stop.set(true);
            for (Thread t : readers) {
                t.join(WAIT.toMillis());
            }
        }
        assertThat(readerFailure.get()).as("a reader's error").isNull();

        // Recompute: one fresh predictor per (key, version), each input predicted once.
        Map<String, double[]> expected = new HashMap<>();
        for (int k = 0; k < 2; k++) {
            for (ModelSnapshot s : snapshots.get(k)) {
                Predictor fresh = ModelSnapshots.predictor(s);
                for (int i = 0; i < INPUTS; i++) {
                    expected.put(k + "/" + s.getVersion() + "/" + i, fresh.predict(inputs[k][i]).scores());
                }
            }
        }
        long total = 0;
        for (List<Observation> mine : observed) {
            long[] lastVersion = {-1, -1};
            java.util.Set<Long> versionsSeen = new java.util.HashSet<>();
            for (Observation o : mine) {
                double[] want = expected.get(o.key() + "/" + o.version() + "/" + o.input());
                assertThat(want).as("version %d of key %d exists", o.version(), o.key()).isNotNull();
                assertThat(o.scores()).as("key %d version %d input %d", o.key(), o.version(), o.input())
                        .containsExactly(want);
                assertThat(o.version()).as("versions never go back").isGreaterThanOrEqualTo(lastVersion[o.key()]);
                lastVersion[o.key()] = o.version();
                versionsSeen.add(o.key() * 1000L + o.version());
            }
            assertThat(versionsSeen.size()).as("versions one reader saw across reloads").isGreaterThan(2);
            total += mine.size();
        }
        assertThat(total).isGreaterThan(1000);
    }

    private static boolean sawVersion(List<Observation> mine, long version) {
        for (int i = mine.size() - 1; i >= 0; i--) {
            if (mine.get(i).key() == 0 && mine.get(i).version() == version) {
                return true;
            }
        }
        return false;
    }

    private static void read(ModelClient client, String[] keys, Example[][] inputs, int seed, List<Observation> out,
                             AtomicBoolean stop, AtomicReference<Throwable> failure) {
        Random rnd = new Random(seed);
        long[] lastKept = {-1, -1};
        try {
            while (!stop.get()) {
                int k = rnd.nextInt(2);
                int i = rnd.nextInt(INPUTS);
                ModelPrediction p = k == 0 ? client.predict(keys[k], inputs[k][i].dense())
                        : client.predict(keys[k], inputs[k][i].dense(), inputs[k][i].attributes());
                if (out.size() < KEEP || p.version() != lastKept[k]) {
                    synchronized (out) {
                        out.add(new Observation(k, i, p.version(), p.scores()));
                    }
                    lastKept[k] = p.version();
                }
            }
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
    }
}
