package dev.epochstream.it;

import static dev.epochstream.it.HostileCorpus.PREDICT;
import static dev.epochstream.it.HostileCorpus.TRAIN;
import static dev.epochstream.it.HostileCorpus.sparse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.connectors.format.EventDecoder;
import dev.epochstream.connectors.format.WireFormat;
import dev.epochstream.job.EpochstreamJob;
import dev.epochstream.job.JobConfig;
import dev.epochstream.kafka.embedded.EmbeddedKafkaExtension;
import dev.epochstream.kafka.embedded.TopicSpec;
import dev.epochstream.learner.config.RawConfig;
import dev.epochstream.schemas.DeadLetter;
import dev.epochstream.schemas.EpochMetrics;
import dev.epochstream.schemas.LabelledEvent;
import dev.epochstream.schemas.LayerParameters;
import dev.epochstream.schemas.ModelSnapshot;
import dev.epochstream.schemas.ModelSnapshots;
import dev.epochstream.schemas.Prediction;
import dev.epochstream.schemas.codec.AvroSingleObjectCodec;
import dev.epochstream.schemas.codec.DecodeResult;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile input end to end (one job per wire format, plus one for a distribution loss): a corpus of bad
 * records beside valid events. Each bad record becomes exactly one dead letter with its documented
 * reason code; the job never restarts (a pass-through probe before training sees attempt 0 only); every
 * published snapshot holds finite parameters only; and the accounting closes:
 * <ul>
 *   <li>per key (last EpochMetrics record): seen = trained + heldOut + late + refused + pending, with
 *       trained + heldOut = the valid labelled events sent and refused = the key's job-side dead letters
 *       other than {@code key-limit} / {@code key-not-allowed};</li>
 *   <li>per partition: records consumed = Σ seen of its keys + predictions (unlabelled events, which are
 *       scored and not counted in seen) + dead letters not charged to a model (decoding failures, which
 *       carry their partition, and {@code key-limit} / {@code key-not-allowed}, placed by their event
 *       id because job-side dead letters carry no offset).</li>
 * </ul>
 */
class HostileInputITCase {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.builder().build();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final int PARALLELISM = 2;
    private static final int MAX_PARALLELISM = 128;
    /** kafka.max.request.size: also the decoder's record limit. */
    private static final int MAX_RECORD_BYTES = 65_536;
    private static final String NOT_ALLOWED = "blocked";
    /** 9999-12-31T23:59:59Z: a legal event time that Kafka would refuse as a record timestamp. */
    private static final long FAR_FUTURE = 253_402_300_799_000L;
    /** keys.max = 2 with parallelism 2 is one model per subtask: K0 and K1 land on different subtasks. */
    private static final String K0 = "k0";
    private static final String K1 = firstKey(subtask(K0) == 0 ? 1 : 0);
    /** On K0's subtask and partition, after K0's first event: always over the cap. */
    private static final String K2 = firstKey(subtask(K0));

    @Test
    void avroCorpus() throws Exception {
        runAndCheck(corpus(HostileCorpus.Format.AVRO, 7, false, c -> {
            classifierCases(c);
            avroCases(c);
        }), classifier(), "avro");
    }

    /** Records that are not Avro single-object encodings of a known LabelledEvent schema. */
    private static void avroCases(HostileCorpus c) {
        byte[] valid = c.encode(c.event(K0, "template").build());
        byte[] random = new byte[64];
        new SplittableRandom(3).nextBytes(random);
        random[0] = 0x42; // never the C3 01 marker
        c.add(0, "random bytes", "not-avro", K0, null, null, random);
        c.add(1, "random bytes (p1)", "not-avro", K1, null, null, Arrays.copyOf(random, 17));
        c.add(0, "truncated Avro", "truncated", K0, null, null, Arrays.copyOf(valid, valid.length / 2));
        c.add(0, "truncated header", "truncated", K0, null, null, Arrays.copyOf(valid, 6));
        c.add(0, "Avro with trailing bytes", "truncated", K0, null, null, Arrays.copyOf(valid, valid.length + 3));
        c.add(0, "truncated Avro claiming a 1 GiB id", "truncated", K0, null, null, claimsHugeString(valid));
        byte[] unknown = valid.clone();
        unknown[2] ^= 0x5A;
        c.add(0, "unknown fingerprint", "unknown-schema", K0, null, null, unknown);
        c.add(0, "header only", "truncated", K0, null, null, Arrays.copyOf(valid, 2));
    }

