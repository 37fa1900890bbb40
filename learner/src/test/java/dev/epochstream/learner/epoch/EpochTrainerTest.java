package dev.epochstream.learner.epoch;

import static dev.epochstream.learner.epoch.TestConfigs.config;
import static dev.epochstream.learner.epoch.TestConfigs.copy;
import static dev.epochstream.learner.epoch.TestConfigs.window;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.epochstream.learner.config.TrainingConfig;
import dev.epochstream.learner.data.Example;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The window procedure of {@link EpochTrainer} step by step on a [2,1] identity network under mse and SGD
 * (lr 0.1, batch 2), against {@link TinyModel}, an independent scalar implementation of the same math.
 */
class EpochTrainerTest {
    private static final double LR = 0.1;
    private static final double[][] XS = {{1, 2}, {-1, 0.5}, {0.3, -2}, {2, 1}, {-0.5, -1}, {1.5, 0}, {0, 1}};
    private static final double[][] YS = {{1}, {-0.5}, {2}, {0.7}, {-1}, {0.2}, {1.1}};
    private static final int[] ALL = TinyModel.range(0, XS.length);

    private static TrainingConfig tiny(String... extra) {
        String[] base = {"model.layers", "2,1", "model.activations", "identity", "model.loss", "mse",
                "optimizer", "sgd", "optimizer.lr", Double.toString(LR), "train.batch-size", "2"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return config(all);
    }

    private static EpochResult epoch(EpochTrainer t, ModelState m, List<Example> w) {
        return t.trainEpoch(m, w, ModelState.NO_TIME, ModelState.NO_TIME, 0);
    }

    static void assertBitIdentical(double[][] actual, double[][] expected) {
        assertThat(actual.length).isEqualTo(expected.length);
        for (int i = 0; i < actual.length; i++) {
            assertThat(actual[i].length).as("tensor %d length", i).isEqualTo(expected[i].length);
            for (int j = 0; j < actual[i].length; j++) {
                assertThat(Double.doubleToRawLongBits(actual[i][j])).as("tensor %d element %d", i, j)
                        .isEqualTo(Double.doubleToRawLongBits(expected[i][j]));
            }
        }
    }

    static boolean bitIdentical(double[][] a, double[][] b) {
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                if (Double.doubleToRawLongBits(a[i][j]) != Double.doubleToRawLongBits(b[i][j])) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void assertParams(double[][] params, TinyModel expected) {
        assertThat(params[0][0]).isCloseTo(expected.w0, within(1e-12));
        assertThat(params[0][1]).isCloseTo(expected.w1, within(1e-12));
        assertThat(params[1][0]).isCloseTo(expected.b, within(1e-12));
    }

    @Test
    void prequentialMetricsAreThoseOfTheModelBeforeTheWindow() {
        EpochTrainer t = new EpochTrainer(tiny());
        ModelState m = t.newModel("k");
        double[][] initial = copy(m.parameters());
        TinyModel before = new TinyModel(initial);

        EpochResult r = epoch(t, m, window("e", XS, YS));

        MetricValues p = r.prequential();
        assertThat(p.count()).isEqualTo(7);
        double mse = before.mse(XS, YS, ALL);
        assertThat(p.loss()).isCloseTo(mse, within(1e-12));
        assertThat(p.mse()).isCloseTo(mse, within(1e-12));
        assertThat(p.rmse()).isCloseTo(Math.sqrt(mse), within(1e-12));
        assertThat(p.mae()).isCloseTo(before.mae(XS, YS, ALL), within(1e-12));
        assertThat(p.r2()).isCloseTo(before.r2(XS, YS, ALL), within(1e-12));
        assertThat(p.accuracy()).isNaN();
        // the model did train in this epoch, so "before" is not also "after"
        assertThat(new TinyModel(m.parameters()).mse(XS, YS, ALL)).isLessThan(mse);

        // a Predictor built from the initial parameters scores as the hand-written model does
        Predictor initialPredictor = new Predictor(t.config().network(), "mse", 1, 1, initial, null, 0, 0);
        for (int i = 0; i < XS.length; i++) {
            assertThat(initialPredictor.predict(Example.dense("e" + i, "k", 0, XS[i], null)).scores()[0])
                    .isCloseTo(before.predict(XS[i]), within(1e-12));
        }
    }

    @Test
    void secondEpochIsScoredWithTheParametersTheFirstLeft() {
        EpochTrainer t = new EpochTrainer(tiny());
        ModelState m = t.newModel("k");
        epoch(t, m, window("a", XS, YS));
        TinyModel afterFirst = new TinyModel(copy(m.parameters()));

        EpochResult r = epoch(t, m, window("b", XS, YS));

        assertThat(r.prequential().loss()).isCloseTo(afterFirst.mse(XS, YS, ALL), within(1e-12));
        assertThat(r.prequential().mae()).isCloseTo(afterFirst.mae(XS, YS, ALL), within(1e-12));
    }

    @Test
    void trainsOnConsecutiveSlicesWithTheLastPartialBatchAsItsOwnStep() {
        EpochTrainer t = new EpochTrainer(tiny());
        ModelState m = t.newModel("k");
        TinyModel expected = new TinyModel(m.parameters());

        EpochResult r = epoch(t, m, window("e", XS, YS));

        // slices {0,1}, {2,3}, {4,5}, {6}
        expected.sgdStep(XS, YS, ALL, 0, 2, LR);
        expected.sgdStep(XS, YS, ALL, 2, 4, LR);
        expected.sgdStep(XS, YS, ALL, 4, 6, LR);
        expected.sgdStep(XS, YS, ALL, 6, 7, LR);
        assertParams(m.parameters(), expected);
        assertThat(r.trainingLoss()).isCloseTo(expected.mse(XS, YS, ALL), within(1e-12));
        assertThat(r.validation()).isNull();
        assertThat(r.modelVersion()).isEqualTo(1);
        assertThat(r.epoch()).isEqualTo(1);
        assertThat(r.trained()).isEqualTo(7);
        assertThat(r.seen()).isEqualTo(7);
        assertThat(r.learningRate()).isEqualTo(LR);
        assertThat(r.updateRefused()).isFalse();
        assertThat(r.earlyStopped()).isFalse();
        assertThat(m.trainedThrough()).isEqualTo(1006L);
    }

    @Test
    void severalPassesRepeatTheSlices() {
        EpochTrainer t = new EpochTrainer(tiny("epoch.passes", "3"));
        ModelState m = t.newModel("k");
        TinyModel expected = new TinyModel(m.parameters());

        EpochResult r = epoch(t, m, window("e", XS, YS));

        for (int pass = 0; pass < 3; pass++) {
            expected.pass(XS, YS, ALL, 2, LR);
        }
        assertParams(m.parameters(), expected);
        assertThat(r.trainingLoss()).isCloseTo(expected.mse(XS, YS, ALL), within(1e-12));
        // one epoch, however many passes
        assertThat(r.modelVersion()).isEqualTo(1);
    }

    @Test
    void batchLargerThanTheWindowIsOneStep() {
        EpochTrainer t = new EpochTrainer(tiny("train.batch-size", "32"));
        ModelState m = t.newModel("k");
        TinyModel expected = new TinyModel(m.parameters());
        epoch(t, m, window("e", XS, YS));
        expected.sgdStep(XS, YS, ALL, 0, 7, LR);
        assertParams(m.parameters(), expected);
    }

    /** Ten events e1 .. e10; MurmurHash3_x86_32(id, 0) / 2^32 puts e1 (0.126) and e10 (0.282) below 0.3. */
    private static final double[][] XS10 = new double[10][];
    private static final double[][] YS10 = new double[10][];

    static {
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < 10; i++) {
            XS10[i] = new double[] {2 * r.nextDouble() - 1, 2 * r.nextDouble() - 1};
            YS10[i] = new double[] {2 * r.nextDouble() - 1};
        }
    }

    private static List<Example> tenEvents(boolean withHeldOut) {
        List<Example> w = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String id = "e" + (i + 1);
            if (withHeldOut || !(id.equals("e1") || id.equals("e10"))) {
                w.add(Example.dense(id, "k", i, XS10[i], YS10[i]));
            }
        }
        return w;
    }

