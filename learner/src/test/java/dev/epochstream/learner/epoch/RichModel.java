package dev.epochstream.learner.epoch;


import dev.epochstream.learner.config.TrainingConfig;
import dev.epochstream.learner.data.Example;
import dev.epochstream.learner.data.SparseVector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A model that uses every part of the state: a 3-class softmax network over 2 dense inputs plus 2^2 hashed
 * attribute columns, standardisation, Adam, reduce-on-plateau, holdout and rolling metrics.
 */
final class RichModel {
    private RichModel() {
    }

    static TrainingConfig config(String... extra) {
        String[] base = {"model.layers", "6,5,3", "model.activations", "tanh,softmax", "model.loss", "cce",
                "optimizer", "adam", "optimizer.lr", "0.05", "schedule", "plateau", "schedule.patience", "1",
                "train.batch-size", "3", "train.holdout", "0.3", "features.standardize", "true",
                "features.hash-bits", "2", "metrics.rolling-epochs", "2", "snapshot.optimizer-state", "true"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return TestConfigs.config(all);
    }

    private static final String[] COLORS = {"red", "green", "blue", "violet"};

    /** Events {@code prefix0 ..}: dense or sparse features of scale ~10 around 5, a colour attribute. */
    static List<Example> window(String prefix, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Example> w = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double a = 5 + 10 * (r.nextDouble() - 0.5);
            double b = r.nextInt(3) == 0 ? 0.0 : -3 + 4 * r.nextDouble();
            int cls = a > 5 ? (b > 0 ? 2 : 1) : 0;
            Map<String, String> attrs = Map.of("color", COLORS[r.nextInt(COLORS.length)]);
            Example e = b == 0.0 && i % 2 == 0
                    ? new Example(prefix + i, "k", 100L * i, null, new SparseVector(2, new int[] {0}, new double[] {a}),
                            new double[] {cls}, 1.0, attrs)
                    : new Example(prefix + i, "k", 100L * i, new double[] {a, b}, null, new double[] {cls}, 1.0, attrs);
            w.add(e);
        }
        return w;
    }

    /** A model of {@code t} trained on {@code epochs} windows. */
    static ModelState trained(EpochTrainer t, int epochs) {
        ModelState m = t.newModel("k");
        for (int e = 0; e < epochs; e++) {
            t.trainEpoch(m, window("w" + e + "-", 12, e), ModelState.NO_TIME, ModelState.NO_TIME, 0);
        }
        return m;
    }

}
