package dev.epochstream.learner.epoch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ScoreBoardTest {

    @Test
    void regressionValuesByHand() {
        ScoreBoard b = new ScoreBoard(TaskType.REGRESSION, 1, 0);
        double[] p = {1.0, 2.5, -1.0};
        double[] y = {1.5, 2.0, 0.0};
        for (int i = 0; i < 3; i++) {
            b.regression().update(p, i, y, i);
        }
        b.loss().update(0.7, 3);
        MetricValues v = b.values();
        // errors −0.5, 0.5, −1: |e| sum 2, e² sum 1.5; ȳ = 0.5·(…) = 3.5/3, SS_tot = Σ (y − ȳ)²
        double mean = 3.5 / 3;
        double ssTot = (1.5 - mean) * (1.5 - mean) + (2.0 - mean) * (2.0 - mean) + mean * mean;
        assertThat(v.count()).isEqualTo(3);
        assertThat(v.loss()).isCloseTo(0.7, within(1e-12));
        assertThat(v.mae()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(v.mse()).isCloseTo(0.5, within(1e-12));
        assertThat(v.rmse()).isCloseTo(Math.sqrt(0.5), within(1e-12));
        assertThat(v.r2()).isCloseTo(1 - 1.5 / ssTot, within(1e-12));
        assertThat(v.accuracy()).isNaN();
        assertThat(v.logLoss()).isNaN();
    }

    @Test
    void classificationValuesByHand() {
        ScoreBoard b = new ScoreBoard(TaskType.CLASSIFICATION, 1, 2);
        // (actual, predicted, p(actual)): tp, fp, fn, tn
        b.classification().update(1, 1, 0.8);
        b.classification().update(0, 1, 0.4);
        b.classification().update(1, 0, 0.3);
        b.classification().update(0, 0, 0.9);
        b.loss().update(0.5, 4);
        MetricValues v = b.values();
        assertThat(v.accuracy()).isCloseTo(0.5, within(1e-12));
        assertThat(v.precision()).isCloseTo(0.5, within(1e-12));
        assertThat(v.recall()).isCloseTo(0.5, within(1e-12));
        assertThat(v.f1()).isCloseTo(0.5, within(1e-12));
        double logLoss = -(Math.log(0.8) + Math.log(0.4) + Math.log(0.3) + Math.log(0.9)) / 4;
        assertThat(v.logLoss()).isCloseTo(logLoss, within(1e-12));
        assertThat(v.mae()).isNaN();
    }

    @Test
    void multilabelValuesAreSubsetAccuracyMicroAndPerLabelMacro() throws IOException {
        ScoreBoard b = new ScoreBoard(TaskType.MULTILABEL, 2, 2);
        assertThat(b.classification()).isNull();
        // labels (actual; predicted at > 0.5): row 1 (1, 0; 1, 0) exact; row 2 (1, 1; 1, 0): label 1 missed
        b.multilabel().update(new double[] {0.9, 0.2}, 0, new double[] {1, 0});
        b.multilabel().update(new double[] {0.6, 0.3}, 0, new double[] {1, 1});
        b.loss().update(0.4, 2);
        MetricValues v = b.values();
        assertThat(v.accuracy()).isEqualTo(0.5);
        // Σtp 2, Σfp 0, Σfn 1
        assertThat(v.precision()).isEqualTo(1.0);
        assertThat(v.recall()).isCloseTo(2.0 / 3.0, within(1e-15));
        assertThat(v.f1()).isCloseTo(0.8, within(1e-15));
        // label 0: F1 1; label 1: 0 / (0 + 0 + 1) = 0
        assertThat(v.macroF1()).isEqualTo(0.5);
        double logLoss = -(Math.log(0.9) + Math.log(0.8) + Math.log(0.6) + Math.log(0.3)) / 4;
        assertThat(v.logLoss()).isCloseTo(logLoss, within(1e-14));

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        b.writeTo(new DataOutputStream(bytes));
        ScoreBoard read = ScoreBoard.readFrom(TaskType.MULTILABEL,
                new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertThat(read).isEqualTo(b);
        assertThat(read.values()).isEqualTo(v);
        ScoreBoard merged = read.copy();
        merged.merge(b);
        assertThat(merged.values().accuracy()).isEqualTo(0.5);
        assertThat(merged.multilabel().count()).isEqualTo(4);
    }

    @Test
    void emptyBoardIsAllNaN() {
        MetricValues v = new ScoreBoard(TaskType.CLASSIFICATION, 3, 3).values();
        assertThat(v.count()).isZero();
        assertThat(v.loss()).isNaN();
        assertThat(v.accuracy()).isNaN();
        assertThat(new ScoreBoard(TaskType.EMBEDDING, 4, 0).values()).isEqualTo(MetricValues.EMPTY);
    }

    @Test
    void equalityIsStateEqualityAndSurvivesEncoding() throws IOException {
        ScoreBoard a = board(0.25);
        ScoreBoard b = board(0.25);
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotSameAs(b);
        assertThat(a).isNotEqualTo(board(0.5));
        assertThat(a).isNotEqualTo(new ScoreBoard(TaskType.DISTRIBUTION, 3, 3));

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        a.writeTo(new DataOutputStream(bytes));
        ScoreBoard read = ScoreBoard.readFrom(TaskType.CLASSIFICATION,
                new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertThat(read).isEqualTo(a);
        assertThat(read.copy()).isEqualTo(a);
    }

    @Test
    void mergeAddsTheRowsOfBothBoards() {
        ScoreBoard a = board(0.25);
        a.merge(board(0.5));
        assertThat(a.count()).isEqualTo(4);
        assertThat(a.classification().count()).isEqualTo(4);
        assertThat(a.values().loss()).isCloseTo(0.375, within(1e-12));
        a.reset();
        assertThat(a).isEqualTo(new ScoreBoard(TaskType.CLASSIFICATION, 3, 3));
    }

    private static ScoreBoard board(double loss) {
        ScoreBoard b = new ScoreBoard(TaskType.CLASSIFICATION, 3, 3);
        b.loss().update(loss, 2);
        b.classification().update(2, 2, 0.6);
        b.classification().update(0, 1, 0.2);
        return b;
    }
}