    @Test
    void heldOutEventsAreNeverTrainedOn() {
        EpochTrainer withHoldout = new EpochTrainer(tiny("train.holdout", "0.3", "epoch.passes", "2"));
        EpochTrainer without = new EpochTrainer(tiny("epoch.passes", "2"));
        // values of MurmurHash3_x86_32 computed independently (Guava murmur3_32_fixed)
        assertThat(withHoldout.isHeldOut("e1")).isTrue();   // 0x203E5145 / 2^32 = 0.1260
        assertThat(withHoldout.isHeldOut("e10")).isTrue();  // 0x484E14A2 / 2^32 = 0.2824
        assertThat(withHoldout.isHeldOut("e6")).isFalse();  // 0x61F80B1C / 2^32 = 0.3827
        assertThat(withHoldout.isHeldOut("e2")).isFalse();  // 0xF08E5928 / 2^32 = 0.9397
        assertThat(without.isHeldOut("e1")).isFalse();
        // the rule is u / 2^32 < f exactly: u = 0x203E5145 is held out by f just above u / 2^32, not by f = u / 2^32
        double atE1 = 0x203E5145L / 4294967296.0;
        assertThat(new EpochTrainer(tiny("train.holdout", Double.toString(atE1 + 0x1p-33))).isHeldOut("e1")).isTrue();
        assertThat(new EpochTrainer(tiny("train.holdout", Double.toString(atE1))).isHeldOut("e1")).isFalse();

        ModelState h = withHoldout.newModel("k");
        ModelState n = without.newModel("k");
        ModelState all = without.newModel("k");
        EpochResult rh = null;
        for (int e = 0; e < 3; e++) {
            rh = epoch(withHoldout, h, tenEvents(true));
            epoch(without, n, tenEvents(false));
            epoch(without, all, tenEvents(true));
        }
        assertBitIdentical(h.parameters(), n.parameters());
        assertThat(bitIdentical(h.parameters(), all.parameters())).as("training on e1 and e10 changes the model").isFalse();

        assertThat(rh.heldOut()).isEqualTo(6);
        assertThat(rh.trained()).isEqualTo(24);
        assertThat(rh.seen()).isEqualTo(30);
        assertThat(rh.prequential().count()).isEqualTo(10);
        TinyModel finalModel = new TinyModel(h.parameters());
        int[] held = {0, 9};
        int[] trained = TinyModel.range(1, 9);
        assertThat(rh.validation().count()).isEqualTo(2);
        assertThat(rh.validation().loss()).isCloseTo(finalModel.mse(XS10, YS10, held), within(1e-12));
        assertThat(rh.validation().mae()).isCloseTo(finalModel.mae(XS10, YS10, held), within(1e-12));
        assertThat(rh.trainingLoss()).isCloseTo(finalModel.mse(XS10, YS10, trained), within(1e-12));
    }

