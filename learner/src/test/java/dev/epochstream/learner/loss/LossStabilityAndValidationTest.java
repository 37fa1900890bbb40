package dev.epochstream.learner.loss;

import static dev.epochstream.learner.nn.Activation.IDENTITY;
import static dev.epochstream.learner.nn.Activation.LEAKY_RELU;
import static dev.epochstream.learner.nn.Activation.RELU;
import static dev.epochstream.learner.nn.Activation.SIGMOID;
import static dev.epochstream.learner.nn.Activation.SOFTMAX;
import static dev.epochstream.learner.nn.Activation.TANH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.epochstream.learner.nn.Activation;
import dev.epochstream.learner.nn.ActivationFunctions;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class LossStabilityAndValidationTest {

    private static Loss loss(String name, Activation act) {
        return Losses.create(name, 1.0, 1.0, act, 0.01);
    }

    private static DMatrixRMaj m(int rows, int cols, double... v) {
        return new DMatrixRMaj(rows, cols, true, v);
    }

    @Test
    void fusedLossesAreFiniteForHugeLogits() {
        DMatrixRMaj z = m(2, 3, 1000, -1000, 0, -1000, 1000, 1000);
        DMatrixRMaj a = new DMatrixRMaj(2, 3);
        DMatrixRMaj g = new DMatrixRMaj(2, 3);

        ActivationFunctions.forward(SIGMOID, 0, z, a);
        double bce = loss("bce", SIGMOID).gradient(z, a, m(2, 3, 0, 1, 1, 1, 0, 1), g);
        // per element max(z,0) − z·t + log1p(e^−|z|): 1000, 1000, log 2, 1000, 1000, 0
        assertThat(bce).isCloseTo((4000 + Math.log(2)) / 6, within(1e-9));
        assertFinite(g);

        ActivationFunctions.forward(SOFTMAX, 0, z, a);
        double cce = loss("cce", SOFTMAX).gradient(z, a, m(2, 1, 1, 0), g);
        // row 0: lse = 1000, z_1 = −1000 → 2000; row 1: lse = 1000 + log 2, z_0 = −1000 → 2000 + log 2
        assertThat(cce).isCloseTo((2000 + 2000 + Math.log(2)) / 2, within(1e-9));
        assertFinite(g);

        double kl = loss("kl", SOFTMAX).gradient(z, a, m(2, 3, 0, 1, 0, 0.5, 0.5, 0), g);
        // row 0: 1·(0 − (−2000)); row 1: 0.5(log .5 − (−2000 − log 2)) + 0.5(log .5 − (0 − log 2))
        assertThat(kl).isCloseTo((2000 + 0.5 * 2000) / 2, within(1e-9));
        assertFinite(g);
    }

    @Test
    void lossesDoNotModifyTheirArguments() {
        DMatrixRMaj z = m(2, 3, 0.2, -0.4, 0.9, 1.1, 0.3, -0.5);
        for (String name : List.of("mse", "mae", "huber", "bce", "cce", "hinge", "kl", "triplet")) {
            Activation act = name.equals("bce") ? SIGMOID : SOFTMAX;
            Loss l = loss(name, act);
            DMatrixRMaj a = new DMatrixRMaj(2, 3);
            ActivationFunctions.forward(act, 0, z, a);
            DMatrixRMaj t = l.targetWidth(3) == 1 ? m(2, 1, 0, 2) : m(2, 3, 0.2, 0.3, 0.5, 0, 1, 0);
            DMatrixRMaj z0 = z.copy();
            DMatrixRMaj a0 = a.copy();
            DMatrixRMaj t0 = t.copy();
            l.gradient(z, a, t, new DMatrixRMaj(2, 3));
            l.value(z, a, t);
            assertThat(z.data).as(name).isEqualTo(z0.data);
            assertThat(a.data).as(name).isEqualTo(a0.data);
            assertThat(t.data).as(name).isEqualTo(t0.data);
        }
    }

    @Test
    void refusedPairingsNameTheKeysAndTheFix() {
        assertThatThrownBy(() -> loss("bce", SOFTMAX).validate(SOFTMAX, 3))
                .hasMessageContaining("model.loss=bce").hasMessageContaining("model.activations")
                .hasMessageContaining("sigmoid");
        assertThatThrownBy(() -> loss("cce", SIGMOID).validate(SIGMOID, 3))
                .hasMessageContaining("model.loss=cce").hasMessageContaining("softmax");
        assertThatThrownBy(() -> loss("kl", IDENTITY).validate(IDENTITY, 3))
                .hasMessageContaining("model.loss=kl").hasMessageContaining("softmax");
        assertThatThrownBy(() -> loss("cce", SOFTMAX).validate(SOFTMAX, 1))
                .hasMessageContaining("single output");
        assertThatThrownBy(() -> loss("kl", SOFTMAX).validate(SOFTMAX, 1))
                .hasMessageContaining("single output");
        assertThatThrownBy(() -> loss("mse", SOFTMAX).validate(SOFTMAX, 1))
                .hasMessageContaining("single output");
        assertThatThrownBy(() -> loss("hinge", SIGMOID).validate(SIGMOID, 1))
                .hasMessageContaining("model.loss=hinge").hasMessageContaining("never negative");
        assertThatThrownBy(() -> loss("hinge", RELU).validate(RELU, 1))
                .hasMessageContaining("never negative");
        assertThatThrownBy(() -> loss("mse", TANH).validate(IDENTITY, 2))
                .hasMessageContaining("created for a tanh output");
        for (Activation act : Activation.values()) {
            assertThatCode(() -> loss("mse", act).validate(act, 2)).doesNotThrowAnyException();
            assertThatCode(() -> loss("triplet", act).validate(act, 2)).doesNotThrowAnyException();
            assertThatCode(() -> loss("hinge", act).validate(act, 2)).doesNotThrowAnyException();
        }
        assertThatCode(() -> loss("bce", SIGMOID).validate(SIGMOID, 1)).doesNotThrowAnyException();
        assertThatCode(() -> loss("cce", SOFTMAX).validate(SOFTMAX, 2)).doesNotThrowAnyException();
        assertThatCode(() -> loss("hinge", LEAKY_RELU).validate(LEAKY_RELU, 1)).doesNotThrowAnyException();
    }

    @Test
    void labelProblemsAreReadableReasons() {
        assertThat(loss("cce", SOFTMAX).labelProblem(new double[] {2}, 3)).isNull();
        assertThat(loss("cce", SOFTMAX).labelProblem(new double[] {3}, 3)).contains("[0, 3)");
        assertThat(loss("cce", SOFTMAX).labelProblem(new double[] {1.5}, 3)).contains("not an integer");
        assertThat(loss("cce", SOFTMAX).labelProblem(new double[] {0, 1, 0}, 3)).contains("expects a label of 1");
        assertThat(loss("hinge", TANH).labelProblem(new double[] {1}, 1)).isNull();
        assertThat(loss("hinge", TANH).labelProblem(new double[] {-1}, 1)).contains("0 or 1");
        assertThat(loss("hinge", TANH).labelProblem(new double[] {-1}, 4)).contains("[0, 4)");
        assertThat(loss("bce", SIGMOID).labelProblem(new double[] {0.5}, 1)).contains("0 or 1");
        assertThat(loss("bce", SIGMOID).labelProblem(new double[] {0.5, 1}, 2)).isNull();
        assertThat(loss("bce", SIGMOID).labelProblem(new double[] {0.5, 1.5}, 2)).contains("[0, 1]");
        assertThat(loss("mse", IDENTITY).labelProblem(new double[] {-7, 1e9}, 2)).isNull();
        assertThat(loss("mse", IDENTITY).labelProblem(new double[] {Double.NaN, 1}, 2)).contains("not finite");
        assertThat(loss("huber", IDENTITY).labelProblem(new double[] {1}, 2)).contains("expects a label of 2");
        assertThat(loss("mae", IDENTITY).labelProblem(null, 2)).contains("got none");
        assertThat(loss("kl", SOFTMAX).labelProblem(new double[] {0.25, 0.75, 0}, 3)).isNull();
        assertThat(loss("kl", SOFTMAX).labelProblem(new double[] {0.25, 0.7, 0}, 3)).contains("sums to");
        assertThat(loss("kl", SOFTMAX).labelProblem(new double[] {-0.25, 1.25, 0}, 3)).contains("negative");
        assertThat(loss("triplet", TANH).labelProblem(new double[] {-12}, 8)).isNull();
        assertThat(loss("triplet", TANH).labelProblem(new double[] {0.5}, 8)).contains("not an integer");
        assertThat(loss("triplet", TANH).labelProblem(new double[] {Double.POSITIVE_INFINITY}, 8))
                .contains("not finite");
    }

    @Test
    void factoryRefusesUnknownNamesAndBadParameters() {
        assertThat(Losses.create(" CCE ", 1, 1, SOFTMAX, 0).name()).isEqualTo("cce");
        for (String name : List.of("mse", "mae", "huber", "bce", "cce", "hinge", "kl", "triplet")) {
            assertThat(Losses.create(name, 1, 1, SOFTMAX, 0).name()).isEqualTo(name);
        }
        assertThatThrownBy(() -> Losses.create("logcosh", 1, 1, IDENTITY, 0))
                .hasMessageContaining("model.loss").hasMessageContaining("mse, mae, huber");
        assertThatThrownBy(() -> Losses.create("huber", 0, 1, IDENTITY, 0))
                .hasMessageContaining("model.loss.delta").hasMessageContaining("> 0");
        assertThatThrownBy(() -> Losses.create("triplet", 1, -1, IDENTITY, 0))
                .hasMessageContaining("model.loss.margin").hasMessageContaining(">= 0");
        assertThatCode(() -> Losses.create("mse", Double.NaN, Double.NaN, IDENTITY, 0)).doesNotThrowAnyException();
    }

    private static void assertFinite(DMatrixRMaj g) {
        for (int i = 0; i < g.getNumElements(); i++) {
            assertThat(g.data[i]).isFinite();
        }
    }
}