    @Test
    void jsonCorpus() throws Exception {
        runAndCheck(corpus(HostileCorpus.Format.JSON, 8, false, c -> {
            classifierCases(c);
            jsonCases(c);
        }), classifier(), "json");
    }

    /** Records that are not JSON objects of the event shape, or hold values of the wrong JSON type. */
    private static void jsonCases(HostileCorpus c) {
        String head = "{\"id\":\"j\",\"key\":\"" + K0 + "\",\"time\":1700000000000,";
        byte[] random = new byte[64];
        new SplittableRandom(4).nextBytes(random);
        random[0] = (byte) 0xFE; // not a JSON start byte
        c.add(0, "random bytes", "malformed-json", K0, null, null, random);
        c.addJson(1, "truncated JSON", "malformed-json", K1,
                "{\"id\":\"t\",\"key\":\"" + K1 + "\",\"features\":[0.5,");
        c.addJson(0, "trailing tokens", "malformed-json", K0, head + "\"features\":[1,2],\"label\":1} {}");
        c.addJson(0, "duplicate field", "malformed-json", K0, head + "\"features\":[1,2],\"features\":[3,4]}");
        c.addJson(0, "empty record", "malformed-json", K0, "");
        c.addJson(0, "deeply nested", "malformed-json", K0, head + "\"features\":" + "[".repeat(5000) + "]".repeat(5000) + "}");
        c.addJson(0, "top level array", "wrong-type", K0, "[1,2]");
        c.addJson(0, "features a string", "wrong-type", K0, head + "\"features\":\"1,2\",\"label\":1}");
        c.addJson(0, "feature a string", "wrong-type", K0, head + "\"features\":[1,\"2\"],\"label\":1}");
        c.addJson(0, "id a number", "wrong-type", K0, "{\"id\":7,\"key\":\"k0\",\"features\":[1,2],\"label\":1}");
        c.addJson(0, "time a string", "wrong-type", K0,
                "{\"id\":\"j\",\"key\":\"k0\",\"time\":\"2023-11-14\",\"features\":[1,2],\"label\":1}");
        c.addJson(0, "label a string", "wrong-type", K0, head + "\"features\":[1,2],\"label\":\"1\"}");
        c.addJson(0, "label a boolean", "wrong-type", K0, head + "\"features\":[1,2],\"label\":true}");
        c.addJson(0, "label an object", "wrong-type", K0, head + "\"features\":[1,2],\"label\":{\"class\":1}}");
        c.addJson(0, "weight a string", "wrong-type", K0, head + "\"features\":[1,2],\"label\":1,\"weight\":\"2\"}");
        c.addJson(0, "feature 1e400", "non-finite", K0, head + "\"features\":[1e400,2],\"label\":1}");
        c.addJson(1, "label -1e400", "non-finite", K1, head + "\"features\":[1,2],\"label\":-1e400}");
        c.addJson(0, "NaN token", "non-finite", K0, head + "\"features\":[NaN,2],\"label\":1}");
        c.addJson(0, "missing id", "missing-field", K0, "{\"key\":\"k0\",\"features\":[1,2],\"label\":1}");
        c.addJson(0, "missing features", "missing-field", K0, head + "\"label\":1}");
        c.addJson(0, "missing key", "missing-key", K0, "{\"id\":\"j\",\"features\":[1,2],\"label\":1}");
    }

    @Test
    void distributionTargets() throws Exception {
        HostileCorpus corpus = corpus(HostileCorpus.Format.AVRO, 9, true, c -> {
            c.add(0, "sums to 1.1", "not-a-distribution", c.event(K0, "kl-sum").setLabel(List.of(0.5, 0.6, 0.0)).build());
            c.add(1, "negative entry", "not-a-distribution", c.event(K1, "kl-neg").setLabel(List.of(-0.5, 1.0, 0.5)).build());
            c.add(0, "two of three", "bad-label", c.event(K0, "kl-width").setLabel(List.of(0.5, 0.5)).build());
            c.add(0, "class index for a distribution", "bad-label", c.event(K0, "kl-class").setLabel(1).build());
            c.add(1, "NaN entry", "non-finite", c.event(K1, "kl-nan").setLabel(List.of(Double.NaN, 0.5, 0.5)).build());
            c.add(0, "absurd entry", "value-too-large", c.event(K0, "kl-big").setLabel(List.of(1e300, 0.0, 0.0)).build());
        });
        runAndCheck(corpus, Map.of("model.layers", "2,4,3", "model.activations", "tanh,softmax", "model.loss", "kl"), "avro");
    }