    @Test
    void shuffleIsDeterministicAndDiffersFromArrivalOrder() {
        List<Example> w = window("e", XS, YS);
        EpochTrainer s1 = new EpochTrainer(tiny("train.shuffle", "true", "epoch.passes", "2"));
        EpochTrainer s2 = new EpochTrainer(tiny("train.shuffle", "true", "epoch.passes", "2"));
        EpochTrainer plain = new EpochTrainer(tiny("epoch.passes", "2"));
        ModelState a = s1.newModel("k");
        ModelState b = s2.newModel("k");
        ModelState c = plain.newModel("k");
        TinyModel expected = new TinyModel(a.parameters());
        for (int e = 1; e <= 2; e++) {
            epoch(s1, a, w);
            epoch(s2, b, w);
            epoch(plain, c, w);
            for (int pass = 0; pass < 2; pass++) {
                int[] order = fisherYates(ALL, s1.shuffleSeed("k", e, pass));
                expected.pass(XS, YS, order, 2, LR);
            }
        }
        assertBitIdentical(a.parameters(), b.parameters());
        assertThat(bitIdentical(a.parameters(), c.parameters())).isFalse();
        assertParams(a.parameters(), expected);

        // the seed depends on the key, the epoch and the pass
        long seed = s1.shuffleSeed("k", 1, 0);
        assertThat(s1.shuffleSeed("other", 1, 0)).isNotEqualTo(seed);
        assertThat(s1.shuffleSeed("k", 2, 0)).isNotEqualTo(seed);
        assertThat(s1.shuffleSeed("k", 1, 1)).isNotEqualTo(seed);
        assertThat(s2.shuffleSeed("k", 1, 0)).isEqualTo(seed);
    }

