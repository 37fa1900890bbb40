package dev.epochstream.learner.nn;

import static dev.epochstream.learner.nn.Activation.IDENTITY;
import static dev.epochstream.learner.nn.Activation.RELU;
import static dev.epochstream.learner.nn.Activation.SIGMOID;
import static dev.epochstream.learner.nn.Activation.SOFTMAX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkSpecTest {

    private static NetworkSpec spec(int[] layers, List<Activation> acts) {
        return new NetworkSpec(layers, acts, 0.01, Initialization.XAVIER, 7L);
    }

    @Test
    void accessorsDescribeTheShape() {
        NetworkSpec s = spec(new int[] {3, 4, 2}, List.of(RELU, SOFTMAX));
        assertThat(s.inputSize()).isEqualTo(3);
        assertThat(s.outputSize()).isEqualTo(2);
        assertThat(s.layerCount()).isEqualTo(2);
        assertThat(s.layerSize(1)).isEqualTo(4);
        assertThat(s.outputActivation()).isEqualTo(SOFTMAX);
    }

    @Test
    void softmaxOnAHiddenLayerIsRefused() {
        assertThatThrownBy(() -> spec(new int[] {3, 4, 2}, List.of(SOFTMAX, IDENTITY)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model.activations[0]")
                .hasMessageContaining("last layer only");
    }

    @Test
    void wrongActivationCountIsRefused() {
        assertThatThrownBy(() -> spec(new int[] {3, 4, 2}, List.of(RELU)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model.activations has 1 entries")
                .hasMessageContaining("exactly one activation per layer");
    }

    @Test
    void zeroSizeAndTooFewLayersAreRefused() {
        assertThatThrownBy(() -> spec(new int[] {3, 0, 2}, List.of(RELU, IDENTITY)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model.layers[1] is 0")
                .hasMessageContaining(">= 1");
        assertThatThrownBy(() -> spec(new int[] {3}, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model.layers needs at least 2");
    }

    @Test
    void negativeOrNonFiniteLeakySlopeIsRefused() {
        for (double slope : new double[] {-0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> new NetworkSpec(new int[] {2, 1}, List.of(IDENTITY), slope,
                    Initialization.HE, 1L))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("model.leaky-slope");
        }
    }

    @Test
    void copiesDefensivelyAndComparesByValue() {
        int[] layers = {3, 4, 1};
        List<Activation> acts = new ArrayList<>(List.of(RELU, SIGMOID));
        NetworkSpec s = spec(layers, acts);
        layers[0] = 99;
        acts.set(0, IDENTITY);
        assertThat(s.inputSize()).isEqualTo(3);
        assertThat(s.activations()).containsExactly(RELU, SIGMOID);
        s.layers()[1] = 42;
        assertThat(s.layerSize(1)).isEqualTo(4);

        NetworkSpec same = spec(new int[] {3, 4, 1}, List.of(RELU, SIGMOID));
        assertThat(s).isEqualTo(same).hasSameHashCodeAs(same);
        assertThat(s).isNotEqualTo(spec(new int[] {3, 5, 1}, List.of(RELU, SIGMOID)));
        assertThat(s).isNotEqualTo(new NetworkSpec(new int[] {3, 4, 1}, List.of(RELU, SIGMOID), 0.01,
                Initialization.XAVIER, 8L));
    }

    @Test
    void initialisationParsesConfigNames() {
        assertThat(Initialization.fromConfigName(" Xavier ")).isEqualTo(Initialization.XAVIER);
        assertThat(Initialization.fromConfigName("he")).isEqualTo(Initialization.HE);
        assertThat(Initialization.fromConfigName("torch")).isEqualTo(Initialization.TORCH);
        assertThatThrownBy(() -> Initialization.fromConfigName("glorot"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model.init")
                .hasMessageContaining("xavier, he or torch");
    }
}
