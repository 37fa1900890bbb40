package dev.epochstream.learner.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {

    private static final double NAN = Double.NaN;

    /**
     * Binary example, positive class 1. Rows (actual, predicted):
     * (1,1) (1,1) (1,0) (1,1) (0,0) (0,1) (0,0) (0,0) (0,0) (1,0)
     * tp = 3 (rows 0, 1, 3), fn = 2 (rows 2, 9), fp = 1 (row 5), tn = 4 (rows 4, 6, 7, 8).
     * Confusion [actual][predicted] = [[4, 1], [2, 3]].
     */
    private static ClassificationMetrics binaryExample() {
        int[] actual = {1, 1, 1, 1, 0, 0, 0, 0, 0, 1};
        int[] predicted = {1, 1, 0, 1, 0, 1, 0, 0, 0, 0};
        double[] p = {0.9, 0.8, 0.4, 0.7, NAN, 0.3, 0.95, NAN, 0.6, 0.2};
        ClassificationMetrics m = new ClassificationMetrics(2);
        for (int i = 0; i < actual.length; i++) {
            m.update(actual[i], predicted[i], p[i]);
        }
        return m;
    }

    @Test
    void binaryExampleMatchesHandComputedValues() {
        ClassificationMetrics m = binaryExample();

        assertThat(m.count()).isEqualTo(10);
        assertThat(m.confusionMatrix()).isEqualTo(new long[][] {{4, 1}, {2, 3}});
        // accuracy = (tn + tp) / n = (4 + 3) / 10
        assertThat(m.accuracy()).isCloseTo(0.7, within(1e-12));
        // positive class 1: P = 3/(3+1), R = 3/(3+2), F1 = 2·3/(2·3 + 1 + 2) = 2/3
        assertThat(m.precision()).isCloseTo(0.75, within(1e-12));
        assertThat(m.recall()).isCloseTo(0.6, within(1e-12));
        assertThat(m.f1()).isCloseTo(2.0 / 3.0, within(1e-12));
        // F1 is the harmonic mean of P and R
        assertThat(m.f1()).isCloseTo(2 * 0.75 * 0.6 / (0.75 + 0.6), within(1e-12));
        // class 0: P = 4/(4+2), R = 4/(4+1), F1 = 8/(8 + 2 + 1)
        assertThat(m.precision(0)).isCloseTo(4.0 / 6.0, within(1e-12));
        assertThat(m.recall(0)).isCloseTo(0.8, within(1e-12));
        assertThat(m.f1(0)).isCloseTo(8.0 / 11.0, within(1e-12));
        // macro = mean over both classes
        assertThat(m.macroPrecision()).isCloseTo((4.0 / 6.0 + 0.75) / 2, within(1e-12));
        assertThat(m.macroRecall()).isCloseTo((0.8 + 0.6) / 2, within(1e-12));
        assertThat(m.macroF1()).isCloseTo((8.0 / 11.0 + 2.0 / 3.0) / 2, within(1e-12));
        // micro pools tp/fp/fn over both classes: 7 tp, 3 fp, 3 fn
        assertThat(m.microPrecision()).isCloseTo(0.7, within(1e-12));
        assertThat(m.microRecall()).isCloseTo(0.7, within(1e-12));
        assertThat(m.microF1()).isCloseTo(0.7, within(1e-12));
        // log loss over the 8 rows with a probability
        double expected = -(Math.log(0.9) + Math.log(0.8) + Math.log(0.4) + Math.log(0.7) + Math.log(0.3)
                + Math.log(0.95) + Math.log(0.6) + Math.log(0.2)) / 8;
        assertThat(m.logLossCount()).isEqualTo(8);
        assertThat(m.logLoss()).isCloseTo(expected, within(1e-12));
    }

    /**
     * Three classes, class 2 never predicted. Rows (actual → predicted): 0→0 ×3, 0→1, 1→1 ×2, 1→0, 2→0, 2→1.
     * Confusion [[3, 1, 0], [1, 2, 0], [1, 1, 0]]; column sums (predicted) 5, 4, 0; row sums (actual) 4, 3, 2.
     */
    @Test
    void threeClassExampleMatchesHandComputedMacroAndMicro() {
        ClassificationMetrics m = new ClassificationMetrics(3);
        int[][] rows = {{0, 0}, {0, 0}, {0, 0}, {0, 1}, {1, 1}, {1, 1}, {1, 0}, {2, 0}, {2, 1}};
        for (int[] r : rows) {
            m.update(r[0], r[1], NAN);
        }

        assertThat(m.confusionMatrix()).isEqualTo(new long[][] {{3, 1, 0}, {1, 2, 0}, {1, 1, 0}});
        assertThat(m.accuracy()).isCloseTo(5.0 / 9.0, within(1e-12));
        // precision: 3/5, 2/4, 0/0 → 0 (zero_division=0)
        assertThat(m.precision(0)).isCloseTo(0.6, within(1e-12));
        assertThat(m.precision(1)).isCloseTo(0.5, within(1e-12));
        assertThat(m.precision(2)).isEqualTo(0.0);
        // recall: 3/4, 2/3, 0/2
        assertThat(m.recall(0)).isCloseTo(0.75, within(1e-12));
        assertThat(m.recall(1)).isCloseTo(2.0 / 3.0, within(1e-12));
        assertThat(m.recall(2)).isEqualTo(0.0);
        // F1 = 2tp / (row + column): 6/9, 4/7, 0/2
        assertThat(m.f1(0)).isCloseTo(6.0 / 9.0, within(1e-12));
        assertThat(m.f1(1)).isCloseTo(4.0 / 7.0, within(1e-12));
        assertThat(m.f1(2)).isEqualTo(0.0);
        // macro: mean over the 3 classes, class 2 included as 0
        assertThat(m.macroPrecision()).isCloseTo(11.0 / 30.0, within(1e-12));
        assertThat(m.macroRecall()).isCloseTo(17.0 / 36.0, within(1e-12));
        assertThat(m.macroF1()).isCloseTo(26.0 / 63.0, within(1e-12));
        // micro: Σtp = 5, Σfp = Σfn = 4 → 5/9 each, unlike the macro values
        assertThat(m.microPrecision()).isCloseTo(5.0 / 9.0, within(1e-12));
        assertThat(m.microRecall()).isCloseTo(5.0 / 9.0, within(1e-12));
        assertThat(m.microF1()).isCloseTo(5.0 / 9.0, within(1e-12));
        // K > 2: the plain getters are the micro averages, as the EpochMetrics schema documents them
        assertThat(m.precision()).isCloseTo(5.0 / 9.0, within(1e-12));
        assertThat(m.recall()).isCloseTo(5.0 / 9.0, within(1e-12));
        assertThat(m.f1()).isCloseTo(5.0 / 9.0, within(1e-12));
        assertThat(m.macroF1()).isNotCloseTo(m.microF1(), within(0.1));
        // no probability given → no log loss
        assertThat(m.logLoss()).isNaN();
    }

    @Test
    void zeroDivisionGivesZeroOnceThereAreRows() {
        // binary, only negatives, all predicted right: the positive class has no tp, fp or fn
        ClassificationMetrics m = new ClassificationMetrics(2);
        m.update(0, 0, NAN);
        m.update(0, 0, NAN);
        assertThat(m.accuracy()).isEqualTo(1.0);
        assertThat(m.precision()).isEqualTo(0.0);
        assertThat(m.recall()).isEqualTo(0.0);
        assertThat(m.f1()).isEqualTo(0.0);
        // class 0: P = R = F1 = 1; macro = (1 + 0) / 2
        assertThat(m.macroF1()).isCloseTo(0.5, within(1e-12));

        // positives exist but none predicted: precision 0/0 → 0, recall 0/1 = 0
        ClassificationMetrics missed = new ClassificationMetrics(2);
        missed.update(1, 0, NAN);
        assertThat(missed.precision()).isEqualTo(0.0);
        assertThat(missed.recall()).isEqualTo(0.0);
        assertThat(missed.f1()).isEqualTo(0.0);
        assertThat(missed.accuracy()).isEqualTo(0.0);
    }

    @Test
    void emptyAccumulatorIsNaN() {
        ClassificationMetrics m = new ClassificationMetrics(3);
        assertThat(m.count()).isZero();
        double[] values = {m.accuracy(), m.precision(), m.recall(), m.f1(), m.precision(1), m.recall(1),
            m.f1(1), m.macroPrecision(), m.macroRecall(), m.macroF1(), m.microPrecision(), m.microRecall(),
            m.microF1(), m.logLoss()};
        for (double v : values) {
            assertThat(v).isNaN();
        }
    }

    @Test
    void logLossClipsProbabilitiesLikeSklearnEps() {
        ClassificationMetrics zero = new ClassificationMetrics(2);
        zero.update(1, 0, 0.0);
        // −ln(2^-52) = 52·ln 2 (sklearn's clip since 1.3: np.finfo(np.float64).eps)
        assertThat(zero.logLoss()).isCloseTo(52 * Math.log(2), within(1e-12));

        ClassificationMetrics one = new ClassificationMetrics(2);
        one.update(1, 1, 1.0);
        // −ln(1 − 2^-52) ≈ 2^-52, strictly positive: the upper clip applies
        assertThat(one.logLoss()).isGreaterThan(0.0).isCloseTo(0x1.0p-52, within(1e-27));
    }

    @Test
    void rejectsOutOfRangeInput() {
        ClassificationMetrics m = new ClassificationMetrics(3);
        assertThatThrownBy(() -> m.update(3, 0, NAN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("actual class 3");
        assertThatThrownBy(() -> m.update(0, -1, NAN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("predicted class -1");
        assertThatThrownBy(() -> m.update(0, 0, 1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.update(0, 0, -0.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClassificationMetrics(1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.merge(new ClassificationMetrics(2)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(m.count()).isZero();
    }

    @Test
    void incrementalEqualsBatchAtEveryRow() {
        int k = 4;
        int n = 1000;
        RandomRows rows = RandomRows.classification(42, n, k);
        ClassificationMetrics m = new ClassificationMetrics(k);
        for (int i = 0; i < n; i++) {
            m.update(rows.actual[i], rows.predicted[i], rows.probability[i]);
            assertMatchesBatch(m, rows, i + 1, k);
        }
    }

    /** Textbook formulas straight from the first {@code n} rows, with no confusion matrix. */
    private static void assertMatchesBatch(ClassificationMetrics m, RandomRows rows, int n, int k) {
        long correct = 0;
        double logSum = 0;
        long logRows = 0;
        for (int i = 0; i < n; i++) {
            if (rows.actual[i] == rows.predicted[i]) {
                correct++;
            }
            if (!Double.isNaN(rows.probability[i])) {
                logSum += -Math.log(Math.min(Math.max(rows.probability[i], 0x1.0p-52), 1 - 0x1.0p-52));
                logRows++;
            }
        }
        double sumP = 0;
        double sumR = 0;
        double sumF = 0;
        for (int c = 0; c < k; c++) {
            long tp = 0;
            long fp = 0;
            long fn = 0;
            for (int i = 0; i < n; i++) {
                boolean isC = rows.actual[i] == c;
                boolean saidC = rows.predicted[i] == c;
                tp += isC && saidC ? 1 : 0;
                fp += !isC && saidC ? 1 : 0;
                fn += isC && !saidC ? 1 : 0;
            }
            double p = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
            double r = tp + fn == 0 ? 0 : (double) tp / (tp + fn);
            double f = p + r == 0 ? 0 : 2 * p * r / (p + r);
            assertRelClose(m.precision(c), p);
            assertRelClose(m.recall(c), r);
            assertRelClose(m.f1(c), f);
            sumP += p;
            sumR += r;
            sumF += f;
        }
        assertThat(m.count()).isEqualTo(n);
        assertRelClose(m.accuracy(), (double) correct / n);
        assertRelClose(m.microF1(), (double) correct / n);
        assertRelClose(m.macroPrecision(), sumP / k);
        assertRelClose(m.macroRecall(), sumR / k);
        assertRelClose(m.macroF1(), sumF / k);
        if (logRows > 0) {
            assertRelClose(m.logLoss(), logSum / logRows);
        }
    }

    static void assertRelClose(double actual, double expected) {
        assertThat(actual).isCloseTo(expected, withinPercentage(1e-10)); // 1e-12 relative
    }

    @Test
    void mergeEqualsOneAccumulatorFedBothHalves() {
        int k = 3;
        RandomRows rows = RandomRows.classification(7, 1000, k);
        for (int split : new int[] {0, 1, 500, 999, 1000}) {
            ClassificationMetrics whole = new ClassificationMetrics(k);
            ClassificationMetrics first = new ClassificationMetrics(k);
            ClassificationMetrics second = new ClassificationMetrics(k);
            rows.feed(whole, 0, 1000);
            rows.feed(first, 0, split);
            rows.feed(second, split, 1000);
            ClassificationMetrics secondBefore = second.copy();
            first.merge(second);

            assertThat(second).isEqualTo(secondBefore);
            assertThat(first.count()).isEqualTo(whole.count());
            assertThat(first.logLossCount()).isEqualTo(whole.logLossCount());
            assertThat(first.confusionMatrix()).isEqualTo(whole.confusionMatrix());
            assertThat(first.accuracy()).isEqualTo(whole.accuracy());
            assertThat(first.macroF1()).isEqualTo(whole.macroF1());
            assertRelClose(first.logLoss(), whole.logLoss());
        }
    }

    @Test
    void copyIsIndependentAndResetEmpties() {
        ClassificationMetrics m = binaryExample();
        ClassificationMetrics c = m.copy();
        assertThat(c).isEqualTo(m);
        c.update(0, 0, 0.5);
        assertThat(m.count()).isEqualTo(10);
        assertThat(c.count()).isEqualTo(11);

        long[][] cm = m.confusionMatrix();
        cm[0][0] = 99;
        assertThat(m.confusion(0, 0)).isEqualTo(4);

        m.reset();
        assertThat(m).isEqualTo(new ClassificationMetrics(2));
        assertThat(m.accuracy()).isNaN();
    }
}
