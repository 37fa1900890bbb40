package dev.epochstream.learner.epoch;

import static dev.epochstream.learner.epoch.EpochTrainerTest.assertBitIdentical;
import static dev.epochstream.learner.epoch.TestConfigs.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.epochstream.learner.data.Example;
import dev.epochstream.learner.data.SparseVector;
import org.junit.jupiter.api.Test;

/** Images, restore, the architecture check and the refusal of unusable events. */
class ModelRestoreTest {
    private final EpochTrainer trainer = new EpochTrainer(RichModel.config());

    @Test
    void restoredImageTrainsOnExactlyAsTheOriginal() {
        ModelState m = RichModel.trained(trainer, 3);
        ModelImage image = trainer.image(m, true);
        ModelState r = trainer.restore(image);

        assertBitIdentical(r.parameters(), m.parameters());
        assertBitIdentical(r.optimizerState().buffers(), m.optimizerState().buffers());
        assertThat(r.optimizerState().step()).isEqualTo(m.optimizerState().step());
        assertThat(r.standardizer().count()).isEqualTo(m.standardizer().count());
        assertBitIdentical(new double[][] {r.standardizer().mean(), r.standardizer().m2()},
                new double[][] {m.standardizer().mean(), m.standardizer().m2()});
        assertThat(new long[] {r.version(), r.epochs(), r.seen(), r.trained(), r.heldOut(), r.late(), r.refused(),
                r.refusedUpdates(), r.trainedThrough()}).containsExactly(m.version(), m.epochs(), m.seen(),
                m.trained(), m.heldOut(), m.late(), m.refused(), m.refusedUpdates(), m.trainedThrough());
        // schedule, gate and rolling metrics start afresh
        assertThat(r.scheduleState().lr()).isEqualTo(0.05);
        assertThat(r.bestLoss()).isEqualTo(Double.POSITIVE_INFINITY);

        // same rate (the plateau has not reduced it in 3 epochs), so the next epoch is bit-identical
        assertThat(m.scheduleState().lr()).isEqualTo(0.05);
        trainer.trainEpoch(m, RichModel.window("next", 12, 99), 0, 1, 0);
        trainer.trainEpoch(r, RichModel.window("next", 12, 99), 0, 1, 0);
        assertBitIdentical(r.parameters(), m.parameters());
    }

    @Test
    void imageWithoutOptimizerRestoresAFreshOptimizerState() {
        ModelState m = RichModel.trained(trainer, 2);
        ModelImage image = trainer.image(m, false);
        assertThat(image.optimizer()).isNull();
        ModelState r = trainer.restore(image);
        assertThat(r.optimizerState().step()).isZero();
        for (double[] b : r.optimizerState().buffers()) {
            assertThat(b).containsOnly(0.0);
        }
        assertBitIdentical(r.parameters(), m.parameters());
    }

