package dev.epochstream.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.epochstream.learner.config.RawConfig;
import dev.epochstream.learner.config.TrainingConfig;
import dev.epochstream.learner.data.Example;
import dev.epochstream.learner.data.SparseVector;
import dev.epochstream.learner.epoch.ModelImage;
import dev.epochstream.learner.epoch.ModelState;
import dev.epochstream.learner.epoch.Predictor;
import dev.epochstream.learner.epoch.Scored;
import dev.epochstream.learner.epoch.TaskType;
import dev.epochstream.learner.features.FeatureProblem;
import dev.epochstream.learner.features.Standardizer;
import dev.epochstream.schemas.ModelSnapshot;
import dev.epochstream.schemas.ModelSnapshots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The client without Kafka: snapshot files go through the same validation, swap and serving path as records. */
class ModelClientFilesTest {

    /** Below target/ (the build's java.io.tmpdir), never in /tmp. */
    private final Path dir = TestModels.tempDir("files");

    private final TrainingConfig classifier = TestModels.classifier();
    private final List<ModelSnapshot> versions = TestModels.versions(classifier, "fraud", 7, 11);
    private final RecordingListener events = new RecordingListener();

    @Test
    void servesTheHandComputedForwardPassOfAStandardisedModel() throws IOException {
        // layers 2 -> 2 (tanh) -> 1 (identity), mse; standardiser count 4, means (1, 2), m2 (16, 0)
        TrainingConfig cfg = TrainingConfig.from(RawConfig.of(Map.of("model.layers", "2,2,1",
                "model.activations", "tanh,identity", "model.loss", "mse", "features.standardize", "true")));
        double[][] params = {{0.5, -0.25, 0.75, 1.0}, {0.1, -0.2}, {1.5, -2.0}, {0.3}};
        ModelImage image = new ModelImage("house", 3, ModelState.NO_TIME, params, null,
                new Standardizer(4, new double[] {1, 2}, new double[] {16, 0}), 4, 4, 0, 0, 0, 0, 1);
        ModelClient client = ModelClient.fromFiles(write(ModelSnapshots.of(cfg, image, 1000L)));

        ModelPrediction p = client.predict("house", new double[] {3, 5});

        // x' = ((3 - 1) / sqrt(16 / 4), 5 - 2) = (1, 3): a zero std only centres
        double h0 = StrictMath.tanh(0.5 * 1 - 0.25 * 3 + 0.1);
        double h1 = StrictMath.tanh(0.75 * 1 + 1.0 * 3 - 0.2);
        double y = 1.5 * h0 - 2.0 * h1 + 0.3;
        assertThat(p.key()).isEqualTo("house");
        assertThat(p.version()).isEqualTo(3);
        assertThat(p.task()).isEqualTo(TaskType.REGRESSION);
        assertThat(p.scores()).hasSize(1);
        assertThat(p.scores()[0]).isCloseTo(y, within(1e-12));
        assertThat((Double) p.prediction()).isCloseTo(y, within(1e-12));
    }

    @Test
    void predictionsAreBitIdenticalToTheLearnersPredictorInEveryInputForm() throws IOException {
        ModelSnapshot cls = versions.get(6);
        TrainingConfig regCfg = TestModels.hashedRegression();
        ModelSnapshot reg = TestModels.versions(regCfg, "price", 3, 5).get(2);
        ModelClient client = ModelClient.fromFiles(write(cls), write(reg));
        Predictor clsRef = ModelSnapshots.predictor(cls);
        Predictor regRef = ModelSnapshots.predictor(reg);
        Random rnd = new Random(3);
        for (int i = 0; i < 50; i++) {
            Example c = TestModels.input(classifier, "fraud", rnd);
            Scored expected = clsRef.predict(c);
            assertSame(client.predict("fraud", c.dense()), expected);
            assertSame(client.predict("fraud", c), expected);
            SparseVector sparse = sparse(c.dense());
            assertSame(client.predict("fraud", sparse),
                    clsRef.predict(new Example(null, "fraud", 0, null, sparse, null, 1, null)));

            Example r = TestModels.input(regCfg, "price", rnd);
            Scored expectedReg = regRef.predict(r);
            assertSame(client.predict("price", r.dense(), r.attributes()), expectedReg);
            assertSame(client.predict("price", r), expectedReg);
        }
    }

