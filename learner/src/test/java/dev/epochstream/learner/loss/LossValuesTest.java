package dev.epochstream.learner.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.epochstream.learner.nn.Activation;
import dev.epochstream.learner.nn.ActivationFunctions;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** Each loss's value and gradient against formulas written out by hand with plain doubles. */
class LossValuesTest {
    /** torch pairwise_distance's eps, which triplet_margin_loss uses. */
    private static final double EPS = 1e-6;


    private static DMatrixRMaj m(int rows, int cols, double... v) {
        return new DMatrixRMaj(rows, cols, true, v);
    }

    private static Loss loss(String name, Activation act) {
        return Losses.create(name, 1.5, 5.0, act, 0.01);
    }

    /** Value and dL/dz for an identity output (a = z). */
    private static double[] gradient(Loss loss, DMatrixRMaj z, DMatrixRMaj t) {
        DMatrixRMaj g = new DMatrixRMaj(1, 1);
        double v = loss.gradient(z, z, t, g);
        assertThat(v).isEqualTo(loss.value(z, z, t));
        assertThat(g.numRows).isEqualTo(z.numRows);
        assertThat(g.numCols).isEqualTo(z.numCols);
        return g.data;
    }

    private static final DMatrixRMaj A = m(2, 2, 1, 2, 3, 4);
    private static final DMatrixRMaj T = m(2, 2, 0, 2, 1, 1); // differences 1, 0, 2, 3

    @Test
    void meanSquaredError() {
        Loss l = loss("mse", Activation.IDENTITY);
        assertThat(l.value(A, A, T)).isCloseTo((1.0 + 0.0 + 4.0 + 9.0) / 4, within(1e-12));
        assertThat(gradient(l, A, T)).containsExactly(new double[] {2 * 1.0 / 4, 0, 2 * 2.0 / 4, 2 * 3.0 / 4},
                within(1e-12));
    }

    @Test
    void meanAbsoluteErrorWithSignOfZeroZero() {
        Loss l = loss("mae", Activation.IDENTITY);
        assertThat(l.value(A, A, T)).isCloseTo((1.0 + 0.0 + 2.0 + 3.0) / 4, within(1e-12));
        assertThat(gradient(l, A, T)).containsExactly(new double[] {0.25, 0, 0.25, 0.25}, within(1e-12));
    }

    @Test
    void huberSwitchesAtDelta() {
        Loss l = loss("huber", Activation.IDENTITY); // delta 1.5
        double expected = (0.5 * 1 * 1 + 0 + 1.5 * (2 - 0.75) + 1.5 * (3 - 0.75)) / 4;
        assertThat(l.value(A, A, T)).isCloseTo(expected, within(1e-12));
        assertThat(gradient(l, A, T)).containsExactly(new double[] {1.0 / 4, 0, 1.5 / 4, 1.5 / 4}, within(1e-12));
        assertThat(((HuberLoss) Losses.create("huber", 1.0, 1.0, Activation.IDENTITY, 0)).delta()).isEqualTo(1.0);
    }

    @Test
    void binaryCrossEntropyOnLogits() {
        Loss l = loss("bce", Activation.SIGMOID);
        DMatrixRMaj z = m(2, 1, 2, -1);
        DMatrixRMaj t = m(2, 1, 1, 0);
        double s0 = 1 / (1 + Math.exp(-2));
        double s1 = 1 / (1 + Math.exp(1));
        double expected = (-Math.log(s0) - Math.log(1 - s1)) / 2;
        DMatrixRMaj a = m(2, 1, s0, s1);
        assertThat(l.value(z, a, t)).isCloseTo(expected, within(1e-12));
        DMatrixRMaj g = new DMatrixRMaj(2, 1);
        assertThat(l.gradient(z, a, t, g)).isCloseTo(expected, within(1e-12));
        assertThat(g.data).containsExactly(new double[] {(s0 - 1) / 2, s1 / 2}, within(1e-12));
    }

    @Test
    void multiLabelBinaryCrossEntropyAveragesOverEveryElement() {
        Loss l = loss("bce", Activation.SIGMOID);
        DMatrixRMaj z = m(1, 3, 0.5, -2, 3);
        DMatrixRMaj t = m(1, 3, 0.2, 1, 0);
        double expected = 0;
        for (int i = 0; i < 3; i++) {
            double s = 1 / (1 + Math.exp(-z.data[i]));
            expected += -(t.data[i] * Math.log(s) + (1 - t.data[i]) * Math.log(1 - s));
        }
        assertThat(l.value(z, z, t)).isCloseTo(expected / 3, within(1e-12));
    }

