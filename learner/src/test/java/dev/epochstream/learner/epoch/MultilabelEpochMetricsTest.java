package dev.epochstream.learner.epoch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.epochstream.learner.config.TrainingConfig;
import dev.epochstream.learner.data.Example;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An epoch of a multilabel model (bce, several outputs) reports the metrics the EpochMetrics schema documents:
 * subset accuracy, micro precision/recall/F1 over the labels, the mean of the per-label F1 scores. Computed here
 * from the served model's own scores (prequential: the model before the epoch), not from the trainer's board.
 */
class MultilabelEpochMetricsTest {
    private final TrainingConfig config = TestConfigs.config("model.layers", "4,3", "model.activations", "sigmoid",
            "model.loss", "bce", "optimizer", "adam", "optimizer.lr", "0.05", "epoch.window", "count:40");
    private final EpochTrainer trainer = new EpochTrainer(config);

    @Test
    void prequentialMetricsAreSubsetAccuracyMicroAndPerLabelMacro() {
        ModelState m = trainer.newModel("k");
        trainer.trainEpoch(m, window(0), ModelState.NO_TIME, ModelState.NO_TIME, 0);
        List<Example> next = window(1);
        ModelImage before = trainer.image(m, false);
        Predictor predictor = new Predictor(config.network(), config.lossName(), config.lossDelta(),
                config.lossMargin(), before.parameters(), before.standardizer(), config.hashBits(), before.version());

        long exact = 0;
        long[][] counts = new long[3][3]; // per label: tp, fp, fn
        for (Example e : next) {
            double[] p = predictor.predict(e).scores();
            boolean allRight = true;
            for (int k = 0; k < 3; k++) {
                boolean predicted = p[k] > 0.5;
                boolean actual = e.label()[k] > 0.5;
                if (predicted != actual) {
                    allRight = false;
                }
                counts[k][0] += predicted && actual ? 1 : 0;
                counts[k][1] += predicted && !actual ? 1 : 0;
                counts[k][2] += !predicted && actual ? 1 : 0;
            }
            exact += allRight ? 1 : 0;
        }
        long tp = counts[0][0] + counts[1][0] + counts[2][0];
        long fp = counts[0][1] + counts[1][1] + counts[2][1];
        long fn = counts[0][2] + counts[1][2] + counts[2][2];
        double macro = 0;
        for (long[] c : counts) {
            long denominator = 2 * c[0] + c[1] + c[2];
            macro += denominator == 0 ? 0 : 2.0 * c[0] / denominator;
        }
        macro /= 3;

        MetricValues v = trainer.trainEpoch(m, next, ModelState.NO_TIME, ModelState.NO_TIME, 0).prequential();

        assertThat(v.count()).isEqualTo(40);
        assertThat(v.accuracy()).isCloseTo((double) exact / 40, within(1e-15));
        assertThat(v.precision()).isCloseTo((double) tp / (tp + fp), within(1e-15));
        assertThat(v.recall()).isCloseTo((double) tp / (tp + fn), within(1e-15));
        assertThat(v.f1()).isCloseTo(2.0 * tp / (2 * tp + fp + fn), within(1e-15));
        assertThat(v.macroF1()).isCloseTo(macro, within(1e-15));
        // the window is not trivially all right or all wrong, so the values tell the definitions apart
        assertThat(exact).isBetween(1L, 39L);
        assertThat(v.accuracy()).isNotCloseTo(v.f1(), within(1e-6));
    }

    private static List<Example> window(int e) {
        List<Example> w = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int n = 40 * e + i;
            double[] x = {StrictMath.sin(n), StrictMath.cos(0.7 * n), (n % 5) / 5.0, ((n * 7) % 11) / 11.0 - 0.5};
            double[] y = new double[3];
            for (int k = 0; k < 3; k++) {
                y[k] = x[k] + 0.25 * x[3] > 0.2 ? 1.0 : 0.0;
            }
            w.add(new Example("e" + n, "k", 0, x, null, y, 1.0, null));
        }
        return w;
    }
}
