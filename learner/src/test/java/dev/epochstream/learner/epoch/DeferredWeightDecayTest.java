package dev.epochstream.learner.epoch;

import static dev.epochstream.learner.epoch.TestConfigs.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.learner.config.TrainingConfig;
import dev.epochstream.learner.data.Example;
import dev.epochstream.learner.data.SparseVector;
import dev.epochstream.learner.optim.OptimizerState;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The epoch trainer catches deferred weight decay of sparse columns up (SGD with weight decay on a sparse
 * first layer), and that catch-up is not an update: an epoch that trains nothing keeps the model's version. An
 * epoch catches up only the columns it reads, an export every column: results, predictions and exports are
 * those of a model caught up whole before every epoch.
 */
class DeferredWeightDecayTest {
    private static final int INPUTS = 5000; // above the trainer's sparse-input threshold

    private final EpochTrainer trainer = new EpochTrainer(config("model.layers", INPUTS + ",1",
            "model.activations", "sigmoid", "model.loss", "bce", "optimizer", "sgd", "optimizer.lr", "0.1",
            "optimizer.weight-decay", "0.1", "train.batch-size", "2"));

    @Test
    void anEpochThatOnlyCatchesUpKeepsTheVersion() {
        ModelState m = trainer.newModel("k");
        trainer.trainEpoch(m, List.of(event("a", 1, 1.0), event("b", 2, 0.0)), 0, 1, 0);
        assertThat(m.version()).isEqualTo(1);

        // a model stored before every epoch ended caught up: column 7 still owes the steps since step 0
        ModelImage image = trainer.image(m, true);
        OptimizerState opt = image.optimizer();
        double[] currentStep = opt.buffer(opt.buffers().length - image.parameters().length - 1);
        currentStep[7] = 0;
        ModelState restored = trainer.restore(image);

        List<Example> unlabelled = new ArrayList<>();
        unlabelled.add(event("c", 3, null));
        EpochResult r = trainer.trainEpoch(restored, unlabelled, 1, 2, 0);

        assertThat(restored.version()).as("no update was applied").isEqualTo(1);
        assertThat(r.modelVersion()).isEqualTo(1);
    }

    @Test
    void epochsReadOnlyCaughtUpColumnsSoTheyScoreAndExportAsIfEveryColumnWereCaughtUp() {
        for (String optimizer : new String[] {"sgd", "adagrad"}) {
            TrainingConfig config = config("model.layers", INPUTS + ",3,1", "model.activations", "tanh,sigmoid",
                    "model.loss", "bce", "optimizer", optimizer, "optimizer.lr", "0.1", "optimizer.weight-decay",
                    "0.1", "train.batch-size", "3", "train.holdout", "0.25", "epoch.window", "count:12");
            EpochTrainer lazy = new EpochTrainer(config);
            EpochTrainer eager = new EpochTrainer(config);
            ModelState a = lazy.newModel("k");
            ModelState b = eager.newModel("k");
            for (int epoch = 0; epoch < 6; epoch++) {
                eager.image(b, true); // catches every column up before the epoch
                List<Example> window = window(epoch);
                assertThat(lazy.trainEpoch(a, window, epoch, epoch + 1, 0)).as("%s epoch %d", optimizer, epoch)
                        .isEqualTo(eager.trainEpoch(b, window, epoch, epoch + 1, 0));
            }
            eager.image(b, true);
            assertThat(EpochTrainerTest.bitIdentical(a.parameters(), b.parameters()))
                    .as("%s: some columns still owe decay before the export", optimizer).isFalse();

            Example unlabelled = new Example("p", "k", 1000L, null,
                    new SparseVector(INPUTS, new int[] {3, 61}, new double[] {1.0, -2.0}), null, 1.0, null);
            assertThat(lazy.score(a, unlabelled).scores()).isEqualTo(eager.score(b, unlabelled).scores());
            ModelImage exported = lazy.image(a, true);
            EpochTrainerTest.assertBitIdentical(exported.parameters(), b.parameters());
            EpochTrainerTest.assertBitIdentical(exported.optimizer().buffers(), b.optimizerState().buffers());
        }
    }

    /** Twelve events of two columns each from [0, 80): every epoch skips most columns, and reads some it skipped. */
    private static List<Example> window(int epoch) {
        SplittableRandom r = new SplittableRandom(31L * epoch + 5);
        List<Example> w = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            int first = r.nextInt(40);
            w.add(new Example("w" + epoch + "-" + i, "k", 1000L + i, null, new SparseVector(INPUTS,
                    new int[] {first, first + 1 + r.nextInt(40)}, new double[] {r.nextGaussian(), 1.0}),
                    new double[] {r.nextInt(2)}, 1.0, null));
        }
        return w;
    }

    private static Example event(String id, int column, Double label) {
        return new Example(id, "k", 1000L, null, new SparseVector(INPUTS, new int[] {column}, new double[] {1.0}),
                label == null ? null : new double[] {label}, 1.0, null);
    }
}
