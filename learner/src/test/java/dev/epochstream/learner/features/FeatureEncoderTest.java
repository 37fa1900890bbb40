package dev.epochstream.learner.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.epochstream.learner.data.Example;
import dev.epochstream.learner.data.SparseVector;
import dev.epochstream.learner.epoch.Predictor;
import dev.epochstream.learner.nn.Activation;
import dev.epochstream.learner.nn.Initialization;
import dev.epochstream.learner.nn.NetworkSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The encoded input row, read through a network whose one identity layer has W = I and b = 0, so that its
 * output is its input. Two dense features, then 2^3 hashed columns (see {@link AttributeHasherTest} for
 * the hand-decoded hashes).
 */
class FeatureEncoderTest {
    private static final int DENSE = 2;
    private static final int BITS = 3;
    private static final int INPUTS = DENSE + (1 << BITS);

    private static double[] encoded(Example e, Standardizer s) {
        double[] w = new double[INPUTS * INPUTS];
        for (int i = 0; i < INPUTS; i++) {
            w[i * INPUTS + i] = 1;
        }
        NetworkSpec spec = new NetworkSpec(new int[] {INPUTS, INPUTS}, List.of(Activation.IDENTITY), 0.01,
                Initialization.XAVIER, 0);
        return new Predictor(spec, "mse", 1, 1, new double[][] {w, new double[INPUTS]}, s, BITS, 0).predict(e).scores();
    }

    @Test
    void denseThenHashedAttributes() {
        Example e = new Example("a", "k", 0, new double[] {1.5, -2}, null, null, 1,
                Map.of("color", "red", "shape", "round", "size", "L", "city", "Oslo"));
        // columns 2 + {1: +1, 4: −1 −1, 6: −1}
        assertThat(encoded(e, null)).containsExactly(1.5, -2, 0, 1, 0, 0, -2, 0, -1, 0);
    }

    @Test
    void sparseAndDenseEncodingsAgree() {
        Example sparse = new Example("a", "k", 0, null, new SparseVector(2, new int[] {1}, new double[] {3}), null, 1,
                Map.of("shape", "square"));
        assertThat(encoded(sparse, null)).containsExactly(0, 3, 0, 1, 0, 0, 0, 0, 0, 0);
        Standardizer s = new Standardizer(2);
        s.update(Example.dense("t1", "k", 0, new double[] {1, 2}, null));
        s.update(Example.dense("t2", "k", 0, new double[] {3, 6}, null));
        Example dense = Example.dense("a", "k", 0, new double[] {0, 3}, null);
        // means 2 and 4, population std 1 and 2: (0 − 2)/1 and (3 − 4)/2; the implicit zero is standardised too
        double[] fromSparse = encoded(sparse, s);
        double[] fromDense = encoded(dense, s);
        assertThat(fromSparse[0]).isCloseTo(-2, within(1e-12));
        assertThat(fromSparse[1]).isCloseTo(-0.5, within(1e-12));
        assertThat(fromDense[0]).isEqualTo(fromSparse[0]);
        assertThat(fromDense[1]).isEqualTo(fromSparse[1]);
        assertThat(fromSparse[3]).isEqualTo(1.0); // hashed features are not standardised
    }

    @Test
    void problemsAndSizes() {
        FeatureEncoder enc = new FeatureEncoder(DENSE, BITS);
        assertThat(enc.inputSize()).isEqualTo(INPUTS);
        assertThat(enc.denseInputs()).isEqualTo(DENSE);
        assertThat(enc.problem(Example.dense("a", "k", 0, new double[] {1, 2}, null))).isNull();
        assertThat(enc.problem(Example.dense("a", "k", 0, new double[] {1e12, -1e12}, null))).isNull();
        assertThat(enc.problem(Example.dense("a", "k", 0, new double[] {1, 2, 3}, null)).kind())
                .isEqualTo(FeatureProblem.Kind.WRONG_DIMENSION);
        assertThat(enc.problem(Example.dense("a", "k", 0, new double[] {Double.NEGATIVE_INFINITY, 2}, null)).kind())
                .isEqualTo(FeatureProblem.Kind.NON_FINITE);
        assertThat(enc.problem(Example.dense("a", "k", 0, new double[] {1, -1.5e12}, null)).kind())
                .isEqualTo(FeatureProblem.Kind.TOO_LARGE);
        assertThat(enc.problem(new Example("a", "k", 0, null, new SparseVector(2, new int[] {1, 1},
                new double[] {1, 1}), null, 1, null)).kind()).isEqualTo(FeatureProblem.Kind.BAD_SPARSE_VECTOR);
        assertThat(enc.problem(new Example("a", "k", 0, null, new SparseVector(2, new int[] {0},
                new double[] {2e12}), null, 1, null)).kind()).isEqualTo(FeatureProblem.Kind.TOO_LARGE);
    }
}
