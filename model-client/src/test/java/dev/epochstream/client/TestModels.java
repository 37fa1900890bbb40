package dev.epochstream.client;

import dev.epochstream.learner.config.RawConfig;
import dev.epochstream.learner.config.TrainingConfig;
import dev.epochstream.learner.data.Example;
import dev.epochstream.learner.epoch.EpochTrainer;
import dev.epochstream.learner.epoch.ModelState;
import dev.epochstream.schemas.LayerParameters;
import dev.epochstream.schemas.ModelSnapshot;
import dev.epochstream.schemas.ModelSnapshots;
import dev.epochstream.schemas.SnapshotChecksum;
import dev.epochstream.schemas.codec.AvroSingleObjectCodec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Real snapshots, made as the job makes them: an {@link EpochTrainer} trained epoch by epoch, seeded. */
final class TestModels {
    /** Every snapshot is stamped this many milliseconds after the epoch plus its version. */
    static final long CREATED_AT_BASE = 1_700_000_000_000L;

    private TestModels() {
    }

    /** A 3-class classifier: 3 dense inputs, 5 tanh units, softmax, cross-entropy. */
    static TrainingConfig classifier() {
        return config(Map.of("model.layers", "3,5,3", "model.activations", "tanh,softmax", "model.loss", "cce"));
    }

    /**
     * A regression on 3 standardised dense inputs plus attributes hashed into 2^4 columns (19 inputs),
     * so that serving has to apply both kinds of preprocessing.
     */
    static TrainingConfig hashedRegression() {
        return config(Map.of("model.layers", "19,4,1", "model.activations", "relu,identity", "model.loss", "mse",
                "features.standardize", "true", "features.hash-bits", "4"));
    }

    private static TrainingConfig config(Map<String, String> model) {
        Map<String, String> m = new HashMap<>(model);
        m.put("optimizer", "sgd");
        m.put("optimizer.lr", "0.05");
        m.put("epoch.window", "count:16");
        m.put("train.batch-size", "8");
        m.put("model.seed", "7");
        return TrainingConfig.from(RawConfig.of(m));
    }

    /** Snapshots of {@code key} after epochs 1..count: versions strictly increasing, parameters all different. */
    static List<ModelSnapshot> versions(TrainingConfig cfg, String key, int count, long seed) {
        EpochTrainer trainer = new EpochTrainer(cfg);
        ModelState m = trainer.newModel(key);
        Random rnd = new Random(seed);
        List<ModelSnapshot> out = new ArrayList<>();
        for (int epoch = 0; epoch < count; epoch++) {
            List<Example> window = new ArrayList<>();
            for (int i = 0; i < cfg.window().count(); i++) {
                window.add(labelled(cfg, key, rnd));
            }
            trainer.trainEpoch(m, window, ModelState.NO_TIME, ModelState.NO_TIME, 0);
            ModelSnapshot s = ModelSnapshots.of(cfg, trainer.image(m, false), 0L);
            s.setCreatedAt(java.time.Instant.ofEpochMilli(CREATED_AT_BASE + s.getVersion()));
            out.add(s);
        }
        return out;
    }

    /** An unlabelled event fitting {@code cfg}: dense features, and an attribute when the model hashes them. */
    static Example input(TrainingConfig cfg, String key, Random rnd) {
        Example e = labelled(cfg, key, rnd);
        return new Example(e.id(), key, 0L, e.dense(), null, null, 1.0, e.attributes());
    }

    private static Example labelled(TrainingConfig cfg, String key, Random rnd) {
        int n = cfg.denseInputs();
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextGaussian() * 2 + 1;
        }
        Map<String, String> attrs = cfg.hashBits() > 0 ? Map.of("colour", rnd.nextBoolean() ? "red" : "blue") : null;
        double[] label;
        if (cfg.lossName().equals("cce")) {
            int best = 0;
            for (int i = 1; i < n; i++) {
                best = x[i] > x[best] ? i : best;
            }
            label = new double[] {best};
        } else {
            label = new double[] {x[0] - 0.5 * x[1] + ("red".equals(attrs.get("colour")) ? 1 : 0)};
        }
        return new Example("e" + rnd.nextInt(), key, 0L, x, null, label, 1.0, attrs);
    }

    /** A fresh directory below java.io.tmpdir, which the build points into target/. */
    static java.nio.file.Path tempDir(String prefix) {
        try {
            java.nio.file.Path parent = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"));
            java.nio.file.Files.createDirectories(parent);
            return java.nio.file.Files.createTempDirectory(parent, prefix);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static byte[] encode(ModelSnapshot s) {
        return AvroSingleObjectCodec.forClass(ModelSnapshot.class).encode(s);
    }

    /** A deep copy of {@code s} with another version (the checksum covers parameters only, so it stays valid). */
    static ModelSnapshot withVersion(ModelSnapshot s, long version) {
        ModelSnapshot c = ModelSnapshot.newBuilder(s).build();
        c.setVersion(version);
        return c;
    }

    /** A copy whose first weight is changed but whose checksum is not: corrupt. */
    static ModelSnapshot withBadChecksum(ModelSnapshot s, long version) {
        return withLayerEdit(s, version, 0, false, p -> {
            List<Double> w = new ArrayList<>(p.getWeights());
            w.set(0, w.get(0) + 1e-9);
            p.setWeights(w);
        });
    }

    /** A copy whose first layer lost its last weight, with a matching checksum: a shape mismatch. */
    static ModelSnapshot withMissingWeight(ModelSnapshot s, long version) {
        return withLayerEdit(s, version, 0, true, p -> {
            List<Double> w = new ArrayList<>(p.getWeights());
            w.remove(w.size() - 1);
            p.setWeights(w);
        });
    }

    /** A copy with a NaN bias in the last layer and a matching checksum. */
    static ModelSnapshot withNaN(ModelSnapshot s, long version) {
        return withLayerEdit(s, version, s.getParameters().size() - 1, true, p -> {
            List<Double> b = new ArrayList<>(p.getBiases());
            b.set(0, Double.NaN);
            p.setBiases(b);
        });
    }

    private static ModelSnapshot withLayerEdit(ModelSnapshot s, long version, int layer, boolean fixChecksum,
                                               java.util.function.Consumer<LayerParameters> edit) {
        ModelSnapshot c = withVersion(s, version);
        List<LayerParameters> layers = new ArrayList<>(c.getParameters());
        LayerParameters edited = LayerParameters.newBuilder(layers.get(layer)).build();
        edit.accept(edited);
        layers.set(layer, edited);
        c.setParameters(layers);
        if (fixChecksum) {
            c.setChecksum(SnapshotChecksum.compute(c));
        }
        return c;
    }
}