    @Test
    void restoreRefusesTensorsOfAnotherShape() {
        EpochTrainer small = new EpochTrainer(RichModel.config("model.layers", "6,4,3"));
        ModelImage image = small.image(small.newModel("k"), false);
        assertThatThrownBy(() -> trainer.restore(image)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tensor 0").hasMessageContaining("layers=6,5,3");
    }

    @Test
    void checkCompatibleRefusesAnotherArchitectureNamingTheKeys() {
        EpochTrainer other = new EpochTrainer(RichModel.config("model.layers", "6,8,3"));
        ModelState m = other.newModel("k");
        assertThatThrownBy(() -> trainer.checkCompatible(m)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("model 'k'")
                .hasMessageContaining("model.layers").hasMessageContaining("model.activations")
                .hasMessageContaining("model.loss").hasMessageContaining("features.")
                .hasMessageContaining("layers=6,5,3 activations=tanh,softmax loss=cce");
        assertThatThrownBy(() -> trainer.trainEpoch(m, RichModel.window("w", 3, 1), 0, 1, 0))
                .isInstanceOf(IllegalStateException.class);
        EpochTrainer noStandardize = new EpochTrainer(RichModel.config("features.standardize", "false"));
        assertThatThrownBy(() -> noStandardize.checkCompatible(trainer.newModel("k")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("standardize=false");
    }

    @Test
    void hyperParametersMayChangeAndTheRollingWindowRestarts() {
        ModelState m = RichModel.trained(trainer, 3);
        EpochTrainer retuned = new EpochTrainer(RichModel.config("optimizer.lr", "0.001", "train.batch-size", "5",
                "metrics.rolling-epochs", "4"));
        retuned.checkCompatible(m);
        EpochResult r = retuned.trainEpoch(m, RichModel.window("w", 12, 5), 0, 1, 0);
        assertThat(r.rollingEpochs()).isEqualTo(1);
        assertThat(r.epoch()).isEqualTo(4);
    }

    @Test
    void refusalKinds() {
        EpochTrainer mse = new EpochTrainer(config("model.layers", "3,1", "model.activations", "identity",
                "model.loss", "mse"));
        assertThat(mse.refusal(Example.dense("a", "k", 0, new double[] {1, 2, 3}, new double[] {1}))).isNull();
        assertThat(mse.refusal(Example.dense("a", "k", 0, new double[] {1, 2, 3}, null))).isNull();
        assertKind(mse, Example.dense("a", "k", 0, new double[] {1, 2}, new double[] {1}), Refusal.Kind.WRONG_DIMENSION,
                "dimension 2");
        assertKind(mse, new Example("a", "k", 0, null, new SparseVector(3, new int[] {2, 1}, new double[] {1, 1}),
                new double[] {1}, 1, null), Refusal.Kind.BAD_SPARSE_VECTOR, "not sorted");
        assertKind(mse, new Example("a", "k", 0, null, new SparseVector(3, new int[] {0, 5}, new double[] {1, 1}),
                new double[] {1}, 1, null), Refusal.Kind.BAD_SPARSE_VECTOR, "out of range");
        assertKind(mse, Example.dense("a", "k", 0, new double[] {1, Double.NaN, 3}, new double[] {1}),
                Refusal.Kind.NON_FINITE, "NaN");
        assertKind(mse, new Example("a", "k", 0, null, new SparseVector(3, new int[] {1}, new double[] {
                Double.POSITIVE_INFINITY}), new double[] {1}, 1, null), Refusal.Kind.NON_FINITE, "non-finite");
        assertKind(mse, Example.dense("a", "k", 0, new double[] {1, 1e13, 3}, new double[] {1}),
                Refusal.Kind.VALUE_TOO_LARGE, "1.0E13");
        assertKind(mse, Example.dense("a", "k", 0, new double[] {1, 2, 3}, new double[] {1, 2}), Refusal.Kind.BAD_LABEL,
                "label of 1 value");
        assertKind(mse, Example.dense("a", "k", 0, new double[] {1, 2, 3}, new double[] {Double.NaN}),
                Refusal.Kind.NON_FINITE, "label");
        assertKind(mse, Example.dense("a", "k", 0, new double[] {1, 2, 3}, new double[] {-2e12}),
                Refusal.Kind.VALUE_TOO_LARGE, "label");

        EpochTrainer cce = new EpochTrainer(config("model.layers", "2,3", "model.activations", "softmax",
                "model.loss", "cce"));
        assertKind(cce, Example.dense("a", "k", 0, new double[] {1, 2}, new double[] {3}),
                Refusal.Kind.LABEL_OUT_OF_RANGE, "[0, 3)");
        assertKind(cce, Example.dense("a", "k", 0, new double[] {1, 2}, new double[] {-1}),
                Refusal.Kind.LABEL_OUT_OF_RANGE, "[0, 3)");
        assertKind(cce, Example.dense("a", "k", 0, new double[] {1, 2}, new double[] {1.5}), Refusal.Kind.BAD_LABEL,
                "1.5");
        assertKind(cce, Example.dense("a", "k", 0, new double[] {1, 2}, new double[] {0, 1, 0}), Refusal.Kind.BAD_LABEL,
                "label of 1 value");
        assertThat(cce.refusal(Example.dense("a", "k", 0, new double[] {1, 2}, new double[] {2}))).isNull();

        EpochTrainer kl = new EpochTrainer(config("model.layers", "2,3", "model.activations", "softmax",
                "model.loss", "kl"));
        assertKind(kl, Example.dense("a", "k", 0, new double[] {1, 2}, new double[] {0.5, 0.4, 0.4}),
                Refusal.Kind.NOT_A_DISTRIBUTION, "sums to");
        assertKind(kl, Example.dense("a", "k", 0, new double[] {1, 2}, new double[] {1.2, -0.2, 0}),
                Refusal.Kind.NOT_A_DISTRIBUTION, "negative");
        assertKind(kl, Example.dense("a", "k", 0, new double[] {1, 2}, new double[] {0.5, 0.5}),
                Refusal.Kind.BAD_LABEL, "3 values");
        assertThat(kl.refusal(Example.dense("a", "k", 0, new double[] {1, 2}, new double[] {0.25, 0.25, 0.5}))).isNull();

        assertThat(Refusal.Kind.NOT_A_DISTRIBUTION.code()).isEqualTo("not-a-distribution");
        assertThat(Refusal.Kind.LABEL_OUT_OF_RANGE.code()).isEqualTo("label-out-of-range");
    }

    private static void assertKind(EpochTrainer t, Example e, Refusal.Kind kind, String inMessage) {
        Refusal r = t.refusal(e);
        assertThat(r).as("refusal of %s", e).isNotNull();
        assertThat(r.kind()).isEqualTo(kind);
        assertThat(r.message()).contains(inMessage);
    }
}
