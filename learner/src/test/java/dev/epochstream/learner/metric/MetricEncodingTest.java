package dev.epochstream.learner.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MetricEncodingTest {

    private static byte[] encode(Metric<?> m) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        m.writeTo(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    private static byte[] encode(Rolling<?> r) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        r.writeTo(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    private static <M> M decode(byte[] bytes, Rolling.Reader<M> reader) throws IOException {
        return reader.read(new DataInputStream(new ByteArrayInputStream(bytes)));
    }

    private static <M extends Metric<M>> Rolling<M> decodeRolling(byte[] bytes, Rolling.Reader<M> reader)
            throws IOException {
        return Rolling.readFrom(new DataInputStream(new ByteArrayInputStream(bytes)), reader);
    }

    /** Encodes, decodes, checks state equality and that re-encoding gives the same bytes. */
    private static <M extends Metric<M>> M roundTrip(M m, Rolling.Reader<M> reader) throws IOException {
        byte[] bytes = encode(m);
        M back = decode(bytes, reader);
        assertThat(back).isEqualTo(m);
        assertThat(encode(back)).isEqualTo(bytes);
        return back;
    }

    private static long bits(double v) {
        return Double.doubleToRawLongBits(v);
    }

    @Test
    void classificationRoundTripIsBitIdentical() throws IOException {
        ClassificationMetrics m = new ClassificationMetrics(3);
        RandomRows.classification(1, 300, 3).feed(m, 0, 300);
        ClassificationMetrics back = roundTrip(m, ClassificationMetrics::readFrom);

        assertThat(back.confusionMatrix()).isEqualTo(m.confusionMatrix());
        assertThat(bits(back.logLoss())).isEqualTo(bits(m.logLoss()));
        assertThat(bits(back.macroF1())).isEqualTo(bits(m.macroF1()));
        // and it keeps accumulating identically
        m.update(2, 1, 0.25);
        back.update(2, 1, 0.25);
        assertThat(back).isEqualTo(m);
    }

    @Test
    void regressionRoundTripIsBitIdentical() throws IOException {
        RegressionMetrics m = new RegressionMetrics(3);
        RandomRows.regression(2, 300, 3).feed(m, 0, 300);
        RegressionMetrics back = roundTrip(m, RegressionMetrics::readFrom);

        assertThat(bits(back.r2())).isEqualTo(bits(m.r2()));
        assertThat(bits(back.mae())).isEqualTo(bits(m.mae()));
        assertThat(bits(back.mse())).isEqualTo(bits(m.mse()));
        m.update(new double[] {1, 2, 3}, new double[] {1.5, 2, 2});
        back.update(new double[] {1, 2, 3}, new double[] {1.5, 2, 2});
        assertThat(back).isEqualTo(m);
    }

    @Test
    void lossMeanRoundTripKeepsEvenANegativeZeroSum() throws IOException {
        LossMean m = new LossMean();
        m.update(-0.0, 3);
        roundTrip(m, LossMean::readFrom);
        m.update(0.1, 7);
        LossMean back = roundTrip(m, LossMean::readFrom);
        assertThat(bits(back.value())).isEqualTo(bits(m.value()));
    }

    @Test
    void readsAHandBuiltVersion1Layout() throws IOException {
        // ClassificationMetrics v1: version, K, K·K counts row-major, count, log-loss rows, raw sum bits
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(1);
        out.writeInt(2);
        for (long c : new long[] {4, 1, 2, 3}) {
            out.writeLong(c);
        }
        out.writeLong(10);
        out.writeLong(2);
        out.writeLong(Double.doubleToRawLongBits(1.5));
        ClassificationMetrics m = decode(bytes.toByteArray(), ClassificationMetrics::readFrom);
        assertThat(m.confusionMatrix()).isEqualTo(new long[][] {{4, 1}, {2, 3}});
        assertThat(m.count()).isEqualTo(10);
        assertThat(m.logLoss()).isEqualTo(0.75);

        // RegressionMetrics v1: version, outputs, count, per output Σ|e|, Σe², mean, M2
        bytes.reset();
        out.writeByte(1);
        out.writeInt(1);
        out.writeLong(4);
        for (double v : new double[] {2.0, 1.5, 2.875, 29.1875}) {
            out.writeLong(Double.doubleToRawLongBits(v));
        }
        RegressionMetrics r = decode(bytes.toByteArray(), RegressionMetrics::readFrom);
        assertThat(r.mae()).isEqualTo(0.5);
        assertThat(r.mse()).isEqualTo(0.375);
        assertThat(r.r2()).isEqualTo(1 - 1.5 / 29.1875);
    }

    @Test
    void unknownVersionIsRefusedWithAClearMessage() throws IOException {
        byte[] classification = encode(new ClassificationMetrics(2));
        byte[] regression = encode(new RegressionMetrics(1));
        byte[] loss = encode(new LossMean());
        byte[] rolling = encode(new Rolling<>(2, new LossMean()));
        classification[0] = 2;
        regression[0] = 0;
        loss[0] = (byte) 0xFF;
        rolling[0] = 9;

        assertThatThrownBy(() -> decode(classification, ClassificationMetrics::readFrom))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown ClassificationMetrics state format version 2 (this build reads version 1)");
        assertThatThrownBy(() -> decode(regression, RegressionMetrics::readFrom))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version 0");
        assertThatThrownBy(() -> decode(loss, LossMean::readFrom))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version 255");
        assertThatThrownBy(() -> decodeRolling(rolling, LossMean::readFrom))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Rolling state format version 9");
    }

    @Test
    void truncatedOrInconsistentStateIsRefused() throws IOException {
        ClassificationMetrics m = new ClassificationMetrics(2);
        m.update(1, 1, 0.5);
        byte[] bytes = encode(m);
        assertThatThrownBy(() -> decode(Arrays.copyOf(bytes, bytes.length - 1), ClassificationMetrics::readFrom))
                .isInstanceOf(EOFException.class);
        // count field (after version, K and 4 cells) no longer matches the matrix total
        bytes[1 + 4 + 4 * 8 + 7] = 5;
        assertThatThrownBy(() -> decode(bytes, ClassificationMetrics::readFrom))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("corrupt");
    }

    @Test
    void rollingRoundTripKeepsTheEpochOrder() throws IOException {
        RandomRows rows = RandomRows.classification(4, 600, 3);
        Rolling<ClassificationMetrics> rolling = new Rolling<>(3, new ClassificationMetrics(3));
        // a partly filled ring, then a wrapped one
        for (int e = 0; e < 5; e++) {
            rolling.startEpoch();
            rows.feed(rolling.current(), e * 100, (e + 1) * 100);
            Rolling<ClassificationMetrics> back = decodeRolling(encode(rolling), ClassificationMetrics::readFrom);
            assertThat(back).isEqualTo(rolling);
            assertThat(back.epochsHeld()).isEqualTo(rolling.epochsHeld());
            assertThat(back.value()).isEqualTo(rolling.value());
        }
        // the decoded ring drops the same oldest epoch when the next one starts
        Rolling<ClassificationMetrics> back = decodeRolling(encode(rolling), ClassificationMetrics::readFrom);
        rolling.startEpoch();
        back.startEpoch();
        rows.feed(rolling.current(), 500, 600);
        rows.feed(back.current(), 500, 600);
        assertThat(back).isEqualTo(rolling);
        assertThat(back.value()).isEqualTo(rolling.value());
        assertThat(back.value().count()).isEqualTo(300);
    }

    @Test
    void rollingWithMixedShapesIsRefused() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(1);
        out.writeInt(2);
        out.writeInt(2);
        new RegressionMetrics(1).writeTo(out);
        new RegressionMetrics(2).writeTo(out);
        assertThatThrownBy(() -> decodeRolling(bytes.toByteArray(), RegressionMetrics::readFrom))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("corrupt Rolling state");
    }
}
