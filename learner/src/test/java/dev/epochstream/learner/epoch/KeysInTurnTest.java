package dev.epochstream.learner.epoch;

import static dev.epochstream.learner.epoch.EpochTrainerTest.assertBitIdentical;
import static dev.epochstream.learner.epoch.TestConfigs.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.learner.config.TrainingConfig;
import dev.epochstream.learner.data.Example;
import dev.epochstream.learner.data.SparseVector;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * One trainer serves many keys in turn by binding its working network to each key's own parameter arrays: an
 * epoch updates that key's arrays in place, leaves every other key's alone, and a key trained in turn with
 * others ends bit for bit where it ends trained alone (parameters and optimizer state).
 */
class KeysInTurnTest {
    private static final int SPARSE_INPUTS = 5000; // above the trainer's sparse-input threshold

    @Test
    void anEpochUpdatesTheKeysOwnArraysInPlaceAndNoOtherKeys() {
        EpochTrainer trainer = new EpochTrainer(denseConfig());
        ModelState a = trainer.newModel("a");
        ModelState b = trainer.newModel("b");
        double[] aWeights = a.parameters()[0];
        double[][] aBefore = TestConfigs.copy(a.parameters());
        double[][] bBefore = TestConfigs.copy(b.parameters());

        trainer.trainEpoch(a, denseWindow(1, 0), 0, 1, 0);

        assertThat(a.parameters()[0]).as("the same array, trained").isSameAs(aWeights);
        assertThat(a.parameters()[0]).isNotEqualTo(aBefore[0]);
        assertBitIdentical(b.parameters(), bBefore);

        trainer.trainEpoch(b, denseWindow(2, 0), 0, 1, 0);
        assertThat(b.parameters()[0]).isNotEqualTo(bBefore[0]);
        assertThat(a.parameters()[0]).isSameAs(aWeights);
    }

    @Test
    void denseKeysTrainedInTurnEndWhereEachEndsAlone() {
        TrainingConfig config = denseConfig();
        assertInTurnEqualsAlone(config, (key, epoch) -> denseWindow(key * 100 + 1, epoch));
    }

    @Test
    void sparseKeysWithDeferredWeightDecayTrainedInTurnEndWhereEachEndsAlone() {
        // SGD with weight decay on a sparse first layer: untouched columns owe decay that each epoch catches up
        TrainingConfig config = config("model.layers", SPARSE_INPUTS + ",3,1", "model.activations", "tanh,sigmoid",
                "model.loss", "bce", "optimizer", "sgd", "optimizer.lr", "0.1", "optimizer.weight-decay", "0.05",
                "train.batch-size", "4", "epoch.window", "count:12");
        assertInTurnEqualsAlone(config, (key, epoch) -> sparseWindow(key * 100 + 7, epoch));
    }

    private interface Windows {
        List<Example> of(int key, int epoch);
    }

    private static void assertInTurnEqualsAlone(TrainingConfig config, Windows windows) {
        int keys = 3;
        int epochs = 4;
        EpochTrainer shared = new EpochTrainer(config);
        ModelState[] inTurn = new ModelState[keys];
        for (int k = 0; k < keys; k++) {
            inTurn[k] = shared.newModel("k" + k);
        }
        for (int e = 0; e < epochs; e++) {
            for (int k = 0; k < keys; k++) {
                shared.trainEpoch(inTurn[k], windows.of(k, e), e, e + 1, 0);
            }
        }
        for (int k = 0; k < keys; k++) {
            EpochTrainer own = new EpochTrainer(config);
            ModelState alone = own.newModel("k" + k);
            for (int e = 0; e < epochs; e++) {
                own.trainEpoch(alone, windows.of(k, e), e, e + 1, 0);
            }
            assertThat(inTurn[k].version()).isEqualTo(epochs);
            assertBitIdentical(inTurn[k].parameters(), alone.parameters());
            assertBitIdentical(inTurn[k].optimizerState().buffers(), alone.optimizerState().buffers());
        }
    }

    private static TrainingConfig denseConfig() {
        return config("model.layers", "4,5,3", "model.activations", "relu,softmax", "model.loss", "cce",
                "optimizer", "adam", "optimizer.lr", "0.05", "train.batch-size", "3", "epoch.window", "count:10");
    }

    private static List<Example> denseWindow(int seed, int epoch) {
        SplittableRandom r = new SplittableRandom(seed * 1000L + epoch);
        List<Example> w = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            double[] x = {r.nextGaussian(), r.nextGaussian(), r.nextGaussian(), r.nextGaussian()};
            w.add(Example.dense("d" + seed + "-" + epoch + "-" + i, "k", 1000L + i, x, new double[] {r.nextInt(3)}));
        }
        return w;
    }

    private static List<Example> sparseWindow(int seed, int epoch) {
        SplittableRandom r = new SplittableRandom(seed * 1000L + epoch);
        List<Example> w = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            // a few columns from a small range, so that keys and epochs share some and skip others
            int first = r.nextInt(40);
            int[] idx = {first, first + 1 + r.nextInt(40)};
            double[] val = {r.nextGaussian(), 1.0};
            w.add(new Example("s" + seed + "-" + epoch + "-" + i, "k", 1000L + i, null,
                    new SparseVector(SPARSE_INPUTS, idx, val), new double[] {r.nextInt(2)}, 1.0, null));
        }
        return w;
    }
}
