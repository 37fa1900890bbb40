package dev.epochstream.learner.nn;

import static dev.epochstream.learner.nn.Activation.IDENTITY;
import static dev.epochstream.learner.nn.Activation.LEAKY_RELU;
import static dev.epochstream.learner.nn.Activation.RELU;
import static dev.epochstream.learner.nn.Activation.SIGMOID;
import static dev.epochstream.learner.nn.Activation.SOFTMAX;
import static dev.epochstream.learner.nn.Activation.TANH;
import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.learner.loss.Loss;
import dev.epochstream.learner.loss.Losses;
import dev.epochstream.learner.optim.Parameters;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Central finite differences of {@link Workspace#computeLoss()} against {@link Workspace#computeGradients()}
 * for every sensible loss × output activation pairing and every hidden activation, dense and sparse input,
 * batch sizes 1 and 5.
 *
 * <p>Tolerance: relative error |g − ĝ| / max(|g|, |ĝ|) below 1e-6, where that maximum is at least 1e-4;
 * smaller gradients (where the rounding of the loss, ~1e-16 / 2h ≈ 1e-11, dominates) must agree within 1e-10.
 */
class WorkspaceGradientCheckTest {
    private static final double H = 1e-5;
    private static final double SLOPE = 0.2;

    record Case(String loss, int[] layers, List<Activation> activations) {
        @Override
        public String toString() {
            return loss + " " + java.util.Arrays.toString(layers) + " " + activations;
        }
    }

    static Stream<Arguments> cases() {
        List<Case> cases = new ArrayList<>();
        // every hidden activation, shallow and deep, under mse with identity output
        for (Activation hidden : List.of(IDENTITY, SIGMOID, TANH, RELU, LEAKY_RELU)) {
            cases.add(new Case("mse", new int[] {3, 4, 3}, List.of(hidden, IDENTITY)));
            cases.add(new Case("mse", new int[] {3, 4, 4, 2}, List.of(hidden, hidden, IDENTITY)));
        }
        for (Activation out : List.of(IDENTITY, SIGMOID, TANH, RELU, LEAKY_RELU, SOFTMAX)) {
            cases.add(new Case("mse", new int[] {3, 4, 3}, List.of(TANH, out)));
            cases.add(new Case("huber", new int[] {3, 4, 3}, List.of(TANH, out)));
            cases.add(new Case("mae", new int[] {3, 4, 3}, List.of(TANH, out)));
            cases.add(new Case("triplet", new int[] {3, 4, 3}, List.of(TANH, out)));
            cases.add(new Case("hinge", new int[] {3, 4, 3}, List.of(TANH, out)));
        }
        for (Activation out : List.of(IDENTITY, TANH, LEAKY_RELU)) {
            cases.add(new Case("hinge", new int[] {4, 5, 1}, List.of(TANH, out)));
            cases.add(new Case("mse", new int[] {4, 5, 1}, List.of(RELU, out)));
        }
        cases.add(new Case("bce", new int[] {4, 5, 1}, List.of(TANH, SIGMOID)));
        cases.add(new Case("bce", new int[] {3, 4, 3}, List.of(LEAKY_RELU, SIGMOID)));
        cases.add(new Case("bce", new int[] {3, 4, 4, 2}, List.of(SIGMOID, RELU, SIGMOID)));
        cases.add(new Case("cce", new int[] {3, 4, 3}, List.of(TANH, SOFTMAX)));
        cases.add(new Case("cce", new int[] {3, 4, 4, 2}, List.of(RELU, LEAKY_RELU, SOFTMAX)));
        cases.add(new Case("kl", new int[] {3, 4, 3}, List.of(SIGMOID, SOFTMAX)));
        cases.add(new Case("kl", new int[] {3, 4, 4, 2}, List.of(TANH, IDENTITY, SOFTMAX)));
        List<Arguments> args = new ArrayList<>();
        long seed = 1000;
        for (Case c : cases) {
            for (boolean sparse : new boolean[] {false, true}) {
                for (int batch : new int[] {1, 5}) {
                    args.add(Arguments.of(c, sparse, batch, seed++));
                }
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0} sparse={1} batch={2}")
    @MethodSource("cases")
    void analyticGradientMatchesCentralDifferences(Case c, boolean sparse, int batch, long seed) {
        NetworkSpec spec = new NetworkSpec(c.layers(), c.activations(), SLOPE, Initialization.XAVIER, seed);
        Network net = new Network(spec);
        SplittableRandom random = new SplittableRandom(seed);
        randomiseBiases(net, random);
        Loss loss = Losses.create(c.loss(), 0.3, 1.0, spec.outputActivation(), SLOPE);
        Workspace ws = new Workspace(net, loss, 8, sparse);
        fill(ws, spec, loss, batch, random);

        double value = ws.computeGradients();
        assertThat(value).isEqualTo(ws.computeLoss());
        assertAwayFromKinks(ws, spec);
        Parameters p = net.parameters();
        for (int t = 0; t < p.count(); t++) {
            double[] v = p.value(t);
            double[] analytic = p.grad(t).clone();
            for (int i = 0; i < p.size(t); i++) {
                double saved = v[i];
                v[i] = saved + H;
                double plus = ws.computeLoss();
                v[i] = saved - H;
                double minus = ws.computeLoss();
                v[i] = saved;
                double numeric = (plus - minus) / (2 * H);
                double scale = Math.max(Math.abs(analytic[i]), Math.abs(numeric));
                double error = Math.abs(analytic[i] - numeric);
                if (scale >= 1e-4) {
                    assertThat(error / scale).as("tensor %d element %d: %s vs %s", t, i, analytic[i], numeric)
                            .isLessThan(1e-6);
                } else {
                    assertThat(error).as("tensor %d element %d: %s vs %s", t, i, analytic[i], numeric)
                            .isLessThan(1e-10);
                }
            }
        }
        if (sparse) {
            assertThat(p.sparseTensor()).isZero();
        } else {
            assertThat(p.sparseTensor()).isEqualTo(-1);
        }
    }

    /** Inputs with some zeros (so sparse rows differ from dense ones) and targets valid for the loss. */
    static void fill(Workspace ws, NetworkSpec spec, Loss loss, int batch, SplittableRandom random) {
        InputBatch in = ws.input();
        in.clear();
        for (int r = 0; r < batch; r++) {
            double[] x = new double[spec.inputSize()];
            for (int k = 0; k < x.length; k++) {
                x[k] = random.nextDouble() < 0.3 ? 0.0 : 2 * random.nextDouble() - 1;
            }
            in.addDense(x);
        }
        int outputs = spec.outputSize();
        int width = loss.targetWidth(outputs);
        DMatrixRMaj t = ws.targets();
        t.reshape(batch, width);
        for (int r = 0; r < batch; r++) {
            double[] label = label(loss.name(), outputs, r, random);
            assertThat(loss.labelProblem(label, outputs)).isNull();
            System.arraycopy(label, 0, t.data, r * width, width);
        }
    }

    static double[] label(String loss, int outputs, int row, SplittableRandom random) {
        double[] y = new double[loss.equals("cce") || loss.equals("hinge") || loss.equals("triplet") ? 1 : outputs];
        switch (loss) {
            case "cce", "hinge" -> y[0] = outputs == 1 ? random.nextInt(2) : random.nextInt(outputs);
            case "triplet" -> y[0] = row % 2;
            case "bce" -> {
                for (int i = 0; i < outputs; i++) {
                    y[i] = outputs == 1 ? random.nextInt(2) : random.nextDouble();
                }
            }
            case "kl" -> {
                double s = 0;
                for (int i = 0; i < outputs; i++) {
                    y[i] = i == 0 ? 0.0 : random.nextDouble(); // one zero entry: the 0·log 0 = 0 term
                    s += y[i];
                }
                for (int i = 0; i < outputs; i++) {
                    y[i] /= s;
                }
                double sum = 0;
                for (double v : y) {
                    sum += v;
                }
                y[outputs - 1] += 1.0 - sum;
            }
            default -> {
                for (int i = 0; i < outputs; i++) {
                    y[i] = random.nextDouble();
                }
            }
        }
        return y;
    }

    private static void randomiseBiases(Network net, SplittableRandom random) {
        for (int l = 0; l < net.spec().layerCount(); l++) {
            double[] b = net.biases(l).data;
            for (int i = 0; i < b.length; i++) {
                b[i] = 0.4 * random.nextDouble() - 0.2;
            }
        }
    }

    /** A finite difference across relu's kink would not measure the derivative: keep pre-activations off 0. */
    private static void assertAwayFromKinks(Workspace ws, NetworkSpec spec) {
        for (int l = 0; l < spec.layerCount(); l++) {
            Activation act = spec.activations().get(l);
            if (act == RELU || act == LEAKY_RELU) {
                DMatrixRMaj z = ws.preActivation(l);
                for (int i = 0; i < z.getNumElements(); i++) {
                    assertThat(Math.abs(z.data[i])).as("layer %d pre-activation %d near the kink", l, i)
                            .isGreaterThan(1e-4); // 10·H: one perturbed parameter moves z by about H
                }
            }
        }
    }
}