    @Test
    void crossEntropyOfClassIndices() {
        Loss l = loss("cce", Activation.SOFTMAX);
        DMatrixRMaj z = m(2, 3, 1, 2, 3, 0, 0, 0);
        DMatrixRMaj t = m(2, 1, 2, 0);
        double expected = ((Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 3) + Math.log(3)) / 2;
        assertThat(l.value(z, z, t)).isCloseTo(expected, within(1e-12));
        double s = Math.exp(1) + Math.exp(2) + Math.exp(3);
        assertThat(gradient(l, z, t)).containsExactly(new double[] {
            Math.exp(1) / s / 2, Math.exp(2) / s / 2, (Math.exp(3) / s - 1) / 2,
            (1.0 / 3 - 1) / 2, 1.0 / 3 / 2, 1.0 / 3 / 2}, within(1e-12));
    }

    @Test
    void klDivergenceBatchMeanWithZeroTargets() {
        Loss l = loss("kl", Activation.SOFTMAX);
        DMatrixRMaj z = m(2, 3, 1, 2, 3, 0, 1, 0);
        DMatrixRMaj t = m(2, 3, 0.5, 0.5, 0, 0.2, 0.3, 0.5);
        double s0 = Math.exp(1) + Math.exp(2) + Math.exp(3);
        double s1 = 2 + Math.exp(1);
        double row0 = 0.5 * (Math.log(0.5) - Math.log(Math.exp(1) / s0))
                + 0.5 * (Math.log(0.5) - Math.log(Math.exp(2) / s0));
        double row1 = 0.2 * (Math.log(0.2) - Math.log(1 / s1)) + 0.3 * (Math.log(0.3) - Math.log(Math.exp(1) / s1))
                + 0.5 * (Math.log(0.5) - Math.log(1 / s1));
        assertThat(l.value(z, z, t)).isCloseTo((row0 + row1) / 2, within(1e-12));
        double[] g = gradient(l, z, t);
        assertThat(g[2]).isCloseTo(Math.exp(3) / s0 / 2, within(1e-12));
        assertThat(g[3]).isCloseTo((1 / s1 - 0.2) / 2, within(1e-12));
    }

    @Test
    void binaryHingeMapsZeroOneToMinusPlusOne() {
        Loss l = loss("hinge", Activation.IDENTITY);
        DMatrixRMaj a = m(3, 1, 0.3, -2, 1.5);
        DMatrixRMaj t = m(3, 1, 1, 0, 0);
        assertThat(l.value(a, a, t)).isCloseTo((0.7 + 0 + 2.5) / 3, within(1e-12));
        assertThat(gradient(l, a, t)).containsExactly(new double[] {-1.0 / 3, 0, 1.0 / 3}, within(1e-12));
    }

    @Test
    void multiClassHingeIsMultiMarginLoss() {
        Loss l = loss("hinge", Activation.IDENTITY);
        DMatrixRMaj a = m(2, 3, 0.1, 0.5, -0.2, 3, 0, 2.5);
        DMatrixRMaj t = m(2, 1, 0, 2);
        // row 0 (y=0): (1 − 0.1 + 0.5) + (1 − 0.1 − 0.2); row 1 (y=2): max(0, 1 − 2.5 + 3) + max(0, 1 − 2.5 + 0)
        double expected = ((1.4 + 0.7) / 3 + (1.5 + 0) / 3) / 2;
        assertThat(l.value(a, a, t)).isCloseTo(expected, within(1e-12));
        double s = 1.0 / 6;
        assertThat(gradient(l, a, t)).containsExactly(new double[] {-2 * s, s, s, s, 0, -s}, within(1e-12));
    }

    @Test
    void tripletMinesTheHardestPositiveAndNegative() {
        Loss l = Losses.create("triplet", 1, 1.0, Activation.IDENTITY, 0);
        DMatrixRMaj a = m(4, 2, 0, 0, 3, 0, 1, 0, 0, 4);
        DMatrixRMaj t = m(4, 1, 0, 0, 1, 1);
        // mined on plain distances: anchor 0 (p 1, q 2), 1 (p 0, q 2), 2 (p 3, q 0), 3 (p 2, q 0); each term is
        // torch's margin + d(x_i − x_p) − d(x_i − x_q), d(v) = ‖v + 1e-6‖
        double expected = ((1 + torchNorm(-3, 0) - torchNorm(-1, 0)) + (1 + torchNorm(3, 0) - torchNorm(2, 0))
                + (1 + torchNorm(1, -4) - torchNorm(1, 0)) + (1 + torchNorm(-1, 4) - torchNorm(0, 4))) / 4;
        assertThat(l.value(a, a, t)).isCloseTo(expected, within(1e-12));
        // not the plain Euclidean norm's value
        double r17 = Math.sqrt(17);
        assertThat(l.value(a, a, t)).isNotCloseTo(((3 - 1 + 1) + (3 - 2 + 1) + (r17 - 1 + 1) + (r17 - 4 + 1)) / 4.0,
                within(1e-9));
        assertThat(((TripletLoss) l).margin()).isEqualTo(1.0);
    }

