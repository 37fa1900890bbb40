package dev.epochstream.learner.epoch;

import static dev.epochstream.learner.epoch.EpochTrainerTest.assertBitIdentical;
import static dev.epochstream.learner.epoch.TestConfigs.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.learner.config.TrainingConfig;
import dev.epochstream.learner.data.Example;
import dev.epochstream.learner.nn.InputBatch;
import dev.epochstream.learner.nn.Network;
import dev.epochstream.learner.optim.Optimizer;
import dev.epochstream.learner.optim.OptimizerState;
import dev.epochstream.learner.train.TrainingStep;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The epoch's first training step reuses the prequential forward pass when it is provably the same rows under
 * the same parameters; the model and the training loss must be exactly those of plain mini-batch steps (a
 * fresh forward pass per batch) driven here by hand, with the reuse possible or not.
 */
class ScoredForwardReuseTest {

    private static TrainingConfig softmaxAdam(String... extra) {
        List<String> kv = new ArrayList<>(List.of("model.layers", "6,5,3", "model.activations", "relu,softmax",
                "model.loss", "cce", "optimizer", "adam", "optimizer.lr", "0.05", "train.batch-size", "8"));
        kv.addAll(List.of(extra));
        return config(kv.toArray(new String[0]));
    }

    private static List<Example> events(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Example> w = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] x = new double[6];
            for (int j = 0; j < 6; j++) {
                x[j] = rnd.nextGaussian();
            }
            w.add(Example.dense("e" + i, "k", 1000L + i, x, new double[] {rnd.nextInt(3)}));
        }
        return w;
    }

    /** Epochs of a reference: every batch filled and stepped with its own forward pass; returns the last loss. */
    private static double reference(TrainingConfig c, double[][] start, List<List<Example>> windows, double[][] out,
                                    EpochTrainer heldOutRule) {
        Network net = new Network(c.network());
        net.parameters().copyValuesFrom(start);
        Optimizer opt = c.optimizer().create();
        OptimizerState state = opt.newState(net.parameters());
        TrainingStep step = new TrainingStep(net, c.createLoss(), opt, c.clipNorm(), 512, false);
        double loss = Double.NaN;
        for (List<Example> window : windows) {
            List<Example> train = new ArrayList<>();
            for (Example e : window) {
                if (!heldOutRule.isHeldOut(e.id())) {
                    train.add(e);
                }
            }
            for (int pass = 0; pass < c.passes(); pass++) {
                for (int s = 0; s < train.size(); s += c.batchSize()) {
                    fill(step, train.subList(s, Math.min(s + c.batchSize(), train.size())));
                    assertThat(step.step(state, c.optimizer().lr())).isTrue();
                }
            }
            fill(step, train);
            loss = step.workspace().computeLoss();
        }
        net.parameters().copyValuesTo(out);
        return loss;
    }

    private static void fill(TrainingStep step, List<Example> rows) {
        InputBatch in = step.workspace().input();
        in.clear();
        step.workspace().targets().reshape(rows.size(), 1);
        for (int r = 0; r < rows.size(); r++) {
            in.addDense(rows.get(r).dense());
            step.workspace().targets().data[r] = rows.get(r).label()[0];
        }
    }

    private static void check(TrainingConfig c, int windowSize) {
        EpochTrainer t = new EpochTrainer(c);
        ModelState m = t.newModel("k");
        double[][] start = TestConfigs.copy(m.parameters());
        List<List<Example>> windows = List.of(events(windowSize, 1), events(windowSize, 2), events(windowSize, 3));
        EpochResult r = null;
        for (List<Example> w : windows) {
            r = t.trainEpoch(m, w, ModelState.NO_TIME, ModelState.NO_TIME, 0);
        }
        double[][] expected = TestConfigs.copy(start);
        double loss = reference(c, start, windows, expected, t);
        assertBitIdentical(m.parameters(), expected);
        assertThat(Double.doubleToRawLongBits(r.trainingLoss())).isEqualTo(Double.doubleToRawLongBits(loss));
    }

    @Test
    void firstStepOnThePrequentialForwardPassIsAPlainStep() {
        check(softmaxAdam(), 37);
        check(softmaxAdam("epoch.passes", "2"), 5);
        check(softmaxAdam("train.batch-size", "1"), 7);
    }

    @Test
    void heldOutEventsAmongTheFirstRowsPreventNothingButTheReuse() {
        check(softmaxAdam("train.holdout", "0.3"), 37);
        check(softmaxAdam("train.holdout", "0.3", "epoch.passes", "3"), 17);
    }

    @Test
    void windowsLongerThanOneScoringChunkTrainAsPlainSteps() {
        check(softmaxAdam(), EpochTrainer.SCORING_CHUNK + 9);
    }
}
