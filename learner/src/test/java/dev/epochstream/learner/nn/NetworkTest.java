package dev.epochstream.learner.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.epochstream.learner.loss.Losses;
import dev.epochstream.learner.optim.Parameters;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NetworkTest {

    private static NetworkSpec spec(Initialization init, long seed) {
        return new NetworkSpec(new int[] {5, 7, 3}, List.of(Activation.TANH, Activation.IDENTITY), 0.01, init, seed);
    }

    @Test
    void boundArraysAreTheOnesTheForwardPassReadsAndTheParametersExpose() {
        Network net = new Network(spec(Initialization.XAVIER, 3L));
        double[][] own = {new double[35], new double[7], new double[21], new double[3]};
        own[3][1] = 2.5; // b1[1]: with every weight zero, the output is the bias
        net.bind(own);

        assertThat(net.parameters().value(0)).isSameAs(own[0]);
        assertThat(net.parameters().value(3)).isSameAs(own[3]);
        assertThat(net.weights(1).data).isSameAs(own[2]);
        assertThat(net.biases(1).data).isSameAs(own[3]);
        Workspace ws = new Workspace(net, Losses.create("mse", 1.0, 1.0,
                Activation.IDENTITY, 0.01), 1, false);
        ws.input().clear();
        ws.input().addDense(new double[] {1, 2, 3, 4, 5});
        assertThat(ws.forward().data).startsWith(0.0, 2.5, 0.0);
    }

    @Test
    void bindingArraysOfAnotherShapeIsRefusedAndBindsNothing() {
        Network net = new Network(spec(Initialization.XAVIER, 3L));
        double[] w0 = net.weights(0).data;
        double[][] wrong = {new double[35], new double[7], new double[20], new double[3]};

        assertThatThrownBy(() -> net.bind(wrong)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parameter tensor 2 has 20 values").hasMessageContaining("3x7 needs 21");
        assertThatThrownBy(() -> net.bind(new double[3][])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 4 parameter tensors, got 3");
        assertThat(net.weights(0).data).isSameAs(w0);
        assertThat(net.parameters().value(0)).isSameAs(w0);
    }

    @Test
    void xavierWeightsStayWithinTheGlorotBoundAndBiasesAreZero() {
        Network net = new Network(spec(Initialization.XAVIER, 3L));
        assertWithin(net.weights(0).data, Math.sqrt(6.0 / (5 + 7)));
        assertWithin(net.weights(1).data, Math.sqrt(6.0 / (7 + 3)));
        assertThat(net.biases(0).data).containsOnly(0.0);
        assertThat(net.biases(1).data).containsOnly(0.0);
    }

    @Test
    void heWeightsStayWithinTheKaimingBound() {
        Network net = new Network(spec(Initialization.HE, 3L));
        assertWithin(net.weights(0).data, Math.sqrt(6.0 / 5));
        assertWithin(net.weights(1).data, Math.sqrt(6.0 / 7));
    }

    @Test
    void weightsAreDrawnLayerByLayerRowMajorFromOneSplittableRandom() {
        Network net = new Network(spec(Initialization.HE, 11L));
        SplittableRandom r = new SplittableRandom(11L);
        double b0 = Math.sqrt(6.0 / 5);
        double b1 = Math.sqrt(6.0 / 7);
        for (int i = 0; i < 35; i++) {
            assertThat(net.weights(0).data[i]).isEqualTo(b0 * (2.0 * r.nextDouble() - 1.0));
        }
        for (int i = 0; i < 21; i++) {
            assertThat(net.weights(1).data[i]).isEqualTo(b1 * (2.0 * r.nextDouble() - 1.0));
        }
        // row-major [out][in]: element (o, k) at o·in + k
        assertThat(net.weights(0).get(1, 2)).isEqualTo(net.weights(0).data[1 * 5 + 2]);
        assertThat(net.weights(0).numRows).isEqualTo(7);
        assertThat(net.weights(0).numCols).isEqualTo(5);
    }

    /**
     * torch.nn.Linear's default: kaiming_uniform_(a=sqrt(5)) gives b = sqrt(2/6)·sqrt(3/fan_in) = 1/sqrt(fan_in)
     * for the weights, and the biases are U(±1/sqrt(fan_in)); each layer draws its weights, then its biases.
     */
    @Test
    void torchWeightsAndBiasesAreDrawnWithinOneOverRootFanInWeightsFirst() {
        Network net = new Network(spec(Initialization.TORCH, 13L));
        SplittableRandom r = new SplittableRandom(13L);
        int[] fanIn = {5, 7};
        int[] fanOut = {7, 3};
        for (int l = 0; l < 2; l++) {
            double b = 1 / Math.sqrt(fanIn[l]);
            assertThat(Initialization.TORCH.bound(fanIn[l], fanOut[l])).isCloseTo(b, within(1e-15));
            double weightBound = Initialization.TORCH.bound(fanIn[l], fanOut[l]);
            for (int i = 0; i < fanIn[l] * fanOut[l]; i++) {
                assertThat(net.weights(l).data[i]).isEqualTo(weightBound * (2.0 * r.nextDouble() - 1.0));
            }
            for (int o = 0; o < fanOut[l]; o++) {
                assertThat(net.biases(l).data[o]).isEqualTo(b * (2.0 * r.nextDouble() - 1.0));
            }
            assertWithin(net.weights(l).data, b * (1 + 1e-15));
            assertWithin(net.biases(l).data, b);
            assertThat(net.biases(l).data).as("biases are drawn, not 0").doesNotContain(0.0);
        }
    }

    @Test
    void sameSeedGivesIdenticalWeightsAndAnotherSeedDifferentOnes() {
        Network a = new Network(spec(Initialization.XAVIER, 5L));
        Network b = new Network(spec(Initialization.XAVIER, 5L));
        Network c = new Network(spec(Initialization.XAVIER, 6L));
        assertThat(a.weights(0).data).isEqualTo(b.weights(0).data);
        assertThat(a.weights(1).data).isEqualTo(b.weights(1).data);
        assertThat(a.weights(0).data).isNotEqualTo(c.weights(0).data);
    }

    @Test
    void parametersAreALiveViewInTensorOrder() {
        Network net = new Network(spec(Initialization.XAVIER, 1L));
        Parameters p = net.parameters();
        assertThat(p.count()).isEqualTo(4);
        assertThat(p.value(0)).isSameAs(net.weights(0).data);
        assertThat(p.value(1)).isSameAs(net.biases(0).data);
        assertThat(p.value(2)).isSameAs(net.weights(1).data);
        assertThat(p.value(3)).isSameAs(net.biases(1).data);
        assertThat(p.grad(2)).isSameAs(net.weightGradient(1).data);
        assertThat(p.grad(3)).isSameAs(net.biasGradient(1).data);
        assertThat(new int[] {p.rows(0), p.cols(0), p.rows(1), p.cols(1), p.rows(2), p.cols(2)})
                .containsExactly(7, 5, 7, 1, 3, 7);
        assertThat(p.sparseTensor()).isEqualTo(-1);
        p.value(1)[2] = 0.25;
        assertThat(net.biases(0).get(2, 0)).isEqualTo(0.25);
    }

    @Test
    void copyIsDeepAndHasZeroGradients() {
        Network net = new Network(spec(Initialization.XAVIER, 1L));
        net.biases(1).data[0] = 0.5;
        net.weightGradient(0).data[0] = 3.0;
        Network copy = net.copy();
        assertThat(copy.spec()).isEqualTo(net.spec());
        assertThat(copy.weights(0).data).isEqualTo(net.weights(0).data).isNotSameAs(net.weights(0).data);
        assertThat(copy.biases(1).data[0]).isEqualTo(0.5);
        assertThat(copy.weightGradient(0).data).containsOnly(0.0);
        copy.weights(0).data[0] += 1.0;
        assertThat(copy.weights(0).data[0]).isNotEqualTo(net.weights(0).data[0]);
    }

    private static void assertWithin(double[] w, double bound) {
        double max = 0;
        for (double v : w) {
            assertThat(Math.abs(v)).isLessThanOrEqualTo(bound);
            max = Math.max(max, Math.abs(v));
        }
        // the draws do spread over the range (not, say, a bound of the wrong scale)
        assertThat(max).isGreaterThan(0.5 * bound);
    }
}
