package dev.epochstream.learner.epoch;

import static dev.epochstream.learner.epoch.EpochTrainerTest.assertBitIdentical;
import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.learner.data.Example;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Model states written by the format-1 codec (the code at 6498206, before multilabel boards held per-label
 * counts) still decode. The files under {@code state/format-1/} were written by that code from the configurations
 * and windows below: three epochs of each model, then {@code ModelStateCodec.encode}.
 */
class FormatOneStateTest {
    private static final String[] MULTILABEL = {"model.layers", "4,3", "model.activations", "sigmoid",
        "model.loss", "bce", "optimizer", "adam", "optimizer.lr", "0.05", "epoch.window", "count:10"};
    private static final String[] CLASSIFICATION = {"model.layers", "4,3", "model.activations", "softmax",
        "model.loss", "cce", "optimizer", "adam", "optimizer.lr", "0.05", "epoch.window", "count:10"};

    @Test
    void aMultilabelStateKeepsItsModelAndStartsItsRollingMetricsOver() throws IOException {
        byte[] bytes = resource("multilabel.state");
        assertThat(bytes[4]).as("format version").isEqualTo((byte) 1);
        ModelState read = ModelStateCodec.decode(bytes);
        EpochTrainer trainer = new EpochTrainer(TestConfigs.config(MULTILABEL));
        ModelState expected = trained(trainer, "multilabel", true);

        assertBitIdentical(read.parameters(), expected.parameters());
        assertBitIdentical(read.optimizerState().buffers(), expected.optimizerState().buffers());
        assertThat(read.version()).isEqualTo(expected.version()).isEqualTo(3);
        assertThat(read.seen()).isEqualTo(30);
        // format 1 pooled every (row, label) into one 2-class matrix: no subset accuracy or per-label F1 in it
        MetricValues rolling = read.rolling.value().values();
        assertThat(rolling.count()).isZero();
        assertThat(rolling.accuracy()).isNaN();
        assertThat(read.rolling.epochsHeld()).isZero();
        assertThat(expected.rolling.value().values().count()).isEqualTo(30);

        // it trains on as the model it was, and its next epoch's metrics are format 2's
        EpochResult next = trainer.trainEpoch(read, window(3, true), ModelState.NO_TIME, ModelState.NO_TIME, 0);
        EpochResult same = trainer.trainEpoch(expected, window(3, true), ModelState.NO_TIME, ModelState.NO_TIME, 0);
        assertBitIdentical(read.parameters(), expected.parameters());
        assertThat(next.prequential()).isEqualTo(same.prequential());
        assertThat(read.rolling.value().values().count()).isEqualTo(10);
        assertThat(next.rollingEpochs()).isEqualTo(1);
        assertThat(next.rolling().accuracy()).isEqualTo(next.prequential().accuracy());
        byte[] again = ModelStateCodec.encode(read);
        assertThat(again[4]).isEqualTo((byte) ModelStateCodec.FORMAT_VERSION);
        assertThat(ModelStateCodec.decode(again).rolling).isEqualTo(read.rolling);
    }

    @Test
    void aClassificationStateDecodesWhole() throws IOException {
        ModelState read = ModelStateCodec.decode(resource("classification.state"));
        ModelState expected = trained(new EpochTrainer(TestConfigs.config(CLASSIFICATION)), "classification", false);

        assertBitIdentical(read.parameters(), expected.parameters());
        assertThat(read.rolling).isEqualTo(expected.rolling);
        assertThat(read.rolling.value().values().count()).isEqualTo(30);
        assertThat(read.rolling.epochsHeld()).isEqualTo(3);
        // formats 1 and 2 do not name the optimizer and schedule: a trainer whose state layout fits adopts them
        assertThat(read.optimizerState().kind()).isNull();
        assertThat(read.scheduleState().kind()).isNull();
        new EpochTrainer(TestConfigs.config(CLASSIFICATION)).checkCompatible(read);
        assertThat(ModelStateCodec.encode(read)).isEqualTo(ModelStateCodec.encode(expected));
    }

    private static ModelState trained(EpochTrainer trainer, String key, boolean multilabel) {
        ModelState m = trainer.newModel(key);
        for (int e = 0; e < 3; e++) {
            trainer.trainEpoch(m, window(e, multilabel), ModelState.NO_TIME, ModelState.NO_TIME, 0);
        }
        return m;
    }

    /** Window e as the files were written with: 10 events, features and labels from a fixed arithmetic rule. */
    private static List<Example> window(int e, boolean multilabel) {
        List<Example> w = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int n = 10 * e + i;
            double[] x = {StrictMath.sin(n), StrictMath.cos(0.7 * n), (n % 5) / 5.0, ((n * 7) % 11) / 11.0 - 0.5};
            double[] y;
            if (multilabel) {
                y = new double[3];
                for (int k = 0; k < 3; k++) {
                    y[k] = x[k] + 0.25 * x[3] > 0.2 ? 1.0 : 0.0;
                }
            } else {
                y = new double[] {n % 3};
            }
            w.add(new Example("e" + n, "k", 0, x, null, y, 1.0, null));
        }
        return w;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = FormatOneStateTest.class.getResourceAsStream("/state/format-1/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }
}
