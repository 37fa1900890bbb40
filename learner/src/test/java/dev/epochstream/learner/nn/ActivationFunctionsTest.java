package dev.epochstream.learner.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class ActivationFunctionsTest {
    private static final double SLOPE = 0.1;

    private static DMatrixRMaj row(double... v) {
        return new DMatrixRMaj(1, v.length, true, v);
    }

    private static double[] forward(Activation act, double... z) {
        DMatrixRMaj a = new DMatrixRMaj(1, z.length);
        ActivationFunctions.forward(act, SLOPE, row(z), a);
        return a.data;
    }

    /** dL/dz for upstream gradient g at z. */
    private static double[] backward(Activation act, double[] g, double... z) {
        DMatrixRMaj zm = row(z);
        DMatrixRMaj a = new DMatrixRMaj(1, z.length);
        ActivationFunctions.forward(act, SLOPE, zm, a);
        DMatrixRMaj grad = row(g.clone());
        ActivationFunctions.backwardInPlace(act, SLOPE, zm, a, grad);
        return grad.data;
    }

    /**
     * relu and leaky relu are computed without branches: they must return the very bits of the plain
     * conditional forms (torch's), for signed zeros, infinities and NaNs (of z and of the gradient) too.
     */
    @Test
    void reluAndLeakyReluEqualTheirConditionalFormsBitForBit() {
        SplittableRandom rnd = new SplittableRandom(3);
        double[] special = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.MIN_VALUE, -Double.MIN_VALUE, 1e-300, -1e-300};
        int n = 200;
        double[] z = new double[n];
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            z[i] = i < special.length ? special[i] : rnd.nextDouble(-3, 3);
            g[i] = i < 2 * special.length && i >= special.length ? special[i - special.length]
                    : rnd.nextDouble(-3, 3);
        }
        double[] relu = forward(Activation.RELU, z);
        double[] leaky = forward(Activation.LEAKY_RELU, z);
        double[] reluGrad = backward(Activation.RELU, g, z);
        double[] leakyGrad = backward(Activation.LEAKY_RELU, g, z);
        for (int i = 0; i < n; i++) {
            double x = z[i];
            assertBits(relu[i], x > 0 ? x : 0.0, "relu", x);
            assertBits(leaky[i], x > 0 ? x : SLOPE * x, "leaky relu", x);
            assertBits(reluGrad[i], x > 0 ? g[i] : 0.0, "relu backward", x);
            assertBits(leakyGrad[i], x > 0 ? g[i] : g[i] * SLOPE, "leaky relu backward", x);
        }
    }

    private static void assertBits(double actual, double expected, String what, double z) {
        assertThat(Double.doubleToRawLongBits(actual)).as("%s at z=%s", what, z)
                .isEqualTo(Double.doubleToRawLongBits(expected));
    }

    @Test
    void forwardValuesMatchTheirFormulas() {
        assertThat(forward(Activation.IDENTITY, -2, 3)).containsExactly(-2, 3);
        assertThat(forward(Activation.SIGMOID, 0.5)[0]).isCloseTo(1 / (1 + Math.exp(-0.5)), within(1e-15));
        assertThat(forward(Activation.SIGMOID, -0.5)[0]).isCloseTo(1 / (1 + Math.exp(0.5)), within(1e-15));
        assertThat(forward(Activation.TANH, 0.7)[0]).isCloseTo(Math.tanh(0.7), within(1e-15));
        assertThat(forward(Activation.RELU, -1, 0, 2)).containsExactly(0, 0, 2);
        assertThat(forward(Activation.LEAKY_RELU, -1, 0, 2)).containsExactly(-0.1, 0, 2);
        double s = Math.exp(1) + Math.exp(2) + Math.exp(3);
        assertThat(forward(Activation.SOFTMAX, 1, 2, 3))
                .containsExactly(new double[] {Math.exp(1) / s, Math.exp(2) / s, Math.exp(3) / s}, within(1e-15));
    }

    @Test
    void sigmoidAndSoftmaxAreFiniteForHugeInputs() {
        assertThat(forward(Activation.SIGMOID, 1000, -1000)).containsExactly(1.0, 0.0);
        assertThat(forward(Activation.SOFTMAX, 1000, -1000, 1000)).containsExactly(0.5, 0.0, 0.5);
    }

    @Test
    void derivativesAtZeroAreTorchs() {
        assertThat(backward(Activation.RELU, new double[] {1, 1}, 0, 1e-300)).containsExactly(0, 1);
        assertThat(backward(Activation.LEAKY_RELU, new double[] {1, 1}, 0, -3)).containsExactly(0.1, 0.1);
    }

    @Test
    void backwardMatchesFiniteDifferences() {
        double[] z = {0.3, -0.8, 1.2};
        double[] g = {0.5, -1.5, 2.0};
        for (Activation act : Activation.values()) {
            double[] analytic = backward(act, g, z);
            for (int i = 0; i < z.length; i++) {
                double h = 1e-6;
                double[] zp = z.clone();
                double[] zm = z.clone();
                zp[i] += h;
                zm[i] -= h;
                // L = Σ_j g_j·a_j, so dL/dz_i by central differences
                double numeric = (dot(g, forward(act, zp)) - dot(g, forward(act, zm))) / (2 * h);
                assertThat(analytic[i]).as("%s dz%d", act, i).isCloseTo(numeric, within(1e-8));
            }
        }
    }

    @Test
    void logSumExpIsStable() {
        assertThat(ActivationFunctions.logSumExp(new double[] {1000, 1000}, 0, 2))
                .isCloseTo(1000 + Math.log(2), within(1e-12));
        assertThat(ActivationFunctions.logSumExp(new double[] {9, 1, 2, 3}, 1, 3))
                .isCloseTo(Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)), within(1e-12));
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
