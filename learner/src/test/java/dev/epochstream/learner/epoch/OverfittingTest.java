package dev.epochstream.learner.epoch;

import static dev.epochstream.learner.epoch.EpochTrainerTest.assertBitIdentical;
import static dev.epochstream.learner.epoch.TestConfigs.config;
import static dev.epochstream.learner.epoch.TestConfigs.copy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.learner.data.Example;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The overfitting signal, early stop with cooldown, and reduce-on-plateau, on a network far too large for
 * 20 noisy points (y = x + U(-0.5, 0.5)) trained 50 passes per epoch with 30% held out. The expected flags
 * and rates are replayed from the reported losses with the documented rules, not taken from the trainer.
 */
class OverfittingTest {
    private static final int PATIENCE = 3;
    private static final int MAX_EPOCHS = 80;
    /** Events of {@link #NOISY} held out at train.holdout = 0.3: p10, p11, p13, p18. */
    private static final int HELD_OUT = 4;

    private static final List<Example> NOISY = noisyPoints();

    private static List<Example> noisyPoints() {
        SplittableRandom r = new SplittableRandom(7);
        List<Example> w = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            double x = -1 + 2.0 * i / 19;
            w.add(Example.dense("p" + i, "k", i, new double[] {x}, new double[] {x + 0.5 * (2 * r.nextDouble() - 1)}));
        }
        return w;
    }

    private static EpochTrainer trainer(String... extra) {
        String[] base = {"model.layers", "1,64,64,1", "model.activations", "tanh,tanh,identity", "model.loss", "mse",
                "optimizer", "adam", "optimizer.lr", "0.01", "train.batch-size", "4", "epoch.passes", "50",
                "train.holdout", "0.3", "train.patience", Integer.toString(PATIENCE)};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return new EpochTrainer(config(all));
    }

    private static EpochResult epoch(EpochTrainer t, ModelState m) {
        return t.trainEpoch(m, NOISY, ModelState.NO_TIME, ModelState.NO_TIME, 0);
    }

    @Test
    void flagFollowsRisingValidationAndFallingTrainingLoss() {
        EpochTrainer t = trainer();
        ModelState m = t.newModel("k");
        List<EpochResult> history = new ArrayList<>();
        int streak = 0;
        int firstFlag = -1;
        for (int e = 0; e < MAX_EPOCHS && firstFlag < 0; e++) {
            EpochResult r = epoch(t, m);
            if (!history.isEmpty()) {
                EpochResult prev = history.get(history.size() - 1);
                boolean rising = r.validation().loss() > prev.validation().loss();
                boolean falling = r.trainingLoss() < prev.trainingLoss();
                streak = rising && falling ? streak + 1 : 0;
            }
            assertThat(r.overfitting()).as("epoch %d", r.epoch()).isEqualTo(streak >= PATIENCE);
            assertThat(r.earlyStopped()).isFalse();
            assertThat(r.modelVersion()).isEqualTo(r.epoch());
            history.add(r);
            if (r.overfitting()) {
                firstFlag = e;
            }
        }
        assertThat(firstFlag).as("the overfitting flag sets within %d epochs", MAX_EPOCHS).isPositive();
        // 20 events per epoch; MurmurHash3_x86_32(id, 0) / 2^32 < 0.3 for p10, p11, p13 and p18 only
        // (0.0259, 0.2052, 0.0019, 0.2313, computed with Guava's murmur3_32_fixed), every epoch the same ones
        EpochResult last = history.get(history.size() - 1);
        assertThat(last.validation().count()).isEqualTo(HELD_OUT);
        assertThat(last.heldOut()).isEqualTo((long) HELD_OUT * history.size());
        assertThat(last.trained()).isEqualTo((long) (20 - HELD_OUT) * history.size());
    }

    @Test
    void earlyStopSkipsTrainingForTheCooldownThenResumes() {
        int cooldown = 3;
        EpochTrainer t = trainer("train.early-stop", "true", "train.cooldown", Integer.toString(cooldown));
        ModelState m = t.newModel("k");
        EpochResult r = null;
        for (int e = 0; e < MAX_EPOCHS; e++) {
            r = epoch(t, m);
            if (r.overfitting()) {
                break;
            }
        }
        assertThat(r.overfitting()).isTrue();
        assertThat(r.earlyStopped()).as("the flagging epoch itself trained").isFalse();
        long version = r.modelVersion();
        long epoch = r.epoch();
        long seen = r.seen();
        long heldOut = r.heldOut();
        long trained = r.trained();
        double[][] params = copy(m.parameters());

        for (int k = 1; k <= cooldown; k++) {
            EpochResult s = epoch(t, m);
            assertThat(s.earlyStopped()).as("cooldown epoch %d", k).isTrue();
            assertThat(s.modelVersion()).isEqualTo(version);
            assertThat(s.published()).isFalse();
            assertThat(s.epoch()).isEqualTo(epoch + k);
            assertThat(s.seen()).isEqualTo(seen + 20L * k);
            assertThat(s.heldOut()).isEqualTo(heldOut + (long) HELD_OUT * k);
            // assigned to training though the update is skipped (keeps the accounting identity)
            assertThat(s.trained()).isEqualTo(trained + (20L - HELD_OUT) * k);
            // still scored: prequential and validation metrics of the unchanged model
            assertThat(s.prequential().count()).isEqualTo(20);
            assertThat(s.validation().loss()).isEqualTo(r.validation().loss());
            assertThat(s.trainingLoss()).isEqualTo(r.trainingLoss());
            assertBitIdentical(m.parameters(), params);
        }
        EpochResult resumed = epoch(t, m);
        assertThat(resumed.earlyStopped()).isFalse();
        assertThat(resumed.modelVersion()).isEqualTo(version + 1);
        assertThat(resumed.trained()).isEqualTo(trained + (20L - HELD_OUT) * (cooldown + 1));
        assertThat(EpochTrainerTest.bitIdentical(m.parameters(), params)).isFalse();
    }

    @Test
    void plateauScheduleFollowsTheValidationLoss() {
        // torch ReduceLROnPlateau(mode=min, threshold=1e-4 rel, factor 0.5, patience 2), replayed by hand
        EpochTrainer t = trainer("schedule", "plateau", "schedule.factor", "0.5", "schedule.patience", "2");
        ModelState m = t.newModel("k");
        double lr = 0.01;
        double best = Double.POSITIVE_INFINITY;
        int bad = 0;
        int reductions = 0;
        for (int e = 0; e < 40; e++) {
            EpochResult r = epoch(t, m);
            assertThat(r.learningRate()).as("epoch %d", r.epoch()).isEqualTo(lr);
            double loss = r.validation().loss();
            if (loss < best * (1 - 1e-4)) {
                best = loss;
                bad = 0;
            } else {
                bad++;
            }
            if (bad > 2) {
                if (lr - lr * 0.5 > 1e-8) {
                    lr = lr * 0.5;
                    reductions++;
                }
                bad = 0;
            }
        }
        assertThat(reductions).as("the rate dropped on a plateau").isPositive();
        assertThat(m.scheduleState().lr()).isEqualTo(lr);
    }

    @Test
    void plateauLowersTheRateAfterPatienceEpochsWithoutImprovement() {
        // a window of held-out events only: nothing trains, the validation loss stays the same
        EpochTrainer t = new EpochTrainer(config("model.layers", "2,1", "model.activations", "identity",
                "model.loss", "mse", "optimizer", "sgd", "optimizer.lr", "0.1", "train.holdout", "0.3",
                "schedule", "plateau", "schedule.factor", "0.5", "schedule.patience", "1"));
        List<Example> heldOnly = List.of(Example.dense("e1", "k", 0, new double[] {1, 2}, new double[] {3}),
                Example.dense("e10", "k", 1, new double[] {-1, 0}, new double[] {1}));
        ModelState m = t.newModel("k");
        double[] rates = new double[6];
        for (int e = 0; e < rates.length; e++) {
            EpochResult r = t.trainEpoch(m, heldOnly, ModelState.NO_TIME, ModelState.NO_TIME, 0);
            assertThat(r.trained()).isZero();
            assertThat(r.modelVersion()).isZero();
            rates[e] = r.learningRate();
        }
        // epoch 1 sets the best; epochs 2 and 3 do not improve: bad = 2 > patience 1 after epoch 3
        assertThat(rates).containsExactly(0.1, 0.1, 0.1, 0.05, 0.05, 0.025);
    }
}
