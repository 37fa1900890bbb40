package dev.epochstream.learner.epoch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.learner.config.TrainingConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A restart may lower the learning rate of a diverging model (a hyper-parameter change): a state
 * trained under one optimizer.lr continues under the new one, with its parameters unchanged.
 */
class LearningRateChangeTest {

    private static TrainingConfig config(String lr) {
        return TestConfigs.config("model.layers", "2,1", "model.activations", "identity", "model.loss", "mse",
                "optimizer", "sgd", "optimizer.lr", lr, "train.batch-size", "2", "epoch.window", "count:2");
    }

    @Test
    void aStateRestoredUnderANewLearningRateTrainsWithTheNewRate() {
        List<dev.epochstream.learner.data.Example> w = TestConfigs.window("e",
                new double[][] {{1, 2}, {3, -1}}, new double[][] {{1}, {0}});
        EpochTrainer before = new EpochTrainer(config("0.5"));
        ModelState m = before.newModel("k");
        before.trainEpoch(m, w, ModelState.NO_TIME, ModelState.NO_TIME, 0);
        ModelState restored = ModelStateCodec.decode(ModelStateCodec.encode(m));
        double[][] params = TestConfigs.copy(restored.parameters());

        EpochTrainer after = new EpochTrainer(config("0.01"));
        EpochResult r = after.trainEpoch(restored, w, ModelState.NO_TIME, ModelState.NO_TIME, 0);

        assertThat(r.learningRate()).isEqualTo(0.01);
        assertThat(restored.scheduleState().baseLr()).isEqualTo(0.01);
        // one SGD step of the batch with the new rate, from the restored parameters
        double[] w0 = params[0];
        double b = params[1][0];
        double e1 = w0[0] * 1 + w0[1] * 2 + b - 1;
        double e2 = w0[0] * 3 + w0[1] * -1 + b - 0;
        // MSELoss mean over 2 rows: dL/dw = (2/2)(e1 x1 + e2 x2)
        assertThat(restored.parameters()[0][0]).isEqualTo(w0[0] - 0.01 * (e1 * 1 + e2 * 3));
        assertThat(restored.parameters()[0][1]).isEqualTo(w0[1] - 0.01 * (e1 * 2 + e2 * -1));
        assertThat(restored.parameters()[1][0]).isEqualTo(b - 0.01 * (e1 + e2));
    }
}