    @Test
    void rejectsCorruptInvalidStaleAndDuplicateSnapshotsWhileThePreviousModelKeepsServing() throws IOException {
        ModelClient client = clientWithListener();
        for (int v = 0; v < 3; v++) {
            client.loadFile(write(versions.get(v)));
        }
        ModelSnapshot v3 = versions.get(2);
        ModelSnapshot newer = versions.get(3);
        byte[] good = TestModels.encode(newer);
        byte[] unknownSchema = good.clone();
        unknownSchema[2] ^= 0x5A; // a fingerprint no schema version has
        Map<RejectReason, Path> bad = new java.util.LinkedHashMap<>();
        bad.put(RejectReason.UNDECODABLE, writeBytes("garbage", "not a snapshot at all".getBytes()));
        bad.put(RejectReason.UNKNOWN_SCHEMA, writeBytes("unknown-schema", unknownSchema));
        bad.put(RejectReason.CHECKSUM_MISMATCH, write(TestModels.withBadChecksum(newer, 10)));
        bad.put(RejectReason.INVALID_MODEL, write(TestModels.withMissingWeight(newer, 11)));
        bad.put(RejectReason.STALE, write(versions.get(0)));
        bad.put(RejectReason.DUPLICATE, write(v3));

        for (Map.Entry<RejectReason, Path> e : bad.entrySet()) {
            assertThatThrownBy(() -> client.loadFile(e.getValue()))
                    .isInstanceOfSatisfying(SnapshotRejectedException.class,
                            ex -> assertThat(ex.rejection().reason()).isEqualTo(e.getKey()));
            assertThat(client.servingVersion("fraud")).hasValue(v3.getVersion());
        }
        assertThatThrownBy(() -> client.loadFile(write(TestModels.withNaN(newer, 12))))
                .isInstanceOf(SnapshotRejectedException.class).hasMessageContaining("non-finite");
        Path truncated = writeBytes("truncated", Arrays.copyOf(good, good.length - 9));
        assertThatThrownBy(() -> client.loadFile(truncated)).isInstanceOf(SnapshotRejectedException.class)
                .hasMessageContaining("undecodable");

        assertThat(events.rejections).extracting(Rejection::reason).containsExactly(RejectReason.UNDECODABLE,
                RejectReason.UNKNOWN_SCHEMA, RejectReason.CHECKSUM_MISMATCH, RejectReason.INVALID_MODEL,
                RejectReason.STALE, RejectReason.DUPLICATE, RejectReason.INVALID_MODEL, RejectReason.UNDECODABLE);
        assertThat(events.rejections.get(2).message()).contains("checksum mismatch");
        assertThat(events.rejections.get(3).message()).contains("layer 0 has shape");
        assertThat(client.rejectedCount()).isEqualTo(8);
        assertThat(client.metrics().rejectedByReason()).containsEntry(RejectReason.INVALID_MODEL, 2L)
                .containsEntry(RejectReason.STALE, 1L).containsEntry(RejectReason.KEY_MISMATCH, 0L);
        // still exactly version 3's answers
        Example e = TestModels.input(classifier, "fraud", new Random(1));
        assertSame(client.predict("fraud", e), ModelSnapshots.predictor(v3).predict(e));

        ReloadEvent next = client.loadFile(write(newer));
        assertThat(next.version()).isEqualTo(newer.getVersion());
        assertThat(next.previousVersion()).isEqualTo(v3.getVersion());
        assertThat(next.serving()).isTrue();
        assertThat(events.reloads).hasSize(4);
    }

