package dev.epochstream.learner.epoch;

import static dev.epochstream.learner.epoch.TestConfigs.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.learner.data.Example;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The publish gate: every {@code snapshot.every} versions, or within the tolerance of the best loss. */
class PublishGateTest {

    /**
     * Four events with zero features and target y: a [2,1] network with zero inputs predicts its bias, which
     * starts at 0 and, at lr 1e-9, stays below 1e-8; so the prequential loss is y² to 1e-7.
     */
    private static List<Example> constantTarget(String prefix, double y) {
        List<Example> w = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            w.add(Example.dense(prefix + i, "k", i, new double[] {0, 0}, new double[] {y}));
        }
        return w;
    }

    private static EpochTrainer trainer(String... extra) {
        String[] base = {"model.layers", "2,1", "model.activations", "identity", "model.loss", "mse",
                "optimizer", "sgd", "optimizer.lr", "1e-9", "train.batch-size", "4"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return new EpochTrainer(config(all));
    }

    @Test
    void everyPublishesEveryNthVersion() {
        EpochTrainer t = trainer("snapshot.publish", "every", "snapshot.every", "2");
        ModelState m = t.newModel("k");
        List<Long> published = new ArrayList<>();
        for (int e = 0; e < 7; e++) {
            // an empty window in the middle: no version, nothing published
            List<Example> w = e == 3 ? List.of() : constantTarget("e" + e, 1 + e);
            EpochResult r = t.trainEpoch(m, w, ModelState.NO_TIME, ModelState.NO_TIME, 0);
            if (r.published()) {
                published.add(r.modelVersion());
            }
        }
        assertThat(published).containsExactly(2L, 4L, 6L);
        assertThat(m.publishedVersion()).isEqualTo(6);
    }

    @Test
    void bestPublishesOnlyWithinTheToleranceOfTheBestLoss() {
        EpochTrainer t = trainer("snapshot.publish", "best", "snapshot.tolerance", "0.05");
        ModelState m = t.newModel("k");
        // prequential losses ≈ y²: 1 (first: published), 4 (worse), 1.0404 (≤ 1·1.05), 1.21 (worse),
        // 0.81 (new best), 0.8649 (> 0.81·1.05 = 0.8505), 0.8464 (≤ 0.8505)
        double[] ys = {1, 2, 1.02, 1.1, 0.9, 0.93, 0.92};
        boolean[] expected = {true, false, true, false, true, false, true};
        for (int e = 0; e < ys.length; e++) {
            EpochResult r = t.trainEpoch(m, constantTarget("e" + e, ys[e]), ModelState.NO_TIME, ModelState.NO_TIME, 0);
            assertThat(r.prequential().loss()).isCloseTo(ys[e] * ys[e], org.assertj.core.api.Assertions.within(1e-6));
            assertThat(r.published()).as("epoch %d, loss %s", e + 1, r.prequential().loss()).isEqualTo(expected[e]);
            assertThat(r.modelVersion()).isEqualTo(e + 1);
        }
        assertThat(m.bestLoss()).isCloseTo(0.81, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(m.publishedVersion()).isEqualTo(7);
    }

    @Test
    void bestDoesNotPublishAnUpdateThatMadeItsOwnWindowWorse() {
        // only the bias b moves (zero features); MSE over 4 events of target 1 has gradient 2·(b − 1)
        EpochTrainer sane = trainer("snapshot.publish", "best", "optimizer.lr", "0.1");
        ModelState m = sane.newModel("k");
        EpochResult good = sane.trainEpoch(m, constantTarget("a", 1), ModelState.NO_TIME, ModelState.NO_TIME, 0);
        // b: 0 → 0 − 0.1·2·(0 − 1) = 0.2; prequential loss 1, training loss (0.2 − 1)² = 0.64
        assertThat(good.prequential().loss()).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(good.trainingLoss()).isCloseTo(0.64, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(good.published()).isTrue();

        // the same model restarted at an absurd rate: b: 0.2 → 0.2 − 10·2·(0.2 − 1) = 16.2, finite, so the update
        // is applied; the prequential loss 0.64 of the previous model beats the best, but the training loss
        // (16.2 − 1)² = 231.04 is far above 0.64·1.05: not published, the best loss stays that of the last good model
        EpochTrainer absurd = trainer("snapshot.publish", "best", "optimizer.lr", "10");
        EpochResult diverged = absurd.trainEpoch(m, constantTarget("b", 1), ModelState.NO_TIME, ModelState.NO_TIME, 0);
        assertThat(diverged.prequential().loss()).isCloseTo(0.64, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(diverged.trainingLoss()).isCloseTo(231.04, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(diverged.updateRefused()).isFalse();
        assertThat(diverged.modelVersion()).isEqualTo(2);
        assertThat(diverged.published()).isFalse();
        assertThat(m.publishedVersion()).isEqualTo(1);
        assertThat(m.bestLoss()).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void bestUsesTheValidationLossWhenEventsAreHeldOut() {
        // e1 and e10 are held out (MurmurHash3 of the id below 0.3 of 2^32); the others train
        EpochTrainer t = trainer("train.holdout", "0.3");
        ModelState m = t.newModel("k");
        EpochResult first = t.trainEpoch(m, List.of(
                Example.dense("e1", "k", 0, new double[] {0, 0}, new double[] {1}),
                Example.dense("e2", "k", 0, new double[] {0, 0}, new double[] {5})), ModelState.NO_TIME,
                ModelState.NO_TIME, 0);
        assertThat(first.published()).isTrue();
        // the prequential loss improves a lot (25 → 0.5), the validation loss gets worse (1 → 4): not published
        EpochResult second = t.trainEpoch(m, List.of(
                Example.dense("e10", "k", 0, new double[] {0, 0}, new double[] {2}),
                Example.dense("e3", "k", 0, new double[] {0, 0}, new double[] {0})), ModelState.NO_TIME,
                ModelState.NO_TIME, 0);
        assertThat(second.validation().count()).isEqualTo(1);
        assertThat(second.prequential().loss()).isLessThan(first.prequential().loss());
        assertThat(second.published()).isFalse();
    }
}
