package dev.epochstream.learner.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MultilabelMetricsTest {

    /**
     * Three labels, four rows (probabilities → predicted at > 0.5; targets):
     * <pre>
     *   [0.9, 0.2, 0.6] → 1 0 1   actual 1 0 1   exact
     *   [0.7, 0.8, 0.1] → 1 1 0   actual 1 0 0   label 1 fp
     *   [0.4, 0.3, 0.2] → 0 0 0   actual 1 0 1   labels 0 and 2 fn
     *   [0.1, 0.6, 0.5] → 0 1 0   actual 0 1 0   exact (0.5 is not > 0.5)
     * </pre>
     * Per label (tp, fp, fn): (2, 0, 1), (1, 1, 0), (1, 0, 1); Σ = (4, 1, 2).
     */
    private static MultilabelMetrics example() {
        MultilabelMetrics m = new MultilabelMetrics(3);
        double[][] p = {{0.9, 0.2, 0.6}, {0.7, 0.8, 0.1}, {0.4, 0.3, 0.2}, {0.1, 0.6, 0.5}};
        double[][] y = {{1, 0, 1}, {1, 0, 0}, {1, 0, 1}, {0, 1, 0}};
        for (int r = 0; r < 4; r++) {
            m.update(p[r], 0, y[r]);
        }
        return m;
    }

    @Test
    void valuesMatchSklearnDefinitionsWorkedByHand() {
        MultilabelMetrics m = example();

        assertThat(m.count()).isEqualTo(4);
        assertThat(new long[] {m.truePositives(0), m.falsePositives(0), m.falseNegatives(0)}).containsExactly(2, 0, 1);
        assertThat(new long[] {m.truePositives(1), m.falsePositives(1), m.falseNegatives(1)}).containsExactly(1, 1, 0);
        assertThat(new long[] {m.truePositives(2), m.falsePositives(2), m.falseNegatives(2)}).containsExactly(1, 0, 1);
        // accuracy_score on indicator matrices: subset accuracy, 2 exact rows of 4
        assertThat(m.accuracy()).isEqualTo(0.5);
        // average='micro': 4 / (4 + 1), 4 / (4 + 2), 8 / (8 + 1 + 2)
        assertThat(m.microPrecision()).isCloseTo(0.8, within(1e-15));
        assertThat(m.microRecall()).isCloseTo(2.0 / 3.0, within(1e-15));
        assertThat(m.microF1()).isCloseTo(8.0 / 11.0, within(1e-15));
        // per label 2tp / (2tp + fp + fn): 4/5, 2/3, 2/3; average='macro' = 32/45
        assertThat(m.f1(0)).isCloseTo(0.8, within(1e-15));
        assertThat(m.f1(1)).isCloseTo(2.0 / 3.0, within(1e-15));
        assertThat(m.f1(2)).isCloseTo(2.0 / 3.0, within(1e-15));
        assertThat(m.macroF1()).isCloseTo(32.0 / 45.0, within(1e-15));
        // mean binary cross-entropy over the 12 (row, label) pairs, p of the actual value
        double[] ofActual = {0.9, 0.8, 0.6, 0.7, 0.2, 0.9, 0.4, 0.7, 0.2, 0.9, 0.6, 0.5};
        double sum = 0;
        for (double q : ofActual) {
            sum += -Math.log(q);
        }
        assertThat(m.logLoss()).isCloseTo(sum / 12, within(1e-14));
    }

    @Test
    void aLabelNeverPredictedNorPresentScoresZeroInTheMacroMean() {
        MultilabelMetrics m = new MultilabelMetrics(2);
        m.update(new double[] {0.9, 0.1}, 0, new double[] {1, 0});
        m.update(new double[] {0.8, 0.3}, 0, new double[] {1, 0});
        assertThat(m.accuracy()).isEqualTo(1.0);
        assertThat(m.f1(0)).isEqualTo(1.0);
        assertThat(m.f1(1)).isEqualTo(0.0); // zero_division=0
        assertThat(m.macroF1()).isEqualTo(0.5);
        assertThat(m.microF1()).isEqualTo(1.0);

        MultilabelMetrics none = new MultilabelMetrics(2);
        none.update(new double[] {0.1, 0.2}, 0, new double[] {0, 0});
        assertThat(none.microPrecision()).isEqualTo(0.0);
        assertThat(none.microRecall()).isEqualTo(0.0);
        assertThat(none.microF1()).isEqualTo(0.0);
        assertThat(none.accuracy()).isEqualTo(1.0);
    }

    @Test
    void anEmptyAccumulatorIsNaN() {
        MultilabelMetrics m = new MultilabelMetrics(3);
        double[] values = {m.accuracy(), m.microPrecision(), m.microRecall(), m.microF1(), m.macroF1(), m.f1(0),
            m.logLoss()};
        for (double v : values) {
            assertThat(v).isNaN();
        }
    }

    @Test
    void logLossClipsAsClassificationMetricsDoes() {
        MultilabelMetrics m = new MultilabelMetrics(1);
        m.update(new double[] {0.0}, 0, new double[] {1});
        assertThat(m.logLoss()).isCloseTo(52 * Math.log(2), within(1e-12));
    }

    @Test
    void readsRowsAtAnOffset() {
        MultilabelMetrics direct = example();
        MultilabelMetrics offset = new MultilabelMetrics(3);
        double[] flat = {0.9, 0.2, 0.6, 0.7, 0.8, 0.1, 0.4, 0.3, 0.2, 0.1, 0.6, 0.5};
        double[][] y = {{1, 0, 1}, {1, 0, 0}, {1, 0, 1}, {0, 1, 0}};
        for (int r = 0; r < 4; r++) {
            offset.update(flat, 3 * r, y[r]);
        }
        assertThat(offset).isEqualTo(direct);
    }

    @Test
    void aBadProbabilityIsRefusedAndChangesNothing() {
        MultilabelMetrics m = example();
        MultilabelMetrics before = m.copy();
        assertThatThrownBy(() -> m.update(new double[] {0.5, Double.NaN, 0.2}, 0, new double[] {1, 1, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label 1");
        assertThatThrownBy(() -> m.update(new double[] {0.5, 0.5, 1.5}, 0, new double[] {1, 1, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label 2");
        assertThat(m).isEqualTo(before);
    }

    @Test
    void mergeEqualsOneAccumulatorFedBoth() {
        SplittableRandom random = new SplittableRandom(5);
        MultilabelMetrics all = new MultilabelMetrics(4);
        MultilabelMetrics first = new MultilabelMetrics(4);
        MultilabelMetrics second = new MultilabelMetrics(4);
        for (int r = 0; r < 200; r++) {
            double[] p = new double[4];
            double[] y = new double[4];
            for (int k = 0; k < 4; k++) {
                p[k] = random.nextDouble();
                y[k] = random.nextInt(2);
            }
            all.update(p, 0, y);
            (r < 120 ? first : second).update(p, 0, y);
        }
        first.merge(second);
        assertThat(first.count()).isEqualTo(all.count());
        assertThat(first.exactRows()).isEqualTo(all.exactRows());
        assertThat(first.macroF1()).isEqualTo(all.macroF1());
        assertThat(first.microF1()).isEqualTo(all.microF1());
        assertThat(first.accuracy()).isEqualTo(all.accuracy());
        assertThat(first.logLoss()).isCloseTo(all.logLoss(), within(1e-12));
        assertThatThrownBy(() -> first.merge(new MultilabelMetrics(3))).isInstanceOf(IllegalArgumentException.class);

        first.reset();
        assertThat(first).isEqualTo(new MultilabelMetrics(4));
    }

    @Test
    void encodingRoundTripsBitIdenticallyAndRefusesCorruptState() throws IOException {
        MultilabelMetrics m = example();
        byte[] bytes = encode(m);
        MultilabelMetrics back = MultilabelMetrics.readFrom(new DataInputStream(new ByteArrayInputStream(bytes)));
        assertThat(back).isEqualTo(m).hasSameHashCodeAs(m);
        assertThat(encode(back)).isEqualTo(bytes);

        // layout: version byte, int L, 3L longs, count, exact rows, log-loss bits: make exact rows exceed count
        byte[] corrupt = bytes.clone();
        int exactRowsAt = 1 + 4 + 8 * 9 + 8;
        corrupt[exactRowsAt + 7] = 9;
        assertThatThrownBy(() -> MultilabelMetrics.readFrom(new DataInputStream(new ByteArrayInputStream(corrupt))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exact rows");
        byte[] newer = bytes.clone();
        newer[0] = 2;
        assertThatThrownBy(() -> MultilabelMetrics.readFrom(new DataInputStream(new ByteArrayInputStream(newer))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version 2");
    }

    private static byte[] encode(MultilabelMetrics m) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        m.writeTo(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }
}