    @Test
    void refusesInputsThatDoNotFitAndKeysWithoutAModel() throws IOException {
        ModelClient client = ModelClient.fromFiles(write(versions.get(0)));

        assertThatThrownBy(() -> client.predict("fraud", new double[] {1, 2}))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FeatureProblem.Kind.WRONG_DIMENSION);
                    assertThat(e.version()).isEqualTo(versions.get(0).getVersion());
                })
                .hasMessageContaining("dimension 2, the model expects 3");
        assertThatThrownBy(() -> client.predict("fraud", new double[] {1, Double.NaN, 2}))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.kind()).isEqualTo(FeatureProblem.Kind.NON_FINITE));
        assertThatThrownBy(() -> client.predict("fraud", new SparseVector(3, new int[] {2, 1}, new double[] {1, 1})))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.kind()).isEqualTo(FeatureProblem.Kind.BAD_SPARSE_VECTOR));
        assertThatThrownBy(() -> client.predict("spam", new double[] {1, 2, 3}))
                .isInstanceOfSatisfying(NoModelException.class, e -> {
                    assertThat(e.reason()).isEqualTo(NoModelException.Reason.NOT_LOADED);
                    assertThat(e.key()).isEqualTo("spam");
                });
        assertThatThrownBy(() -> client.start()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void pinAndRollbackHoldUntilReleasedAndTheHistoryIsBounded() throws IOException {
        ModelClient client = clientWithListener();
        for (int v = 0; v < 3; v++) {
            client.loadFile(write(versions.get(v)));
        }
        long v1 = versions.get(0).getVersion();
        long v2 = versions.get(1).getVersion();
        long v3 = versions.get(2).getVersion();

        assertThat(client.rollback("fraud")).isEqualTo(v2);
        assertThat(client.rollback("fraud")).isEqualTo(v1);
        assertThatThrownBy(() -> client.rollback("fraud")).isInstanceOf(VersionNotAvailableException.class)
                .hasMessageContaining("no version older than " + v1);
        client.pin("fraud", v2);
        Example e = TestModels.input(classifier, "fraud", new Random(2));
        assertSame(client.predict("fraud", e), ModelSnapshots.predictor(versions.get(1)).predict(e));

        // new versions are accepted but do not serve while pinned; v2 leaves the 5-version history yet stays pinned
        for (int v = 3; v < 7; v++) {
            ReloadEvent r = client.loadFile(write(versions.get(v)));
            assertThat(r.serving()).isFalse();
            assertThat(client.servingVersion("fraud")).hasValue(v2);
        }
        ModelClientMetrics.KeyMetrics m = client.metrics().keys().get("fraud");
        assertThat(m.pinned()).isTrue();
        assertThat(m.newestVersion()).isEqualTo(versions.get(6).getVersion());
        assertThat(m.versions()).containsExactly(v2, versions.get(2).getVersion(), versions.get(3).getVersion(),
                versions.get(4).getVersion(), versions.get(5).getVersion(), versions.get(6).getVersion());
        assertThatThrownBy(() -> client.pin("fraud", v1)).isInstanceOfSatisfying(VersionNotAvailableException.class,
                ex -> assertThat(ex.available()).doesNotContain(v1));

        assertThat(client.unpin("fraud")).isEqualTo(versions.get(6).getVersion());
        assertThat(client.servingVersion("fraud")).hasValue(versions.get(6).getVersion());
        assertThat(client.rollback("fraud")).isEqualTo(versions.get(5).getVersion());
        client.pin("fraud", v3);
        assertThat(client.servingVersion("fraud")).hasValue(v3);
        assertThatThrownBy(() -> client.pin("other", 1)).isInstanceOf(NoModelException.class);
    }

    @Test
    void gaugesReportServingVersionLagAndCounts() throws IOException {
        long now = TestModels.CREATED_AT_BASE + 60_000;
        ModelClient client = new ModelClient(null, Clock.fixed(Instant.ofEpochMilli(now), ZoneOffset.UTC), List.of());
        ModelSnapshot s = versions.get(1);
        ReloadEvent r = client.loadFile(write(s));

        long createdAt = TestModels.CREATED_AT_BASE + s.getVersion();
        assertThat(r.createdAtMillis()).isEqualTo(createdAt);
        assertThat(r.lagMillis()).isEqualTo(now - createdAt);
        assertThat(client.reloadLagMillis("fraud")).hasValue(now - createdAt);
        assertThat(client.reloadLagMillis("nope")).isEmpty();
        assertThat(client.servingVersion("fraud")).hasValue(s.getVersion());
        ModelClientMetrics m = client.metrics();
        assertThat(m.bootstrapped()).isTrue();
        assertThat(m.reloads()).isEqualTo(1);
        assertThat(m.rejected()).isZero();
        assertThat(m.failure()).isNull();
        assertThat(m.keys()).containsOnlyKeys("fraud");
        assertThat(m.keys().get("fraud").reloadLagMillis()).isEqualTo(now - createdAt);
        assertThat(client.keys()).containsExactly("fraud");
    }

    private ModelClient clientWithListener() {
        ModelClient client = new ModelClient(null, Clock.systemUTC(), List.of());
        client.addListener(events);
        return client;
    }

    static void assertSame(ModelPrediction actual, Scored expected) {
        assertThat(actual.version()).isEqualTo(expected.modelVersion());
        assertThat(actual.task()).isEqualTo(expected.task());
        // Double.equals compares bits: bit-identical, not merely close
        assertThat(actual.scores()).containsExactly(expected.scores());
        if (expected.prediction() instanceof double[] d) {
            assertThat((double[]) actual.prediction()).containsExactly(d);
        } else {
            assertThat(actual.prediction()).isEqualTo(expected.prediction());
        }
    }

    private static SparseVector sparse(double[] x) {
        int n = 0;
        for (double v : x) {
            n += v != 0 ? 1 : 0;
        }
        int[] idx = new int[n];
        double[] val = new double[n];
        for (int i = 0, k = 0; i < x.length; i++) {
            if (x[i] != 0) {
                idx[k] = i;
                val[k++] = x[i];
            }
        }
        return new SparseVector(x.length, idx, val);
    }

    private int files;

    @Test
    void aListenerThatThrowsAnythingIsLoggedAndTheReloadsGoOn() throws IOException {
        ModelClient client = ModelClient.fromFiles(write(versions.get(0)));
        client.addListener(new ModelClientListener() {
            @Override
            public void onReload(ReloadEvent event) {
                throw new AssertionError("a listener's own bug");
            }

            @Override
            public void onRejection(Rejection rejection) {
                sneakyThrow(new IOException("a checked exception, as a Kotlin listener may throw"));
            }
        });
        client.addListener(events);

        ReloadEvent second = client.loadFile(write(versions.get(1)));
        assertThat(second.version()).isEqualTo(versions.get(1).getVersion());
        assertThatThrownBy(() -> client.loadFile(write(versions.get(0)))).isInstanceOf(SnapshotRejectedException.class);
        client.loadFile(write(versions.get(2)));

        // the listener after the failing one still heard everything, and the newest version serves
        assertThat(events.reloads).extracting(ReloadEvent::version)
                .containsExactly(versions.get(1).getVersion(), versions.get(2).getVersion());
        assertThat(events.rejections).hasSize(1);
        assertThat(client.servingVersion("fraud")).hasValue(versions.get(2).getVersion());
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void sneakyThrow(Throwable e) throws E {
        throw (E) e;
    }

    private Path write(ModelSnapshot s) throws IOException {
        return writeBytes(s.getKey() + "-v" + s.getVersion(), TestModels.encode(s));
    }

    private Path writeBytes(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve((files++) + "-" + name + ".snap"), bytes);
    }
}