    /**
     * Per key (K0 on partition 0, K1 on partition 1): 25 labelled events of the concept, the hostile
     * {@code cases}, 25 more labelled events, then 3 unlabelled ones. Windows of 20 leave the last one
     * partial, so the end-of-input flush trains it.
     */
    private static HostileCorpus corpus(HostileCorpus.Format format, long seed, boolean distribution,
                                        Consumer<HostileCorpus> cases) {
        HostileCorpus c = new HostileCorpus(format, 2);
        SplittableRandom rnd = new SplittableRandom(seed);
        c.concept(0, K0, 25, true, distribution, rnd);
        c.concept(1, K1, 25, true, distribution, rnd);
        cases.accept(c);
        c.concept(0, K0, 25, true, distribution, rnd);
        c.concept(1, K1, 25, true, distribution, rnd);
        c.concept(0, K0, 3, false, distribution, rnd);
        c.concept(1, K1, 3, false, distribution, rnd);
        return c;
    }

    /** Event-level cases of a 2-input, 2-class classifier, encoded in the corpus's format. */
    private static void classifierCases(HostileCorpus c) {
        c.add(0, "wrong dimension (dense 3)", "wrong-dimension",
                c.event(K0, "dim3").setFeatures(List.of(1.0, 2.0, 3.0)).build());
        c.add(1, "wrong dimension (dense 1, p1)", "wrong-dimension",
                c.event(K1, "dim1").setFeatures(List.of(1.0)).build());
        c.add(0, "wrong dimension (sparse size 3)", "wrong-dimension", c.event(K0, "sparse3").setFeatures(sparse(3, 0, 2)).build());
        c.add(0, "empty features", "wrong-dimension", c.event(K0, "dim0").setFeatures(List.of()).build());
        c.add(0, "sparse index out of range", "bad-sparse-vector", c.event(K0, "sp-range").setFeatures(sparse(2, 0, 5)).build());
        c.add(0, "sparse indices unsorted", "bad-sparse-vector", c.event(K0, "sp-order").setFeatures(sparse(2, 1, 0)).build());
        c.add(0, "sparse index duplicated", "bad-sparse-vector", c.event(K0, "sp-dup").setFeatures(sparse(2, 1, 1)).build());
        c.add(0, "NaN feature", "non-finite", c.event(K0, "nan").setFeatures(List.of(Double.NaN, 0.0)).build());
        c.add(1, "+Inf feature (p1)", "non-finite",
                c.event(K1, "pinf").setFeatures(List.of(0.0, Double.POSITIVE_INFINITY)).build());
        c.add(0, "-Inf feature", "non-finite", c.event(K0, "ninf").setFeatures(List.of(Double.NEGATIVE_INFINITY, 0.0)).build());
        c.add(0, "NaN label", "non-finite", c.event(K0, "nan-label").setLabel(Double.NaN).build());
        c.add(0, "NaN weight", "non-finite", c.event(K0, "nan-weight").setWeight(Double.NaN).build());
        c.add(0, "negative weight", "bad-weight", c.event(K0, "neg-weight").setWeight(-1.0).build());
        c.add(1, "class index 2 of 2 (p1)", "label-out-of-range", c.event(K1, "class2").setLabel(2).build());
        c.add(0, "class index -1", "label-out-of-range", c.event(K0, "class-1").setLabel(-1).build());
        c.add(0, "fractional class 0.5", "bad-label", c.event(K0, "class-half").setLabel(0.5).build());
        c.add(0, "array where a class index is expected", "bad-label",
                c.event(K0, "class-array").setLabel(List.of(0.0, 1.0)).build());
        c.add(0, "empty label array", "bad-label", c.event(K0, "label-empty").setLabel(List.of()).build());
        c.add(0, "absurdly large feature", "value-too-large", c.event(K0, "big").setFeatures(List.of(1e300, 0.0)).build());
        c.add(1, "absurdly large label (p1)", "value-too-large", c.event(K1, "big-label").setLabel(1e300).build());
        c.add(0, "empty key", "missing-key", c.event("", "empty-key").build());
        c.add(0, "blank key", "missing-key", c.event("  ", "blank-key").build());
        c.add(0, "oversized", "oversized", c.event(K0, "oversized").setAttributes(Map.of("pad", "x".repeat(100_000))).build());
        c.add(0, "key not allowed", "key-not-allowed", c.event(NOT_ALLOWED, "not-allowed").build());
        // a key or an id of 30,000 bytes: the record fits the 64 KiB limit, but a dead letter quoting it twice
        // (its key field and its Kafka record key) beside the original bytes would not
        c.add(0, "key of 30,000 bytes", "too-long", c.event("k" + "0".repeat(29_999), "long-key").build());
        c.add(1, "id of 30,000 bytes (p1)", "too-long", c.event(K1, "i".repeat(30_000)).build());
        c.add(0, "third key", "key-limit", c.event(K2, "third-1").build());
        c.add(0, "third key again", "key-limit", c.event(K2, "third-2").build());
        // legal but extreme: a time in year 9999 (no output may carry it to the broker as its timestamp), and
        // features near the bound, which must not leave a non-finite parameter behind
        c.add(1, "far-future unlabelled event", PREDICT, c.event(K1, "future-1").setLabel(null)
                .setTime(Instant.ofEpochMilli(FAR_FUTURE)).build());
        c.add(1, "far-future labelled event", TRAIN, c.event(K1, "future-2").setTime(Instant.ofEpochMilli(FAR_FUTURE)).build());
        c.add(1, "extreme legal features", TRAIN, c.event(K1, "extreme-1").setFeatures(List.of(9e11, -9e11)).build());
        c.add(1, "extreme legal features again", TRAIN, c.event(K1, "extreme-2").setFeatures(List.of(-9e11, 9e11)).build());
    }

