package dev.epochstream.learner.epoch;

import static dev.epochstream.learner.epoch.EpochTrainerTest.assertBitIdentical;
import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.learner.config.TrainingConfig;
import dev.epochstream.learner.data.Example;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A restore under another optimizer, or one whose state is laid out otherwise (a hyper-parameter change, which
 * README allows): the parameters carry on and the optimizer's state starts afresh, as a new torch optimizer over
 * loaded weights would. Checked against a second way to get there: a fresh model of the new configuration given
 * the restored parameters. Before, the old buffers were read as the new optimizer's (adam's signed exp_avg as
 * adadelta's square_avg: NaN, every update refused) or did not fit (ArrayIndexOutOfBoundsException).
 */
class OptimizerChangeTest {

    private static TrainingConfig config(String... optimizer) {
        List<String> kv = new ArrayList<>(List.of("model.layers", "3,4,1", "model.activations", "tanh,identity",
                "model.loss", "mse", "train.batch-size", "4", "epoch.window", "count:8"));
        kv.addAll(List.of(optimizer));
        return TestConfigs.config(kv.toArray(String[]::new));
    }

    static Stream<Arguments> changes() {
        return Stream.of(
                Arguments.of(new String[] {"optimizer", "adam"}, new String[] {"optimizer", "adadelta"}),
                Arguments.of(new String[] {"optimizer", "adam"}, new String[] {"optimizer", "adam", "optimizer.amsgrad", "true"}),
                Arguments.of(new String[] {"optimizer", "sgd", "optimizer.lr", "0.1"},
                        new String[] {"optimizer", "sgd", "optimizer.lr", "0.1", "optimizer.weight-decay", "0.01"}),
                Arguments.of(new String[] {"optimizer", "rmsprop"}, new String[] {"optimizer", "rmsprop", "optimizer.centered", "true"}),
                Arguments.of(new String[] {"optimizer", "adam"}, new String[] {"optimizer", "momentum", "optimizer.lr", "0.05"}),
                Arguments.of(new String[] {"optimizer", "adagrad"}, new String[] {"optimizer", "adam"}));
    }

    @ParameterizedTest
    @MethodSource("changes")
    void aRestoreUnderAnotherOptimizerKeepsTheParametersAndStartsItsStateAfresh(String[] from, String[] to) {
        EpochTrainer before = new EpochTrainer(config(from));
        ModelState m = before.newModel("k");
        before.trainEpoch(m, window(0), ModelState.NO_TIME, ModelState.NO_TIME, 0);
        before.trainEpoch(m, window(1), ModelState.NO_TIME, ModelState.NO_TIME, 0);
        ModelState restored = ModelStateCodec.decode(ModelStateCodec.encode(m));

        EpochTrainer after = new EpochTrainer(config(to));
        ModelState second = after.newModel("k");
        for (int t = 0; t < second.parameters().length; t++) {
            System.arraycopy(restored.parameters()[t], 0, second.parameters()[t], 0, second.parameters()[t].length);
        }
        EpochResult r = after.trainEpoch(restored, window(2), ModelState.NO_TIME, ModelState.NO_TIME, 0);
        after.trainEpoch(second, window(2), ModelState.NO_TIME, ModelState.NO_TIME, 0);

        assertThat(r.updateRefused()).isFalse();
        assertBitIdentical(restored.parameters(), second.parameters());
        assertBitIdentical(restored.optimizerState().buffers(), second.optimizerState().buffers());
        assertThat(restored.optimizerState().step()).isEqualTo(2); // a fresh state's two steps
        assertThat(restored.optimizerState().kind()).isEqualTo(after.config().optimizer().name());
        assertThat(restored.version()).as("the model's own history carries on").isEqualTo(3);
    }

    @Test
    void theSameOptimizerContinuesItsState() {
        EpochTrainer trainer = new EpochTrainer(config("optimizer", "adam"));
        ModelState m = trainer.newModel("k");
        trainer.trainEpoch(m, window(0), ModelState.NO_TIME, ModelState.NO_TIME, 0);
        ModelState restored = ModelStateCodec.decode(ModelStateCodec.encode(m));
        assertThat(restored.optimizerState().kind()).isEqualTo("adam");
        EpochTrainer tuned = new EpochTrainer(config("optimizer", "adam", "optimizer.beta1", "0.8"));
        tuned.trainEpoch(restored, window(1), ModelState.NO_TIME, ModelState.NO_TIME, 0);
        assertThat(restored.optimizerState().step()).as("Adam's moments and step carry on").isEqualTo(4);
    }

    @Test
    void aWarmStartFromAnotherOptimizersImageStartsItsStateAfresh() {
        EpochTrainer adam = new EpochTrainer(config("optimizer", "adam"));
        ModelState m = adam.newModel("k");
        adam.trainEpoch(m, window(0), ModelState.NO_TIME, ModelState.NO_TIME, 0);
        ModelImage image = adam.image(m, true);

        EpochTrainer adadelta = new EpochTrainer(config("optimizer", "adadelta"));
        ModelState warm = adadelta.restore(image);
        assertBitIdentical(warm.parameters(), m.parameters());
        assertBitIdentical(warm.optimizerState().buffers(), adadelta.newModel("k").optimizerState().buffers());
        assertThat(warm.optimizerState().step()).isZero();
        assertThat(adam.restore(image).optimizerState().step()).as("the same optimizer takes it").isEqualTo(2);
    }

    @Test
    void aRestoreUnderAnotherScheduleStartsTheScheduleAfresh() {
        EpochTrainer step = new EpochTrainer(config("optimizer", "sgd", "optimizer.lr", "0.1", "schedule", "step",
                "schedule.step-size", "1", "schedule.gamma", "0.5"));
        ModelState m = step.newModel("k");
        for (int e = 0; e < 3; e++) {
            step.trainEpoch(m, window(e), ModelState.NO_TIME, ModelState.NO_TIME, 0);
        }
        assertThat(m.scheduleState().lr()).isEqualTo(0.1 * 0.5 * 0.5 * 0.5);
        ModelState restored = ModelStateCodec.decode(ModelStateCodec.encode(m));

        EpochTrainer constant = new EpochTrainer(config("optimizer", "sgd", "optimizer.lr", "0.1"));
        EpochResult r = constant.trainEpoch(restored, window(3), ModelState.NO_TIME, ModelState.NO_TIME, 0);
        assertThat(r.learningRate()).as("the base rate, not the step schedule's decayed one").isEqualTo(0.1);
        assertThat(restored.scheduleState().kind()).isEqualTo("constant");
    }

    /** Eight events of three features and a smooth target. */
    private static List<Example> window(int e) {
        double[][] xs = new double[8][];
        double[][] ys = new double[8][];
        for (int i = 0; i < 8; i++) {
            int n = 8 * e + i;
            xs[i] = new double[] {StrictMath.sin(n), StrictMath.cos(0.3 * n), (n % 4) / 4.0};
            ys[i] = new double[] {xs[i][0] - 0.5 * xs[i][1] + 0.25};
        }
        return TestConfigs.window("e" + e + "-", xs, ys);
    }
}
