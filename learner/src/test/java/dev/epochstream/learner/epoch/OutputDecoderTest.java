package dev.epochstream.learner.epoch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class OutputDecoderTest {

    private static DMatrixRMaj rows(double[][] r) {
        return new DMatrixRMaj(r);
    }

    @Test
    void taskAndClassesFollowTheLossAndOutputs() {
        assertThat(TaskType.of("cce", 3)).isEqualTo(TaskType.CLASSIFICATION);
        assertThat(TaskType.of("hinge", 1)).isEqualTo(TaskType.CLASSIFICATION);
        assertThat(TaskType.of("bce", 1)).isEqualTo(TaskType.CLASSIFICATION);
        assertThat(TaskType.of("bce", 4)).isEqualTo(TaskType.MULTILABEL);
        assertThat(TaskType.of("huber", 2)).isEqualTo(TaskType.REGRESSION);
        assertThat(TaskType.of("kl", 3)).isEqualTo(TaskType.DISTRIBUTION);
        assertThat(TaskType.of("triplet", 8)).isEqualTo(TaskType.EMBEDDING);
        assertThat(TaskType.classes("bce", 1)).isEqualTo(2);
        assertThat(TaskType.classes("cce", 5)).isEqualTo(5);
        assertThat(TaskType.classes("kl", 3)).isEqualTo(3);
        assertThat(TaskType.classes("mse", 3)).isZero();
        assertThat(TaskType.classes("bce", 4)).isZero();
        assertThat(TaskType.MULTILABEL.configName()).isEqualTo("multilabel");
        assertThatThrownBy(() -> TaskType.of("nope", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nope");
    }

    @Test
    void multiClassIsTheArgMaxWithTiesToTheLowestIndex() {
        OutputDecoder d = new OutputDecoder("cce", 3);
        DMatrixRMaj out = rows(new double[][] {{0.2, 0.5, 0.3}, {0.4, 0.2, 0.4}, {0.1, 0.45, 0.45}});
        assertThat(d.predictedClass(out, 0)).isEqualTo(1);
        assertThat(d.predictedClass(out, 1)).isEqualTo(0);
        assertThat(d.predictedClass(out, 2)).isEqualTo(1);
        assertThat(d.probabilityOf(out, 0, 2)).isEqualTo(0.3);
        assertThat(d.labelClass(new double[] {2})).isEqualTo(2);
    }

    @Test
    void binaryThresholds() {
        OutputDecoder bce = new OutputDecoder("bce", 1);
        DMatrixRMaj p = rows(new double[][] {{0.5}, {0.5000001}, {0.2}});
        assertThat(bce.predictedClass(p, 0)).isZero();
        assertThat(bce.predictedClass(p, 1)).isEqualTo(1);
        assertThat(bce.probabilityOf(p, 2, 1)).isEqualTo(0.2);
        assertThat(bce.probabilityOf(p, 2, 0)).isEqualTo(1 - 0.2);

        OutputDecoder hinge = new OutputDecoder("hinge", 1);
        DMatrixRMaj s = rows(new double[][] {{0.0}, {0.3}, {-2}});
        assertThat(hinge.predictedClass(s, 0)).isZero();
        assertThat(hinge.predictedClass(s, 1)).isEqualTo(1);
        assertThat(hinge.predictedClass(s, 2)).isZero();
        assertThat(hinge.probabilityOf(s, 1, 1)).isNaN();
    }

    @Test
    void distributionLabelIsItsArgMax() {
        OutputDecoder d = new OutputDecoder("kl", 3);
        assertThat(d.labelClass(new double[] {0.2, 0.3, 0.5})).isEqualTo(2);
        assertThat(d.labelClass(new double[] {0.4, 0.4, 0.2})).isZero();
    }

    @Test
    void scoredCopiesTheRow() {
        OutputDecoder reg = new OutputDecoder("mse", 2);
        DMatrixRMaj out = rows(new double[][] {{1, 2}, {3, 4}});
        Scored s = reg.scored(out, 1, 7);
        assertThat(s.scores()).containsExactly(3, 4);
        assertThat(s.predictedClass()).isEqualTo(-1);
        assertThat(s.modelVersion()).isEqualTo(7);
        out.data[2] = 99;
        assertThat(s.scores()).containsExactly(3, 4);
        assertThat((double[]) s.prediction()).containsExactly(3, 4);

        Scored multi = new OutputDecoder("bce", 3).scored(rows(new double[][] {{0.9, 0.5, 0.51}}), 0, 1);
        assertThat(multi.predictedClass()).isEqualTo(-1);
        assertThat((double[]) multi.prediction()).containsExactly(1, 0, 1);

        Scored cls = new OutputDecoder("cce", 2).scored(rows(new double[][] {{0.3, 0.7}}), 0, 1);
        assertThat(cls.prediction()).isEqualTo(1);
    }
}
