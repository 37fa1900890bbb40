package dev.epochstream.learner.metric;

import static dev.epochstream.learner.metric.ClassificationMetricsTest.assertRelClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RegressionMetricsTest {

    private static RegressionMetrics fed(int outputs, double[][] predicted, double[][] actual) {
        RegressionMetrics m = new RegressionMetrics(outputs);
        for (int i = 0; i < predicted.length; i++) {
            m.update(predicted[i], actual[i]);
        }
        return m;
    }

    @Test
    void singleOutputExample() {
        // y = [3, −0.5, 2, 7], ŷ = [2.5, 0, 2, 8] (sklearn's r2_score doc example)
        RegressionMetrics m = fed(1, new double[][] {{2.5}, {0.0}, {2}, {8}},
                new double[][] {{3}, {-0.5}, {2}, {7}});
        // residuals ŷ − y: −0.5, 0.5, 0, 1
        assertThat(m.count()).isEqualTo(4);
        assertThat(m.mae()).isCloseTo((0.5 + 0.5 + 0 + 1) / 4, within(1e-12));
        assertThat(m.mse()).isCloseTo((0.25 + 0.25 + 0 + 1) / 4, within(1e-12));
        assertThat(m.rmse()).isCloseTo(Math.sqrt(0.375), within(1e-12));
        // ȳ = 11.5 / 4 = 2.875; SS_tot = 0.125² + 3.375² + 0.875² + 4.125² = 29.1875; SS_res = 1.5
        assertThat(m.r2()).isCloseTo(1 - 1.5 / 29.1875, within(1e-12));
        assertThat(m.r2()).isCloseTo(0.9486081370449679, within(1e-12)); // sklearn's documented value
    }

    @Test
    void twoOutputExampleAveragesUniformly() {
        // y = [[0.5, 1], [−1, 1], [7, −6]], ŷ = [[0, 2], [−1, 2], [8, −5]] (sklearn's multioutput doc example)
        RegressionMetrics m = fed(2, new double[][] {{0, 2}, {-1, 2}, {8, -5}},
                new double[][] {{0.5, 1}, {-1, 1}, {7, -6}});
        // output 0 residuals −0.5, 0, 1: Σ|e| = 1.5, Σe² = 1.25; output 1 residuals 1, 1, 1: Σ|e| = 3, Σe² = 3
        assertThat(m.mae()).isCloseTo((1.5 + 3) / 6, within(1e-12)); // 0.75 as sklearn's doc
        assertThat(m.mse()).isCloseTo((1.25 + 3) / 6, within(1e-12));
        // output 0: ȳ = 13/6, SS_tot = ((−10)² + (−19)² + 29²)/36 = 1302/36 → R² = 1 − 1.25·36/1302
        // output 1: ȳ = −4/3, SS_tot = (7² + 7² + 14²)/9 = 294/9 → R² = 1 − 3·9/294
        double r0 = 1 - 1.25 * 36 / 1302;
        double r1 = 1 - 3.0 * 9 / 294;
        assertThat(m.r2(0)).isCloseTo(r0, within(1e-12));
        assertThat(m.r2(1)).isCloseTo(r1, within(1e-12));
        assertThat(m.r2()).isCloseTo((r0 + r1) / 2, within(1e-12));
        // the root of the mean over all elements
        assertThat(m.rmse()).isCloseTo(Math.sqrt(4.25 / 6), within(1e-12));
    }

    @Test
    void constantTargetFollowsForceFinite() {
        double[][] y = {{2, 1}, {2, 3}, {2, 5}};
        // output 0 constant and predicted perfectly → 1.0; output 1: ȳ = 3, SS_tot = 8, residuals 0, 1, 0
        RegressionMetrics perfect = fed(2, new double[][] {{2, 1}, {2, 4}, {2, 5}}, y);
        assertThat(perfect.r2(0)).isEqualTo(1.0);
        assertThat(perfect.r2(1)).isCloseTo(1 - 1.0 / 8, within(1e-12));
        assertThat(perfect.r2()).isCloseTo((1.0 + 7.0 / 8) / 2, within(1e-12));
        // output 0 constant but missed → 0.0 (not −∞)
        RegressionMetrics missed = fed(2, new double[][] {{2, 1}, {2.5, 3}, {2, 5}}, y);
        assertThat(missed.r2(0)).isEqualTo(0.0);
        assertThat(missed.r2(1)).isEqualTo(1.0);
        assertThat(missed.r2()).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void emptyIsNaNAndR2NeedsTwoRows() {
        RegressionMetrics m = new RegressionMetrics(2);
        assertThat(m.mae()).isNaN();
        assertThat(m.mse()).isNaN();
        assertThat(m.rmse()).isNaN();
        assertThat(m.r2()).isNaN();
        m.update(new double[] {1, 2}, new double[] {0, 2});
        assertThat(m.mae()).isCloseTo(0.5, within(1e-12));
        assertThat(m.r2()).isNaN();
        assertThat(m.r2(0)).isNaN();
    }

    @Test
    void offsetUpdateReadsOneRowOfABatchAndModifiesNothing() {
        double[] predicted = {9, 9, 1, 2, 3, 4};
        double[] actual = {0, 1, 2, 5, 5, 5};
        double[] pBefore = predicted.clone();
        double[] yBefore = actual.clone();
        RegressionMetrics byOffset = new RegressionMetrics(2);
        byOffset.update(predicted, 2, actual, 1); // ŷ = (1, 2), y = (1, 2)
        byOffset.update(predicted, 4, actual, 4); // ŷ = (3, 4), y = (5, 5)
        RegressionMetrics byRow = fed(2, new double[][] {{1, 2}, {3, 4}}, new double[][] {{1, 2}, {5, 5}});

        assertThat(byOffset).isEqualTo(byRow);
        // residuals 0, 0, −2, −1
        assertThat(byOffset.mae()).isCloseTo(3.0 / 4, within(1e-12));
        assertThat(byOffset.mse()).isCloseTo(5.0 / 4, within(1e-12));
        assertThat(predicted).isEqualTo(pBefore);
        assertThat(actual).isEqualTo(yBefore);
        assertThatThrownBy(() -> byOffset.update(predicted, 5, actual, 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> byOffset.update(new double[3], new double[2]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(byOffset.count()).isEqualTo(2);
    }

    @Test
    void incrementalEqualsBatchAtEveryRow() {
        int d = 3;
        int n = 1000;
        RandomRows rows = RandomRows.regression(11, n, d);
        RegressionMetrics m = new RegressionMetrics(d);
        for (int i = 0; i < n; i++) {
            m.update(rows.predictions, i * d, rows.targets, i * d);
            assertMatchesBatch(m, rows, i + 1, d);
        }
    }

    /** Textbook two-pass formulas over the first {@code n} rows. */
    private static void assertMatchesBatch(RegressionMetrics m, RandomRows rows, int n, int d) {
        double abs = 0;
        double sq = 0;
        double r2Sum = 0;
        for (int j = 0; j < d; j++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += rows.targets[i * d + j];
            }
            mean /= n;
            double ssRes = 0;
            double ssTot = 0;
            for (int i = 0; i < n; i++) {
                double y = rows.targets[i * d + j];
                double e = rows.predictions[i * d + j] - y;
                abs += Math.abs(e);
                ssRes += e * e;
                ssTot += (y - mean) * (y - mean);
            }
            sq += ssRes;
            r2Sum += 1 - ssRes / ssTot;
            if (n >= 2) {
                assertRelClose(m.r2(j), 1 - ssRes / ssTot);
            }
        }
        assertThat(m.count()).isEqualTo(n);
        assertRelClose(m.mae(), abs / (n * d));
        assertRelClose(m.mse(), sq / (n * d));
        assertRelClose(m.rmse(), Math.sqrt(sq / (n * d)));
        if (n >= 2) {
            assertRelClose(m.r2(), r2Sum / d);
        }
    }

    @Test
    void mergeEqualsOneAccumulatorFedBothHalves() {
        int d = 2;
        int n = 1000;
        RandomRows rows = RandomRows.regression(5, n, d);
        for (int split : new int[] {0, 1, 400, 999, 1000}) {
            RegressionMetrics whole = new RegressionMetrics(d);
            RegressionMetrics first = new RegressionMetrics(d);
            RegressionMetrics second = new RegressionMetrics(d);
            rows.feed(whole, 0, n);
            rows.feed(first, 0, split);
            rows.feed(second, split, n);
            RegressionMetrics secondBefore = second.copy();
            first.merge(second);

            assertThat(second).isEqualTo(secondBefore);
            assertThat(first.count()).isEqualTo(whole.count());
            assertThat(first.r2()).isCloseTo(whole.r2(), within(1e-12));
            assertThat(first.r2(1)).isCloseTo(whole.r2(1), within(1e-12));
            assertRelClose(first.mae(), whole.mae());
            assertRelClose(first.mse(), whole.mse());
        }
    }

    @Test
    void mergeOfUnequalShapesIsRefused() {
        assertThatThrownBy(() -> new RegressionMetrics(2).merge(new RegressionMetrics(3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 outputs");
        assertThatThrownBy(() -> new RegressionMetrics(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void copyIsIndependentAndResetEmpties() {
        RegressionMetrics m = fed(1, new double[][] {{1}, {2}}, new double[][] {{0}, {2}});
        RegressionMetrics c = m.copy();
        assertThat(c).isEqualTo(m);
        c.update(new double[] {5}, new double[] {5});
        assertThat(m.count()).isEqualTo(2);
        assertThat(c).isNotEqualTo(m);
        m.reset();
        assertThat(m).isEqualTo(new RegressionMetrics(1));
        assertThat(m.mae()).isNaN();
    }
}