    @Test
    void tripletAveragesOnlyOverAnchorsWithAPositiveAndANegative() {
        Loss l = loss("triplet", Activation.IDENTITY); // margin 5
        DMatrixRMaj a = m(3, 1, 0, 1, 5);
        DMatrixRMaj t = m(3, 1, 0, 0, 1);
        // anchor 0: 5 + |−1 + ε| − |−5 + ε| = 1; anchor 1: 5 + |1 + ε| − |−4 + ε| = 2 + 2ε; anchor 2 has no positive
        assertThat(l.value(a, a, t)).isCloseTo((1.0 + 2.0 + 2 * EPS) / 2, within(1e-12));
        // anchor 0: dx0 = −1 (to p) + 1 (from q), dx1 = +1, dx2 = −1; anchor 1: dx1 = 1 + 1, dx0 = −1, dx2 = −1
        assertThat(gradient(l, a, t)).containsExactly(new double[] {-1.0 / 2, 3.0 / 2, -2.0 / 2}, within(1e-12));
    }

    @Test
    void tripletTiesGoToTheLowestIndex() {
        Loss l = loss("triplet", Activation.IDENTITY); // margin 5
        DMatrixRMaj a = m(4, 1, 0, 1, 2, -2);
        DMatrixRMaj t = m(4, 1, 0, 0, 1, 1);
        // anchor 0: p = 1 (d 1), negatives 2 and 3 both at d 2: 2 wins; 5 + (1 − ε) − (2 − ε) = 4
        // anchor 1: p = 0, q = 2 (x_1 − x_q = −1): 5 + (1 + ε) − (1 − ε) = 5 + 2ε; anchor 2: p = 3, q = 1: 8;
        // anchor 3: p = 2, q = 0: 5 + (4 − ε) − (2 − ε) = 7
        assertThat(l.value(a, a, t)).isCloseTo((4.0 + 5 + 8 + 7 + 2 * EPS) / 4, within(1e-12));
        // per anchor, ∂d(i,j)/∂x_i = (x_i − x_j + ε)/d, the sign here, and −∂/∂x_j likewise, the negative's term subtracted:
        // x0: (−1 + 1) − 1 − 1; x1: 1 + (1 + 1) + 1; x2: −1 − 1 + (1 − 1) + 1; x3: −1 + (−1 + 1); all over 4
        assertThat(gradient(l, a, t)).containsExactly(new double[] {-0.5, 1.0, -0.25, -0.25}, within(1e-12));
    }

    @Test
    void tripletWithoutAnchorsIsZeroAndCoincidingRowsKeepTorchsEpsGradient() {
        Loss l = loss("triplet", Activation.IDENTITY); // margin 5
        assertThat(gradient(l, m(2, 1, 0.5, -1), m(2, 1, 3, 3))).containsExactly(0, 0);
        assertThat(l.value(m(1, 1, 2), m(1, 1, 2), m(1, 1, 0))).isZero();
        // rows 0, 1 and 2 coincide (label 0), row 3 is the negative of each. Positives (ties to the lowest index):
        // 0 → 1, 1 → 0, 2 → 0, at torch distance |0 + ε| = ε; each term 5 + ε − |−3 + ε| = 2 + 2ε
        DMatrixRMaj a = m(4, 1, 0, 0, 0, 3);
        DMatrixRMaj t = m(4, 1, 0, 0, 0, 1);
        assertThat(l.value(a, a, t)).isCloseTo(2.0 + 2 * EPS, within(1e-12));
        // ∂|v + ε|/∂v = +1 at v = 0, so the positives pull: x0 gets +1 (as anchor) − 1 − 1 (as positive of 1
        // and 2) + 1 (negative term), x1 −1 + 1 + 1, x2 1 + 1, x3 −3; over 3 anchors. With a zero gradient at
        // zero distance it would be (1, 1, 1, −3) / 3.
        assertThat(gradient(l, a, t)).containsExactly(new double[] {0.0, 1.0 / 3, 2.0 / 3, -1.0}, within(1e-12));
    }

    /** torch's pairwise_distance of a difference v: ‖v + ε‖ with ε = 1e-6 (the documented formula, by hand). */
    private static double torchNorm(double... v) {
        double s = 0;
        for (double c : v) {
            s += (c + EPS) * (c + EPS);
        }
        return Math.sqrt(s);
    }

    @Test
    void chainedLossesApplyTheOutputActivationJacobian() {
        // mse on a tanh output: dL/dz = 2(a − t)/n · (1 − a²)
        Loss l = loss("mse", Activation.TANH);
        DMatrixRMaj z = m(1, 2, 0.3, -0.7);
        DMatrixRMaj a = new DMatrixRMaj(1, 2);
        ActivationFunctions.forward(Activation.TANH, 0, z, a);
        DMatrixRMaj t = m(1, 2, 0.5, 0.1);
        DMatrixRMaj g = new DMatrixRMaj(1, 2);
        l.gradient(z, a, t, g);
        double a0 = Math.tanh(0.3);
        double a1 = Math.tanh(-0.7);
        assertThat(g.data).containsExactly(new double[] {
            2 * (a0 - 0.5) / 2 * (1 - a0 * a0), 2 * (a1 - 0.1) / 2 * (1 - a1 * a1)}, within(1e-12));
    }
}
