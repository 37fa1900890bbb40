package dev.epochstream.learner.epoch;

import static dev.epochstream.learner.epoch.TestConfigs.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.learner.config.TrainingConfig;
import dev.epochstream.learner.data.Example;
import dev.epochstream.learner.data.SparseVector;
import dev.epochstream.learner.optim.OptimizerState;
import java.util.ArrayList;
import java.util.Arrays;
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

    /**
     * SGD with lr·weight_decay = 1·3 > 2: a zero-gradient step multiplies a weight by 1 − lr·wd = −2 (torch's
     * {@code p.add_(wd·p, alpha=−lr)}), so a column skipped long enough owes a decay that overflows. Column 7 is
     * trained once (|w| ~1e6), then skipped by 1,010 accepted steps (the batches' column and the bias stay
     * finite, ~2^1010): its replay would reach 1e6·2^1010 > Double.MAX_VALUE. Catch-ups run outside the step's
     * guard, on reads and exports, and must never write a non-finite value into the model: the column keeps its
     * value from before the catch-up. Returns that value.
     */
    private static double columnSevenOwesAnOverflowingDecay(EpochTrainer t, ModelState m) {
        t.trainEpoch(m, List.of(event("big", 7, 1e6, 0.0)), 0, 1, 0);
        List<Example> skipping = new ArrayList<>();
        for (int i = 0; i < 1010; i++) {
            skipping.add(event("s" + i, 8, 1.0, (double) (i % 2)));
        }
        EpochResult r = t.trainEpoch(m, skipping, 1, 2, 0);
        assertThat(r.updateRefused()).as("every step touches only finite values and is accepted").isFalse();
        assertThat(m.optimizerState().step()).isEqualTo(1011);
        assertThat(m.parametersFinite()).isTrue();
        return m.parameters()[0][7];
    }

    private static final String[] DIVERGING_SGD = {"model.layers", INPUTS + ",1", "model.activations", "sigmoid",
            "model.loss", "bce", "optimizer", "sgd", "optimizer.lr", "1", "optimizer.weight-decay", "3",
            "train.batch-size", "1"};

    @Test
    void anExportNeverCatchesAColumnUpIntoANonFiniteValue() {
        EpochTrainer t = new EpochTrainer(config(DIVERGING_SGD));
        ModelState m = t.newModel("k");
        double before = m.parameters()[0][9];
        double w7 = columnSevenOwesAnOverflowingDecay(t, m);

        ModelImage image = t.image(m, true);

        assertThat(image.parameters()[0][7]).as("column 7 keeps its value: the decay it owed is dropped")
                .isEqualTo(w7);
        assertThat(m.parametersFinite()).as("the model after the export's catch-up").isTrue();
        for (double[] buffer : image.optimizer().buffers()) {
            assertThat(Arrays.stream(buffer).allMatch(Double::isFinite)).as("optimizer state finite").isTrue();
        }
        assertThat(image.parameters()[0][9]).as("column 9's decay stays finite and is applied")
                .isFinite().isNotEqualTo(before);
        assertThat(t.image(m, true).parameters()[0][7]).as("column 7 is current: nothing left to catch up")
                .isEqualTo(w7);
    }

    @Test
    void aReadNeverCatchesAColumnUpIntoANonFiniteValue() {
        EpochTrainer t = new EpochTrainer(config(DIVERGING_SGD));
        ModelState m = t.newModel("k");
        double w7 = columnSevenOwesAnOverflowingDecay(t, m);

        Scored s = t.score(m, event("p", 7, 1.0, null));

        assertThat(m.parameters()[0][7]).as("column 7 after a score's catch-up").isEqualTo(w7);
        assertThat(m.parametersFinite()).as("the model after a score's catch-up").isTrue();
        assertThat(Arrays.stream(s.scores()).allMatch(Double::isFinite)).as("scores finite").isTrue();

        EpochResult r = t.trainEpoch(m, List.of(event("again", 7, 1.0, 1.0)), 2, 3, 0);
        assertThat(m.parametersFinite()).as("the model after an epoch that reads column 7").isTrue();
        assertThat(r.prequential().loss()).isFinite();
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
        return event(id, column, 1.0, label);
    }

    private static Example event(String id, int column, double value, Double label) {
        return new Example(id, "k", 1000L, null, new SparseVector(INPUTS, new int[] {column}, new double[] {value}),
                label == null ? null : new double[] {label}, 1.0, null);
    }
}