    private static Map<String, String> classifier() {
        return Map.of("model.layers", "2,4,2", "model.activations", "tanh,softmax", "model.loss", "cce");
    }

    private void runAndCheck(HostileCorpus corpus, Map<String, String> model, String format) throws Exception {
        Map<String, String> conf = new LinkedHashMap<>(model);
        conf.putAll(Map.of("model.seed", "5", "optimizer", "adam", "optimizer.lr", "0.05", "epoch.window", "count:20",
                "train.batch-size", "5", "train.holdout", "0.2", "snapshot.publish", "every", "events.format", format,
                "keys.max", "2", "keys.allow", "k[0-9]+"));
        conf.put("kafka.max.request.size", Integer.toString(MAX_RECORD_BYTES));
        conf.put("kafka.bootstrap.servers", KAFKA.kafka().bootstrapServers());
        conf.put("checkpoint.interval", "1s");
        conf.put("topic.events", KAFKA.uniqueTopic("events", 2));
        conf.put("topic.metrics", KAFKA.uniqueTopic("metrics", 1));
        conf.put("topic.snapshots", KAFKA.uniqueTopic(TopicSpec.of("snapshots", 1).compacted()));
        conf.put("topic.predictions", KAFKA.uniqueTopic("predictions", 1));
        conf.put("topic.dead-letters", KAFKA.uniqueTopic("dead-letters", 1));
        conf.put("kafka.group.id", "it-" + conf.get("topic.events"));
        JobConfig config = JobConfig.from(RawConfig.of(conf));
        Records.produce(KAFKA.kafka().clientProperties(), config.eventsTopic(), corpus.messages());

        AttemptProbe.reset();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(EpochstreamJob.flinkConfiguration(config));
        env.setParallelism(PARALLELISM);
        env.setMaxParallelism(MAX_PARALLELISM);
        EpochstreamJob.build(env, config, true, events -> events.map(new AttemptProbe())
                .returns(TypeInformation.of(LabelledEvent.class)).uid("attempt-probe").name("attempt probe"));
        env.execute("it-hostile-" + format);
        assertThat(AttemptProbe.OPENED.get()).as("the probe ran").isPositive();
        assertThat(AttemptProbe.MAX_ATTEMPT.get()).as("no task ever restarted").isZero();

        var client = KAFKA.kafka().clientProperties();
        Duration timeout = Duration.ofSeconds(20);

        // every bad record is exactly one dead letter, with its documented reason
        AvroSingleObjectCodec<DeadLetter> dlCodec = AvroSingleObjectCodec.forClass(DeadLetter.class);
        EventDecoder decoder = new EventDecoder(format.equals("json") ? WireFormat.JSON : WireFormat.AVRO, Integer.MAX_VALUE);
        Map<String, String> actual = new LinkedHashMap<>();
        Map<Integer, Long> unchargedPerPartition = new HashMap<>();
        Map<String, Long> chargedPerKey = new HashMap<>();
        for (Records.Message m : Records.readToEnd(client, config.deadLettersTopic(), timeout)) {
            DeadLetter d = dlCodec.decode(m.value()).value();
            assertThat(m.value().length).as("a dead letter fits the record limit").isLessThanOrEqualTo(MAX_RECORD_BYTES);
            HostileCorpus.Sent s;
            boolean charged = false;
            if (d.getSourceOffset() != null) {
                assertThat(d.getSourceTopic()).isEqualTo(config.eventsTopic());
                s = corpus.atOffset(d.getSourcePartition(), d.getSourceOffset());
                assertThat(d.getOriginalBytes()).as("original bytes of %s", s.name())
                        .isEqualTo(ByteBuffer.wrap(kept(s.value())));
            } else {
                DecodeResult<LabelledEvent> e = decoder.decode(bytes(d.getOriginalBytes()), 0L);
                assertThat(e.isOk()).as("a job-side dead letter holds its re-encoded event: %s", e).isTrue();
                s = corpus.byEventId(e.value().getId().toString());
                charged = !d.getReason().equals("key-limit") && !d.getReason().equals("key-not-allowed");
                assertThat(d.getKey()).isEqualTo(s.eventKey());
            }
            assertThat(actual.put(s.name(), d.getReason())).as("one dead letter for %s", s.name()).isNull();
            if (charged) {
                chargedPerKey.merge(s.eventKey(), 1L, Long::sum);
            } else {
                unchargedPerPartition.merge(s.partition(), 1L, Long::sum);
            }
        }
        Map<String, String> expected = new LinkedHashMap<>();
        corpus.all().stream().filter(HostileCorpus.Sent::deadLettered).forEach(s -> expected.put(s.name(), s.expected()));
        assertThat(actual).as("dead letters by case").containsExactlyInAnyOrderEntriesOf(expected);

        // unlabelled valid events are predicted, nothing else is
        AvroSingleObjectCodec<Prediction> predictionCodec = AvroSingleObjectCodec.forClass(Prediction.class);
        Map<Integer, Long> predictionsPerPartition = new HashMap<>();
        List<String> predicted = new ArrayList<>();
        for (Records.Message m : Records.readToEnd(client, config.predictionsTopic(), timeout)) {
            String id = predictionCodec.decode(m.value()).value().getId().toString();
            predicted.add(id);
            predictionsPerPartition.merge(corpus.byEventId(id).partition(), 1L, Long::sum);
        }
        assertThat(predicted).containsExactlyInAnyOrderElementsOf(corpus.all().stream()
                .filter(s -> s.expected().equals(PREDICT)).map(HostileCorpus.Sent::eventId).toList());

        // per key, the last metrics record closes the accounting
        AvroSingleObjectCodec<EpochMetrics> metricsCodec = AvroSingleObjectCodec.forClass(EpochMetrics.class);
        Map<String, EpochMetrics> last = new HashMap<>();
        for (Records.Message m : Records.readToEnd(client, config.metricsTopic(), timeout)) {
            EpochMetrics e = metricsCodec.decode(m.value()).value();
            last.merge(e.getKey().toString(), e, (a, b) -> b.getEpoch() > a.getEpoch() ? b : a);
        }
        assertThat(last).containsOnlyKeys(K0, K1);
        Map<Integer, Long> seenPerPartition = new HashMap<>();
        for (EpochMetrics e : last.values()) {
            String key = e.getKey().toString();
            long sentForTraining = corpus.all().stream().filter(s -> key.equals(s.eventKey()) && s.expected().equals(TRAIN)).count();
            assertThat(e.getSeen()).as("seen of %s", key)
                    .isEqualTo(e.getTrained() + e.getHeldOut() + e.getLate() + e.getRefused() + e.getPending());
            assertThat(e.getPending()).as("pending of %s at the end of input", key).isZero();
            assertThat(e.getLate()).as("late of %s (count windows)", key).isZero();
            assertThat(e.getTrained() + e.getHeldOut()).as("trained + held out of %s", key).isEqualTo(sentForTraining);
            assertThat(e.getHeldOut()).as("held out of %s", key).isPositive();
            assertThat(e.getRefused()).as("refused of %s", key).isEqualTo(chargedPerKey.getOrDefault(key, 0L));
            seenPerPartition.merge(key.equals(K0) ? 0 : 1, e.getSeen(), Long::sum);
        }
        for (Map.Entry<Integer, List<HostileCorpus.Sent>> p : corpus.partitions().entrySet()) {
            int partition = p.getKey();
            assertThat(seenPerPartition.getOrDefault(partition, 0L) + predictionsPerPartition.getOrDefault(partition, 0L)
                    + unchargedPerPartition.getOrDefault(partition, 0L))
                    .as("consumed from partition %s = seen + predicted + dead letters not charged to a model", partition)
                    .isEqualTo(p.getValue().size());
        }

        // every snapshot ever published is sound and finite
        AvroSingleObjectCodec<ModelSnapshot> snapshotCodec = AvroSingleObjectCodec.forClass(ModelSnapshot.class);
        Map<String, Long> snapshotsPerKey = new HashMap<>();
        for (Records.Message m : Records.readToEnd(client, config.snapshotsTopic(), timeout)) {
            ModelSnapshot s = snapshotCodec.decode(m.value()).value();
            assertThat(ModelSnapshots.problems(s)).as("problems of %s v%s", s.getKey(), s.getVersion()).isEmpty();
            for (LayerParameters layer : s.getParameters()) {
                assertThat(layer.getWeights()).as("weights of %s v%s", s.getKey(), s.getVersion()).allMatch(Double::isFinite);
                assertThat(layer.getBiases()).as("biases of %s v%s", s.getKey(), s.getVersion()).allMatch(Double::isFinite);
            }
            if (s.getOptimizerState() != null) {
                for (List<Double> buffer : s.getOptimizerState().getBuffers()) {
                    assertThat(buffer).as("optimizer state of %s", s.getKey()).allMatch(Double::isFinite);
                }
            }
            snapshotsPerKey.merge(s.getKey().toString(), 1L, Long::sum);
        }
        for (EpochMetrics e : last.values()) {
            assertThat(snapshotsPerKey.get(e.getKey().toString())).as("one snapshot per epoch of %s", e.getKey())
                    .isEqualTo(e.getEpoch());
        }
    }

    /** What a dead letter keeps of a record's value: all of it, or for an oversized record 64 KiB less 8 KiB. */
    private static byte[] kept(byte[] value) {
        return value.length <= MAX_RECORD_BYTES - 8192 ? value : Arrays.copyOf(value, MAX_RECORD_BYTES - 8192);
    }

    /** A valid single-object header followed by an id whose length prefix claims 1 GiB, then 2 bytes. */
    private static byte[] claimsHugeString(byte[] valid) {
        byte[] out = Arrays.copyOf(valid, 17);
        // Avro long 2^30: zig-zag 2^31, as a little-endian base-128 varint 80 80 80 80 08
        byte[] length = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08, 'i', 'd'};
        System.arraycopy(length, 0, out, 10, length.length);
        return out;
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    private static int subtask(String key) {
        return KeyGroupRangeAssignment.assignKeyToParallelOperator(key, MAX_PARALLELISM, PARALLELISM);
    }

    /** The first key k1, k2, ... on {@code subtask}. */
    private static String firstKey(int subtask) {
        for (int i = 1; ; i++) {
            if (subtask("k" + i) == subtask) {
                return "k" + i;
            }
        }
    }
}