    /** The documented shuffle: Fisher–Yates from the end with SplittableRandom(seed).nextInt(i + 1). */
    private static int[] fisherYates(int[] rows, long seed) {
        int[] a = rows.clone();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    @Test
    void refusedAndUnlabelledEventsAreCountedAndSkipped() {
        EpochTrainer t = new EpochTrainer(tiny());
        List<Example> w = new ArrayList<>(window("e", XS, YS));
        w.add(3, Example.dense("bad-dim", "k", 5, new double[] {1, 2, 3}, new double[] {1}));
        w.add(5, Example.dense("no-label", "k", 5, new double[] {1, 2}, null));
        w.add(Example.dense("nan", "k", 5, new double[] {Double.NaN, 2}, new double[] {1}));
        ModelState m = t.newModel("k");
        ModelState clean = t.newModel("k");

        EpochResult r = epoch(t, m, w);
        EpochResult rc = epoch(t, clean, window("e", XS, YS));

        assertBitIdentical(m.parameters(), clean.parameters());
        assertThat(r.refused()).isEqualTo(3);
        assertThat(r.seen()).isEqualTo(10);
        assertThat(r.trained()).isEqualTo(7);
        assertThat(r.prequential().count()).isEqualTo(7);
        assertThat(r.prequential().loss()).isEqualTo(rc.prequential().loss());
    }

    @Test
    void versionCountsTrainedEpochsAndTheRecordCarriesTheWindow() {
        EpochTrainer t = new EpochTrainer(tiny());
        ModelState m = t.newModel("k");
        EpochResult r1 = t.trainEpoch(m, window("a", XS, YS), 10_000L, 20_000L, 5);
        EpochResult empty = t.trainEpoch(m, List.of(), 20_000L, 30_000L, 0);
        EpochResult r3 = t.trainEpoch(m, window("c", XS, YS), 30_000L, 40_000L, 0);

        assertThat(r1.windowStart()).isEqualTo(10_000L);
        assertThat(r1.windowEnd()).isEqualTo(20_000L);
        assertThat(r1.pending()).isEqualTo(5);
        assertThat(r1.key()).isEqualTo("k");
        assertThat(r1.taskType()).isEqualTo(TaskType.REGRESSION);
        assertThat(empty.epoch()).isEqualTo(2);
        assertThat(empty.modelVersion()).isEqualTo(1);
        assertThat(empty.trainingLoss()).isNaN();
        assertThat(empty.prequential().count()).isZero();
        assertThat(empty.published()).isFalse();
        assertThat(r3.epoch()).isEqualTo(3);
        assertThat(r3.modelVersion()).isEqualTo(2);
        assertThat(m.version()).isEqualTo(2);
        assertThat(m.epochs()).isEqualTo(3);
        // the rolling metrics cover the three epochs' prequential boards
        assertThat(r3.rollingEpochs()).isEqualTo(3);
        assertThat(r3.rolling().count()).isEqualTo(14);
    }

    @Test
    void scoringDoesNotTrain() {
        EpochTrainer t = new EpochTrainer(tiny());
        ModelState m = t.newModel("k");
        double[][] before = copy(m.parameters());
        TinyModel hand = new TinyModel(before);
        Scored s = t.score(m, Example.dense("q", "k", 0, XS[2], null));
        assertThat(s.scores()[0]).isCloseTo(hand.predict(XS[2]), within(1e-12));
        assertThat(s.predictedClass()).isEqualTo(-1);
        assertThat(s.modelVersion()).isZero();
        assertThat(s.prediction()).isEqualTo(s.scores()[0]);
        assertBitIdentical(m.parameters(), before);
    }
}
