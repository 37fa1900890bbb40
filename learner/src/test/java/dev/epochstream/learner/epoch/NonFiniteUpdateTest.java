package dev.epochstream.learner.epoch;

import static dev.epochstream.learner.epoch.EpochTrainerTest.assertBitIdentical;
import static dev.epochstream.learner.epoch.TestConfigs.config;
import static dev.epochstream.learner.epoch.TestConfigs.copy;
import static dev.epochstream.learner.epoch.TestConfigs.window;
import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.learner.optim.OptimizerState;
import org.junit.jupiter.api.Test;

/** An absurd learning rate through the trainer: refused updates leave the model finite and unchanged. */
class NonFiniteUpdateTest {
    private static final double[][] XS = {{1, 2}, {-1, 0.5}, {0.3, -2}, {2, 1}, {-0.5, -1}};
    private static final double[][] YS = {{1}, {-0.5}, {2}, {0.7}, {-1}};
    /** Features and targets of magnitude 1e5: gradients ~1e10, so 1e300·g overflows on the first step. */
    private static final double[][] BIG_XS = {{1e5, -1e5}, {2e5, 1e5}, {-1e5, 3e5}};
    private static final double[][] BIG_YS = {{1e5}, {-3e5}, {2e5}};

    private static String[] tiny(String optimizer, String lr) {
        return new String[] {"model.layers", "2,1", "model.activations", "identity", "model.loss", "mse",
                "optimizer", optimizer, "optimizer.lr", lr, "train.batch-size", "2"};
    }

    @Test
    void refusedEpochKeepsParametersAndOptimizerStateBitForBit() {
        EpochTrainer t = new EpochTrainer(config(tiny("momentum", "0.01")));
        ModelState m = t.newModel("k");
        t.trainEpoch(m, window("a", XS, YS), ModelState.NO_TIME, ModelState.NO_TIME, 0);
        double[][] params = copy(m.parameters());
        OptimizerState opt = m.optimizerState().copy();
        assertThat(opt.step()).isEqualTo(3);

        // the rate lives in the model's schedule state; make it absurd for the next epoch
        m.scheduleState().setLr(1e300);
        EpochResult r = t.trainEpoch(m, window("b", BIG_XS, BIG_YS), ModelState.NO_TIME, ModelState.NO_TIME, 0);

        assertThat(r.learningRate()).isEqualTo(1e300);
        assertThat(r.updateRefused()).isTrue();
        assertThat(r.modelVersion()).isEqualTo(1);
        assertThat(r.published()).isFalse();
        assertThat(m.refusedUpdates()).isEqualTo(2); // two batches, both refused
        assertThat(m.parametersFinite()).isTrue();
        assertBitIdentical(m.parameters(), params);
        assertThat(m.optimizerState().step()).isEqualTo(opt.step());
        assertThat(m.optimizerState().counters()).isEqualTo(opt.counters());
        assertBitIdentical(m.optimizerState().buffers(), opt.buffers());
        assertThat(r.trainingLoss()).isFinite();
    }

    @Test
    void refusedFirstEpochLeavesTheFreshModel() {
        EpochTrainer t = new EpochTrainer(config(tiny("momentum", "1e300")));
        ModelState m = t.newModel("k");
        double[][] params = copy(m.parameters());
        EpochResult r = t.trainEpoch(m, window("b", BIG_XS, BIG_YS), ModelState.NO_TIME, ModelState.NO_TIME, 0);
        assertThat(r.updateRefused()).isTrue();
        assertThat(r.modelVersion()).isZero();
        assertBitIdentical(m.parameters(), params);
        assertThat(m.optimizerState().step()).isZero();
        for (double[] b : m.optimizerState().buffers()) {
            assertThat(b).containsOnly(0.0);
        }
    }

    @Test
    void absurdSgdRateNeverLeavesANonFiniteParameter() {
        EpochTrainer t = new EpochTrainer(config(tiny("sgd", "1e300")));
        ModelState m = t.newModel("k");
        EpochResult r = null;
        for (int e = 0; e < 3; e++) {
            r = t.trainEpoch(m, window("e" + e, XS, YS), ModelState.NO_TIME, ModelState.NO_TIME, 0);
            assertThat(m.parametersFinite()).as("epoch %d", e).isTrue();
        }
        assertThat(r.updateRefused()).isTrue();
        assertThat(m.refusedUpdates()).isPositive();
    }
}
